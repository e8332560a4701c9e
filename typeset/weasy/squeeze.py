"""Squeeze before stretch: where a justified Chinese line ends (JUS-1, PA-2, PA-3, SP-1).

Part of the CJK engine (:mod:`typeset.weasy.cjk_patch`), which calls :func:`split_one`
for every line WeasyPrint breaks. Pango breaks the line; then

- a loose line sets its lone marks half-width, the one that would end the line first
  (PA-2), then the others from the end, to pull back the character Pango pushed to the
  next line with the marks that may not be parted from it (:func:`push_in`);
- SP-1 room at Han–Latin boundaries is counted before the line is final
  (:func:`_latin_spaced`);
- a line that only fits with its last mark half-width gets it (:func:`_half_at_end`);
- a Latin run wider than the line (a URL, an e-mail address, a long word) is broken
  inside itself where the line is full, without a hyphen (FIT-1, :func:`_cut_long_run`).

Widths and decisions are cached per style (:func:`forget` drops them when fonts change).
Imported by cjk_patch before it installs itself, so ``inline.split_first_line`` here is
WeasyPrint's own.
"""

from __future__ import annotations

import math

from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from typeset.cjk import rules
from typeset.weasy.lookahead import style_key

_original_split_first_line = inline.split_first_line

try:  # not among the Pango functions WeasyPrint declares
    pango.pango_layout_index_to_pos
except AttributeError:
    ffi.cdef("void pango_layout_index_to_pos (PangoLayout *layout, int index_, "
             "PangoRectangle *pos);")
#: The ``white-space`` values under which text wraps (what WeasyPrint breaks into lines).
WRAPPING = frozenset({"normal", "pre-wrap", "pre-line"})
_halt_savings: dict[tuple, float] = {}
_widths: dict[tuple, float] = {}
_pushes: dict[tuple, tuple | None] = {}


def forget() -> None:
    """Drop the widths measured with the fonts loaded so far."""
    _halt_savings.clear()
    _widths.clear()
    _pushes.clear()


def split_one(text, style, context, max_width, justification_spacing,
              is_line_start=True, minimum=False, latin_spacing_em=0.0):
    """One line: Pango's break, long runs cut, then squeeze before stretching, SP-1
    and PA-2."""
    result = _split_pango(text, style, context, max_width, justification_spacing,
                          is_line_start, minimum)
    if result[1] <= 0:
        return result
    if style["text_align_all"] == "justify" and result[2] is not None \
            and result[3] <= max_width - style["font_size"] / 20:  # a loose line
        result = push_in(result, text, style, context, max_width,
                          justification_spacing) or result
    if latin_spacing_em:
        result = _latin_spaced(result, text, style, context, max_width,
                               justification_spacing, is_line_start, minimum,
                               latin_spacing_em)
    return _half_at_end(result, style, max_width, justification_spacing)


def _half_at_end(result, style, max_width, justification_spacing):
    """PA-2: a line that only fits with its last mark half-width gets it so.

    Pango broke the line on a layout holding the following text too, where the last
    mark was half-width as one of a pair (PA-1) with the next line's first; set alone,
    the line has the mark whole (see :func:`_restore_setup_attributes`) and may run
    past the edge by that half.
    """
    layout, length, resume, width = result[:4]
    if width <= max_width + 0.01:
        return result
    text = layout.text or ""
    line = text.encode()[:length].decode(errors="ignore")
    index = len(line.rstrip("".join(rules.INVISIBLE))) - 1
    if index < 0 or line[index] not in rules.RIGHT_BLANK:
        return result
    squeezed = _squeezed_layout(line, [index], style, justification_spacing)
    width = line_break.line_size(squeezed.get_first_line()[0], style)[0]
    squeezed.deactivate()
    return (squeezed, length, resume, width) + tuple(result[4:])


def half_when_stretched(result, text, style, max_width, justification_spacing):
    """PA-2 on a line that is stretched: its last mark, if a closing mark or a pause
    set full-width, gives up its blank half, and the line spreads that much more.

    A full-width mark ends a tight line on the column edge with its blank half; on a
    line that is spread (a number fits neither on it nor on the next, JUS-1) that
    blank half shows as the line ending half an em short of its neighbours, past the
    wider gaps. Called on the line finally chosen (after the look-ahead), so where
    lines break does not change.
    """
    layout, length, resume, width = result[:4]
    if resume is None or length <= 0 or style["text_align_all"] != "justify" \
            or width >= max_width - 0.01:
        return result
    line = text.encode()[:length].decode(errors="ignore")
    index = len(line.rstrip("".join(rules.INVISIBLE))) - 1
    squeezed = list(getattr(layout, "cjk_squeeze", None) or ())
    if index < 0 or line[index] not in rules.RIGHT_BLANK or index in squeezed \
            or index in rules.halt_pairs(line):
        return result
    new = _squeezed_layout(line, squeezed + [index], style, justification_spacing)
    new_width = line_break.line_size(new.get_first_line()[0], style)[0]
    spacing = getattr(layout, "cjk_spacing", None)
    if spacing:
        new.cjk_spacing = spacing
    new.deactivate()
    return (new, length, resume, new_width) + tuple(result[4:])


