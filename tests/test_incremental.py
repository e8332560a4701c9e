"""Pages rendered apart: the same bytes on any number of jobs, each body set once, a
re-proof renders only the pages an edit touches, and ``--watch`` builds again on a
change (issue 7)."""

from __future__ import annotations

import collections
import hashlib
import os
import shutil
import threading
import time
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from typeset import SAMPLE_ISSUE, cache, html, readers, weasy
from typeset.weasy import columns
from typeset.build import build
from typeset.cli import main
from typeset.errors import TypesetError
from typeset.watch import watch

from readback import pdf_fonts


def test_two_jobs_write_the_same_bytes_as_one(tmp_path, monkeypatch):
    outputs = {}
    for jobs in (1, 2):
        monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / f"cache-{jobs}"))  # all anew
        paths = build(SAMPLE_ISSUE, tmp_path / f"out-{jobs}", jobs=jobs).paths
        outputs[jobs] = {p.name: p.read_bytes() for p in paths}
    assert outputs[1] == outputs[2]
    assert (tmp_path / "cache-2" / "pages").is_dir()  # the pages were rendered, not reused


def test_a_page_prints_the_bodies_measured_for_it(tmp_path, monkeypatch):
    """A cold build sets each body once: its page prints the flow its measuring sheet
    set. Printed again from cached heights, every body set anew, it is the same bytes."""
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    settings = collections.Counter()
    original = columns._set

    def counting(context, box, *args):
        if box.element.get("data-flow"):  # (a head measured alone has an empty body)
            settings[box.element.get("data-flow")] += 1
        return original(context, box, *args)
    monkeypatch.setattr(columns, "_set", counting)
    kept = build(SAMPLE_ISSUE, tmp_path / "kept", formats=("pdf",)).paths[0].read_bytes()
    assert settings and set(settings.values()) == {1}, settings
    measured = set(settings)
    shutil.rmtree(tmp_path / "cache" / "pages")
    settings.clear()
    anew = build(SAMPLE_ISSUE, tmp_path / "anew", formats=("pdf",)).paths[0].read_bytes()
    printed = len(readers.read(SAMPLE_ISSUE).issue.articles)
    assert set(settings) <= measured and len(settings) == printed  # each set anew
    assert anew == kept


def page_texts(pdf_path) -> list[str]:
    document = pdfium.PdfDocument(pdf_path)
    try:  # without line breaks: an edit may move where lines break
        return [page.get_textpage().get_text_range().replace("\r\n", "")
                for page in document]
    finally:
        document.close()


def test_a_reproof_renders_only_the_edited_module(issue_copy, tmp_path, monkeypatch):
    """Pages print in layers (the page, each module): an edit to one article renders
    that article's module again, and the page is composed of it and the cached rest."""
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
    assert len(rendered) == 1 and 'id="page-3"' in rendered[0].html
    assert rendered[0].html.count('class="module ') == 1 and 'id="p3-market"' in rendered[0].html
    assert "running-head" not in rendered[0].html and "credits" not in rendered[0].html
    assert after[:2] == before[:2] and "菜价平稳" in after[2] and "菜价平稳" not in before[2]
    with pikepdf.open(again) as pdf:  # still one program per face after the join
        fonts = pdf_fonts(pdf)
        programs = {f.DescendantFonts[0].FontDescriptor.get(
            "/FontFile3", f.DescendantFonts[0].FontDescriptor.get("/FontFile2")).objgen
            for f in fonts}
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


def test_watch_ignores_its_own_output_inside_the_issue(tmp_path, monkeypatch):
    """`typeset build . --watch` writes out/ inside the folder it watches: its own output
    must not count as a change (else it builds forever)."""
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.yaml").write_text("x", encoding="utf-8")
    monkeypatch.chdir(folder)
    builds = []

    def build_into_out():
        (folder / "out").mkdir(exist_ok=True)
        (folder / "out" / f"{len(builds)}.pdf").write_text("pdf", encoding="utf-8")
        builds.append(time.monotonic())

    stopper = threading.Timer(0.5, lambda: (folder / "issue.yaml").write_text("y"))
    stopper.start()
    watch(Path("."), build_into_out, ignore=Path("out").resolve(), rounds=2, interval=0.02)
    stopper.join()
    assert len(builds) == 2 and builds[1] - builds[0] >= 0.4  # woken by the edit, not out/


