"""The crew of worker processes that check and then render each guide."""

from __future__ import annotations

import os
import random
import signal
import time
from functools import partial

import pytest

from guidegen import heap
from guidegen.commands.build import BuildOptions, build
from guidegen.errors import ContentError
from guidegen.workers import Crew, WorkerDied

from .conftest import tiny_guide_copies

_LEARNT: dict[str, int] = {}  # what a worker process remembers between rounds


def _pid_and_memory(extra: int, key: str) -> tuple[int, str, int | None]:
    time.sleep(0.005)  # items that take time: both workers get about as many
    return os.getpid(), key, (_LEARNT[key] + extra) if key in _LEARNT else None


def _fail(item: str) -> str:
    if item == "bad":
        raise ContentError("guides/bad.yaml:3:1: error: broken (fix it)")
    return item


def test_a_later_round_goes_to_the_worker_that_did_the_same_key_and_keeps_its_memory():
    items = [f"guide-{n}" for n in range(40)]

    def learn(key: str) -> tuple[int, str]:  # the first round's function is inherited
        time.sleep(0.005)
        _LEARNT[key] = len(key)
        return os.getpid(), key

    with Crew(2) as crew:
        first = list(crew.map(learn, items, key=lambda item: item))
        shuffled = random.Random(15).sample(items, len(items))  # not the first round's order
        second = list(crew.map(partial(_pid_and_memory, 1), shuffled, key=lambda item: item))
    assert [key for _, key in first] == items and [key for _, key, _ in second] == shuffled
    workers = {pid for pid, _ in first}
    assert len(workers) == 2 and os.getpid() not in workers
    did = dict((key, pid) for pid, key in first)
    at_home = [key for pid, key, memory in second if pid == did[key]]
    # at random, half would be; another worker takes an item only when its own are done
    assert len(at_home) >= 0.8 * len(items), f"{len(at_home)} of {len(items)} at home"
    for pid, key, memory in second:  # a worker remembers only what it did itself
        assert memory == (len(key) + 1 if pid == did[key] else None)
    assert not _LEARNT, "nothing ran in this process"


def _runs_of(indices: list[int]) -> int:
    """Return how many runs of consecutive numbers indices (sorted) make."""
    return sum(1 for n, index in enumerate(indices) if n == 0 or indices[n - 1] != index - 1)


def test_unordered_each_worker_takes_a_run_of_neighbouring_items_and_every_result_comes_once():
    items = list(range(48))

    def which(item: int) -> tuple[int, int]:
        time.sleep(0.005)
        return os.getpid(), item

    with Crew(2) as crew:
        results = list(crew.map(which, items, key=lambda item: item, ordered=False))
        again = list(crew.map(partial(_pid_and_memory, 0), [str(i) for i in items]))
    assert sorted(item for _, item in results) == items  # each once, whatever the order
    done: dict[int, list[int]] = {}
    for pid, item in results:
        done.setdefault(pid, []).append(item)
    assert len(done) == 2 and os.getpid() not in done
    for pid, mine in done.items():
        # its own run, and at most a few items taken from the far end of the other's
        assert _runs_of(sorted(mine)) <= 2, f"worker {pid} did {sorted(mine)}"
    # in order (the default), the free worker takes the next item: the items interleave
    assert [key for _, key, _ in again] == [str(i) for i in items]
    interleaved = {pid: [int(key) for p, key, _ in again if p == pid] for pid, _, _ in again}
    assert max(_runs_of(mine) for mine in interleaved.values()) > 2


def test_one_worker_runs_every_round_in_this_process():
    with Crew(1) as crew:
        assert list(crew.map(lambda item: (os.getpid(), item), ["a", "b"])) == [
            (os.getpid(), "a"),
            (os.getpid(), "b"),
        ]
        assert not crew.forked


def test_an_error_in_a_worker_is_raised_here_as_it_is():
    with Crew(2) as crew:
        with pytest.raises(ContentError, match="guides/bad.yaml:3:1"):
            list(crew.map(_fail, ["a", "b", "bad", "c"]))
        assert not crew.forked, "a failed round stops the workers"
        assert list(crew.map(_fail, ["a", "b"])) == ["a", "b"]  # and a new round forks again


def test_a_worker_killed_mid_round_is_reported_not_waited_for():
    def die(item: str) -> str:
        if item == "last":
            os.kill(os.getpid(), signal.SIGKILL)
        return item

    with Crew(2) as crew, pytest.raises(WorkerDied, match="exit code -9"):
        list(crew.map(die, ["a", "b", "c", "last"]))


_KEPT: list[bytes] = []  # what a worker keeps of its pieces: the freed ones are holes between


def _resident(item: str) -> tuple[int, int]:
    with open("/proc/self/statm") as statm:
        return os.getpid(), int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _churn(item: str) -> tuple[int, int]:
    """Allocate 80 MB in pieces malloc keeps in its heap (under its mmap threshold), keep one
    in a hundred (0.8 MB) and free the rest: holes that the heap's top cannot give back."""
    pieces = [bytes([n % 251]) * 20_000 for n in range(4_000)]
    _KEPT.extend(pieces[::100])
    held = _resident(item)
    del pieces
    return held


