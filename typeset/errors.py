"""One error type for everything a user can get wrong.

A layout desk needs to know *where* to look: every error names the file, the article
and the field it is about (and the line, when the file has one to point at), so the CLI
can print one line and exit non-zero. The words around them come from
:mod:`typeset.messages`, in the user's language.
"""

from __future__ import annotations

from pathlib import Path

from typeset.messages import msg


class TypesetError(Exception):
    """A problem with the input or the build, located as precisely as we can."""

    def __init__(self, message: str, *, file: Path | str | None = None,
                 article: str | None = None, field: str | None = None,
                 line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.article = article
        self.field = field
        self.line = line

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(_shown(self.file))
        if self.article:
            where.append(msg("where.article", id=self.article))
        if self.field:
            where.append(self.field)
        if self.line:
            where.append(msg("where.line", line=self.line))
        return ": ".join(where + [self.message])


def _shown(file: str) -> str:
    """A path as the user typed it: relative to the working directory when inside it."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return file
