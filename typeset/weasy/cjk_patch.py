"""Chinese justification and punctuation compression inside WeasyPrint 70.0.

Stock WeasyPrint justifies by stretching U+0020/U+00A0 only (``layout/inline.py``:
``justify_line`` → ``count_expandable_spaces``/``add_word_spacing``), so Chinese lines,
which have no spaces, end ragged; and it never compresses adjacent punctuation. This
module replaces three functions, keeping Pango's line breaking:

``text.line_break.Layout.set_text``
    wrapped: after the original, marks that must be half-width get the font's ``halt``
    feature as a Pango attribute — adjacent pairs (PA-1) on every layout, so line
    breaking already sees compressed widths (KIN-3), and the marks a squeezed line gave
    up. When WeasyPrint lays text out for drawing (``justify=True``), the glyphs after
    each justification opportunity are widened by that line's shares. Editing glyph
    advances instead of adding Pango letter-spacing keeps every share exact and costs
    no re-shaping.
``layout.inline.split_first_line`` (as bound in ``layout/inline.py``)
    wrapped: squeeze before stretching — a loose justified line sets its lone marks
    half-width (the one that would end the line first, PA-2; an opening one it starts
    with, PA-3) to pull back the character Pango pushed to the next line.
``layout.inline.justify_line``
    replaced: a justified line's extra width is spread over inter-character
    opportunities weighted by :func:`typeset.cjk.rules.justification_weights` (JUS-1).

Everything is switched by :data:`STATE` so a build can be measured with the engine off.
The patch refuses to install on any other WeasyPrint version: it relies on private
structures (``Layout.text``, ``TextBox.pango_layout``, Pango glyph strings).
"""

from __future__ import annotations

import contextlib
import functools
import math
from types import SimpleNamespace

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from typeset.cjk import rules
from typeset.weasy import lookahead

WEASYPRINT_VERSION = "70.0"
STATE = SimpleNamespace(enabled=True, installed=False, latin_spacing_em=0.0)

try:  # not among the Pango functions WeasyPrint declares
    pango.pango_attr_list_copy
except AttributeError:
    ffi.cdef("PangoAttrList * pango_attr_list_copy (PangoAttrList *list);")

_original_set_text = line_break.Layout.set_text
_original_justify_line = inline.justify_line
_original_split_first_line = inline.split_first_line
_original_get_next_linebox = inline.get_next_linebox
_halt_savings: dict[tuple, float] = {}
_widths: dict[tuple, float] = {}
_pushes: dict[tuple, tuple | None] = {}


def install() -> None:
    """Put the two replacements in place (once)."""
    if STATE.installed:
        return
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"typeset's CJK patch is written for WeasyPrint "
                           f"{WEASYPRINT_VERSION}, found {weasyprint.__version__}")
    line_break.Layout.set_text = _set_text
    inline.justify_line = _justify_line
    inline.split_first_line = _split_first_line
    inline.get_next_linebox = _get_next_linebox
    STATE.installed = True


def forget() -> None:
    """Drop the widths measured with the fonts loaded so far (a font file changed)."""
    _halt_savings.clear()
    _widths.clear()
    _pushes.clear()
    lookahead.forget()


@contextlib.contextmanager
def disabled():
    """Render with stock WeasyPrint behaviour (for comparisons and benchmarks)."""
    STATE.enabled = False
    try:
        yield
    finally:
        STATE.enabled = True


def _set_text(self, text, justify=False):
    if STATE.enabled:
        _restore_setup_attributes(self)
    _original_set_text(self, text, justify)
    if not STATE.enabled or not self.text:
        return
    text = self.text
    if self.max_width is not None:
        # Breaking a line: Pango lays out the whole rest of the paragraph, but only the
        # first line's widths matter (a line holds fewer than six characters per em).
        text = text[:int(self.max_width / self.style["font_size"] * 6) + 2]
    halted = rules.halt_pairs(text) + tuple(
        index for index in getattr(self, "cjk_squeeze", ()) if index < len(text))
    if halted:
        _add_halt(self, text, halted)
    extra = dict(getattr(self, "cjk_extra", None) or {})
    for byte, room in (getattr(self, "cjk_spacing", None) or {}).items():
        extra[byte] = extra.get(byte, 0) + room
    if justify and extra:
        _widen_glyphs(self, extra)


