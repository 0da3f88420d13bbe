"""Worker processes: the crew that checks and renders the guides (forked, kept for the whole
build) and the pool that renders PDFs (WeasyPrint imported once per worker). Every worker ends
with the build that started it, even when the build is killed with SIGKILL."""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from .collector import usual_collections
from .formats import Job
from .formats.base import Rendered
from .heap import give_back

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
_MOST_PER_CHUNK = 4


def _warm_up(parent: int) -> None:
    _end_with_parent(parent)
    usual_collections()  # WeasyPrint's layouts are cycles (see collector.py)
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
    return sorted(jobs, key=lambda job: len(getattr(job, "packed_html", b"")), reverse=True)


_FORKED: Callable | None = None  # the first round's function (inherited at the fork)
_IN_FLIGHT = 2  # messages a worker has at once: one to work on, the next on its way


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, or out of memory)."""


class Crew:
    """Worker processes forked from this one that stay for every round of one build.

    A worker keeps what it learnt in one round (the catalogs it parsed while checking a guide)
    for the next (rendering that guide): an item of a later round goes to the worker that did
    the item with the same key before, and to another one only when that one has nothing left.
    Which worker does an item never changes the result, only the time.

    The workers are forked at the first round that needs them (with more than one item), so
    they have everything this process has loaded by then; that round's function is inherited.
    Later rounds' functions are pickled, so they must be importable (a module's function, or a
    functools.partial of one with picklable arguments). Items and results travel by pickle.
    With one worker, or without fork (Windows), every round runs in this process.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._connections: list = []
        self._processes: list = []
        self._home: dict = {}  # item key -> the worker that did it
        self._before_fork: list[Callable[[], None]] = []

    def before_fork(self, function: Callable[[], None]) -> None:
        """Run function in this process just before the workers are forked, if they are not
        yet: what it loads (read-only tables) is then shared by the workers, not made by each."""
        if not self.forked:
            self._before_fork.append(function)

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind, *exc_info) -> None:
        self.close(at_once=kind is not None)

    @property
    def forked(self) -> bool:
        return bool(self._processes)

    def map(
        self, function: Callable, items: list, key: Callable | None = None, ordered: bool = True
    ) -> Iterator:
        """Yield function(item) for each item, in order (ordered=False: as the workers finish
        them); an exception in a worker is raised here, as it would be without workers.

        Unordered, each worker takes a run of neighbouring items of its own (the next one
        when its run is done takes the far end of the longest run left): an item's objects,
        loaded next to its neighbours', share memory pages with them, so a worker that reads
        one run of items copies fewer of the pages it inherited. In order, the workers take
        the next item as they are free, so that no result waits long in this process."""
        alone = self.workers <= 1 or "fork" not in multiprocessing.get_all_start_methods()
        if alone or (not self.forked and len(items) <= 1):
            yield from (function(item) for item in items)
            return
        if self.forked:
            self._send_all(("round", function))
        else:
            self._fork(function, min(self.workers, len(items)))
        yield from self._dispatch(items, key or (lambda item: None), ordered)

    def close(self, at_once: bool = False) -> None:
        """Stop the workers: when they are done (at_once: now, after a failure)."""
        for connection in self._connections:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in self._processes:
            process.join(timeout=0 if at_once else 10)
            if process.is_alive():
                process.kill()
                process.join()
        self._connections, self._processes = [], []
        self._home.clear()  # what they remembered is gone with them

    def _fork(self, function: Callable, count: int) -> None:
        global _FORKED
        _FORKED = function
        context = multiprocessing.get_context("fork")
        for prepare in self._before_fork:
            prepare()
        gc.freeze()  # the workers' collector leaves inherited objects alone (fewer copied pages)
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, os.getpid()), daemon=True)
                process.start()
                theirs.close()
                self._connections.append(mine)
                self._processes.append(process)
        finally:
            _FORKED = None
            gc.unfreeze()

    def _send_all(self, message) -> None:
        for connection in self._connections:
            connection.send(message)

    def _dispatch(self, items: list, key: Callable, ordered: bool) -> Iterator:
        """Send items a few at a time to free workers, each preferring its own; yield results
        in order, or as they arrive."""
        count = len(self._connections)
        chunk = max(1, min(_MOST_PER_CHUNK, len(items) // (count * 8)))
        keys = [key(item) for item in items]
        queues: list[list[int]] = [[] for _ in range(count)]
        anyone: list[int] = []
        for index in reversed(range(len(items))):  # popped from the end: in order
            home = self._home.get(keys[index])
            (anyone if home is None else queues[home]).append(index)
        if not ordered:  # each worker a run of its own: its share of the items without a home
            for worker, run in enumerate(_runs(anyone[::-1], count)):
                queues[worker][:0] = run[::-1]  # popped from the end: after its own, in order
            anyone = []
        sent: dict[int, list[list[int]]] = {w: [] for w in range(count)}
        results: dict[int, object] = {}

        def give(worker: int) -> None:
            while len(sent[worker]) < _IN_FLIGHT:
                own = queues[worker] or anyone
                other = max(queues, key=len)  # nothing of its own left: take another's last
                if not own and not other:
                    return
                if own:
                    indices = [own.pop() for _ in range(min(chunk, len(own)))]
                else:
                    indices = [other.pop(0) for _ in range(min(chunk, len(other)))]
                for index in indices:
                    self._home[keys[index]] = worker
                self._connections[worker].send(("items", [items[i] for i in indices]))
                sent[worker].append(indices)

        try:
            for worker in range(count):
                give(worker)
            yield from self._collect(len(items), sent, results, give, ordered)
        except BaseException:  # a failure, or the caller stopped reading: the round is lost
            self.close(at_once=True)
            raise

    def _collect(
        self, total: int, sent: dict, results: dict, give: Callable, ordered: bool
    ) -> Iterator:
        following = 0  # results yielded
        while following < total:
            busy = [self._connections[w] for w in sent if sent[w]]
            for connection in multiprocessing.connection.wait(busy):
                worker = self._connections.index(connection)
                answer = _receive(connection, self._processes[worker])
                indices = sent[worker].pop(0)
                if answer[0] == "failed":
                    raise answer[1]
                give(worker)
                if not ordered:
                    yield from answer[1]
                    following += len(indices)
                    continue
                results.update(zip(indices, answer[1], strict=True))
                while following in results:
                    yield results.pop(following)
                    following += 1


def _runs(indices: list[int], count: int) -> list[list[int]]:
    """Return indices cut into count runs of neighbours, as long as each other (±1)."""
    size, extra = divmod(len(indices), count)
    starts = [n * size + min(n, extra) for n in range(count + 1)]
    return [indices[starts[n] : starts[n + 1]] for n in range(count)]


def _receive(connection, process):
    try:
        return connection.recv()
    except (EOFError, OSError):
        process.join(timeout=1)
        raise WorkerDied(
            f"a worker process ended without answering (exit code {process.exitcode})"
        ) from None


def _serve(connection, parent: int) -> None:
    """Run in a forked worker: do each message's items with the round's function."""
    _end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build stops its workers itself
    function = _FORKED
    assert function is not None, "forked by Crew._fork, which sets it"
    answer: tuple[str, object]
    while (message := connection.recv()) is not None:
        kind, payload = message
        if kind == "round":
            function = payload
            continue
        try:
            answer = ("done", [function(item) for item in payload])
        except BaseException as exc:  # raised again in the build process
            answer = ("failed", _picklable(exc))
        connection.send(answer)
        del answer  # what the items made is freed: give it back before the next items
        give_back()


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
