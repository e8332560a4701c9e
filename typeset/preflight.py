"""Preflight: what a printing plant checks before it makes plates, checked on the PDF.

``typeset preflight FILE.pdf`` runs these checks, and every build runs them on the PDF
it made (their findings printed as warnings; press and archive builds refuse drafts,
:func:`refusals`):

- ``ppi``: the effective resolution of every placed photo, its pixels over the size it
  is drawn at (the image's transformation, through the forms that draw it): below the
  style's ``warn_ppi`` a warning, below ``error_ppi`` an error in a press PDF or a
  press or archive build (a warning elsewhere: an office print may be coarse);
- ``colour``: in a press PDF (one that declares PDF/X), any RGB or spot colour: colour
  operators, colour spaces of images, shadings and set colour spaces (Separation,
  DeviceN), in every content stream and form;
- ``font``: a font whose program is not embedded, or a CID-keyed CFF font whose CIDs
  are not the glyph ids its text uses (:mod:`typeset.weasy.cidfonts`);
- ``tac``: in a press PDF, a photo or fill whose total area coverage (C+M+Y+K) is over
  the style's limit;
- ``placeholder``: text an import left to be filled in (``待填``), a placeholder photo
  (the grey picture ``typeset import`` writes, found by its bytes, or in a press PDF
  by the key :mod:`typeset.weasy.press` marks it with) or a proof's mark of one
  (``图片待补``);
- ``boxes``: a page without TrimBox and BleedBox, or (press) a bleed narrower than the
  style's.

Errors make the command exit 1 (like ``typeset check``); warnings alone, 0.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from PIL import ImageMath

from typeset.model import Issue
from typeset.readers.plaintext.write import placeholder_jpeg
from typeset.style import Press
from typeset.weasy import cidfonts

PT_PER_MM = 72 / 25.4
#: What ``typeset import`` writes where the page text has no value.
PLACEHOLDER_TEXT = "待填"
#: What a proof prints beside a placeholder photo (typeset.build.mark_placeholders).
PLACEHOLDER_MARK = "图片待补"
RGB_OPERATORS = {"rg", "RG"}
#: Kinds that make a press or archive build refuse to write unless --allow-draft.
DRAFT_KINDS = ("placeholder", "ppi")


@dataclass(frozen=True)
class Finding:
    """One thing a plant would stop at (``error``) or ask about (``warning``)."""

    level: str  # error | warning
    kind: str  # ppi | colour | font | tac | placeholder | boxes
    page: int  # 1-based; 0 for the whole document
    message: str
    #: A photo's placed rectangle in the page's user space (x0, y0, x1, y1 in pt),
    #: so a proof can draw the finding where it is; None for the rest.
    box: tuple[float, float, float, float] | None = None

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.level} [{self.kind}] {where}{self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    press: bool = False  # the PDF declares PDF/X
    strict: bool = False  # press rules: photos under error_ppi are errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        kind = "press PDF (PDF/X)" if self.press else "PDF"
        head = f"{kind}: {len(self.errors)} errors, " \
               f"{len(self.findings) - len(self.errors)} warnings"
        return "\n".join([head, *map(str, self.findings)])

    def add(self, level: str, kind: str, page: int, message: str,
            box: tuple[float, float, float, float] | None = None) -> None:
        finding = Finding(level, kind, page, message, box)
        if finding not in self.findings:
            self.findings.append(finding)


def preflight(data: bytes, limits: Press, strict: bool | None = None,
              placeholder_photo: bytes | None = None) -> Report:
    """Check the PDF ``data`` against the paper's ``limits`` (style.yaml ``press``).

    ``strict`` applies the press rules (colour, ink, bleed, photos under ``error_ppi``
    as errors); by default, when the PDF declares PDF/X. ``placeholder_photo`` is the
    picture ``typeset import`` writes for a missing photo
    (:func:`typeset.readers.plaintext.write.placeholder_jpeg`)."""
    if placeholder_photo is None:
        placeholder_photo = placeholder_jpeg()
    report = Report()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        intents = pdf.Root.get("/OutputIntents") or []
        report.press = any(i.get("/S") == "/GTS_PDFX" for i in intents)
        report.strict = report.press if strict is None else strict
        for number, page in enumerate(pdf.pages, 1):
            _boxes(report, number, page, limits, report.press)
            walker = _Walker(report, number, limits, placeholder_photo)
            walker.walk(page.obj, page.obj.get("/Resources"), pikepdf.Matrix())
        for name in cidfonts.mismatched(pdf):
            report.add("error", "font", 0, f"font {name}: its codes are glyph ids but its "
                       "CFF finds glyphs by other CIDs: a RIP prints wrong glyphs")
    _text(report, data)
    report.findings.sort(key=lambda f: (f.level != "error", f.page, f.kind))
    return report


def refusals(report: Report) -> list[Finding]:
    """What a press or archive build (``strict``) refuses to write without
    --allow-draft: placeholders and photos under the error resolution."""
    return [f for f in report.findings if f.level == "error" and f.kind in DRAFT_KINDS]


def _boxes(report: Report, number: int, page, limits: Press, press: bool) -> None:
    if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
        report.add("error" if press else "warning", "boxes", number,
                   "no TrimBox or BleedBox")
        return
    trim = [float(v) for v in page.obj.TrimBox]
    bleed = [float(v) for v in page.obj.BleedBox]
    media = [float(v) for v in page.mediabox]
    margin = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                 bleed[3] - trim[3])
    inside = all(m <= b + 0.01 for m, b in zip(media[:2], bleed[:2])) and \
        all(b <= m + 0.01 for m, b in zip(media[2:], bleed[2:]))
    if margin < -0.01 or not inside:
        report.add("error", "boxes", number, "BleedBox not between TrimBox and MediaBox")
    elif press and margin < limits.bleed_mm * PT_PER_MM - 0.05:
        report.add("error", "boxes", number, f"bleed {margin / PT_PER_MM:.1f} mm, "
                   f"the paper needs {limits.bleed_mm:g} mm")


class _Walker:
    """Walks a page's content and every form it draws, with the transformation, for
    placed photos, colours and fonts."""

    def __init__(self, report: Report, page: int, limits: Press, placeholder: bytes):
        self.report, self.page, self.limits = report, page, limits
        self.placeholder = placeholder
        self.seen_images: set = set()

    def walk(self, owner, resources, ctm: pikepdf.Matrix, depth: int = 0) -> None:
        resources = resources if resources is not None else pikepdf.Dictionary()
        self._resources(resources)
        stack, matrix = [], ctm
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "q":
                stack.append(matrix)
            elif op == "Q" and stack:
                matrix = stack.pop()
            elif op == "cm":
                matrix = pikepdf.Matrix(*[float(v) for v in operands]) @ matrix
            elif op in RGB_OPERATORS and self.report.press:
                self._colour(f"RGB colour operator {op}")
            elif op in ("cs", "CS") and self.report.press and operands and \
                    _space_kind(operands[0]) in ("RGB", "spot"):
                self._colour(f"{_space_kind(operands[0])} colour space set by {op}")
            elif op in ("k", "K") and self.report.press:
                self._fill_tac([float(v) for v in operands])
            elif op == "Do":
                self._draw(resources, operands[0], matrix, depth)

    def _draw(self, resources, name, matrix: pikepdf.Matrix, depth: int) -> None:
        xobject = (resources.get("/XObject") or {}).get(name)
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Form" and depth < 16:
            form = pikepdf.Matrix(*[float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])])
            self.walk(xobject, xobject.get("/Resources"), form @ matrix, depth + 1)
        elif xobject.get("/Subtype") == "/Image":
            self._image(xobject, matrix)

    def _image(self, image, matrix: pikepdf.Matrix) -> None:
        if image.get("/ImageMask", False) or int(image.get("/Width", 0)) < 2:
            return
        width_pt = (matrix.a ** 2 + matrix.b ** 2) ** 0.5
        height_pt = (matrix.c ** 2 + matrix.d ** 2) ** 0.5
        pixels = int(image.Width), int(image.Height)
        box = _placed(matrix)
        if width_pt > 0 and height_pt > 0:
            ppi = min(pixels[0] / (width_pt / 72), pixels[1] / (height_pt / 72))
            where = (f"photo {pixels[0]} × {pixels[1]} px placed "
                     f"{width_pt / PT_PER_MM:.0f} × {height_pt / PT_PER_MM:.0f} mm "
                     f"at {matrix.e / PT_PER_MM:.0f}, {matrix.f / PT_PER_MM:.0f} mm")
            if ppi < self.limits.error_ppi:
                self.report.add("error" if self.report.strict else "warning", "ppi",
                                self.page, f"{where}: {ppi:.0f} ppi, under "
                                f"{self.limits.error_ppi}", box)
            elif ppi < self.limits.warn_ppi:
                self.report.add("warning", "ppi", self.page,
                                f"{where}: {ppi:.0f} ppi, under {self.limits.warn_ppi}", box)
        if image.objgen in self.seen_images:
            return
        self.seen_images.add(image.objgen)
        if image.get("/TypesetPlaceholder", False) or (
                image.get("/Filter") == "/DCTDecode" and
                image.read_raw_bytes() == self.placeholder):
            self.report.add("error", "placeholder", self.page,
                            "placeholder photo from typeset import", box)
        if self.report.press:
            space = image.get("/ColorSpace")
            if _space_kind(space) in ("RGB", "spot"):
                self._colour(f"{_space_kind(space)} image {pixels[0]} × {pixels[1]} px")
            elif _space_kind(space) == "CMYK":
                self._image_tac(image)

    def _resources(self, resources) -> None:
        if self.report.press:
            for name, space in (resources.get("/ColorSpace") or {}).items():
                if _space_kind(space) in ("RGB", "spot"):
                    self._colour(f"{_space_kind(space)} colour space {name}")
            for name, shading in (resources.get("/Shading") or {}).items():
                if _space_kind(shading.get("/ColorSpace")) in ("RGB", "spot"):
                    self._colour(f"shading {name} in {_space_kind(shading.ColorSpace)}")
        for name, font in (resources.get("/Font") or {}).items():
            if not _embedded(font):
                self.report.add("error", "font", self.page,
                                f"font {font.get('/BaseFont', name)} not embedded")

    def _colour(self, what: str) -> None:
        self.report.add("error", "colour", self.page, f"{what} in a press PDF")

    def _fill_tac(self, values: list[float]) -> None:
        total = sum(values) * 100
        if total > self.limits.tac_percent + 0.5:
            self.report.add("error", "tac", self.page, f"colour {values} covers "
                            f"{total:.0f} %, over {self.limits.tac_percent} %")

    def _image_tac(self, image) -> None:
        """The most ink a photo lays on any area of 4 × 4 pixels (about 0.5 mm at print
        resolution): what a plant's limit is about, where one pixel's sum is JPEG
        noise around the separation's limit."""
        picture = pikepdf.PdfImage(image).as_pil_image()
        if picture.mode != "CMYK":
            return
        c, m, y, k = picture.reduce(4).split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                      c=c, m=m, y=y, k=k).getextrema()[1] * 100 / 255
        if total > self.limits.tac_percent + 0.5:
            self.report.add("error", "tac", self.page, f"photo {image.Width} × "
                            f"{image.Height} px covers up to {total:.0f} %, over "
                            f"{self.limits.tac_percent} %")


