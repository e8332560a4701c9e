"""The document model: the contract between every stage of the pipeline.

Issue (期) → Page (版) → Article (稿件). Nothing here knows about PDF, EPUB or HTML:
readers build it, writers consume it. Paths are kept relative to the issue folder;
pass ``context={"root": folder}`` to validation so figures are checked on disk.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo,
                      field_validator, model_validator)

from typeset.messages import msg
from typeset.model.characters import FORBIDDEN, describe

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
#: What the typesetter adds to an article's id to name a piece of it (``<id>--cont``, a
#: jump's continued part): not for ids that come from input.
RESERVED = "--"

ARTICLE_KINDS = ("news", "feature", "commentary", "photo", "brief")
#: Kinds whose articles may have no body: a photo story is its picture and caption.
BODILESS_KINDS = ("photo",)


class Model(BaseModel):
    """Strict base: unknown fields are errors, not silently dropped data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _printable(cls, value):
        """Refuse control characters in every string (see :mod:`.characters`)."""
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and (found := FORBIDDEN.search(text)):
                raise ValueError(msg("model.control", **describe(found.group())))
        return value


class Span(Model):
    """A run of inline text, optionally bold (加粗) or emphasised."""

    text: str = Field(min_length=1)
    strong: bool = False
    emphasis: bool = False


class Paragraph(Model):
    """A body paragraph; ``run_in`` is the bold head that opens it (段首小标题)."""

    type: Literal["paragraph"] = "paragraph"
    run_in: str | None = None
    spans: list[Span] = Field(min_length=1)


class Subhead(Model):
    """A section head inside an article (小标题), often two phrases with a space."""

    type: Literal["subhead"] = "subhead"
    text: Text


class Quote(Model):
    """A quotation set off from the body (引文)."""

    type: Literal["quote"] = "quote"
    spans: list[Span] = Field(min_length=1)


Block = Annotated[Paragraph | Subhead | Quote, Field(discriminator="type")]


#: A URL's scheme (``file:``, ``data:``, ``javascript:``; a drive letter too).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_relative_path(value: str) -> str:
    """Refuse URLs (any ``scheme:``, such as ``javascript:``), absolute paths and ``..``:
    resources stay inside the issue folder."""
    if "://" in value or _SCHEME.match(value):
        raise ValueError(msg("model.url", value=value))
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        raise ValueError(msg("model.relative", value=value))
    return value


class Figure(Model):
    """A photo or graphic (图片) with its caption (图片说明) and credit (署名)."""

    image: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    columns: int | None = Field(default=None, ge=1, le=12)

    @field_validator("image")
    @classmethod
    def _image_in_folder(cls, value: str, info: ValidationInfo) -> str:
        check_relative_path(value)
        if PurePosixPath(value).suffix.lower() not in (".jpg", ".jpeg", ".png"):
            raise ValueError(msg("model.image_format", value=value))
        root = (info.context or {}).get("root")
        if root is not None:
            target = (Path(root) / value).resolve()
            if not target.is_relative_to(Path(root).resolve()):
                raise ValueError(msg("model.leaves_folder", value=value))
            if not target.is_file():
                raise ValueError(msg("model.image_missing", value=value))
        return value


class Byline(Model):
    """A byline (署名): role such as 本报记者 / 本报通讯员 (may be empty) and names."""

    role: str = ""
    names: list[Text] = Field(min_length=1)


