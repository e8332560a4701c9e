"""The renderer refuses to lose text: a module cut at the page foot is an error."""

from __future__ import annotations

import pytest

from typeset import FONTS_DIR, STYLES_DIR, weasy
from typeset.errors import TypesetError
from typeset.html import HtmlDocument

CSS = (f'@font-face {{ font-family: "S"; src: url({FONTS_DIR.as_uri()}/'
       'NotoSerifCJKsc-Regular.otf); } @page { size: 200pt 200pt; margin: 10pt } '
       'body { font: 9pt/13.5pt "S" } .page { position: relative; height: 180pt } '
       '.module { position: absolute; left: 0; width: 117pt }')


def render(tmp_path, top: float) -> bytes:
    text = "榆泉县今冬集中供热覆盖城区全部小区。" * 6
    html = (f'<html lang="zh-CN"><body><section class="page"><article class="module" id="story"'
            f' style="top: {top}pt"><p>{text}</p></article></section></body></html>')
    return weasy.render_pdf(HtmlDocument(html, tmp_path, CSS, tmp_path,
                                         [tmp_path, FONTS_DIR, STYLES_DIR]))


def test_a_module_that_fits_renders(tmp_path):
    assert render(tmp_path, top=0).startswith(b"%PDF")


def test_a_module_cut_at_the_page_foot_is_an_error(tmp_path):
    with pytest.raises(TypesetError) as error:
        render(tmp_path, top=120)
    assert error.value.article == "story"
    assert "did not fit its box on the page" in str(error.value)