@pytest.mark.skipif(
    not os.path.exists("/proc/self/statm") or heap._malloc_trim() is None,
    reason="the memory given back is measured on Linux with glibc",
)
def test_a_worker_gives_the_memory_its_items_freed_back_before_the_next_items():
    """A page worker's heap otherwise keeps its largest moment for the whole build (glibc
    returns freed memory only from the top of its heap). Fails with give_back() not called."""
    items = ["a", "b"]
    with Crew(2) as crew:
        before = dict(crew.map(_resident, items, key=lambda item: item))
        during = dict(crew.map(_churn, items, key=lambda item: item))
        after = dict(crew.map(_resident, items, key=lambda item: item))
    for pid in during:
        grew, kept = during[pid] - before[pid], after[pid] - before[pid]
        assert grew > 60_000_000, f"the churn took {grew} bytes"
        assert kept < grew / 4, f"worker {pid} still holds {kept} of the {grew} bytes it freed"


def test_a_cache_records_what_a_worker_adds_without_walking_what_it_inherited():
    """What a worker learnt is collected as it is added: the entries it inherited are never
    iterated (copying them for every guide took time quadratic in the guides). Fails if
    recording copies or walks the existing tables."""
    from guidegen.cache import BuildCache

    class Untouchable(dict):
        def __iter__(self):
            raise AssertionError("an inherited table was walked")

        keys = values = items = copy = __iter__

    cache = BuildCache(checks=Untouchable({"old": [{"a": 1}]}), labels=Untouchable({"l": 1}))
    with cache.recording() as added:
        assert "old" in cache.checks and cache.checks["old"] == [{"a": 1}]
        cache.checks["new"] = []
        cache.labels["l"] = 2  # replaced: what the worker learnt too
        cache.coverage["c"] = [1, 2]
    assert dict(added.checks) == {"new": []}
    assert dict(added.labels) == {"l": 2} and dict(added.coverage) == {"c": [1, 2]}
    assert type(cache.checks) is Untouchable and dict.__getitem__(cache.checks, "new") == []
    assert dict.__getitem__(cache.labels, "l") == 2


_PREPARED: list[int] = []  # which process ran the crew's preparation


def _prepared(item: str) -> tuple[int, list[int]]:
    return os.getpid(), list(_PREPARED)


def test_what_runs_before_the_fork_runs_once_here_and_the_workers_inherit_it():
    _PREPARED.clear()
    with Crew(2) as crew:
        crew.before_fork(lambda: _PREPARED.append(os.getpid()))
        answers = list(crew.map(_prepared, ["a", "b", "c", "d"]))
        crew.before_fork(lambda: _PREPARED.append(-1))  # forked already: never runs
        answers += list(crew.map(_prepared, ["e", "f"]))
    assert {pid for pid, _ in answers} - {os.getpid()}, "the items ran in workers"
    assert all(seen == [os.getpid()] for _, seen in answers)
    assert _PREPARED == [os.getpid()]
    _PREPARED.clear()
    with Crew(1) as crew:  # no workers: nothing to prepare for
        crew.before_fork(lambda: _PREPARED.append(os.getpid()))
        assert list(crew.map(_prepared, ["a", "b"])) == [(os.getpid(), [])] * 2
    assert not _PREPARED


def _locale_data_loaded(_item: str) -> list[str]:
    from babel import localedata

    return sorted(localedata._cache)  # Babel's cache of loaded CLDR data, as this worker has it


def test_page_workers_inherit_babels_locale_data_instead_of_each_loading_its_own(
    tmp_project, tmp_path
):
    """A build loads the CLDR data its pages read (dates, names) once, just before forking
    the workers that check and render the guides; a worker that has it already when the
    render round starts loads none of its own."""
    from babel import localedata

    from guidegen.cache import BuildCache
    from guidegen.commands.build import BuildOptions, BuildResult
    from guidegen.commands.build_stages import Build, load_and_validate, running
    from guidegen.formats import select
    from guidegen.problems import Report

    root = tmp_project()
    options = BuildOptions(project=root, out=tmp_path / "out", formats=("html",), jobs=2)
    state = Build(options, BuildResult(Report(root)), BuildCache(), select(("html",)))
    localedata._cache.clear()  # what earlier tests loaded in this process is not inherited
    with running(state), Crew(2) as crew:
        load_and_validate(state, crew)  # checks the guides in the workers it forks
        assert crew.forked
        in_workers = list(crew.map(_locale_data_loaded, ["a", "b", "c", "d"]))
    assert {"en", "zh", "zh_Hans"} <= set(_locale_data_loaded("here"))
    assert all({"en", "zh", "zh_Hans"} <= set(loaded) for loaded in in_workers)


def test_the_page_workers_have_ended_before_the_indexes_are_made(tmp_project, monkeypatch):
    """The locales' indexes list every guide and are made in the build process: the idle
    workers must not hold their memory meanwhile (at 10,000 documents that was the peak)."""
    import multiprocessing

    from guidegen.commands import build_stages

    root = tmp_project(tiny_guide_copies(3))
    alive: list[int] = []
    forked: list[int] = []
    real_index, real_fork = build_stages.render_locale_index, build_stages.Crew._fork

    def index(*args):
        alive.append(len(multiprocessing.active_children()))
        return real_index(*args)

    def fork(crew, *args):
        real_fork(crew, *args)
        forked.append(len(multiprocessing.active_children()))

    monkeypatch.setattr(build_stages, "render_locale_index", index)
    monkeypatch.setattr(build_stages.Crew, "_fork", fork)
    build(BuildOptions(project=root, out=root / "build", formats=("html",), jobs=2))
    assert forked == [2]  # the workers did check and render the guides
    assert alive == [0, 0]  # en and zh-Hans: made once the workers had ended
