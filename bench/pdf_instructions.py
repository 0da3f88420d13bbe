"""Count the instructions one PDF takes, as guidegen renders it and as the floor does (callgrind).

Usage: python bench/pdf_instructions.py PROJECT [JOB ...]   (job numbers; default the first)

Wall time per PDF on a shared machine varies by a third within minutes, more than the differences
worth measuring; the number of instructions a render executes does not (two runs of the same
render agree within 0.3 %). For each job this prepares the PDF jobs once (as bench/pdf_floor.py
does), then runs, under valgrind's callgrind with instrumentation off, a process that renders the
job once to warm up and once more with instrumentation on: once as guidegen renders it
(`PdfJob.run()`) and once as the floor with guidegen's fonts (see pdf_floor.py). It prints one
JSON line per job: both counts and their ratio. Needs valgrind (callgrind_control) on PATH; about
50 times slower than the render itself.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MODES = ("guidegen", "floor_fonts")


def render_once(jobs_file: str, mode: str, index: int) -> None:
    """In the child: warm up, then render the job again with callgrind's instrumentation on."""
    import logging

    sys.path.insert(0, str(BENCH))
    import pdf_floor

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if mode == "floor_fonts":
        from guidegen.pdf import install_font_hooks

        install_font_hooks()
    jobs, css = pickle.loads(Path(jobs_file).read_bytes())
    render = pdf_floor.render_plans(jobs[index], css, mode)[-1][1]
    render()
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)
    render()
    subprocess.run([*control, "off", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)


def count(jobs_file: Path, mode: str, index: int, scratch: Path) -> int:
    """Return the instructions callgrind counted for one warm render of the job."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={scratch / f'{mode}-{index}.out'}",
        sys.executable,
        __file__,
        "--child",
        str(jobs_file),
        mode,
        str(index),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found[1])


def main() -> None:
    """Prepare PROJECT's PDF jobs, then count each asked-for job both ways."""
    if sys.argv[1] == "--child":
        render_once(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    sys.path.insert(0, str(BENCH))
    import pdf_floor

    root = Path(sys.argv[1])
    indexes = [int(arg) for arg in sys.argv[2:]] or [0]
    jobs = pdf_floor.prepare_jobs(root)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        jobs_file = scratch / "jobs.pickle"
        jobs_file.write_bytes(pickle.dumps((jobs, pdf_floor.minimal_css(root))))
        for index in indexes:
            counts = {mode: count(jobs_file, mode, index, scratch) for mode in MODES}
            row = {"job": index, "path": jobs[index].path, **counts}
            row["ratio"] = counts["guidegen"] / counts["floor_fonts"]
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
