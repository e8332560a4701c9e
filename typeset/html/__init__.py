"""The HTML stage: model + layout → HTML documents, through the style's jinja templates.

One set of article macros (``styles/<name>/article.html.j2``) serves the printed page,
the measuring sheet and the EPUB, so what is measured is what is printed and what the
e-book shows is the same copy. Templates write XHTML-compatible markup for that reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import jinja2

from typeset import FONTS_DIR, STYLES_DIR, cache, cjk
from typeset.cjk.rules import split_before_mark
from typeset.layout import PageLayout, display
from typeset.layout.jumps import is_continuation
from typeset.layout.measure import picture_size
from typeset.layout.order import ordered_modules
from typeset.model import Article, Issue, Page
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
    latin_spacing_em: float = 0.0  # SP-1, for the renderer's CJK engine


@dataclass(frozen=True)
class Proof:
    """What a page proof adds around each page: the slug line's version, a watermark."""

    version: str
    watermark: bool = False


def print_document(issue: Issue, root: Path, layouts: list[PageLayout], style: Style,
                   created: dt.datetime, proof: Proof | None = None,
                   outline: bool = False, layer: str | None = None) -> HtmlDocument:
    """The whole issue as one paged HTML document, modules at their layout boxes.

    With ``proof``, the pages get bleed, crop marks and a slug line (proof.css.j2);
    ``outline`` draws each module's box (for checking a layout in the preview).
    ``layer`` keeps one layer of a one-page issue (:func:`layers`).
    """
    env = _environment(style.folder)
    # Modules in reading order: a tagged PDF's structure tree and outline follow it.
    pages = [(page, layout.model_copy(update={
        "modules": ordered_modules(layout, style.grid.line_pt)}))
        for page, layout in zip(issue.pages, layouts, strict=True)]
    html = env.get_template("print.html.j2").render(
        issue=issue, pages=pages, style=style, grid=style.grid, created=created, proof=proof,
        outline=outline, layer=layer, fit=_fitter(style, strict=True),
        weekday=issue.weekday or f"星期{WEEKDAYS[issue.date.weekday()]}",
        figure_height=lambda figure, width: _figure_height(root, figure.image, width, style))
    css = _css(env, style, proof=proof is not None)
    return HtmlDocument(html, root, css, style.folder, _roots(root), style.latin_spacing_em)


def layers(layout: PageLayout, proof: Proof | None) -> list[str]:
    """The layers of a page, bottom first, for ``print_document(layer=…)``: the page
    itself (running head, masthead, slug line, credits), each module, and a proof's
    watermark, which lies over the copy.

    Each layer is rendered alone and drawn over the ones before it
    (:mod:`typeset.weasy.compose`), so that an edit to one article renders one module
    again, not its page.
    """
    return ["page", *(f"module:{box.article_id}" for box in layout.modules),
            *(["watermark"] if proof and proof.watermark else [])]


def measure_document(issue: Issue, root: Path, wanted: list[tuple[Article, int]],
                     style: Style) -> HtmlDocument:
    """For :func:`typeset.weasy.measure_heights`: the head of each (article, span) alone
    on a tall page, and each article's body once, as the one-column flow that every span
    cuts into columns (see :mod:`typeset.layout.balance`)."""
    env = _environment(style.folder)
    flows = {(a.id, flow_inline(a, span)): (a, flow_inline(a, span)) for a, span in wanted}
    html = env.get_template("measure.html.j2").render(
        issue=issue, wanted=wanted, flows=list(flows.values()), style=style, grid=style.grid,
        fit=_fitter(style, strict=False),
        figure_height=lambda figure, width: _figure_height(root, figure.image, width, style))
    return HtmlDocument(html, root, _css(env, style), style.folder,
                        _roots(root), style.latin_spacing_em)


def warm_document(like: HtmlDocument, style: Style) -> HtmlDocument:
    """The style's ``warm.html`` (a line in each of its faces) with the CSS of ``like``:
    what workers need loaded before they fork (:func:`typeset.weasy.warm`)."""
    return replace(like, html=(style.folder / "warm.html").read_text(encoding="utf-8"))


def epub_article(issue: Issue, article: Article, page_number: int, style: Style,
                 image_href, page_break: bool = False) -> str:
    """One article as an EPUB XHTML content document.

    ``page_break`` puts the marker of print page ``page_number`` at its start (the first
    article of each page has it), so that the page list can point there.
    """
    env = _environment(style.folder)
    return env.get_template("epub-article.xhtml.j2").render(
        issue=issue, article=article, page_number=page_number, image_href=image_href,
        page_break=page_break)


def epub_nav(issue: Issue, pages: list[tuple[Page, list[tuple[Article, str]]]],
             style: Style, credits: str | None = None) -> str:
    """The EPUB navigation document: contents by page, landmarks and the page list.

    ``pages`` holds each page with its articles and their hrefs, in reading order;
    ``credits`` is the href of the page credits, if the issue has any.
    """
    env = _environment(style.folder)
    return env.get_template("epub-nav.xhtml.j2").render(issue=issue, pages=pages,
                                                        credits=credits)


