"""The command line a layout desk uses."""

from __future__ import annotations

import json
import subprocess
import sys

from typeset.cli import main


def test_schema_is_json_schema_of_the_model(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Issue"
    assert {"paper", "pages", "articles", "slug"} <= set(schema["properties"])
    article = schema["$defs"]["Article"]
    assert article["additionalProperties"] is False
    assert set(article["properties"]["kind"]["enum"]) == \
        {"news", "feature", "commentary", "photo", "brief"}


def test_build_writes_pdf_and_epub(small_issue, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "typeset", "build", str(small_issue),
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["small.epub", "small.layout.json", "small.pdf"]
    assert (out / "small.pdf").read_bytes().startswith(b"%PDF-")


def test_unknown_format_is_an_error(small_issue, tmp_path, capsys):
    assert main(["build", str(small_issue), "-o", str(tmp_path), "--format", "docx"]) == 2
    assert "unknown format docx" in capsys.readouterr().err


def test_outputs_are_readable_by_others(small_issue, tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(small_issue), "-o", str(out), "--format", "pdf"]) == 0
    assert (out / "small.pdf").stat().st_mode & 0o777 == 0o644