def _restore_setup_attributes(layout) -> None:
    """Start each text from the attributes the layout had before halts were added.

    Pango keeps a layout's attributes when its text is replaced, and WeasyPrint sets a
    line's text again after breaking it (``first_line_metrics``): the half-width of a
    pair that the break has since parted would stay on the line's last mark, and the
    line would stretch half an em more than it needs. :func:`_add_halt` keeps a copy
    of the attributes it found; most texts have no pair and cost nothing here.
    """
    saved = getattr(layout, "cjk_before_halt", None)
    if saved is not None and saved[0] == layout.layout:
        pango.pango_layout_set_attributes(layout.layout, _copy_attributes(saved[1]))
    layout.cjk_before_halt = None


def _copy_attributes(attributes):
    if attributes == ffi.NULL:
        return ffi.NULL
    return ffi.gc(pango.pango_attr_list_copy(attributes), pango.pango_attr_list_unref)


def _add_halt(layout, text: str, indices: list[int]) -> None:
    """Give the characters at ``indices`` the font's ``halt`` (half-width) feature."""
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    layout.cjk_before_halt = (layout.layout, _copy_attributes(attr_list))
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for index in set(indices):
        attr = pango.pango_attr_font_features_new(b"halt")
        attr.start_index = len(text[:index].encode())
        attr.end_index = attr.start_index + len(text[index].encode())
        pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _widen_glyphs(layout, extra: dict[int, int]) -> None:
    """Add ``extra[byte offset]`` Pango units after the character at that offset."""
    # Drawing switches single-paragraph mode on, which would discard edited lines.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    if line == ffi.NULL or line.runs == ffi.NULL:
        return
    run = line.runs[0]  # walked as WeasyPrint's draw_first_line walks it
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        glyphs = glyph_item.glyphs
        count, clusters = glyphs.num_glyphs, glyphs.log_clusters
        for i in range(count):
            if i + 1 < count and clusters[i + 1] == clusters[i]:
                continue  # only the last glyph of a cluster carries the space
            start = item.offset + clusters[i]
            end = item.offset + (clusters[i + 1] if i + 1 < count else item.length)
            added = sum(extra.get(offset, 0) for offset in range(start, end))
            if added:
                glyphs.glyphs[i].geometry.width += added


def _justify_line(context, line, extra_width):
    if not STATE.enabled:
        return _original_justify_line(context, line, extra_width)
    text_boxes = list(_text_boxes(line))
    if not text_boxes:
        return None
    texts = [box.pango_layout.text or "" for box in text_boxes]
    weights = rules.justification_weights("".join(texts))
    total = sum(weights)
    if not total:
        return _original_justify_line(context, line, extra_width)
    share = extra_width / total
    due = given = 0.0  # px owed to and handed out along the line so far
    offset = 0
    for box, text in zip(text_boxes, texts):
        # WeasyPrint writes each glyph's extra advance as a whole number of thousandths
        # of the font size (PDF TJ units) and truncates the rest, so shares are handed
        # out in those units, with the rounding carried along the line, and converted
        # to Pango units rounded up: nothing is lost and the line ends on the edge.
        unit = box.style["font_size"] / 1000
        extra: dict[int, int] = {}
        added = 0
        for byte, weight in _opportunities(text, weights[offset:offset + len(text)]):
            due += weight * share
            units = round((due - given) / unit)
            given += units * unit
            added += units
            extra[byte] = math.ceil(units * unit * TO_UNITS)
        offset += len(text)
        box.pango_layout.cjk_extra = extra
        box.cjk_added = added * unit
    _shift(line, 0)
    return None


