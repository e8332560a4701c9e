"""The proof room in a real browser: Debian's Chromium driven by Playwright.

Playwright cannot download its own browsers here, so it is pointed at the system's
``/usr/bin/chromium``; without it (or without Playwright) the test is skipped. The two
times the issue asks about are printed (``pytest -s`` shows them), not asserted.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from serve_room import PATIENCE, edit, free_port, running_room
from typeset import SAMPLE_ISSUE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WAIT_MS = PATIENCE * 1000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")

#: True once every page picture of the room is loaded and drawn.
ALL_SHOWN = """n => {
  const pictures = [...document.querySelectorAll('.sheet > img.picture')];
  return pictures.length === n && pictures.every(i => i.complete && i.naturalWidth > 0);
}"""
#: True once page ``number``'s picture is a new file, loaded and drawn.
NEW_PICTURE = """([number, before]) => {
  const img = document.querySelector(`#page-${number} img.picture`);
  return img.currentSrc && img.currentSrc !== before && img.complete && img.naturalWidth > 0;
}"""


def time_to_all_pages(page, issue: Path) -> float:
    """Seconds from starting ``typeset serve`` on ``issue`` (a new process, as from a
    terminal) until the browser shows all three pages."""
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "typeset", "serve", str(issue),
                               "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        deadline = start + PATIENCE
        while True:  # as a desk would: open the page once the room listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.perf_counter() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.02)
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function(ALL_SHOWN, arg=3, timeout=WAIT_MS)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(PATIENCE)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_the_room_in_chromium(browser, tmp_path, capsys, monkeypatch):
    issue = tmp_path / "issue"
    shutil.copytree(SAMPLE_ISSUE, issue)
    # The sample breaks no rule: one finding is added to what the check finds, on a
    # line of page 3, to see it drawn where it is.
    from typeset.serve import room
    from typeset.serve.findings import findings, locate

    def with_one_more(pdf):
        document = pdfium.PdfDocument(str(pdf))
        line = document[2].get_textpage().get_text_range().split("\r\n")[60]
        box = locate(document[2], line)
        document.close()
        return findings(pdf) + [{"rule": "KIN-1", "page": 3, "text": line, "note": "",
                                      "box": box}]
    monkeypatch.setattr(room, "findings", with_one_more, raising=True)
    # Playwright's waits evaluate script text, which the room's own policy forbids.
    page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    shown = time_to_all_pages(page, issue)
    with running_room(issue) as base:
        page.goto(base + "/")
        page.wait_for_selector("#status[data-status=ready]", timeout=WAIT_MS)
        finding = page.locator("#page-3 .finding")
        assert finding.count() == 1 and finding.inner_text() == "KIN-1"
        assert "KIN-1" in page.inner_text("#findings")

        # Hovering a module shows its article id.
        module = page.locator("#page-2 .module[data-article=commentary-listen]")
        module.hover()
        label = module.locator(".label")
        assert label.is_visible() and label.inner_text().startswith("commentary-listen")
        module.click()  # the side panel: its file, field and source text
        page.wait_for_function("document.querySelector('#article-source').textContent"
                               ".includes('headline')", timeout=WAIT_MS)
        assert "articles/commentary-listen.md" in page.inner_text("#article-facts")

        # An edit on page 2 reloads page 2's pictures, and only them.
        before = {n: page.eval_on_selector(f"#page-{n} img.picture", "i => i.currentSrc")
                  for n in (1, 2, 3)}
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        saved = time.perf_counter()
        edit(issue / "articles" / "commentary-listen.md", "的", "之")
        page.wait_for_function(NEW_PICTURE, arg=[2, before[2]], timeout=WAIT_MS)
        edit_shown = time.perf_counter() - saved
        page.wait_for_selector("#status[data-status=ready]", timeout=WAIT_MS)
        pictures = [url for url in fetched if url.endswith(".jpg")]
        assert pictures and all(re.search(r"/page-2(@2x|-thumb)?\.jpg$", u) for u in pictures)
        assert any(url.endswith("page-2-changed.png") for url in fetched)  # the flash
        for n in (1, 3):
            assert page.eval_on_selector(f"#page-{n} img.picture", "i => i.currentSrc") \
                == before[n]

        # A YAML error: the error panel names the file; the pages stay, greyed.
        text = (issue / "issue.yaml").read_text(encoding="utf-8")
        (issue / "issue.yaml").write_text(text + "\npages: [unclosed\n", encoding="utf-8")
        page.wait_for_selector("#error:not([hidden])", timeout=WAIT_MS)
        assert page.inner_text("#error-file") == "issue.yaml"
        assert page.inner_text("#error-message").strip()
        assert "stale" in page.eval_on_selector("body", "b => b.className")
        assert page.locator(".sheet > img.picture").count() == 3

        # Fixed: the panel goes, the pages come back in colour.
        (issue / "issue.yaml").write_text(text, encoding="utf-8")
        page.wait_for_selector("#error", state="hidden", timeout=WAIT_MS)
        page.wait_for_function(ALL_SHOWN, arg=3, timeout=WAIT_MS)
        assert "stale" not in page.eval_on_selector("body", "b => b.className")
    with capsys.disabled():
        print(f"\nproof room: all 3 pages shown {shown:.1f} s after `typeset serve` started; "
              f"an edit shown on its page {edit_shown:.1f} s after saving")
