"""Keep system fonts out of our PDFs.

Pango falls back to any installed font for a glyph the @font-face fonts lack, and then
embeds it silently: output would depend on the machine. Pointing FONTCONFIG_FILE at a
configuration that lists only the bundled fonts/ folder makes the bundled fonts the whole
world (we check coverage from their cmaps before rendering). It must happen before Pango
initialises, i.e. before weasyprint is imported.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from typeset import FONTS_DIR


def isolate() -> None:
    """Write a fonts.conf that knows only fonts/ and make fontconfig use it."""
    if os.environ.get("TYPESET_SYSTEM_FONTS"):  # escape hatch for debugging
        return
    # One folder per fonts/ folder and user: two checkouts never share a configuration.
    digest = hashlib.sha256(str(FONTS_DIR).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"typeset-fontconfig-{os.getuid()}-{digest}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.stat().st_uid != os.getuid():  # (an environment error: exit 3)
        raise PermissionError(errno.EACCES, "belongs to another user", str(folder))
    conf = folder / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(FONTS_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n")
    if not conf.is_file() or conf.read_text() != text:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".fonts.conf.")
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(temporary, conf)  # concurrent builds never read half a file
    os.environ["FONTCONFIG_FILE"] = str(conf)
