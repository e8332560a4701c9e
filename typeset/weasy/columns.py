"""Multi-column layout by one setting of the text: replaces WeasyPrint 70's
``layout.column.columns_layout`` for the boxes typeset makes.

Why: to balance columns WeasyPrint sets the content at the full page height, then again
at growing heights until the last column is not the tallest, and for every column of
every try it also sets the whole rest of the content once more to learn the next box's
height. A module body is set about four times over; on an 8-page issue three quarters of
the render went there (cProfile: 16,842 line boxes laid out for 4,020 printed).

What instead: the column children are set once, as one column as tall as they need (the
*flow*); :func:`typeset.layout.balance.balance` chooses the breaks by arithmetic on the
flow's lines; the flow's boxes are then cut at those breaks (a paragraph split between
columns becomes two fragments, without their inner margins at the cut) and moved into
place. Lines never change width, so cutting set lines is exact. The flow is kept on the
returned box as ``typeset_flow``: measuring reads it to know the module's height at
every span from this one setting (:func:`typeset.weasy.measure_heights`). A measuring
sheet may keep the flow's boxes for the page that prints them (:func:`keeping`), which
then cuts those instead of setting the text again, and need not even parse that text
(:func:`without_kept`).

Breaks follow the CSS the content carries: ``orphans``/``widows`` inside paragraphs,
``break-before``/``break-after: avoid`` between blocks, ``break-inside: avoid`` keeps a
block whole; a column begins and ends with the border and padding of the blocks cut
there. Anything else multi-column (a column span, a continuation from an earlier page,
a float or absolutely placed box anywhere in the flow, a forced break, a column width
instead of a count) is left to WeasyPrint's own code. The columns are as tall as their
content: the page's foot and ``bottom_space`` are not consulted, since modules are
placed by the layout stage; a body that overran its module is caught after layout
(:func:`typeset.weasy._checked`).
"""

from __future__ import annotations

import contextlib
from math import inf

import weasyprint
from weasyprint.css.properties import INHERITED
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, column
from weasyprint.layout.block import block_box_layout, block_level_width
from weasyprint.layout.percent import percentage

from typeset.layout.balance import Flow, balance, keep_heads
from typeset.weasy.cjk_patch import WEASYPRINT_VERSION

AVOID = ("avoid", "avoid-column")
FORCED = {"column", "page", "left", "right", "recto", "verso", "always"}

_original = column.columns_layout
_enabled = [True]

#: Flows set on a measuring sheet and kept for the page that prints them, by the key in
#: the body's ``data-flow``: {key: (column width, the body's style, the laid-out flow,
#: the body's text)}.
_kept: dict[str, tuple[float, dict, boxes.BlockBox, str]] = {}
_keeping = [False]

#: What encloses a body's content in the print HTML (the style's article.html.j2): the
#: part :func:`without_kept` may leave out. Copy is escaped, so it cannot contain these.
CONTENT = ("<!--flow-->", "<!--/flow-->")

#: The keys of the bodies the document being rendered has without their content.
_emptied: set[str] = set()


class Emptied(Exception):
    """A body was left out of the HTML for a kept flow its page cannot use: the page
    must be parsed again whole (:func:`typeset.weasy._document` does)."""


def install() -> None:
    """Make WeasyPrint's block layout call :func:`columns_layout` (on the pinned
    version only: the cut relies on its box structure and private layout functions)."""
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"typeset's column layout is written for WeasyPrint "
                           f"{WEASYPRINT_VERSION}, found {weasyprint.__version__}")
    block.columns_layout = columns_layout


@contextlib.contextmanager
def keeping():
    """Keep the flows set meanwhile (a measuring sheet's) for :func:`columns_layout` to
    print instead of setting them again, as long as the column width is the same.

    Setting a body's text is most of the cost of a page, and the page pipeline
    (:mod:`typeset.pipeline`) measures a page's bodies just before it prints them: each
    body is set once. A kept flow leaves the sheet it was set in, which only its height
    was wanted from. The key (the article's content) is the template's business; a
    body whose inherited styles differ on the page (a colour or font given to the page
    or the module, which the sheet has not) is set anew. Rules reaching inside a body
    from above it (``.page p``) are beyond this check, and would make the measured
    heights wrong as well: a style sets its body text from ``.body`` down.
    """
    _keeping[0] = True
    try:
        yield
    finally:
        _keeping[0] = False


def forget() -> None:
    """Drop the flows kept and not printed (they hold a page's worth of boxes)."""
    _kept.clear()


