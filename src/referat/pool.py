"""Work that is independent per meeting or per archived version, on every core: a process pool (issue 28).

`run(fn, items, jobs)` is `[fn(item) for item in items]`: the same results in the same order, the first error (in the
items' order) raised as it would be in one process, and the progress line stepped as the results are taken in
order. With `jobs` > 1 and more than one item, the items are worked on in `jobs` processes; `fn` must be a function
of a module (or a `functools.partial` of one) and the items and results must pickle. A `ReferatError` raised in a
process arrives whole, with its report (see `diagnostics.ReferatError.__reduce__`).

The processes are started by a fork server (a clean process, then forked; `spawn` where there is none): a plain
fork of this process would copy the thread pool of the Typst engine without its threads, and a compile in the child
would wait forever. Each process takes this one's environment and working folder when it starts, ignores Ctrl+C
(this process stops them: nothing is written by a process), and prints nothing.

How many: `--jobs N` where a command has it, else `REFERAT_JOBS`, else the number of cores.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from .progress import Progress

if TYPE_CHECKING:  # the process pool's modules load only when work is shared out (`run`, `jobs` > 1)
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


def jobs_setting() -> int | None:
    """`REFERAT_JOBS` when it names a number of jobs (1 or more), else None."""
    value = os.environ.get("REFERAT_JOBS", "").strip()
    return int(value) if value.isdigit() and int(value) >= 1 else None


def workers(requested: int | None = None) -> int:
    """`requested` (a command's `--jobs`), else `REFERAT_JOBS`, else the number of cores; at least 1."""
    if requested is not None and requested >= 1:
        return requested
    return jobs_setting() or max(1, os.cpu_count() or 1)


def run(fn: Callable[[T], R], items: Iterable[T], jobs: int, shown: Progress | None = None,
        describe: Callable[[T], str] = lambda _: "") -> list[R]:
    """`[fn(item) for item in items]`, in `jobs` processes when there is more than one item (see the module)."""
    todo = list(items)
    if jobs <= 1 or len(todo) <= 1:
        out = []
        for item in todo:
            if shown is not None:
                shown.step(describe(item))
            out.append(fn(item))
        return out
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=_context(), initializer=_start,
                               initargs=(dict(os.environ), os.getcwd()))
    futures: list[Future[R]] = []
    try:
        futures = [pool.submit(fn, item) for item in todo]
        results = []
        for item, future in zip(todo, futures, strict=True):
            if shown is not None:
                shown.step(describe(item))
            results.append(future.result())
    except BaseException:
        for future in futures:
            future.cancel()
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods and sys.platform != "darwin"
                                       else "spawn")


def _start(environ: dict[str, str], cwd: str) -> None:
    """In each process: this command's environment and working folder (a fork server started by an earlier command
    in the same process, as in the tests, has its own); Ctrl+C is the parent's to handle, SIGTERM ends it."""
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the processes at once (an error or Ctrl+C in this process): what they were doing is not needed."""
    processes = list(getattr(pool, "_processes", {}).values())  # the executor has no public way to stop them
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
