"""Regenerate the golden HTML of the tiny test project, on purpose, after a deliberate change.

Usage: .venv/bin/python scripts/regen_golden.py   (then review `git diff tests/golden`)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["GUIDEGEN_TODAY"] = "2026-11-25"  # the same fixed day the tests use

from guidegen.commands.build import BuildOptions, build  # noqa: E402

GOLDEN = REPO / "tests" / "golden" / "tiny"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(REPO / "tests" / "fixtures" / "tiny", project)
        build(BuildOptions(project=project, out=project / "build"))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for page in sorted((project / "build" / "site").rglob("*.html")):
            target = GOLDEN / page.relative_to(project / "build" / "site")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
            print(target.relative_to(REPO))


if __name__ == "__main__":
    main()
