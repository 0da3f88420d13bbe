"""guidegen bundle: a zip of the built site that works offline, e.g. from a USB stick."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..output import MANIFEST, confine

FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries carry no build time, so bundles are reproducible


def bundle(out: Path, target: Path) -> int:
    """Zip every file listed in the manifest under build/site; return how many were added."""
    try:
        rows = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise BuildError(
            f"{out / MANIFEST}: no built site to bundle (run guidegen build first)"
        ) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for row in sorted(rows, key=lambda r: r["path"]):
                name = _entry_name(row["path"])
                info = zipfile.ZipInfo(f"guides/{name}", date_time=FIXED_TIME)
                info.compress_type = (
                    zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
                )
                info.external_attr = 0o644 << 16
                archive.writestr(info, _read(out / "site", name))
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)  # never a half-written bundle
        raise
    return len(rows)


def _entry_name(path: str) -> str:
    """Return a manifest path as a zip entry name; refuse one that could climb out when unzipped."""
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path or any(p in ("..", ".") for p in parts):
        raise BuildError(f"{MANIFEST}: refused to bundle {path!r}: not a path inside the site")
    return path


def _read(site: Path, name: str) -> bytes:
    try:
        return confine(site, site / name).read_bytes()
    except OSError as exc:
        raise BuildError(
            f"{site / name}: cannot read it for the bundle ({exc.strerror}); "
            "build again, then bundle"
        ) from None
