"""Shared fixtures: the sample issue built once per session, and small issue folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from typeset import SAMPLE_ISSUE
from typeset.build import build

SHARED = Path(__file__).resolve().parents[2] / "shared"
#: The sample's issue date (2026-11-27, 00:00 UTC) as a Unix time.
SAMPLE_EPOCH = "1795737600"


@pytest.fixture(scope="session", autouse=True)
def source_date_epoch():
    """A fixed build time for every build of the suite: without SOURCE_DATE_EPOCH, the
    EPUB's dcterms:modified is the clock, and tests compare builds byte for byte."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SAMPLE_EPOCH
    yield
    if before is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = before


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory) -> dict[str, Path]:
    """The bundled sample built to PDF and EPUB: {'pdf': path, 'epub': path}."""
    out = tmp_path_factory.mktemp("sample-out")
    return {path.suffix[1:]: path for path in build(SAMPLE_ISSUE, out).paths}


@pytest.fixture(scope="session")
def proof_pdf(tmp_path_factory) -> Path:
    """The sample as a page proof, with the 校样 watermark."""
    out = tmp_path_factory.mktemp("proof-out")
    return build(SAMPLE_ISSUE, out, formats=("pdf",), mode="proof", watermark=True).paths[0]


@pytest.fixture(scope="session")
def archive_pdf(tmp_path_factory) -> Path:
    """The sample as an archival PDF/A-3u."""
    out = tmp_path_factory.mktemp("archive-out")
    return build(SAMPLE_ISSUE, out, formats=("pdf",), mode="archive").paths[0]


@pytest.fixture(scope="session")
def fonts_epub(tmp_path_factory) -> Path:
    """The sample's EPUB with embedded font subsets (built without a PDF)."""
    out = tmp_path_factory.mktemp("fonts-out")
    return build(SAMPLE_ISSUE, out, formats=("epub",), embed_fonts=True).paths[0]


@pytest.fixture
def issue_copy(tmp_path) -> Path:
    """A writable copy of the sample issue folder, to break on purpose."""
    target = tmp_path / "issue"
    shutil.copytree(SAMPLE_ISSUE, target)
    return target


@pytest.fixture
def small_issue(tmp_path) -> Path:
    """A one-page, one-article issue folder: fast to build."""
    folder = tmp_path / "small"
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    shutil.copy(SAMPLE_ISSUE / "images" / "brief-training.jpg", folder / "images" / "p.jpg")
    (folder / "issue.yaml").write_text(
        "paper: 测试日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: small\n"
        "pages:\n  - number: 1\n    section: 要闻\n    articles:\n"
        "      - {id: story, column: 1, span: 3}\n", encoding="utf-8")
    (folder / "articles" / "story.md").write_text(
        "---\nheadline: 测试标题\nfigures:\n  - {image: images/p.jpg, caption: 图片说明, "
        "credit: 张三摄}\n---\n\n第一段正文，“引号”和《书名》。\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def seed_epubs(tmp_path_factory) -> dict[str, Path]:
    """The imported seed page's EPUB without and with embedded fonts, and its issue
    folder: {'plain': path, 'fonts': path, 'issue': folder}; skipped without the
    shared corpus."""
    seed = SHARED / "corpus" / "seed-page.txt"
    if not seed.is_file():
        pytest.skip("the shared corpus is not beside the checkout")
    from typeset.readers.plaintext import Options, import_page
    folder = tmp_path_factory.mktemp("seed") / "issue"
    import_page(seed, folder, Options())
    out = tmp_path_factory.mktemp("seed-out")
    return {"plain": build(folder, out / "plain", formats=("epub",)).paths[0],
            "fonts": build(folder, out / "fonts", formats=("epub",),
                           embed_fonts=True).paths[0], "issue": folder}
