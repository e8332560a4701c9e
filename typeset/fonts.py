"""Font coverage: every character to be set must be in a bundled font.

Pango would otherwise fall back to whatever the machine has (or draw .notdef boxes), and a
page proof would silently differ from the archive. Checking the cmaps up front lets us
name the article, field and character instead.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from typeset import cache
from typeset.cjk.rules import halt_pairs
from typeset.errors import TypesetError
from typeset.model import Issue
from typeset.style import Style


@cache.per_file
def _cmap(path: Path) -> frozenset[int]:
    if not path.is_file():
        raise TypesetError("bundled font is missing (see fonts/README.md to rebuild it)",
                           file=path)
    # HarfBuzz reads the cmap in a millisecond where fontTools takes 40.
    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


def covered(style: Style) -> frozenset[int]:
    """Code points some font of ``style`` has a glyph for."""
    return _union(tuple(_cmap(path) for path in style.font_paths))


@lru_cache(maxsize=4)
def _union(cmaps: tuple[frozenset[int], ...]) -> frozenset[int]:
    return frozenset().union(*cmaps)


def postscript_names(style: Style) -> dict[str, Path]:
    """The style's font files by PostScript name (how a PDF knows its fonts)."""
    return {_postscript_name(path): path for path in style.font_paths}


@cache.per_file
def _postscript_name(path: Path) -> str:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)


def check_coverage(issue: Issue, style: Style) -> None:
    """Raise for the first character no font of ``style`` can set."""
    have = covered(style)
    fields = [(None, name, getattr(issue, name) or "")
              for name in ("paper", "paper_latin", "publisher", "weekday", "lunar_date",
                           "registration")]
    for index, page in enumerate(issue.pages):
        fields.append((None, f"pages[{index}].section", page.section))
        fields += [(None, f"pages[{index}].credits", c.role + c.name) for c in page.credits]
    for article in issue.articles:
        fields += [(article.id, field, text) for field, text in article.texts()]
    for article_id, field, text in fields:
        if have.issuperset(map(ord, text)):
            continue  # the common case, at C speed
        for char in text:
            if ord(char) not in have and not _invisible(char):
                name = unicodedata.name(char, "unnamed")
                raise TypesetError(f"character '{char}' (U+{ord(char):04X} {name}) is in no "
                                   "bundled font", article=article_id, field=field)


def _invisible(char: str) -> bool:
    """Controls and format characters (joiners, line breaks) need no glyph."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


@lru_cache(maxsize=65536)
def advance_em(path: Path, text: str) -> float:
    """Width of ``text`` set in the font at ``path``, in em, as the renderer sets it:
    shaped by HarfBuzz (as Pango shapes it, with the font's kerning), the marks of
    adjacent pairs half-width (PA-1, as the CJK engine sets them on every line)."""
    font = _shaper(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.language = "zh-cn"
    hb.shape(font, buffer, {})
    units = sum(position.x_advance for position in buffer.glyph_positions)
    return units / font.face.upem - 0.5 * len(halt_pairs(text))


@lru_cache(maxsize=8)
def _shaper(path: Path) -> hb.Font:
    """A HarfBuzz font for a bundled font file (they do not change while a build runs)."""
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
