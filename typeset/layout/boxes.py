"""What the layout stage hands on: each page's module boxes, in pt on the type area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from typeset.model import Article


class ModuleBox(BaseModel):
    """One article's rectangle on a page, in pt from the type area's top left.

    ``figure_lines`` and ``air_lines`` are the copyfit the planner chose (body lines
    added to the first full-width figure, negative when it is cropped shorter, and below
    the headline stack); ``fill`` is the share of the box the set text takes. ``article``
    is set when the module shows a part of its article made by the layout stage (a jump,
    转版) rather than the article as written. ``fitting`` tells how its display lines
    were fitted (HEAD-4) and ``display`` holds them as written, (role, text), for the
    layout report (``typeset check`` judges the printed lines against them).
    """

    model_config = ConfigDict(frozen=True)

    article_id: str
    column: int
    span: int
    x: float
    top: float
    width: float
    height: float
    boxed: bool
    figure_lines: int = 0
    air_lines: int = 0
    fill: float = 1.0
    overflow_lines: int = 0
    article: Article | None = None
    fitting: str = ""
    display: tuple[tuple[str, str], ...] = ()


class PageLayout(BaseModel):
    """The modules of one page and what is left blank at the foot of each column."""

    model_config = ConfigDict(frozen=True)

    number: int
    content_top: float  # below the masthead band on the front page
    modules: list[ModuleBox]
    blank_lines: list[int]  # per column, body lines left empty at the foot
