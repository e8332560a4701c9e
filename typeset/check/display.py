"""Display rules (display-type.md), measured on a finished PDF: HEAD-1, HEAD-3, HEAD-6
and HEAD-7.

Display lines are told from body lines by their face: larger than the body and not Kai
(headline, kicker, deck, column label), or all in the bold Hei at body size (a subhead);
captions are the Kai lines smaller than the body. Inside module boxes only, when the PDF
has them (the masthead and running heads are not display type of an article).
Consecutive lines of one face in one module make a block.

HEAD-1 needs the phrase boundaries, and the PDF does not print a space at a break. The
check takes them from the source when it has one: the issue (``--issue``), else the
layout report beside the PDF (when it records the display texts), else the PDF's
bookmarks, which label every headline with its text as written (spaces kept).
A break is then allowed after a pause mark (，、：；！？。) or a closing quote or bracket,
or where the source has a space or a line break; never inside a quotation. Without a
source for a block, a break between letters or digits, or between a number and what
follows it, is still a violation; a break between Han characters is listed as not
judged rather than guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from typeset import cjk
from typeset.check.body import possible_ends
from typeset.check.pdf import Line, Module
from typeset.check.report import Report
from typeset.cjk import rules

PHRASE_END = frozenset("，、：；！？。") | rules.CLOSING
QUOTES = {"“": "”", "《": "》", "‘": "’", "〈": "〉", "「": "」"}
CREDIT = re.compile(r"(摄|提供|文/图|图/文)$")
#: A number, maybe with a multiplier (万, 亿) of its unit, ending where a line breaks.
NUMBER_END = re.compile(r"[0-9][0-9.,]*[万亿千百]?$")
SPACES = " \u3000\n"


@dataclass(frozen=True)
class Source:
    """A display text as written, with the boundaries its spaces and line breaks mark."""

    role: str  # headline, kicker, deck, column label, subhead, caption, credit
    text: str

    @property
    def boundaries(self) -> set[int]:
        """Offsets into the squeezed text where the source has a space or line break."""
        return {i for i, _ in self._marks()}

    @property
    def hand_breaks(self) -> set[int]:
        return {i for i, char in self._marks() if char == "\n"}

    def _marks(self) -> list[tuple[int, str]]:
        marks, offset = [], 0
        for char in cjk.visible(self.text):
            if char in SPACES:
                marks.append((offset, char))
            elif not char.isspace():
                offset += 1
        return marks


def squeeze(text: str) -> str:
    return "".join(c for c in cjk.visible(text) if not c.isspace())


def issue_sources(issue) -> dict[str, Source]:
    """The display texts of an issue (as the CJK stage prints them), by squeezed text."""
    found: dict[str, Source] = {}
    for article in cjk.apply(issue).articles:
        fields = [("column label", article.column_label), ("kicker", article.kicker),
                  ("headline", article.headline), ("deck", article.deck)]
        fields += [("subhead", block.text) for block in article.body if block.type == "subhead"]
        fields += [(role, getattr(figure, role)) for figure in article.figures
                   for role in ("caption", "credit")]
        found.update({squeeze(text): Source(role, text) for role, text in fields if text})
    return found


def layout_sources(pdf_path: Path) -> dict[str, Source]:
    """The display texts the layout report beside the PDF (``<slug>.layout.json``) holds
    for its modules, as ``"display": [[role, text], …]``, if it holds them."""
    path = pdf_path.with_name(pdf_path.stem + ".layout.json")
    try:
        modules = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {squeeze(text): Source(role, text) for module in modules
            if isinstance(module, dict) for role, text in module.get("display", [])}


def outline_sources(titles: list[str]) -> dict[str, Source]:
    return {squeeze(title): Source("headline", title) for title in titles}


def check_page(lines: list[Line], face: tuple[float, str], boxes: list[Module],
               sources: dict[str, Source], report: Report) -> None:
    """Find the page's display blocks and captions and check them."""
    blocks = _blocks(lines, face, boxes)
    for kind, block, index in blocks:
        if kind == "caption":
            report.captions += 1
            _check_caption(block, sources, report)
            continue
        source = sources.get("".join(line.text for line in block))
        if kind == "subhead" and not (source and source.role == "subhead") \
                and _runs_on(block, lines[index + 1:index + 2]):
            continue  # a dateline or run-in head longer than a line
        report.display_blocks += 1
        _check_breaks(block, source, report)
        _check_stubs(block, source, report)
        if kind == "subhead":
            report.subheads += 1
            _check_keep(block, lines[index + 1:], report)


def _kind(line: Line, face: tuple[float, str]) -> str | None:
    size, font = line.face
    if "Kai" in font:
        return "caption" if size < face[0] - 0.2 and not line.text.startswith("□") else None
    if size > face[0] + 0.5 and not line.text.startswith("□"):
        return "display"
    if abs(size - face[0]) < 0.05 and ("Sans" in font or "Hei" in font) \
            and all(g.font == font for g in line.glyphs):
        return "subhead"
    return None


