"""Which characters text may hold: none of the control characters but tab and line
breaks, and only characters XML 1.0 allows.

A control character (BEL, ESC, form feed, DEL, NUL …) is invisible and is not text:
XHTML may not hold it (EPUBCheck stops at it) and no font draws it. Readers check a
file's text with its lines (:mod:`typeset.readers.text`); the model checks every string
again, for text that reaches it by other ways (JSON, or YAML's ``"\\x07"`` escapes).
"""

from __future__ import annotations

import re
import unicodedata

#: C0 and C1 controls other than tab, line feed and carriage return, DEL, lone
#: surrogates (JSON's ``"\\ud800"``) and the two non-characters XML 1.0 does not allow.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

#: Names for the controls Unicode gives no name (unicodedata.name fails on them).
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB",
                  0x0C: "FORM FEED", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEXT LINE"}


def describe(char: str) -> dict[str, str]:
    """``code`` (U+0007) and ``name`` (BEL) of a character, for messages."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "control character")
    return {"code": f"U+{code:04X}", "name": name}
