"""Press PDF: PDF/X-4 for the plate-maker, finished from the pages WeasyPrint wrote.

The pages are rendered and joined as for print (:mod:`typeset.writers.pages`,
:mod:`.merge`), with ``press.css.j2`` putting every line, rule and character in black
ink alone (DeviceCMYK 0 0 0 1). WeasyPrint 70 can write ``pdf/x-4`` itself, but only
for a document rendered whole: :mod:`.merge` joins pages rendered apart and cannot join
OutputIntents. And its output intent is an ICC colour space that ``@color-profile
device-cmyk`` makes *every* CMYK colour use, where overprinting black needs DeviceCMYK
(overprint mode 1 acts on DeviceCMYK alone). So the joined PDF is finished here, with
pikepdf, in four steps:

- photos (RGB image XObjects, wherever they are drawn) are separated into CMYK through
  the paper's profile (Pillow ImageCms, perceptual, sRGB assumed for the source), no
  pixel above the style's total area coverage (the profile is built with that ink
  limit; :func:`limit_ink` holds it exactly) and encoded as Adobe CMYK JPEGs; a
  placeholder photo of ``typeset import`` keeps a mark (:data:`PLACEHOLDER`);
- black overprints: every page starts with an ExtGState that sets overprint (``/OP``,
  ``/op``) with overprint mode 1, which WeasyPrint never writes. Under mode 1 a
  DeviceCMYK colour leaves the inks it has at zero as they are, so pure-K type and
  rules print over a photo or tint without knocking it out, and misregistration
  shows no white edge; images paint all four inks whatever the mode, so photos still
  knock out what lies under them;
- the PDF/X-4 identification: ``/OutputIntents`` (``GTS_PDFX``, the style's printing
  condition, the profile embedded), XMP with ``pdfxid:GTS_PDFXVersion``, dates, title,
  ``/Trapped /False`` (no trapping is done); PDF 1.6;
- TrimBox and BleedBox on every page, the bleed from the style (:func:`set_boxes`,
  also used for proofs, whose CSS bleed is the wider area of their marks).

The bundled fonts are printable by a RIP as they are (:mod:`.cidfonts`).

Same input, same bytes: the document ID and XMP IDs are digests of the content.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms, ImageMath

from typeset import cache

PT_PER_MM = 72 / 25.4
VERSION = "PDF/X-4"
JPEG_QUALITY = 90
#: The overprint state every press page starts with (see the module's notes).
OVERPRINT = pikepdf.Name("/TypesetOverprint")
#: Key marking a separated placeholder photo (a private key: readers ignore it), since
#: separating changes the bytes by which preflight knows one.
PLACEHOLDER = pikepdf.Name("/TypesetPlaceholder")
#: Decode array of an Adobe CMYK JPEG, whose samples are stored inverted.
ADOBE_CMYK_DECODE = [1, 0, 1, 0, 1, 0, 1, 0]


@dataclass(frozen=True)
class Intent:
    """The printing condition of a press PDF, from the style's ``press`` section."""

    profile: Path  # CMYK output ICC profile
    condition: str  # OutputConditionIdentifier, e.g. FOGRA30
    info: str  # what the condition is, for the plate-maker
    tac_percent: int  # total area coverage limit
    bleed_mm: float
    placeholder: bytes = b""  # the stand-in photo of typeset import, to mark


def finish(data: bytes, intent: Intent, title: str, created: dt.datetime) -> bytes:
    """The joined print pages ``data`` as PDF/X-4 bytes (see the module's notes)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        separate_images(pdf, intent)
        for page in pdf.pages:
            overprint(pdf, page)
        set_boxes(pdf, intent.bleed_mm)
        identify(pdf, intent, title, created, hashlib.sha256(data).digest())
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, force_version="1.6")
        return buffer.getvalue()


def finish_proof(data: bytes, bleed_mm: float) -> bytes:
    """A proof's pages with their BleedBox at the real bleed (WeasyPrint puts it at
    most 10 pt out, inside the CSS bleed that makes room for the marks)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        set_boxes(pdf, bleed_mm)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def set_boxes(pdf: pikepdf.Pdf, bleed_mm: float) -> None:
    """Each page's BleedBox ``bleed_mm`` outside its TrimBox (which WeasyPrint sets at
    the CSS page box), inside its MediaBox."""
    bleed = bleed_mm * PT_PER_MM
    for page in pdf.pages:
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        box = [max(media[0], trim[0] - bleed), max(media[1], trim[1] - bleed),
               min(media[2], trim[2] + bleed), min(media[3], trim[3] + bleed)]
        page.obj.TrimBox = pikepdf.Array([round(v, 4) for v in trim])
        page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in box])


