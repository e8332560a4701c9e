"""Classified lines → page credits and articles: a small state machine over the page.

Reading a page top to bottom, short lines without end punctuation pile up as *pending*
heads until something says what they are:

- a byline or a dateline lead (本报讯 …报道：) after them: they were a headline stack
  (标题组) of a new article;
- body text after them: one line inside an article still running is a subhead (小标题);
  two or more lines, or any after an article ended (its source line or photo caption came),
  are the headline stack of a new article without byline;
- a caption and its credit after them: a photo standing alone (图片新闻) with that stack.

A caption (图片说明) is a sentence followed by a photo credit. Captions sit apart from
their article's text, usually after it; each goes to the article before or after it that
shares more of its wording. Run-in heads (段首小标题) are found last, per article. How a
stack splits into kicker, headline and deck is :mod:`.headlines`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from typeset.readers.plaintext import patterns
from typeset.readers.plaintext.headlines import headline_stack
from typeset.readers.plaintext.lines import Line
from typeset.readers.plaintext.notes import Note

#: A story with a dateline up to this many characters is a brief (简讯), else news.
BRIEF_MAX = 1000
#: A bylined story without subheads this long is a feature (通讯).
FEATURE_MIN = 1500
#: Run-in head: a first sentence this short, with no comma, and nothing Markdown marks up.
_RUN_IN = re.compile(r"([^，、；：。！？\s*_`\\\[\]<>!&]{2,13}[。！？])(\S.*)")
#: Headline for text that arrived without one; the editor writes the real one.
NO_HEADLINE = "标题待定"
#: Headline of a photo that came with no headline and no article around it.
PHOTO_HEADLINE = "图片新闻"


@dataclass
class Draft:
    """An article being collected: its fields as plain data, plus where it came from."""

    line: int
    stack: dict
    bylines: list[dict] = field(default_factory=list)
    dateline: str | None = None
    body: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    source: str | None = None
    closed: bool = False  # its text ended (source line, caption): a heading now starts anew

    def text(self) -> str:
        """Everything it says, for matching captions to it."""
        parts = list(self.stack.values()) + [c["caption"] for c in self.figures]
        parts += [b.get("text", "") + "".join(s["text"] for s in b.get("spans", []))
                  for b in self.body]
        return "".join(parts)


@dataclass
class Floating:
    """A photo (caption and credit) not yet given to an article."""

    figure: dict
    line: int
    after: int  # index of the article before it; -1 at the top of the page


@dataclass
class Page:
    """The state of the machine: what the page has given so far."""

    credits: list[dict] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    pending: list[Line] = field(default_factory=list)
    floating: list[Floating] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def current(self) -> Draft | None:
        return self.drafts[-1] if self.drafts else None


def group(lines: list[Line]) -> tuple[list[dict], list[dict], list[Note]]:
    """(page credits, articles as model dicts, notes) for the classified lines of a page."""
    page = Page()
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.kind == "text" and following and following.kind == "photo_credit":
            _photo(page, line, following)
            index += 2
            continue
        HANDLERS[line.kind](page, line)
        index += 1
    _leftover_heads(page)
    _attach_floating(page)
    articles = _finish(page)
    return page.credits, articles, page.notes


def _heading(page: Page, line: Line) -> None:
    page.pending.append(line)


def _credits(page: Page, line: Line) -> None:
    _leftover_heads(page)
    page.credits.extend(patterns.page_credits(line.text))
    if page.current:
        page.current.closed = True


def _byline(page: Page, line: Line) -> None:
    if page.pending:
        _start(page)
    draft = _current_or_headless(page, line)
    if draft.body:
        page.notes.append(Note(line.number, f"kept byline “{line.text}” with the article "
                               "above", "a byline after body text is unusual"))
    draft.bylines.extend(patterns.bylines(line.text))


def _source(page: Page, line: Line) -> None:
    _leftover_heads(page)
    draft = _current_or_headless(page, line)
    draft.source = patterns.source(line.text)
    draft.closed = True


def _text(page: Page, line: Line) -> None:
    dateline, rest = patterns.split_dateline(line.text)
    if page.pending:
        current = page.current
        if dateline or current is None or current.closed or len(page.pending) > 1:
            why = ("no article was running" if current is None
                   else "the article above had ended" if current.closed
                   else "a subhead is one line, these are several")
            draft = _start(page)
            if not dateline and not draft.bylines:
                page.notes.append(Note(draft.line, "started an article at "
                                       f"“{_first_line(draft)}” (no byline or dateline)",
                                       f"short lines before text are a headline when {why}"))
        else:
            current.body.append({"type": "subhead", "text": page.pending.pop().text})
    draft = _current_or_headless(page, line)
    text = line.text
    if dateline and draft.body:
        page.notes.append(Note(line.number, "kept a dateline inside the text as a paragraph",
                               "a lead-in dateline usually opens an article with a headline"))
    elif dateline and not draft.dateline:
        draft.dateline = dateline
        if not rest:
            return
        text = rest
    draft.body.append({"type": "paragraph", "spans": [{"text": text}]})
    draft.closed = False


def _photo(page: Page, caption: Line, credit: Line) -> None:
    figure = {"caption": caption.text, "credit": patterns.photo_credit(credit.text)}
    if credit.after_blank:
        page.notes.append(Note(caption.number, "read the paragraph before a photo credit as "
                               "its caption", "a blank line separates them"))
    if page.pending:
        draft = _start(page)
        draft.figures.append(figure)
        draft.closed = True
        page.notes.append(Note(draft.line, f"made “{_first_line(draft)}” a photo standing "
                               "alone (图片新闻)", "its headline is followed by a caption, "
                               "not by text"))
        return
    page.floating.append(Floating(figure, caption.number, len(page.drafts) - 1))
    if page.current:
        page.current.closed = True


#: What each kind of line does to the page (photo credits come with their caption).
HANDLERS = {"heading": _heading, "credits": _credits, "byline": _byline, "source": _source,
            "text": _text}


def _start(page: Page) -> Draft:
    """A new article whose headline stack is the pending lines."""
    stack, bylines, notes = headline_stack(page.pending)
    draft = Draft(page.pending[0].number, stack, bylines)
    page.pending = []
    page.drafts.append(draft)
    page.notes.extend(notes)
    return draft


def _current_or_headless(page: Page, line: Line) -> Draft:
    if page.current is None:
        page.drafts.append(Draft(line.number, {"headline": NO_HEADLINE}))
        page.notes.append(Note(line.number, f"put text before any headline into an article "
                               f"headed “{NO_HEADLINE}”", "to fill in: no headline found"))
    return page.current


def _leftover_heads(page: Page) -> None:
    """Short lines nothing explained: keep them, as paragraphs of the article above."""
    if not page.pending:
        return
    if page.current is None:
        _start(page)
        return
    for line in page.pending:
        page.current.body.append({"type": "paragraph", "spans": [{"text": line.text}]})
        page.notes.append(Note(line.number, f"kept “{line.text}” as a paragraph",
                               "a short line followed by no text"))
    page.pending = []


def _attach_floating(page: Page) -> None:
    """Give each caption to the neighbouring article that shares more of its wording."""
    for photo in page.floating:
        before = page.drafts[photo.after] if photo.after >= 0 else None
        after = page.drafts[photo.after + 1] if photo.after + 1 < len(page.drafts) else None
        if before is None and after is None:
            page.drafts.append(Draft(photo.line, {"headline": PHOTO_HEADLINE}))
            before = page.drafts[-1]
            page.notes.append(Note(photo.line, f"made a photo alone headed “{PHOTO_HEADLINE}”",
                                   "to fill in: no article on the page to go with"))
        overlap = {id(d): shared_wording(photo.figure["caption"], d.text())
                   for d in (before, after) if d is not None}
        chosen = before if before is not None and (
            after is None or overlap[id(before)] >= overlap[id(after)]) else after
        chosen.figures.append(photo.figure)
        where = "before" if chosen is before else "after"
        page.notes.append(Note(photo.line, f"gave the photo “{photo.figure['caption'][:12]}…” "
                               f"to the article {where} it, “{_first_line(chosen)}”",
                               f"its caption shares {overlap[id(chosen)]:.0%} of its "
                               "character pairs with that article"))


def shared_wording(caption: str, text: str) -> float:
    """Share of the caption's character pairs that also occur in ``text``."""
    pairs = {caption[i:i + 2] for i in range(len(caption) - 1)}
    found = {text[i:i + 2] for i in range(len(text) - 1)}
    return len(pairs & found) / len(pairs) if pairs else 0.0


