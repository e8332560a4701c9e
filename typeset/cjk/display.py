"""Display lines: where a headline, kicker, deck, column label or subhead breaks, and how
it is fitted to its measure (display-type.md HEAD-1…HEAD-5).

A desk writes a headline as phrases (词组) and decides where its lines break; the
measure never does. So a display text is cut into phrases at the only places a line may
break (HEAD-1): a space in the source, after a pause mark, after a closing quote or
bracket that ends a phrase. Then the fitter chooses whole lines of phrases, no line a
stub (HEAD-3), as balanced as they can be, and fits them by horizontal scale (长体),
then smaller size steps, then the lower-priority boundaries (HEAD-4). Lines the editor
broke by hand are kept (HEAD-5).

Pure text: widths come from a function the caller passes (the fonts' advances, see
:func:`typeset.fonts.advance_em`), so the layout stage knows the fitted lines, size and
scale, and therefore the height, before anything is rendered.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from typeset.cjk.rules import CLOSING, INVISIBLE, OPENING, RIGHT_BLANK, WORD_JOINER, is_wide

SPACES = frozenset(" \u3000")
#: Marks after which a display line may break (HEAD-1).
PAUSE_MARKS = frozenset("，、：；！？。")
#: HEAD-7: the fewest characters a caption's last line holds.
CAPTION_TAIL = 4
#: Boundary tiers: a space, a pause mark or the editor's own line first; a closing quote
#: or bracket that ends a phrase only when nothing else fits (HEAD-4's last resort).
SPACE_TIER, QUOTE_TIER = 1, 2


@dataclass(frozen=True)
class Phrase:
    """A run of a display text that never breaks inside. ``gap``: the source has a space
    after it (printed as the phrase gap when the line goes on, HEAD-2); ``tier``: how
    good a break after it is (``SPACE_TIER`` or ``QUOTE_TIER``; 0 at the end)."""

    text: str
    gap: bool
    tier: int


@dataclass(frozen=True)
class Limits:
    """What a style allows a kind of display line (style.yaml ``display``).

    ``sizes``: the natural size first, then the smaller steps down to the minimum;
    ``wrap_last``: keep one line by scale and size before wrapping (kickers, labels).
    """

    sizes: tuple[float, ...]
    min_scale: float
    gap_em: float
    max_lines: int = 4
    wrap_last: bool = False
    indent_em: float = 0.0  # room the first line gives a mark before the text


@dataclass(frozen=True)
class Fit:
    """The chosen setting: each line as its phrases (printed with the phrase gap between
    them), the size in pt and the horizontal scale; ``fits`` is false when nothing
    within the limits fits the measure (the lines are then the narrowest found)."""

    lines: tuple[tuple[str, ...], ...]
    size: float
    scale: float
    fits: bool
    tier: int = SPACE_TIER
    natural: float = 0.0  # the size before fitting
    measure: float = 0.0  # the width fitted to, in pt

    def describe(self) -> str:
        """The fitting as the layout report prints it."""
        breaks = "" if self.tier == SPACE_TIER or len(self.lines) == 1 else ", quote break"
        return (f"{len(self.lines)} line{'s' if len(self.lines) > 1 else ''} "
                f"{self.size:g}pt {self.scale:.0%}{breaks}")


def _visible(text: str) -> str:
    """Without the joiners and breaks the cjk stage puts in: display lines are broken
    here, by phrase, not by the renderer."""
    return "".join(char for char in text if char not in INVISIBLE)


@functools.lru_cache(maxsize=4096)
def phrases(line: str) -> tuple[Phrase, ...]:
    """HEAD-1: one line of a display text (no hand breaks) cut into phrases.

    Never inside a quotation or bracket (a space or a pause mark inside one stays in
    its phrase), a run of Han characters, a number with its unit or a Latin word; never
    before a mark that may not start a line.
    """
    text = _visible(line).strip(" \u3000")
    out: list[Phrase] = []
    current, depth = "", 0
    for index, char in enumerate(text):
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in SPACES and depth == 0:
            if current:
                out.append(Phrase(current, True, SPACE_TIER))
                current = ""
            continue
        current += char
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        if depth or not after or after in SPACES or after in CLOSING or after in PAUSE_MARKS:
            continue
        if char in PAUSE_MARKS:
            out.append(Phrase(current, False, SPACE_TIER))
            current = ""
        elif char in CLOSING:
            out.append(Phrase(current, False, QUOTE_TIER))
            current = ""
    if current:
        out.append(Phrase(current, False, 0))
    elif out:
        out[-1] = Phrase(out[-1].text, False, 0)
    return tuple(out)


def weight(text: str) -> float:
    """HEAD-3's length of a line: wide characters count 1, Latin letters and digits ½."""
    return sum(1.0 if is_wide(char) else 0.5 for char in text if char not in SPACES)


def is_stub(lines: list[str]) -> bool:
    """HEAD-3: the shortest of two or more lines holds less than a third of the longest."""
    weights = [weight(line) for line in lines]
    return len(weights) > 1 and min(weights) * 3 < max(weights)


