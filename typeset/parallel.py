"""Work spread over processes: measuring sheets and pages are set by separate WeasyPrint
documents, independent of each other, so ``--jobs N`` runs them in N processes.

Workers are forked, not spawned: a fork starts in milliseconds with WeasyPrint imported
and the stylesheet and fonts already loaded (see :mod:`typeset.weasy.stylesheets`),
where a spawned interpreter spends half a second importing. Results come back in the
order of the items, so the output does not depend on the number of jobs.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Sequence
from typing import TypeVar

from typeset import cache
from typeset.errors import TypesetError

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The processors this process may run on (the default for ``--jobs``)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def run(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
        warm: Callable[[], None] | None = None) -> list[Result]:
    """``[function(item) for item in items]``, on up to ``jobs`` processes.

    ``warm`` runs here before the workers start, to load once what they all need. A
    :class:`TypesetError` in a worker is raised here as it was raised there; what the
    workers did with the cache is added to :data:`typeset.cache.counts` here.
    """
    jobs = min(jobs, len(items))
    if jobs <= 1:
        return [function(item) for item in items]
    if warm is not None:
        warm()
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_build, initargs=(os.getpid(),))
    try:
        results = list(pool.map(_Caught(function), items))
    except BrokenProcessPool:
        raise TypesetError("a worker process died (out of memory?); build again with "
                           "--jobs 1 to see why") from None
    finally:  # (on SIGTERM or an error, what is queued is not started)
        pool.shutdown(wait=True, cancel_futures=True)
    for _, counts in results:
        cache.counts.update(counts)
    for result, _ in results:
        if isinstance(result, _Failure):
            raise TypesetError(result.message, file=result.file, article=result.article,
                               field=result.field)
    return [result for result, _ in results]


def _die_with_build(build: int) -> None:
    """A worker goes when its build is killed outright (SIGKILL, the OOM killer):
    otherwise it lives on, orphaned, holding the build's memory and the pipes of
    whatever started the build (a caller reading its output would wait forever)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return
    if os.getppid() != build:  # the build died before the line above
        os._exit(1)


class _Failure:
    """A TypesetError on its way back from a worker (its keyword-only constructor does
    not survive pickling as an exception)."""

    def __init__(self, error: TypesetError):
        self.message, self.file = error.message, error.file
        self.article, self.field = error.article, error.field


class _Caught:
    """``function`` with its TypesetError turned into a :class:`_Failure` result, each
    result paired with what the item did with the cache."""

    def __init__(self, function: Callable):
        self.function = function

    def __call__(self, item):
        before = cache.counts.copy()
        try:
            result = self.function(item)
        except TypesetError as error:
            result = _Failure(error)
        return result, cache.counts - before
