"""Review notes: what the importer decided where it could not be sure.

An import is a guess at structure the text no longer shows, so every judgement call is
reported with the source line it concerns, for the editor to check before the page goes
to print.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """One decision: where (source line; None for the issue as a whole), what, and why."""

    line: int | None
    decision: str
    why: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "issue"
        return f"{where}: {self.decision} — {self.why}"


def report(notes: list[Note]) -> str:
    """The notes in source order, one per line (issue-wide notes first)."""
    ordered = sorted(notes, key=lambda note: note.line or 0)
    return "\n".join(str(note) for note in ordered)
