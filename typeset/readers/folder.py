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
from typeset.messages import msg
from typeset.model import Article, Issue
from typeset.readers import Source, raise_validation
from typeset.readers.markdown import parse_body, source_lines
from typeset.readers.text import read_text


def read_folder(folder: Path) -> Source:
    """Read and validate the issue in ``folder``."""
    folder = folder.resolve()
    issue_file = folder / "issue.yaml"
    if not issue_file.is_file():
        raise TypesetError(msg("text.no_issue_yaml"), file=folder)
    meta = load_yaml(read_text(issue_file), issue_file)
    if not isinstance(meta, dict):
        raise TypesetError(msg("text.issue_mapping"), file=issue_file)
    if "articles" in meta:
        raise TypesetError(msg("text.articles_in_yaml"), file=issue_file, field="articles")

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
    text = read_text(path)
    front, body, body_line = split_front_matter(text, path)
    article_id = path.stem
    if "id" in front and front["id"] != article_id:
        raise TypesetError(msg("text.id_differs", id=front["id"]), file=path,
                           article=article_id, field="id")
    if "body" in front:
        raise TypesetError(msg("text.body_in_front"), file=path, article=article_id, field="body")
    try:
        blocks, figures = parse_body(body, line_offset=body_line)
    except TypesetError as exc:
        raise TypesetError(exc.message, file=path, article=article_id, field=exc.field,
                           line=exc.line) from None
    data = {**front, "id": article_id, "body": blocks}
    front_figures = list(front.get("figures") or []) if isinstance(front.get("figures"),
                                                                   list) else []
    if figures:
        data["figures"] = front_figures + figures
    try:
        return Article.model_validate(data, context={"root": root})
    except ValidationError as exc:
        block_lines, figure_lines = source_lines(body, line_offset=body_line)
        lines = {("body", i): line for i, line in enumerate(block_lines)}
        lines |= {("figures", len(front_figures) + i): line
                  for i, line in enumerate(figure_lines)}
        raise_validation(exc, file=path, article=article_id, lines=lines)


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise TypesetError(msg("text.no_front_matter"), file=path)
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
    else:
        raise TypesetError(msg("text.front_not_closed"), file=path)
    front = load_yaml("".join(lines[1:end]), path, line_offset=1)
    if not isinstance(front, dict):
        raise TypesetError(msg("text.front_mapping"), file=path)
    return front, "".join(lines[end + 1:]), end + 1


def load_yaml(text: str, path: Path, line_offset: int = 0):
    """Parse YAML, reporting a syntax error with its line."""
    try:
        return copy.deepcopy(_parsed(text))  # (a copy: callers may change it)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise TypesetError(msg("text.broken_yaml", problem=problem), file=path,
                           line=mark.line + 1 + line_offset if mark else None) from None


@functools.lru_cache(maxsize=1024)
def _parsed(text: str):
    """YAML ``text`` parsed, remembered: ``typeset build --watch`` reads every article's
    front matter again on each save, and parsing it was half of reading an issue."""
    # libyaml's loader when PyYAML has it: ten times faster on 200 articles
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
