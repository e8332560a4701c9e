"""Whole-issue JSON reader and writer: the model as one file (for tools and archives)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from typeset.errors import TypesetError
from typeset.messages import msg
from typeset.model import Issue
from typeset.readers import Source, raise_validation
from typeset.readers.text import read_text


def read_json(path: Path) -> Source:
    """Read an issue from one JSON file; image paths resolve against its folder."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise TypesetError(msg("text.broken_json", problem=exc.msg), file=path,
                           line=exc.lineno) from None
    if not isinstance(data, dict):
        raise TypesetError(msg("text.json_object"), file=path)
    articles = data.get("articles") if isinstance(data.get("articles"), list) else []
    ids = [str(a.get("id", f"#{i + 1}")) if isinstance(a, dict) else f"#{i + 1}"
           for i, a in enumerate(articles)]
    root = path.resolve().parent
    try:
        issue = Issue.model_validate(data, context={"root": root})
    except ValidationError as exc:
        raise_validation(exc, file=path, article_ids=ids)
    return Source(issue, root)


def dump_json(issue: Issue) -> str:
    """The issue as indented JSON that :func:`read_json` reads back to an equal model."""
    return issue.model_dump_json(indent=2) + "\n"
