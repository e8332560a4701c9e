"""``typeset serve``: the proof room over HTTP, with a real server on a loopback port.

One room serves a copy of the sample for the whole module (a build costs seconds);
the tests that edit the copy run in the order written and leave it as they found it.
"""

from __future__ import annotations

import http.client
import io
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from serve_room import Events, edit, running_room
from typeset import SAMPLE_ISSUE
from typeset.serve.findings import locate


@pytest.fixture(scope="module")
def issue(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("serve") / "issue"
    shutil.copytree(SAMPLE_ISSUE, target)
    (target / "secret.txt").write_text("in the folder, not of the issue", encoding="utf-8")
    notes = [{"article": "commentary-listen", "line": 12, "decision": "kept a dateline",
              "why": "inside the text"}, {"article": None, "line": None,
                                          "decision": "paper: 报名待填", "why": "to fill in"}]
    (target / "review.json").write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def room(issue):
    with running_room(issue) as base:
        events = Events(base)
        ready = events.until(lambda s: s["status"] == "ready", "the first build done")
        yield {"base": base, "events": events, "ready": ready}
        events.close()


def raw_get(base: str, path: str, host: str | None = None) -> int:
    """The status of GET ``path`` sent exactly as written (no client tidies the dots)."""
    netloc = urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or netloc)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_room_page_state_and_pictures(room):
    base, state = room["base"], room["ready"]
    page = httpx.get(f"{base}/")
    assert page.status_code == 200 and "校样室" in page.text
    assert "http" not in page.text.replace('href="data:,"', "")  # nothing from elsewhere
    for name in ("room.js", "room.css"):
        assert httpx.get(f"{base}/static/{name}").status_code == 200
    assert [p["number"] for p in state["pages"]] == [1, 2, 3]
    for page in state["pages"]:
        sharp = Image.open(io.BytesIO(httpx.get(base + page["sharp"]).content))
        plain = Image.open(io.BytesIO(httpx.get(base + page["plain"]).content))
        assert sharp.width == page["pixels"] and abs(plain.width - page["pixels"] / 2) <= 1
        assert abs(sharp.height / sharp.width - page["ratio"]) < 0.01
        assert httpx.get(base + page["thumb"]).status_code == 200


def test_module_boxes_hold_their_headlines(room, issue):
    """Each module's box, drawn over the page, is where the proof prints its article:
    the headline found in the PDF lies inside it."""
    state = room["ready"]
    proof = next(d for d in state["downloads"] if d["key"] == "proof")
    document = pdfium.PdfDocument(httpx.get(room["base"] + proof["url"]).content)
    checked = 0
    for page in state["pages"]:
        for module in page["modules"]:
            assert module["file"] == f"articles/{module['article']}.md"
            # issue.yaml's place of the article, counted from 1 as editors count
            assert module["field"].startswith(f"pages #{page['number']} › articles #")
            box = locate(document[page["number"] - 1], module["headline"].split("\n")[0])
            if box is None:
                continue
            left, top, width, height = module["box"]
            assert left <= box[0] and box[0] + box[2] <= left + width + 1e-3
            assert top <= box[1] and box[1] + box[3] <= top + height + 1e-3
            checked += 1
    assert checked >= 12
    notes = {m["article"]: m["notes"] for p in state["pages"] for m in p["modules"]}
    assert notes["commentary-listen"] == ["第12行：kept a dateline — inside the text",
                                          "paper: 报名待填 — to fill in"]
    assert notes["snow-roads"] == ["paper: 报名待填 — to fill in"]


def test_cli_refuses_a_missing_issue(tmp_path, capsys):
    from typeset.cli import main
    assert main(["serve", str(tmp_path / "nothing")]) == 2
    assert "no such issue" in capsys.readouterr().err


def test_downloads(room):
    state = room["ready"]
    assert [d["key"] for d in state["downloads"]] == ["proof", "print", "press", "epub"]
    files = {d["key"]: httpx.get(room["base"] + d["url"]) for d in state["downloads"]}
    assert all(r.status_code == 200 for r in files.values())
    assert "attachment" in files["print"].headers["content-disposition"]
    proof = pdfium.PdfDocument(files["proof"].content)
    printed = pdfium.PdfDocument(files["print"].content)
    assert len(proof) == len(printed) == 3
    assert proof[0].get_size()[0] > printed[0].get_size()[0]  # the proof has its bleed
    with pikepdf.open(io.BytesIO(files["press"].content)) as press:
        assert any(i.get("/S") == "/GTS_PDFX" for i in press.Root.OutputIntents)
    with zipfile.ZipFile(io.BytesIO(files["epub"].content)) as epub:
        assert epub.read("mimetype") == b"application/epub+zip"