def _blocks(lines: list[Line], face, boxes: list[Module]) -> list[tuple[str, list[Line], int]]:
    """(kind, lines, index of its last line) of every display block and caption."""
    blocks: list[tuple[str, list[Line], int]] = []
    previous = None  # (kind, face, module) of the line before
    for index, line in enumerate(lines):
        module = _module(line, boxes)
        kind = _kind(line, face) if module or not boxes else None
        key = (kind, line.face, module)
        if kind is None:
            previous = None
            continue
        step = blocks[-1][1][-1].glyphs[0].baseline - line.glyphs[0].baseline if blocks else 0
        if key == previous and 0 < step < 3.5 * line.em:
            blocks[-1][1].append(line)
            blocks[-1] = (kind, blocks[-1][1], index)
        else:
            blocks.append((kind, [line], index))
        previous = key
    return blocks


def _runs_on(block: list[Line], following: list[Line]) -> bool:
    """Whether the block opens a paragraph (a dateline or run-in head filling whole
    lines: it ends in a colon, or runs to the next line's end and that line opens in
    its face) rather than being a subhead, which is centred."""
    if block[-1].text.endswith("："):
        return True
    if not following:
        return False
    last, below = block[-1].glyphs[-1], following[0].glyphs
    return below[0].font == last.font and abs(last.left + last.size - below[-1].right) < 1


def _module(line: Line, boxes: list[Module]) -> Module | None:
    return next((m for m in boxes if m.holds_start(line)), None)


def _shown(block: list[Line]) -> str:
    return " / ".join(line.text for line in block)


def _check_breaks(block: list[Line], source: Source | None, report: Report) -> None:
    """HEAD-1 at every line break of the block."""
    text = "".join(line.text for line in block)
    allowed = source.boundaries if source else set()
    offset = 0
    for line in block[:-1]:
        offset += len(line.text)
        report.display_breaks += 1
        a, b = text[offset - 1], text[offset]
        inside = _open_quote(text[:offset])
        where = (block[0].page, _shown(block))
        if inside:
            report.add("HEAD-1", where, f"breaks inside {inside}…{QUOTES[inside]}")
        elif offset in allowed or a in PHRASE_END:
            continue
        elif _latin(a) and _latin(b):
            report.add("HEAD-1", where, f"breaks the word or number {a}|{b}")
        elif NUMBER_END.search(text[:offset]) or b in "%％":
            report.add("HEAD-1", where, f"breaks a number from its unit {a}|{b}")
        elif source is not None:
            report.add("HEAD-1", where, f"breaks a run {a}|{b} where the source has no space")
        else:
            report.unjudged_breaks.append(f"p{block[0].page}: {_shown(block)}")


def _open_quote(text: str) -> str | None:
    """The quotation or title mark still open at the end of ``text``."""
    stack = []
    for char in text:
        if char in QUOTES:
            stack.append(char)
        elif stack and char == QUOTES[stack[-1]]:
            stack.pop()
    return stack[-1] if stack else None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _weight(text: str) -> float:
    return sum(1 if rules.is_wide(c) else 0.5 for c in text)


def _check_stubs(block: list[Line], source: Source | None, report: Report) -> None:
    """HEAD-3 within each run of lines between the editor's own breaks (HEAD-5)."""
    hand = source.hand_breaks if source else set()
    runs, offset = [[]], 0
    for line in block:
        if offset in hand and runs[-1]:
            runs.append([])
        runs[-1].append(line)
        offset += len(line.text)
    for run in runs:
        if len(run) < 2:
            continue
        weights = [_weight(line.text) for line in run]
        if min(weights) * 3 < max(weights):
            report.add("HEAD-3", (run[0].page, _shown(run)),
                       f"shortest line {min(weights):g} of longest {max(weights):g}")


def _check_keep(block: list[Line], following: list[Line], report: Report) -> None:
    """HEAD-6: two lines under the subhead in its column, before the column ends."""
    left = min(line.glyphs[0].left for line in block)
    right = max(line.glyphs[-1].right for line in block)
    above, kept = block[-1], 0
    for line in following[:2]:
        step = above.glyphs[0].baseline - line.glyphs[0].baseline
        if not (0 < step < 3.5 * line.em and line.glyphs[0].left <= right
                and line.glyphs[-1].right >= left):
            break
        kept, above = kept + 1, line
    if kept < 2:
        report.add("HEAD-6", (block[0].page, _shown(block)),
                   "at the foot of a column" if kept == 0 else "one line after it in its column")


def _check_caption(block: list[Line], sources: dict[str, Source], report: Report) -> None:
    """HEAD-7: the credit on its own last line, set right and whole; the caption's own
    last line at least 4 characters."""
    text = "".join(line.text for line in block)
    credits = [key for key, source in sources.items()
               if source.role == "credit" and text.endswith(key)]
    credit = max(credits, key=len, default=None)
    if credit is None and CREDIT.search(block[-1].text) and len(block) > 1:
        credit = block[-1].text  # no source: the last line, if it reads as a credit
    caption = block
    if credit is not None:
        last = block[-1].text
        if last != credit:
            note = "credit split across lines" if len(credit) > len(last) \
                else "credit shares a line with the caption"
            report.add("HEAD-7", (block[0].page, _shown(block)), note)
            return
        caption = block[:-1]
        end = possible_ends(block[-1])[0]
        if len(caption) > 1 and not any(abs(end - edge) < 1 for line in caption
                                        for edge in possible_ends(line)):
            report.add("HEAD-7", (block[0].page, _shown(block)), "credit not set right")
    if len(caption) > 1:
        marks = rules.OPENING | rules.RIGHT_BLANK
        if sum(c not in marks for c in caption[-1].text) < 4:
            report.add("HEAD-7", (block[0].page, _shown(block)),
                       f"caption's last line {caption[-1].text}")