def _placed(matrix: pikepdf.Matrix) -> tuple[float, float, float, float]:
    """The rectangle an image fills: its unit square through ``matrix``."""
    xs, ys = zip(*(((matrix.a * u + matrix.c * v + matrix.e),
                    (matrix.b * u + matrix.d * v + matrix.f))
                   for u in (0, 1) for v in (0, 1)))
    return (min(xs), min(ys), max(xs), max(ys))


def _space_kind(space) -> str:
    """RGB, CMYK, grey, spot (Separation/DeviceN other than process inks) or other."""
    if space is None:
        return "other"
    if isinstance(space, pikepdf.Name):
        return {"/DeviceRGB": "RGB", "/CalRGB": "RGB", "/DeviceCMYK": "CMYK",
                "/DeviceGray": "grey", "/CalGray": "grey"}.get(str(space), "other")
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return {3: "RGB", 4: "CMYK", 1: "grey"}.get(int(space[1].get("/N", 0)), "other")
        if family == "/CalRGB":
            return "RGB"
        if family in ("/Indexed", "/Pattern") and len(space) > 1:
            return _space_kind(space[1])
        if family == "/Separation":
            return "CMYK" if str(space[1]) in ("/Cyan", "/Magenta", "/Yellow", "/Black") \
                else "spot"
        if family == "/DeviceN":
            process = {"/Cyan", "/Magenta", "/Yellow", "/Black"}
            return "CMYK" if all(str(n) in process for n in space[1]) else "spot"
    return "other"