def _latin_spaced(result, text, style, context, max_width, justification_spacing,
                  is_line_start, minimum, latin_spacing_em):
    """SP-1: room at the line's inner Han–Latin boundaries, counted before it is set.

    The room is a whole number of the TJ units WeasyPrint writes (thousandths of the
    font size); if the line no longer fits, it is broken again in the width left over.
    """
    unit = style["font_size"] / 1000
    units = round(latin_spacing_em * 1000)
    for _ in range(3):
        line = text.encode()[:result[1]].decode()
        boundaries = rules.latin_boundaries(line)
        width = result[3] + len(boundaries) * units * unit
        if not boundaries or width <= max_width + 0.01:
            break
        result = _split_pango(
            text, style, context, max_width - len(boundaries) * units * unit,
            justification_spacing, is_line_start, minimum)
    if not boundaries:
        return result
    room = math.ceil(units * unit * TO_UNITS)
    result[0].cjk_spacing = {len(line[:index].encode()): room for index in boundaries}
    return (result[0], result[1], result[2], width) + tuple(result[4:])


def _split_pango(text, style, context, max_width, justification_spacing, is_line_start,
                 minimum):
    """Pango's break (WeasyPrint's own function), with a long Latin run cut to the line."""
    result = _original_split_first_line(text, style, context, max_width,
                                        justification_spacing, is_line_start, minimum)
    if minimum or result[1] <= 0 or style["white_space"] not in WRAPPING:
        return result
    return _cut_long_run(result, text, style, context, max_width,
                         justification_spacing) or result


def _cut_long_run(result, text, style, context, max_width, justification_spacing):
    """FIT-1: a Latin run wider than the line is broken inside itself, where the line
    is full; no hyphen is added, nothing of the text is left out.

    Pango breaks a run only where Unicode allows (after a slash or a hyphen in a URL,
    never inside a word), so such a run either runs past the column, over the next
    module, or is pushed to the next line whole or from its last slash, and leaves a
    line loose by many ems. So the line takes as many of the run's characters as fit
    when it overflows (the run begins on it), or when it breaks before or inside a
    run that is wider than a whole line, or inside a run that fills it alone (the rest
    of a run cut on the line before; its characters have no other room to spread).
    A run narrower than the line is otherwise kept whole (SP-2); the cut leaves two
    of its letters at least to a paragraph's last line (ORP-1). None when nothing is
    to be cut.
    """
    layout, length, resume, width = result[:4]
    encoded = text.encode()
    if width > max_width + 0.01:
        candidate = encoded[:length].decode()
        first = 1
    elif resume is not None:
        line, rest = encoded[:resume].decode(), encoded[resume:].decode()
        start = len(line)
        while start and rules.is_run_char(line[start - 1]):
            start -= 1
        run = line[start:] + rest[:rules.run_end(rest)]
        if len(run) < 2 or len(run) == len(line) - start:
            return None  # no run goes on past the break
        alone = start == 0 and line[start:]
        if not alone and _natural_width(context, style, run) <= max_width + 0.01:
            return None
        candidate, first = line[:start] + run, start + 1
    else:
        return None
    cut = _fitting_cut(candidate, first, style, justification_spacing, max_width)
    if cut is None:
        return None
    if cut > first and _lone(text[cut:]):
        cut -= 1  # ORP-1: the run's last letter would end the paragraph alone
    line = candidate[:cut]
    new = _squeezed_layout(line, [], style, justification_spacing)
    new_width = line_break.line_size(new.get_first_line()[0], style)[0]
    new.deactivate()
    new_length = len(line.encode())
    return (new, new_length, new_length if new_length < len(encoded) else None,
            new_width) + tuple(result[4:])


def _lone(rest: str) -> bool:
    """Whether ``rest`` is a single character, maybe with its marks (a last line the
    paragraph may not end on, ORP-1)."""
    marks = rules.OPENING | rules.RIGHT_BLANK | rules.UNIT_MARKS
    return sum(not (c in marks or c.isspace()) for c in rest) == 1


def _fitting_cut(candidate, first, style, justification_spacing, max_width):
    """The last index from ``first`` on, between two characters of one Latin run, at
    which ``candidate`` fits in ``max_width``; None when there is none."""
    layout = _squeezed_layout(candidate, [], style, justification_spacing)
    position = ffi.new("PangoRectangle *")
    limit = (max_width + 0.01) * TO_UNITS
    cut, offset = None, 0
    for index, char in enumerate(candidate):
        if index >= first and rules.is_run_char(char) and \
                rules.is_run_char(candidate[index - 1]):
            pango.pango_layout_index_to_pos(layout.layout, offset, position)
            if position.x > limit:
                break
            cut = index
        offset += len(char.encode())
    layout.deactivate()
    return cut


