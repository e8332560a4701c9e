"""Issue 15, cases 17, 18 and 19: a command no shell shadows, an export that builds
where it is written, and the same bytes from any folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from hardening import environment, files, run

ROOT = Path(__file__).resolve().parents[1]


def test_typeset_news_is_installed_and_not_shadowed(tmp_path):
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["typeset-news"] == scripts["typeset"] == "typeset.cli:main"
    program = Path(sys.executable).parent / "typeset-news"
    if not program.exists():
        pytest.skip("typeset is not installed in this Python's environment")
    for shell in filter(shutil.which, ("bash", "zsh", "sh")):
        path = f"{program.parent}:/usr/bin:/bin"
        result = subprocess.run([shell, "-c", "typeset-news schema"], capture_output=True,
                                text=True, env={"PATH": path, "HOME": str(tmp_path)})
        assert result.returncode == 0 and '"title": "Issue"' in result.stdout, shell
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "typeset-news build" in readme


def test_an_exported_issue_builds_where_it_is_written(small_issue, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "deeper"
    exported = run("export", small_issue, "-o", elsewhere / "issue.json",
                   cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert exported.returncode == 0, exported.stderr
    assert (elsewhere / "images" / "p.jpg").read_bytes() == \
        (small_issue / "images" / "p.jpg").read_bytes()
    shutil.move(small_issue, tmp_path / "moved")  # the issue folder is not needed
    built = run("build", elsewhere / "issue.json", "-o", tmp_path / "from-json",
                cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert built.returncode == 0, built.stderr
    from_folder = run("build", tmp_path / "moved", "-o", tmp_path / "from-folder",
                      cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert from_folder.returncode == 0
    assert files(tmp_path / "from-json") == files(tmp_path / "from-folder")


def test_an_export_does_not_replace_another_picture(small_issue, tmp_path):
    (tmp_path / "there" / "images").mkdir(parents=True)
    (tmp_path / "there" / "images" / "p.jpg").write_bytes(b"someone's picture")
    result = run("export", small_issue, "-o", tmp_path / "there" / "issue.json",
                 cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert result.returncode == 2 and "already there" in result.stderr
    assert (tmp_path / "there" / "images" / "p.jpg").read_bytes() == b"someone's picture"
    assert not (tmp_path / "there" / "issue.json").exists()


@pytest.mark.parametrize("mode", ["print", "archive"])
def test_the_same_issue_in_two_folders_builds_the_same_bytes(small_issue, tmp_path, mode):
    outputs = []
    for place in ("a", "somewhere/much/deeper/b"):
        issue = tmp_path / place / "issue"
        shutil.copytree(small_issue, issue)
        result = subprocess.run(
            [sys.executable, "-m", "typeset", "build", str(issue), "-o", "out", "--mode", mode],
            cwd=tmp_path / place, capture_output=True, text=True, timeout=300,
            env=environment(tmp_path / place / "cache", tmp_path / place / "tmp"))
        assert result.returncode == 0, result.stderr
        outputs.append(files(tmp_path / place / "out"))
    assert outputs[0] == outputs[1]
