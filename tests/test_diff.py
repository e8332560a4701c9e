"""`typeset diff`: which pages of two proofs changed, with pictures of what moved."""

from __future__ import annotations

import pikepdf
from PIL import Image, ImageChops

from typeset.cli import main
from typeset.proofdiff import CELL, DPI

#: A box drawn on page 2 of the edited copy, in PDF points from the bottom left.
BOX = (300, 300, 380, 340)


def edited_copy(source, target, *, drop_last=False):
    """The PDF with a blue box drawn on page 2, or without its last page."""
    with pikepdf.open(source) as pdf:
        if drop_last:
            del pdf.pages[-1]
        else:
            x0, y0, x1, y1 = BOX
            page = pdf.pages[1]
            # The page's own content leaves its transformation set: wrap it in q … Q.
            page.contents_add(pdf.make_stream(b"q"), prepend=True)
            page.contents_add(pdf.make_stream(
                f"Q q 0 0 1 rg {x0} {y0} {x1 - x0} {y1 - y0} re f Q".encode()))
        pdf.save(target)
    return target


def run(capsys, *args) -> tuple[int, str]:
    code = main(["diff", *map(str, args)])
    return code, capsys.readouterr().out


def test_identical_proofs_have_no_changes(sample_outputs, tmp_path, capsys):
    pdf = sample_outputs["pdf"]
    code, out = run(capsys, pdf, pdf, "-o", tmp_path / "diff")
    assert code == 0
    assert out.strip() == "no page changed"
    assert list((tmp_path / "diff").iterdir()) == []


def test_changed_page_is_listed_and_pictured_where_it_changed(sample_outputs, tmp_path,
                                                                capsys):
    old = sample_outputs["pdf"]
    new = edited_copy(old, tmp_path / "new.pdf")
    out_dir = tmp_path / "diff"
    out_dir.mkdir()
    (out_dir / "page-1.png").write_bytes(b"left by an earlier comparison")
    code, out = run(capsys, old, new, "-o", out_dir)
    assert code == 0
    assert "changed pages: 2" in out
    assert sorted(p.name for p in out_dir.iterdir()) == ["page-2.png"]

    with pikepdf.open(new) as pdf:
        page_height = float(pdf.pages[1].MediaBox[3])
    left, top, right, bottom = _tinted(Image.open(out_dir / "page-2.png")).getbbox()
    scale = DPI / 72
    x0, y0, x1, y1 = BOX
    # The tinted area covers the box, and not much more (whole cells around it).
    assert left <= x0 * scale and right >= x1 * scale
    assert top <= (page_height - y1) * scale and bottom >= (page_height - y0) * scale
    assert right - left < (x1 - x0) * scale + 2 * CELL
    assert bottom - top < (y1 - y0) * scale + 2 * CELL


def test_removed_and_added_pages(sample_outputs, tmp_path, capsys):
    full = sample_outputs["pdf"]
    short = edited_copy(full, tmp_path / "short.pdf", drop_last=True)
    code, out = run(capsys, full, short, "-o", tmp_path / "a")
    assert code == 0
    assert "removed pages: 3" in out and "changed pages: none" in out
    assert list((tmp_path / "a").iterdir()) == []
    code, out = run(capsys, short, full, "-o", tmp_path / "b")
    assert code == 0
    assert "added pages: 3" in out
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["page-3.png"]


def test_not_a_pdf_is_an_error(tmp_path, capsys):
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF")
    assert main(["diff", str(text), str(text), "-o", str(tmp_path / "diff")]) == 2
    assert "notes.pdf: cannot read as PDF" in capsys.readouterr().err


def _tinted(picture: Image.Image) -> Image.Image:
    """Mask of the pixels tinted red: red well above green and blue."""
    red, green, blue = picture.convert("RGB").split()
    above = [ImageChops.subtract(red, other).point(lambda v: 255 if v > 40 else 0)
             for other in (green, blue)]
    return ImageChops.multiply(*above)
