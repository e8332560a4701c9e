"""A proof room running on a thread for the tests, and a reader of its event stream."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from typeset.serve import serve

#: Seconds a test waits for a build to show (builds take about one on this machine;
#: a loaded CI machine may take many more): a bound on waiting, not a timed assertion.
PATIENCE = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_room(issue: Path) -> Iterator[str]:
    """Serve the room of ``issue`` on a free loopback port; yield its base URL."""
    port, started, stop = free_port(), threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(issue,), daemon=True,
                              kwargs={"port": port, "started": started, "stop": stop})
    thread.start()
    assert started.wait(60), "the room did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(60)


class Events:
    """The room's states as its event stream brings them, read on a thread."""

    def __init__(self, base: str):
        self.states: queue.Queue[dict] = queue.Queue()
        self._client = httpx.Client(timeout=None)
        self._thread = threading.Thread(target=self._read, args=(base,), daemon=True)
        self._thread.start()

    def _read(self, base: str) -> None:
        try:
            with self._client.stream("GET", f"{base}/events") as response:
                event = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event == "state":
                        self.states.put(json.loads(line[6:]))
        except httpx.HTTPError:
            pass  # closed at the end of the test

    def until(self, predicate, what: str) -> dict:
        """The first state from now on for which ``predicate`` holds."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                state = self.states.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if predicate(state):
                return state
        raise AssertionError(f"no state with {what} within {PATIENCE} s")

    def drain(self) -> None:
        """Forget the states brought so far: what follows is the next action's."""
        while not self.states.empty():
            self.states.get_nowait()

    def close(self) -> None:
        self._client.close()


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file of the issue, as an editor's save does."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
