"""A build killed at any moment leaves the previous complete site and a manifest that matches it."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from guidegen.commands.build import BuildOptions, build


def _site_state(out):
    manifest = json.loads((out / "manifest.json").read_text())["files"]
    on_disk = {
        p.relative_to(out / "site").as_posix(): p.read_bytes()
        for p in (out / "site").rglob("*")
        if p.is_file()
    }
    assert sorted(on_disk) == [row["path"] for row in manifest], "manifest lists exactly the files"
    for row in manifest:
        assert hashlib.sha256(on_disk[row["path"]]).hexdigest() == row["sha256"], row["path"]
    return on_disk


@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5])
def test_killed_build_leaves_previous_outputs_and_consistent_manifest(tmp_project, delay):
    root = tmp_project()
    out = root / "build"
    build(BuildOptions(project=root, out=out, jobs=1))
    before = _site_state(out)

    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(
        guide.read_text().replace("Leaving the list", "Leaving the list (2nd edition)")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "guidegen", "build", "--project", str(root), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "GUIDEGEN_TODAY": "2026-11-25"},
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    after = _site_state(out)
    if after != before:  # the build had finished: then it is the whole new site
        assert all(b"2nd edition" in after[p] for p in after if p.endswith("leave-list/index.html"))
    # the next build repairs nothing by hand and completes
    build(BuildOptions(project=root, out=out, jobs=1))
    final = _site_state(out)
    assert b"2nd edition" in final["en/leave-list/index.html"]


def test_pdf_workers_end_when_the_build_is_killed(tmp_project):
    """SIGKILL of the build process takes its PDF workers with it (no 130 MB orphans)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = tmp_project()
    build = subprocess.Popen(
        [sys.executable, "-m", "guidegen", "build", "--project", str(root), "-j", "2"],
        env={**os.environ, "GUIDEGEN_TODAY": "2026-11-25"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline:
        task = Path(f"/proc/{build.pid}/task/{build.pid}/children")
        children = [int(c) for c in task.read_text().split()] if task.exists() else []
        time.sleep(0.05)
    assert children, "the build started no worker"
    time.sleep(0.5)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if Path(f"/proc/{c}").exists() and "Z" not in _state(c)]
        time.sleep(0.1)
    assert not alive, f"workers still running after the build was killed: {alive}"


def _state(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
