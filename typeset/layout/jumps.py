"""Jumps (转版): an article too long for its box continues on a later page.

The first part keeps the headline stack, the figures and as much body text as fits its
box, and ends with "（下转第X版）"; the continuation (id ``<id>--cont``) repeats the
headline (set small: the templates give a continuation the ``continued`` class) and
starts with "（上接第X版）". The cut may fall inside a paragraph: the longest first part
that fits is found by bisection on the number of body characters, each candidate
measured by the real renderer (and cached like any other height). Both parts are made
here, by the layout stage; the issue's own articles are never changed, so the EPUB
keeps each article whole.
"""

from __future__ import annotations

from typeset.cjk import rules
from typeset.layout.measure import Measure
from typeset.model import Article, Paragraph, Quote, Span, Subhead

CONTINUATION = "--cont"


def is_continuation(article: Article) -> bool:
    return article.id.endswith(CONTINUATION)


def split(article: Article, span: int, height: float, page: int, jump_to: int,
          measure: Measure) -> tuple[Article, Article, float]:
    """(first part, continuation, first part's height) for a box ``height`` pt tall."""
    total = sum(_length(block) for block in article.body)
    low, high = 0, total
    fits = {0: measure([(first_part(article, 0, jump_to), span)])[(article.id, span)]}
    while low < high:
        middle = (low + high + 1) // 2
        measured = measure([(first_part(article, middle, jump_to), span)])[(article.id, span)]
        if measured <= height + 0.01:
            low, fits[middle] = middle, measured
        else:
            high = middle - 1
    return first_part(article, low, jump_to), continuation(article, low, page), fits[low]


def first_part(article: Article, characters: int, jump_to: int) -> Article:
    """The article with its first ``characters`` of body text and the 下转 line."""
    head, _ = _cut(article.body, characters)
    line = Paragraph(spans=[Span(text=f"（下转第{jump_to}版）", strong=True)])
    return article.model_copy(update={"body": head + [line], "source": None})


def continuation(article: Article, characters: int, page: int) -> Article:
    """The rest of the article under its headline, opening with the 上接 line."""
    _, tail = _cut(article.body, characters)
    line = Paragraph(spans=[Span(text=f"（上接第{page}版）", strong=True)])
    return Article(id=article.id + CONTINUATION, kind=article.kind,
                   headline=article.headline, body=[line] + tail, source=article.source)


def _length(block) -> int:
    return len(block.text) if isinstance(block, Subhead) else \
        sum(len(s.text) for s in block.spans)


def _cut(body: list, characters: int) -> tuple[list, list]:
    """Split the body after ``characters`` characters; a paragraph may be cut in two."""
    head, tail = [], []
    left = characters
    for block in body:
        size = _length(block)
        if left >= size:
            head.append(block)
        elif left <= 0 or isinstance(block, Subhead):
            tail.append(block)
        else:
            before, after = _cut_spans(block.spans, left)
            head.append(block.model_copy(update={"spans": before}))
            rest = Paragraph(spans=after) if isinstance(block, Paragraph) else Quote(spans=after)
            tail.append(rest)
        left -= size
    return head, tail


def _cut_spans(spans: list[Span], characters: int) -> tuple[list[Span], list[Span]]:
    before, after = [], []
    for span in spans:
        if characters >= len(span.text):
            before.append(span)
        elif characters <= 0:
            after.append(span)
        else:
            at = _safe_cut(span.text, characters)
            before.append(span.model_copy(update={"text": span.text[:at]}))
            after.append(span.model_copy(update={"text": span.text[at:]}))
        characters -= len(span.text)
    return [s for s in before if s.text], [s for s in after if s.text]


def _safe_cut(text: str, at: int) -> int:
    """Move a cut back until the continuation may start there: not inside glue the cjk
    stage put in (a joiner before — · ～), not before a mark that may not start a line
    (KIN-1), not after an opening mark (KIN-2), not inside ——/…… (UNIT-1)."""
    no_start = rules.RIGHT_BLANK | rules.UNIT_MARKS | rules.INVISIBLE | set("·～")
    while 0 < at < len(text) and (text[at] in no_start or text[at - 1] in rules.OPENING
                                  or text[at - 1] in rules.INVISIBLE):
        at -= 1
    return at
