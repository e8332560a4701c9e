"""Readers: input files → a validated :class:`typeset.model.Issue`.

``read(path)`` takes an issue folder (issue.yaml + articles/*.md) or one JSON file and
returns the issue together with the folder its relative paths resolve against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from typeset.errors import TypesetError
from typeset.messages import msg
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
    raise TypesetError(msg("text.not_issue"), file=path)


def field_path(loc: tuple) -> str:
    """A pydantic location such as ('figures', 0, 'image') as figures[0].image (the
    error shows it in the editor's words: :func:`typeset.errors.shown_field`)."""
    out = ""
    for part in loc:
        if isinstance(part, int) and out:
            out += f"[{part}]"
        elif part in ("paragraph", "subhead", "quote"):
            continue  # discriminated-union tags add noise, not location
        else:
            out += f".{part}" if out else str(part)
    return out


#: pydantic's error types → the catalogue's messages (typeset.messages), which say what
#: the field must be in the editor's words, not pydantic's.
_MESSAGES = {
    "missing": "model.missing", "extra_forbidden": "model.unknown",
    "string_too_short": "model.empty_text", "too_short": "model.too_short",
    "too_long": "model.too_long", "int_parsing": "model.integer", "int_type": "model.integer",
    "int_from_float": "model.integer", "greater_than_equal": "model.at_least",
    "less_than_equal": "model.at_most", "literal_error": "model.one_of",
    "date_parsing": "model.date", "date_type": "model.date",
    "date_from_datetime_parsing": "model.date", "date_from_datetime_inexact": "model.date",
    "bool_parsing": "model.bool", "bool_type": "model.bool", "string_type": "model.text",
    "list_type": "model.list", "model_type": "model.mapping", "dict_type": "model.mapping",
    "model_attributes_type": "model.mapping", "string_pattern_mismatch": "model.identifier",
    "union_tag_invalid": "model.block_type", "union_tag_not_found": "model.block_type",
}


def describe(error: dict) -> str:
    """One plain sentence for one pydantic error, in the user's language."""
    if error["type"] in ("value_error", "assertion_error"):
        return str(error["ctx"]["error"]) if "error" in (error.get("ctx") or {}) \
            else msg("model.invalid", input=_shown(error.get("input")))
    context = {name: _shown(value) if name == "input" else value
               for name, value in {**(error.get("ctx") or {}),
                                   "input": error.get("input")}.items()}
    context.setdefault("min", context.get("min_length"))
    context.setdefault("max", context.get("max_length"))
    return msg(_MESSAGES.get(error["type"], "model.invalid"), **context)


def _shown(value) -> str:
    """A value as the editor wrote it, cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def raise_validation(exc: ValidationError, *, file: Path, article: str | None = None,
                     article_ids: list[str] | None = None,
                     lines: dict[tuple, int] | None = None) -> None:
    """Turn the first pydantic error into a TypesetError naming file, article, field.

    ``article_ids`` maps an ``articles[i]`` prefix of the location to the article's id
    (for whole-issue JSON input); ``lines`` maps a location's first two parts (such as
    ``("body", 2)``) to the line of the file it came from (for Markdown bodies).
    """
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    if article is None and article_ids and len(loc) >= 2 and loc[0] == "articles" \
            and isinstance(loc[1], int) and loc[1] < len(article_ids):
        article = article_ids[loc[1]]
        loc = loc[2:]
    line = (lines or {}).get(loc[:2])
    raise TypesetError(describe(error), file=file, article=article, line=line,
                       field=(loc[0] if line else field_path(loc)) or None) from None
