"""Run a benchmark step in a fresh Python process and measure it: wall time and memory.

Memory is measured three ways. The process itself reports its peak RSS (ru_maxrss) and that of its
largest child (RUSAGE_CHILDREN: the kernel keeps the largest child's, not a sum). Meanwhile a
thread here samples the whole process tree every SAMPLE_SECONDS from /proc: the peak of the summed
RSS of all processes alive at once, the same for their PSS (a page shared by n processes, as a
forked worker shares its parent's, counted 1/n in each: the memory the tree takes from the
machine), and the sum of each process's own peak (VmHWM). The machine
may be shared: the CPU time other processes used during a run (all CPU time in /proc/stat minus
this process tree's) is kept with it, as a share of the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SAMPLE_SECONDS = 0.1
QUIET_SHARE = 0.25  # a machine is quiet when other processes use less than this share of it
quiet_wait = 0.0  # seconds each run may wait for a quiet machine (run.py's --quiet-wait)


@dataclass
class Run:
    """What one fresh process did: its wall time, the JSON it printed, the memory of its tree."""

    wall: float
    data: dict
    tree_peak_mb: float = 0.0  # summed RSS of every process alive at the same moment, at its peak
    tree_pss_peak_mb: float = 0.0  # the same for PSS: pages shared between them counted once
    tree_hwm_sum_mb: float = 0.0  # each process's own peak RSS, summed over the tree
    root_hwm_mb: float = 0.0  # the process's own peak RSS, as sampled
    processes: int = 0
    output: str = ""  # what it printed (stdout)
    load: float = 0.0  # the machine's 1-minute load average when it started
    others_cpu: float = 0.0  # share of all CPUs that other processes used meanwhile (0 to 1)
    waited: float = 0.0  # seconds waited for a quiet machine before starting
    code: str = ""  # fingerprint of the guidegen code and templates it started with


def wait_until_quiet(longest: float) -> float:
    """Wait (up to `longest` seconds) until other processes leave the CPUs mostly idle.

    Return the seconds waited. The machine may be shared with other people's builds and tests.
    """
    started = time.perf_counter()
    while time.perf_counter() - started < longest:
        busy, ours, before = _busy_seconds(), _our_cpu_seconds(), time.perf_counter()
        time.sleep(1.0)
        used = (_busy_seconds() - busy) - (_our_cpu_seconds() - ours)
        if used / ((time.perf_counter() - before) * (os.cpu_count() or 1)) < QUIET_SHARE:
            break
    return time.perf_counter() - started


def run_python(args: list[str], expect_json: bool = True) -> Run:
    """Run `python args...` with this checkout's guidegen importable; return what it measured.

    First wait up to `quiet_wait` seconds for the machine to be quiet.
    """
    waited = wait_until_quiet(quiet_wait) if quiet_wait else 0.0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(BENCH)])}
    load, code = os.getloadavg()[0], code_fingerprint()
    busy, ours = _busy_seconds(), _our_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    others = (_busy_seconds() - busy) - (_our_cpu_seconds() - ours)
    if process.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}):\n{err[-4000:]}")
    data = json.loads(out.strip().splitlines()[-1]) if expect_json else {}
    return Run(
        wall,
        data,
        tree_peak_mb=sampler.peak_kb / 1024,
        tree_pss_peak_mb=sampler.pss_peak_kb / 1024,
        tree_hwm_sum_mb=sum(sampler.hwm_kb.values()) / 1024,
        root_hwm_mb=sampler.hwm_kb.get(process.pid, 0) / 1024,
        processes=len(sampler.hwm_kb),
        output=out,
        load=load,
        others_cpu=max(0.0, others) / (wall * (os.cpu_count() or 1)),
        waited=waited,
        code=code,
    )


def run_alternating(
    commands: dict[str, list[str]], requests: Callable[[dict], list[str]]
) -> tuple[dict, list]:
    """Start one fresh process per command, then send each request to each in turn.

    Each process prints one JSON line when ready, then one JSON line per request line it reads;
    requests(ready line of the first process) gives the requests.
    Alternating request by request spreads the machine's noise evenly over the processes.
    Return each process's Run (data: its ready line) and, per request, the answers by name.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(BENCH)])}
    load, code = os.getloadavg()[0], code_fingerprint()
    busy, ours, started = _busy_seconds(), _our_cpu_seconds(), time.perf_counter()
    workers = {name: _Worker.start(command, env) for name, command in commands.items()}
    ready = {name: worker.answer() for name, worker in workers.items()}
    first = ready[next(iter(commands))]
    answers = [
        {name: worker.ask(request) for name, worker in workers.items()}
        for request in requests(first)
    ]
    walls = {name: worker.close() for name, worker in workers.items()}
    window = time.perf_counter() - started
    others = (_busy_seconds() - busy) - (_our_cpu_seconds() - ours)
    share = max(0.0, others) / (window * (os.cpu_count() or 1))
    runs = {
        name: workers[name].run(walls[name], ready[name], load=load, code=code, others_cpu=share)
        for name in workers
    }
    return runs, answers