def without_kept(html: str) -> str:
    """``html`` with the content of each body whose flow is kept left out, between the
    :data:`CONTENT` marks; the body itself stays, for its style and place.

    The flow brings its boxes, so the text would be parsed, styled and made into boxes
    only to be thrown away: that was 11 % of a page's print render (0.2 s of an 8-page
    build). Should the page not be able to use a flow after all (another width or
    inherited style), :func:`columns_layout` raises :class:`Emptied`.
    """
    _emptied.clear()
    for key in _kept:
        at = html.find(f'data-flow="{key}"')
        start = html.find(CONTENT[0], at) if at >= 0 else -1
        end = html.find(CONTENT[1], start) if start >= 0 else -1
        if end >= 0:
            html = html[:start + len(CONTENT[0])] + html[end:]
            _emptied.add(key)
    return html


@contextlib.contextmanager
def disabled():
    """Lay out columns with WeasyPrint's own code (benchmarks compare the two)."""
    _enabled[0] = False
    try:
        yield
    finally:
        _enabled[0] = True


def text_of(element) -> str:
    """The text of ``element`` and its descendants, comments left out (``itertext``
    includes them, and a comment is not copy)."""
    parts = []
    for node in element.iter():
        if isinstance(node.tag, str):
            parts.append(node.text or "")
        if node is not element:
            parts.append(node.tail or "")
    return "".join(parts)


def columns_layout(context, box, bottom_space, skip_stack, containing_block,
                   page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins,
                   first_letter_style, first_line_style):
    """Same signature and results as WeasyPrint's, for boxes it can handle (see above)."""
    style = box.style
    if (not _enabled[0] or skip_stack or style["column_count"] == "auto" or style["column_width"] != "auto"
            or style["position"] == "relative"
            or any(c.style["column_span"] == "all" for c in box.children)):
        return _original(context, box, bottom_space, skip_stack, containing_block,
                         page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins,
                         first_letter_style, first_line_style)
    original = box
    box = box.copy_with_children(box.children)
    box.position_y += block.collapse_margin(adjoining_margins)
    block_level_width(box, containing_block)
    count = style["column_count"]
    gap = style["font_size"] if style["column_gap"] == "normal" else percentage(
        style["column_gap"], style, box.width)
    # Rounded so that a body measured alone one column wide and the same body in N
    # columns get the very same line width (the division leaves float noise).
    width = round(max(0, box.width - (count - 1) * gap) / count, 3)
    top = box.content_box_y()

    key = box.element.get("data-flow") if box.element is not None else None
    kept = _kept.pop(key, None) if key else None
    if kept is not None and kept[0] == width and _inherits_alike(kept[1], style):
        flow_box, resume_at, next_page = kept[2], None, {"break": "any", "page": None}
        flow_box.translate(box.content_box_x() - flow_box.position_x,
                           top - flow_box.position_y)
        if key in _emptied:  # the text the element lacks, for typeset.weasy._checked
            box.typeset_text = kept[3]
    elif key in _emptied:
        _emptied.clear()  # the page is parsed again whole
        raise Emptied(key)
    else:
        flow_box, resume_at, next_page = _set(context, box, containing_block, width, top,
                                              absolute_boxes, fixed_boxes,
                                              first_letter_style, first_line_style)
    if flow_box is None or resume_at is not None or _unusual(flow_box):
        if flow_box is not None:
            block.remove_placeholders(context, [flow_box], absolute_boxes, fixed_boxes)
        return _original(context, original, bottom_space, skip_stack, containing_block,
                         page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins,
                         first_letter_style, first_line_style)

    atoms, ranges, heads = _atoms(flow_box)
    flow: Flow = keep_heads(tuple((a_top - top, a_bottom - top, breakable)
                                  for a_top, a_bottom, breakable, _ in atoms), heads)
    height, starts = balance(flow, count)
    box.typeset_flow = flow
    if key and _keeping[0]:
        _kept[key] = (width, style, flow_box, text_of(box.element))
        box.children, box.height = [], height
        return box, None, next_page, [], False
    columns = []
    for index, start in enumerate(starts):
        end = (starts[index + 1] if index + 1 < len(starts) else len(atoms)) - 1
        pieces = [_slice(child, start, end, ranges) for child in flow_box.children
                  if _overlaps(ranges[id(child)], start, end)]
        dx, dy = index * (width + gap), top - atoms[start][0]
        for piece in pieces:
            piece.translate(dx, dy)
        col = flow_box.copy_with_children(pieces)
        col.position_x += dx
        col.height = height
        columns.append(col)

    box.children = columns
    if box.height == "auto":
        box.height = height
    return box, None, next_page, [], False


def _set(context, box, containing_block, width: float, top: float, absolute_boxes,
         fixed_boxes, first_letter_style, first_line_style):
    """Lay out the children of ``box`` as one column ``width`` wide and endless: the flow.
    Returns the flow's box, where it stopped (None: it did not) and the next page."""
    in_column, context.in_column = context.in_column, True
    try:
        flow_box = column._create_column_box(
            box, containing_block, [child.copy() for child in box.children], width, top)
        flow_box, resume_at, next_page, _, _, _ = block_box_layout(
            context, flow_box, -inf, None, containing_block, True, absolute_boxes,
            fixed_boxes, [], first_letter_style, first_line_style, discard=False,
            max_lines=None)
    finally:
        context.in_column = in_column
    return flow_box, resume_at, next_page


