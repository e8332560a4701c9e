"""The proof room's state: one build after another, and what every browser is shown.

The builds run on one thread, through :func:`typeset.watch.watch` (a build on every
save, in this process, so what was parsed and measured stays warm). Each build writes
into a folder of its own in the room's work folder, outside the issue, and is published
only when that folder is complete: a browser asking during a build gets the files of
the last published one, never a half-written file. After a build's pages are shown, the
same build checks them (``typeset check``) and makes the other downloads; a save in
between drops those extras rather than pairing them with copy they were not made from.

Everything a browser sees is one state (:meth:`Room.state`), sent to all of them alike.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typeset import readers, watch
from typeset.errors import TypesetError, shown_field
from typeset.readers.plaintext import notes as review
from typeset.serve.findings import findings, preflighted
from typeset.serve.pictures import Picture, pictures
from typeset.style import PT_PER_MM, load_style


@dataclass(frozen=True)
class Download:
    """A file the room offers: made by a build in ``mode``, found by its suffix."""

    key: str
    label: str
    mode: str
    format: str  # a writer of typeset.build.WRITERS


#: What the room offers, in the order shown. The proof PDF is the one the pages are
#: rendered from; the others are made after the pages are shown. A press build refuses
#: a draft (placeholders, coarse photos): its download is then left without a link.
DOWNLOADS = (
    Download("proof", "校样 PDF", "proof", "pdf"),
    Download("print", "印刷 PDF", "print", "pdf"),
    Download("press", "付印 PDF（PDF/X）", "press", "pdf"),
    Download("epub", "EPUB 电子书", "print", "epub"),
)
#: Builds whose files stay on disk beside those the current state shows: a browser
#: that got the state just before may still be fetching them.
KEEP = 3
#: Seconds between two looks at the issue's files: half of ``--watch``'s, since a desk
#: watching the room waits on it (a look at the sample's 24 files takes 0.6 ms).
LOOK = 0.25


class Room:
    """The issue being proofed, its builds, and the browsers watching."""

    def __init__(self, issue: Path, work: Path, *, style: str = "broadsheet",
                 jobs: int = 1):
        self.issue = issue.resolve()
        self.work = work
        self.style = load_style(style)
        self.jobs = jobs
        self.files: dict[str, Path] = {}  # served name → file (published builds only)
        self.sources: dict[str, Path] = {}  # name in the issue → file
        self.builds = 0
        # in every build folder's name: a browser's cache never mixes two runs' builds
        self.token = secrets.token_hex(4)
        self._pictures: list[Picture] = []
        self._state = {"version": 0, "status": "building", "build": None, "error": None,
                       "pages": [], "findings": [], "downloads": []}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []
        self.stop = threading.Event()

    # -- what browsers see -------------------------------------------------------

    def state(self) -> str:
        """The current state as JSON."""
        with self._lock:
            return json.dumps(self._state, ensure_ascii=False)

    def listen(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call ``listener`` with every new state (from the build thread); returns the
        function that stops it."""
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                self._listeners.remove(listener)
        return stop

    def _publish(self, **changes) -> None:
        with self._lock:
            self._state = {**self._state, **changes, "version": self._state["version"] + 1}
            text = json.dumps(self._state, ensure_ascii=False)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(text)

    # -- the builds ----------------------------------------------------------------

    def watch(self) -> None:
        """Build now and on every save until :attr:`stop` is set (run on a thread)."""
        watch.watch(self.issue, self.build, stop=self.stop, interval=LOOK)

    def build(self) -> None:
        """One build: pages first, then the check and the other downloads."""
        from typeset.build import build
        self.builds += 1
        folder = f"b{self.builds}-{self.token}"
        out = self.work / folder
        stamps = watch.snapshot(self.issue)
        started = time.time()
        self._publish(status="building")
        try:
            result = build(self.issue, out, style_name=self.style.name, formats=("pdf",),
                           mode="proof", jobs=self.jobs)
            source = readers.read(self.issue)
            pdf = next(p for p in result.paths if p.suffix == ".pdf")
            trim = (self.style.page.width_mm * PT_PER_MM, self.style.page.height_mm * PT_PER_MM)
            self._pictures = pictures(pdf, self.work, folder, self._pictures, trim)
        except Exception as exc:
            shutil.rmtree(out, ignore_errors=True)
            self._publish(status="error", error=self._error(exc))
            raise  # the watch reports it on the terminal too
        self.sources = _sources(source, self.issue)
        served = {p: self.work / p for page in self._pictures
                  for p in (page.sharp, page.plain, page.thumb, page.flash) if p}
        made = {"proof": f"{folder}/{pdf.name}"}
        self.files = {**served, made["proof"]: pdf}
        flagged = preflighted(pdf, result.findings)
        self._publish(status="checking", error=None, pages=self._pages(result.layouts, source),
                      findings=flagged, downloads=self._downloads(made),
                      build={"number": self.builds, "seconds": round(time.time() - started, 2),
                             "finished": time.strftime("%H:%M:%S")})
        if watch.snapshot(self.issue) != stamps:
            return  # saved meanwhile: the next build checks the new copy at once
        try:
            found = findings(pdf)
        except Exception as exc:  # noqa: BLE001  (the check helps; it must not stop the room)
            found = [{"rule": "检查", "page": 0, "note": "",
                      "text": f"检查未能完成：{type(exc).__name__}: {exc}"}]
        extras = self._extras(out)
        if watch.snapshot(self.issue) != stamps:
            return  # saved meanwhile: the next build makes them from the new copy
        self.files = {**self.files, **{name: self.work / name for name in extras.values()}}
        self._publish(status="ready", findings=found + flagged, downloads=self._downloads(made | extras))
        self._collect()

    def _extras(self, out: Path) -> dict[str, str]:
        """Build the downloads other than the proof, one build per mode; their served
        names by download."""
        from typeset.build import WRITERS, build
        made = {}
        for mode in dict.fromkeys(d.mode for d in DOWNLOADS if d.key != "proof"):
            wanted = [d for d in DOWNLOADS if d.mode == mode and d.key != "proof"]
            try:
                result = build(self.issue, out / mode, style_name=self.style.name,
                               formats=tuple(dict.fromkeys(d.format for d in wanted)),
                               mode=mode, jobs=self.jobs)
            except (TypesetError, OSError):
                continue  # the proof built: a download that cannot be made is left out
            for d in wanted:
                path = next(p for p in result.paths if p.suffix == WRITERS[d.format].SUFFIX)
                made[d.key] = path.relative_to(self.work).as_posix()
        return made

    def _downloads(self, made: dict[str, str]) -> list[dict]:
        """The downloads in order; those not made yet (or not made) without a link."""
        entries = []
        for d in DOWNLOADS:
            name = made.get(d.key)
            entries.append({"key": d.key, "label": d.label,
                            "url": f"/files/{name}" if name else None,
                            "size": self.files[name].stat().st_size if name else None})
        return entries

    def _pages(self, layouts, source) -> list[dict]:
        """Each page's pictures and module boxes (as fractions of the page)."""
        placed = {p.id: shown_field(f"pages[{i}].articles[{j}]")  # 1-based, as in messages
                  for i, page in enumerate(source.issue.pages) for j, p in enumerate(page.articles)}
        articles = {a.id: a for a in source.issue.articles}
        notes = _notes(self.issue)
        by_number = {layout.number: layout for layout in layouts}
        result = []
        for picture in self._pictures:
            width, height = picture.width_pt, picture.height_pt
            bleed = max(0.0, (width - self.style.page.width_mm * PT_PER_MM) / 2)
            margin_x, margin_y = self.style.margins_pt
            modules = []
            layout = by_number.get(picture.number)
            for m in layout.modules if layout else []:
                article = articles.get(m.article_id)
                modules.append({
                    "article": m.article_id, "column": m.column, "span": m.span,
                    "fill": round(m.fill, 3), "overflow": m.overflow_lines,
                    "box": [(bleed + margin_x + m.x) / width, (bleed + margin_y + m.top) / height,
                            m.width / width, m.height / height],
                    "headline": article.headline if article else "",
                    "kind": article.kind if article else "",
                    "file": _relative(_article_file(source, m.article_id, self.issue),
                                      self.issue),
                    "field": placed.get(m.article_id, ""),
                    "notes": notes.get(m.article_id, []) + notes.get(None, []),
                })
            result.append({"number": picture.number, "ratio": height / width,
                           "pixels": picture.pixels,
                           "sharp": f"/files/{picture.sharp}", "plain": f"/files/{picture.plain}",
                           "thumb": f"/files/{picture.thumb}",
                           "flash": f"/files/{picture.flash}" if picture.flash else None,
                           "modules": modules})
        return result

    def _error(self, exc: Exception) -> dict:
        if isinstance(exc, TypesetError):
            return {"file": _relative(exc.file, self.issue) if exc.file else None,
                    "article": exc.article, "field": exc.field, "message": exc.message}
        return {"file": None, "article": None, "field": None,
                "message": f"{type(exc).__name__}: {exc}"}

    def _collect(self) -> None:
        """Remove the folders of builds no longer shown (beyond the last few)."""
        shown = {name.split("/")[0] for name in self.files}
        for folder in self.work.iterdir():
            number = re.fullmatch(r"b(\d+)-\w+", folder.name)
            if number and folder.name not in shown and int(number[1]) <= self.builds - KEEP:
                shutil.rmtree(folder, ignore_errors=True)