class Article(Model):
    """One story: headline stack, bylines, body and figures."""

    id: Identifier
    kind: Literal["news", "feature", "commentary", "photo", "brief"] = "news"
    column_label: str | None = None  # 栏目
    kicker: str | None = None  # 引题
    headline: Text  # 主题; "\n" separates the editor's own lines
    deck: str | None = None  # 副题
    bylines: list[Byline] = []
    dateline: str | None = None  # lead-in such as 本报讯 通讯员X报道：
    body: list[Block] = Field(default=[], validate_default=True)
    figures: list[Figure] = []
    source: str | None = None  # 来源

    @field_validator("id")
    @classmethod
    def _own_id(cls, value: str, info: ValidationInfo) -> str:
        """Ids read from input (readers validate with a context) may not hold "--"."""
        if info.context is not None and RESERVED in value:
            raise ValueError(msg("model.id_reserved", id=value))
        return value

    @field_validator("headline")
    @classmethod
    def _headline_lines(cls, value: str) -> str:
        lines = [line.strip() for line in value.splitlines()]
        if any(not line for line in lines):
            raise ValueError(msg("model.headline_empty_line"))
        return "\n".join(lines)

    @field_validator("body")
    @classmethod
    def _has_body(cls, value: list, info: ValidationInfo) -> list:
        """An empty body would print the dateline (本报讯 …报道：) followed by nothing."""
        if not value and info.data.get("kind", "news") not in BODILESS_KINDS:
            raise ValueError(msg("model.empty_body", allowed=", ".join(BODILESS_KINDS)))
        return value

    @property
    def headline_lines(self) -> list[str]:
        return self.headline.split("\n")

    def texts(self):
        """Yield (field path, text) for every piece of text that is typeset."""
        for name in ("column_label", "kicker", "headline", "deck", "dateline", "source"):
            if getattr(self, name):
                yield name, getattr(self, name)
        for i, byline in enumerate(self.bylines):
            yield f"bylines[{i}].role", byline.role
            for j, name in enumerate(byline.names):
                yield f"bylines[{i}].names[{j}]", name
        for i, block in enumerate(self.body):
            if isinstance(block, Subhead):
                yield f"body[{i}].text", block.text
                continue
            if isinstance(block, Paragraph) and block.run_in:
                yield f"body[{i}].run_in", block.run_in
            for j, span in enumerate(block.spans):
                yield f"body[{i}].spans[{j}]", span.text
        for i, figure in enumerate(self.figures):
            yield f"figures[{i}].caption", figure.caption
            yield f"figures[{i}].credit", figure.credit


class Credit(Model):
    """A page editorial credit (版面署名): role and name, e.g. 编辑 / 李文."""

    role: Text
    name: Text


class Placement(Model):
    """An article on its page: pinned (first column and span, 变栏) or left to the planner.

    Vertical positions are in body lines (the grid's unit) from the top of the page's
    content area (below the masthead band on the front page). ``priority`` ranks articles
    for automatic placement (higher = more important; default: earlier in the list); the
    highest goes on top and widest. ``jump_to`` lets the article continue (转版) on that
    later page when it does not fit.
    """

    id: Identifier
    column: int | None = Field(default=None, ge=1)
    span: int | None = Field(default=None, ge=1)
    top: int | None = Field(default=None, ge=0)
    height: int | None = Field(default=None, ge=1)
    priority: int | None = None
    min_span: int | None = Field(default=None, ge=1)
    max_span: int | None = Field(default=None, ge=1)
    jump_to: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _pinned_whole(self) -> Placement:
        if (self.column is None) != (self.span is None):
            raise ValueError(msg("model.column_span", id=self.id))
        if self.column is None and (self.top is not None or self.height is not None):
            raise ValueError(msg("model.top_needs_pin", id=self.id))
        if self.min_span and self.max_span and self.min_span > self.max_span:
            raise ValueError(msg("model.min_max_span", id=self.id))
        return self

    @property
    def pinned(self) -> bool:
        return self.column is not None


class Page(Model):
    """One printed page (版)."""

    number: int = Field(ge=1)
    section: Text  # 版名, e.g. 要闻
    masthead: bool = False  # carries the paper's masthead (报头)
    credits: list[Credit] = []
    articles: list[Placement] = Field(min_length=1)


class Issue(Model):
    """One issue of the paper (一期报纸)."""

    paper: Text
    paper_latin: str | None = None
    publisher: Text
    date: dt.date
    weekday: str | None = None
    lunar_date: str | None = None
    number: int = Field(ge=1)
    registration: str | None = None
    language: str = "zh-CN"
    slug: Identifier
    pages: list[Page] = Field(min_length=1)
    articles: list[Article] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Issue:
        seen: set[str] = set()
        for index, article in enumerate(self.articles):
            if article.id in seen:
                raise ValueError(msg("model.duplicate_id", id=article.id))
            seen.add(article.id)
        numbers = [page.number for page in self.pages]
        if len(set(numbers)) != len(numbers):
            raise ValueError(msg("model.pages_repeat"))
        placed: set[str] = set()
        for page in self.pages:
            for placement in page.articles:
                if placement.id not in seen:
                    raise ValueError(msg("model.no_such_article", page=page.number,
                                         id=placement.id))
                if placement.id in placed:
                    raise ValueError(msg("model.placed_twice", page=page.number,
                                         id=placement.id))
                placed.add(placement.id)
                if placement.jump_to is not None and placement.jump_to not in numbers[
                        numbers.index(page.number) + 1:]:
                    raise ValueError(msg("model.jump_not_later", page=page.number,
                                         id=placement.id, to=placement.jump_to))
        unplaced = [a.id for a in self.articles if a.id not in placed]
        if unplaced:
            raise ValueError(msg("model.unplaced", ids=", ".join(unplaced)))
        return self

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    @property
    def title(self) -> str:
        return f"{self.paper} {self.date:%Y年%-m月%-d日}"
