"""Archival PDF: PDF/A-3a (3u if a tagging check fails), tagged, with Dublin Core
metadata and the source attached: the issue model as JSON and every photo as supplied,
so that the issue can be set again from the archive alone.

WeasyPrint's ``pdf/a-3u`` variant (:mod:`typeset.weasy.structure` raises the claim to
3a once its checks hold on the written file) writes the XMP packet (pdfaid, title,
creator, dates), the sRGB OutputIntent and, for PDF/A-3, an ``/AF`` entry with each attachment's
``/AFRelationship``. Three things it does not do by itself:

- tag the content: the "u" variants leave ``pdf_tags`` off, so it is switched on here
  (the structure tree that WeasyPrint's PDF/UA support writes);
- put publisher, date and language into the XMP: the HTML has no source for them, so the
  document's metadata is swapped for a subclass that adds them to the same ``rdf:RDF``
  (a second packet through ``xmp_metadata`` would be a second ``rdf:RDF``, which XMP
  readers such as pikepdf ignore);
- date the attachment: ``weasyprint.Attachment`` defaults to the wall clock, which would
  make every build different, so it gets the build time.

The structure tree it builds needs repairs for a newspaper page (furniture as Artifacts,
letter-spaced text, captions, figure boxes): :mod:`typeset.weasy.structure`.

And one thing it does twice: the catalog's ``/AF`` lists each attachment once from the
name tree and once from the file specifications; :func:`_list_attachments_once` fixes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree

import pydyf
import weasyprint
from weasyprint.pdf.metadata import NS, DocumentMetadata

from typeset.weasy import structure

VARIANT = "pdf/a-3u"


@dataclass(frozen=True)
class Archive:
    """The archive's metadata and the source model that travels inside it."""

    publisher: str
    date: dt.date
    language: str
    created: dt.datetime
    source_name: str  # file name of the attachment, e.g. yuquan-2026-11-27.json
    source_json: str
    pictures: tuple[tuple[str, bytes], ...] = ()  # (path in the issue folder, bytes)


def write(document: weasyprint.Document, archive: Archive) -> bytes:
    """A rendered document as PDF/A-3 bytes with the source attached (``/Source``)."""
    document.metadata = _Metadata(document.metadata, archive)
    source = weasyprint.Attachment(
        string=archive.source_json, url_fetcher=document.url_fetcher,
        name=archive.source_name, description="issue source model (typeset JSON)",
        created=archive.created, modified=archive.created, relationship="Source")
    pictures = [weasyprint.Attachment(
        string=data, url_fetcher=document.url_fetcher, name=name,
        description=f"photo as supplied: {name}", created=archive.created,
        modified=archive.created, relationship="Source") for name, data in archive.pictures]
    with structure.recording() as notes:
        data = document.write_pdf(pdf_variant=VARIANT, pdf_tags=True,
                                  attachments=[source, *pictures],
                                  finisher=_list_attachments_once)
    return structure.repair(data, notes)


def _list_attachments_once(document, pdf) -> None:
    pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


class _Metadata(DocumentMetadata):
    """WeasyPrint's metadata plus dc:publisher, dc:date and dc:language in the XMP."""

    def __init__(self, base: DocumentMetadata, archive: Archive):
        super().__init__(**vars(base))
        self.archive = archive

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = ElementTree.fromstring(super().generate_rdf_metadata(variant, version,
                                                                   conformance))
        description = ElementTree.SubElement(rdf, _rdf("Description"), {_rdf("about"): ""})
        # XMP's Dublin Core types: publisher and language are bags, date is a sequence.
        for name, container, value in (("publisher", "Bag", self.archive.publisher),
                                       ("date", "Seq", self.archive.date.isoformat()),
                                       ("language", "Bag", self.archive.language)):
            array = ElementTree.SubElement(
                ElementTree.SubElement(description, f"{{{NS['dc']}}}{name}"), _rdf(container))
            ElementTree.SubElement(array, _rdf("li")).text = value
        return ElementTree.tostring(rdf, encoding="utf-8")


def _rdf(name: str) -> str:
    return f"{{{NS['rdf']}}}{name}"