def test_sources_served_and_nothing_else(room, issue):
    base = room["base"]
    source = httpx.get(f"{base}/source/articles/snow-roads.md")
    assert source.status_code == 200
    assert source.text == (issue / "articles" / "snow-roads.md").read_text(encoding="utf-8")
    assert httpx.get(f"{base}/source/issue.yaml").status_code == 200
    assert httpx.get(f"{base}/source/images/p3-market.jpg").headers["content-type"] \
        == "image/jpeg"
    page = room["ready"]["pages"][0]
    folder = page["sharp"].rsplit("/", 1)[0]
    refused = ["/source/secret.txt", "/source/../pyproject.toml",
               "/source/articles/../../../../etc/passwd", "/source/%2e%2e/%2e%2e/etc/passwd",
               "/files/../../../etc/passwd", f"{folder}/../../../etc/passwd",
               f"{folder}/%2e%2e/%2e%2e/etc/hostname", "/static/../../pyproject.toml",
               "/static/%2e%2e/__init__.py", "/source/", "/files/", f"{folder}/",
               "/source/articles", "/source//etc/passwd", "/files//etc/passwd",
               "/static/", "/nothing", "/source/review.json"]
    for path in refused:
        assert raw_get(base, path) == 404, path


def test_only_get_and_only_loopback_names(room):
    base = room["base"]
    assert httpx.post(f"{base}/api/state").status_code == 405
    assert httpx.put(f"{base}/source/issue.yaml", content=b"x").status_code == 405
    assert raw_get(base, "/api/state", host="evil.example") == 400
    assert raw_get(base, "/api/state", host="localhost") == 200


def test_edit_rebuilds_only_its_page(room, issue):
    """An edit to an article on page 2: the next states say a build is under way, then
    give page 2 new pictures with the changed region to flash; pages 1 and 3 keep
    theirs. The issue folder gets no file from the room."""
    events, before = room["events"], room["ready"]
    files = sorted(p.relative_to(issue) for p in issue.rglob("*"))
    other = Events(room["base"])  # a second browser
    other.until(lambda s: s["version"] == before["version"], "the state the first has")
    events.drain()
    edit(issue / "articles" / "commentary-listen.md", "的", "之")
    events.until(lambda s: s["status"] == "building", "a build under way")
    after = events.until(lambda s: s["status"] == "checking", "the new pages")
    assert other.until(lambda s: s["status"] == "checking", "the new pages") == after
    other.close()
    old, new = before["pages"], after["pages"]
    assert new[1]["sharp"] != old[1]["sharp"] and new[1]["flash"]
    assert [new[i]["sharp"] for i in (0, 2)] == [old[i]["sharp"] for i in (0, 2)]
    assert new[0]["flash"] is None and new[2]["flash"] is None
    flash = Image.open(io.BytesIO(httpx.get(room["base"] + new[1]["flash"]).content))
    assert flash.mode == "RGBA" and flash.getchannel("A").getbbox() is not None
    room["ready"] = events.until(lambda s: s["status"] == "ready", "the build done")
    assert sorted(p.relative_to(issue) for p in issue.rglob("*")) == files


def test_broken_edit_then_fix(room, issue):
    """A YAML error: the state names issue.yaml and the message while the last good
    pages stay; fixing it brings new pages and no error."""
    events, good = room["events"], room["ready"]
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    events.drain()
    (issue / "issue.yaml").write_text(text + "\npages: [unclosed\n", encoding="utf-8")
    broken = events.until(lambda s: s["status"] == "error", "the error")
    assert broken["error"]["file"] == "issue.yaml" and broken["error"]["message"]
    assert [p["sharp"] for p in broken["pages"]] == [p["sharp"] for p in good["pages"]]
    assert httpx.get(room["base"] + good["pages"][0]["sharp"]).status_code == 200
    state = json.loads(httpx.get(room["base"] + "/api/state").text)
    assert state["error"] == broken["error"]  # what a browser opening now is shown
    (issue / "issue.yaml").write_text(text, encoding="utf-8")
    fixed = events.until(lambda s: s["status"] in ("checking", "ready"), "the fix built")
    assert fixed["error"] is None and len(fixed["pages"]) == 3


def test_article_error_names_file_and_article(room, issue):
    events = room["events"]
    article = issue / "articles" / "p3-bus.md"
    text = article.read_text(encoding="utf-8")
    events.drain()
    article.write_text(text.replace("headline:", "headlin:", 1), encoding="utf-8")
    error = events.until(lambda s: s["status"] == "error", "the error")["error"]
    assert error["file"] == "articles/p3-bus.md"
    assert error["field"] and error["message"]
    article.write_text(text, encoding="utf-8")
    room["ready"] = events.until(lambda s: s["status"] == "ready", "the fix built")


