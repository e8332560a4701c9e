"""Display lines read back from a PDF (pypdfium2 glyphs), judged by display-type.md.

A display line is found as the glyphs that share one face, size and baseline, in the
order the PDF draws them; a display text (headline, kicker, deck, label, subhead) is
the run of such lines whose characters, joined, are exactly its text without spaces.
"""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from typeset import cjk
from typeset.model import Issue
from typeset.style import Style

PAUSES = "，、：；！？。"
OPENING = "“‘《（〈「『【"
CLOSING = "”’》）〉」』】"


@dataclass
class Line:
    """One display line as printed: its characters, face, size (pt), horizontal scale,
    the left and right ends of its ink (pt), where its first glyph's advance starts and
    its last one's ends, and the gaps (pt) between its phrases."""

    text: str
    font: str
    size: float
    scale: float
    y: float
    left: float
    right: float
    end: float
    start: float = 0.0
    gaps: tuple[float, ...] = ()


@dataclass
class Block:
    """A display text found on a page: which article and field, and its lines."""

    article: str
    field: str
    source: str
    lines: list[Line] = field(default_factory=list)


def page_lines(path: Path) -> list[list[Line]]:
    """Every page's lines of glyphs: same face, size, scale and baseline, left to right."""
    pages = []
    document = pdfium.PdfDocument(str(path))
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    x, y, matrix = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    box = pdfium_c.FS_RECTF()
    ink = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    try:
        for page in document:
            textpage = page.get_textpage()
            lines: list[Line] = []
            for index in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
                if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) or char.isspace() \
                        or char in "\ufffe\uffff\x00" or not cjk.visible(char):
                    continue
                length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 256, flags)
                font = name.raw[:max(0, length - 1)].decode("latin-1").split("+")[-1]
                pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                # The loose box spans the glyph's advance, not its ink: “ starts a line
                # at its left edge though its ink sits in its right half.
                pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, box)
                start, end = min(box.left, box.right), max(box.left, box.right)
                pdfium_c.FPDFText_GetCharBox(textpage.raw, index, *ink)
                left, right = ink[0].value, ink[1].value
                size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.d)
                scale = abs(matrix.a / matrix.d)
                last = lines[-1] if lines else None
                if char == "■":  # a column label's mark: the line starts here, text after
                    lines.append(Line("", font, size, scale, y.value, left, right, end, start))
                elif (last and last.font == font and abs(last.size - size) < 0.01
                        and abs(last.scale - scale) < 0.001 and abs(last.y - y.value) < 0.1
                        and abs(start - last.end) < size * scale / 2):
                    last.text += char
                    last.right, last.end = max(last.right, right), end
                else:
                    lines.append(Line(char, font, size, scale, y.value, left, right, end, start))
            pages.append(lines)
    finally:
        document.close()
    return pages


def display_texts(issue: Issue) -> list[tuple[str, str, str]]:
    """(article id, field, text) of every display text of the issue."""
    out = []
    for article in issue.articles:
        for name in ("column_label", "kicker", "headline", "deck"):
            if getattr(article, name):
                out.append((article.id, name, getattr(article, name)))
        out += [(article.id, f"body[{i}]", block.text) for i, block in enumerate(article.body)
                if block.type == "subhead"]
    return out


def squeezed(text: str) -> str:
    return "".join(c for c in cjk.visible(text) if not c.isspace())


def find_blocks(pages: list[list[Line]], issue: Issue) -> tuple[list[Block], list[tuple]]:
    """Each display text of ``issue`` as printed, and those not found."""
    found, missing = [], []
    for article, name, text in display_texts(issue):
        target = squeezed(text)
        block = _find(pages, target)
        if block is None:
            missing.append((article, name, text))
        else:
            found.append(Block(article, name, text, block))
    return found, missing


def caption_blocks(pages: list[list[Line]], figures: list[tuple[str, str]]):
    """(caption, its lines, the credit's line or None) for each (caption, credit); the
    credit is None when the figure has none, and its lines empty when not found."""
    out = []
    for caption, credit in figures:
        lines = _find(pages, squeezed(caption)) or []
        credit_lines = _find(pages, squeezed(credit)) if credit else None
        out.append((caption, lines, credit_lines[0] if credit_lines and len(credit_lines) == 1
                    else None))
        if credit:
            assert credit_lines and len(credit_lines) == 1, f"credit {credit} split or lost"
    return out


