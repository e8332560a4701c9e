"""Resources load only from the issue folder, styles/ and fonts/."""

from __future__ import annotations

import pytest

from typeset import weasy
from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.weasy.fetcher import RefusedURL, SafeFetcher


def document(tmp_path, html: str) -> HtmlDocument:
    return HtmlDocument(html=html, html_base=tmp_path, css="", css_base=tmp_path,
                        roots=[tmp_path])


@pytest.mark.parametrize("src", ["http://example.com/a.jpg", "https://example.com/a.css",
                                 "../../etc/passwd", "/etc/passwd", "ftp://example.com/x"])
def test_renderer_refuses_resources_outside_the_roots(tmp_path, src):
    html = f'<html lang="zh-CN"><body><p>正文</p><img src="{src}"/></body></html>'
    with pytest.raises(TypesetError, match="refused to"):
        weasy.render_pdf(document(tmp_path, html))


def test_stylesheet_urls_are_refused_too(tmp_path):
    html = '<html><head><link rel="stylesheet" href="http://example.com/x.css"/></head>' \
           '<body>x</body></html>'
    with pytest.raises(TypesetError, match="refused to fetch http://example.com/x.css"):
        weasy.render_pdf(document(tmp_path, html))


def test_files_inside_the_roots_are_served(tmp_path):
    (tmp_path / "a.txt").write_text("ok")
    response = SafeFetcher([tmp_path]).fetch((tmp_path / "a.txt").as_uri())
    assert response.read() == b"ok"
    with pytest.raises(RefusedURL):
        SafeFetcher([tmp_path / "sub"]).fetch((tmp_path / "a.txt").as_uri())
