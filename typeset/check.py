"""``typeset check FILE.pdf``: the Chinese layout rules, measured on a finished PDF.

Reads glyph positions back with pdfium, rebuilds the lines of body text and reports per
rule ID (cjk-rules.md): justified lines flush with their column (JUS-1), Han characters
on the em grid and lines on the line grid (GRID-1), kinsoku (KIN-1/2), ——/…… kept
whole (UNIT-1), punctuation pairs compressed (PA-1), one-character last lines (ORP-1),
and spaces an extractor reads between Han characters. Works from the glyphs' geometry,
so it checks any page we produce.

Two readings of the same pages: the rules are measured on the glyphs as drawn, with
the ``/ActualText`` the renderer puts on its loose lines taken out (pdfium would place
those characters from the text, not the glyphs); the gaps wide enough to read as a
space are listed from the same glyphs (``gaps``: where the line breaker left a loose
line). Stray spaces are counted on the PDF as it is, as archives and search read it.

Body lines are the lines set in the most common font and size. Content order (the
order pdfium returns characters) is reading order in our PDFs, so a paragraph's lines
follow each other; a line indented by about 2 em starts a paragraph, and anything that
is not a body line in between (subheads, captions, headlines) ends one.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from typeset.cjk import rules

TOLERANCE = 0.05  # pt: how far a flush line may miss the column edge
KIN_NOT_START = frozenset("、，；：。！？”’）》〉」』】〕–—～·")
KIN_NOT_END = frozenset("“‘（《〈「『【〔")


@dataclass
class Glyph:
    char: str
    left: float
    right: float
    baseline: float
    size: float  # the em: font size times the text matrix's scale, in pt
    font: str = ""
    space_before: bool = False  # pdfium reads a space before it (a gap it judged wide)


@dataclass
class Line:
    page: int
    glyphs: list[Glyph]
    column_left: float = 0.0
    column_right: float = 0.0
    first_in_paragraph: bool = False
    last_in_paragraph: bool = False

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def em(self) -> float:
        return statistics.median(g.size for g in self.glyphs)


@dataclass
class Report:
    """Counts per rule and the offending lines (page number and text)."""

    lines: int = 0
    justified: int = 0
    flush: int = 0
    grid_lines: int = 0
    grid_exact: int = 0
    baseline_lines: int = 0
    baseline_on_grid: int = 0
    pairs: int = 0
    pairs_compressed: int = 0
    violations: dict[str, list[str]] = field(default_factory=dict)
    stray_spaces: int = 0  # spaces an extractor reads between wide characters
    gaps: list[str] = field(default_factory=list)  # gaps it would read without ActualText

    def add(self, rule: str, line: Line, note: str = "") -> None:
        self.violations.setdefault(rule, []).append(
            f"p{line.page}: {line.text}{' (' + note + ')' if note else ''}")

    def count(self, rule: str) -> int:
        return len(self.violations.get(rule, []))

    @property
    def ok(self) -> bool:
        return not self.violations and not self.stray_spaces

    def summary(self) -> str:
        rows = [
            f"body lines            {self.lines}",
            f"JUS-1 flush           {self.flush}/{self.justified} non-final lines",
            f"GRID-1 on the em grid {self.grid_exact}/{self.grid_lines} all-Han lines",
            (f"GRID-1 baselines      {self.baseline_on_grid}/{self.baseline_lines} body "
             "lines on the line grid"),
            f"PA-1 pairs compressed {self.pairs_compressed}/{self.pairs}",
            f"KIN-1 line starts     {self.count('KIN-1')} violations",
            f"KIN-2 line ends       {self.count('KIN-2')} violations",
            f"UNIT-1 split ——/……    {self.count('UNIT-1')}",
            f"ORP-1 orphans         {self.count('ORP-1')}",
            f"stray spaces          {self.stray_spaces} read between Chinese characters",
            f"wide gaps             {len(self.gaps)} spelled out with ActualText "
            f"(loose lines)",
        ]
        for rule, items in sorted(self.violations.items()):
            rows += [f"  {rule}: {item}" for item in items[:20]]
            if len(items) > 20:
                rows.append(f"  {rule}: … {len(items) - 20} more")
        rows += [f"  gap: {item}" for item in self.gaps[:20]]
        if len(self.gaps) > 20:
            rows.append(f"  gap: … {len(self.gaps) - 20} more")
        return "\n".join(rows)


def check(path: Path) -> Report:
    """Measure every rule on every page of the PDF at ``path``."""
    data = Path(path).read_bytes()
    pages = _glyphs(_without_actual_text(data))
    faces = Counter((round(g.size, 1), g.font) for page in pages for line in page for g in line)
    body = faces.most_common(1)[0][0] if faces else (0, "")
    report = Report()
    body_lines = []
    for number, page_lines in enumerate(pages, start=1):
        body_lines += _check_page([Line(number, glyphs) for glyphs in page_lines], body,
                                  report)
    _check_baselines(body_lines, report)
    for number, page_lines in enumerate(_glyphs(data), start=1):
        for line in _body([Line(number, glyphs) for glyphs in page_lines], body):
            for b in _spaced(line) if line else ():
                report.stray_spaces += 1
                report.add("spaces", line, f"before {b.char}")
    return report


def _glyphs(data: bytes) -> list[list[list[Glyph]]]:
    document = pdfium.PdfDocument(data)
    try:
        return [_page_glyphs(document[i]) for i in range(len(document))]
    finally:
        document.close()


def _without_actual_text(data: bytes) -> bytes:
    """The PDF with every marked-content span's ``/ActualText`` dropped, in the pages'
    content and in the forms they draw (a page printed in layers draws its modules as
    forms): pdfium then reads those characters from their glyphs."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            operations = _spans_dropped(page)
            if operations is not None:
                page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
                operations = _spans_dropped(obj)
                if operations is not None:
                    obj.write(pikepdf.unparse_content_stream(operations))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _spans_dropped(content) -> list | None:
    """The operations of ``content`` (a page or form) with its ``/ActualText`` spans
    made plain marked content, or None when it has none."""
    operations = pikepdf.parse_content_stream(content)
    changed = False
    for index, (operands, operator) in enumerate(operations):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and "/ActualText" in operands[1]:
            operations[index] = pikepdf.ContentStreamInstruction(
                [operands[0]], pikepdf.Operator("BMC"))
            changed = True
    return operations if changed else None


