"""`typeset preflight` and the checks every build runs: each fault a plant would stop at
gives its finding and exit status (0 clean or warnings only, 1 errors, 2 not a PDF), and
press and archive builds refuse drafts unless --allow-draft."""

from __future__ import annotations

import re

import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from typeset.build import build
from typeset.cli import main
from typeset.preflight import preflight
from typeset.style import load_style

DATA = Path(__file__).parent / "data" / "import"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def low_res(folder: Path) -> None:
    """The small issue's photo as 400 × 267 px, placed some 130 mm wide: about 78 ppi."""
    path = folder / "images" / "p.jpg"
    Image.open(path).resize((400, 267)).save(path, quality=85)


def test_sample_print_pdf_is_clean(sample_outputs, capsys):
    code, out, _ = run(capsys, "preflight", sample_outputs["pdf"])
    assert code == 0
    assert out.splitlines()[0] == "PDF: 0 errors, 0 warnings"


def test_a_122_ppi_lead_photo_is_reported(issue_copy, tmp_path, capsys):
    """The sample's old lead photo (1200 px over 250 mm) is a warning in a print PDF."""
    lead = issue_copy / "images" / "lead-heating.jpg"
    Image.open(lead).resize((1200, 800)).save(lead, quality=85)
    result = build(issue_copy, tmp_path / "out", formats=("pdf",))
    assert [(f.level, f.kind, f.page) for f in result.findings] == [("warning", "ppi", 1)]
    # The effective resolution is the picture's pixels over its placed width (about
    # 122 ppi at 250 mm; the width is the layout's, which the display fitting moves).
    found = re.search(r"placed ([\d.]+) × [\d.]+ mm .*: (\d+) ppi", result.findings[0].message)
    ppi = int(found.group(2))
    assert abs(ppi - 1200 / (float(found.group(1)) / 25.4)) <= 1 and 100 < ppi < 130
    code, out, _ = run(capsys, "preflight", result.paths[0])
    assert code == 0 and "warning [ppi] page 1" in out and f"{ppi} ppi, under" in out


def test_low_resolution_photo(small_issue, tmp_path, capsys):
    low_res(small_issue)
    code, _, err = run(capsys, "build", small_issue, "--format", "pdf", "-o", tmp_path / "print")
    assert code == 0 and "preflight: warning [ppi]" in err  # an office print may be coarse
    press = tmp_path / "press"
    code, _, err = run(capsys, "build", small_issue, "--mode", "press", "--format", "pdf",
                       "-o", press)
    assert code == 2 and "[ppi]" in err and "--allow-draft" in err
    assert not press.exists() or not list(press.iterdir())
    code, _, err = run(capsys, "build", small_issue, "--mode", "press", "--format", "pdf",
                       "-o", press, "--allow-draft")
    assert code == 0 and "preflight: error [ppi]" in err
    code, out, _ = run(capsys, "preflight", press / "small.pdf")
    assert code == 1
    assert "error [ppi] page 1: photo 400 × 267 px placed" in out and "under 120" in out


def press_pdf_of(folder: Path, out: Path) -> Path:
    return build(folder, out, formats=("pdf",), mode="press").paths[0]


def test_rgb_injected_into_a_press_pdf(small_issue, tmp_path, capsys):
    """An RGB fill in the page's content and an RGB image drawn by a form: both found."""
    clean = press_pdf_of(small_issue, tmp_path / "out")
    assert preflight(clean.read_bytes(), load_style().press).findings == []
    dirty = tmp_path / "dirty.pdf"
    with pikepdf.open(clean) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"q 1 0 0 rg 10 10 50 50 re f Q"))
        image = pdf.make_stream(b"\xff\x00\x00" * 4, Type=pikepdf.Name.XObject,
                                Subtype=pikepdf.Name.Image, Width=2, Height=2,
                                ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
        form = pdf.make_stream(b"q 600 0 0 600 0 0 cm /Im0 Do Q", Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=[0, 0, 600, 600],
                               Resources=pikepdf.Dictionary(
                                   XObject=pikepdf.Dictionary(Im0=image)))
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/Injected"))
        page.contents_add(pdf.make_stream(b"q %s Do Q" % str(name).encode()))
        pdf.save(dirty)
    code, out, _ = run(capsys, "preflight", dirty)
    assert code == 1
    assert "error [colour] page 1: RGB colour operator rg in a press PDF" in out
    assert "error [colour] page 1: RGB image 2 × 2 px in a press PDF" in out


def test_font_not_embedded(small_issue, tmp_path, capsys):
    pdf_path = build(small_issue, tmp_path / "out", formats=("pdf",)).paths[0]
    broken = tmp_path / "nofont.pdf"
    with pikepdf.open(pdf_path) as pdf:
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                 and obj.get("/Type") == "/Font" and obj.get("/Subtype") == "/Type0"]
        descriptor = fonts[0].DescendantFonts[0].FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        name = str(fonts[0].BaseFont)
        pdf.save(broken)
    code, out, _ = run(capsys, "preflight", broken)
    assert code == 1 and f"error [font] page 1: font {name} not embedded" in out


def test_not_a_pdf(tmp_path, capsys):
    fake = tmp_path / "x.pdf"
    fake.write_text("no pdf")
    code, _, err = run(capsys, "preflight", fake)
    assert code == 2 and "x.pdf" in err


@pytest.fixture
def imported(tmp_path, capsys) -> Path:
    """An issue straight from `typeset import`: 报名待填 and two placeholder photos."""
    folder = tmp_path / "imported"
    assert main(["import", str(DATA / "photo-page.txt"), "-o", str(folder)]) == 0
    capsys.readouterr()
    return folder


def test_imported_placeholders(imported, tmp_path, capsys):
    code, _, err = run(capsys, "build", imported, "-o", tmp_path / "print")
    assert code == 0  # office prints and EPUB are written, with the findings shown
    assert "preflight: error [placeholder]" in err
    pdf_path = next((tmp_path / "print").glob("*.pdf"))
    code, out, _ = run(capsys, "preflight", pdf_path)
    assert code == 1
    assert "待填 (text to be filled in)" in out
    assert out.count("placeholder photo from typeset import") == 1  # embedded once
    for mode in ("press", "archive"):
        code, _, err = run(capsys, "build", imported, "--mode", mode, "--format", "pdf",
                           "-o", tmp_path / mode)
        assert code == 2 and "[placeholder]" in err and "--allow-draft" in err, mode
        assert not (tmp_path / mode).exists() or not list((tmp_path / mode).iterdir())
    # The EPUB does not claim alternative text for photos that are not there.
    epub_path = next((tmp_path / "print").glob("*.epub"))
    with zipfile.ZipFile(epub_path) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
    assert "alternativeText" not in opf and "替代文字" not in opf


def test_proof_marks_each_placeholder_photo(imported, tmp_path):
    result = build(imported, tmp_path / "proof", formats=("pdf",), mode="proof")
    document = pdfium.PdfDocument(str(result.paths[0]))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert text.count("【图片待补】") == 2


def test_sample_epub_claims_alternative_text(sample_outputs):
    with zipfile.ZipFile(sample_outputs["epub"]) as book:
        assert "alternativeText" in book.read("EPUB/content.opf").decode("utf-8")