def push_in(result, text, style, context, max_width, justification_spacing):
    """Squeeze before stretching (JUS-1, PA-2): pull the next character back in.

    Pango broke before a character that did not fit (often one that must take the
    following mark with it, KIN-1). If setting the marks of the line half-width — the
    mark that would end the line first (PA-2), then the others from the end — frees
    the room, the line takes that character and its marks and needs no stretching.
    Decisions are cached: column balancing lays the same lines out many times.
    """
    _, length, resume, width, height, baseline = result
    if resume != length:
        return None  # the break skipped spaces: the line is not a prefix we can extend
    encoded = text.encode()
    line = encoded[:length].decode()
    rest = encoded[resume:].decode()
    unit = _next_unit(rest)
    if not unit or line.endswith(" ") or rest[len(unit):].startswith(" "):
        return None
    candidate = line + unit
    key = (candidate, round(max_width, 3)) + style_key(style)
    if key not in _pushes:
        _pushes[key] = _plan_push_in(candidate, width + _natural_width(context, style, unit),
                                     style, context, max_width, justification_spacing)
    plan = _pushes[key]
    if plan is None:
        return None
    squeeze, new_width = plan
    layout = _squeezed_layout(candidate, squeeze, style, justification_spacing)
    layout.deactivate()
    new_length = len(candidate.encode())
    return (layout, new_length, new_length if rest[len(unit):] else None, new_width,
            height, baseline)


def _plan_push_in(candidate, natural, style, context, max_width, justification_spacing):
    """(marks to squeeze, resulting width), or None when squeezing cannot make room."""
    need = natural - max_width
    squeeze, saved = [], 0.0
    for index in reversed(range(len(candidate))):
        if saved >= need - 1e-6:
            break
        if _squeezable(candidate, index):
            saving = _halt_saving(context, style, candidate[index])
            if saving:
                squeeze.append(index)
                saved += saving
    if saved < need - 1e-6:
        return None
    layout = _squeezed_layout(candidate, squeeze, style, justification_spacing)
    width = line_break.line_size(layout.get_first_line()[0], style)[0]
    return (tuple(squeeze), width) if width <= max_width + 0.01 else None


def _squeezed_layout(text, squeeze, style, justification_spacing):
    layout = line_break.Layout(style, justification_spacing)
    layout.cjk_squeeze = list(squeeze)
    layout.set_text(text)
    return layout


def _squeezable(text: str, index: int) -> bool:
    """A lone mark may give up its blank half; one in a pair has already (PA-1),
    except the pair's closing mark at the line's end, whose blank half is the line's
    last (PA-2: "。”" ends a line in one em)."""
    char = text[index]
    if not (char in rules.RIGHT_BLANK or char in rules.OPENING):
        return False
    before = text[:index].rstrip("".join(rules.INVISIBLE))[-1:]
    after = text[index + 1:].lstrip("".join(rules.INVISIBLE))[:1]
    if not after and char in rules.RIGHT_BLANK and index not in rules.halt_pairs(text):
        return True
    return not any(c in rules.RIGHT_BLANK or c in rules.OPENING for c in before + after)


def _next_unit(rest: str) -> str:
    """The next wide character with the marks that may not be parted from it: opening
    marks before it (KIN-2), closing marks and pauses after it (KIN-1)."""
    start = 0
    while start < len(rest) and (rest[start] in rules.OPENING or rest[start] in rules.INVISIBLE):
        start += 1
    if start >= len(rest) or not rules.is_wide(rest[start]) or rest[start] in rules.RIGHT_BLANK:
        return ""
    end = start + 1
    while end < len(rest) and (rest[end] in rules.RIGHT_BLANK or rest[end] in rules.INVISIBLE
                               or rest[end] in "—…·～" or rest[end - 1] == rules.WORD_JOINER):
        end += 1
    if end < len(rest) and not _may_start_line(rest[end]):
        return ""  # what follows could not open the next line (e.g. an ASCII ")" or "%")
    return rest[:end] if end <= 6 else ""


def _may_start_line(char: str) -> bool:
    return rules.is_han(char) or char in rules.OPENING or char.isspace() or \
        (char.isascii() and char.isalnum())


def _natural_width(context, style, text: str) -> float:
    key = style_key(style) + (text,)
    if key not in _widths:
        layout = line_break.create_layout(text, style, context, None, 0)
        _widths[key] = line_break.line_size(layout.get_first_line()[0], style)[0]
    return _widths[key]


def _halt_saving(context, style, char: str) -> float:
    """Width ``halt`` takes off ``char`` in this font (0 where the font has none)."""
    key = style_key(style) + (char,)
    if key not in _halt_savings:
        layout = line_break.create_layout(char, style, context, None, 0)
        layout.cjk_squeeze = [0]
        layout.set_text(char)
        half = line_break.line_size(layout.get_first_line()[0], style)[0]
        _halt_savings[key] = max(0.0, _natural_width(context, style, char) - half)
    return _halt_savings[key]