def epub_cover(issue: Issue, style: Style, image_href: str) -> str:
    """The EPUB cover document: the picture of the front page."""
    env = _environment(style.folder)
    return env.get_template("epub-cover.xhtml.j2").render(issue=issue, image_href=image_href)


def epub_stylesheet(style: Style, font_href=None) -> str:
    """The EPUB stylesheet: readers' own fonts, or with ``font_href`` the embedded ones
    first.

    ``font_href(file name)`` returns where a font file of fonts/ is in the book; the
    stylesheet (epub.css.j2) calls it for exactly the faces it uses.
    """
    return _environment(style.folder).get_template("epub.css.j2").render(
        style=style, font=font_href)


def epub_credits(issue: Issue, style: Style) -> str:
    """The EPUB's page credits (版面署名): each print page's editor, designer and
    proofreader, as the printed page carries them below its type area."""
    return _environment(style.folder).get_template("epub-credits.xhtml.j2").render(
        issue=issue)


def measure_id(article_id: str, span: int) -> str:
    return f"{article_id}--{span}"


def flow_id(article_id: str, inline: bool) -> str:
    return f"{article_id}--flow{'-inline' if inline else ''}"


def flow_key(article: Article, figures: list) -> str:
    """What a body's flow is made of: the article as set, with or without the one-column
    figures in it. The renderer keeps a flow measured for a page under this key and
    prints it instead of setting the text again (:func:`typeset.weasy.columns.keeping`)."""
    digest = hashlib.sha256(article.model_dump_json().encode("utf-8"))
    digest.update(b"|with figures" if figures else b"|")
    return digest.hexdigest()[:32]


def flow_inline(article: Article, span: int) -> bool:
    """Whether the body's flow holds the one-column figures at ``span``: they stand in
    the text of a wider module, and are the module's own figure when it spans one."""
    return span > 1 and any(f.columns == 1 for f in article.figures)


def side_span(article: Article, span: int) -> int:
    """Columns that figures beside the body take at ``span`` (the body has the rest)."""
    return max((f.columns for f in article.figures if f.columns and 1 < f.columns < span),
               default=0)


def _fitter(style: Style, strict: bool):
    """The templates' ``fit(article, field, text, span, boxed)``: a display line as the
    layout stage fits it (:func:`typeset.layout.display.fitted`). ``strict`` (a page
    being printed) stops the build when nothing fits; a measuring sheet sets every span
    the planner may try, and only the printed one must fit. A subhead has one width at
    every span, so it must always fit."""
    def fit(article: Article, field: str, text: str, span: int, boxed: bool):
        return display.fitted(style, article, field, text, span, boxed,
                              strict=strict or field.startswith("body"))
    return fit


def _roots(root: Path) -> list[Path]:
    return [root, STYLES_DIR, FONTS_DIR]


def _css(env: jinja2.Environment, style: Style, proof: bool = False) -> str:
    """print.css.j2 for ``style``, with proof.css.j2 for a proof: rendered once per
    style and template, not for each of the hundreds of documents of a build (each
    page's layers, measuring sheets). The templates are part of the key: jinja gives
    a new one when its file changes (``typeset build --watch``)."""
    names = ["print.css.j2"] + (["proof.css.j2"] if proof else [])
    templates = tuple(env.get_template(name) for name in names)
    key = (templates, style.model_dump_json())
    if key not in _rendered_css:
        margin_x, margin_y = style.margins_pt
        if len(_rendered_css) >= 16:
            _rendered_css.clear()
        _rendered_css[key] = "".join(template.render(
            style=style, grid=style.grid, margin_x=margin_x, margin_y=margin_y)
            for template in templates)
    return _rendered_css[key]


_rendered_css: dict[tuple, str] = {}


def _figure_height(root: Path, image: str, width: float, style: Style) -> float:
    """Image height at ``width``, rounded to whole body lines so the grid holds."""
    pixel_width, pixel_height = picture_size(root / image)
    line = style.grid.line_pt
    return max(1, round(width * pixel_height / pixel_width / line)) * line


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache (:mod:`typeset.cache`): compiling the
    style's templates took a new process 0.12 s. Jinja keys each by its name and checks
    its source's checksum and jinja's own version before using it."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cache.read("templates", bucket.key, ".jinja")
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.write("templates", bucket.key, ".jinja", bucket.bytecode_to_string())


@lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True,
                             bytecode_cache=_CompiledTemplates())
    env.globals["measure_id"] = measure_id
    env.globals["flow_id"] = flow_id
    env.globals["flow_key"] = flow_key
    env.globals["columns_beside"] = side_span  # one definition for measuring and pages
    env.globals["continued"] = is_continuation
    # Titles (PDF bookmarks, EPUB navigation) carry the text without the invisible
    # joiners and breaks the cjk stage put in for line breaking.
    env.filters["visible"] = cjk.visible
    env.globals["split_before_mark"] = split_before_mark
    return env
