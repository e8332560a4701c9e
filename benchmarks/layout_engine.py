"""Cost of automatic page layout, against rendering the same page once.

Run: python benchmarks/layout_engine.py [PAGE]. Uses the sample's page PAGE (default 3:
eight articles, no positions) as a one-page issue, and prints, measured in this one run:
planning on a cold cache (every article measured at every candidate span), planning
again on warm heights (the search alone), the plan read back from the cache (what a
re-proof of an untouched page pays), and one render of the laid-out page to PDF.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

from typeset import SAMPLE_ISSUE, cjk, layout, readers
from typeset.build import build_time
from typeset.pipeline import measurer
from typeset.style import load_style
from typeset.writers import Job, pdf


def one_page(number: int) -> readers.Source:
    source = readers.read(SAMPLE_ISSUE)
    page = next(p for p in source.issue.pages if p.number == number)
    ids = {p.id for p in page.articles}
    issue = source.issue.model_copy(update={
        "pages": [page.model_copy(update={"masthead": False})],
        "articles": [a for a in source.issue.articles if a.id in ids]})
    return readers.Source(issue, source.root)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(number: int = 3) -> None:
    source = one_page(number)
    style = load_style()
    issue = cjk.apply(source.issue)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TYPESET_CACHE_DIR"] = cache
        cold, _ = timed(lambda: layout.place(issue, style, measurer(issue, source.root, style)))
        shutil.rmtree(os.path.join(cache, "plans"))
        warm, layouts = timed(lambda: layout.place(issue, style,
                                                   measurer(issue, source.root, style)))
        kept, _ = timed(lambda: layout.place(issue, style, measurer(issue, source.root, style)))
    job = Job(issue=issue, root=source.root, style=style, created=build_time(issue),
              layouts=layouts, source_issue=source.issue)
    render, _ = timed(lambda: pdf.write(job))
    print(f"page {number} ({len(issue.articles)} articles): plan cold {cold:.2f} s, "
          f"warm {warm:.2f} s, from the cache {kept:.3f} s; one render {render:.2f} s; "
          f"warm/render {warm / render:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
