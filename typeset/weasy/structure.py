"""The archive PDF's structure tree, repaired where WeasyPrint's tagging falls short.

WeasyPrint 70.0 tags a document from its boxes (``weasyprint.pdf.tags``). For a
newspaper page four things come out wrong, and are put right here in two steps:

While the tree is built, :func:`recording` wraps ``tags._build_box_tree`` to note, per
structure element and marked-content id (MCID), what the boxes know and the PDF will
not: which elements are page furniture (an HTML element marked ``data-artifact`` in the
print templates: masthead, running head with the folio, page credits), and which text
is letter-spaced (the masthead's pinyin ``YUQUAN RIBAO`` is drawn as letters with a
``TJ`` gap after each, which pdfium and poppler read as spaces).

After the PDF is written, :func:`repair` opens it with pikepdf and

- turns furniture into Artifacts: its elements leave the tree, and the marked content
  of every MCID no element of the tree owns (furniture, and WeasyPrint's page-margin
  boxes, which it builds but never links) becomes ``/Artifact`` marked content, its
  ParentTree entry null; rules and backgrounds WeasyPrint already marks as Artifacts;
- gives letter-spaced text an ``/ActualText``: the text as written, read back without
  the inserted spaces;
- takes a Caption out of its Caption: a figcaption's text wraps in an anonymous block
  that WeasyPrint tags like its element, so the credit ended up beside a Caption inside
  the Caption; the inner one's children (the caption's text, then the credit) become
  the one Caption's own;
- writes each Figure's ``/BBox`` in PDF user space: WeasyPrint gives CSS px from the
  page's top-left corner; the page's user space is points from its bottom-left.

Then it checks the tagging requirements of PDF/A-3a (ISO 19005-3, 6.8: a Tagged PDF
whose content is all either in the structure tree or an Artifact, standard structure
types, a language; and the Unicode mapping and alternative texts that level A asks
for) as far as they can be read from the file (:func:`faults`), and claims level A in
the XMP only if none fails; otherwise the archive stays PDF/A-3u.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

#: CSS px to PDF points.
PT_PER_PX = 0.75

#: How WeasyPrint writes a tagged span's start in a content stream.
MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")

#: Operators that put something on the page: text, paths filled or stroked, shadings,
#: XObjects and inline images.
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh",
            "Do", "INLINE IMAGE"}

#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) WeasyPrint writes
#: or a role map could name.
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"}


@dataclass
class Notes:
    """What the boxes said while the tree was built: structure elements (object
    numbers) of page furniture, and letter-spaced text by (page index, MCID)."""

    furniture: set[int] = field(default_factory=set)
    spelled: dict[tuple[int, int], str] = field(default_factory=dict)


@contextlib.contextmanager
def recording() -> Iterator[Notes]:
    """Notes on the structure tree that the next tagged ``write_pdf`` builds."""
    notes = Notes()
    original = tags._build_box_tree

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, marked):
        real = getattr(box, "_box", box)  # an absolutely placed box's placeholder
        for text_box in _letter_spaced(real):
            if text_box in marked:
                notes.spelled[page_number, marked[text_box]["mcid"]] = text_box.text
        furniture = real.element is not None and "data-artifact" in real.element.attrib
        for element in original(box, parent, pdf, page_number, nums, annotations, marked):
            if furniture:
                notes.furniture.add(element.number)
            yield element

    tags._build_box_tree = build_box_tree
    try:
        yield notes
    finally:
        tags._build_box_tree = original


def _letter_spaced(box) -> Iterator[boxes.TextBox]:
    """The box's own text boxes (as the tagger finds them: children, and children of
    its lines) that carry letter spacing."""
    for child in getattr(box, "children", ()):
        for kid in child.children if isinstance(child, boxes.LineBox) else (child,):
            spacing = kid.style["letter_spacing"] if isinstance(kid, boxes.TextBox) else 0
            if isinstance(spacing, (int, float)) and spacing > 0:
                yield kid


def repair(data: bytes, notes: Notes) -> bytes:
    """The PDF ``data`` with its structure tree put right (module docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        _drop(root, notes.furniture)
        _one_caption(root)
        owned = {e.objgen for e in elements(root)}
        page_index = {page.objgen: n for n, page in enumerate(pdf.pages)}
        for element in elements(root):
            if element.S == "/Figure" and "/A" in element and "/Pg" in element:
                _user_space_bbox(element, pdf.pages[page_index[element.Pg.objgen]])
        parents = _parent_arrays(root)
        for number, page in enumerate(pdf.pages):
            mcids = parents.get(int(page.get("/StructParents", -1)), [])
            loose = {m for m, e in enumerate(mcids)
                     if isinstance(e, pikepdf.Dictionary) and e.objgen not in owned}
            for mcid in loose:
                mcids[mcid] = None
            _mark(page, loose, {m: t for (n, m), t in notes.spelled.items() if n == number})
        if not faults(pdf):
            _claim_level_a(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def faults(pdf: pikepdf.Pdf) -> list[str]:
    """What keeps the document from PDF/A-3a's tagging requirements, as far as they
    can be checked on the file; empty when all hold."""
    found = []
    if not pdf.Root.get("/MarkInfo", {}).get("/Marked", False):
        found.append("not marked as Tagged PDF")
    if pdf.Root.get("/MarkInfo", {}).get("/Suspects", False):
        found.append("tags marked as suspects")
    if not str(pdf.Root.get("/Lang", "")):
        found.append("no document language")
    if "/StructTreeRoot" not in pdf.Root:
        return found + ["no structure tree"]
    root = pdf.Root.StructTreeRoot
    roles = root.get("/RoleMap", {})
    tree = list(elements(root))
    for element in tree:
        kind = str(roles.get(str(element.S), element.S))[1:]
        if kind not in STANDARD_TYPES:
            found.append(f"structure type {element.S} is not standard nor role-mapped")
        if element.S == "/Figure" and not str(element.get("/Alt", "")):
            found.append("a Figure without alternative text")
    owned = {e.objgen for e in tree}
    parents = _parent_arrays(root)
    for number, page in enumerate(pdf.pages, 1):
        mcids = parents.get(int(page.get("/StructParents", -1)), [])
        found += [f"page {number}: {fault}" for fault in _untagged(page, mcids, owned)]
        for font in page.Resources.get("/Font", {}).values():
            if "/ToUnicode" not in font:
                found.append(f"page {number}: font {font.get('/BaseFont')} without ToUnicode")
    return found


def _untagged(page, mcids, owned) -> Iterator[str]:
    """Painting outside both an Artifact and content that an element of the tree owns."""
    stack = []  # per open marked-content sequence: does it cover what is painted?
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            tag = str(operands[0])
            mcid = operands[1].get("/MCID") if name == "BDC" and isinstance(
                operands[1], pikepdf.Dictionary) else None
            covered = tag == "/Artifact" or (
                mcid is not None and int(mcid) < len(mcids)
                and isinstance(mcids[int(mcid)], pikepdf.Dictionary)
                and mcids[int(mcid)].objgen in owned)
            stack.append(covered or bool(stack and stack[-1]))
        elif name == "EMC":
            stack.pop()
        elif name in PAINTING and not (stack and stack[-1]):
            yield f"{name} outside tagged content and Artifacts"
            return


def _claim_level_a(pdf: pikepdf.Pdf) -> None:
    """PDF/A-3a instead of 3u in the XMP packet WeasyPrint wrote (the only place the
    level is named)."""
    packet = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(packet.replace(b'pdfaid:conformance="U"',
                                           b'pdfaid:conformance="A"'))


def elements(node) -> Iterator[pikepdf.Dictionary]:
    """Every structure element below ``node`` (in the tree), depth first."""
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from elements(kid)


def _drop(root, numbers: set[int]) -> None:
    """Take the elements of these object numbers out of the tree (their content
    becomes Artifacts: no element owns it any more)."""
    for element in [root, *elements(root)]:
        kids = element.get("/K")
        if not isinstance(kids, pikepdf.Array):
            continue
        kept = [k for k in kids if not (isinstance(k, pikepdf.Dictionary)
                                        and k.objgen[0] in numbers)]
        if len(kept) < len(kids):
            element.K = pikepdf.Array(kept)


def _one_caption(root) -> None:
    """A Caption inside a Caption gives its children to the outer one, in its place."""
    for element in list(elements(root)):
        kids = element.get("/K")
        if element.get("/S") != "/Caption" or not isinstance(kids, pikepdf.Array):
            continue
        flat = []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Caption":
                inner = kid.K if isinstance(kid.K, pikepdf.Array) else [kid.K]
                for grandchild in inner:
                    if isinstance(grandchild, pikepdf.Dictionary) and "/S" in grandchild:
                        grandchild.P = element
                    flat.append(grandchild)
            else:
                flat.append(kid)
        element.K = pikepdf.Array(flat)


def _user_space_bbox(figure, page) -> None:
    """CSS px from the page's top-left corner to points from its bottom-left."""
    attributes = figure.A if isinstance(figure.A, pikepdf.Dictionary) else None
    if attributes is None or "/BBox" not in attributes:
        return
    x1, y1, x2, y2 = (float(v) for v in attributes.BBox)
    height = float(page.MediaBox[3])
    attributes.BBox = pikepdf.Array([round(x1 * PT_PER_PX, 3), round(height - y2 * PT_PER_PX, 3),
                                     round(x2 * PT_PER_PX, 3), round(height - y1 * PT_PER_PX, 3)])


def _parent_arrays(root) -> dict[int, pikepdf.Array]:
    """The ParentTree's per-page arrays (MCID → element), by ``/StructParents``."""
    nums = root.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)
            if isinstance(nums[i + 1], pikepdf.Array)}


def _mark(page, artifacts: set[int], spelled: dict[int, str]) -> None:
    """Rewrite the page's marked content: MCIDs in ``artifacts`` as Artifacts, and an
    ``/ActualText`` on each letter-spaced one."""
    if not artifacts and not spelled:
        return

    def replace(match):
        mcid = int(match.group(2))
        actual = b"/ActualText " + _text_string(spelled[mcid]) if mcid in spelled else b""
        if mcid in artifacts:
            return b"/Artifact\n<<" + actual + b">>\nBDC" if actual else b"/Artifact\nBMC"
        return match.group(0) if not actual else (
            b"/" + match.group(1) + b"\n<</MCID " + match.group(2) + b" " + actual + b">>\nBDC")

    streams = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
    for stream in streams:
        stream.write(MARKED.sub(replace, stream.read_bytes()))


def _text_string(text: str) -> bytes:
    """A PDF text string in UTF-16BE with its byte order mark, hex-encoded."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
