"""Content hashes and the build cache: what each output was made from, and per-file check results.

Kept beside the manifest of the published build (see versions.py). An output is rebuilt only
when the hash of everything it is made from changes; checks of unchanged files (translations,
plain language) are replayed, not recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, cast

from .output import write_atomic
from .problems import Location, Problem, Report

CACHE_FORMAT = 3
PACKAGE_DIR = Path(__file__).resolve().parent


def digest(*parts: object) -> str:
    """Return a stable hash of JSON-serialisable parts."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# A file's hash is taken again unless its size, times and inode are those the last build saw.
# Those are kept only for files that had been left alone this long when the last build looked:
# a file written in the same tick of the filesystem's clock as that look (file times are coarse:
# milliseconds on Linux, 2 s on FAT) could otherwise keep its times while its bytes changed.
QUIET_NS = 2_000_000_000


class Hasher:
    """Hash files by content, each at most once per build; a file the last build hashed and
    that has not changed since (same size, modification and change times, inode) keeps its hash.
    """

    def __init__(self) -> None:
        self._seen: dict[Path, str] = {}
        self._known: dict = {}  # path -> [size, mtime_ns, ctime_ns, dev, ino, sha256]
        self.looked: dict[str, list] = {}  # the same for this build's quiet files: for the next

    def know(self, files: dict) -> None:
        """Take the files the last build hashed, as its `looked` held them."""
        self._known = files

    def file(self, path: Path) -> str:
        """Return the sha256 of a file's bytes, or 'absent'."""
        if path not in self._seen:
            self._seen[path] = self._hash(path)
        return self._seen[path]

    def _hash(self, path: Path) -> str:
        now = time.time_ns()
        try:
            info = os.stat(path)
            looks = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_dev, info.st_ino]
            name = str(path)
            known = self._known.get(name)
            if isinstance(known, list) and known[:-1] == looks and isinstance(known[-1], str):
                found = known[-1]
            else:
                found = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "absent"
        if max(info.st_mtime_ns, info.st_ctime_ns) < now - QUIET_NS:
            self.looked[name] = [*looks, found]
        return found

    def files(self, paths: Iterable[Path]) -> str:
        """Return one hash over several files, named by path."""
        return digest(sorted((p.as_posix(), self.file(p)) for p in paths))

    def tree(self, folder: Path, suffixes: tuple[str, ...]) -> str:
        """Return one hash over every file with the given suffixes under a folder."""
        return self.files(p for p in folder.rglob("*") if p.suffix in suffixes and p.is_file())


@dataclass
class BuildCache:
    """What the previous build made each output from, and check results by file hash."""

    outputs: dict[str, str] = field(default_factory=dict)
    coverage: dict[str, list[int]] = field(default_factory=dict)
    checks: dict[str, list[dict]] = field(default_factory=dict)
    # a guide's localized title and summary (see localize.guide_heading), hashes of its letters
    labels: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> BuildCache:
        """Return the cache stored at path (empty if absent or unreadable)."""
        if path is None:
            return cls()
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != CACHE_FORMAT:
                return cls()
            return cls(data["outputs"], data["coverage"], data["checks"], data["labels"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, path: Path) -> None:
        """Write the cache atomically (its tables as they are: asdict would copy them all)."""
        data = {"format": CACHE_FORMAT, **{f.name: getattr(self, f.name) for f in fields(self)}}
        write_atomic(path, json.dumps(data, sort_keys=True).encode("utf-8"), path.parent)

    @contextmanager
    def recording(self) -> Iterator[BuildCache]:
        """Yield a cache that collects what is added to (or replaced in) this one inside the
        block: what a worker learnt. The entries already here are never walked or copied
        (copying them for every guide took time quadratic in the guides). Inside the block the
        tables are mappings, not dicts: do not save the cache there."""
        tables: tuple[dict, ...] = (self.outputs, self.coverage, self.checks, self.labels)
        added = BuildCache()
        new: tuple[dict, ...] = (added.outputs, added.coverage, added.checks, added.labels)
        # Inside the block each table reads the new entries, then the old; writes go to new.
        self.outputs, self.coverage, self.checks, self.labels = (
            cast(dict, ChainMap(n, t)) for n, t in zip(new, tables, strict=True)
        )
        try:
            yield added
        finally:
            for table, entries in zip(tables, new, strict=True):
                table.update(entries)
            self.outputs, self.coverage, self.checks, self.labels = tables

    def merge(self, other: BuildCache) -> None:
        """Add another cache's entries (a worker's) to this one."""
        self.outputs.update(other.outputs)
        self.coverage.update(other.coverage)
        self.checks.update(other.checks)
        self.labels.update(other.labels)

    def replay(self, key: str, report: Report, compute: Callable[[Report], None]) -> None:
        """Add a check's problems to report: recorded ones for a known key, else computed."""
        if key not in self.checks:
            scratch = Report(report.root)
            compute(scratch)
            self.checks[key] = problem_rows(scratch.problems)
        add_rows(report, self.checks[key])


def problem_rows(problems: Iterable[Problem]) -> list[dict]:
    """Return problems as JSON-ready rows (see add_rows)."""
    rows = []
    for problem in problems:
        row = asdict(problem)
        row.update(row.pop("location"))
        rows.append(row)
    return rows


def add_rows(report: Report, rows: list[dict]) -> None:
    """Add problems stored by problem_rows to report; raise KeyError/TypeError, adding none,
    if a row is not one."""
    problems = [
        (Location(r["path"], r["line"], r["column"]), r["severity"], r["message"], r["hint"])
        for r in rows
    ]
    for problem in problems:
        report.add(*problem)


def code_hash(hasher: Hasher) -> str:
    """Return a hash of guidegen's own code, so that a changed renderer rebuilds everything."""
    return hasher.tree(PACKAGE_DIR, (".py",))
