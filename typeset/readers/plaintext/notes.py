"""Review notes: what the importer decided where it could not be sure.

An import is a guess at structure the text no longer shows, so every judgement call is
reported with the source line it concerns, for the editor to check before the page goes
to print.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

#: The notes as the import leaves them in the issue folder, for the proof room
#: (``typeset serve``) to show beside each article.
FILE = "review.json"


@dataclass(frozen=True)
class Note:
    """One decision: where (source line; None for the issue as a whole), what, and why;
    the article whose part of the text the line is in, when there is one."""

    line: int | None
    decision: str
    why: str
    article: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "issue"
        return f"{where}: {self.decision} — {self.why}"


def report(notes: list[Note]) -> str:
    """The notes in source order, one per line (issue-wide notes first)."""
    ordered = sorted(notes, key=lambda note: note.line or 0)
    return "\n".join(str(note) for note in ordered)


def to_json(notes: list[Note]) -> str:
    """The notes in source order as JSON: [{"line", "decision", "why", "article"}]."""
    ordered = sorted(notes, key=lambda note: note.line or 0)
    return json.dumps([asdict(note) for note in ordered], ensure_ascii=False, indent=1) + "\n"
