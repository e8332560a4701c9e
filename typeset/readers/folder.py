"""Issue folder reader: issue.yaml plus one Markdown file per article.

Article files live in ``articles/``; the file name (without ``.md``) is the article id,
and YAML front matter between ``---`` lines carries the non-body fields.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml
from pydantic import ValidationError

from typeset.errors import TypesetError
from typeset.model import Article, Issue
from typeset.readers import Source, raise_validation
from typeset.readers.markdown import parse_body


def read_folder(folder: Path) -> Source:
    """Read and validate the issue in ``folder``."""
    folder = folder.resolve()
    issue_file = folder / "issue.yaml"
    if not issue_file.is_file():
        raise TypesetError("no issue.yaml in the issue folder", file=folder)
    meta = load_yaml(issue_file.read_text(encoding="utf-8"), issue_file)
    if not isinstance(meta, dict):
        raise TypesetError("expected a mapping of issue fields", file=issue_file)
    if "articles" in meta:
        raise TypesetError("unknown field (articles are files in articles/)",
                           file=issue_file, field="articles")

    articles = [read_article(path, folder)
                for path in sorted((folder / "articles").glob("*.md"))]
    try:
        issue = Issue.model_validate({**meta, "articles": articles},
                                     context={"root": folder})
    except ValidationError as exc:
        raise_validation(exc, file=issue_file)
    return Source(issue, folder)


def read_article(path: Path, root: Path) -> Article:
    """Read one article file: front matter fields plus the Markdown body."""
    text = path.read_text(encoding="utf-8")
    front, body, body_line = split_front_matter(text, path)
    article_id = path.stem
    if "id" in front and front["id"] != article_id:
        raise TypesetError(f"id '{front['id']}' differs from the file name",
                           file=path, article=article_id, field="id")
    if "body" in front:
        raise TypesetError("unknown field (the body is the Markdown after the front matter)",
                           file=path, article=article_id, field="body")
    try:
        blocks, figures = parse_body(body, line_offset=body_line)
    except TypesetError as exc:
        raise TypesetError(exc.message, file=path, article=article_id, field=exc.field) from None
    data = {**front, "id": article_id, "body": blocks}
    if figures:
        data["figures"] = list(front.get("figures") or []) + figures
    try:
        return Article.model_validate(data, context={"root": root})
    except ValidationError as exc:
        raise_validation(exc, file=path, article=article_id)


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise TypesetError("an article file starts with YAML front matter between --- lines",
                           file=path)
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
    else:
        raise TypesetError("front matter is not closed by a --- line", file=path)
    front = load_yaml("".join(lines[1:end]), path, line_offset=1)
    if not isinstance(front, dict):
        raise TypesetError("front matter must be a mapping of fields", file=path)
    return front, "".join(lines[end + 1:]), end + 1


def load_yaml(text: str, path: Path, line_offset: int = 0):
    """Parse YAML, reporting a syntax error with its line."""
    try:
        return copy.deepcopy(_parsed(text))  # (a copy: callers may change it)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1 + line_offset}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TypesetError(f"{where}broken YAML: {problem}", file=path) from None


@functools.lru_cache(maxsize=1024)
def _parsed(text: str):
    """YAML ``text`` parsed, remembered: ``typeset build --watch`` reads every article's
    front matter again on each save, and parsing it was half of reading an issue."""
    # libyaml's loader when PyYAML has it: ten times faster on 200 articles
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
