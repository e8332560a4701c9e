"""DAISY Ace, the EPUB accessibility checker, on the sample's and the imported seed
page's EPUBs with and without embedded fonts: no violation of any kind (Ace runs axe-core in the system's Chromium on
every document and checks the package's accessibility metadata).

Ace is a Node.js program, installed beside the project (see README, "Tests"):
``PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --prefix .ace
@daisy/ace``; ``TYPESET_ACE`` may name another ``ace-puppeteer``. Skipped where Ace or
Chromium is missing; CI installs both. About 25 s per book.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ACE = os.environ.get("TYPESET_ACE") or shutil.which("ace-puppeteer") or \
    str(Path(__file__).resolve().parents[1] / ".ace" / "node_modules" / ".bin" / "ace-puppeteer")

pytestmark = pytest.mark.skipif(not (Path(ACE).exists() and CHROMIUM.exists()),
                                reason="DAISY Ace or Chromium not installed")


def _violations(epub: Path, out: Path) -> list[tuple[str, str, str]]:
    """(document, rule, impact) of every violation Ace reports for ``epub``."""
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=str(CHROMIUM))
    subprocess.run([ACE, "--force", "--silent", "--outdir", str(out), str(epub)],
                   env=env, check=True, timeout=300, capture_output=True)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = [(document["earl:testSubject"]["url"], check["earl:test"]["dct:title"],
              check["earl:test"]["earl:impact"])
             for document in report["assertions"] for check in document["assertions"]]
    assert found or report["earl:result"]["earl:outcome"] == "pass"
    return found


def test_ace_finds_nothing_in_the_book(sample_outputs, tmp_path):
    assert _violations(sample_outputs["epub"], tmp_path) == []


def test_ace_finds_nothing_in_the_book_with_fonts(fonts_epub, tmp_path):
    assert _violations(fonts_epub, tmp_path) == []


def test_ace_finds_nothing_in_the_seed_page(seed_epubs, tmp_path):
    for kind in ("plain", "fonts"):
        assert _violations(seed_epubs[kind], tmp_path / kind) == [], kind
