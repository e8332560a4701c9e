"""Styles: a folder ``styles/<name>/`` with style.yaml, CSS and templates.

style.yaml holds the numbers the layout stage needs (page, grid, fonts); the look lives
in the CSS and templates beside it, so a paper restyles without touching Python.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from typeset import FONTS_DIR, STYLES_DIR
from typeset.errors import TypesetError

PT_PER_MM = 72 / 25.4


class Grid(BaseModel):
    """The page grid (版面网格), in body characters and body lines.

    Column measure and gutter are whole numbers of characters so that the type sits on a
    character grid (GRID-1); the type area is a whole number of body lines.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: int = Field(ge=1, le=12)  # 基本栏
    column_chars: int = Field(ge=4)
    gap_chars: int = Field(ge=1)
    body_pt: float = Field(gt=0)  # 正文字号
    line_pt: float = Field(gt=0)  # 行距 (baseline to baseline)
    lines: int = Field(ge=10)  # type area height in body lines
    masthead_lines: int = Field(ge=0)  # height of the masthead band on the front page
    module_gap_lines: int = Field(ge=0)  # space between stacked modules (holds the rule)

    @property
    def column_pt(self) -> float:
        return self.column_chars * self.body_pt

    @property
    def gap_pt(self) -> float:
        return self.gap_chars * self.body_pt

    def width_pt(self, span: int) -> float:
        """Width of a module ``span`` columns wide (columns plus the gutters inside it)."""
        return span * self.column_pt + (span - 1) * self.gap_pt

    def x_pt(self, column: int) -> float:
        """Left edge of 1-based ``column``."""
        return (column - 1) * (self.column_pt + self.gap_pt)

    @property
    def type_width_pt(self) -> float:
        return self.width_pt(self.columns)

    @property
    def type_height_pt(self) -> float:
        return self.lines * self.line_pt


class PageSize(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)


class DisplayKind(BaseModel):
    """How one kind of display line is set and how far it may be fitted (HEAD-2/HEAD-4).

    ``size_pt``, ``lines`` (line height in body lines) and ``min_pt`` are one number, or
    one per span (1, 2, …; the last holds for wider spans). Fitting steps the size down
    by ``step_pt`` to ``min_pt``; ``gap_em`` is the printed phrase gap; ``wrap_last``
    keeps one line by scale and size before wrapping; ``indent_em`` is room taken before
    the text (a column label's mark).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    font: str  # the file in fonts/ the CSS sets this kind in
    size_pt: float | tuple[float, ...]
    lines: int | tuple[int, ...]
    min_pt: float | tuple[float, ...]
    step_pt: float = Field(default=1.0, gt=0)
    gap_em: float = Field(ge=0)
    wrap_last: bool = False
    max_lines: int = Field(default=4, ge=1)
    indent_em: float = 0.0

    def size(self, span: int) -> float:
        return _per_span(self.size_pt, span)

    def line_pt(self, span: int, grid: Grid) -> float:
        return _per_span(self.lines, span) * grid.line_pt

    def sizes(self, span: int) -> tuple[float, ...]:
        """The natural size at ``span``, then each smaller step down to the minimum."""
        size, least = self.size(span), min(self.size(span), _per_span(self.min_pt, span))
        steps = [size]
        while steps[-1] - self.step_pt >= least - 1e-9:
            steps.append(round(steps[-1] - self.step_pt, 2))
        return tuple(steps) if steps[-1] == least else (*steps, least)


def _per_span(value, span: int):
    return value[min(span, len(value)) - 1] if isinstance(value, tuple) else value


class Display(BaseModel):
    """Display type (display-type.md): each kind's settings and the narrowest scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_scale: float = Field(gt=0.5, le=1)  # 长体 down to this
    column_label: DisplayKind
    kicker: DisplayKind
    headline: DisplayKind
    continued: DisplayKind  # a jump's continuation repeats its headline small
    deck: DisplayKind
    subhead: DisplayKind


class Style(BaseModel):
    """A loaded style: its folder, page size, grid and the font files it uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    folder: Path
    page: PageSize
    grid: Grid
    fonts: list[str] = Field(min_length=1)  # files in fonts/, first = body face
    boxed_kinds: list[str] = []  # article kinds set in a frame (e.g. commentary)
    #: SP-1: room between Han characters and Latin letters or digits, in em (0, 1/8, 1/4).
    latin_spacing_em: float = Field(default=0.0, ge=0, le=0.25)
    display: Display

    @cached_property
    def font_paths(self) -> list[Path]:
        return [FONTS_DIR / name for name in self.fonts]

    @property
    def margins_pt(self) -> tuple[float, float]:
        """(horizontal, vertical) margin that centres the type area on the page."""
        width = self.page.width_mm * PT_PER_MM
        height = self.page.height_mm * PT_PER_MM
        return ((width - self.grid.type_width_pt) / 2, (height - self.grid.type_height_pt) / 2)


def load_style(name: str = "broadsheet") -> Style:
    """Load ``styles/<name>/style.yaml``."""
    folder = STYLES_DIR / name
    path = folder / "style.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in STYLES_DIR.iterdir() if p.is_dir()))
        raise TypesetError(f"unknown style '{name}' (known: {known})", file=path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return Style.model_validate({**data, "name": name, "folder": folder})
    except ValidationError as exc:
        error = exc.errors()[0]
        raise TypesetError(error["msg"], file=path,
                           field=".".join(str(p) for p in error["loc"])) from None
