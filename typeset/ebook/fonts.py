"""Font subsets for the EPUB: each embedded face cut to the characters it shows.

The bundled faces are 5–13 MB each. Cut to the characters of one issue they are a few
hundred kB; cut to the characters each face actually shows (headlines in Hei, bylines
and captions in Kai, the body in Song) the faces other than the body's are a few dozen.
Which face shows which text is read from the book's own stylesheet and documents
(:func:`characters_by_face`), so the subsets follow the CSS without a second list of
selectors. A character a subset lacks is drawn from the next font of the stack.

HarfBuzz's subsetter (uharfbuzz) cuts a face in milliseconds, where fontTools takes
seconds per CJK face; fontTools then stores the subset as WOFF2 (Brotli), an EPUB 3.3
core media type, a quarter to a half smaller than the OpenType it holds.

- ``locl`` is left out: its closure pulls in the Japanese, Korean and Traditional forms
  of every character, nearly doubling a subset, and these faces' default forms are
  already the Simplified Chinese ones.
- Every name record is kept: they carry the copyright and the OFL notice, which must
  travel with the font.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
import tinycss2
import uharfbuzz as hb
from fontTools.ttLib import TTFont

MEDIA_TYPE = "font/woff2"
SUFFIX = ".woff2"
DROPPED_FEATURES = (b"locl",)
XHTML = "{http://www.w3.org/1999/xhtml}"
#: What a reading system's own stylesheet makes bold (HTML's rendering section).
BOLD_ELEMENTS = frozenset({"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
WEIGHTS = {"normal": 400, "bold": 700}

#: A face of the stylesheet: (family, weight).
Face = tuple[str, int]


def subset(path: Path, characters: set[str]) -> bytes:
    """The font at ``path`` cut to ``characters`` (those it lacks are ignored), as WOFF2."""
    request = hb.SubsetInput()
    request.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in characters)
    features = request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for tag in DROPPED_FEATURES:
        features.discard(int.from_bytes(tag, "big"))
    request.sets(hb.SubsetInputSets.NAME_ID).add_range(0, 0x7FFF)
    cut = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), request).blob.data
    font = TTFont(io.BytesIO(cut))
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def faces(css: str) -> list[Face]:
    """The faces the stylesheet embeds (its ``@font-face`` rules), in order."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            declarations = _declarations(rule.content)
            found.append((_families(declarations["font-family"])[0],
                          _weight(declarations.get("font-weight", []), 400)))
    return found


def characters_by_face(css: str, documents) -> dict[Face, set[str]]:
    """For each embedded face, the characters the XHTML ``documents`` show in it.

    Each element's ``font-family`` and ``font-weight`` come from the stylesheet's rules
    by specificity and order, else from its parent (bold by default where a reading
    system makes it so); its text goes to the first embedded family of its stack, in
    the face of that family nearest its weight (as CSS font matching picks, with
    synthetic bold where a family has no bold face).
    """
    embedded = faces(css)
    matcher = cssselect2.Matcher()
    for order, rule in enumerate(tinycss2.parse_stylesheet(css, skip_comments=True,
                                                           skip_whitespace=True)):
        if rule.type != "qualified-rule":
            continue
        declarations = _declarations(rule.content)
        wanted = {k: v for k, v in declarations.items() if k in ("font-family", "font-weight")}
        if wanted:
            for selector in cssselect2.compile_selector_list(rule.prelude):
                matcher.add_selector(selector, (order, wanted))
    shown: dict[Face, set[str]] = {face: set() for face in embedded}
    for document in documents:
        root = cssselect2.ElementWrapper.from_xml_root(ElementTree.fromstring(document))
        body = next(e for e in root.iter_subtree() if e.etree_element.tag == XHTML + "body")
        _collect(body, (["serif"], 400), matcher, embedded, shown)
    return shown


def _collect(element, inherited, matcher, embedded, shown) -> None:
    families, weight = inherited
    if element.local_name in BOLD_ELEMENTS:
        weight = 700
    for _, _, _, (_, declarations) in sorted(matcher.match(element),
                                             key=lambda m: (m[0], m[3][0])):
        families = _families(declarations.get("font-family")) or families
        weight = _weight(declarations.get("font-weight", []), weight)
    face = _face(families, weight, embedded)
    if face:
        shown[face].update(element.etree_element.text or "")
    for child in element.iter_children():
        _collect(child, (families, weight), matcher, embedded, shown)
        if face:
            shown[face].update(child.etree_element.tail or "")


def _face(families: list[str], weight: int, embedded: list[Face]) -> Face | None:
    """The embedded face CSS font matching picks for the stack, or None (a system font)."""
    for family in families:
        candidates = [face for face in embedded if face[0] == family]
        if candidates:
            return min(candidates, key=lambda face: (abs(face[1] - weight), -face[1]))
    return None


def _declarations(content) -> dict[str, list]:
    return {d.lower_name: d.value for d in tinycss2.parse_declaration_list(
        content, skip_comments=True, skip_whitespace=True) if d.type == "declaration"}


def _families(value) -> list[str]:
    """A font-family value as names: quoted strings, or identifiers joined by spaces."""
    names, words = [], []
    for token in (value or []) + [tinycss2.ast.LiteralToken(0, 0, ",")]:
        if token.type == "string":
            names.append(token.value)
        elif token.type == "ident":
            words.append(token.value)
        elif token.type == "literal" and token.value == ",":
            if words:
                names.append(" ".join(words))
            words = []
    return names


def _weight(value, inherited: int) -> int:
    for token in value:
        if token.type == "number":
            return int(token.value)
        if token.type == "ident" and token.lower_value in WEIGHTS:
            return WEIGHTS[token.lower_value]
    return inherited
