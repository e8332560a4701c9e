"""Page margin boxes: made only where a rule gives one content (typeset.weasy.margins)."""

from __future__ import annotations

import pytest

from typeset import FONTS_DIR, STYLES_DIR, weasy
from typeset.html import HtmlDocument
from typeset.weasy import margins

from readback import pdf_pages_text

CSS = (f'@font-face {{ font-family: "S"; src: url({FONTS_DIR.as_uri()}/'
       'NotoSerifCJKsc-Regular.otf); } @page { size: 200pt 200pt; margin: 20pt } '
       'body { font: 9pt/13.5pt "S" }')


@pytest.mark.parametrize("page_css, made", [
    ("", 0),
    ("@page { @bottom-center { text-align: left } }", 0),  # a style, but no content
    ('@page { @bottom-center { content: "第三版" } }', 1),
])
def test_margin_boxes_are_made_only_with_content(tmp_path, monkeypatch, page_css, made):
    calls = []
    original = margins._original
    monkeypatch.setattr(margins, "_original", lambda *args: calls.append(1) or original(*args))
    html = '<html lang="zh-CN"><body><p>榆泉县今冬集中供热。</p></body></html>'
    pdf = weasy.render_pdf(HtmlDocument(html, tmp_path, CSS + page_css, tmp_path,
                                        [tmp_path, FONTS_DIR, STYLES_DIR]))
    (tmp_path / "page.pdf").write_bytes(pdf)
    text = "".join(pdf_pages_text(tmp_path / "page.pdf"))
    assert len(calls) == made
    assert "榆泉县今冬集中供热" in text
    assert ("第三版" in text) == bool(made)