def _spaced(line: Line) -> list[Glyph]:
    """The glyphs of ``line`` an extractor reads a space before, between wide ones."""
    return [b for a, b in zip(line.glyphs, line.glyphs[1:])
            if b.space_before and (rules.is_wide(a.char) or rules.is_wide(b.char))]


def _page_glyphs(page) -> list[list[Glyph]]:
    """The page's glyphs grouped into lines, in content order."""
    textpage = page.get_textpage()
    lines: list[list[Glyph]] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    gap = False
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            if char in "\r\n":
                lines.append([])  # pdfium ends each line with generated characters
            gap = char == " "
            continue
        if char.isspace() or char in rules.INVISIBLE:
            continue
        _, _, right, _ = textpage.get_charbox(index, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.a)
        length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), flags)
        glyph = Glyph(char, x.value, right, y.value, size, name.raw[:max(0, length - 1)].decode(
            "latin-1"), gap)
        gap = False
        if lines and lines[-1] and (abs(lines[-1][-1].baseline - glyph.baseline) > 0.5
                                    or glyph.left < lines[-1][-1].left - 0.5):
            lines.append([])
        if not lines:
            lines.append([])
        lines[-1].append(glyph)
    return [line for line in lines if line]


def _body(all_lines: list[Line], face: tuple[float, str]) -> list[Line | None]:
    """The body lines, None for any other (it separates paragraphs)."""
    size, font = face
    return [line if all(abs(round(g.size, 1) - size) < 0.05 for g in line.glyphs)
            and sum(g.font == font for g in line.glyphs) * 2 > len(line.glyphs) else None
            for line in all_lines]


def _check_page(all_lines: list[Line], face: tuple[float, str],
                report: Report) -> list[Line]:
    """Check the body lines: set in the body size, and mostly in the body font (a run-in
    head or dateline may open them in another); return them."""
    body = _body(all_lines, face)
    _find_columns(body)
    _mark_paragraphs(body)
    previous = None
    for line in body:
        if line is None:
            previous = None
            continue
        _check_line(line, report)
        if previous is not None and not line.first_in_paragraph:
            if previous.text[-1] in rules.UNIT_MARKS and line.text[0] == previous.text[-1]:
                report.add("UNIT-1", line)
        previous = line
    return [line for line in body if line is not None]


def _check_baselines(lines: list[Line], report: Report) -> None:
    """GRID-1: body lines on one line grid, page after page and column by column.

    The pitch is the commonest distance from a body line to the next in its column;
    text in a boxed module sits half a line lower, by design, so baselines are compared
    modulo half the pitch, with the commonest remainder (to 1/100 pt).
    """
    steps = Counter(round(a.glyphs[0].baseline - b.glyphs[0].baseline, 2)
                    for a, b in itertools.pairwise(lines)
                    if a.page == b.page and a.column_left == b.column_left
                    and a.glyphs[0].baseline > b.glyphs[0].baseline)
    if not steps:
        return
    half = steps.most_common(1)[0][0] / 2
    phases = [line.glyphs[0].baseline % half for line in lines]
    grid = Counter(round(phase, 2) for phase in phases).most_common(1)[0][0]
    report.baseline_lines += len(lines)
    for line, phase in zip(lines, phases):
        off = min(abs(phase - grid), half - abs(phase - grid))
        if off <= 0.01:
            report.baseline_on_grid += 1
        else:
            report.add("GRID-1", line, f"baseline {off:.2f} pt off the line grid")