def _embedded(font) -> bool:
    """Whether ``font`` carries its program (a Type 3 font is its own program)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _text(report: Report, data: bytes) -> None:
    """Placeholder text on the pages (pdfium's text, as a reader extracts it)."""
    document = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(document, 1):
            text = page.get_textpage().get_text_range()
            for marker, what in ((PLACEHOLDER_TEXT, "text to be filled in"),
                                 (PLACEHOLDER_MARK, "a photo to be supplied")):
                count = text.count(marker)
                if count:
                    report.add("error", "placeholder", number,
                               f"{count} × {marker} ({what})")
    finally:
        document.close()


def placeholder_photo(path: Path) -> bool:
    """Whether the picture at ``path`` is the grey stand-in ``typeset import`` writes."""
    try:
        return path.stat().st_size == len(placeholder_jpeg()) and \
            path.read_bytes() == placeholder_jpeg()
    except OSError:
        return False


def mark_placeholders(issue: Issue, root: Path) -> Issue:
    """``issue`` with the caption of each placeholder photo starting 【图片待补】: a
    proof shows the desk, beside the grey picture, that the photo is still to come (the
    mark is text, measured and set like any caption, and preflight finds it)."""
    articles = []
    for article in issue.articles:
        figures = [figure.model_copy(
                       update={"caption": f"【{PLACEHOLDER_MARK}】{figure.caption}"})
                   if placeholder_photo(root / figure.image) else figure
                   for figure in article.figures]
        articles.append(article.model_copy(update={"figures": figures})
                        if figures != article.figures else article)
    return issue.model_copy(update={"articles": articles})


def photos_described(issue: Issue, root: Path) -> bool:
    """Whether every photo of ``issue`` has text that describes it (alt text or a
    caption) and is the photo itself, not a placeholder: what an EPUB may then claim
    as ``alternativeText``."""
    return all((figure.alt or figure.caption) and not placeholder_photo(root / figure.image)
               for article in issue.articles for figure in article.figures)

