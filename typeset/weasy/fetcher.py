"""A url_fetcher that reads local files from allowed folders and nothing else.

The renderer must never reach the network or read outside the issue folder, styles/
and fonts/ (an article could otherwise embed /etc/passwd or leak a request). WeasyPrint
swallows ordinary fetch errors and only warns; raising a FatalURLFetchingError subclass
stops the render, so a refused resource is a build error, not a missing picture.

Pictures are served as :func:`typeset.images.for_print` prepared them (decoded, in a
mode the PDF shows correctly, no larger than print needs), not as the files are.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from typeset import images

#: File suffixes of pictures (the model allows no others for figures).
PICTURES = (".jpg", ".jpeg", ".png")


class RefusedURL(FatalURLFetchingError):
    """A resource outside the allowed folders, or not a local file."""


class SafeFetcher(URLFetcher):
    """Serve ``file:`` URLs below ``roots``; refuse every other URL."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self._roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedURL(f"refused to fetch {url}: only files inside the issue folder, "
                             "styles/ and fonts/ may be used")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self._roots):
            raise RefusedURL(f"refused to read {path}: outside the issue folder, styles/ and "
                             "fonts/")
        if not path.is_file():
            raise RefusedURL(f"file not found: {path}")
        if path.suffix.lower() in PICTURES and (data := images.for_print(path)) is not None:
            # WeasyPrint reads a picture again from the file its response names (a
            # ``file:`` URL): a prepared picture is answered under a name that is none.
            return URLFetcherResponse(f"prepared:{url}", data, headers={})
        return URLFetcherResponse(url, path.read_bytes(), headers={})


@functools.lru_cache(maxsize=8)
def fetcher(roots: tuple[Path, ...]) -> SafeFetcher:
    """The fetcher for ``roots``, made once: making one sets up urllib's handlers, which
    it never uses (a millisecond, for each of the dozens of documents a build renders)."""
    return SafeFetcher(list(roots))
