"""The benchmark's helper scripts still run against the build they measure (run as bench/run.py
runs them: a fresh process, this checkout first on PYTHONPATH)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import FIXTURES, REPO

BENCH = REPO / "bench"


def run_script(name: str, *args: str, stdin: str = "") -> list[dict]:
    """Run one bench script; return the JSON lines it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_pdf_floor_prepares_the_builds_jobs_and_times_both_sides(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    floor_ready, floor_row = run_script("pdf_floor.py", str(root), "floor", stdin="0\n")
    ours_ready, ours_row = run_script("pdf_floor.py", str(root), "guidegen", stdin="0\n")
    fonts_ready, fonts_row = run_script("pdf_floor.py", str(root), "floor_fonts", stdin="0\n")
    assert floor_ready["paths"] == ours_ready["paths"] == fonts_ready["paths"]
    assert "en/leave-list/leave-list.en.pdf" in floor_ready["paths"]
    assert "zh-Hans/leave-list/leave-list.zh-Hans.large.pdf" in floor_ready["paths"]
    assert "@page" in floor_ready["css"] and "overflow-wrap" not in floor_ready["css"]
    assert floor_row["path"] == ours_row["path"] == floor_ready["paths"][0]
    # The floor with guidegen's font hooks embeds the compact CJK subsets: a smaller file.
    assert fonts_row["floor_fonts_bytes"] < floor_row["floor_tagged_bytes"] - 50_000
    rows = (floor_row, ("floor_plain", "floor_tagged")), (fonts_row, ("floor_fonts",))
    for row, names in (*rows, (ours_row, ("guidegen",))):
        for name in names:
            assert row[name] > 0 and row[f"{name}_bytes"] > 10_000 and row[f"{name}_pages"] >= 1


@pytest.mark.skipif(shutil.which("callgrind_control") is None, reason="valgrind is not installed")
def test_pdf_instructions_counts_one_warm_render_each_way(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    (row,) = run_script("pdf_instructions.py", str(root), "0")
    assert row["path"] == "en/leave-list/leave-list.en.pdf"
    # One warm render of a two-page PDF: hundreds of millions of instructions, not the process's
    # start (billions) nor nothing (instrumentation never switched on).
    assert 10**8 < row["floor_fonts"] < row["guidegen"] < 2 * 10**9
    assert row["ratio"] == row["guidegen"] / row["floor_fonts"]


def test_pdf_stage_memory_counts_the_jobs_a_build_holds(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    (measured,) = run_script("pdf_stage_memory.py", str(root), "1")
    assert measured["jobs"] == 4  # one guide, two locales, two PDF formats
    assert 20 < measured["rss_mb"] <= measured["peak_mb"] < 1000
    assert 0 < measured["pickled_mb"] < 5 and measured["seconds"] > 0


def test_the_stage_table_shows_the_render_stage_beside_both_floors():
    """The strict floor (guidegen's own Markdown) and the issue's (Python-Markdown and nh3)."""
    code = """
import json, sys
sys.path.insert(0, sys.argv[1])
import run
from processes import Run
floors = {k: {"seconds": s, "items": 1} for k, s in [("yaml", 1), ("po_guidegen", 1),
    ("po_polib", 1), ("po_babel", 1), ("hash", 1), ("markdown_guidegen", 2), ("markdown_alone", 9),
    ("nh3_alone", 2), ("jinja", 0.5), ("write", 0.5)]}
cold = Run(10.0, {"jobs": 2, "seconds": 9.5, "stages": {"render HTML": 6.0}})
table = run.stage_tables(cold, floors)[0]
print(json.dumps({row[0]: [row[3], row[4]] for row in table.rows}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(BENCH)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout)
    assert rows["render HTML"] == [3.0, 2.0]
    assert rows["render HTML, beside the issue's floor"] == [12.0, 0.5]


def test_the_memory_of_a_process_tree_counts_pages_a_fork_shares_once_in_pss():
    """A parent fills 200 MB and forks a child that only waits: their RSS add up to twice that,
    their PSS to the 200 MB the pair takes from the machine."""
    code = """
import json, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from processes import run_python
child = (
    "import json, os, time\\n"
    "block = bytearray(200 * 1024 * 1024)\\n"
    "for i in range(0, len(block), 4096): block[i] = 1\\n"
    "if os.fork() == 0:\\n"
    "    time.sleep(1.5); os._exit(0)\\n"
    "os.wait()\\n"
    "print(json.dumps({}))\\n"
)
run = run_python(["-c", child])
print(json.dumps([run.tree_peak_mb, run.tree_pss_peak_mb, run.processes]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(BENCH)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rss, pss, processes = json.loads(done.stdout)
    assert processes == 2
    assert 390 < rss < 460 and 195 < pss < 240
