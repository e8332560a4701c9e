"""``typeset archive`` on a generated back catalogue: outputs and manifest, resuming,
a broken issue among good ones, and the same bytes from a Dask cluster."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from typeset import ROOT
from typeset.archive import archive
from typeset.cli import main

ISSUES = 6


def _generator():
    spec = importlib.util.spec_from_file_location("archive_benchmark",
                                                  ROOT / "benchmarks" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Path:
    """Six one-page issues of two articles each (one of them a JSON file)."""
    root = tmp_path_factory.mktemp("catalogue")
    _generator().make_catalogue(root, ISSUES, pages=1, articles=2, json_every=5)
    return root


@pytest.fixture(scope="module")
def first_run(catalogue, tmp_path_factory):
    """The catalogue converted once on two local processes: (out folder, summary)."""
    out = tmp_path_factory.mktemp("archive-out")
    return out, archive(catalogue, out, processes=2, quiet=True)


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target, symlinks=True)
    return target


def test_every_issue_is_built_into_year_and_slug_with_its_manifest_line(catalogue, first_run):
    out, summary = first_run
    assert (summary.issues, summary.built, summary.failed) == (ISSUES, ISSUES, 0)
    records = manifest(out)
    assert [r["source"] for r in records] == sorted(r["source"] for r in records)
    assert {r["source"] for r in records} == {
        *(f"2024/03/yuquan-2024-03-0{day}" for day in (1, 2, 3, 4, 6)),
        "2024/03/yuquan-2024-03-05.json"}
    for record in records:
        assert record["status"] == "ok" and record["message"] == ""
        assert record["pages"] == 1 and record["seconds"] > 0
        slug = Path(record["source"]).name.removesuffix(".json")
        assert sorted(o["path"] for o in record["outputs"]) == [
            f"2024/{slug}/{slug}{suffix}" for suffix in (".epub", ".layout.json", ".pdf")]
        for output in record["outputs"]:
            data = (out / output["path"]).read_bytes()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (output["bytes"],
                                                                      output["sha256"])
    with pikepdf.open(out / "2024/yuquan-2024-03-02/yuquan-2024-03-02.pdf") as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"
        assert "yuquan-2024-03-02.json" in pdf.attachments


def test_issues_differ_in_text(first_run):
    out, _ = first_run
    hashes = {r["outputs"][0]["sha256"] for r in manifest(out)}
    assert len(hashes) == ISSUES


def test_a_second_run_skips_every_issue(catalogue, first_run, tmp_path):
    out = copy(first_run[0], tmp_path / "out")
    before = (out / "manifest.jsonl").read_bytes()
    summary = archive(catalogue, out, quiet=True)
    assert (summary.built, summary.skipped, summary.failed) == (0, ISSUES, 0)
    assert (out / "manifest.jsonl").read_bytes() == before


def test_editing_one_issue_rebuilds_only_it(catalogue, first_run, tmp_path):
    root = copy(catalogue, tmp_path / "catalogue")
    out = copy(first_run[0], tmp_path / "out")
    article = next((root / "2024/03/yuquan-2024-03-03/articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n补记一段。\n", encoding="utf-8")
    before = {r["source"]: r for r in manifest(out)}
    summary = archive(root, out, quiet=True)
    assert (summary.built, summary.skipped) == (1, ISSUES - 1)
    after = {r["source"]: r for r in manifest(out)}
    changed = {s for s in after if after[s] != before[s]}
    assert changed == {"2024/03/yuquan-2024-03-03"}
    assert after["2024/03/yuquan-2024-03-03"]["source_sha256"] != \
        before["2024/03/yuquan-2024-03-03"]["source_sha256"]


def test_a_broken_issue_is_reported_and_the_rest_finish(catalogue, tmp_path, capsys):
    root = copy(catalogue, tmp_path / "catalogue")
    broken = root / "2024/03/yuquan-2024-03-02/issue.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("- id: p1-", "- id: gone-", 1), encoding="utf-8")
    assert main(["archive", str(root), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    records = {r["source"]: r for r in manifest(tmp_path / "out")}
    failed = records.pop("2024/03/yuquan-2024-03-02")
    assert failed["status"] == "failed" and "gone-" in failed["message"]
    assert failed["outputs"] == [] and not (tmp_path / "out/2024/yuquan-2024-03-02").exists()
    assert [r["status"] for r in records.values()] == ["ok"] * (ISSUES - 1)
    printed = capsys.readouterr()
    assert "5 built, 0 unchanged, 1 failed" in printed.out
    assert "2024/03/yuquan-2024-03-02" in printed.err  # logged as it happened


def test_two_issues_for_one_output_folder_build_the_first_only(catalogue, first_run,
                                                                tmp_path):
    root = copy(catalogue, tmp_path / "catalogue")
    shutil.copytree(root / "2024/03/yuquan-2024-03-01", root / "2024/04/again")
    out = copy(first_run[0], tmp_path / "out")
    summary = archive(root, out, quiet=True)
    assert (summary.built, summary.skipped, summary.failed) == (0, ISSUES, 1)
    (clash,) = summary.failures
    assert clash["source"] == "2024/04/again"
    assert "same output folder 2024/yuquan-2024-03-01 as 2024/03/yuquan-2024-03-01" in \
        clash["message"]


def test_a_dask_cluster_writes_the_same_bytes_and_manifest(catalogue, first_run, tmp_path,
                                                          monkeypatch):
    from dask.distributed import LocalCluster
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "worker-cache"))  # cold caches
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        summary = archive(catalogue, out, dask=cluster.scheduler_address, quiet=True)
    assert (summary.built, summary.failed) == (ISSUES, 0)
    local = first_run[0]
    files = sorted(p.relative_to(local) for p in local.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    for name in files:
        if name.name != "manifest.jsonl":
            assert (out / name).read_bytes() == (local / name).read_bytes(), name

    def untimed(folder):
        return [{k: v for k, v in r.items() if k != "seconds"} for r in manifest(folder)]
    assert untimed(out) == untimed(local)