def test_locate_finds_a_line(room):
    """A finding is drawn where its text is: the box of a line of page 1's text."""
    proof = next(d for d in room["ready"]["downloads"] if d["key"] == "proof")
    document = pdfium.PdfDocument(httpx.get(room["base"] + proof["url"]).content)
    page = document[0]
    line = page.get_textpage().get_text_range().split("\r\n")[40]
    box = locate(page, line)
    assert box is not None and all(0 <= v <= 1 for v in box) and box[2] > 0
    assert locate(page, "这句话不在版面上") is None


def test_an_issue_json_is_its_articles_source(tmp_path):
    """An issue given as one JSON file: its modules name that file, and the room's
    sources are it and the pictures, by their paths beside it."""
    from typeset.readers import read
    from typeset.readers.jsonfile import dump_json
    from typeset.serve.room import Room
    folder = tmp_path / "issue"
    shutil.copytree(SAMPLE_ISSUE / "images", folder / "images")
    (folder / "yuquan.json").write_text(dump_json(read(SAMPLE_ISSUE).issue), encoding="utf-8")
    (tmp_path / "work").mkdir()
    room = Room(folder / "yuquan.json", tmp_path / "work")
    room.build()
    state = json.loads(room.state())
    assert state["status"] == "ready" and len(state["pages"]) == 3
    assert {m["file"] for p in state["pages"] for m in p["modules"]} == {"yuquan.json"}
    assert set(room.sources) == {"yuquan.json"} | {
        f"images/{p.name}" for p in (SAMPLE_ISSUE / "images").iterdir()}


def test_the_command_serves_on_loopback_and_cleans_up_on_sigterm(issue, tmp_path):
    """``typeset serve`` as run from a terminal: it listens on 127.0.0.1, and SIGTERM
    stops it with status 0, its work folder (under TMPDIR) removed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from serve_room import PATIENCE, free_port
    port, scratch = free_port(), tmp_path / "tmp"
    scratch.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "typeset", "serve", str(issue),
                               "--port", str(port)], env={**os.environ, "TMPDIR": str(scratch)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/state").json()["status"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert len(list(scratch.glob("typeset-serve-*"))) == 1
        server.send_signal(signal.SIGTERM)
        assert server.wait(PATIENCE) == 0
    finally:
        server.kill()
    assert f"http://127.0.0.1:{port}/" in server.stdout.read()
    assert list(scratch.glob("typeset-serve-*")) == []


def test_an_imported_page_shows_its_review_notes_by_article(tmp_path):
    """``typeset import`` leaves its review notes in the issue folder, each with the
    article whose part of the text it is about; the room shows them with the module."""
    from typeset.readers.plaintext import Options, import_page
    from typeset.serve.room import Room
    text = Path(__file__).parent / "data" / "import" / "wire-page.txt"
    notes = import_page(text, tmp_path / "issue", Options(paper="测试日报"))
    written = json.loads((tmp_path / "issue" / "review.json").read_text(encoding="utf-8"))
    assert len(written) == len(notes)
    started = next(n for n in notes if n.decision.startswith("started an article"))
    assert started.article == "news-1"
    (tmp_path / "work").mkdir()
    room = Room(tmp_path / "issue", tmp_path / "work")
    room.build()
    modules = {m["article"]: m for p in json.loads(room.state())["pages"] for m in p["modules"]}
    shown = modules["news-1"]["notes"]
    assert any(f"第{started.line}行：started an article" in note for note in shown)
    assert any(note.startswith("publisher: 主办单位待填") for note in shown)  # the issue's
    assert not any("started an article" in note for note in modules["brief-1"]["notes"])


def test_a_coarse_photo_is_drawn_where_it_is_placed(tmp_path):
    """Preflight's ppi finding, listed with its rule ID and boxed over the lead photo."""
    issue = tmp_path / "issue"
    shutil.copytree(SAMPLE_ISSUE, issue)
    photo = issue / "images" / "lead-heating.jpg"
    Image.open(photo).convert("RGB").resize((1200, 800)).save(photo, quality=90)
    with running_room(issue) as base:
        events = Events(base)
        try:
            state = events.until(lambda s: s["status"] == "ready", "the build done")
        finally:
            events.close()
    press = next(d for d in state["downloads"] if d["key"] == "press")
    assert press["url"] is None  # a press build refuses a photo under error_ppi
    coarse = [f for f in state["findings"] if f["rule"] == "preflight:ppi"]
    assert coarse and all(f["page"] == 1 and "1200 × 800 px" in f["text"] for f in coarse)
    left, top, width, height = coarse[0]["box"]
    assert 0 <= left and 0 <= top and left + width <= 1 and top + height <= 1
    assert width > 0.3 and height > 0.1  # the lead photo, not a speck
    lead = next(m["box"] for m in state["pages"][0]["modules"]
                if m["article"] == "lead-heating")
    assert lead[0] - 0.01 <= left and left + width <= lead[0] + lead[2] + 0.01
    assert lead[1] - 0.01 <= top and top + height <= lead[1] + lead[3] + 0.01
