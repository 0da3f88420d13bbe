"""guidegen bundle: a zip of the built site that works offline, e.g. from a USB stick."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ..errors import BuildError
from ..output import MANIFEST

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
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for row in sorted(rows, key=lambda r: r["path"]):
            info = zipfile.ZipInfo(f"guides/{row['path']}", date_time=FIXED_TIME)
            info.compress_type = (
                zipfile.ZIP_STORED if row["path"].endswith(".pdf") else zipfile.ZIP_DEFLATED
            )
            info.external_attr = 0o644 << 16
            archive.writestr(info, (out / "site" / row["path"]).read_bytes())
    temporary.replace(target)
    return len(rows)
