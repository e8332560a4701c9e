"""Text files as the readers take them: UTF-8, without a byte-order mark, and without
control characters.

Windows Notepad starts a UTF-8 file with a byte-order mark (U+FEFF); it is invisible
to the editor, so it is dropped rather than reported. A control character (BEL, ESC,
form feed, DEL, NUL …) is invisible too, but it is not text: XHTML may not hold it
(EPUBCheck stops at it) and no font draws it. It usually comes from a paste out of
another program, so it is refused with its line and code point for the editor to
delete, rather than dropped behind their back. Tabs and line breaks are the only
controls a text file may hold.
"""

from __future__ import annotations

from pathlib import Path

from typeset.errors import TypesetError
from typeset.messages import msg
from typeset.model.characters import FORBIDDEN, describe

BOM = "\ufeff"


def read_text(path: Path) -> str:
    """The text of ``path``: UTF-8 decoded (else an error naming the line), a leading
    byte-order mark removed, checked for control characters (:func:`check_controls`)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TypesetError(msg("text.not_utf8", line=line, byte=data[exc.start]),
                           file=path) from None
    text = text.removeprefix(BOM)
    check_controls(text, path)
    return text


def check_controls(text: str, path: Path | None = None) -> None:
    """Raise for the first forbidden control character in ``text`` (the text of
    ``path``), naming its line and code point."""
    found = FORBIDDEN.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    raise TypesetError(msg("text.control", line=line, **describe(found.group())), file=path)
