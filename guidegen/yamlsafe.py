"""Safe YAML reading for untrusted files: plain values, a location for every path, hard limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .layout import MAX_BYTES, inside
from .problems import Location, Report
from .textsafety import HINT, first_unsafe

MAX_NODES = 100_000  # after alias expansion: stops "billion laughs"
MAX_DEPTH = 40
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

PathKey = tuple[Any, ...]


class _Invalid:
    """A value that could not be read; its problem is already reported."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = _Invalid()


@dataclass
class YamlDoc:
    """A parsed YAML file: its plain value and where each path (and each mapping key) stands."""

    file: str
    value: Any = None
    values_at: dict[PathKey, Location] = field(default_factory=dict)
    keys_at: dict[PathKey, Location] = field(default_factory=dict)
    # What where() answered, kept when the value is kept for the next build (see parsed.py).
    answers: dict[tuple[PathKey, bool], Location] | None = field(default=None, repr=False)
    # For a value known from an earlier build: parses the file again for places not answered then.
    locate: Callable[[], YamlDoc | None] | None = field(default=None, repr=False, compare=False)

    # Set by set_aside_places: every top-level place is among the answers.
    top_level_answered: bool = field(default=False, repr=False, compare=False)

    def where(self, path: PathKey, key: bool = False) -> Location:
        """Return the location of a path's value (or its key), or of its nearest ancestor."""
        if self.answers is None:
            return self._find(path, key)
        found = self.answers.get((path, key))
        if found is None:
            if self.top_level_answered and len(path) <= 1:  # absent: the file's nearest place
                return self.answers.get(((), False), Location(self.file, 1, 1))
            found = self.answers[(path, key)] = self._find(path, key)
        return found

    def set_aside_places(self, locate: Callable[[], YamlDoc | None]) -> None:
        """Forget where each path stands, but for the top-level keys and values and the places
        asked for so far; any other is found by locate() (parsing the file again) when a
        problem must be placed there. The tables hold a location for every node of the file:
        once the project is checked, a build needs few of them (most of a loaded guide's memory).
        """
        if not self.values_at:
            return  # known from an earlier build: already without them
        answers = self.answers if self.answers is not None else {}
        for table, key in ((self.values_at, False), (self.keys_at, True)):
            for path, at in table.items():
                if len(path) <= 1:
                    answers.setdefault((path, key), at)
        self.answers, self.locate, self.top_level_answered = answers, locate, True
        self.values_at, self.keys_at = {}, {}

    def _find(self, path: PathKey, key: bool) -> Location:
        if self.locate is not None:
            located, self.locate = self.locate(), None
            if located is not None:
                self.values_at, self.keys_at = located.values_at, located.keys_at
        table = self.keys_at if key else self.values_at
        while path:
            if path in table:
                return table[path]
            if key and path in self.values_at:
                return self.values_at[path]
            path = path[:-1]
        return self.values_at.get((), Location(self.file, 1, 1))


class _LimitExceeded(Exception):
    def __init__(self, node: yaml.Node, message: str, hint: str) -> None:
        super().__init__(message)
        self.node, self.message, self.hint = node, message, hint


