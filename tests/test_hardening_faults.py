"""Issue 15, cases 7 and 14: a build stopped at any point.

The outputs are one set (the previous build's, whole, or this build's, whole), and the
temp dir keeps nothing of a build stopped by SIGTERM or Ctrl-C; what a SIGKILL leaves
is reclaimed by the next build, never what a running build is using.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hardening import command, environment, files, leftovers, run
from typeset import SAMPLE_ISSUE, scratch


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory):
    """The sample (A) and the sample with one article edited (B), each built once (into
    a cache of A's, and one of B's): {"A": (issue, outputs), "B": (issue, outputs),
    "A-out": A's output folder}, and A's cache."""
    folder = tmp_path_factory.mktemp("sets")
    sets = {}
    for name in "AB":
        issue = folder / name
        shutil.copytree(SAMPLE_ISSUE, issue)
        if name == "B":
            article = issue / "articles" / "snow-roads.md"
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("。", "，今日又改。", 1), encoding="utf-8")
        result = run("build", issue, "-o", folder / f"out-{name}",
                     cache=folder / f"cache-{name}", temp=folder / "tmp")
        assert result.returncode == 0, result.stderr
        sets[name] = (issue, files(folder / f"out-{name}"))
    sets["A-out"] = folder / "out-A"
    assert sets["A"][1]["yuquan-2026-11-27.pdf"] != sets["B"][1]["yuquan-2026-11-27.pdf"]
    return sets, folder / "cache-A"


def stop_build(issue: Path, out: Path, cache: Path, temp: Path, number: int,
               delay: float) -> subprocess.Popen:
    """A build of ``issue`` into ``out``, sent signal ``number`` after ``delay`` s."""
    build = subprocess.Popen(command("build", issue, "-o", out), env=environment(cache, temp),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        build.wait(delay)
    except subprocess.TimeoutExpired:
        build.send_signal(number)
    build.wait(120)
    return build


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
                         ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_build_stopped_at_random_leaves_one_whole_set(two_sets, tmp_path, number):
    sets, shared_cache = two_sets
    old_issue, old = sets["A"]
    new_issue, new = sets["B"]
    chance = random.Random(int(number))
    stopped = []
    for attempt in range(2):
        out, temp = tmp_path / f"out{attempt}", tmp_path / f"tmp{attempt}"
        cache = tmp_path / f"cache{attempt}"
        shutil.copytree(shared_cache, cache)  # warm for A only: B measures and renders
        shutil.copytree(sets["A-out"], out)  # as the build of A left it
        build = stop_build(new_issue, out, cache, temp, number, chance.uniform(0.3, 1.8))
        stopped.append(build.returncode != 0)
        assert files(out) in (old, new), f"a mixed set after {number!r}"
        assert "Traceback" not in build.stderr.read().decode()
        if number == signal.SIGKILL:
            after = run("build", new_issue, "-o", out, cache=cache, temp=temp)
            assert after.returncode == 0 and files(out) == new
        else:
            assert build.returncode in (0, 128 + number)
            assert build.returncode == 0 or files(out) == old or files(out) == new
        assert leftovers(temp) == []  # stopped cleanly, or reclaimed by the next build
        assert [p.name for p in tmp_path.glob(f".out{attempt}.*")] == []
    assert any(stopped)  # (the delays are drawn to stop most builds midway)


def child(script: str, out: Path, temp: Path) -> subprocess.CompletedProcess:
    """Run ``script`` (after ``from typeset import outputs``) in a child process."""
    code = "from pathlib import Path\nfrom typeset import outputs, scratch\n" + \
        textwrap.dedent(script)
    return subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                          text=True, env=environment(temp / "cache", temp), timeout=60)


OLD = {"a.pdf": b"old pdf", "a.epub": b"old epub", "a.layout.json": b"old json"}
NEW = {"a.pdf": b"new pdf", "a.epub": b"new epub", "a.layout.json": b"new json"}


def test_killed_while_writing_the_set_leaves_the_previous_set(tmp_path):
    from typeset import outputs
    out = tmp_path / "out"
    outputs.commit(out, OLD)
    (out / "other.txt").write_text("someone else's")
    result = child("""
        import os, signal, sys
        written = []
        def write(path, data):
            if written:
                os.kill(os.getpid(), signal.SIGKILL)  # between the PDF and the EPUB
            written.append(path.write_bytes(data))
        outputs._write = write
        outputs.commit(Path(sys.argv[1]), {"a.pdf": b"new pdf", "a.epub": b"new epub"})
    """, out, tmp_path)
    assert result.returncode == -signal.SIGKILL
    assert files(out) == OLD | {"other.txt": b"someone else's"}
    assert len(list(tmp_path.glob(".out.typeset-*"))) == 1  # the killed build's folder
    outputs.commit(out, NEW)
    assert files(out) == NEW | {"other.txt": b"someone else's"}
    assert list(tmp_path.glob(".out.typeset-*")) == []  # reclaimed


def test_killed_right_after_the_swap_leaves_the_new_set(tmp_path):
    from typeset import outputs
    out = tmp_path / "out"
    outputs.commit(out, OLD)
    result = child("""
        import os, signal, sys
        swap = outputs._exchange
        def exchange(a, b):
            swap(a, b)
            os.kill(os.getpid(), signal.SIGKILL)
        outputs._exchange = exchange
        outputs.commit(Path(sys.argv[1]), {"a.pdf": b"new pdf", "a.epub": b"new epub",
                                           "a.layout.json": b"new json"})
    """, out, tmp_path)
    assert result.returncode == -signal.SIGKILL
    assert files(out) == NEW


def test_sigterm_while_writing_leaves_the_previous_set_and_no_folder(tmp_path):
    from typeset import outputs
    out = tmp_path / "out"
    outputs.commit(out, OLD)
    result = child("""
        import os, signal, sys
        scratch.stop_on_signals()
        scratch.make("fonts-")  # as a build's font copies
        write = outputs._write
        def stopped(path, data):
            write(path, data)
            os.kill(os.getpid(), signal.SIGTERM)
        outputs._write = stopped
        outputs.commit(Path(sys.argv[1]), {"a.pdf": b"new pdf", "a.epub": b"new epub"})
    """, out, tmp_path)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert files(out) == OLD
    assert list(tmp_path.glob(".out.typeset-*")) == [] and leftovers(tmp_path) == []


def test_builds_into_one_folder_keep_each_others_files(tmp_path):
    out = tmp_path / "out"
    script = """
        import sys
        for round in range(30):
            outputs.commit(Path(sys.argv[1]), {f"{sys.argv[2]}.pdf": bytes([round])})
    """
    code = "from pathlib import Path\nfrom typeset import outputs\n" + textwrap.dedent(script)
    writers = [subprocess.Popen([sys.executable, "-c", code, str(out), name],
                                env=environment(tmp_path / "cache", tmp_path))
               for name in ("one", "two")]
    assert [w.wait(60) for w in writers] == [0, 0]
    assert files(out) == {"one.pdf": bytes([29]), "two.pdf": bytes([29])}


def test_a_finished_build_leaves_nothing_in_the_temp_dir(small_issue, tmp_path):
    result = run("build", small_issue, "-o", tmp_path / "out", cache=tmp_path / "cache",
                 temp=tmp_path / "tmp")
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path / "tmp") == []


def test_the_next_build_reclaims_dead_builds_folders_only(small_issue, tmp_path):
    temp = tmp_path / "tmp"
    runs = temp / f"typeset-{os.getuid()}"
    runs.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (runs / f"{dead.pid}-1" / "fonts-x").mkdir(parents=True)  # killed: its pid is gone
    (runs / f"{os.getpid()}-1").mkdir()  # this pid, but another process's start time
    live = runs / scratch.tag(os.getpid())  # a build running beside (this process)
    live.mkdir()
    result = run("build", small_issue, "-o", tmp_path / "out", cache=tmp_path / "cache",
                 temp=temp)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in runs.iterdir()) == [live.name]


def test_sigterm_during_a_build_removes_its_temp_folders(small_issue, tmp_path):
    temp = tmp_path / "tmp"
    build = subprocess.Popen(command("build", small_issue, "-o", tmp_path / "out"),
                             env=environment(tmp_path / "cache", temp),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(temp.glob("typeset-*/*/fonts-*")) and build.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)  # until WeasyPrint has copied the fonts
    build.send_signal(signal.SIGTERM)
    assert build.wait(60) in (0, 128 + signal.SIGTERM)
    assert "Traceback" not in build.stderr.read().decode()
    assert leftovers(temp) == []


def test_a_killed_build_takes_its_workers_with_it(tmp_path):
    """SIGKILL to a build on two jobs: its forked workers go too, instead of living on
    orphaned with the build's memory and its caller's pipes (a caller reading the
    build's output waited for ever: this hung CI once)."""
    build = subprocess.Popen(command("build", "-o", tmp_path / "out", "--jobs", "2",
                                     "--format", "pdf"),
                             env=environment(tmp_path / "cache", tmp_path / "tmp"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[str] = []
    for _ in range(300):  # until both workers are forked (30 s at most)
        time.sleep(0.1)
        workers = subprocess.run(["pgrep", "-P", str(build.pid)], capture_output=True,
                                 text=True).stdout.split()
        if len(workers) >= 2 or build.poll() is not None:
            break
    assert len(workers) >= 2, "the build never forked its workers"
    build.kill()
    build.communicate(timeout=30)  # every holder of its pipes is gone
    for _ in range(100):  # dead (gone, or a zombie until someone reaps it) within 10 s
        alive = [w for w in workers if _running(w)]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive


def _running(pid: str) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
