"""The HTML stage: model + layout → HTML documents, through the style's jinja templates.

One set of article macros (``styles/<name>/article.html.j2``) serves the printed page,
the measuring sheet and the EPUB, so what is measured is what is printed and what the
e-book shows is the same copy. Templates write XHTML-compatible markup for that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from PIL import Image

from typeset import FONTS_DIR, STYLES_DIR
from typeset.layout import PageLayout
from typeset.model import Article, Issue
from typeset.style import Style

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class HtmlDocument:
    """HTML and CSS ready for the renderer, with the folders it may read from."""

    html: str
    html_base: Path  # relative image paths resolve here (the issue folder)
    css: str
    css_base: Path  # relative font paths resolve here (the style folder)
    roots: list[Path] = field(default_factory=list)


def print_document(issue: Issue, root: Path, layouts: list[PageLayout], style: Style,
                   created: dt.datetime) -> HtmlDocument:
    """The whole issue as one paged HTML document, modules at their layout boxes."""
    env = _environment(style.folder)
    pages = [(page, layout) for page, layout in zip(issue.pages, layouts, strict=True)]
    html = env.get_template("print.html.j2").render(
        issue=issue, pages=pages, style=style, grid=style.grid, created=created,
        weekday=issue.weekday or f"星期{WEEKDAYS[issue.date.weekday()]}",
        figure_height=lambda figure, width: _figure_height(root, figure.image, width, style))
    return HtmlDocument(html, root, _css(env, style), style.folder, _roots(root))


def measure_document(issue: Issue, root: Path, wanted: list[tuple[Article, int]],
                     style: Style) -> HtmlDocument:
    """Each (article, span) alone on a tall page, for :func:`typeset.weasy.measure_heights`."""
    env = _environment(style.folder)
    html = env.get_template("measure.html.j2").render(
        issue=issue, wanted=wanted, style=style, grid=style.grid,
        figure_height=lambda figure, width: _figure_height(root, figure.image, width, style))
    return HtmlDocument(html, root, _css(env, style, measuring=True), style.folder,
                        _roots(root))


def epub_article(issue: Issue, article: Article, page_number: int, style: Style,
                 image_href) -> str:
    """One article as an EPUB XHTML content document."""
    env = _environment(style.folder)
    return env.get_template("epub-article.xhtml.j2").render(
        issue=issue, article=article, page_number=page_number, image_href=image_href)


def epub_stylesheet(style: Style) -> str:
    return (style.folder / "epub.css").read_text(encoding="utf-8")


def measure_id(article_id: str, span: int) -> str:
    return f"{article_id}--{span}"


def _roots(root: Path) -> list[Path]:
    return [root, STYLES_DIR, FONTS_DIR]


def _css(env: jinja2.Environment, style: Style, measuring: bool = False) -> str:
    margin_x, margin_y = style.margins_pt
    return env.get_template("print.css.j2").render(
        style=style, grid=style.grid, margin_x=margin_x, margin_y=margin_y,
        measuring=measuring)


def _figure_height(root: Path, image: str, width: float, style: Style) -> float:
    """Image height at ``width``, rounded to whole body lines so the grid holds."""
    pixel_width, pixel_height = _image_size(root / image)
    line = style.grid.line_pt
    return max(1, round(width * pixel_height / pixel_width / line)) * line


@lru_cache(maxsize=256)
def _image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


@lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["measure_id"] = measure_id
    return env
