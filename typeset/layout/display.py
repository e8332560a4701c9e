"""Display lines fitted to a module (HEAD-1…HEAD-5): the measure each kind of display
line has at a span, and the fitting :mod:`typeset.cjk.display` chooses in it.

The templates print exactly these lines, size and scale, one line box per line, so the
measuring sheet and the page set the same lines; the layout report prints the fitting.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from typeset import FONTS_DIR
from typeset.cjk import display
from typeset.cjk import visible as cjk_visible
from typeset.errors import TypesetError
from typeset.fonts import advance_em
from typeset.layout.jumps import is_continuation
from typeset.model import Article
from typeset.style import DisplayKind, Style

#: How much wider than its measure a line may come out, in pt: Pango places glyphs on
#: a grid of 1/1024 pt, so a line of whole ems that fills the measure (a 13-character
#: subhead in a 13-character column) may add up a few thousandths over it.
TOLERANCE_PT = 0.01

#: The head's display fields, top to bottom, with the kind that sets each.
HEAD_FIELDS = ("column_label", "kicker", "headline", "deck")


def kind_of(article: Article, field: str) -> str:
    if field == "headline" and is_continuation(article):
        return "continued"
    return "subhead" if field.startswith("body") else field


def measure_pt(style: Style, kind: str, span: int, boxed: bool) -> float:
    """The width a display line of ``kind`` has in a module ``span`` columns wide
    (a boxed module loses half an em of each column to its frame; a subhead stands in
    one column of the body)."""
    grid = style.grid
    width = grid.column_pt if kind == "subhead" else grid.width_pt(span)
    return width - (grid.body_pt if kind == "subhead" else span * grid.body_pt) * boxed


def fitted(style: Style, article: Article, field: str, text: str, span: int, boxed: bool,
           strict: bool = False) -> display.Fit:
    """The fitting of ``text`` (the article's ``field``) at ``span``. ``strict``: raise
    when nothing within the style's limits fits (a page being printed), instead of
    returning the narrowest setting found (a measuring sheet, which sets every span
    the planner may try)."""
    kind = kind_of(article, field)
    settings: DisplayKind = getattr(style.display, kind)
    width = measure_pt(style, kind, span, boxed)
    result = replace(_fit(text, width, settings, span, style.display.min_scale), measure=width)
    if strict and not result.fits:
        raise TypesetError(
            f"the {kind.replace('_', ' ')} does not fit {span} column{'s' * (span > 1)} at "
            f"{settings.sizes(span)[-1]:g} pt and {style.display.min_scale:.0%} scale "
            "without breaking a phrase (HEAD-4): shorten it or add a phrase space",
            article=article.id, field=field)
    return result


@functools.lru_cache(maxsize=16384)
def _fit(text: str, width: float, settings: DisplayKind, span: int,
         min_scale: float) -> display.Fit:
    font = FONTS_DIR / settings.font
    limits = display.Limits(settings.sizes(span), min_scale, settings.gap_em,
                            settings.max_lines, settings.wrap_last, settings.indent_em)
    return display.fit(text, width + TOLERANCE_PT, limits, functools.partial(advance_em, font))


def head_fits(style: Style, article: Article, span: int, boxed: bool) -> bool:
    """Whether every display line of the article's head fits at ``span`` (HEAD-4)."""
    return all(fitted(style, article, field, getattr(article, field), span, boxed).fits
               for field in HEAD_FIELDS if getattr(article, field))


def report(style: Style, article: Article, span: int, boxed: bool) -> dict:
    """What the layout report tells of the article's display lines at ``span``: how each
    is fitted (``fitting``, e.g. ``headline 2 lines 18pt 100%``) and each as written
    (``display``: role and text, captions and credits too). Called for the span the plan
    chose, so a head that fits no way stops the build here, before anything is printed."""
    fields = [(field, getattr(article, field)) for field in HEAD_FIELDS
              if getattr(article, field)]
    fields += [(f"body[{i}]", block.text) for i, block in enumerate(article.body)
               if block.type == "subhead"]
    roles = [(kind_of(article, field).replace("continued", "headline").replace("_", " "),
              cjk_visible(text)) for field, text in fields]
    roles += [(role, cjk_visible(getattr(figure, role))) for figure in article.figures
              for role in ("caption", "credit") if getattr(figure, role)]
    fitting = "; ".join(f"{kind_of(article, field)} "
                        f"{fitted(style, article, field, text, span, boxed, True).describe()}"
                        for field, text in fields)
    return {"fitting": fitting, "display": tuple(roles)}
