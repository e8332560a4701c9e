"""Character classes and the per-line decisions of Chinese layout (cjk-rules.md IDs).

Pure text functions, no renderer: the WeasyPrint adapter asks them which marks to set
half-width (PA-1/2/3) and where a line may take extra space when it is justified
(JUS-1), so the rules can be tested on strings and reused by any other renderer.
"""

from __future__ import annotations

import functools
import re

WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
#: Characters that take no room and are skipped when looking at neighbours.
INVISIBLE = frozenset("\u2060\u200b\u200c\u200d\ufeff")

#: Full-width marks whose blank half is on the left (opening quotes and brackets).
OPENING = frozenset("“‘（《〈「『【〔〖［｛")
#: Full-width marks whose blank half is on the right (closing marks, pauses, stops).
CLOSING = frozenset("”’）》〉」』】〕〗］｝")
PAUSES = frozenset("、，。．：；？！")
RIGHT_BLANK = CLOSING | PAUSES
#: ?! pairs take one em together (W-1): both halves are set half-width.
EXCLAMATIONS = frozenset("？！")
#: The two-em units —— and …… (UNIT-1): never split, never stretched inside.
UNIT_MARKS = frozenset("—…")


def is_han(char: str) -> bool:
    """Han ideographs (汉字), including extension blocks and 〇."""
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3134F or char == "〇")


def is_wide(char: str) -> bool:
    """Characters set on the em grid: Han, kana, full-width marks and forms."""
    code = ord(char)
    return (is_han(char) or char in OPENING or char in RIGHT_BLANK or char in UNIT_MARKS
            or 0x3000 <= code <= 0x30FF or 0xFF01 <= code <= 0xFF60)



def is_run_char(char: str) -> bool:
    """Part of a Latin run: a letter, digit or sign of Latin text (a URL, an e-mail
    address, a word, a number), as opposed to the wide characters, spaces and joiners
    around it."""
    return not (is_wide(char) or char.isspace() or char in INVISIBLE)


def run_end(text: str, start: int = 0) -> int:
    """The index just past the Latin run that begins at ``start`` (``start`` itself
    when none does)."""
    end = start
    while end < len(text) and is_run_char(text[end]):
        end += 1
    return end


_MARK = "[" + re.escape("".join(sorted(OPENING | RIGHT_BLANK))) + "]"
#: Two marks next to each other, maybe with invisible characters between (a lookahead,
#: so that runs of three marks yield both pairs).
_PAIR = re.compile(f"(?={_MARK}[{''.join(sorted(INVISIBLE))}]*{_MARK})")


@functools.lru_cache(maxsize=16384)
def halt_pairs(text: str) -> tuple[int, ...]:
    """PA-1 / W-1: indices of marks set half-width because another mark follows.

    In a pair the blank half that sits between the two marks goes: the first mark's if
    it is a closing mark or a pause (“），” “。””), else the second's if it is an opening
    mark (“《“”). ？！ pairs lose both halves. Called on every text the renderer lays out
    (often the same text again, while columns are balanced), so results are cached and
    the scan is a regular expression: the Python loop only sees the pairs.
    """
    halted = []
    for match in _PAIR.finditer(text):
        previous = match.start()
        index = previous + 1
        while text[index] in INVISIBLE:
            index += 1
        before, char = text[previous], text[index]
        if before in EXCLAMATIONS and char in EXCLAMATIONS:
            halted += [previous, index]
        elif before in RIGHT_BLANK:
            halted.append(previous)
        elif char in OPENING:  # two opening marks
            halted.append(index)
    return tuple(sorted(set(halted)))




@functools.lru_cache(maxsize=65536)
def justification_weights(text: str) -> tuple[float, ...]:
    """JUS-1: how much of a line's extra space goes after each character.

    One share between wide characters, half a share at a Han–Latin boundary and where
    a closing mark follows or an opening mark precedes a character (so marks stay close
    to what they mark, yet the line has more places to take the space: extractors read
    gaps over about 0.1 em as spaces), none between two marks, none inside Latin words
    or numbers, none inside ——/……, and none after the last
    character. A space between words takes one share (half on each side of it).
    Invisible joiners are looked through, and the share goes on the visible character
    before them (renderers position invisible glyphs less exactly).
    """
    weights = [0.0] * len(text)
    visible = [i for i, char in enumerate(text) if char not in INVISIBLE]
    for left, right in zip(visible, visible[1:]):
        weights[left] = _weight(text[left], text[right])
    return tuple(weights)


