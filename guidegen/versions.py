"""Publish a build as a whole: a new version folder, switched in by one atomic rename.

Layout of the output folder:
  .versions/<id>/site/...          the files of one complete build
  .versions/<id>/manifest.json     its manifest
  .versions/<id>/cache.json        what each output was made from (for incremental builds)
  current -> .versions/<id>        the published version (a symlink, replaced atomically)
  site -> current/site, manifest.json -> current/manifest.json
A build that fails or is killed never touches `current`: readers see the previous complete build,
whose manifest always matches its files. Unchanged files are hard links, so a version costs little.

The version published before the current one stays as the spare: the next build makes it its new
version by relinking only the files that differ from the current version's, instead of linking
every file into a new tree and deleting the old tree (two thirds of a one-edit rebuild's publish
at 1,000 pages). Everything in the spare but its site is removed first; it is never published
until a build has written it as a whole. A first build, which has no version before it, leaves a
spare of its own: a hard-link copy of the site it published (0.18 s at 1,000 pages, once), so that
the first edit after it relinks one file instead of linking a new tree of every page.
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
    """Create a new version folder holding hard links to every file of the current version
    (made from the spare, when there is one)."""
    spare = _remove_abandoned_versions(out)
    new = out / VERSIONS / f"{time.time_ns():x}"
    current = current_version(out)
    if spare is not None and current is not None:
        os.rename(spare, new)
        with os.scandir(new) as entries:
            for entry in entries:
                if entry.name != SITE_DIR or not entry.is_dir(follow_symlinks=False):
                    _remove(entry)  # manifest, cache, stamp: a build writes its own
    else:
        new.mkdir(parents=True)
    site = new / SITE_DIR
    if current is None:
        site.mkdir()
    else:
        _mirror(str(current / SITE_DIR), str(site), site.is_dir())
    return new


def publish_version(out: Path, version: Path) -> None:
    """Switch `current` to the new version in one rename, then drop older versions but the
    one it replaced (the spare); with none to keep, make one."""
    temporary = out / f".{CURRENT}.{version.name}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(VERSIONS) / version.name)
    os.replace(temporary, out / CURRENT)
    for name, target in ((SITE_DIR, f"{CURRENT}/{SITE_DIR}"), (MANIFEST, f"{CURRENT}/{MANIFEST}")):
        _ensure_link(out / name, Path(target))
    if _remove_abandoned_versions(out) is None:
        _make_spare(out, version)


def _make_spare(out: Path, version: Path) -> None:
    """Leave a hard-link copy of the published site as the spare. Only the next build's speed
    depends on it: if it cannot be made (a full disk), what was made of it goes, and the next
    build makes its version as a first rebuild would."""
    spare = out / VERSIONS / f"{time.time_ns():x}"
    try:
        spare.mkdir()  # a folder of that name already there (a clock set back) is left alone
    except OSError:
        return
    try:
        _mirror(str(version / SITE_DIR), str(spare / SITE_DIR), existed=False)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)


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


def _mirror(source: str, target: str, existed: bool) -> None:
    """Make the tree under target hold what source holds, as hard links (where the file system
    allows): in a target that existed, a file linked to the same file as source's is kept and
    any other entry is replaced or removed; with plain strings and one scan per folder, as a
    rebuild of a large site mirrors thousands."""
    held: dict[str, os.DirEntry] = {}
    if existed:
        with os.scandir(target) as entries:
            held = {entry.name: entry for entry in entries}
    else:
        os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            into, old = os.path.join(target, entry.name), held.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                keep = old is not None and old.is_dir(follow_symlinks=False)
                if old is not None and not keep:
                    _remove(old)
                _mirror(entry.path, into, keep)
            elif entry.is_file(follow_symlinks=False):  # a planted link is not followed
                if old is not None and _same_file(old, entry):
                    continue
                if old is not None:
                    _remove(old)
                link_or_copy(entry.path, into)
    for old in held.values():
        _remove(old)


def _same_file(one: os.DirEntry, other: os.DirEntry) -> bool:
    if not one.is_file(follow_symlinks=False):
        return False
    mine, theirs = one.stat(follow_symlinks=False), other.stat(follow_symlinks=False)
    return (mine.st_ino, mine.st_dev) == (theirs.st_ino, theirs.st_dev)


def _remove(entry: os.DirEntry) -> None:
    """Remove a file, link or folder of a version (a link is removed, never followed)."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
    else:
        os.unlink(entry.path)


def _remove_abandoned_versions(out: Path) -> Path | None:
    """Remove every version folder but the published one and the newest other one, the spare;
    return the spare (None when there is none)."""
    folder = out / VERSIONS
    if not folder.is_dir():
        return None
    current = current_version(out)
    abandoned = sorted(
        (
            version
            for version in folder.iterdir()
            if _is_ours(version) and version.resolve() != current
        ),
        key=lambda version: int(version.name, 16),
    )
    spare = abandoned.pop() if abandoned else None
    for version in abandoned:
        shutil.rmtree(version, ignore_errors=True)
    return spare


def _is_ours(version: Path) -> bool:
    return bool(_VERSION_NAME.match(version.name)) and version.is_dir() and not version.is_symlink()
