"""Placement for an imported page: a simple heuristic, checked by the real layout.

Stand-in until the layout engine exists (it will replace this module). The page is split
the way many broadsheet pages are: a wide stack of modules on the left and a narrow one on
the right (five and three of eight columns). Long kinds (feature, news) go to the wide
stack, short ones (brief, commentary, photo) to the narrow one, each to the other stack when
its own is full, full width as a last resort, and to a following page when nothing on this
page has room. Heights come from the real renderer, so the guess is exact; the real layout
then checks it, and an article it still refuses moves to the next page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typeset import cjk, readers
from typeset.build import measurer, prepare
from typeset.errors import TypesetError
from typeset.layout import whole_lines
from typeset.model import Article, Issue
from typeset.readers.plaintext.notes import Note
from typeset.readers.plaintext.write import write_issue_yaml
from typeset.style import Grid, load_style

#: Kinds that read best wide; the others prefer the narrow stack.
WIDE_KINDS = ("feature", "news")


def place(issue: Issue, folder: Path, source_name: str) -> list[Note]:
    """Place every article of the imported ``issue`` (written in ``folder``); rewrite
    issue.yaml with the placement, pages added as needed; return what to review."""
    style = load_style()
    grid = style.grid
    source = readers.read(folder)
    prepared = cjk.apply(source.issue)
    articles = [prepared.article(a.id) for a in issue.articles]  # reading order, not file names
    measure = measurer(prepared, source.root, style)
    narrow = max(1, round(grid.columns * 3 / 8))
    slots = {"wide": (1, grid.columns - narrow), "narrow": (grid.columns - narrow + 1, narrow),
             "full": (1, grid.columns)}
    known = measure([(a, slots[name][1]) for a in articles for name in ("wide", "narrow")])

    def height(article: Article, span: int) -> float:
        if (article.id, span) not in known:  # full width: only for what fits no stack
            known.update(measure([(article, span)]))
        return known[(article.id, span)]

    new_page_at: set[str] = set()
    for _ in articles:
        placed = _with_pages(issue, arrange(articles, slots, height, grid, new_page_at))
        write_issue_yaml(placed, folder, source_name)
        try:
            prepare(readers.read(folder), style)
        except TypesetError as exc:
            if "does not fit" not in exc.message or exc.article in new_page_at:
                raise
            new_page_at.add(exc.article)
            continue
        return _notes(placed)
    raise TypesetError("could not place the articles", file=folder / "issue.yaml")


def arrange(articles: list[Article], slots: dict[str, tuple[int, int]],
            height: Callable[[Article, int], float], grid: Grid,
            new_page_at: set[str]) -> list[list[dict]]:
    """Placements page by page: each article in reading order into the first slot with
    room, trying its preferred stack first; a new page when none has room."""
    pages: list[list[dict]] = [[]]
    skyline = [0.0] * grid.columns
    for article in articles:
        order = ("wide", "narrow", "full") if article.kind in WIDE_KINDS else \
            ("narrow", "wide", "full")
        fit = _first_fit(article, order, slots, height, skyline, grid)
        if pages[-1] and (fit is None or article.id in new_page_at):
            pages.append([])
            skyline = [0.0] * grid.columns
            fit = _first_fit(article, order, slots, height, skyline, grid)
        if fit is None:
            raise TypesetError("too long to place on one page even alone; split it",
                               article=article.id)
        column, span, bottom = fit
        pages[-1].append({"id": article.id, "column": column, "span": span})
        skyline[column - 1:column - 1 + span] = [bottom] * span
    return pages


def _first_fit(article: Article, order: tuple[str, ...], slots: dict[str, tuple[int, int]],
               height: Callable[[Article, int], float], skyline: list[float],
               grid: Grid) -> tuple[int, int, float] | None:
    """The first slot, in order of preference, where the article still fits, and its bottom."""
    for name in order:
        column, span = slots[name]
        bottom = _bottom(skyline, column, span, height(article, span), grid)
        if bottom is not None:
            return column, span, bottom
    return None


def _bottom(skyline: list[float], column: int, span: int, height: float,
            grid: Grid) -> float | None:
    """Where a module would end if stacked into these columns, or None if off the page.

    The same arithmetic as :func:`typeset.layout.place_page` (no masthead on an imported
    page): below the lowest module in its columns, a module gap, whole body lines.
    """
    top = max(skyline[column - 1:column - 1 + span])
    if top > 0:
        top += grid.module_gap_lines * grid.line_pt
    bottom = top + whole_lines(height, grid.line_pt)
    return bottom if bottom <= grid.type_height_pt + 0.01 else None


def _with_pages(issue: Issue, pages: list[list[dict]]) -> Issue:
    first = issue.pages[0]
    data = issue.model_dump()
    data["pages"] = [{**first.model_dump(), "articles": placements,
                      "number": first.number + index, "credits": [] if index else first.credits}
                     for index, placements in enumerate(pages)]
    return Issue.model_validate(data)


def _notes(issue: Issue) -> list[Note]:
    notes = [Note(None, "placed the articles in a wide and a narrow stack",
                  "a stand-in for the layout engine: change column and span in issue.yaml")]
    for page in issue.pages[1:]:
        ids = ", ".join(p.id for p in page.articles)
        notes.append(Note(None, f"moved {ids} to page {page.number} (same section, no credits)",
                          f"not enough room on page {issue.pages[0].number}"))
    return notes