@functools.lru_cache(maxsize=4096)
def run_weights(text: str) -> tuple[float, ...]:
    """JUS-1 for a line with no place :func:`justification_weights` gives space to: a
    piece of a Latin run broken across lines (FIT-1). One share between every two
    visible characters, none after the last; the few points left over on such a line
    stay far below the gap extractors read as a space."""
    weights = [0.0] * len(text)
    visible = [i for i, char in enumerate(text) if char not in INVISIBLE]
    for left in visible[:-1]:
        weights[left] = 1.0
    return tuple(weights)


def _weight(a: str, b: str) -> float:
    if a == " " or b == " ":
        return 0.5
    if a in UNIT_MARKS and b == a:
        return 0.0
    marks = RIGHT_BLANK | OPENING
    if a in marks and b in marks:
        return 0.0
    if b in RIGHT_BLANK or a in OPENING:
        return 0.5
    wide_a, wide_b = is_wide(a), is_wide(b)
    if wide_a and wide_b:
        return 1.0
    if wide_a != wide_b:
        return 0.5
    return 0.0


def last_line_guard(text: str) -> str:
    """ORP-1: glue a paragraph's last Han character to what precedes it.

    A word joiner goes before the last Han character (and before any opening marks
    that lead into it, dropping the break a zero-width space offered there). What comes
    before is then either a Han character, now glued, or a mark that may not start a
    line (KIN-1) and so takes its own neighbour along: the last line holds more than
    one character (a paragraph of marks and one Han character aside).
    """
    last = next((i for i in range(len(text) - 1, -1, -1) if is_han(text[i])), 0)
    if not any(is_han(char) for char in text[:last]):  # (scans from the end, then the start)
        return text
    start = last
    while start > 0 and (text[start - 1] in OPENING or text[start - 1] in INVISIBLE):
        start -= 1
    if start == 0 or text[start - 1] == WORD_JOINER:
        return text
    lead = text[start:last].replace(ZERO_WIDTH_SPACE, "")
    return text[:start] + WORD_JOINER + lead + text[last:]


def quote_breaks(text: str) -> str:
    """KIN: let a line break before “‘ and after ”’ where they touch Chinese text.

    Unicode line breaking (UAX #14 before 15.1, as Pango 1.50 has it) treats curly quotes
    as ambiguous and forbids breaks on both sides, so “将“温暖” moves to the next line as
    one block and leaves a gap of two or three ems to stretch. A zero-width space marks
    the break Chinese typesetting allows; it is invisible and extracts as nothing.
    """
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in "“‘" and before and is_wide(before) and before not in OPENING:
            out.append(ZERO_WIDTH_SPACE)
        out.append(char)
        if char in "”’" and after and is_wide(after) and after not in RIGHT_BLANK:
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def split_before_mark(head: str, following: str) -> tuple[str, str]:
    """PA-1 across a change of font: (head without its last mark, that mark).

    A dateline or run-in head set in another font ends with a mark (“报道：”) and the
    text that follows opens with one (“““”): the pair must share one text run to be
    compressed, so the head's mark is set with the text after it instead. Before an
    opening quote the mark takes the zero-width space :func:`quote_breaks` puts there
    inside a text: the line may break between the two, as it may inside one text (a
    seam is no reason for a loose line).
    """
    visible = following.lstrip("".join(INVISIBLE))
    if head and head[-1] in RIGHT_BLANK | OPENING and visible[:1] in RIGHT_BLANK | OPENING:
        breaks = visible[0] in "“‘" and head[-1] not in OPENING and following[:1] == visible[0]
        return head[:-1], head[-1] + (ZERO_WIDTH_SPACE if breaks else "")
    return head, ""


@functools.lru_cache(maxsize=16384)
def latin_boundaries(text: str) -> tuple[int, ...]:
    """SP-1: indices of characters followed by a Han–Latin (or digit) boundary.

    Only boundaries inside ``text`` count: a line's first and last characters never get
    the space at its edge.
    """
    found = []
    visible = [i for i, char in enumerate(text) if char not in INVISIBLE]
    for left, right in zip(visible, visible[1:]):
        a, b = text[left], text[right]
        if (is_han(a) and b.isascii() and b.isalnum()) or \
                (a.isascii() and a.isalnum() and is_han(b)):
            found.append(left)
    return tuple(found)
