"""Measured module heights, cached on disk.

Measuring is a real WeasyPrint render of each module alone (see
:func:`typeset.pipeline.measurer`), by far the slowest part of planning a page. The planner
asks for every article at several spans, and a rebuild asks again for the same ones, so
heights are kept on disk under a key that changes whenever anything that could change the
height does: the article as set (after the cjk stage) and its pictures' pixel sizes, the
span, the style folder's files, the font files' contents, typeset's code and the
WeasyPrint and Pango versions.

The cache (:mod:`typeset.cache`) holds one small JSON file per key; concurrent builds
never read a half-written entry, and a lost race only writes the same number twice.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from PIL import Image
from weasyprint.text.ffi import pango

from typeset import cache
from typeset.model import Article
from typeset.style import Style

#: Heights of articles set ``span`` columns wide: {(article id, span): height in pt}.
Measure = Callable[[list[tuple[Article, int]]], dict[tuple[str, int], float]]


def cached(measure: Measure, style: Style, root: Path, language: str) -> Measure:
    """``measure`` with a disk cache in front: only unknown (article, span) are rendered.

    ``root`` is the issue folder: a figure's height follows its picture's proportions,
    so the pictures' pixel sizes are part of each key; ``language`` is the issue's
    (the measuring sheet's ``lang``, which sets how Pango breaks lines).
    """
    def lookup(wanted: list[tuple[Article, int]]) -> dict[tuple[str, int], float]:
        style_key = style_digest(style) + language
        digests = {a.id: _article_digest(a) for a, _ in wanted}
        keys = {(a.id, span): key(digests[a.id], span, style_key + _pictures(a, root))
                for a, span in _unique(wanted)}
        heights = {}
        missing = []
        for article, span in _unique(wanted):
            height = _read(keys[(article.id, span)])
            if height is None:
                missing.append((article, span))
            else:
                heights[(article.id, span)] = height
        if missing:
            fresh = measure(missing)
            for (article_id, span), height in fresh.items():
                _write(keys[(article_id, span)], height)
            heights.update(fresh)
        return heights
    return lookup


def key(article_digest: bytes, span: int, style_key: str) -> str:
    """The cache key of the article of digest ``article_digest``
    (:func:`_article_digest`) set ``span`` columns wide in the style ``style_key``."""
    digest = hashlib.sha256(article_digest)
    digest.update(f"|{span}|{style_key}".encode())
    return digest.hexdigest()


def _article_digest(article: Article) -> bytes:
    return hashlib.sha256(article.model_dump_json().encode("utf-8")).digest()


def style_digest(style: Style) -> str:
    """Everything that sets a module's height besides the article: the style's files and
    fonts, typeset's own code (the text rules and the CJK engine change heights; a
    version number alone would let a developer's edits read stale heights) and the
    WeasyPrint version."""
    files = sorted(p for p in style.folder.rglob("*") if p.is_file())
    return _style_digest(style.folder, tuple(files), tuple(style.font_paths),
                         tuple(cache.stamp(p) for p in files + list(style.font_paths)))


@functools.lru_cache(maxsize=8)
def _style_digest(folder: Path, files: tuple[Path, ...], fonts: tuple[Path, ...],
                  _stamps: tuple) -> str:
    digest = hashlib.sha256("|".join(_versions()).encode())
    digest.update(_code_digest())
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    for path in fonts:
        digest.update(cache.file_digest(path))
    return digest.hexdigest()


def _versions() -> list[str]:
    """The libraries whose versions can change a setting or the bytes written (the
    system's HarfBuzz, FreeType and fontconfig, which Pango uses, are not among them:
    Pango's version stands for them)."""
    return ([version(name) for name in ("typeset", "weasyprint", "pydyf", "Pillow",
                                        "uharfbuzz", "fonttools", "pikepdf")]
            + [str(pango.pango_version())])


def _pictures(article: Article, root: Path) -> str:
    return "".join(f"|{'x'.join(map(str, picture_size(root / f.image)))}"
                   for f in article.figures)


@cache.per_file
def picture_size(path: Path) -> tuple[int, int]:
    """A picture's size in pixels (a figure's height follows its proportions)."""
    with Image.open(path) as picture:
        return picture.size


@functools.cache
def _code_digest() -> bytes:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _unique(wanted: list[tuple[Article, int]]) -> list[tuple[Article, int]]:
    seen = {}
    for article, span in wanted:
        seen.setdefault((article.id, span), (article, span))
    return list(seen.values())


def _read(name: str) -> float | None:
    """The height stored under ``name``: from this process's memory when it read or
    wrote it before (``--watch`` looks up every module of the issue on each save, a
    thousand files at 32 pages), else from the disk cache."""
    known = (cache.folder("heights"), name)
    if known in _known:
        return _known[known]
    try:
        height = json.loads(cache.read("heights", name, ".json"))["height"]
    except (TypeError, ValueError, KeyError):
        return None
    _remember(known, height)
    return height


def _write(name: str, height: float) -> None:
    cache.write("heights", name, ".json", json.dumps({"height": height}).encode())
    _remember((cache.folder("heights"), name), height)


#: Heights this process has read or written, by cache folder and key (a content hash:
#: never stale; the folder, so that a build pointed at an empty cache measures anew).
_known: dict[tuple[Path, str], float] = {}


def _remember(known: tuple[Path, str], height: float) -> None:
    if len(_known) >= 100_000:  # a night of re-proofs adds a few per save
        _known.clear()
    _known[known] = height
