"""Where a project keeps its files, how large one may be, and the day review dates are measured
against: what a build needs before it loads anything (see stamp.py), so kept light to import."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "guidegen.yaml"
CONTENT_DIR = "content"
MAX_BYTES = 1_000_000  # the largest content file guidegen reads


def _builtin_templates() -> Path:
    """The default theme: in the installed package, or the repository's templates/ (checkout)."""
    package = Path(__file__).resolve().parent
    installed = package / "theme"
    return installed if installed.is_dir() else package.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()


def today() -> date:
    """Return the date review deadlines are measured against (GUIDEGEN_TODAY overrides it)."""
    override = os.environ.get("GUIDEGEN_TODAY")
    return date.fromisoformat(override) if override else date.today()


def inside(path: Path, root: Path) -> bool:
    """True when path, with every symbolic link followed, lies inside root."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def template_dirs(project_root: Path) -> list[Path]:
    """Return the template folders in lookup order: the project's first, then the built-in ones.

    A project's templates/ that is a link leading out of the project is refused: its files would
    become the PDF renderer's asset folder.
    """
    own = project_root / "templates"
    if own.exists() and not inside(own, project_root):
        raise ConfigError(
            "templates: the folder is a link that leads outside the project "
            "(replace it with a folder of the project's own templates)"
        )
    unique: list[Path] = []
    for folder in (own, BUILTIN_TEMPLATES):
        if folder.is_dir() and folder.resolve() not in [d.resolve() for d in unique]:
            unique.append(folder)
    return unique
