"""Issue 15, cases 4 and 10: the build cache is untrusted data.

A flipped byte anywhere in any kind of cache entry (heights, plans, pages, compiled
templates, file digests) gives the same output as a clean build, silently but counted
by ``build -v``; plans are JSON, not pickles; an entry another user planted is not read.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from hardening import files, run
from typeset import SAMPLE_ISSUE, cache

#: Every kind of entry a build of the sample leaves in the cache. A new kind must be
#: added here, and so to the flipping below.
KINDS = {"heights", "plans", "pages", "templates", "digests"}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A cache filled by one build of the sample, and that build's outputs."""
    folder = tmp_path_factory.mktemp("clean")
    result = run("build", SAMPLE_ISSUE, "-o", folder / "out", cache=folder / "cache",
                 temp=folder / "tmp")
    assert result.returncode == 0, result.stderr
    return folder / "cache", files(folder / "out")


def flip_bytes(cache_dir: Path, kinds: set[str], seed: int) -> int:
    """Flip one bit of one byte, anywhere (header or content), in every entry of
    ``kinds``; return how many entries were changed."""
    chance = random.Random(seed)
    changed = 0
    for kind in sorted(kinds):
        for path in sorted((cache_dir / kind).glob("*/*")):
            data = bytearray(path.read_bytes())
            data[chance.randrange(len(data))] ^= 1 << chance.randrange(8)
            path.write_bytes(bytes(data))
            changed += 1
    return changed


def damaged(output: str) -> int:
    return int(re.search(r"(\d+) found damaged", output).group(1))


def test_the_cache_holds_the_kinds_that_are_flipped(clean):
    cache_dir, _ = clean
    assert {p.name for p in cache_dir.iterdir()} == KINDS
    assert all(any((cache_dir / kind).glob("*/*")) for kind in KINDS)


@pytest.mark.parametrize("kinds", [{k} for k in sorted(KINDS)] + [KINDS],
                         ids=[*sorted(KINDS), "all"])
def test_a_flipped_byte_in_a_cache_entry_changes_nothing_but_the_count(clean, tmp_path,
                                                                        kinds):
    cache_dir, expected = clean
    shutil.copytree(cache_dir, tmp_path / "cache")
    assert flip_bytes(tmp_path / "cache", kinds, seed=len(kinds) + sum(map(len, kinds)))
    result = run("build", SAMPLE_ISSUE, "-o", tmp_path / "out", "-v",
                 cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert files(tmp_path / "out") == expected  # byte for byte
    assert damaged(result.stdout) >= 1
    again = run("build", SAMPLE_ISSUE, "-o", tmp_path / "again", "-v",
                cache=tmp_path / "cache", temp=tmp_path / "tmp")
    assert damaged(again.stdout) == 0  # the damaged entries were made again
    assert files(tmp_path / "again") == expected


def test_a_flipped_byte_in_fontconfigs_cache_changes_nothing(clean, tmp_path):
    """fontconfig keeps its own cache of the fonts/ folder, beside the configuration
    that shuts out system fonts (:mod:`typeset.weasy.fontconfig`): typeset does not
    check it, fontconfig does (and the fonts set come from @font-face rules)."""
    cache_dir, expected = clean
    temp = tmp_path / "tmp"
    shutil.copytree(cache_dir.parent / "tmp", temp)
    entries = sorted(temp.glob("typeset-fontconfig-*/cache/*.cache-*"))
    assert entries
    chance = random.Random(4)
    for path in entries:
        data = bytearray(path.read_bytes())
        for _ in range(8):
            data[chance.randrange(len(data))] ^= 1 << chance.randrange(8)
        status = path.stat()
        path.write_bytes(bytes(data))
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # (not seen as stale)
    result = run("build", SAMPLE_ISSUE, "-o", tmp_path / "out", cache=tmp_path / "cache",
                 temp=temp)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "out") == expected


def test_plans_are_json_and_no_code_reads_pickles(clean):
    cache_dir, _ = clean
    for path in (cache_dir / "plans").glob("*/*"):
        assert path.suffix == ".json"
        content = path.read_bytes().split(b"\n", 1)[1]
        assert content.startswith(b'{"layout": ')
    package = Path(cache.__file__).parent
    for source in package.rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+(c?pickle|marshal|shelve)\b",
                             source.read_text(encoding="utf-8"), re.M), source


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path))
    cache.write("plans", "ab12", ".json", b'{"layout": 1}')
    assert cache.read("plans", "ab12", ".json") == b'{"layout": 1}'
    path = tmp_path / "plans" / "ab" / "ab12.json"
    path.write_bytes(path.read_bytes().replace(b"1}", b"2}"))
    before = cache.counts["discarded"]
    assert cache.read("plans", "ab12", ".json") is None
    assert cache.counts["discarded"] == before + 1 and not path.exists()
    # An entry moved under another key does not pass either.
    cache.write("plans", "cd34", ".json", b"{}")
    moved = tmp_path / "plans" / "ef" / "ef56.json"
    moved.parent.mkdir()
    os.replace(tmp_path / "plans" / "cd" / "cd34.json", moved)
    assert cache.read("plans", "ef56", ".json") is None


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_entry_planted_by_another_user_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path))
    cache.write("templates", "ab12", ".jinja", b"compiled code")
    os.chown(tmp_path / "templates" / "ab" / "ab12.jinja", 65534, 65534)
    assert cache.read("templates", "ab12", ".jinja") is None
