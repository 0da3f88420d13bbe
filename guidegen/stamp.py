"""The up-to-date stamp: what the published build was made from, so that repeating that build with
nothing changed finishes without loading the project.

A build's fingerprint covers every file it reads (guidegen.yaml, everything under content/, the
template folders, guidegen's own code), the options that choose what it makes, and the date review
deadlines are measured against. A successful build leaves a stamp beside its published version:
that fingerprint, the outputs it wanted and the warnings it printed. A later build with the same
fingerprint, whose outputs are all still on disk, is up to date: it replays the warnings and
changes nothing. Anything else (a byte changed, a file added or removed, an output deleted,
another day, other options, a link or special file among the inputs, a missing or unreadable
stamp) takes the full build, which is always right.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .cache import Hasher, add_rows, code_hash, digest, problem_rows
from .errors import ConfigError
from .layout import CONFIG_FILE, CONTENT_DIR, MAX_BYTES, template_dirs, today
from .output import write_atomic
from .problems import Report

STAMP = "stamp.json"
STAMP_FORMAT = 1
_MAX_INPUT_BYTES = 16 * MAX_BYTES  # larger files are refused by the loader: never read them here


@dataclass
class Stamp:
    """What a published build was made from, what it wanted, and what it warned about."""

    fingerprint: str
    wanted: list[str]
    problems: list[dict]
    files: dict  # the input files it hashed, with their sizes and times (see cache.Hasher)


def input_fingerprint(project: Path, choices: dict, hasher: Hasher) -> str | None:
    """Return a hash of everything a build of project with these choices reads and depends on.

    None when it cannot be told without loading the project: an input is a link or not a
    regular file, too large, or unreadable, or the template folders are refused.
    """
    root = project.resolve()
    try:
        folders = [root / CONTENT_DIR, *template_dirs(root)]
    except ConfigError:
        return None
    files = [root / CONFIG_FILE]
    for folder in folders:
        try:
            found = _regular_files(folder)
        except OSError:
            return None
        if found is None:
            return None
        files += found
    hashes = []
    for path in sorted(files):
        if not _plain_file(path):
            return None
        hashes.append((path.as_posix(), hasher.file(path)))
    if any(value == "absent" for _, value in hashes):
        return None
    return digest(__version__, code_hash(hasher), choices, today().isoformat(), hashes)


def _regular_files(folder: Path) -> list[Path] | None:
    """Return every file under folder (none if it is missing); None if a link is among them."""
    if folder.is_symlink():
        return None
    if not folder.exists():
        return []
    found: list[Path] = []
    for current, folders, names in os.walk(folder, onerror=_raise):
        base = Path(current)
        if any((base / name).is_symlink() for name in folders):
            return None
        found += [base / name for name in names]
    return found


def _raise(error: OSError) -> None:
    raise error


def _plain_file(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= _MAX_INPUT_BYTES


def read_stamp(version: Path | None) -> Stamp | None:
    """Return the stamp of a published version, or None (absent, unreadable, another format)."""
    if version is None:
        return None
    try:
        data = json.loads((version / STAMP).read_text("utf-8"))
        if data.get("format") != STAMP_FORMAT:
            return None
        files = data.get("files", {})
        return Stamp(
            data["fingerprint"],
            list(data["wanted"]),
            list(data["problems"]),
            files if isinstance(files, dict) else {},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_stamp(
    version: Path, fingerprint: str, wanted: list[str], report: Report, files: dict
) -> None:
    """Leave the stamp of a successful build beside its version, atomically."""
    _write(version, Stamp(fingerprint, wanted, problem_rows(report.problems), files))


def renew_files(version: Path, stamp: Stamp, files: dict) -> None:
    """Write a published version's stamp again with the files a build that found it up to date
    hashed: those changed just before the build that made it looked (a checkout, a copy) have
    been left alone since, and the next build need not read them."""
    _write(version, replace(stamp, files=files))


def _write(version: Path, stamp: Stamp) -> None:
    data = {
        "format": STAMP_FORMAT,
        "fingerprint": stamp.fingerprint,
        "wanted": stamp.wanted,
        "problems": stamp.problems,
        "files": dict(sorted(stamp.files.items())),
    }
    write_atomic(version / STAMP, json.dumps(data, ensure_ascii=False).encode("utf-8"), version)


def replay_if_up_to_date(
    stamp: Stamp | None, fingerprint: str | None, site: Path, report: Report
) -> list[str] | None:
    """Return the outputs a build with this fingerprint wants, after replaying its warnings,
    when the published build was made from the same inputs and its outputs are all on disk;
    else None."""
    if stamp is None or fingerprint is None or stamp.fingerprint != fingerprint:
        return None
    if not all((site / path).is_file() for path in stamp.wanted):
        return None
    try:
        add_rows(report, stamp.problems)
    except (KeyError, TypeError, AttributeError):
        return None
    return stamp.wanted
