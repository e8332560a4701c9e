"""Cost of the Chinese typography engine: the sample built with it on and off.

Run: python benchmarks/cjk_engine.py [ROUNDS] [ISSUE]. Rounds alternate on/off so machine
noise hits both alike; prints the median of each and their ratio, measured in this run.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from typeset import SAMPLE_ISSUE, readers
from typeset.build import prepare
from typeset.style import load_style
from typeset.weasy import cjk_patch
from typeset.writers import pdf


def build_once(issue=SAMPLE_ISSUE) -> float:
    """Layout (measuring every module: a fresh height cache) and render, in seconds."""
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TYPESET_CACHE_DIR"] = cache
        start = time.perf_counter()
        pdf.write(prepare(readers.read(issue), load_style(), print_pages=True))
        return time.perf_counter() - start


def main(rounds: int = 3, issue=SAMPLE_ISSUE) -> None:
    build_once(issue)  # warm up: fonts, caches, imports
    on, off = [], []
    for _ in range(rounds):
        on.append(build_once(issue))
        with cjk_patch.disabled():
            off.append(build_once(issue))
    median_on, median_off = statistics.median(on), statistics.median(off)
    print(f"sample PDF (layout + render), {rounds} rounds: engine on {median_on:.2f} s, "
          f"off {median_off:.2f} s, ratio {median_on / median_off:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3,
         sys.argv[2] if len(sys.argv) > 2 else SAMPLE_ISSUE)
