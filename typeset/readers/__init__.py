"""Readers: input files → a validated :class:`typeset.model.Issue`.

``read(path)`` takes an issue folder (issue.yaml + articles/*.md) or one JSON file and
returns the issue together with the folder its relative paths resolve against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from typeset.errors import TypesetError
from typeset.model import Issue


@dataclass(frozen=True)
class Source:
    """A validated issue and the folder its images live in."""

    issue: Issue
    root: Path


def read(path: Path | str) -> Source:
    """Read an issue folder, its issue.yaml, or a single JSON file."""
    path = Path(path)
    if path.is_dir():
        from typeset.readers.folder import read_folder
        return read_folder(path)
    if path.name in ("issue.yaml", "issue.yml"):
        from typeset.readers.folder import read_folder
        return read_folder(path.parent)
    if path.suffix == ".json" and path.is_file():
        from typeset.readers.jsonfile import read_json
        return read_json(path)
    raise TypesetError("not an issue folder, issue.yaml or .json file", file=path)


def field_path(loc: tuple) -> str:
    """Render a pydantic location such as ('figures', 0, 'image') as figures[0].image."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("paragraph", "subhead", "quote"):
            continue  # discriminated-union tags add noise, not location
        else:
            out += f".{part}" if out else str(part)
    return out


def describe(error: dict) -> str:
    """One plain sentence for one pydantic error."""
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def raise_validation(exc: ValidationError, *, file: Path, article: str | None = None,
                     article_ids: list[str] | None = None) -> None:
    """Turn the first pydantic error into a TypesetError naming file, article, field.

    ``article_ids`` maps an ``articles[i]`` prefix of the location to the article's id
    (for whole-issue JSON input).
    """
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    if article is None and article_ids and len(loc) >= 2 and loc[0] == "articles" \
            and isinstance(loc[1], int) and loc[1] < len(article_ids):
        article = article_ids[loc[1]]
        loc = loc[2:]
    raise TypesetError(describe(error), file=file, article=article,
                       field=field_path(loc) or None) from None