def _first_line(draft: Draft) -> str:
    return draft.stack["headline"].split("\n")[0]


def _finish(page: Page) -> list[dict]:
    """Drafts → article dicts with kinds, ids, run-in heads and placeholder image paths."""
    counts: dict[str, int] = {}
    articles = []
    for draft in page.drafts:
        kind = article_kind(draft)
        counts[kind] = counts.get(kind, 0) + 1
        article_id = f"{kind}-{counts[kind]}"
        body, heads = run_in_heads(draft.body)
        if heads:
            page.notes.append(Note(draft.line, f"set {len(heads)} run-in heads in “"
                                   f"{_first_line(draft)}”: {' '.join(heads)}",
                                   "several paragraphs of one section open with a short "
                                   "sentence"))
        figures = [{**figure, "image": f"images/{article_id}-{number}.jpg"}
                   for number, figure in enumerate(draft.figures, start=1)]
        article = {"id": article_id, "kind": kind, **draft.stack, "bylines": draft.bylines,
                   "dateline": draft.dateline, "body": body, "figures": figures,
                   "source": draft.source}
        articles.append({key: value for key, value in article.items()
                         if value not in (None, [])})
    return articles


def article_kind(draft: Draft) -> str:
    """news, brief, feature, commentary or photo, from what the article has."""
    label = draft.stack.get("column_label", "")
    chars = sum(len(s["text"]) for block in draft.body for s in block.get("spans", []))
    if not draft.body and draft.figures:
        return "photo"
    signed = " ".join(b["role"] + " ".join(b["names"]) for b in draft.bylines)
    if (label and patterns.is_commentary_label(label)) or "评论员" in signed:
        return "commentary"
    if draft.dateline:
        return "brief" if chars <= BRIEF_MAX else "news"
    has_subheads = any(block["type"] == "subhead" for block in draft.body)
    if draft.bylines and (has_subheads or chars >= FEATURE_MIN):
        return "feature"
    return "news"


def run_in_heads(body: list[dict]) -> tuple[list[dict], list[str]]:
    """Body with run-in heads cut from paragraphs, where a section has several.

    One paragraph opening with a short sentence is just prose; two or more in one section
    (between subheads) are the parallel bold heads of a feature ("系统谋划抓推动。").
    """
    body = [dict(block) for block in body]
    sections: list[list[int]] = [[]]
    for index, block in enumerate(body):
        if block["type"] == "subhead":
            sections.append([])
        elif _RUN_IN.fullmatch(block["spans"][0]["text"]):
            sections[-1].append(index)
    heads = []
    for section in sections:
        if len(section) < 2:
            continue
        for index in section:
            head, rest = _RUN_IN.fullmatch(body[index]["spans"][0]["text"]).groups()
            body[index] = {**body[index], "run_in": head, "spans": [{"text": rest}]}
            heads.append(head)
    return body, heads
