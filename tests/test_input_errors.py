"""Bad input: one clear message naming file, article and field; exit 2; no output."""

from __future__ import annotations

import json

import pytest

from typeset.cli import main


def run(capsys, *args) -> tuple[int, str]:
    code = main(list(map(str, args)))
    return code, capsys.readouterr().err


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    "unknown field": ("brief-training.md", "kind: brief", "kind: brief\ncolour: red",
                      "article 'brief-training': colour: unknown field"),
    "wrong type": ("brief-training.md", "kind: brief", "kind: brief\nbylines: 42",
                   "article 'brief-training': bylines: must be a list, not 42"),
    "unknown kind": ("brief-training.md", "kind: brief", "kind: gossip",
                     "article 'brief-training': kind: must be one of 'news', 'feature', "
                     "'commentary', 'photo' or 'brief', not \"gossip\""),
    "empty headline": ("commentary-listen.md", "headline: 多听“炕头话” 办好“身边事”", "headline: ''",
                       "article 'commentary-listen': headline: must not be empty"),
    "missing image": ("brief-training.md", "images/brief-training.jpg", "images/nope.jpg",
                      "figures #1 › image: image file not found: images/nope.jpg"),
    "path escape": ("brief-training.md", "images/brief-training.jpg", "../../etc/passwd",
                    "figures #1 › image: must be a relative path inside the issue folder"),
    "url": ("brief-training.md", "images/brief-training.jpg", "http://example.com/a.jpg",
            "figures #1 › image: must be a path inside the issue folder, not a URL"),
    "not a picture format": ("brief-training.md", "images/brief-training.jpg",
                             "images/brief-training.gif",
                             "figures #1 › image: images must be JPEG or PNG files"),
    "broken yaml": ("brief-training.md", "kind: brief", "kind: [brief",
                    "brief-training.md: line"),
    "missing glyph": ("brief-training.md", "kind: brief", "kind: brief\ndeck: 𪚥字",
                      "article 'brief-training': deck: character '𪚥' (U+2A6A5"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_article_input(case, issue_copy, tmp_path, capsys):
    name, old, new, expected = CASES[case]
    edit(issue_copy / "articles" / name, old, new)
    out = tmp_path / "out"
    code, err = run(capsys, "build", issue_copy, "-o", out)
    assert code == 2
    assert expected in err
    assert name in err
    assert err.count("\n") == 1, err
    assert not out.exists() or not any(out.iterdir())


def test_unknown_page_field_names_issue_yaml(issue_copy, tmp_path, capsys):
    edit(issue_copy / "issue.yaml", "masthead: true", "masthead: true\n    colour: red")
    code, err = run(capsys, "build", issue_copy, "-o", tmp_path / "out")
    assert code == 2 and "issue.yaml: pages #1 › colour: unknown field" in err


def test_placement_of_unknown_article(issue_copy, tmp_path, capsys):
    edit(issue_copy / "issue.yaml", "id: snow-roads", "id: snow-road")
    code, err = run(capsys, "build", issue_copy, "-o", tmp_path / "out")
    assert code == 2 and "no article with id 'snow-road'" in err


def test_duplicate_article_ids_in_json(small_issue, tmp_path, capsys):
    assert main(["export", str(small_issue), "-o", str(small_issue / "issue.json")]) == 0
    data = json.loads((small_issue / "issue.json").read_text(encoding="utf-8"))
    data["articles"].append(dict(data["articles"][0]))
    (small_issue / "issue.json").write_text(json.dumps(data, ensure_ascii=False))
    code, err = run(capsys, "build", small_issue / "issue.json", "-o", tmp_path / "out")
    assert code == 2 and "duplicate article id 'story'" in err and "issue.json" in err


def test_overflow_is_reported_not_clipped(issue_copy, tmp_path, capsys):
    story = issue_copy / "articles" / "snow-roads.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n\n" +
                     "路面积雪已全部清理完毕，车辆通行正常。" * 300, encoding="utf-8")
    out = tmp_path / "out"
    code, err = run(capsys, "build", issue_copy, "-o", out)
    assert code == 2
    assert "article 'snow-roads'" in err and "does not fit on page 1" in err
    assert "body lines past the foot" in err
    assert not out.exists()


def test_failed_build_keeps_no_partial_file(small_issue, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(small_issue), "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(small_issue / "articles" / "story.md", "headline: 测试标题", "headline: [")
    code, _ = run(capsys, "build", small_issue, "-o", out)
    assert code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp files left
