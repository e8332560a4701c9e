"""Pages rendered apart: the same bytes on any number of jobs, a re-proof renders only
the pages an edit touches, and ``--watch`` builds again on a change (issue 7)."""

from __future__ import annotations

import threading
import time

import pikepdf
import pypdfium2 as pdfium

from typeset import SAMPLE_ISSUE, weasy
from typeset.build import build
from typeset.cli import main
from typeset.watch import watch


def test_two_jobs_write_the_same_bytes_as_one(tmp_path, monkeypatch):
    outputs = {}
    for jobs in (1, 2):
        monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / f"cache-{jobs}"))  # all anew
        paths = build(SAMPLE_ISSUE, tmp_path / f"out-{jobs}", jobs=jobs).paths
        outputs[jobs] = {p.name: p.read_bytes() for p in paths}
    assert outputs[1] == outputs[2]
    assert (tmp_path / "cache-2" / "pages").is_dir()  # the pages were rendered, not reused


def page_texts(pdf_path) -> list[str]:
    document = pdfium.PdfDocument(pdf_path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_a_reproof_renders_only_the_edited_page(issue_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    first = build(issue_copy, out, formats=("pdf",), jobs=1).paths[0]
    before = page_texts(first)
    rendered = []
    original = weasy.render_part
    monkeypatch.setattr(weasy, "render_part", lambda doc: rendered.append(doc) or original(doc))
    article = issue_copy / "articles" / "p3-market.md"
    article.write_text(article.read_text(encoding="utf-8").replace("。", "，菜价平稳。", 1),
                       encoding="utf-8")
    again = build(issue_copy, out, formats=("pdf",), jobs=1).paths[0]
    after = page_texts(again)
    assert len(rendered) == 1 and "第3版" in rendered[0].html
    assert after[:2] == before[:2] and "菜价平稳" in after[2] and "菜价平稳" not in before[2]
    with pikepdf.open(again) as pdf:  # still one program per face after the join
        programs = {d.get("/FontFile3", d.get("/FontFile2")).objgen
                    for page in pdf.pages for f in page.Resources.Font.values()
                    for d in [f.DescendantFonts[0].FontDescriptor]}
        assert len(programs) == 5


def test_watch_builds_again_after_a_change(tmp_path):
    folder = tmp_path / "issue"
    (folder / "articles").mkdir(parents=True)
    story = folder / "articles" / "story.md"
    story.write_text("一", encoding="utf-8")
    seen = []

    def edit_after_first_build():
        while not seen:
            time.sleep(0.01)
        story.write_text("一二", encoding="utf-8")

    editor = threading.Thread(target=edit_after_first_build)
    editor.start()
    watch(folder, lambda: seen.append(story.read_text(encoding="utf-8")), rounds=2,
          interval=0.02)
    editor.join(timeout=5)
    assert seen == ["一", "一二"]


def test_jobs_must_be_positive(capsys):
    assert main(["build", "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err
