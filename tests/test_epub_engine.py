"""The EPUB in a real reading engine: each chapter opened in Chromium (Playwright, the
system's Chromium) at a phone's width and a tablet's.

What a reader would notice: text wider than the screen, a photo cut off, a sentence
that search cannot find, a paragraph that copies with invisible characters in it
(this Chromium's find skips U+200B, its copy keeps it), and a line that starts with a
closing mark (kinsoku, left to the engine's ``line-break: strict``).
Skipped where Chromium or Playwright is not installed; CI installs both.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from typeset.cjk import rules

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
#: (width, height) in CSS px: a phone and a tablet held upright.
SCREENS = [(390, 844), (768, 1024)]
#: Marks no line may start with (clreq KIN-1): closing brackets and quotes, pauses, stops.
NO_LINE_START = "".join(sorted(rules.CLOSING | rules.PAUSES))

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin")

#: What each chapter shows at the page's width, measured in the page (JavaScript).
MEASURE = """(noLineStart) => {
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  const images = [...document.images].map(img => {
    const r = img.getBoundingClientRect();
    return {src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
            inside: r.left >= -0.5 && r.right <= width + 0.5 && r.height <= height + 0.5};
  });
  // Search: what a reader types (no invisible characters) must be found; copy: what a
  // paragraph copies as must have none either (this engine's find skips them).
  const invisible = /[\\u00ad\\u200b-\\u200d\\u2060\\ufeff]/;  // not /g: test() keeps no state
  const found = [...document.querySelectorAll('article p')].map(p => {
    const selection = window.getSelection();
    selection.removeAllRanges();
    const whole = document.createRange();
    whole.selectNodeContents(p);
    selection.addRange(whole);
    const copied = selection.toString();
    const probe = p.textContent.replace(new RegExp(invisible, 'g'), '')
      .replace(/\\s+/g, ' ').trim().slice(0, 20);
    selection.removeAllRanges();
    return {probe, clean: !invisible.test(copied),
            found: probe === '' || window.find(probe, true, false, true)};
  });
  window.getSelection().removeAllRanges();
  // Line starts: a character whose box lies below and left of the one before it.
  const starts = [];
  let lines = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let previous = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    for (let i = 0; i < text.length; i++) {
      if (/\\s/.test(text[i])) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box || box.width === 0) continue;
      if (previous && box.top >= previous.bottom - 1 && box.left < previous.left) {
        lines++;
        if (noLineStart.includes(text[i])) starts.push(text.slice(Math.max(0, i - 6), i + 4));
      }
      previous = box;
    }
  }
  return {overflow: document.documentElement.scrollWidth - width, images, found, starts,
          lines};
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _chapters(epub: Path, folder: Path) -> list[Path]:
    """The book unpacked into ``folder``: its article documents in spine order."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    package = ElementTree.parse(folder / "EPUB" / "content.opf").getroot()
    hrefs = {i.get("id"): i.get("href") for i in package.find("opf:manifest", ns)}
    return [folder / "EPUB" / hrefs[ref.get("idref")]
            for ref in package.find("opf:spine", ns) if ref.get("idref").startswith("a-")]


#: The books opened: (name, fixture, key in the fixture's dict, chapters it has).
BOOKS = [("sample", "sample_outputs", "epub", 18), ("sample with fonts", "fonts_epub", None, 18),
         ("seed page", "seed_epubs", "plain", None),
         ("seed page with fonts", "seed_epubs", "fonts", None)]


@pytest.fixture(scope="module", params=BOOKS, ids=[b[0] for b in BOOKS])
def chapters(request, tmp_path_factory) -> tuple[list[Path], int | None]:
    _, fixture, key, count = request.param
    epub = request.getfixturevalue(fixture)
    return _chapters(epub[key] if key else epub, tmp_path_factory.mktemp("unpacked")), count


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}px")
def test_every_chapter_reads_well(browser, chapters, screen):
    chapters, count = chapters
    page = browser.new_page(viewport={"width": screen[0], "height": screen[1]})
    problems, lines = [], 0
    try:
        for chapter in chapters:
            page.goto(chapter.as_uri())
            page.wait_for_load_state("load")
            seen = page.evaluate(MEASURE, NO_LINE_START)
            name = chapter.stem
            lines += seen["lines"]
            if seen["overflow"] > 0:
                problems.append((name, "wider than the screen by", seen["overflow"]))
            problems += [(name, "image", i["src"]) for i in seen["images"]
                         if not (i["loaded"] and i["inside"])]
            problems += [(name, "not found", f["probe"]) for f in seen["found"]
                         if not f["found"]]
            problems += [(name, "copies invisible characters", f["probe"])
                         for f in seen["found"] if not f["clean"]]
            problems += [(name, "line starts with a closing mark", s) for s in seen["starts"]]
    finally:
        page.close()
    assert len(chapters) == (count or len(chapters)) > 0
    assert lines > 100 * 390 / screen[0]  # the line starts were really looked at
    assert problems == []
