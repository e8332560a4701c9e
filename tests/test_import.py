"""Plain-text import: pages of several papers' styles → articles, folders that build.

The seed page (a real county-paper page, kept outside the repository) is read at test time
only; the other pages in tests/data/import/ were written for these tests, each in another
paper's habits: credits on one line at the foot, 记者 and 特约通讯员 bylines, 图/文
credits, photos standing alone, wire datelines, captions placed before their article.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from typeset.build import build
from typeset.cli import main
from typeset.errors import TypesetError
from typeset.model import Article, Paragraph, Subhead
from typeset.readers import read
from typeset.readers.plaintext import Options, import_page, parse, read_text
from typeset.readers.plaintext.headlines import headline_stack
from typeset.readers.plaintext.lines import Line, read_lines
from typeset.readers.plaintext.place import paginate
from typeset.readers.plaintext.write import write_folder
from typeset.style import load_style

from readback import epub_documents, pdf_pages_text, squeeze

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-page.txt"
PAGES = Path(__file__).parent / "data" / "import"
#: The credit bullets the importer drops (the styles set their own before credits and
#: bylines; photo credits lose theirs).
BULLETS = "□■"
OPTIONS = Options(paper="测试日报", publisher="测试社", date=dt.date(2026, 1, 2), number=9,
                  section="党建")


def parsed(name: str):
    path = PAGES / name
    return parse(path.read_text(encoding="utf-8"), OPTIONS, path)


def plain(text: str) -> str:
    return squeeze(text).translate({ord(b): None for b in BULLETS})


def article_text(article: Article) -> str:
    """What an article says, in reading order, as the source page has it."""
    parts = [article.column_label, article.kicker, article.headline, article.deck]
    parts += [b.role + "".join(b.names) for b in article.bylines]
    parts.append(article.dateline)
    for block in article.body:
        parts.append(block.text if isinstance(block, Subhead) else
                     (block.run_in or "") + "".join(s.text for s in block.spans))
    parts.append(f"来源：{article.source}" if article.source else None)
    parts += [f.caption + f.credit for f in article.figures]
    return plain("".join(p for p in parts if p))


def source_lines(path: Path) -> list[str]:
    """Every line of the page except page credits, as text to find (see :func:`plain`)."""
    lines, _ = read_lines(path.read_text(encoding="utf-8"))
    credits = {line.number for line in lines if line.kind == "credits"}
    return [plain(text) for number, text in
            enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if text.strip() and number not in credits]


def body_texts(article: Article) -> list[str]:
    return [(b.run_in or "") + "".join(s.text for s in b.spans)
            for b in article.body if isinstance(b, Paragraph)]


# The seed page: exactly the structure the page has, and a build that loses nothing.

@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    if not SEED.is_file():
        pytest.skip(f"the seed page is not here: {SEED}")
    folder = tmp_path_factory.mktemp("seed") / "issue"
    notes = import_page(SEED, folder, OPTIONS)
    return read(folder).issue, notes, folder


def test_seed_page_structure(seed):
    issue, notes, _ = seed
    (page,) = issue.pages
    assert [c.role for c in page.credits] == ["编辑", "版式", "审校"]
    assert all(c.name for c in page.credits)
    articles = [issue.article(p.id) for p in page.articles]
    assert [a.kind for a in articles] == ["feature", "brief", "brief", "commentary", "feature"]

    for feature in (articles[0], articles[4]):
        assert [b.role for b in feature.bylines] == ["本报通讯员"]
        assert len(feature.bylines[0].names) == 1
        assert sum(isinstance(b, Subhead) for b in feature.body) == 3
        assert not feature.dateline and not feature.figures
    assert [b.run_in for b in articles[4].body if getattr(b, "run_in", None)][0] == \
        "系统谋划抓推动。"
    assert sum(bool(getattr(b, "run_in", None)) for b in articles[4].body) == 3

    for brief in (articles[1], articles[2]):
        assert brief.kicker and not brief.bylines
        assert brief.dateline.startswith("本报讯") and brief.dateline.endswith("报道：")
        assert not body_texts(brief)[0].startswith("本报讯")
        (figure,) = brief.figures
        assert figure.caption.endswith("。") and figure.image.startswith("images/")
    assert [len(a.headline_lines) for a in articles[1:3]] == [2, 1]
    assert articles[1].figures[0].credit.startswith("图片由")
    assert articles[2].figures[0].credit.endswith("摄")
    assert "·" in articles[2].dateline

    commentary = articles[3]
    assert commentary.column_label == "评论观点"
    assert [b.role for b in commentary.bylines] == [""]
    source_line = next(line for line in SEED.read_text(encoding="utf-8").splitlines()
                       if line.startswith("来源："))
    assert commentary.source == source_line.removeprefix("来源：").strip()


def test_seed_splits_rejoined_and_duplicate_dropped(seed):
    issue, notes, _ = seed
    paragraphs = [text for a in issue.articles for text in body_texts(a)]
    assert all(re.search(r"[。！？…][”’）)]*$", text) for text in paragraphs), \
        [text[-10:] for text in paragraphs if not re.search(r"[。！？…][”’）)]*$", text)]
    assert any("若干措施》" in text for text in paragraphs)
    assert sum("rejoined" in note.decision for note in notes) == 5
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    (repeated,) = {line for line in lines if lines.count(line) > 1}
    assert paragraphs.count(repeated) == 1
    (dropped,) = [note for note in notes if "repeats line" in note.decision]
    assert dropped.line is not None


def test_seed_issue_builds_with_every_character(seed, tmp_path):
    """Every character of the page (bar white space, □ and the dropped repeat) is in the
    PDF, each article's paragraphs in order, and in the EPUB (but page credits: the EPUB
    has no page furniture)."""
    issue, _, folder = seed
    pdf_path, epub_path = build(folder, tmp_path).paths[:2]
    pdf = plain("".join(pdf_pages_text(pdf_path)))
    epub = plain("".join(html.unescape(re.sub(r"<[^>]+>", "", document))
                         for document in epub_documents(epub_path).values()))
    for text in source_lines(SEED):
        assert text in pdf, text
        assert text in epub, text
    for credit in issue.pages[0].credits:
        assert f"{credit.role}/{credit.name}" in pdf
    for article in issue.articles:
        position = 0
        for text in body_texts(article):
            position = pdf.find(plain(text), position)
            assert position >= 0, (article.id, text[:20])
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    (repeated,) = {line for line in lines if lines.count(line) > 1}
    assert pdf.count(plain(repeated)) == 1


# Other papers' pages.

def test_evening_paper():
    """Credits on one line at the foot; kicker, headline and a dashed deck; 本报记者 and
    特约通讯员 bylines; 图片新闻 with its own headline; 本报讯（记者 X）; 图/文 credit."""
    issue, notes = parsed("evening-paper.txt")
    assert [(c.role, c.name) for c in issue.pages[0].credits] == \
        [("责任编辑", "林晓舟"), ("美编", "许可"), ("校对", "周敏")]
    news, photo, brief = issue.articles
    assert (news.kind, news.kicker, news.headline) == \
        ("news", "冬季供暖全面启动", "全市集中供热面积突破三千万平方米")
    assert news.deck.startswith("——热力公司")
    assert [(b.role, b.names) for b in news.bylines] == \
        [("本报记者", ["陈思远"]), ("特约通讯员", ["阿依努尔·吐尔逊"])]
    assert any("并对167个老旧小区" in text for text in body_texts(news))
    assert (photo.kind, photo.column_label, photo.headline, photo.body) == \
        ("photo", "图片新闻", "雪后清扫保畅通", [])
    assert photo.figures[0].credit == "本报记者 赵一鸣 摄"
    assert (brief.kind, brief.headline_lines, brief.dateline) == \
        ("brief", ["老旧小区加装电梯", "今年已完工八十三部"], "本报讯（记者 王小川）")
    assert brief.figures[0].credit == "图/文 本报记者 王小川"
    assert any("rejoined" in n.decision for n in notes)


def test_county_paper():
    """■ credits with other roles; 记者/通讯员 bylines; run-in heads; a repeat; a split at
    an open 《; a commentary signed 本报评论员 without column label."""
    issue, notes = parsed("county-paper.txt")
    assert [c.role for c in issue.pages[0].credits] == ["责编", "美编", "校对", "终审"]
    feature, commentary = issue.articles
    assert feature.kind == "feature"
    assert [(b.role, b.names) for b in feature.bylines] == [("记者", ["刘芳"]), ("通讯员", ["张强"])]
    assert [b.text for b in feature.body if isinstance(b, Subhead)] == \
        ["科技助力 老枣园焕发新活力", "延链补链 小红枣变成大产业"]
    assert [b.run_in for b in feature.body if getattr(b, "run_in", None)] == \
        ["良种改出好品质。", "节水换来高产量。", "培训育出土专家。"]
    assert sum(text.startswith("“以前枣子") for text in body_texts(feature)) == 1
    assert any("三年行动方案》" in text for text in body_texts(feature))
    assert feature.figures[0].credit == "特约通讯员 李娜 摄"
    assert commentary.kind == "commentary" and commentary.bylines[0].names == ["本报评论员"]
    assert sum("repeats line 21" in n.decision for n in notes) == 1


def test_wire_page():
    """Indented wire text, a 新华社 dateline with names, a caption placed before the article
    it belongs to, and an article with no byline after the captions."""
    issue, notes = parsed("wire-page.txt")
    first, second = issue.articles
    assert first.headline_lines == ["天山北坡冰雪游", "持续升温人气旺"]
    assert first.dateline == "新华社乌鲁木齐11月20日电（记者 古丽娜·买买提 李强）"
    assert body_texts(first)[0].startswith("随着气温")
    assert [f.credit for f in first.figures] == ["新华社记者 李强 摄"]
    assert [f.credit for f in second.figures] == ["特约通讯员 哈力木拉提 摄"]
    assert (second.kicker, second.headline, second.bylines) == ("牧民转场", "冬季牧场备足草料", [])
    assert any("to the article after it" in n.decision for n in notes)
    assert any(n.decision == "no page credits" for n in notes)


def test_photo_page():
    """Photos standing alone (图片新闻, 图说) without any article; X 文/图 credits; a 摄影
    page credit."""
    issue, notes = parsed("photo-page.txt")
    assert [(a.kind, a.headline, a.body) for a in issue.articles] == \
        [("photo", "图片新闻", []), ("photo", "图说", [])]
    assert [a.figures[0].credit for a in issue.articles] == \
        ["周文斌 文/图", "图片由察汗湖湿地管理站提供"]
    assert [c.role for c in issue.pages[0].credits] == ["主编", "摄影", "版式"]


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.txt")))
def test_no_character_lost_and_folder_reads_back(name, tmp_path):
    """Every source line is in some article, whole; the written folder reads back equal."""
    issue, _ = parsed(name)
    said = "".join(article_text(a) for a in issue.articles)
    for text in source_lines(PAGES / name):
        assert text in said, text
    write_folder(issue, tmp_path / "issue", name)
    back = read(tmp_path / "issue").issue
    assert {a.id: a for a in back.articles} == {a.id: a for a in issue.articles}
    assert back.pages == issue.pages


# Rules, one at a time.

def lines_of(*texts: str) -> list[Line]:
    return read_lines("\n\n".join(texts))[0]


@pytest.mark.parametrize("texts, expected", [
    (["传承红色基因 凝聚奋斗力量", "某某学校", "开展主题活动"],
     {"kicker": "传承红色基因 凝聚奋斗力量", "headline": "某某学校\n开展主题活动"}),
    (["某县教育系统", "微党课进校园活动走进某某县"],
     {"kicker": "某县教育系统", "headline": "微党课进校园活动走进某某县"}),
    (["评论观点", "多听群众话"], {"column_label": "评论观点", "headline": "多听群众话"}),
    (["一条主标题", "——副题说明"], {"headline": "一条主标题", "deck": "——副题说明"}),
])
def test_headline_stacks(texts, expected):
    stack, _, _ = headline_stack(lines_of(*texts))
    assert stack == expected


def test_a_bare_name_under_a_headline_is_the_byline():
    stack, bylines, notes = headline_stack(lines_of("多听群众话", "林若舟"))
    assert stack == {"headline": "多听群众话"} and bylines == [{"role": "", "names": ["林若舟"]}]
    assert "byline" in notes[0].decision


def test_a_subhead_is_not_joined_to_the_next_paragraph():
    lines = lines_of("第一段写完了。", "党旗领航 服务暖心", "第二段从这里开始写起，一直写到结束。")
    assert [line.kind for line in lines] == ["text", "heading", "text"]


def test_one_short_opening_sentence_is_no_run_in_head():
    text = ("标题一行\n\n□本报记者 张三\n\n好日子来了。村里的路修好了，灯也亮了。\n\n"
            "另一段没有短句开头，写到这里结束。\n")
    issue, _ = parse(text, OPTIONS, Path("page.txt"))
    assert [b.run_in for b in issue.articles[0].body] == [None, None]


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "page.txt"
    text = (PAGES / "county-paper.txt").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    assert read_text(path) == text


def test_paginate_moves_what_does_not_fit_to_a_following_page():
    """The layout engine's verdict drives the paging: here a page holds two articles."""
    def failing_page(pages):
        return next((i for i, page in enumerate(pages) if len(page) > 2), None)
    assert paginate(["a", "b", "c", "d", "e"], failing_page) == [["a", "b"], ["c", "d"], ["e"]]
    with pytest.raises(TypesetError, match="too long for a page even alone"):
        paginate(["a"], lambda pages: 0)


