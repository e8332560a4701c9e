"""Finding the issues of a catalogue, and what an archive's results depend on.

An issue is a folder holding ``issue.yaml`` (nothing below it is searched further) or a
JSON file holding an issue object (``date``, ``pages``, ``articles``: typeset's export,
``typeset export``); a layout report or other JSON beside them is not an issue.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import yaml

import typeset
from typeset import cache

#: Keys an issue JSON file has at its top level (and a layout report has not).
ISSUE_KEYS = {"date", "pages", "articles"}


@dataclass(frozen=True)
class Found:
    """One issue of the catalogue: its path, that path relative to the catalogue's root
    (the manifest's key), the hash of its sources, its page count (for progress) and
    its output folder ``<year>/<slug>`` as declared (None if it cannot be read: the
    build will say why)."""

    path: Path
    source: str
    digest: str
    pages: int
    folder: str | None


def find(root: Path, exclude: Path | None = None) -> list[Found]:
    """Every issue under ``root`` in path order, leaving out ``exclude`` (the output
    folder, when it lies inside the catalogue) and hidden folders."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (exclude is None or here / d != exclude))
        if "issue.yaml" in files:
            dirs[:] = []  # an issue folder's articles and photos are its own
            data = _issue_yaml(here)
            found.append(_found(root, here, _folder_digest(here), data))
            continue
        for name in sorted(f for f in files if f.endswith(".json")):
            data = _issue_json(here / name)
            if data is not None:
                found.append(_found(root, here / name, _json_digest(here / name, data), data))
    return sorted(found, key=lambda f: f.source)


def typeset_version() -> str:
    """The package version plus a digest of its code, styles and fonts: what an issue's
    output depends on besides its sources (a version number alone would keep outputs
    built by a developer's earlier code)."""
    digest = hashlib.sha256()
    for folder in (Path(typeset.__file__).parent, typeset.STYLES_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".css", ".yaml", ".html"):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    for path in sorted(typeset.FONTS_DIR.rglob("*")):
        if path.is_file():
            digest.update(cache.file_digest(path))
    return f"{version('typeset')}+{digest.hexdigest()[:12]}"


def _found(root: Path, path: Path, digest: str, data: dict) -> Found:
    pages = data.get("pages")
    slug, date = data.get("slug"), str(data.get("date") or "")
    return Found(path=path, source=path.relative_to(root).as_posix(), digest=digest,
                 pages=len(pages) if isinstance(pages, list) else 0,
                 folder=f"{date[:4]}/{slug}" if isinstance(slug, str) and date else None)


def _folder_digest(folder: Path) -> str:
    """Every file of the issue folder, by relative path and content."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(folder).parts)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(_file_digest(path))
    return digest.hexdigest()


def _json_digest(path: Path, data: dict) -> str:
    """The JSON file and the photos it names (paths relative to its folder)."""
    digest = hashlib.sha256(_file_digest(path))
    images = sorted({figure.get("image", "") for article in data.get("articles") or []
                     if isinstance(article, dict) for figure in article.get("figures") or []
                     if isinstance(figure, dict)})
    for name in images:
        picture = path.parent / name
        digest.update(name.encode() + b"\0")
        digest.update(_file_digest(picture) if picture.is_file() else b"missing")
    return digest.hexdigest()


@functools.lru_cache(maxsize=4096)
def _cached_digest(path: Path, _stamp: tuple[int, int]) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def _file_digest(path: Path) -> bytes:
    """A file's SHA-256 (kept per size and modification time: the photos are shared by
    many issues of a catalogue)."""
    return _cached_digest(path, cache.stamp(path))


def _issue_yaml(folder: Path) -> dict:
    """issue.yaml's mapping, empty when it cannot be read (the build will say why)."""
    try:
        data = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _issue_json(path: Path) -> dict | None:
    """The file's object if it looks like an issue (:data:`ISSUE_KEYS`), else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, dict) and ISSUE_KEYS <= data.keys() and isinstance(data["pages"], list):
        return data
    return None