def read_text(path: Path, report: Report, max_bytes: int = MAX_BYTES) -> str | None:
    """Return a UTF-8 file's text, or None after reporting why it cannot be read.

    A file that is a symbolic link leading out of the project is refused: a committed link to
    /etc/passwd must not become a guide, a catalog or an attachment.
    """
    rel = report.relative(path)
    if not inside(path, report.root):
        report.error(
            Location(rel, 1, 1),
            "file is a link that leads outside the project",
            "replace the link with the file itself",
        )
        return None
    try:
        size = path.stat().st_size
        if size > max_bytes:
            report.error(
                Location(rel, 1, 1),
                f"file is {size} bytes, over the limit of {max_bytes}",
                "split it into smaller files",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(Location(rel), f"cannot read file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(
            Location(rel, line, column), "file is not valid UTF-8", "save it with UTF-8 encoding"
        )
        return None
    return text.removeprefix("\ufeff")


def load_yaml(
    path: Path, report: Report, allow_joiners: bool = False, text: str | None = None
) -> YamlDoc | None:
    """Parse one YAML file safely; report every problem and return None when it is unusable.

    text: the file's text, when the caller has read it already with read_text.
    """
    rel = report.relative(path)
    text = read_text(path, report) if text is None else text
    if text is None:
        return None
    if not text.strip():
        report.error(Location(rel, 1, 1), "file is empty", "see docs/authoring.md for the fields")
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        hint = (
            "YAML indents with spaces, never tabs"
            if "\\t" in message or "\t" in message
            else ("check the indentation and quoting around this place")
        )
        report.error(_loc(rel, mark), f"YAML syntax error: {message}", hint)
        return None
    except yaml.YAMLError as exc:
        report.error(Location(rel, 1, 1), f"YAML syntax error: {exc}")
        return None
    if node is None:
        report.error(Location(rel, 1, 1), "file is empty", "see docs/authoring.md for the fields")
        return None
    doc = YamlDoc(rel)
    try:
        doc.value = _Converter(doc, report, allow_joiners).convert(node, (), 0)
    except _LimitExceeded as exc:
        report.error(_loc(rel, exc.node.start_mark), exc.message, exc.hint)
        return None
    return doc


def parse_again(path: Path, root: Path) -> YamlDoc | None:
    """Parse a file once more, for the places of a document that set them aside."""
    return load_yaml(path, Report(root))


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when present (several times faster); on an error, compose again with
    the pure-Python parser so that messages and positions do not depend on how PyYAML was built."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _loc(rel: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(rel, 1, 1)
    return Location(rel, mark.line + 1, mark.column + 1)


class _Converter:
    """Turn a composed node graph into plain values, counting nodes so aliases cannot explode."""

    def __init__(self, doc: YamlDoc, report: Report, allow_joiners: bool = False) -> None:
        self.doc, self.report, self.allow_joiners = doc, report, allow_joiners
        self.nodes = 0
        self.scalars = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _LimitExceeded(
                node,
                f"document expands to more than {MAX_NODES} values",
                "aliases (*name) may repeat anchors only a few times",
            )
        if depth > MAX_DEPTH:
            raise _LimitExceeded(
                node, f"nesting is deeper than {MAX_DEPTH} levels", "flatten the structure"
            )
        self.doc.values_at.setdefault(path, _loc(self.doc.file, node.start_mark))
        if node.tag not in _PLAIN_TAGS:
            self.report.error(
                _loc(self.doc.file, node.start_mark),
                f"tag {node.tag} is not allowed",
                "only plain YAML values are read; remove the '!' tag",
            )
            return INVALID
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        try:
            value = self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            self.report.error(
                _loc(self.doc.file, node.start_mark),
                f"cannot read value {node.value!r}: {exc}",
                "dates are written YYYY-MM-DD",
            )
            return INVALID
        if isinstance(value, str) and self._unsafe(value, node):
            return INVALID
        return value

    def _unsafe(self, value: str, node: yaml.Node) -> bool:
        found = first_unsafe(value, self.allow_joiners)
        if found is None:
            return False
        index, what = found
        where = _loc(self.doc.file, node.start_mark)
        if node.start_mark.line == node.end_mark.line and index < 500:
            quoted = 1 if getattr(node, "style", None) in ("'", '"') else 0
            where = Location(where.path, where.line, where.column + quoted + index)
        self.report.error(where, f"text contains {what}", HINT)
        return True

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.report.error(
                    _loc(self.doc.file, key_node.start_mark),
                    "merge keys (<<) are not allowed",
                    "write the fields out",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report.error(
                    _loc(self.doc.file, key_node.start_mark), "mapping keys must be plain names"
                )
                continue
            key = key_node.value
            where = _loc(self.doc.file, key_node.start_mark)
            if self._unsafe(key, key_node):
                continue
            if key in result:
                first = self.doc.keys_at[path + (key,)]
                self.report.error(
                    where,
                    f"duplicate key '{key}'",
                    f"first defined at line {first.line}; remove one of them",
                )
                continue
            self.doc.keys_at[path + (key,)] = where
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result