def overprint(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Start ``page`` in the overprint state (``/OP /op true``, ``/OPM 1``)."""
    state = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True,
                                                 op=True, OPM=1))
    page.add_resource(state, pikepdf.Name.ExtGState, OVERPRINT)
    page.contents_add(b"%s gs\n" % str(OVERPRINT).encode(), prepend=True)


def separate_images(pdf: pikepdf.Pdf, intent: Intent) -> None:
    """Every RGB image XObject of ``pdf`` (pages and forms alike) as CMYK."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _separate_in(page.obj.get("/Resources"), intent, done)


def _separate_in(resources, intent: Intent, done: set) -> None:
    if resources is None:
        return
    for _, xobject in (resources.get("/XObject") or {}).items():
        if xobject.objgen in done:
            continue
        done.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            _separate_in(xobject.get("/Resources"), intent, done)
        elif xobject.get("/Subtype") == "/Image" and is_rgb(xobject.get("/ColorSpace")):
            if intent.placeholder and xobject.get("/Filter") == "/DCTDecode" and \
                    xobject.read_raw_bytes() == intent.placeholder:
                xobject[PLACEHOLDER] = True  # what preflight finds once it is separated
            data = cmyk_jpeg(pikepdf.PdfImage(xobject).as_pil_image(), intent)
            xobject.write(data, filter=pikepdf.Name.DCTDecode)
            xobject.ColorSpace = pikepdf.Name.DeviceCMYK
            xobject.BitsPerComponent = 8
            xobject.Decode = pikepdf.Array(ADOBE_CMYK_DECODE)
            for stale in ("/DecodeParms", "/Intent"):
                if stale in xobject:
                    del xobject[stale]


def is_rgb(space) -> bool:
    """Whether a PDF colour space is RGB: DeviceRGB, CalRGB, or ICC-based with 3
    components (an indexed space over one of them too)."""
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return space in ("/DeviceRGB", "/CalRGB")
    if isinstance(space, pikepdf.Array) and len(space):
        family = space[0]
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family == "/CalRGB":
            return True
        if family == "/Indexed":
            return is_rgb(space[1])
    return False


def cmyk_jpeg(image: Image.Image, intent: Intent) -> bytes:
    """``image`` separated for the paper (cached under its pixels and the intent)."""
    image = image.convert("RGB")
    digest = hashlib.sha256(image.tobytes())
    digest.update(f"{image.size} {intent.tac_percent} {JPEG_QUALITY}".encode())
    digest.update(cache.file_digest(intent.profile))
    key = digest.hexdigest()
    found = cache.read("press", key, ".jpg")
    if found is not None:
        return found
    cmyk = limit_ink(ImageCms.applyTransform(image, _transform(intent.profile)),
                     intent.tac_percent)
    out = io.BytesIO()
    cmyk.save(out, "JPEG", quality=JPEG_QUALITY)  # Pillow writes Adobe (inverted) CMYK
    cache.write("press", key, ".jpg", out.getvalue())
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _transform(profile: Path) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                   ImageCms.getOpenProfile(str(profile)), "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


def limit_ink(image: Image.Image, tac_percent: int) -> Image.Image:
    """``image`` (CMYK) with no pixel's C+M+Y+K above ``tac_percent``: where the sum is
    over, cyan, magenta and yellow are reduced in proportion (black kept: it carries
    the detail). The profile's separation already keeps to its ink limit; this holds
    the last percent or two that its interpolation may overshoot."""
    limit = tac_percent * 255 / 100
    c, m, y, k = image.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                  c=c, m=m, y=y, k=k)
    if total.getextrema()[1] <= limit:
        return image
    scale = ImageMath.lambda_eval(
        lambda a: a["float"](a["max"](a["min"]((a["limit"] - a["k"]) * 1.0 /
                                                 a["max"](a["c"] + a["m"] + a["y"], 1), 1.0),
                                      0.0)), c=c, m=m, y=y, k=k, limit=limit)
    channels = [ImageMath.lambda_eval(lambda a: a["convert"](a["v"] * a["s"], "L"),
                                      v=channel, s=scale) for channel in (c, m, y)]
    return Image.merge("CMYK", (*channels, k))


def identify(pdf: pikepdf.Pdf, intent: Intent, title: str, created: dt.datetime,
             digest: bytes) -> None:
    """The OutputIntent, document info and XMP that make ``pdf`` PDF/X-4."""
    profile = pdf.make_stream(intent.profile.read_bytes())
    profile.N = 4
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=intent.condition, OutputCondition=intent.info,
        Info=intent.info, RegistryName="http://www.color.org",
        DestOutputProfile=profile))])
    stamp = created.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf.docinfo.Title = title
    pdf.docinfo.CreationDate = pdf.docinfo.get("/CreationDate", stamp)
    pdf.docinfo.ModDate = pdf.docinfo.get("/ModDate", stamp)
    pdf.docinfo.Trapped = pikepdf.Name("/False")
    pdf.docinfo.GTS_PDFXVersion = VERSION
    when = created.astimezone(dt.timezone.utc).isoformat()
    document_id = f"uuid:{uuid.UUID(bytes=digest[:16])}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["pdfxid:GTS_PDFXVersion"] = VERSION
        xmp["dc:title"] = title
        xmp["xmp:CreateDate"] = when
        xmp["xmp:ModifyDate"] = when
        xmp["xmp:MetadataDate"] = when
        xmp["xmp:CreatorTool"] = "typeset"
        xmp["pdf:Producer"] = str(pdf.docinfo.get("/Producer", "typeset"))
        xmp["pdf:Trapped"] = "False"
        xmp["xmpMM:DocumentID"] = document_id
        xmp["xmpMM:InstanceID"] = document_id
        xmp["xmpMM:VersionID"] = "1"
        xmp["xmpMM:RenditionClass"] = "default"
