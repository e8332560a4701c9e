"""Where an archive's tasks run: local processes, or a Dask distributed cluster.

Both take the tasks and yield their records as they finish, in any order (the
manifest is sorted when written). A task is a whole issue
(:func:`typeset.archive.task.convert`), which never raises; a worker that dies under a
task (out of memory, killed) comes back as that issue's failure.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from typeset.archive.task import Task, convert
from typeset.errors import TypesetError
from typeset.parallel import cores

#: Issues a local worker process builds before a fresh one takes its place: a process
#: keeps some 45 MB more memory after each 4-page issue, below Python (its objects
#: barely grow in number; malloc_trim does not return it), and a new process costs
#: about a second of imports.
ISSUES_PER_PROCESS = 10


def local(tasks: Sequence[Task], processes: int | None = None) -> Iterator[dict]:
    """The tasks on ``processes`` local processes (default: one per core).

    Workers are spawned, not forked like ``--jobs``' page workers: this process may
    run a progress bar's thread, and a worker should start clean. The tasks go in
    rounds of :data:`ISSUES_PER_PROCESS` per process, each round on new workers, to
    bound their memory (``max_tasks_per_child`` would do it, but Python 3.11's pool can
    hang when it replaces a worker).
    """
    processes = processes or cores()
    if processes < 1:
        raise TypesetError(f"--processes must be at least 1, not {processes}")
    context = multiprocessing.get_context("spawn")
    step = processes * ISSUES_PER_PROCESS
    for start in range(0, len(tasks), step):
        batch = tasks[start:start + step]
        with ProcessPoolExecutor(min(processes, len(batch)), mp_context=context) as pool:
            futures = {pool.submit(convert, task): task for task in batch}
            for future in as_completed(futures):
                yield _result(future, futures[future])


def dask(tasks: Sequence[Task], address: str) -> Iterator[dict]:
    """The tasks on a Dask cluster: ``address`` of its scheduler (``tcp://host:8786``),
    or ``local:N`` to start a ``LocalCluster`` of N one-thread worker processes here.

    Every worker needs typeset and its fonts installed and the catalogue and output
    folder at the same paths (a shared folder); each keeps its own build cache.
    """
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:
        raise TypesetError(f"--dask needs the archive extra (pip install -e '.[archive]'): "
                           f"{exc}") from None
    if not tasks:
        return
    cluster = None
    if address.startswith("local:"):
        try:
            workers = int(address.removeprefix("local:"))
        except ValueError:
            raise TypesetError(f"--dask local:N needs a number of workers, not {address}") from None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    try:
        try:
            client = Client(cluster or address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise TypesetError(f"no Dask scheduler answers at {address}: {exc}") from None
        with client:
            futures = client.map(convert, list(tasks), pure=False)
            task_of = dict(zip(futures, tasks))
            for future in dask_completed(futures):
                yield _result(future, task_of[future])
    finally:
        if cluster is not None:
            cluster.close()


def _result(future, task: Task) -> dict:
    """The task's record, or a failure record if its worker died."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, KilledWorker, lost connection…
        return {"source": task.source, "source_sha256": task.digest, "typeset": task.version,
                "outputs": [], "pages": 0, "status": "failed", "seconds": 0.0,
                "message": f"the worker running it stopped: {type(exc).__name__}: {exc}"}
