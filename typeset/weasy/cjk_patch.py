"""Chinese justification and punctuation compression inside WeasyPrint 70.0.

Stock WeasyPrint justifies by stretching U+0020/U+00A0 only (``layout/inline.py``:
``justify_line`` → ``count_expandable_spaces``/``add_word_spacing``), so Chinese lines,
which have no spaces, end ragged; and it never compresses adjacent punctuation. This
module replaces or wraps five functions, keeping Pango's line breaking:

``text.line_break.Layout.set_text``
    wrapped: after the original, marks that must be half-width get the font's ``halt``
    feature as a Pango attribute — adjacent pairs (PA-1) on every layout, so line
    breaking already sees compressed widths (KIN-3), and the marks a squeezed line gave
    up. When WeasyPrint lays text out for drawing (``justify=True``), the glyphs after
    each justification opportunity are widened by that line's shares. Editing glyph
    advances instead of adding Pango letter-spacing keeps every share exact and costs
    no re-shaping.
``layout.inline.split_first_line`` (as bound in ``layout/inline.py``)
    wrapped: squeeze before stretching (:mod:`.squeeze`) — a loose justified line sets
    its lone marks half-width (the one that would end the line first, PA-2; an opening
    one it starts with, PA-3) to pull back the character Pango pushed to the next line;
    with one line of look-ahead (:mod:`.lookahead`) against lines extractors would read
    as spaced.
``layout.inline.get_next_linebox``
    wrapped: records the line's text indent for the look-ahead.
``layout.inline.justify_line``
    replaced: a justified line's extra width is spread over inter-character
    opportunities weighted by :func:`typeset.cjk.rules.justification_weights` (JUS-1).
``draw.draw_text`` (as bound in ``draw/__init__.py``)
    wrapped: a text box whose widest gap grew by :data:`SPELLED_OUT_EM` or more is
    drawn inside a marked-content span whose ``/ActualText`` is the box's text.
    Extractors (pdfium, poppler) read a gap that wide as a space between two Han
    characters; with the span they give the text as written. The few lines this
    takes are loose ones the line breaker could not avoid (a number that fits neither
    on the line nor, by the look-ahead, on the next); ``typeset check`` still counts
    them, by their glyphs.

Everything is switched by :data:`STATE` so a build can be measured with the engine off.
The patch refuses to install on any other WeasyPrint version: it relies on private
structures (``Layout.text``, ``TextBox.pango_layout``, Pango glyph strings).
"""

from __future__ import annotations

import contextlib
import functools
import math
from types import SimpleNamespace

import pydyf
import weasyprint
from weasyprint import draw
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from typeset import cjk
from typeset.cjk import rules
from typeset.weasy import lookahead, squeeze

WEASYPRINT_VERSION = "70.0"

#: A gap this wide (in em) or wider is spelled out for extractors (``/ActualText``):
#: pdfium starts reading a space at about 0.128 em, poppler at 0.1 em of the font size.
SPELLED_OUT_EM = 0.1
STATE = SimpleNamespace(enabled=True, installed=False, latin_spacing_em=0.0)

try:  # not among the Pango functions WeasyPrint declares
    pango.pango_attr_list_copy
except AttributeError:
    ffi.cdef("PangoAttrList * pango_attr_list_copy (PangoAttrList *list);")

_original_set_text = line_break.Layout.set_text
_original_justify_line = inline.justify_line
_original_split_first_line = inline.split_first_line
_original_get_next_linebox = inline.get_next_linebox
_original_draw_text = draw.draw_text


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
    draw.draw_text = _draw_text
    STATE.installed = True


def forget() -> None:
    """Drop the widths measured with the fonts loaded so far (a font file changed)."""
    squeeze.forget()
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
    # Called for every layout WeasyPrint makes (10,000 on the sample): kept lean.
    if not STATE.enabled:
        return _original_set_text(self, text, justify)
    attributes = self.__dict__
    if attributes.get("cjk_before_halt") is not None:
        _restore_setup_attributes(self)
    _original_set_text(self, text, justify)
    text = self.text
    if not text:
        return
    if self.max_width is not None:
        # Breaking a line: Pango lays out the whole rest of the paragraph, but only the
        # first line's widths matter (a line holds fewer than six characters per em).
        text = text[:int(self.max_width / self.style["font_size"] * 6) + 2]
    halted = rules.halt_pairs(text)
    squeeze = attributes.get("cjk_squeeze")
    if squeeze:
        halted += tuple(index for index in squeeze if index < len(text))
    if halted:
        _add_halt(self, text, halted)
    if justify:
        extra, spacing = attributes.get("cjk_extra"), attributes.get("cjk_spacing")
        if spacing:
            extra = dict(extra or {})
            for byte, room in spacing.items():
                extra[byte] = extra.get(byte, 0) + room
        if extra:
            _widen_glyphs(self, extra)


