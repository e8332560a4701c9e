"""Body rules (cjk-rules.md), measured on the lines of body text of a finished PDF.

Justified lines flush with their column (JUS-1), Han characters on the em grid and lines
on the line grid (GRID-1), kinsoku (KIN-1/2), ——/…… kept whole (UNIT-1), punctuation
pairs compressed (PA-1), one-character last lines (ORP-1). Measured on the glyphs as
drawn (the ``/ActualText`` of loose lines taken out, see :mod:`typeset.check.pdf`).

Body lines are the lines set in the most common font and size. A paragraph's lines
follow each other in content order; a line indented by about 2 em starts a paragraph,
and anything that is not a body line in between (subheads, captions, headlines) ends
one. A line is flush when its last advance ends on the column edge; a line stretched
to get there must first have set its last mark half-width (JUS-1: squeeze, then
stretch), or its ink stops half an em short of the edge.
"""

from __future__ import annotations

import itertools
from collections import Counter

from typeset.check.pdf import Glyph, Line
from typeset.check.report import Report
from typeset.cjk import rules

TOLERANCE = 0.05  # pt: how far a flush line may miss the column edge
KIN_NOT_START = frozenset("、，；：。！？”’）》〉」』】〕–—～·")
KIN_NOT_END = frozenset("“‘（《〈「『【〔")


def spaced(line: Line) -> list[Glyph]:
    """The glyphs of ``line`` an extractor reads a space before, between wide ones."""
    return [b for a, b in zip(line.glyphs, line.glyphs[1:])
            if b.space_before and (rules.is_wide(a.char) or rules.is_wide(b.char))]


def body_lines(all_lines: list[Line], face: tuple[float, str]) -> list[Line | None]:
    """The body lines, None for any other (it separates paragraphs)."""
    size, font = face
    return [line if all(abs(round(g.size, 1) - size) < 0.05 for g in line.glyphs)
            and sum(g.font == font for g in line.glyphs) * 2 > len(line.glyphs) else None
            for line in all_lines]


def check_page(all_lines: list[Line], face: tuple[float, str],
                report: Report) -> list[Line]:
    """Check the body lines: set in the body size, and mostly in the body font (a run-in
    head or dateline may open them in another); return them."""
    body = body_lines(all_lines, face)
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


def check_baselines(lines: list[Line], report: Report) -> None:
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
        or abs(possible_ends(line)[0] - _column_right(run)) < 0.1


def _column_left(run: list[Line]) -> float:
    """The most common start: an opening mark set half-width starts half an em out."""
    starts = Counter(round(line.glyphs[0].left, 2) for line in run
                     if line.glyphs[0].char not in rules.OPENING)
    return starts.most_common(1)[0][0] if starts else min(l.glyphs[0].left for l in run)


def _column_right(run: list[Line]) -> float:
    ends = Counter(round(end, 2) for line in run for end in possible_ends(line))
    return ends.most_common(1)[0][0]


def possible_ends(line: Line) -> list[float]:
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
    report.gaps += [f"p{line.page}: {text} (before {b.char})" for b in spaced(line)]
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
        if not any(abs(end - line.column_right) <= TOLERANCE for end in possible_ends(line)):
            report.add("JUS-1", line, f"ends {glyphs[-1].right - line.column_right:+.2f} pt")
        elif _stretched_before_squeezed(line):
            report.add("JUS-1", line, f"stretched, its {glyphs[-1].char} set full-width: "
                       f"the ink stops {em / 2:.2f} pt short")
        else:
            report.flush += 1
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


def _stretched_before_squeezed(line: Line) -> bool:
    """Whether the line was stretched between its Han characters while its last mark
    kept its blank half: squeezing that mark first would have ended it on the edge."""
    glyphs, last = line.glyphs, line.glyphs[-1]
    if last.char not in rules.RIGHT_BLANK or abs(last.left + last.size - line.column_right) \
            > TOLERANCE:
        return False
    return any(rules.is_han(a.char) and rules.is_wide(b.char)
               and b.left - a.left > a.size + TOLERANCE
               for a, b in zip(glyphs, glyphs[1:]))
