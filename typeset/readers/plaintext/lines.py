"""Source text → numbered, classified lines, with extraction damage repaired.

Each non-blank line of the source is one paragraph-sized unit (text from a PDF page or a
wire keeps one paragraph per line). It is classified by its form alone (see
:mod:`.patterns`); the repairs below need that form, and grouping into articles
(:mod:`.articles`) needs the repaired lines.

Repairs, each reported because each is a guess:

- a paragraph broken where a column or page broke (“…的若干措” / blank line / “施》…”) is
  rejoined when the first part cannot end a paragraph (no end punctuation and a long line,
  an unclosed 《 or “, a trailing 的 or 等) and the second part continues it (body text, or
  it starts with a mark no sentence starts with, or closes a mark it never opened);
- a paragraph that occurs twice word for word is kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typeset.readers.plaintext import patterns
from typeset.readers.plaintext.notes import Note

#: Shorter paragraphs may repeat legitimately (a quoted slogan); longer ones are duplicates.
REPEAT_MIN = 20
#: A short line this long with a comma in it is clauses of a sentence, not a headline.
CLAUSES_MIN = 20


@dataclass
class Line:
    """One source line: its number (for the report), text, form, and what precedes it."""

    number: int
    text: str
    kind: str  # credits | byline | photo_credit | source | heading | text
    after_blank: bool
    last: int = 0  # last source line, when split paragraphs were rejoined

    def __post_init__(self):
        self.last = self.last or self.number


def read_lines(text: str) -> tuple[list[Line], list[Note]]:
    """The classified lines of ``text`` and the notes on what was repaired."""
    lines = _numbered(text)
    lines, joined = _rejoin_splits(lines)
    lines, dropped = _drop_repeats(lines)
    _confirm_photo_credits(lines)
    return lines, joined + dropped


def classify(text: str, *, credit_allowed: bool = True) -> str:
    """The form of one line of text."""
    if patterns.source(text):
        return "source"
    if patterns.page_credits(text):
        return "credits"
    if credit_allowed and patterns.photo_credit(text):
        return "photo_credit"
    if patterns.bylines(text):
        return "byline"
    return "heading" if patterns.is_heading(text) else "text"


def _numbered(text: str) -> list[Line]:
    """Non-blank lines with their numbers; white space runs become one space."""
    lines, blank = [], False
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            blank = True
            continue
        lines.append(Line(number, line, classify(line), blank))
        blank = False
    return lines


def _rejoin_splits(lines: list[Line]) -> tuple[list[Line], list[Note]]:
    out: list[Line] = []
    notes = []
    for line in lines:
        previous = out[-1] if out else None
        if previous and _continues(previous, line):
            if line.after_blank:
                notes.append(Note(previous.last, f"rejoined “…{previous.text[-6:]}” with line "
                                  f"{line.number} “{line.text[:6]}…” into one paragraph",
                                  "a paragraph looked broken at a column or page break"))
            previous.text += line.text
            previous.kind = classify(previous.text)
            previous.last = line.number
        else:
            out.append(line)
    return out, notes


def _continues(first: Line, second: Line) -> bool:
    """Whether ``second`` is the rest of a paragraph ``first`` broke off."""
    if first.kind not in ("text", "heading") or second.kind not in ("text", "heading") \
            or patterns.ends_sentence(first.text):
        return False
    text = first.text
    unfinished = (first.kind == "text" or patterns.unmatched_open(text)
                  or text[-1] in patterns.NO_END
                  or ("，" in text and len(text) >= CLAUSES_MIN))
    carries_on = second.text[0] in patterns.NO_START or patterns.unmatched_close(second.text)
    return (unfinished or carries_on) and (second.kind == "text" or carries_on)


def _drop_repeats(lines: list[Line]) -> tuple[list[Line], list[Note]]:
    seen: dict[str, int] = {}
    out, notes = [], []
    for line in lines:
        key = line.text.replace(" ", "")
        if line.kind == "text" and len(key) >= REPEAT_MIN:
            if key in seen:
                notes.append(Note(line.number, f"dropped a paragraph that repeats line "
                                  f"{seen[key]} word for word (“{line.text[:12]}…”)",
                                  "an extraction or editing duplicate; check that nothing "
                                  "was meant to differ"))
                continue
            seen[key] = line.number
        out.append(line)
    return out, notes


def _confirm_photo_credits(lines: list[Line]) -> None:
    """A photo credit is one only after a caption (a finished sentence); else reclassify.

    "航拍摄" alone is a heading, not the credit of a photo that is not there.
    """
    for index, line in enumerate(lines):
        if line.kind != "photo_credit":
            continue
        before = lines[index - 1] if index else None
        if not (before and before.kind == "text" and patterns.ends_sentence(before.text)):
            line.kind = classify(line.text, credit_allowed=False)
