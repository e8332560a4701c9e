"""Draw one-page PDFs over each other: a page printed in layers, each rendered alone.

A re-proof after an edit to one article should cost that article's module, not its page.
So a page is rendered in layers (:func:`typeset.html.layers`): the page itself, each
module, a proof's watermark. Every layer is a whole page of the same size, with its
boxes where the page has them, so composing is drawing each layer over the first at
the identity: the first layer stays the page (its boxes, marks and resources), and
each later one becomes a form XObject drawn after the page's own content.

What a layer carries beyond its drawing moves onto the composed page with it: its
resources (the font dicts of a face joined where the layers agree,
:func:`.merge.share_dicts`), named destinations and outline entries. Entries of the
later layers (the headlines, ``bookmark-level: 2``) become children of the first
layer's last top-level entry (the page's), as WeasyPrint nests them when it renders
the whole page.
"""

from __future__ import annotations

import io

import pikepdf

from typeset.errors import TypesetError
from typeset.weasy.merge import link_children, set_dests, share_dicts


def compose(layers: list[bytes]) -> bytes:
    """One page: the first of ``layers`` with the others drawn over it, in order.

    Each layer is a one-page PDF of the same media box, as WeasyPrint wrote it (fonts
    stubbed or not: the fonts are copied as they are, :mod:`.merge` shares them).
    """
    sources = [pikepdf.open(io.BytesIO(data)) for data in layers]
    try:  # open until saved: qpdf copies stream data lazily
        base = sources[0]
        page = base.pages[0]
        box = [float(v) for v in page.mediabox]
        drawn, entries, dests = [], [], {}
        for number, source in enumerate(sources[1:], 2):
            layer = source.pages[0]
            if len(source.pages) != 1 or [float(v) for v in layer.mediabox] != box:
                raise TypesetError(f"layer {number} is not one page the size of the first")
            form = layer.as_form_xobject()
            form.BBox = pikepdf.Array(box)  # not the trim box: the slug is outside it
            if "/Matrix" in form:
                del form.Matrix
            name = page.add_resource(base.copy_foreign(form), pikepdf.Name.XObject,
                                     pikepdf.Name(f"/TypesetLayer{number}"),
                                     replace_existing=False)  # (a clash raises)
            drawn.append(b"q %s Do Q\n" % str(name).encode())
            if "/Annots" in layer.obj:  # the print templates make no links
                raise TypesetError(f"layer {number} has annotations, which are not composed")
            outlines = source.Root.get("/Outlines")
            if outlines is not None and "/First" in outlines:
                entries += _siblings(base, page, outlines.First)
            dests.update(_named_dests(base, page, source))
        if drawn:  # the page's own content in a saved state, so layers start clean
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"Q\n" + b"".join(drawn))
        _nest(base, entries)
        _add_dests(base, dests)
        # one font dict per face where the layers agree: the join then copies and
        # reads a page's fonts once, not every layer's (memory and time at 32 pages)
        share_dicts(base)
        buffer = io.BytesIO()
        base.save(buffer, deterministic_id=True)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()


def _target(base: pikepdf.Pdf, page: pikepdf.Page, dest):
    """A layer's explicit destination ``[page /XYZ x y z]`` on the composed page."""
    return base.make_indirect(pikepdf.Array([page.obj, *list(dest)[1:]]))


def _siblings(base: pikepdf.Pdf, page: pikepdf.Page, item) -> list:
    """New outline entries in ``base`` for ``item``, its siblings and their children."""
    entries = []
    while item is not None:
        entry = pikepdf.Dictionary(Title=item.Title)
        if "/Dest" in item:  # WeasyPrint writes explicit destinations
            entry.Dest = _target(base, page, item.Dest)
        if "/Count" in item:
            entry.Count = item.Count
        entry = base.make_indirect(entry)
        if "/First" in item:
            link_children(entry, _siblings(base, page, item.First))
        entries.append(entry)
        item = item.get("/Next")
    return entries


def _visible(entries: list) -> int:
    """Entries shown when their parent is open: each, and the children of open ones."""
    return sum(1 + max(int(entry.get("/Count", 0)), 0) for entry in entries)


def _nest(base: pikepdf.Pdf, entries: list) -> None:
    """Add the layers' outline ``entries`` under the page's own last top-level entry
    (at the top level when the first layer has none)."""
    if not entries:
        return
    outlines = base.Root.get("/Outlines")
    if outlines is None or "/Last" not in outlines:
        base.Root.Outlines = outlines = base.make_indirect(pikepdf.Dictionary(Count=0))
        link_children(outlines, entries)
        outlines.Count = _visible(entries)
        return
    parent = outlines.Last
    children = []
    if "/First" in parent:
        item = parent.First
        while item is not None:
            children.append(item)
            item = item.get("/Next")
    link_children(parent, children + entries)
    count = int(parent.get("/Count", 0))
    if count >= 0:  # open: its new children show, and count in the root's total too
        parent.Count = count + _visible(entries)
        outlines.Count = int(outlines.get("/Count", 0)) + _visible(entries)
    else:
        parent.Count = count - _visible(entries)


def _named_dests(base: pikepdf.Pdf, page: pikepdf.Page, source: pikepdf.Pdf) -> dict:
    tree = source.Root.get("/Names", {}).get("/Dests")
    if tree is None:
        return {}
    dests = dict(pikepdf.NameTree(tree).items())
    if not all(isinstance(dest, pikepdf.Array) for dest in dests.values()):
        raise TypesetError("a layer has a named destination that is not [page /XYZ …]")
    return {name: _target(base, page, dest) for name, dest in dests.items()}


def _add_dests(base: pikepdf.Pdf, dests: dict) -> None:
    """The layers' named destinations joined to the first layer's (its own win)."""
    if not dests:
        return
    tree = base.Root.get("/Names", {}).get("/Dests")
    known = dict(pikepdf.NameTree(tree).items()) if tree is not None else {}
    set_dests(base, dests | known)
