"""Run a benchmark step in a fresh Python process and measure it: wall time and memory.

Memory is measured three ways. The process itself reports its peak RSS (ru_maxrss) and that of its
largest child (RUSAGE_CHILDREN: the kernel keeps the largest child's, not a sum). Meanwhile a
thread here samples the whole process tree every SAMPLE_SECONDS from /proc: the peak of the summed
RSS of all processes alive at once, and the sum of each process's own peak (VmHWM). The machine
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
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

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
        tree_hwm_sum_mb=sum(sampler.hwm_kb.values()) / 1024,
        root_hwm_mb=sampler.hwm_kb.get(process.pid, 0) / 1024,
        processes=len(sampler.hwm_kb),
        output=out,
        load=load,
        others_cpu=max(0.0, others) / (wall * (os.cpu_count() or 1)),
        waited=waited,
        code=code,
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
            total = 0
            for pid in _tree(self.root):
                rss, hwm = _memory_kb(pid)
                total += rss
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), hwm)
            self.peak_kb = max(self.peak_kb, total)
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


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return (VmRSS, VmHWM) of a process in kB, (0, 0) once it has gone."""
    values = {"VmRSS": 0, "VmHWM": 0}
    try:
        with open(f"/proc/{pid}/status") as stream:
            for line in stream:
                name, _, rest = line.partition(":")
                if name in values:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values["VmRSS"], values["VmHWM"]