def test_the_page_cache_keeps_the_most_recently_used_within_its_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path))
    for number, key in enumerate(("aa1", "bb2", "cc3")):
        cache.write("pages", key, ".pdf", b"x" * 100)
        os.utime(cache.folder("pages") / key[:2] / f"{key}.pdf", (number, number))
    assert cache.read("pages", "aa1", ".pdf")  # used now: the newest
    entry = (cache.folder("pages") / "aa" / "aa1.pdf").stat().st_size  # (with its header)
    cache.prune("pages", entry * 5 // 2)
    kept = sorted(p.name for p in cache.folder("pages").glob("*/*"))
    assert kept == ["aa1.pdf", "cc3.pdf"]


def fail_in_worker(document):
    raise TypesetError("3 characters of the module did not fit its box", article="p3-market")


def die_in_worker(document):
    os._exit(9)


def test_an_error_in_a_worker_is_reported_as_in_one_process(issue_copy, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(weasy, "render_part", fail_in_worker)
    with pytest.raises(TypesetError) as error:
        build(issue_copy, tmp_path / "out", formats=("pdf",), jobs=2)
    assert error.value.article == "p3-market" and "did not fit" in str(error.value)
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_worker_that_dies_is_an_error_not_a_hang(issue_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(weasy, "render_part", die_in_worker)
    with pytest.raises(TypesetError, match="worker process died"):
        build(issue_copy, tmp_path / "out", formats=("pdf",), jobs=2)


def test_compiled_templates_follow_their_source(tmp_path, monkeypatch):
    """Templates compiled in one process are loaded in the next from the cache, unless
    their source changed since."""
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "style").mkdir()
    template = tmp_path / "style" / "t.j2"

    def rendered() -> str:  # a new environment, as a new process would make
        html._environment.cache_clear()
        return html._environment(tmp_path / "style").get_template("t.j2").render()
    template.write_text("第一版", encoding="utf-8")
    assert rendered() == "第一版"
    assert list((tmp_path / "cache" / "templates").glob("*/*.jinja"))
    template.write_text("第二版", encoding="utf-8")
    assert rendered() == "第二版"


def test_a_file_digest_follows_the_file(tmp_path, monkeypatch):
    """Digests of big files (the fonts) are kept on disk by path, time and size: a file
    rewritten under the same name and size gets a new one."""
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "face.otf"
    path.write_bytes(b"first")
    assert cache.file_digest(path) == hashlib.sha256(b"first").digest()
    assert list((tmp_path / "cache" / "digests").glob("*/*.sha256"))
    path.write_bytes(b"other")
    assert cache.file_digest(path) == hashlib.sha256(b"other").digest()


def test_a_build_runs_with_the_batch_collector_thresholds(tmp_path, monkeypatch):
    """The cycle collector runs less often during a build, and as before after it,
    also when the build fails; nothing stays frozen."""
    import gc

    from typeset import build as build_module, collector
    seen = []

    def failing_read(path):
        seen.append(gc.get_threshold())
        raise TypesetError("stop here")
    monkeypatch.setattr(build_module.readers, "read", failing_read)
    before = gc.get_threshold()
    with pytest.raises(TypesetError):
        build(SAMPLE_ISSUE, tmp_path / "out")
    assert seen == [collector.THRESHOLDS] != [before]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_build_collects_after_each_page_and_frees_what_it_froze(tmp_path, monkeypatch):
    """After each page a full collection, then what survives is frozen (later passes
    skip it); the build hands it all back to the collector when it ends."""
    import gc

    from typeset import collector
    frozen = []
    original = collector.settle

    def spying():
        original()
        frozen.append(gc.get_freeze_count())
    monkeypatch.setattr(collector, "settle", spying)
    build(SAMPLE_ISSUE, tmp_path / "out", formats=("pdf",))
    assert len(frozen) == len(readers.read(SAMPLE_ISSUE).issue.pages) and all(frozen)
    assert gc.get_freeze_count() == 0
