"""The wheel, installed with its dependencies in a fresh virtual environment far from the checkout,
starts a project of its own that passes check --strict and builds (what another organisation does)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pikepdf
import pytest

from guidegen import __version__

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel, install it (and its dependencies) in a new venv; return the venv's bin."""
    work = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work, REPO, cwd=work)
    (wheel,) = work.glob("guidegen-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    _run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=work)
    return bin_dir


def test_installed_guidegen_runs_from_the_wheel_with_its_theme(installed, tmp_path):
    assert _run(installed / "guidegen", "--version", cwd=tmp_path).strip().endswith(__version__)
    where = _run(
        installed / "python",
        "-c",
        "import guidegen, guidegen.render as r; print(guidegen.__file__); print(r.BUILTIN_TEMPLATES)",
        cwd=tmp_path,
    ).split("\n")[:2]
    venv_root = installed.parent
    assert all(Path(p).is_relative_to(venv_root) for p in where), where
    assert (Path(where[1]) / "guide_pdf.html").is_file()


def test_new_project_checks_strict_and_builds_html_pdf_and_text(installed, tmp_path):
    guidegen = installed / "guidegen"
    _run(guidegen, "new", "our-guides", "--locale", "es", cwd=tmp_path)
    project = tmp_path / "our-guides"
    for name in (
        "guidegen.yaml",
        "README.md",
        "content/guides/ask-for-your-file.yaml",
        "content/locales/es/guides/ask-for-your-file.po",
        "content/locales/es/ui.po",
    ):
        assert (project / name).is_file(), name
    report = _run(guidegen, "check", "--strict", cwd=project)
    assert "0 error(s), 0 warning(s)" in report
    _run(guidegen, "build", cwd=project)
    site = project / "build" / "site" / "en" / "ask-for-your-file"
    assert "Ask the court for a copy of your case file" in (site / "index.html").read_text()
    assert (site / "ask-for-your-file.en.txt").is_file()
    for name in ("ask-for-your-file.en.pdf", "ask-for-your-file.en.large.pdf"):
        with pikepdf.open(site / name) as pdf:
            assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
            assert pdf.Root.AcroForm.Fields, "the letter is fillable"


def test_new_refuses_a_folder_that_is_not_empty(installed, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = subprocess.run(
        [str(installed / "guidegen"), "new", "taken"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "already exists and is not empty" in result.stderr + result.stdout
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]