def _sources(source, issue: Path) -> dict[str, Path]:
    """The issue's own files, by their path in the issue: the only ones served."""
    root = source.root.resolve()
    files = [issue if issue.is_file() else root / "issue.yaml"]
    files += [_article_file(source, a.id, issue) for a in source.issue.articles]
    files += [root / f.image for a in source.issue.articles for f in a.figures]
    return {_relative(f, issue): f.resolve() for f in files if f.is_file()}


def _article_file(source, article_id: str, issue: Path) -> Path:
    """The file an article is read from: its Markdown file, else the issue file (an
    issue JSON holds its articles)."""
    candidate = source.root / "articles" / f"{article_id}.md"
    if candidate.is_file():
        return candidate
    return issue if issue.is_file() else source.root / "issue.yaml"


def _relative(file: str | Path, issue: Path) -> str:
    """A file's path inside the issue folder, as the desk names it."""
    root = issue if issue.is_dir() else issue.parent
    try:
        return Path(file).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(file).name


def _notes(issue: Path) -> dict[str | None, list[str]]:
    """The import's review notes (:mod:`typeset.readers.plaintext.notes`), by article;
    under None those about the issue as a whole (no line)."""
    root = issue if issue.is_dir() else issue.parent
    try:
        entries = json.loads((root / review.FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    notes: dict[str | None, list[str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or (entry.get("article") is None and entry.get("line")):
            continue  # a line outside any article: not for one article's panel
        where = f"第{entry['line']}行：" if entry.get("line") else ""
        notes.setdefault(entry.get("article"), []).append(
            f"{where}{entry.get('decision', '')} — {entry.get('why', '')}")
    return notes