# The command.

def test_cli_import_prints_the_review_and_the_folder_builds(tmp_path, capsys):
    out = tmp_path / "issue"
    assert main(["import", str(PAGES / "photo-page.txt"), "-o", str(out), "--paper", "测试日报",
                 "--date", "2026-01-02"]) == 0
    printed = capsys.readouterr().out
    assert "review:" in printed and "photo standing alone" in printed
    assert "publisher: 主办单位待填 — to fill in" in printed and "paper: " not in printed
    issue = read(out).issue
    assert issue.paper == "测试日报" and issue.date == dt.date(2026, 1, 2)
    assert sorted(p.name for p in (out / "images").iterdir()) == ["photo-1-1.jpg", "photo-2-1.jpg"]
    assert [p.span for p in issue.pages[0].articles] == [None, None]  # the engine places
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cli_import_refuses_a_folder_in_use(tmp_path, capsys):
    out = tmp_path / "issue"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert main(["import", str(PAGES / "photo-page.txt"), "-o", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_failed_import_leaves_nothing(tmp_path, capsys):
    """A character no bundled font has fails the check build: no folder, no temporary."""
    page = tmp_path / "page.txt"
    page.write_text("标题一行\n\n□本报记者 张三\n\n正文里有一个字体没有的字：\U0002A6A5。\n",
                    encoding="utf-8")
    out = tmp_path / "out" / "issue"
    assert main(["import", str(page), "-o", str(out)]) == 2
    assert "error:" in capsys.readouterr().err
    assert not out.exists() and not list((tmp_path / "out").iterdir())
