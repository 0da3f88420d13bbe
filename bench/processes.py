"""Run a benchmark step in a fresh Python process and measure it: wall time and memory.

Memory is measured three ways. The process itself reports its peak RSS (ru_maxrss) and that of its
largest child (RUSAGE_CHILDREN: the kernel keeps the largest child's, not a sum). Meanwhile a
thread here samples the whole process tree every SAMPLE_SECONDS from /proc: the peak of the summed
RSS of all processes alive at once, and the sum of each process's own peak (VmHWM).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SAMPLE_SECONDS = 0.1


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


def run_python(args: list[str], expect_json: bool = True) -> Run:
    """Run `python args...` with this checkout's guidegen importable; return what it measured."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(BENCH)])}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
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
    )


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
