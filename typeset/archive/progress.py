"""The archive's progress: a rich bar (issues and pages done, pages a minute, time
left) on the terminal, or, with ``--quiet`` (for logs), a line per failure only."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)


class Bar:
    """``with Bar(issues, pages, quiet) as bar: bar.done(record)`` for each result."""

    def __init__(self, issues: int, pages: int, quiet: bool):
        self.console = Console(stderr=True)
        self.quiet = quiet
        self.pages = 0
        self.start = time.perf_counter()
        self.progress = None if quiet else Progress(
            TextColumn("[bold]archive"), BarColumn(), MofNCompleteColumn(),
            TextColumn("issues · {task.fields[pages]}/%d pages · {task.fields[rate]} pages/min"
                       % pages),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, transient=False)
        self.issues = issues

    def __enter__(self):
        if self.progress is not None:
            self.progress.start()
            self.task = self.progress.add_task("archive", total=self.issues, pages=0, rate="–")
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()

    def done(self, record: dict) -> None:
        """One issue finished: count it, and say so if it failed."""
        self.pages += record["pages"]
        if record["status"] != "ok":
            message = f"failed: {record['source']}: {record['message']}"
            if self.progress is None:
                print(message, file=sys.stderr, flush=True)
            else:
                self.progress.console.print(message, markup=False, highlight=False)
        if self.progress is not None:
            minutes = (time.perf_counter() - self.start) / 60
            self.progress.update(self.task, advance=1, pages=self.pages,
                                 rate=f"{self.pages / minutes:.0f}" if minutes else "–")
