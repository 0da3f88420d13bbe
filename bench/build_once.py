"""Run one guidegen build through its Python API and print what it did as one JSON line.

Usage: python bench/build_once.py PROJECT OUT '{"formats": ["html"], "jobs": 2}' [PROFILE]

With PROFILE, the build runs under cProfile and its statistics are written to that file.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    """Build PROJECT into OUT with the given BuildOptions fields; print times, outputs, memory."""
    started = time.perf_counter()
    from guidegen.commands.build import BuildOptions, build

    project, out, options = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    if "formats" in options:
        options["formats"] = tuple(options["formats"])
    imported = time.perf_counter()
    result = _run(build, BuildOptions(project=project, out=out, **options), sys.argv[4:])
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": finished - imported,
                "import_seconds": imported - started,
                "stages": result.stages,
                "written": result.written,
                "up_to_date": len(result.up_to_date),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "largest_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                / 1024,
            }
        )
    )


def _run(build, options, profile: list[str]):
    """Run the build, under cProfile when a statistics file is given."""
    if not profile:
        return build(options)
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(build, options)
    finally:
        profiler.dump_stats(profile[0])


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # as `guidegen build` ends: without freeing every object one by one
