"""Writing outputs: atomic file writes and the manifest of everything built."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST = "manifest.json"
_UMASK = os.umask(0)
os.umask(_UMASK)


def confine(root: Path, path: Path) -> Path:
    """Return path if it lies inside root with every link followed; else raise BuildError.

    Every writer goes through this: a path made from a locale code, a guide id or a manifest row
    can then never write (or delete) outside the folder it belongs to.
    """
    from .errors import BuildError

    base = root.resolve()
    target = (path if path.is_absolute() else root / path).resolve()
    if not target.is_relative_to(base):
        raise BuildError(f"{path}: refused to write outside {root} (a '..' or a link in the path)")
    return path


def write_new(path: Path, data: bytes, root: Path) -> None:
    """Write a file of a version that is not yet published (flush_to_disk makes it durable)."""
    confine(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # may be a hard link shared with the published version
    path.write_bytes(data)


def flush_to_disk() -> None:
    """Make every file written so far durable: one flush before a version is published, instead
    of one per file (an unpublished version is discarded whole if the build dies)."""
    os.sync()


def write_atomic(path: Path, data: bytes | Iterable[bytes], root: Path) -> None:
    """Write data (bytes, or pieces of them) to path through a temporary file and a rename:
    never a half-written file.

    root is the folder the file must lie in (see confine).
    """
    confine(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)
        with os.fdopen(handle, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, order=True)
class ManifestEntry:
    """One output file of the site."""

    path: str  # relative to build/site, with forward slashes
    guide: str
    locale: str
    format: str
    sha256: str
    bytes: int


def entry_for(
    site_root: Path, path: Path, guide: str, locale: str, fmt: str, data: bytes
) -> ManifestEntry:
    """Return the manifest entry describing one written output."""
    return ManifestEntry(
        path.relative_to(site_root).as_posix(),
        guide,
        locale,
        fmt,
        hashlib.sha256(data).hexdigest(),
        len(data),
    )


def read_manifest(folder: Path | None) -> dict[str, ManifestEntry]:
    """Return the manifest entries stored in folder, by path (empty if there is none)."""
    if folder is None:
        return {}
    try:
        rows = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
        return {row["path"]: ManifestEntry(**row) for row in rows}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(folder: Path, entries: dict[str, ManifestEntry]) -> None:
    """Write the manifest, sorted by path so that it is itself deterministic."""
    rows = [asdict(entry) for _, entry in sorted(entries.items())]
    text = json.dumps({"files": rows}, ensure_ascii=False, indent=1) + "\n"
    write_atomic(folder / MANIFEST, text.encode("utf-8"), folder)


def merge_manifests(paths: list[Path]) -> dict[str, ManifestEntry]:
    """Return the union of several shards' manifests; a path built differently twice is an error."""
    from .errors import BuildError

    merged: dict[str, ManifestEntry] = {}
    for path in paths:
        for key, entry in read_manifest(path.parent if path.name == MANIFEST else path).items():
            if key in merged and merged[key] != entry:
                raise BuildError(f"{path}: {key} differs from the same file in another shard")
            merged[key] = entry
    return merged