def _inherits_alike(one, other) -> bool:
    """Whether two bodies hand their content the same inherited styles."""
    return all(one[name] == other[name] for name in INHERITED)


def _atoms(flow_box):
    """The flow's atoms in order as (top, bottom, breakable after, box), for every box
    of the flow the range of atoms it holds: {id(box): (first, last)}, and the heads
    kept with their text (:func:`typeset.layout.balance.keep_heads`)."""
    atoms: list = []
    ranges: dict[int, tuple[int, int]] = {}
    heads: list[tuple[int, int]] = []
    pending = [True]  # may a column end before the next atom?

    def add(top, bottom, box):
        if atoms:
            previous = atoms[-1]
            atoms[-1] = (previous[0], previous[1], pending[0], previous[3])
        atoms.append((top, bottom, False, box))
        pending[0] = True
        ranges[id(box)] = (len(atoms) - 1, len(atoms) - 1)

    def blocks(children):
        """Block siblings in order: breaks between them as their styles allow."""
        for index, child in enumerate(children):
            if index:
                pending[0] = not (_avoids_after(children[index - 1])
                                  or child.style["break_before"] in AVOID)
            walk(child)
            if _is_head(child):
                heads.append(ranges[id(child)])

    def walk(box):
        first = len(atoms)
        children = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()]
        lines = children and all(isinstance(c, boxes.LineBox) for c in children)
        top, bottom = box.border_box_y(), box.border_box_y() + box.border_height()
        if not children or box.style["break_inside"] in AVOID or isinstance(
                box, boxes.ReplacedBox):
            add(top, bottom, box)
            return
        if lines:
            for index, child in enumerate(children):
                if index:
                    pending[0] = (index >= box.style["orphans"]
                                  and len(children) - index >= box.style["widows"])
                add(child.position_y, child.position_y + child.height, child)
        else:
            blocks(children)
        ranges[id(box)] = (first, len(atoms) - 1)
        # A column that starts or ends with this box holds its border and padding too.
        atoms[first] = (min(atoms[first][0], top),) + atoms[first][1:]
        atoms[-1] = (atoms[-1][0], max(atoms[-1][1], bottom)) + atoms[-1][2:]

    blocks([c for c in flow_box.children if c.is_in_normal_flow()])
    # Each head's text runs to the next head or the flow's end: after a one-line
    # paragraph, the next paragraph's first line is the head's second line of text.
    ends = [first - 1 for first, _ in heads[1:]] + [len(atoms) - 1]
    return atoms, ranges, [(first, last, end) for (first, last), end in zip(heads, ends)]


def _is_head(box) -> bool:
    """A heading in the flow (a subhead, 小标题): a block of lines kept with what
    follows it, its lines set directly or each in a box of its own (a display line
    fitted by the layout stage). HEAD-6 then keeps it whole, with lines of its text."""
    children = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()]
    return box.style["break_after"] in AVOID and bool(children) and all(
        isinstance(c, boxes.LineBox) or _lines_only(c) for c in children)


def _lines_only(box) -> bool:
    children = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()]
    return bool(children) and all(isinstance(c, boxes.LineBox) for c in children)


def _avoids_after(box) -> bool:
    """``break-after: avoid`` on the box or on the last block inside it."""
    if box.style["break_after"] in AVOID:
        return True
    children = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()
                and not isinstance(c, boxes.LineBox)]
    return bool(children) and _avoids_after(children[-1])


def _slice(box, start: int, end: int, ranges: dict):
    """The part of ``box`` holding atoms ``start``–``end``: the box itself when it lies
    wholly inside, else a fragment without its top (or bottom) spacing at the cut."""
    first, last = ranges[id(box)]
    if start <= first and last <= end:
        return box
    pieces = [_slice(child, start, end, ranges) for child in box.children
              if id(child) in ranges and _overlaps(ranges[id(child)], start, end)]
    fragment = box.copy_with_children(pieces)
    fragment.remove_decoration(start=first < start, end=last > end)
    fragment.height = (pieces[-1].position_y + pieces[-1].margin_height()
                       - pieces[0].position_y)
    fragment.position_y = (pieces[0].position_y - fragment.padding_top
                           - fragment.border_top_width - fragment.margin_top)
    return fragment


def _overlaps(held: tuple[int, int], start: int, end: int) -> bool:
    return held[0] <= end and held[1] >= start


def _unusual(box) -> bool:
    """Whether the flow holds what a cut could get wrong: a float or an absolutely
    placed box (even inside a line), or a forced break (column, page)."""
    for child in getattr(box, "children", ()):
        if not child.is_in_normal_flow() or _unusual(child):
            return True
        if not isinstance(child, boxes.LineBox) and FORCED & {
                child.style["break_before"], child.style["break_after"]}:
            return True
    return False