def fit(text: str, width_pt: float, limits: Limits,
        advance: Callable[[str], float]) -> Fit:
    """Set ``text`` (hand breaks as "\\n") in ``width_pt``: the best lines, size and scale
    within ``limits`` (HEAD-3/4/5). ``advance(run)`` is the width of a run in em."""
    hands = [phrases(line) for line in text.split("\n")]
    hands = [hand for hand in hands if hand]
    common = (limits.sizes[0], width_pt)
    best_effort = None
    # A kind that wraps last first tries one line per hand line through every size.
    for most in ((1, limits.max_lines) if limits.wrap_last else (limits.max_lines,)):
        for tier in (SPACE_TIER, QUOTE_TIER):
            for size in limits.sizes:
                chosen = [_best(hand, tier, size, width_pt, limits, most, advance)
                          for hand in hands]
                if any(c is None for c in chosen):
                    continue
                needed = max(need for need, _ in chosen)
                lines = tuple(line for _, hand_lines in chosen for line in hand_lines)
                if needed <= 1 / limits.min_scale:
                    return Fit(lines, size, _scale(needed), True, tier, *common)
                if best_effort is None or needed * size < best_effort[0]:
                    best_effort = (needed * size,
                                   Fit(lines, size, limits.min_scale, False, tier, *common))
    if best_effort is None:  # a hand line with nothing but stubs: set it whole
        lines = tuple(tuple(p.text for p in _joined(hand)) for hand in hands)
        return Fit(lines, limits.sizes[-1], limits.min_scale, False, SPACE_TIER, *common)
    return best_effort[1]


def _scale(needed: float) -> float:
    """The horizontal scale for a line ``needed`` times the measure: 1 when it fits,
    else rounded down to a thousandth (so the printed line is never wider)."""
    return 1.0 if needed <= 1 else int(1000 / needed) / 1000


def _best(hand: tuple[Phrase, ...], tier: int, size: float, width_pt: float,
          limits: Limits, most: int, advance) -> tuple[float, tuple[tuple[str, ...], ...]] | None:
    """The best lines for one hand line at ``size``: (the widest line over the
    measure, the lines), or None when every way to break it leaves a stub."""
    best_key, best = None, None
    for lines in _breakings(hand, tier, most):
        texts = ["".join(p.text for p in line) for line in lines]
        if is_stub(texts):
            continue
        widths = [(_width(line, limits.gap_em, advance) + limits.indent_em * (i == 0)) * size
                  for i, line in enumerate(lines)]
        needed = max(widths) / width_pt
        fits = needed <= 1 / limits.min_scale
        if limits.wrap_last:
            key = (not fits, len(lines), needed > 1, needed)
        else:
            key = (not fits, needed > 1, len(lines), max(widths) - min(widths), needed)
        if best_key is None or key < best_key:
            best_key = key
            best = (needed, tuple(tuple(p.text for p in _joined(line)) for line in lines))
    return best


def _breakings(hand: tuple[Phrase, ...], tier: int, max_lines: int):
    """Every way to cut ``hand`` into at most ``max_lines`` lines at boundaries of
    ``tier`` or better, fewest lines first."""
    cuts = [i + 1 for i, p in enumerate(hand[:-1]) if p.tier <= tier]
    for count in range(0, min(len(cuts), max_lines - 1) + 1):
        for chosen in itertools.combinations(cuts, count):
            edges = (0, *chosen, len(hand))
            yield [hand[a:b] for a, b in zip(edges, edges[1:])]


def _joined(line: tuple[Phrase, ...]) -> list[Phrase]:
    """A line's phrases merged where the source has no space between them: what is
    printed as one run, with the phrase gap only where the source had a space."""
    runs: list[Phrase] = []
    for phrase in line:
        if runs and not runs[-1].gap:
            runs[-1] = Phrase(runs[-1].text + phrase.text, phrase.gap, phrase.tier)
        else:
            runs.append(phrase)
    return runs


def _width(line: tuple[Phrase, ...], gap_em: float, advance) -> float:
    runs = _joined(line)
    return sum(advance(run.text) for run in runs) + gap_em * (len(runs) - 1)


def caption_guard(caption: str) -> str:
    """HEAD-7: glue a caption's last four characters (and the marks that close it) with
    word joiners, so that its last line never holds fewer; a caption that short stays
    as it is."""
    text = caption.rstrip()
    positions = [i for i, char in enumerate(text) if char not in INVISIBLE]
    counted, start = 0, None
    for index in reversed(positions):
        if text[index] in RIGHT_BLANK or text[index].isspace():
            continue
        counted += 1
        if counted == CAPTION_TAIL:
            start = index
            break
    if start is None or start == positions[0]:
        return caption
    tail = [char for char in text[start:] if char not in INVISIBLE]
    return text[:start] + WORD_JOINER.join(tail) + caption[len(text):]