def _get_next_linebox(context, linebox, *args, **kwargs):
    # The line's text indent, for the look-ahead: the line after a paragraph's first
    # is that much wider (WeasyPrint passes split_first_line the width left).
    context.cjk_text_indent = linebox.text_indent
    return _original_get_next_linebox(context, linebox, *args, **kwargs)


def _split_first_line(text, style, context, max_width, justification_spacing,
                      is_line_start=True, minimum=False):
    if not STATE.enabled or max_width is None or math.isinf(max_width):
        return _original_split_first_line(text, style, context, max_width,
                                          justification_spacing, is_line_start, minimum)
    return lookahead.split(_split_one, _push_in, text, style, context, max_width,
                           justification_spacing, is_line_start, minimum)


def _split_one(text, style, context, max_width, justification_spacing,
               is_line_start=True, minimum=False):
    """One line: Pango's break, then squeeze before stretching, SP-1 and PA-2."""
    result = _original_split_first_line(text, style, context, max_width,
                                        justification_spacing, is_line_start, minimum)
    if result[1] <= 0:
        return result
    if style["text_align_all"] == "justify" and result[2] is not None \
            and result[3] <= max_width - style["font_size"] / 20:  # a loose line
        result = _push_in(result, text, style, context, max_width,
                          justification_spacing) or result
    if STATE.latin_spacing_em:
        result = _latin_spaced(result, text, style, context, max_width,
                               justification_spacing, is_line_start, minimum)
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


def _latin_spaced(result, text, style, context, max_width, justification_spacing,
                  is_line_start, minimum):
    """SP-1: room at the line's inner Han–Latin boundaries, counted before it is set.

    The room is a whole number of the TJ units WeasyPrint writes (thousandths of the
    font size); if the line no longer fits, it is broken again in the width left over.
    """
    unit = style["font_size"] / 1000
    units = round(STATE.latin_spacing_em * 1000)
    for _ in range(3):
        line = text.encode()[:result[1]].decode()
        boundaries = rules.latin_boundaries(line)
        width = result[3] + len(boundaries) * units * unit
        if not boundaries or width <= max_width + 0.01:
            break
        result = _original_split_first_line(
            text, style, context, max_width - len(boundaries) * units * unit,
            justification_spacing, is_line_start, minimum)
    if not boundaries:
        return result
    room = math.ceil(units * unit * TO_UNITS)
    result[0].cjk_spacing = {len(line[:index].encode()): room for index in boundaries}
    return (result[0], result[1], result[2], width) + tuple(result[4:])


def _push_in(result, text, style, context, max_width, justification_spacing):
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
    key = (candidate, round(max_width, 3)) + lookahead.style_key(style)
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
    key = lookahead.style_key(style) + (text,)
    if key not in _widths:
        layout = line_break.create_layout(text, style, context, None, 0)
        _widths[key] = line_break.line_size(layout.get_first_line()[0], style)[0]
    return _widths[key]


def _halt_saving(context, style, char: str) -> float:
    """Width ``halt`` takes off ``char`` in this font (0 where the font has none)."""
    key = lookahead.style_key(style) + (char,)
    if key not in _halt_savings:
        layout = line_break.create_layout(char, style, context, None, 0)
        layout.cjk_squeeze = [0]
        layout.set_text(char)
        half = line_break.line_size(layout.get_first_line()[0], style)[0]
        _halt_savings[key] = max(0.0, _natural_width(context, style, char) - half)
    return _halt_savings[key]


def _shift(box, x_advance: float) -> float:
    """Move boxes right by what the text before them gained; widen what gained."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        added = getattr(box, "cjk_added", 0.0)
        box.width += added
        return x_advance + added
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        if box.pango_layout is not None:
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


@functools.lru_cache(maxsize=65536)
def _opportunities(text: str, weights: tuple[float, ...]) -> tuple[tuple[int, float], ...]:
    """(byte offset, weight) of the characters of ``text`` that take a share.

    Cached: column balancing justifies the same lines again and again.
    """
    found, byte = [], 0
    for char, weight in zip(text, weights):
        if weight:
            found.append((byte, weight))
        byte += len(char.encode())
    return tuple(found)
