"""One error type for everything a user can get wrong.

A layout desk needs to know *where* to look: every error names the file, the article
and the field it is about (and the line, when the file has one to point at), so the CLI
can print one line and exit non-zero. The words around them come from
:mod:`typeset.messages`, in the user's language.
"""

from __future__ import annotations

import re
from pathlib import Path

from typeset.messages import msg

#: The typesetter's own names for pieces of an article (a jump's continued part, the
#: measuring sheet's spans and flows): ``<article id>--<piece>``.
_PIECE = re.compile(r"^(.+?)--(cont|flow(?:-inline)?|\d+)$")
#: One step of a field path: ``name`` or ``[index]``.
_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


class TypesetError(Exception):
    """A problem with the input or the build, located as precisely as we can."""

    def __init__(self, message: str, *, file: Path | str | None = None,
                 article: str | None = None, field: str | None = None,
                 line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        piece = _PIECE.match(article or "")
        self.article = piece.group(1) if piece else article
        self.continued = bool(piece) and piece.group(2) == "cont"
        self.field = field
        self.line = line

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(_shown(self.file))
        if self.article:
            where.append(msg("where.article_continued" if self.continued else "where.article",
                             id=self.article))
        if self.field:
            where.append(shown_field(self.field))
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


def shown_field(field: str) -> str:
    """A field path as the editor finds it: ``pages[3].section`` → "pages #4 › section",
    ``body[2].spans[0]`` → "body, block 3" (a Markdown body has no field names inside).
    Anything that is not such a path is shown as it is."""
    steps = [(name, int(index) if index else None) for name, index in _STEP.findall(field)]
    if not steps or "".join(m.group(0) for m in _STEP.finditer(field)) != field:
        return field
    if steps[0][0] == "body" and len(steps) > 1 and steps[1][1] is not None:
        key = "where.block_run_in" if ("run_in", None) in steps else "where.body_block"
        return msg(key, number=steps[1][1] + 1)
    parts: list[str] = []
    for name, index in steps:
        if index is None:
            parts.append(name)
        else:  # a list entry, counted from 1 (a key that is a number, alone)
            number = msg("where.entry", name=parts[-1] if parts else "", number=index + 1)
            parts[-1:] = [number.strip()]
    return " › ".join(parts)
