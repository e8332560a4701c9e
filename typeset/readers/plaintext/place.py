"""Placement for an imported page: left to the layout engine, paged when it must be.

The articles go on one page in the order the text gave them (its order of importance),
without positions, and the real layout engine places them. When it finds a page's
articles do not fit together, that page's last article moves to the page after it, and
the engine tries again; every move is reported for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from typeset import readers
from typeset.build import prepare
from typeset.errors import TypesetError
from typeset.model import Issue
from typeset.readers.plaintext.notes import Note
from typeset.readers.plaintext.write import write_issue_yaml
from typeset.style import load_style


def place(issue: Issue, folder: Path, source_name: str) -> list[Note]:
    """Page the imported ``issue`` (written in ``folder``) so that the layout engine can
    place every page; rewrite issue.yaml accordingly; return what to review."""
    style = load_style()

    def failing_page(pages: list[list[str]]) -> int | None:
        write_issue_yaml(_with_pages(issue, pages), folder, source_name)
        try:
            prepare(readers.read(folder), style)
        except TypesetError as exc:
            found = re.match(r"pages\[(\d+)\]", exc.field or "")
            if "fit" not in exc.message or not found:
                raise
            return int(found.group(1))
        return None

    pages = paginate([a.id for a in issue.articles], failing_page)
    return _notes(_with_pages(issue, pages))


def paginate(ids: list[str], failing_page: Callable[[list[list[str]]], int | None]
             ) -> list[list[str]]:
    """All articles on one page; while a page is over-full, its last article moves on."""
    pages = [list(ids)]
    while (index := failing_page(pages)) is not None:
        if len(pages[index]) == 1:
            raise TypesetError("too long for a page even alone: split it or give it jump_to",
                               article=pages[index][0])
        if index + 1 == len(pages):
            pages.append([])
        pages[index + 1].insert(0, pages[index].pop())
    return pages


def _with_pages(issue: Issue, pages: list[list[str]]) -> Issue:
    first = issue.pages[0]
    data = issue.model_dump()
    data["pages"] = [{**first.model_dump(), "articles": [{"id": i} for i in ids],
                      "number": first.number + index, "credits": [] if index else first.credits}
                     for index, ids in enumerate(pages)]
    return Issue.model_validate(data)


def _notes(issue: Issue) -> list[Note]:
    notes = [Note(None, "left the placement to the layout engine",
                  "articles are listed in the text's order; pin or reorder them in issue.yaml")]
    for page in issue.pages[1:]:
        ids = ", ".join(p.id for p in page.articles)
        notes.append(Note(None, f"moved {ids} to page {page.number} (same section, no credits)",
                          f"not enough room on page {issue.pages[0].number}"))
    return notes
