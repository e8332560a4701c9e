"""Cost of the Chinese typography engine: the sample built with it on and off.

Run: python benchmarks/cjk_engine.py [ROUNDS] [ISSUE] (9 rounds by default: with 5 the
ratio moved by ±3 % from run to run). Each round is ``typeset build``'s PDF build on
fresh heights, plans and pages (the machine's caches kept, as in ``issue8.py``); rounds
alternate on/off so machine noise hits both alike; prints the median of each and their
ratio, measured in this run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from issue8 import fresh_cache

from typeset import SAMPLE_ISSUE
from typeset.build import build
from typeset.weasy import cjk_patch


def build_once(under: Path, issue=SAMPLE_ISSUE) -> float:
    """The PDF build (measuring every module: fresh caches), in seconds."""
    fresh_cache(under)
    start = time.perf_counter()
    build(Path(issue), under / "out", formats=("pdf",))
    return time.perf_counter() - start


def main(rounds: int = 9, issue=SAMPLE_ISSUE) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        under = Path(temporary)
        build_once(under, issue)  # warm up: fonts, the machine's caches, imports
        on, off = [], []
        for _ in range(rounds):
            on.append(build_once(under, issue))
            with cjk_patch.disabled():
                off.append(build_once(under, issue))
    median_on, median_off = statistics.median(on), statistics.median(off)
    print(f"sample PDF (layout + render), {rounds} rounds: engine on {median_on:.2f} s, "
          f"off {median_off:.2f} s, ratio {median_on / median_off:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9,
         sys.argv[2] if len(sys.argv) > 2 else SAMPLE_ISSUE)
