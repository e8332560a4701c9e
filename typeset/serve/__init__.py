"""``typeset serve ISSUE``: the proof room, a local web page where the desk watches the
pages set as the copy changes.

The issue is built on every save as ``typeset build --watch`` builds it (same process,
warm caches: :mod:`.room`); browsers get the pages as pictures of the proof PDF with the
modules, the check's findings and any build error drawn over them, and are told of each
new build through Server-Sent Events (:mod:`.app`). The page itself is plain HTML, CSS
and JavaScript in ``static/``: no build step, nothing loaded from elsewhere.
"""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from typeset.serve.app import application
from typeset.serve.room import Room


def serve(issue: Path, *, host: str = "127.0.0.1", port: int = 8000,
          style: str = "broadsheet", jobs: int = 1,
          started: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """Serve the proof room of ``issue`` until interrupted (or ``stop`` is set).

    Builds go to a fresh temporary folder, removed on the way out: the issue's own
    folder is only read. ``started`` is set once the server listens (for tests).
    """
    work = Path(tempfile.mkdtemp(prefix="typeset-serve-"))
    room = Room(issue, work, style=style, jobs=jobs)
    builder = threading.Thread(target=room.watch, name="typeset-serve-builds", daemon=True)
    config = uvicorn.Config(application(room, loopback=_loopback(host)), host=host,
                            port=port, log_level="warning", timeout_graceful_shutdown=1)
    server = _Server(config, room.stop)
    if stop is not None:
        threading.Thread(target=lambda: (stop.wait(), server.handle_exit(0, None)),
                         daemon=True).start()
    if started is not None:
        _when_started(server, started)
    builder.start()
    print(f"校样室 proof room: http://{_shown(host)}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    finally:
        room.stop.set()
        if builder.is_alive():  # a build cannot be cut short: its files go with the folder
            print("stopping: waiting for the build under way", flush=True)
            builder.join(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


class _Server(uvicorn.Server):
    """Stops the builds and ends the event streams first, so that stopping does not
    wait on browsers that keep their stream open."""

    def __init__(self, config: uvicorn.Config, stopping: threading.Event):
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig, frame) -> None:
        self.stopping.set()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self):
        """Ctrl-C and SIGTERM stop the server, and :func:`serve` then removes its work
        folder (uvicorn's own handling would raise the signal again once stopped,
        ending the process before that)."""
        if threading.current_thread() is not threading.main_thread():
            yield  # signals reach the main thread only
            return
        before = {sig: signal.signal(sig, self.handle_exit)
                  for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _when_started(server, started: threading.Event) -> None:
    """Set ``started`` once ``server`` listens."""
    def wait() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        started.set()
    threading.Thread(target=wait, daemon=True).start()
