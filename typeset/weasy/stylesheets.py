"""Parsed stylesheets and their fonts, kept from one document to the next.

A build renders many documents with one stylesheet (measuring sheets, pages, the
cover); parsing it and loading its @font-face fonts cost about 60 ms each time, so the
pair is kept. @font-face rules are only honoured when the stylesheet and the render
share one ``FontConfiguration``; without it WeasyPrint silently falls back to
fontconfig's choice among the fonts it knows.

Each ``FontConfiguration`` copies the fonts it loads into a temporary folder (39 MB for
the broadsheet's five faces) and removes it when collected. Ours put it in the run's
own temporary folder (:mod:`typeset.scratch`), which goes at exit or on SIGTERM and is
reclaimed after a kill. Kept configurations are let go at exit, and one is only ever
removed by the process that made it: a forked worker (:mod:`typeset.parallel`) inherits
the parent's and must not delete the parent's folder, while what a worker makes itself
goes when the worker exits.

The key holds the times and sizes of the font files: a font replaced under the same
name during ``typeset build --watch`` is loaded anew. The CJK engine's measurements,
kept by font family, are dropped whenever the fonts change
(:func:`typeset.weasy.cjk_patch.forget`).
"""

from __future__ import annotations

import functools
import os
import weakref
from multiprocessing import util
from pathlib import Path
from shutil import rmtree

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from typeset import cache, scratch
from typeset.weasy import cjk_patch
from typeset.weasy.fetcher import fetcher


class _Fonts(FontConfiguration):
    """A FontConfiguration that only its own process may clean up."""

    def __init__(self):
        super().__init__()
        self.owner = os.getpid()
        self._folder = scratch.make("fonts-")  # (WeasyPrint's own would be in /tmp)

    def __del__(self):
        if os.getpid() == self.owner:
            super().__del__()


def stylesheet(css: str, base: Path, roots: tuple[Path, ...]):
    """(weasyprint.CSS, FontConfiguration) for ``css``, parsed once per font state.

    The CJK engine keeps widths by font family; when a document comes with another
    FontConfiguration (another stylesheet, which may give a family other files) they
    are dropped, as they are when a font file changes.
    """
    stamps = _font_stamps(roots)
    if stamps != _seen[0]:
        if _seen[0] is not None:
            _parsed.cache_clear()
        _seen[0] = stamps
    sheet, fonts = _parsed(css, base, roots, stamps)
    if _last_fonts[0] is None or _last_fonts[0]() is not fonts:
        cjk_patch.forget()
        _last_fonts[0] = weakref.ref(fonts)
    return sheet, fonts


_seen: list = [None]
_last_fonts: list = [None]


@functools.lru_cache(maxsize=4)
def _parsed(css: str, base: Path, roots: tuple[Path, ...], _stamps: tuple):
    fonts = _Fonts()
    sheet = weasyprint.CSS(string=css, base_url=base.as_uri() + "/",
                           url_fetcher=fetcher(roots), font_config=fonts)
    if fonts._folder is not None:
        util.Finalize(fonts, _remove, args=(fonts._folder, fonts.owner), exitpriority=1)
    return sheet, fonts


def _remove(folder: Path, owner: int) -> None:
    if os.getpid() == owner:
        rmtree(folder, ignore_errors=True)


def _font_stamps(roots: tuple[Path, ...]) -> tuple:
    """Name, time and size of every font file in the folders documents may read."""
    stamps = []
    for root in roots:
        stamps += [(str(path), *cache.stamp(path)) for path in sorted(root.glob("*.[ot]t[fc]"))]
    return tuple(stamps)