def _find_columns(body: list[Line | None]) -> None:
    """Give each body line its column's edges.

    A column is a run of consecutive lines going down the page that start within 2 em of
    each other or end together (a right-aligned source line); its left edge is the
    most common start, its right edge the most common line end (a line-end mark counted at
    its full and at its half-width end).
    """
    runs: list[list[Line]] = []
    previous = None
    for line in body:
        if line is None:
            previous = None
            continue
        if previous is None or line.glyphs[0].baseline >= previous.glyphs[0].baseline \
                or not _same_column(line, runs[-1]):
            runs.append([])
        runs[-1].append(line)
        previous = line
    for run in runs:
        left, right = _column_left(run), _column_right(run)
        for line in run:
            line.column_left, line.column_right = left, right


def _same_column(line: Line, run: list[Line]) -> bool:
    return abs(line.glyphs[0].left - _column_left(run)) <= 2.2 * line.em \
        or abs(_possible_ends(line)[0] - _column_right(run)) < 0.1


def _column_left(run: list[Line]) -> float:
    """The most common start: an opening mark set half-width starts half an em out."""
    starts = Counter(round(line.glyphs[0].left, 2) for line in run
                     if line.glyphs[0].char not in rules.OPENING)
    return starts.most_common(1)[0][0] if starts else min(l.glyphs[0].left for l in run)


def _column_right(run: list[Line]) -> float:
    ends = Counter(round(end, 2) for line in run for end in _possible_ends(line))
    return ends.most_common(1)[0][0]


def _possible_ends(line: Line) -> list[float]:
    """Where the line's last advance ends: wide characters advance one em (marks may
    be set half-width); others by the width pdfium reads from the font."""
    last = line.glyphs[-1]
    if not rules.is_wide(last.char) or last.char in rules.UNIT_MARKS:
        return [last.right]  # proportional glyphs, and the ligature that sets ——
    ends = [last.left + last.size]
    if last.char in rules.RIGHT_BLANK:
        ends.append(last.left + last.size / 2)
    return ends


def _mark_paragraphs(body: list[Line | None]) -> None:
    for index, line in enumerate(body):
        if line is None:
            continue
        offset = (line.glyphs[0].left - line.column_left) / line.em
        line.first_in_paragraph = 1.3 <= offset <= 2.2
        if not (-0.6 <= offset <= 0.1 or line.first_in_paragraph):
            body[index] = None  # centred or right-aligned: a subhead or a source line
    for index, line in enumerate(body):
        if line is None:
            continue
        following = body[index + 1] if index + 1 < len(body) else None
        line.last_in_paragraph = following is None or following.first_in_paragraph


def _check_line(line: Line, report: Report) -> None:
    report.lines += 1
    text, glyphs, em = line.text, line.glyphs, line.em
    report.gaps += [f"p{line.page}: {text} (before {b.char})" for b in _spaced(line)]
    if text[0] in KIN_NOT_START:
        report.add("KIN-1", line)
    if text[-1] in KIN_NOT_END:
        report.add("KIN-2", line)
    if line.last_in_paragraph:
        marks = rules.OPENING | rules.RIGHT_BLANK | rules.UNIT_MARKS
        if sum(c not in marks for c in text) == 1:  # one character, maybe with its marks
            report.add("ORP-1", line)
    else:
        report.justified += 1
        if any(abs(end - line.column_right) <= TOLERANCE for end in _possible_ends(line)):
            report.flush += 1
        else:
            report.add("JUS-1", line, f"ends {glyphs[-1].right - line.column_right:+.2f} pt")
        if all(rules.is_han(c) for c in text) and \
                abs(len(text) * em - (line.column_right - glyphs[0].left)) < 0.5:
            report.grid_lines += 1
            steps = [b.left - a.left for a, b in zip(glyphs, glyphs[1:])]
            if all(abs(step - em) <= 0.01 for step in steps):
                report.grid_exact += 1
            else:
                report.add("GRID-1", line)
    for index in range(len(glyphs) - 1):
        a, b = glyphs[index], glyphs[index + 1]
        if rules.halt_pairs(a.char + b.char):
            report.pairs += 1
            # Either the first mark's right half or the second's left half is gone.
            after = glyphs[index + 2].left if index + 2 < len(glyphs) else None
            if abs(b.left - a.left - em / 2) <= 0.05 * em or \
                    (after is not None and abs(after - a.left - 1.5 * em) <= 0.05 * em):
                report.pairs_compressed += 1
            else:
                report.add("PA-1", line, f"{a.char}{b.char} {(b.left - a.left) / em:.2f} em")
