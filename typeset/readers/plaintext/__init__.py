"""Plain-text import: a newspaper page's text → an issue folder that builds at once.

Much copy arrives as plain text — pasted from a wire, taken from the archive, extracted
from an old PDF page. The steps, one module each:

- :mod:`.lines` — number and classify the lines, rejoin split paragraphs, drop repeats;
- :mod:`.articles` — group lines into page credits and articles (bylines, datelines,
  subheads, run-in heads, captions, sources), with :mod:`.headlines` for headline stacks;
- :mod:`.write` — write issue.yaml, articles/*.md and placeholder images;
- :mod:`.place` — place the articles on the page and check that they fit.

What the text cannot say (paper, date, issue number …) comes from options; defaults are
reported as "to fill in", next to every other judgement the import made (:mod:`.notes`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from typeset.errors import TypesetError
from typeset.model import Issue
from typeset.readers import raise_validation
from typeset.readers.plaintext.articles import group
from typeset.readers.plaintext.lines import read_lines
from typeset.readers.plaintext.notes import FILE, Note, to_json
from typeset.readers.text import BOM, check_controls


@dataclass(frozen=True)
class Options:
    """Issue metadata the page text does not carry; None means "not given"."""

    paper: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    number: int | None = None
    section: str | None = None
    page: int | None = None
    slug: str | None = None


#: Placeholders for metadata not given: visible on the page, so they are not forgotten.
DEFAULTS = {"paper": "报名待填", "publisher": "主办单位待填", "section": "版名待填",
            "number": 1, "page": 1}


def import_page(source: Path, target: Path, options: Options) -> list[Note]:
    """Import the page text in ``source`` into the new issue folder ``target``.

    The folder is written beside the target under a temporary name and renamed into place
    once it is complete and placed, so a failed import leaves nothing behind.
    """
    from typeset.readers.plaintext.place import place
    from typeset.readers.plaintext.write import write_folder

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TypesetError("already exists and is not empty; import into a new folder",
                           file=target)
    issue, notes = parse(read_text(source), options, source)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        write_folder(issue, temporary / "issue", source.name)
        notes += place(issue, temporary / "issue", source.name)
        (temporary / "issue" / FILE).write_text(to_json(notes), encoding="utf-8")
        if target.exists():
            target.rmdir()
        os.replace(temporary / "issue", target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return notes


def read_text(source: Path) -> str:
    """The page text: UTF-8, or GB18030 (which covers GBK and GB2312) from older tools,
    without a byte-order mark. A form feed (a page break in text extracted from a PDF)
    is a line break; any other control character is refused with its line
    (:mod:`typeset.readers.text`)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TypesetError(f"cannot read: {exc.strerror}", file=source) from None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding).removeprefix(BOM).replace("\f", "\n")
        except UnicodeDecodeError:
            continue
        check_controls(text, source)
        return text
    raise TypesetError("not text in UTF-8 or GB18030", file=source)


def parse(text: str, options: Options, source: Path) -> tuple[Issue, list[Note]]:
    """The validated issue for one page of text, and the notes on what was guessed."""
    lines, notes = read_lines(text)
    credits, articles, more = group(lines)
    if not articles:
        raise TypesetError("no article found in the text", file=source)
    meta, defaults = metadata(options, source)
    page = {"number": meta.pop("page"), "section": meta.pop("section"), "credits": credits,
            "articles": [{"id": a["id"], "column": 1, "span": 1} for a in articles]}
    if not credits:
        notes.append(Note(None, "no page credits", "to fill in: no line like □编辑/X found"))
    try:
        issue = Issue.model_validate({**meta, "pages": [page], "articles": articles})
    except ValidationError as exc:
        raise_validation(exc, file=source, article_ids=[a["id"] for a in articles])
    return issue, defaults + notes + more


def metadata(options: Options, source: Path) -> tuple[dict, list[Note]]:
    """Issue fields from the options, with placeholders (reported) for the missing ones."""
    given = {name: value for name, value in vars(options).items() if value is not None}
    defaults = {**DEFAULTS, "date": dt.date.today(), "slug": _slug(source)}
    notes = [Note(None, f"{name}: {value}", f"to fill in: give --{name} or edit issue.yaml")
             for name, value in defaults.items() if name not in given]
    return {**defaults, **given}, notes


def _slug(source: Path) -> str:
    """Output name from the text file's name, in the ASCII an identifier allows."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", source.stem).strip("-_")
    return slug or "imported-page"
