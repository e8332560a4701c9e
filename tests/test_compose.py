"""Pages printed in layers (the page, each module, a watermark) and composed: they look, read and
navigate as the whole page rendered at once."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from typeset import SAMPLE_ISSUE, html, readers, weasy
from typeset.build import prepare
from typeset.errors import TypesetError
from typeset.style import load_style
from typeset.weasy.compose import compose
from typeset.writers import pages


@pytest.fixture(scope="module")
def proof_job():
    return prepare(readers.read(SAMPLE_ISSUE), load_style(), mode="proof", watermark=True)


def _image(pdf: bytes, index: int = 0, scale: float = 0.25):
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def test_a_composed_proof_page_looks_like_the_whole_page(proof_job, proof_pdf):
    """The front page (masthead, photos, crop marks, slug line outside the trim, the
    watermark over the copy) drawn in layers is, pixel for pixel, the page rendered
    whole."""
    marks = pages.proof(proof_job)
    whole = weasy.render_pdf(pages.document(proof_job, 0, proof_job.layouts[0], marks))
    difference = ImageChops.difference(_image(proof_pdf.read_bytes()), _image(whole))
    assert difference.getbbox() is None


def test_only_the_bottom_layer_draws_the_crop_marks(proof_job):
    """Every layer has the page's bleed, but a module draws nothing outside the trim."""
    marks = pages.proof(proof_job)
    head, module, *_ = pages.documents(proof_job, numbers=[0])[0]  # the page, a module
    bleed = 12 / 25.4 * 72 * 0.25  # px at the scale below
    for document, drawn in ((head, True), (module, False)):
        image = _image(weasy.render_pdf(document)).convert("L")
        above_the_trim = image.crop((0, 0, image.width, int(bleed) - 1))
        assert (above_the_trim.getextrema()[0] < 128) is drawn, marks


def test_layers_outline_entries_nest_under_the_page_and_destinations_follow(proof_pdf):
    issue = readers.read(SAMPLE_ISSUE).issue
    with pikepdf.open(proof_pdf) as pdf, pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == [
            f"第{p.number}版 {p.section}" for p in issue.pages]
        for page, item in zip(pdf.pages, outline.root):
            assert item.destination[0] == page.obj
            assert item.children and all(child.destination[0] == page.obj
                                         for child in item.children)
        front = {child.title for child in outline.root[0].children}
        assert issue.article(issue.pages[0].articles[0].id).headline_lines[0] in "".join(front)
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        for number, page in enumerate(issue.pages):
            for placement in page.articles:
                for name in (placement.id, f"{placement.id}--end"):
                    assert dests[name][0] == pdf.pages[number].obj, name


def test_layers_of_another_size_are_refused(proof_job):
    head = weasy.render_part(pages.documents(proof_job, numbers=[0])[0][0])
    other = weasy.render_part(html.HtmlDocument(
        "<p>一</p>", SAMPLE_ISSUE, "@page { size: 100pt 100pt; }", SAMPLE_ISSUE))
    with pytest.raises(TypesetError, match="layer 2"):
        compose([head, other])
    single = pikepdf.open(io.BytesIO(compose([head])))
    assert len(single.pages) == 1
