"""Worker processes for heavy jobs (PDFs): WeasyPrint is imported once per worker, and a worker
ends with the build that started it, even when the build is killed with SIGKILL."""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from .formats import Job
from .formats.base import Rendered

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
_MOST_PER_CHUNK = 4


def _warm_up(parent: int) -> None:
    _end_with_parent(parent)
    import weasyprint  # noqa: F401  (imported once per worker, not once per document)

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _end_with_parent(parent: int) -> None:
    """Make this worker die when the build process does (Linux: the kernel tells us)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # other systems: notice that the parent is gone
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _run(job: Job) -> Rendered:
    return job.run()


def render_all(
    jobs: list[Job],
    workers: int,
    on_done: Callable[[Job, Rendered | None, BaseException | None], None],
) -> None:
    """Run jobs in worker processes (at least one), calling on_done for each result.

    Even at -j 1 the PDFs are rendered in a worker: WeasyPrint with CJK fonts loaded takes
    400 MB and more, which the build process then never holds.
    """
    if not jobs:
        return
    with ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(jobs))), initializer=_warm_up, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_run, job): job for job in _largest_first(jobs)}
        for future in as_completed(futures):
            job = futures[future]
            try:
                data = future.result()
            except Exception as exc:  # a failed render is reported per file, not as a traceback
                on_done(job, None, exc)
                continue
            on_done(job, data, None)


def _largest_first(jobs: Iterable[Job]) -> list[Job]:
    return sorted(jobs, key=lambda job: len(getattr(job, "html", "")), reverse=True)


_FORKED: Callable | None = None  # the function forked workers run (inherited, not pickled)


def map_forked(function: Callable, items: list, workers: int) -> list:
    """Return [function(item) for item in items], in forked worker processes when workers > 1."""
    return list(iter_forked(function, items, workers))


def iter_forked(function: Callable, items: list, workers: int) -> Iterator:
    """Yield function(item) for each item in order, in forked worker processes when workers > 1.

    The workers are forked from this process, so function may use everything it has loaded
    (the project, the parsed schema); items and results travel by pickle. An exception in a
    worker is raised here, as it would be without workers.
    """
    global _FORKED
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item) for item in items)  # Windows has no fork: one process
        return
    if _FORKED is not None:
        raise RuntimeError("iter_forked does not nest")
    _FORKED = function
    gc.freeze()  # the workers' collector leaves inherited objects alone (fewer copied pages)
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(items)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            # a few items per message: enough to keep the workers busy, while each result (a
            # guide's parsed catalogs, its rendered pages) is pickled and read as it is done
            chunk = max(1, min(_MOST_PER_CHUNK, len(items) // (workers * 8)))
            yield from pool.map(_call_forked, items, chunksize=chunk)
    finally:
        _FORKED = None
        gc.unfreeze()


def _call_forked(item):
    return _FORKED(item)
