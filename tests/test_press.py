"""Press mode read back: PDF/X-4 identification and OutputIntent, trim and bleed boxes,
no RGB anywhere, pure-K type and rules that overprint, photos separated within the ink
limit; and the plates Ghostscript separates from it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageMath

from typeset import SAMPLE_ISSUE
from typeset.build import build
from typeset.cli import main
from typeset.preflight import preflight
from typeset.style import load_style

MM = 72 / 25.4
SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-page.txt"


@pytest.fixture(scope="module")
def press_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("press-out")
    return build(SAMPLE_ISSUE, out, formats=("pdf",), mode="press").paths[0]


def assert_pdfx(path) -> None:
    """The PDF/X-4 identification, the CMYK OutputIntent and the page boxes."""
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.6"
        intents = [i for i in pdf.Root.OutputIntents if i.S == "/GTS_PDFX"]
        assert len(intents) == 1
        profile = intents[0].DestOutputProfile
        data = profile.read_bytes()
        assert int(profile.N) == 4
        assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"  # output, CMYK
        assert str(intents[0].OutputConditionIdentifier) == "FOGRA30"
        assert pdf.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.docinfo.Trapped == "/False"
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(390 * MM, abs=0.1)
            assert [t - b for t, b in zip(trim, bleed, strict=True)] == \
                pytest.approx([3 * MM, 3 * MM, -3 * MM, -3 * MM], abs=0.01)
            assert media[:2] <= bleed[:2] and media[2:] >= bleed[2:]


def colours(path) -> tuple[set, list, list]:
    """Every colour operator with its operands, every image's colour space, and every
    ExtGState a content stream starts with: in page contents and all forms they draw."""
    found, images, first_states = set(), [], []
    with pikepdf.open(path) as pdf:
        seen = set()

        def walk(owner, resources):
            resources = resources or pikepdf.Dictionary()
            instructions = list(pikepdf.parse_content_stream(owner))
            if instructions and str(instructions[0].operator) == "gs":
                state = resources.ExtGState[instructions[0].operands[0]]
                first_states.append({str(k): state[k] for k in ("/OP", "/op", "/OPM")
                                     if k in state})
            for operands, operator in instructions:
                if str(operator) in ("rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "SC",
                                     "scn", "SCN"):
                    found.add((str(operator), tuple(str(v) for v in operands)))
                if str(operator) == "Do":
                    xobject = resources.XObject[operands[0]]
                    if xobject.objgen in seen:
                        continue
                    seen.add(xobject.objgen)
                    if xobject.Subtype == "/Form":
                        walk(xobject, xobject.get("/Resources"))
                    else:
                        images.append(xobject.get("/ColorSpace"))
            for space in (resources.get("/ColorSpace") or {}).values():
                found.add(("resource", (str(space),)))

        for page in pdf.pages:
            walk(page.obj, page.obj.get("/Resources"))
        return found, [str(s) for s in images], first_states


def test_press_pdf_is_pdfx4_with_a_cmyk_output_intent_and_boxes(press_pdf):
    assert_pdfx(press_pdf)


def test_no_rgb_anywhere_and_type_and_rules_in_black_ink_alone(press_pdf):
    found, images, _ = colours(press_pdf)
    assert not [f for f in found if f[0] in ("rg", "RG")], "RGB colour operators"
    assert not [f for f in found if f[0] == "resource" and "RGB" in f[1][0]]
    spaces = {f[1][0] for f in found if f[0] in ("cs", "CS")}
    assert spaces == {"/DeviceCMYK"}
    values = {f[1] for f in found if f[0] in ("sc", "SC", "scn", "SCN", "k", "K")}
    assert values == {("0", "0", "0", "1")}, "every line, rule and character in pure K"
    assert len(images) == 5 and set(images) == {"/DeviceCMYK"}


def test_black_overprints(press_pdf):
    _, _, states = colours(press_pdf)
    overprint = [s for s in states if bool(s.get("/OP")) and bool(s.get("/op"))
                 and int(s.get("/OPM", 0)) == 1]
    with pikepdf.open(press_pdf) as pdf:
        assert len(overprint) >= len(pdf.pages)


def test_sample_press_pdf_passes_preflight(press_pdf):
    report = preflight(press_pdf.read_bytes(), load_style().press)
    assert report.press and report.findings == []


def test_photos_keep_to_the_ink_limit(press_pdf):
    """Separated through the profile (built with 240 % TAC): no 4 × 4 px area over it."""
    with pikepdf.open(press_pdf) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                c, m, y, k = pikepdf.PdfImage(obj).as_pil_image().reduce(4).split()
                total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                              c=c, m=m, y=y, k=k).getextrema()[1]
                assert 200 * 255 / 100 < total <= 240 * 255 / 100 + 1


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript (ghostscript)")
def test_separations_cmy_plates_empty_where_only_text_prints(press_pdf, tmp_path):
    """Ghostscript separates each page into its four plates (255 = no ink). Outside the
    photos, cyan, magenta and yellow carry nothing; the black plate carries the type."""
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                    "-r72", f"-sOutputFile={tmp_path}/p%d.tif", str(press_pdf)], check=True)
    document = pdfium.PdfDocument(str(press_pdf))
    try:
        for number, page in enumerate(document, 1):
            left, _, _, top = page.get_mediabox()
            photos = [_pixels(o.get_bounds(), left, top, grow=2) for o in
                      page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8)]
            assert photos, "the sample has a photo on every page"
            outside = Image.new("L", Image.open(tmp_path / f"p{number}(Black).tif").size, 255)
            for box in photos:
                outside.paste(0, box)
            for plate in ("Cyan", "Magenta", "Yellow"):
                ink = Image.open(tmp_path / f"p{number}({plate}).tif").point(
                    lambda v: 255 if v < 255 else 0)
                assert ImageMath.lambda_eval(lambda a: a["min"](a["i"], a["o"]), i=ink,
                                             o=outside).getbbox() is None, (number, plate)
                assert ink.getbbox() is not None, "the photos do use the plate"
            black = Image.open(tmp_path / f"p{number}(Black).tif")
            text = page.get_textpage()
            inked = checked = 0
            for index in range(0, text.count_chars(), 97):
                if not text.get_text_range(index, 1).isalnum():  # marks: a few px
                    continue
                box = _pixels(text.get_charbox(index), left, top)
                if any(_overlaps(box, photo) for photo in photos):
                    continue
                checked += 1
                inked += black.crop(box).getextrema()[0] < 128
            assert checked > 20 and inked == checked, (number, inked, checked)
    finally:
        document.close()


def _pixels(bounds, left, top, grow=0):
    """PDF bounds (left, bottom, right, top) as a pixel box at 72 dpi on the page."""
    x0, y0, x1, y1 = bounds
    return (max(0, int(x0 - left) - grow), max(0, int(top - y1) - grow),
            int(x1 - left) + 1 + grow, int(top - y0) + 1 + grow)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.skipif(not SEED.is_file(), reason="needs the shared corpus (seed-page.txt)")
def test_imported_seed_page_in_press_needs_allow_draft(tmp_path, capsys):
    issue = tmp_path / "seed"
    assert main(["import", str(SEED), "-o", str(issue)]) == 0
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["build", str(issue), "--mode", "press", "--format", "pdf",
                 "-o", str(out), "-j", "1"]) == 2
    assert "--allow-draft" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())
    assert main(["build", str(issue), "--mode", "press", "--format", "pdf", "-o", str(out),
                 "-j", "1", "--allow-draft"]) == 0
    err = capsys.readouterr().err  # preflight's findings, printed
    assert "待填" in err and "placeholder photo from typeset import" in err  # (separated)
    pdf = next(out.glob("*.pdf"))
    assert_pdfx(pdf)
    found, images, _ = colours(pdf)
    assert not [f for f in found if f[0] in ("rg", "RG")]
    assert all(space == "/DeviceCMYK" for space in images)


def test_press_builds_are_byte_identical(press_pdf, tmp_path):
    again = build(SAMPLE_ISSUE, tmp_path / "again", formats=("pdf",), mode="press", jobs=2)
    assert again.paths[0].read_bytes() == press_pdf.read_bytes()
