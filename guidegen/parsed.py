"""The plain values of the project's YAML files by content hash, kept beside the published build,
so that a rebuild binds the files that did not change without parsing them again.

Only files that parsed without a problem are kept, as JSON (dates tagged), under the hash of their
text; the file is still read and checked (links, size, encoding) on every build. Where a problem
must be placed in such a file, it is parsed again then, for its lines and columns. A build by other
guidegen code, or with --force, starts without them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from .output import confine, write_atomic
from .problems import Location, Report
from .versions import link_or_copy
from .yamlsafe import YamlDoc, load_yaml, parse_again, read_text

PARSED = "parsed.json"
PARSED_FORMAT = 1
_DATE, _DATETIME = "\x00date", "\x00datetime"  # YAML text cannot hold U+0000: no key collides


class ParsedFiles:
    """YAML files known from the last build, and those this build read (to keep for the next)."""

    def __init__(
        self, code: str, known: dict[str, Any] | None = None, source: Path | None = None
    ) -> None:
        self.code = code
        self.known = known or {}
        self.source = source  # the file known came from
        self.used: dict[str, YamlDoc] = {}
        self.places: dict[str, int] = {}  # how many places each known file was stored with

    @classmethod
    def load(cls, version: Path | None, code: str) -> ParsedFiles:
        """Return what the build in version kept, if guidegen's code is the same; else nothing."""
        if version is None:
            return cls(code)
        try:
            data = json.loads((version / PARSED).read_text("utf-8"), object_hook=_decode)
            if data.get("format") != PARSED_FORMAT or data.get("code") != code:
                return cls(code)
            known = data["files"]
            return cls(code, known, version / PARSED) if isinstance(known, dict) else cls(code)
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(code)

    def save(self, version: Path) -> None:
        """Keep the files this build read beside its version: the last build's file when it
        holds just those, else a new one, written atomically one file's entry at a time."""
        target = version / PARSED
        if self.source is not None and not self._changed():
            if self.source != target:
                confine(version, target)
                target.unlink(missing_ok=True)
                link_or_copy(self.source, target)
            return
        write_atomic(target, self._pieces(), version)

    def _changed(self) -> bool:
        if self.used.keys() != self.known.keys():
            return True
        return any(len(doc.answers or ()) != self.places.get(k) for k, doc in self.used.items())

    def _pieces(self) -> Iterator[bytes]:
        head = {"format": PARSED_FORMAT, "code": self.code}
        yield json.dumps(head)[:-1].encode("utf-8") + b', "files": {'
        for number, (key, doc) in enumerate(self.used.items()):
            entry = json.dumps(key) + ": " + json.dumps(_stored(doc), default=_encode)
            yield (", " if number else "").encode("utf-8") + entry.encode("utf-8")
        yield b"}}"

    def load_yaml(self, path: Path, report: Report) -> YamlDoc | None:
        """load_yaml, answered from the last build when the file's text is unchanged."""
        text = read_text(path, report)
        if text is None:
            return None
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        doc = _known(self.known.get(key), path, report)
        if doc is not None:
            self.places[key] = len(doc.answers or ())
        else:
            mark = report.mark()
            doc = load_yaml(path, report, text=text)
            if doc is None or report.mark() != mark:  # keep only what parsed without a problem
                return doc
            doc.answers = {}
        self.used[key] = doc
        return doc


def _stored(doc: YamlDoc) -> dict:
    places = [[list(p), k, at.line, at.column] for (p, k), at in (doc.answers or {}).items()]
    return {"value": doc.value, "places": places}


def _known(row: Any, path: Path, report: Report) -> YamlDoc | None:
    """Return the document stored in row, or None if there is none or it is not one."""
    if not isinstance(row, dict):
        return None
    rel = report.relative(path)
    try:
        answers = {
            (tuple(p), bool(k)): Location(rel, int(line), int(column))
            for p, k, line, column in row["places"]
        }
        value = row["value"]
    except (KeyError, TypeError, ValueError):
        return None
    return YamlDoc(rel, value, answers=answers, locate=partial(parse_again, path, report.root))


def _encode(value: Any) -> dict:
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(row: dict) -> Any:
    if len(row) == 1:
        if _DATE in row:
            return date.fromisoformat(row[_DATE])
        if _DATETIME in row:
            return datetime.fromisoformat(row[_DATETIME])
    return row
