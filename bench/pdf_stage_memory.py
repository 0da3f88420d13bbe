"""The build process as the PDF stage starts: every PDF job of the site prepared, none rendered.

Usage: python bench/pdf_stage_memory.py PROJECT JOBS

Builds PROJECT with both PDF formats at -j JOBS up to the PDF stage (the HTML stages write into a
scratch folder), then prints one JSON line: how many PDF jobs the build process holds, its resident
memory then and at its peak, what the jobs weigh pickled, and how long the stages took. A build
holds every PDF job until the PDF stage, so this is where its memory with PDFs peaks.
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
import time
from pathlib import Path


def resident_mb() -> tuple[float, float]:
    """Return this process's resident memory now and at its peak (MB)."""
    status = Path("/proc/self/status").read_text()
    now, peak = (int(status.split(f"{key}:")[1].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))
    return now, peak


def main() -> None:
    """Prepare every PDF job of the project, measure, print one JSON line."""
    from guidegen.commands.build import BuildOptions
    from guidegen.commands.build_stages import heavy_jobs

    root, jobs = Path(sys.argv[1]), int(sys.argv[2])
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        options = BuildOptions(project=root, out=out, formats=("pdf", "large-pdf"), jobs=jobs)
        started = time.perf_counter()
        heavy = heavy_jobs(options)
        seconds = time.perf_counter() - started
        now, peak = resident_mb()
        pickled = sum(len(pickle.dumps(job)) for job, _ in heavy)
    print(
        json.dumps(
            {
                "jobs": len(heavy),
                "rss_mb": now,
                "peak_mb": peak,
                "pickled_mb": pickled / 1e6,
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
