"""Issue 15, case 11: a machine that cannot do the build says so in one line, exit 3.

Read-only and full disks are real ones: tmpfs mounts in a mount namespace of the test's
own (``unshare -m``, as root). An input error still exits 2, a bug exits 1 with one
line, and ``--debug`` shows the traceback in every case.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import subprocess

import pytest

from hardening import command, environment, files
from typeset import cli


def namespaces() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", "/mnt"],
                          capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not namespaces(), reason="needs root and unshare -m")


def mounted(mount: str, *args, cache, temp, debug: bool = False) -> subprocess.CompletedProcess:
    """``typeset ARGS`` after ``mount`` (a shell command), in a mount namespace."""
    build = shlex.join(command(*args, *(["--debug"] if debug else [])))
    return subprocess.run(["unshare", "-m", "sh", "-c", f"{mount} && exec {build}"],
                          env=environment(cache, temp), capture_output=True, text=True,
                          timeout=300)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@needs_mounts
@pytest.mark.parametrize("read_only, named", [
    ("out", ("cannot write the output folder", "read-only", "(-o)")),
    ("cache", ("cache folder", "TYPESET_CACHE_DIR")),
])
def test_read_only_output_or_cache_folder(small_issue, tmp_path, read_only, named):
    """A read-only output or cache folder: exit 3, one line naming the folder, no output."""
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "out" if read_only == "out" else tmp_path / "out"
    cache = disk / "cache" if read_only == "cache" else tmp_path / "cache"
    result = mounted(f"mount -t tmpfs -o ro tmpfs {disk}", "build", small_issue, "-o", out,
                     cache=cache, temp=tmp_path / "tmp")
    assert result.returncode == 3
    line = one_line(result.stderr)
    assert all(words in line for words in named), line
    assert not out.exists()


@needs_mounts
def test_full_disk_keeps_the_previous_outputs(small_issue, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    old = {"small.pdf": b"old", "small.epub": b"old", "small.layout.json": b"old"}
    script = (f"mount -t tmpfs -o size=64k tmpfs {disk} && mkdir {disk}/out && "
              + " && ".join(f"printf old > {disk}/out/{name}" for name in old)
              + f" && trap 'ls -A {disk} > {tmp_path}/left; cat {disk}/out/* > "
              f"{tmp_path}/kept' EXIT && ( ")
    build = shlex.join(command("build", small_issue, "-o", disk / "out"))
    result = subprocess.run(["unshare", "-m", "sh", "-c", f"{script}{build} )"],
                            env=environment(tmp_path / "cache", tmp_path / "tmp"),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr
    line = one_line(result.stderr)
    assert "no space left" in line and "free some space" in line, line
    assert (tmp_path / "kept").read_text() == "old" * 3  # the previous set, untouched
    assert (tmp_path / "left").read_text().split() == ["out"]  # no staging folder


@needs_mounts
def test_debug_shows_the_traceback(small_issue, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    result = mounted(f"mount -t tmpfs -o ro tmpfs {disk}", "build", small_issue, "-o",
                     disk / "out", cache=tmp_path / "cache", temp=tmp_path / "tmp",
                     debug=True)
    assert result.returncode == 3
    assert "Traceback" in result.stderr and "Read-only file system" in result.stderr


def test_every_failure_is_one_line_with_its_status(small_issue, tmp_path, capsys,
                                                   monkeypatch):
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    def fail_with(exc):
        def build(*args, **kwargs):
            raise exc
        monkeypatch.setattr("typeset.build.build", build)
        status = cli.main(["build", str(small_issue), "-o", str(tmp_path / "out")])
        return status, one_line(capsys.readouterr().err)

    status, line = fail_with(OSError(errno.ENOSPC, "No space left on device",
                                     str(tmp_path / "out" / "x.pdf")))
    assert status == 3 and "output folder" in line and "free some space" in line
    status, line = fail_with(OSError("cannot load library 'libpango-1.0-0': error 0x7e"))
    assert status == 3 and "system library is missing" in line
    status, line = fail_with(ZeroDivisionError("division by zero"))
    assert status == 1 and "bug" in line and "--debug" in line
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    status, line = fail_with(OSError(errno.EROFS, "Read-only file system",
                                     str(tmp_path / "out")))
    assert status == 3 and line.startswith("错误：无法写入输出文件夹") and "只读" in line
    monkeypatch.undo()
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert cli.main(["build", str(tmp_path / "nothing-here"), "-o", str(tmp_path)]) == 2
    one_line(capsys.readouterr().err)


def test_environment_errors_in_workers_come_back_whole(tmp_path):
    from typeset import parallel
    with pytest.raises(OSError) as raised:
        parallel.run(_fail_in_worker, [str(tmp_path / "a"), str(tmp_path / "b")], jobs=2)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename.endswith("a")


def _fail_in_worker(path: str):
    raise OSError(errno.ENOSPC, "No space left on device", path)


def test_an_unwritable_output_keeps_nothing_half_written(small_issue, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(command("build", small_issue, "-o", blocker / "out"),
                            env=environment(tmp_path / "cache", tmp_path / "tmp"),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 3
    assert "cannot write" in one_line(result.stderr)
    assert files(tmp_path) == {"file": b"not a folder"}


def test_checking_a_file_that_is_no_pdf_is_an_input_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + b"\0" * 100)
    assert cli.main(["check", str(tmp_path / "junk.pdf")]) == 2
    assert "cannot read as PDF" in one_line(capsys.readouterr().err)
