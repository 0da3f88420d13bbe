"""Publish a build as a whole: a new version folder, switched in by one atomic rename.

Layout of the output folder:
  .versions/<id>/site/...          the files of one complete build
  .versions/<id>/manifest.json     its manifest
  .versions/<id>/cache.json        what each output was made from (for incremental builds)
  current -> .versions/<id>        the published version (a symlink, replaced atomically)
  site -> current/site, manifest.json -> current/manifest.json
A build that fails or is killed never touches `current`: readers see the previous complete build,
whose manifest always matches its files. Unchanged files are hard links, so a version costs little.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from .errors import BuildError
from .output import MANIFEST

VERSIONS = ".versions"
CURRENT = "current"
CACHE = "cache.json"
SITE_DIR = "site"  # in a version folder: the files of the site
MARKER = ".guidegen-output"  # written into an output folder guidegen made; nothing else is ours
_VERSION_NAME = re.compile(r"^[0-9a-f]{8,24}$")


def claim_output(out: Path) -> None:
    """Make out guidegen's output folder, or refuse a non-empty folder guidegen did not make."""
    if (out / MARKER).is_file():
        return
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: is a file, not an output folder (choose another --out)")
    if out.is_dir() and any(out.iterdir()) and not _made_by_guidegen(out):
        raise BuildError(
            f"{out}: the folder is not empty and was not made by guidegen "
            "(choose a new or empty folder with --out; guidegen deletes only what it wrote)"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("This folder holds guidegen's builds; guidegen manages it.\n")


def _made_by_guidegen(out: Path) -> bool:
    """An output folder from before the marker: 'current' links into '.versions'."""
    link = out / CURRENT
    return link.is_symlink() and Path(os.readlink(link)).parts[:1] == (VERSIONS,)


def current_version(out: Path) -> Path | None:
    """Return the published version folder, or None before the first build."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def start_version(out: Path) -> Path:
    """Create a new version folder holding hard links to every file of the current version."""
    _remove_abandoned_versions(out)
    new = out / VERSIONS / f"{time.time_ns():x}"
    (new / SITE_DIR).mkdir(parents=True)
    current = current_version(out)
    if current is not None:
        _link_tree(str(current / SITE_DIR), str(new / SITE_DIR))
    return new


def _link_tree(source: str, target: str) -> None:
    """Give target every file of source (hard links where the file system allows), with plain
    strings and one scan per folder: a one-passage rebuild of a large site links thousands."""
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            into = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                _link_tree(entry.path, into)
            elif entry.is_file(follow_symlinks=False):  # a planted link is not followed
                link_or_copy(entry.path, into)


def publish_version(out: Path, version: Path) -> None:
    """Switch `current` to the new version in one rename, then drop older versions."""
    temporary = out / f".{CURRENT}.{version.name}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(VERSIONS) / version.name)
    os.replace(temporary, out / CURRENT)
    for name, target in ((SITE_DIR, f"{CURRENT}/{SITE_DIR}"), (MANIFEST, f"{CURRENT}/{MANIFEST}")):
        _ensure_link(out / name, Path(target))
    _remove_abandoned_versions(out)


def discard_version(version: Path) -> None:
    """Remove a version that was never published (the build failed)."""
    shutil.rmtree(version, ignore_errors=True)


def _ensure_link(path: Path, target: Path) -> None:
    if path.is_symlink() and Path(os.readlink(path)) == target:
        return
    if path.exists() and not path.is_symlink():
        raise BuildError(
            f"{path}: is not guidegen's link, so it is left alone (move it away and build again)"
        )
    if path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Give target the bytes of source: a hard link where the file system allows one."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _remove_abandoned_versions(out: Path) -> None:
    folder = out / VERSIONS
    if not folder.is_dir():
        return
    current = current_version(out)
    for version in folder.iterdir():
        ours = _VERSION_NAME.match(version.name) and version.is_dir() and not version.is_symlink()
        if ours and version.resolve() != current:
            shutil.rmtree(version, ignore_errors=True)
