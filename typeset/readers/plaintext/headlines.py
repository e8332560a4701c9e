"""A headline stack (标题组) → column label, kicker, headline lines, deck and byline.

Plain text keeps the lines of a stack but not their sizes, which is what tells a kicker
(引题, small, above) from a headline (主题, large, maybe broken over lines) from a deck
(副题, below). What is left to go by: line lengths, inner spaces, dashes and the label
vocabulary. Every stack of more than one line is reported, since this is a guess.
"""

from __future__ import annotations

from typeset.readers.plaintext import patterns
from typeset.readers.plaintext.lines import Line
from typeset.readers.plaintext.notes import Note

#: Shorter over longer line of a two-line headline; less balanced: kicker over headline.
BALANCE = 0.6
#: The stack's fields as the report names them.
STACK_NAMES = {"column_label": "column label 栏目", "kicker": "kicker 引题",
               "headline": "headline 主题", "deck": "deck 副题"}


def headline_stack(lines: list[Line]) -> tuple[dict, list[dict], list[Note]]:
    """Split a headline stack into column label, kicker, headline lines and deck.

    Kicker (引题) over headline (主题) or one headline broken over two lines? Lines the
    editor broke are balanced and read on; a kicker is a phrase of its own — shorter, or two
    phrases set apart by a space. A deck (副题) below starts with a dash, or is the third line
    when the two above it do not balance. A bare name at the foot is the byline.
    """
    texts = [line.text for line in lines]
    stack: dict = {}
    bylines: list[dict] = []
    notes: list[Note] = []
    if len(texts) > 1 and patterns.is_bare_name(texts[-1]):
        bylines = [{"role": "", "names": [texts.pop()]}]
        notes.append(Note(lines[len(texts)].number, f"took “{bylines[0]['names'][0]}” for the "
                          "byline", "a name alone under a headline, without role or bullet"))
    if len(texts) > 1 and (label := patterns.column_label(texts[0])):
        stack["column_label"] = label
        texts.pop(0)
    if len(texts) > 1 and texts[-1].startswith(("—", "－", "--")):
        stack["deck"] = texts.pop()
    if len(texts) > 1 and (len(texts) > 2 or not _one_headline(texts[0], texts[1])):
        stack["kicker"] = texts.pop(0)
    if len(texts) == 2 and "deck" not in stack and not _one_headline(*texts):
        stack["deck"] = texts.pop()
    if len(texts) > 2 and "deck" not in stack:
        stack["deck"] = texts.pop()
    stack["headline"] = "\n".join(texts)
    if len(lines) > 1:
        shown = "; ".join(f"{label} “{stack[name]}”".replace("\n", " / ")
                          for name, label in STACK_NAMES.items() if name in stack)
        notes.append(Note(lines[0].number, f"read the headline stack as {shown}",
                          "kicker, deck and headline lines are told apart by length, "
                          "spaces and dashes only"))
    return stack, bylines, notes


def _one_headline(first: str, second: str) -> bool:
    """Two balanced lines without inner spaces: one headline the editor broke in two."""
    if " " in first or " " in second:
        return False
    return min(len(first), len(second)) / max(len(first), len(second)) >= BALANCE
