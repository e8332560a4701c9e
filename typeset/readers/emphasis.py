"""Markdown emphasis that works beside Chinese punctuation.

CommonMark decides whether ``**`` may open or close emphasis from the characters on
either side ("flanking"): a run followed by punctuation only opens when it is preceded
by a space or punctuation. English puts a space there; Chinese does not, so
``坚持**“三个不变”**原则`` came out with its asterisks printed. For ``*`` runs this rule
also counts a Chinese character (Han, CJK punctuation, full-width forms) beside the run
as such a boundary, which is what the writer of Chinese Markdown means. ``_`` keeps
CommonMark's rule: it is rare in Chinese copy and stricter by design.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, StateInline

from typeset.cjk.rules import is_han


def install(parser: MarkdownIt) -> MarkdownIt:
    """``parser`` with its emphasis rule replaced by :func:`tokenize`."""
    parser.inline.ruler.at("emphasis", tokenize)
    return parser


def tokenize(state: StateInline, silent: bool) -> bool:
    """Push each marker of a ``*``/``_`` run as text and record the run as a delimiter
    (markdown-it pairs the delimiters afterwards)."""
    start, marker = state.pos, state.src[state.pos]
    if silent or marker not in "*_":
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    can_open, can_close = _flanking(marker, before, after)
    for _ in range(end - start):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=end - start,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=can_open, close=can_close))
    state.pos = end
    return True


def _flanking(marker: str, before: str, after: str) -> tuple[bool, bool]:
    """(can open, can close) for a run of ``marker`` between ``before`` and ``after``."""
    space_before, space_after = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    mark_before, mark_after = _punctuation(before), _punctuation(after)
    wide_before = marker == "*" and _chinese(before)
    wide_after = marker == "*" and _chinese(after)
    left = not space_after and (not mark_after or space_before or mark_before or wide_before)
    right = not space_before and (not mark_before or space_after or mark_after or wide_after)
    if marker == "*":
        return left, right
    return left and (not right or mark_before), right and (not left or mark_after)


def _punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _chinese(char: str) -> bool:
    code = ord(char)
    return (is_han(char) or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
            or char in "“”‘’—…·")
