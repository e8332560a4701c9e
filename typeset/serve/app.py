"""The proof room over HTTP: the page, its state, its events and the files of a build.

Only named things are served: the room's own page and scripts, the files of published
builds and the issue's sources, each looked up by exact name in a table, so no path a
browser sends ever reaches the file system, ``..`` or not; anything else is 404 and no
folder is ever listed. Nothing here writes, and only GET (and HEAD) is answered.
"""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route

from typeset import FONTS_DIR
from typeset.serve.room import Room

STATIC = Path(__file__).parent / "static"
#: The room's own files, by the name the page asks for. The typeface is the bundled
#: serif: the desk's screens may have no Chinese font, and nothing is loaded from
#: elsewhere (the stylesheet asks for it last, so a browser that has one never does).
OWN = {"": STATIC / "index.html", "static/room.css": STATIC / "room.css",
       "static/room.js": STATIC / "room.js",
       "static/room-font.otf": FONTS_DIR / "NotoSerifCJKsc-Regular.otf"}
#: Seconds between two comments on an idle event stream: proxies and browsers keep
#: a stream open that says something now and then.
KEEPALIVE = 15
#: Host names a browser uses for this machine: a room bound to loopback answers only
#: these, so a web page elsewhere cannot reach it by pointing a name at 127.0.0.1.
LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"]
SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:"}


def application(room: Room, *, loopback: bool = True) -> Starlette:
    """The room's web application; ``loopback`` limits the Host names it answers."""

    async def own(request: Request) -> Response:
        path = OWN.get(request.path_params.get("name", ""))
        if path is None:
            return _missing()
        return FileResponse(path, headers={**SAFE, "Cache-Control": "no-cache"})

    async def state(request: Request) -> Response:
        return Response(room.state(), media_type="application/json",
                        headers={**SAFE, "Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        stop_listening = room.listen(lambda text: loop.call_soon_threadsafe(
            queue.put_nowait, text))

        async def stream():
            try:
                yield _event(room.state())
                idle = 0.0
                while not room.stop.is_set():  # the server is stopping: end the stream
                    try:
                        text = await asyncio.wait_for(queue.get(), 1.0)
                    except asyncio.TimeoutError:
                        idle += 1.0
                        if idle >= KEEPALIVE:
                            idle = 0.0
                            yield ": 保持连接\n\n"
                        continue
                    while not queue.empty():  # only the newest of a burst matters
                        text = queue.get_nowait()
                    idle = 0.0
                    yield _event(text)
            finally:
                stop_listening()

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={**SAFE, "Cache-Control": "no-store"})

    async def files(request: Request) -> Response:
        name = request.path_params["name"]
        path = room.files.get(name)
        if path is None or not path.is_file():
            return _missing()
        download = path.suffix in (".pdf", ".epub")
        # A build's files never change: a build folder's name is never used twice.
        return FileResponse(path, filename=path.name if download else None,
                            headers={**SAFE, "Cache-Control": "private, max-age=86400"})

    async def source(request: Request) -> Response:
        path = room.sources.get(request.path_params["name"])
        if path is None or not path.is_file():
            return _missing()
        kind = mimetypes.guess_type(path.name)[0]
        if path.suffix in (".md", ".yaml", ".yml", ".json"):
            kind = "text/plain; charset=utf-8"
        return FileResponse(path, media_type=kind or "application/octet-stream",
                            headers={**SAFE, "Cache-Control": "no-cache"})

    routes = [Route("/api/state", state), Route("/events", events),
              Route("/files/{name:path}", files), Route("/source/{name:path}", source),
              Route("/{name:path}", own)]  # last: the routes above match first
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK)] if loopback else []
    return Starlette(routes=routes, middleware=middleware)


def _event(text: str) -> str:
    """One Server-Sent Event carrying the state (JSON has no newlines unless asked)."""
    return f"event: state\ndata: {text}\n\n"


def _missing() -> Response:
    return Response("没有这个文件", status_code=404, media_type="text/plain; charset=utf-8",
                    headers=SAFE)