def _find(pages, target: str):
    for lines in pages:
        for start, line in enumerate(lines):
            if not target.startswith(line.text):
                continue
            joined, end = "", start
            while end < len(lines) and len(joined) < len(target):
                joined += lines[end].text
                end += 1
            if joined == target:
                return _merged(lines[start:end])
    return None


def _merged(runs: list[Line]) -> list[Line]:
    """Runs of one display text on one baseline (its phrases, apart by the phrase gap)
    as the one line they are."""
    lines: list[Line] = []
    for run in runs:
        if lines and abs(lines[-1].y - run.y) < 0.1:
            last = lines[-1]
            lines[-1] = Line(last.text + run.text, run.font, run.size, run.scale, run.y,
                             last.left, run.right, run.end, last.start,
                             (*last.gaps, run.start - last.end))
        else:
            lines.append(run)
    return lines


def allowed_breaks(line: str) -> set[int]:
    """HEAD-1: positions in the line's text without spaces where a break may fall: after
    a space of the source, after a pause mark, after a closing quote or bracket that
    ends a quotation; never inside one, never before a mark that may not start a line."""
    text = cjk.visible(line)
    allowed, depth, position = set(), 0, 0
    for index, char in enumerate(text):
        if char.isspace():
            if depth == 0 and position:
                allowed.add(position)
            continue
        position += 1
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        after = next((c for c in text[index + 1:] if not c.isspace()), "")
        if depth == 0 and (char in PAUSES or char in CLOSING) and after \
                and after not in PAUSES + CLOSING:
            allowed.add(position)
    return allowed


def weight(text: str) -> float:
    """HEAD-3: Han and full-width characters 1, Latin letters and digits ½."""
    return sum(0.5 if c.isascii() else 1.0 for c in text if not c.isspace())


def violations(blocks: list[Block], spans: dict[str, tuple[int, bool]], style: Style,
               kinds: dict[tuple[str, str], str]) -> list[str]:
    """HEAD-1/HEAD-3 breaches and fittings outside the style's limits, one line each."""
    out = []
    for block in blocks:
        span, boxed = spans[block.article]
        kind = kinds[(block.article, block.field)]
        settings = getattr(style.display, kind)
        where = f"{block.article} {block.field} {'/'.join(l.text for l in block.lines)}"
        hands = block.source.split("\n")
        position, hand_ends, hand_lines = 0, [], []
        for hand in hands:
            position += len(squeezed(hand))
            hand_ends.append(position)
        ends, position = [], 0
        for line in block.lines:
            position += len(line.text)
            ends.append(position)
        # HEAD-1: every break at a boundary of its hand line (HEAD-5: hand breaks kept).
        offset = 0
        for hand, hand_end in zip(hands, hand_ends):
            inner = {offset + p for p in allowed_breaks(hand)}
            lines_here = [line for line, end in zip(block.lines, ends)
                          if offset < end <= hand_end]
            for end in ends:
                if offset < end < hand_end and end not in inner:
                    out.append(f"HEAD-1 {where}")
            if hand_end not in ends:
                out.append(f"HEAD-5 {where}")
            hand_lines.append(lines_here)
            offset = hand_end
        for lines in hand_lines:
            weights = [weight(line.text) for line in lines]
            if len(weights) > 1 and min(weights) * 3 < max(weights) - 1e-9:
                out.append(f"HEAD-3 {where}")
        sizes = settings.sizes(span)
        measure = (style.grid.column_pt - style.grid.body_pt * boxed if kind == "subhead"
                   else style.grid.width_pt(span) - span * style.grid.body_pt * boxed)
        for line in block.lines:
            if not (sizes[-1] - 0.01 <= line.size <= sizes[0] + 0.01):
                out.append(f"HEAD-4 size {line.size:.2f} {where}")
            if not (style.display.min_scale - 0.001 <= line.scale <= 1.0001):
                out.append(f"HEAD-4 scale {line.scale:.3f} {where}")
            if line.right - line.left > measure + 0.05:  # the ink, which must stay inside
                out.append(f"FIT-1 {line.right - line.left:.2f} > {measure:.2f} {where}")
    return out


def module_spans(layout_json: Path, issue: Issue, style: Style) -> dict[str, tuple[int, bool]]:
    """Each article's span (from ``<slug>.layout.json``) and whether it is boxed."""
    kinds = {a.id: a.kind for a in issue.articles}
    return {m["article"]: (m["span"], kinds.get(m["article"]) in style.boxed_kinds)
            for m in json.loads(layout_json.read_text(encoding="utf-8"))}