def _restore_setup_attributes(layout) -> None:
    """Start each text from the attributes the layout had before halts were added.

    Pango keeps a layout's attributes when its text is replaced, and WeasyPrint sets a
    line's text again after breaking it (``first_line_metrics``): the half-width of a
    pair that the break has since parted would stay on the line's last mark, and the
    line would stretch half an em more than it needs. :func:`_add_halt` keeps a copy
    of the attributes it found; most texts have no pair and cost nothing here.
    """
    saved = layout.cjk_before_halt
    if saved[0] == layout.layout:
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
    """Add ``extra[byte offset]`` Pango units after the character at that offset.

    WeasyPrint writes each glyph's advance as the font's width, in whole thousandths
    of the font size, plus a correction it truncates to whole thousandths too. A Han
    character is exactly 1000 and its share is whole, so nothing is lost; a Latin
    glyph's width has a fraction, and along a line of a URL or a long word cut to the
    measure (FIT-1) the truncations add up to a tenth of a point past the column edge.
    So each Latin glyph of a justified line is given the width that draws the whole
    number of thousandths its position along the line calls for, rounding carried on.
    """
    # Drawing switches single-paragraph mode on, which would discard edited lines.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    if line == ffi.NULL or line.runs == ffi.NULL:
        return
    latin = any(map(rules.is_run_char, layout.text or ""))  # else no glyph has a fraction
    text = (layout.text or "").encode()
    scale = layout.style["font_size"] * TO_UNITS / 1000  # Pango units per thousandth
    logical = ffi.new("PangoRectangle *")
    exact = drawn = 0.0  # thousandths along the line: as set, and as it will be drawn
    run = line.runs[0]  # walked as WeasyPrint's draw_first_line walks it
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        glyphs = glyph_item.glyphs
        count, clusters = glyphs.num_glyphs, glyphs.log_clusters
        for i in range(count):
            geometry = glyphs.glyphs[i].geometry
            start = item.offset + clusters[i]
            end = item.offset + (clusters[i + 1] if i + 1 < count else item.length)
            if i + 1 < count and clusters[i + 1] == clusters[i]:
                added = 0  # only the last glyph of a cluster carries the space
            else:
                added = sum(extra.get(offset, 0) for offset in range(start, end))
            width = geometry.width + added
            if not latin:
                geometry.width = width
                continue
            exact += width / scale
            chars = text[start:end].decode(errors="ignore")
            if geometry.x_offset or not chars or not all(map(rules.is_run_char, chars)):
                geometry.width = width
                drawn = exact
                continue
            pango.pango_font_get_glyph_extents(item.analysis.font, glyphs.glyphs[i].glyph,
                                               ffi.NULL, logical)
            natural = round(logical.width / scale)  # the width WeasyPrint writes
            target = round(exact) - round(drawn)
            geometry.width = (math.ceil(target * scale) if target >= natural
                              else math.floor(target * scale))
            drawn = round(drawn) + target


def _justify_line(context, line, extra_width):
    if not STATE.enabled:
        return _original_justify_line(context, line, extra_width)
    text_boxes = list(_text_boxes(line))
    if not text_boxes:
        return None
    texts = [box.pango_layout.text or "" for box in text_boxes]
    joined = "".join(texts)
    weights = rules.justification_weights(joined)
    if not sum(weights) and not any(char == " " for char in joined):
        weights = rules.run_weights(joined)  # a piece of a Latin run cut (FIT-1)
    total = sum(weights)
    if not total:
        return _original_justify_line(context, line, extra_width)
    if joined and rules.is_run_char(joined.rstrip("".join(rules.INVISIBLE))[-1:] or " "):
        extra_width -= _overhang(texts[-1], text_boxes[-1].style)
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
        added = widest = 0
        for byte, weight in _opportunities(text, weights[offset:offset + len(text)]):
            due += weight * share
            units = round((due - given) / unit)
            given += units * unit
            added += units
            widest = max(widest, units)
            extra[byte] = math.ceil(units * unit * TO_UNITS)
        offset += len(text)
        box.pango_layout.cjk_extra = extra
        box.cjk_added = added * unit
        box.cjk_widest_em = widest / 1000
    _shift(line, 0)
    return None


def _overhang(text: str, style) -> float:
    """How far (px) the ink of ``text`` set on one line reaches past its last advance:
    the hook of a serif f. A line ending with a Latin letter is justified so that its
    ink, not its advance, ends on the column edge (FIT-1: nothing prints outside the
    module)."""
    layout = line_break.Layout(style, 0)
    layout.set_text(text)
    ink, logical = ffi.new("PangoRectangle *"), ffi.new("PangoRectangle *")
    pango.pango_layout_line_get_extents(layout.get_first_line()[0], ink, logical)
    layout.deactivate()
    return max(0, ink.x + ink.width - logical.x - logical.width) / TO_UNITS


def _draw_text(stream, textbox, *args, **kwargs):
    if getattr(textbox, "cjk_widest_em", 0.0) < SPELLED_OUT_EM or not STATE.enabled \
            or textbox.style["visibility"] != "visible":
        return _original_draw_text(stream, textbox, *args, **kwargs)
    stream.begin_marked_content("Span", pydyf.Dictionary(
        {"ActualText": pydyf.String(cjk.visible(textbox.text))}))
    try:
        return _original_draw_text(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


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
    result = lookahead.split(_split_one, squeeze.push_in, text, style, context, max_width,
                             justification_spacing, is_line_start, minimum)
    if minimum:
        return result
    return squeeze.half_when_stretched(result, text, style, max_width, justification_spacing)


def _split_one(text, style, context, max_width, justification_spacing,
               is_line_start=True, minimum=False):
    return squeeze.split_one(text, style, context, max_width, justification_spacing,
                             is_line_start, minimum, STATE.latin_spacing_em)


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
