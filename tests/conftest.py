"""Shared fixtures: a tiny project copied into a temporary folder, and built sites."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from guidegen.commands.build import BuildOptions, build

# Review dates are measured against a fixed day, so tests do not change with the calendar.
os.environ["GUIDEGEN_TODAY"] = "2026-11-25"

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def tmp_project(tmp_path):
    """Return a function that copies the tiny project to tmp_path, writes extra files, returns it."""

    def make(files: dict[str, str] | None = None, remove: tuple[str, ...] = ()) -> Path:
        root = tmp_path / "project"
        shutil.copytree(FIXTURES / "tiny", root)
        for name in remove:
            (root / name).unlink()
        for name, text in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


def tiny_guide_copies(count: int, related: dict[int, str] | None = None) -> dict[str, str]:
    """Return the files of `count` copies of the tiny guide, leave-list-0, leave-list-1, ...
    (its YAML, zh-Hans catalog and template), for tmp_project; related maps a copy's number to
    the one guide it lists as related."""
    content = FIXTURES / "tiny" / "content"
    files = {}
    for rel in (
        "guides/leave-list.yaml",
        "locales/zh-Hans/guides/leave-list.po",
        "locales/templates/guides/leave-list.pot",
    ):
        for n in range(count):
            text = (
                (content / rel).read_text(encoding="utf-8").replace("leave-list", f"leave-list-{n}")
            )
            if rel.endswith(".yaml") and n in (related or {}):
                text = text.replace("related: []", f"related: [{(related or {})[n]}]")
            files[f"content/{rel.replace('leave-list', f'leave-list-{n}')}"] = text
    return files


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory) -> Path:
    """Build the tiny project once (HTML and PDF) and return its output folder."""
    root = tmp_path_factory.mktemp("tiny") / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    out = root / "build"
    build(BuildOptions(project=root, out=out, jobs=2))
    return out


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory) -> Path:
    """Build the bundled guides of the repository once and return the output folder."""
    out = tmp_path_factory.mktemp("bundled") / "build"
    build(BuildOptions(project=REPO, out=out, jobs=2))
    return out
