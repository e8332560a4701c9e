"""The CJK stage: Chinese text rules applied to the model's text (Issue → Issue).

:func:`normalise` is what holds for every output, print or reflowable:

- Q-1: straight quotes become mainland quotes, “” outside and ‘’ inside;
- code points that share one glyph in the CJK fonts are normalised (⋯ → …), because the
  PDF would otherwise extract the wrong one and archives would not match the source.

:func:`apply` adds, for print, the invisible aids that steer the print engine's line
breaking. The EPUB takes the issue from :func:`normalise` instead: a reader's engine
breaks lines by its CSS, and search, copy, dictionaries and speech must see plain text.

- KIN-1: a word joiner (U+2060) is put before — ～ ·, which Pango would otherwise let
  start a line; it is invisible and drops out of extracted text;
- KIN: a zero-width space where a line may break next to curly quotes;
- ORP-1: the last two Han characters of every paragraph are joined the same way, so a
  paragraph never ends with one character alone on its last line; HEAD-7: a caption's
  last four (:func:`.display.caption_guard`).

Per-line decisions (punctuation compression, justification) are in :mod:`.rules`, used
by the print adapter once lines are known.
"""

from __future__ import annotations

import functools
import re

from typeset.cjk import display
from typeset.cjk.rules import WORD_JOINER, ZERO_WIDTH_SPACE, last_line_guard, quote_breaks
from typeset.model import Issue

#: Marks Pango lets start a line although clreq KIN-1 forbids it.
_NO_BREAK_BEFORE = re.compile(r"(?<=[^\s\u2060—])([—～·])")
_EQUIVALENTS = str.maketrans({"⋯": "…", "･": "·", "‧": "·"})
#: Fields that hold identifiers or paths, not text to typeset.
_NOT_TEXT = frozenset({"id", "kind", "image", "type", "slug", "language", "date"})


def apply(issue: Issue) -> Issue:
    """The issue for print: :func:`normalise`, then every text field through
    :func:`prepare_text` (joiners, breaks) and each paragraph's last line glued."""
    data = _walk(normalise(issue).model_dump(), None, prepare_text)
    for article in data["articles"]:
        for block in article["body"]:
            if block["type"] != "subhead":
                block["spans"][-1]["text"] = last_line_guard(block["spans"][-1]["text"])
        for figure in article["figures"]:
            figure["caption"] = display.caption_guard(figure["caption"])
    return Issue.model_validate(data)


def normalise(issue: Issue) -> Issue:
    """The issue's text as every output shows it: quotes paired over each paragraph,
    equivalent marks unified; nothing invisible added."""
    data = issue.model_dump()
    for article in data["articles"]:
        for block in article["body"]:
            if block["type"] != "subhead":
                _quotes_across_spans(block)
    return Issue.model_validate(_walk(data, None, _normalise_text))


@functools.lru_cache(maxsize=16384)
def _normalise_text(text: str) -> str:
    return normalise_quotes(text.translate(_EQUIVALENTS))


@functools.lru_cache(maxsize=16384)
def prepare_text(text: str) -> str:
    """Normalise one piece of text (quotes, equivalent marks, no-break joiners).

    Remembered: ``typeset build --watch`` prepares the same texts on every save."""
    text = _normalise_text(text)
    return quote_breaks(_NO_BREAK_BEFORE.sub(WORD_JOINER + r"\1", text))


@functools.lru_cache(maxsize=16384)
def normalise_quotes(text: str) -> str:
    """Q-1: straight double quotes alternate “ ”, straight single quotes ‘ ’.

    A single quote between two Latin letters is an apostrophe (don't) and stays.
    Remembered, as :func:`prepare_text` is: every paragraph passes here on each save.
    """
    out = []
    double_open = single_open = False
    for index, char in enumerate(text):
        if char == '"':
            out.append("”" if double_open else "“")
            double_open = not double_open
        elif char == "'" and not _between_letters(text, index):
            out.append("’" if single_open else "‘")
            single_open = not single_open
        else:
            out.append(char)
    return "".join(out)


def _between_letters(text: str, index: int) -> bool:
    """An apostrophe: after a Latin letter or digit and before a letter (don't, 1990's)."""
    return (0 < index < len(text) - 1 and text[index - 1].isascii() and text[index - 1].isalnum()
            and text[index + 1].isascii() and text[index + 1].isalpha())


def _quotes_across_spans(block: dict) -> None:
    """Q-1 over a whole paragraph: a quotation may open in plain text and close after a
    bold span, so quotes are paired over the joined spans (each quote stays one
    character, so the spans keep their lengths)."""
    texts = [block.get("run_in") or ""] + [span["text"] for span in block["spans"]]
    joined = normalise_quotes("".join(texts))
    position = 0
    for index, text in enumerate(texts):
        texts[index] = joined[position:position + len(text)]
        position += len(text)
    if block.get("run_in"):
        block["run_in"] = texts[0]
    for span, text in zip(block["spans"], texts[1:]):
        span["text"] = text


def _walk(value, key, change):
    """``value`` with ``change`` applied to every string of it that is text."""
    if isinstance(value, str):
        return value if key in _NOT_TEXT else change(value)
    if isinstance(value, list):
        return [_walk(item, key, change) for item in value]
    if isinstance(value, dict):
        return {k: _walk(v, k, change) for k, v in value.items()}
    return value


def visible(text: str) -> str:
    """Text as a reader sees it: without the invisible marks this stage inserts."""
    return text.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")