@dataclass
class _Worker:
    """A long-lived benchmark process that answers one JSON line per request line."""

    process: subprocess.Popen
    sampler: TreeSampler
    errors: Any
    started: float

    @classmethod
    def start(cls, command: list[str], env: dict) -> _Worker:
        errors = tempfile.TemporaryFile("w+")
        process = subprocess.Popen(
            [sys.executable, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        return cls(process, sampler, errors, time.perf_counter())

    def answer(self) -> dict:
        """Read the process's next JSON line."""
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.errors.seek(0)
            raise RuntimeError(f"{self.process.args} failed:\n{self.errors.read()[-4000:]}")
        return json.loads(line)

    def ask(self, request: str) -> dict:
        """Send one request line and return the answer."""
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> float:
        """End the process (its input ends); return its wall time."""
        self.process.stdin.close()
        self.process.wait()
        self.sampler.stop()
        return time.perf_counter() - self.started

    def run(self, wall: float, data: dict, **measures) -> Run:
        hwm = self.sampler.hwm_kb
        return Run(
            wall,
            data,
            tree_peak_mb=self.sampler.peak_kb / 1024,
            tree_pss_peak_mb=self.sampler.pss_peak_kb / 1024,
            tree_hwm_sum_mb=sum(hwm.values()) / 1024,
            root_hwm_mb=hwm.get(self.process.pid, 0) / 1024,
            processes=len(hwm),
            **measures,
        )


def code_fingerprint() -> str:
    """Return a short hash of the checkout's guidegen package and built-in templates.

    Other people may edit the checkout while the benchmark runs; runs with different
    fingerprints measured different code.
    """
    digest = hashlib.sha256()
    for folder in (REPO / "guidegen", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".txt"):
                digest.update(path.relative_to(REPO).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _busy_seconds() -> float:
    """Return the CPU time every process of the machine has used since boot (/proc/stat)."""
    try:
        with open("/proc/stat") as stream:
            fields = [int(v) for v in stream.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _our_cpu_seconds() -> float:
    """Return the CPU time of this process and of its finished children (and theirs)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass
class TreeSampler:
    """Sample the RSS of a process and all its descendants until stopped."""

    root: int
    peak_kb: int = 0
    pss_peak_kb: int = 0
    hwm_kb: dict[int, int] = field(default_factory=dict)
    _done: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        """Start sampling in a background thread."""
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while not self._done.is_set():
            total = pss = 0
            for pid in _tree(self.root):
                rss, hwm = _memory_kb(pid)
                total += rss
                pss += _pss_kb(pid)
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), hwm)
            self.peak_kb = max(self.peak_kb, total)
            self.pss_peak_kb = max(self.pss_peak_kb, pss)
            self._done.wait(SAMPLE_SECONDS)


def _tree(pid: int) -> list[int]:
    """Return pid and its descendants (Linux /proc/<pid>/task/<tid>/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    todo += [int(child) for child in stream.read().split()]
            except OSError:
                continue
    return found


def _pss_kb(pid: int) -> int:
    """Return the PSS of a process in kB, 0 once it has gone."""
    return _fields_kb(f"/proc/{pid}/smaps_rollup", ("Pss",))["Pss"]


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return (VmRSS, VmHWM) of a process in kB, (0, 0) once it has gone."""
    values = _fields_kb(f"/proc/{pid}/status", ("VmRSS", "VmHWM"))
    return values["VmRSS"], values["VmHWM"]


def _fields_kb(path: str, names: tuple[str, ...]) -> dict[str, int]:
    """Return the named 'Name: value kB' lines of a /proc file (0 for any it lacks)."""
    values = dict.fromkeys(names, 0)
    try:
        with open(path) as stream:
            for line in stream:
                name, _, rest = line.partition(":")
                if name in values:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values
