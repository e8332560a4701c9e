"""The layout stage run page by page, each page printed as soon as it is laid out.

A page goes measure → plan → print in one process, and ``--jobs N`` runs pages on N
processes at once (:mod:`typeset.parallel`). Two reasons to keep a page's steps
together rather than measuring the whole issue, then planning it, then printing it:

- the bodies a page's measuring sheet sets are the very ones the page prints: the
  sheet keeps them (:func:`typeset.weasy.measure_heights` with ``keep_flows``) and the
  page prints them instead of setting the text a second time. Setting text is most of
  what a page costs;
- a process holds one page's boxes at a time, however many pages the issue has; and
  no process waits for the slowest one between stages.

A page receiving a jump's continuation (转版) waits for the pages sending it: pages go
in waves (:func:`typeset.layout.waves`), the first holding every page that receives none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typeset import collector, html, layout, parallel, weasy
from typeset.layout import PageLayout
from typeset.layout.balance import balance
from typeset.model import Article, Issue, Page, Placement
from typeset.style import Style

#: What prints a page once it is laid out: (index of the page, its layout) → the key of
#: the printed page in the page cache. It runs in the process that laid the page out.
Printer = Callable[[int, PageLayout], str]


def measurer(issue: Issue, root: Path, style: Style, keep_flows: bool = False) -> layout.Measure:
    """The layout stage's measure function: a WeasyPrint measuring sheet of the modules
    not yet in the disk cache (:mod:`typeset.layout.measure`).

    The sheet sets each module's head at every span wanted and its body once; the body's
    height at a span is its flow balanced over the columns the body has there, exactly
    as the renderer will cut it (:mod:`typeset.layout.balance`). ``keep_flows`` keeps
    the bodies set for the page about to print them.
    """
    def measure(wanted: list[tuple[Article, int]]) -> dict[tuple[str, int], float]:
        sheet = weasy.measure_heights(html.measure_document(issue, root, wanted, style),
                                      keep_flows)
        heights = {}
        for article, span in wanted:
            head, row = sheet.heads[html.measure_id(article.id, span)]
            flow = sheet.flows[html.flow_id(article.id, html.flow_inline(article, span))]
            body, _ = balance(flow, span - html.side_span(article, span))
            heights[(article.id, span)] = head - row + max(row, body)
        return heights
    return layout.measure.cached(measure, style, root, issue.language)


def lay_out(issue: Issue, root: Path, style: Style, jobs: int = 1,
            printer: Printer | None = None) -> tuple[list[PageLayout], list[str]]:
    """Every page of ``issue`` laid out (and printed by ``printer``), on ``jobs``
    processes, in the order and with the jumps of :func:`typeset.layout.place`.

    Returns the layouts and, with a printer, the keys of the printed pages: the PDF
    writer finds them by those (:func:`typeset.writers.pages.parts`) instead of making
    every page's HTML again to hash it.
    """
    _run.update(issue=issue, root=root, style=style, printer=printer)
    try:
        layouts: list = [None] * len(issue.pages)
        printed: list = [None] * len(issue.pages)
        sent: dict[int, list[layout.Jumped]] = {}
        for wave in layout.waves(issue):
            # The costliest pages first: the last to finish are then the cheap ones.
            wave = sorted(wave, key=lambda i: -_cost(issue.pages[i], issue))
            items = [(i, layout.arrivals(issue, i, sent)) for i in wave]
            for index, result in zip(wave, parallel.run(_page, items, jobs, _warm)):
                layouts[index], sent[index], printed[index] = result
        return layouts, printed if printer is not None else []
    finally:
        _run.clear()  # (the issue is not kept past its build)


#: What measuring an article costs beside its copy, in characters of copy: its head is
#: set at every candidate span (fitted on the 8-page benchmark issue).
ARTICLE_COST = 3500


def _cost(page: Page, issue: Issue) -> int:
    """A page's share of the work, in characters: its copy, and its articles' heads."""
    return sum(len(issue.article(p.id).model_dump_json()) + ARTICLE_COST
               for p in page.articles)


def _warm() -> None:
    """Load the stylesheet and fonts, before workers fork (:mod:`typeset.parallel`)."""
    issue, style = _run["issue"], _run["style"]
    sheet = html.measure_document(issue, _run["root"], [], style)  # for its stylesheet
    weasy.warm(html.warm_document(sheet, style))
    collector.settle()


#: What the page function needs besides its page: set before the workers fork, which
#: inherit it (a printer is a closure, which could not be sent to them).
_run: dict = {}


def _page(item: tuple[int, list[tuple[Article, Placement]]]):
    index, arrivals = item
    issue, style, printer = _run["issue"], _run["style"], _run["printer"]
    measure = measurer(issue, _run["root"], style, keep_flows=printer is not None)
    try:
        page_layout, jumped = layout.place_page(issue, index, style, measure, arrivals)
        printed = printer(index, page_layout) if printer is not None else None
    finally:
        weasy.forget_flows()
        collector.settle()
    return page_layout, jumped, printed
