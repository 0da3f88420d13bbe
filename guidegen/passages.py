"""Translatable passages: where each one lives in the schema, its normal form, and its notes.

A passage is one translatable field of a guide or of the shared content. It becomes one PO entry
whose msgctxt is '<owner>|<field path>' ('legal-aid|steps.apply.body'), whose msgid is the text in
its normal form (see normalize), and whose `#.` note tells the translator where it shows.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .binder import schema_fields, schema_shape
from .schema import Blank, Deadline, Faq, Letter, Markdown, Plain, SourceRef, Step

TRANSLATABLE = (Plain, Markdown)
PathKey = tuple[Any, ...]


class Passage(str):
    """A piece of text as shown to a reader, remembering its language and translation state.

    state is "ok" (in the reader's language), "missing" (no translation: source shown) or
    "outdated" (the source changed since it was translated).
    """

    lang: str
    dir: str
    state: str

    def __new__(cls, text: str, lang: str, direction: str, state: str = "ok") -> Passage:
        obj = super().__new__(cls, text)
        obj.lang, obj.dir, obj.state = lang, direction, state
        return obj

    @property
    def is_fallback(self) -> bool:
        return self.state != "ok"

    def __reduce__(self):  # travels between processes with its language and state
        return (Passage, (str(self), self.lang, self.dir, self.state))


@dataclass(frozen=True)
class SourcePassage:
    """One translatable passage of the source: context key, normal text, note, YAML path."""

    context: str
    text: str
    comment: str
    markdown: bool
    path: PathKey = ()


_NEW_BLOCK = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|>|#)")


def normalize(text: str) -> str:
    """Return text with each paragraph on one line, so that re-wrapping the YAML changes nothing.

    Blank lines (paragraph breaks), list items, quotes and hard line breaks (two trailing spaces)
    stay as they are; a soft line break becomes a space, or nothing between two Chinese or
    Japanese characters (where a space would show). Leading and trailing blank lines go.
    """
    if "\n" not in text:
        return text.strip()
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        hard_break = raw.endswith("  ") and line != ""
        previous = lines[-1] if lines else ""
        joins = line and previous and not previous.endswith("  ") and not _NEW_BLOCK.match(line)
        if joins:
            piece = line.lstrip()
            glue = "" if _wide(previous[-1]) and _wide(piece[0]) else " "
            lines[-1] = previous + glue + piece + ("  " if hard_break else "")
        elif line or (previous and lines):
            lines.append(line + ("  " if hard_break else ""))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines).strip("\n")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _item_key(item: Any, index: int) -> str:
    key = getattr(item, "id", None)
    return key if isinstance(key, str) else str(index)


# How a note names the part of a guide a passage belongs to (ids, not texts: notes stay stable).
_LABELS: dict[type, Callable[[Any, int], str]] = {
    Step: lambda step, n: f"Step {n} ({step.id})",
    Deadline: lambda _, n: f"time limit {n}",
    SourceRef: lambda ref, _: f"citation of {ref.id}",
    Letter: lambda letter, _: f"Letter {letter.id}",
    Blank: lambda blank, _: f"blank {{{blank.id}}}",
    Faq: lambda _, n: f"Question {n}",
}


def iter_passages(obj: Any, prefix: str, labels: tuple[str, ...] = ()) -> Iterator[SourcePassage]:
    """Yield each translatable passage under obj with a stable context ('guide|steps.x.body')."""
    yield from _iter(obj, prefix, labels, ())


def _iter(obj: Any, prefix: str, labels: tuple[str, ...], path: PathKey):
    for f, tp in schema_fields(type(obj)):
        context = f"{prefix}.{f.name}" if "|" in prefix else f"{prefix}|{f.name}"
        yield from _walk(getattr(obj, f.name), tp, context, labels, path + (f.name,), f, obj)


def _walk(value, tp, context, labels, path, f, owner, number=1) -> Iterator[SourcePassage]:
    kind, item_tp = _kind(tp)
    if kind == "text":
        if value:
            note = _note(labels, f.metadata.get("shown", ""), tp is Markdown, value, owner)
            yield SourcePassage(context, normalize(value), note, tp is Markdown, path)
    elif kind == "list":
        for i, item in enumerate(value):
            inner = (
                labels + (f"item {i + 1} of {len(value)}",) if item_tp in TRANSLATABLE else labels
            )
            key = f"{context}.{_item_key(item, i)}"
            yield from _walk(item, item_tp, key, inner, path + (i,), f, owner, i + 1)
    elif kind == "dict":
        for key, item in value.items():
            yield from _walk(item, item_tp, f"{context}.{key}", labels, path + (key,), f, owner)
    elif kind == "dataclass" and isinstance(tp, type):
        label = _LABELS.get(tp)
        yield from _iter(
            value, context, labels + (label(value, number),) if label else labels, path
        )


def _note(labels: tuple[str, ...], shown: str, markdown: bool, text: str, owner: Any) -> str:
    """Return the translator's note: where the passage shows, and what to keep."""
    where = (", ".join(labels) + ": " + shown) if labels else shown[:1].upper() + shown[1:]
    parts = [where if where.endswith((".", ".”", "?")) else where + "."]
    if markdown:
        parts.append("Markdown: keep **bold**, list markers (- ) and link targets as they are.")
    blanks = {b.id: b.label for b in getattr(owner, "blanks", [])}
    named = re.findall(r"\{([a-z][a-z0-9_]*)\}", text)
    if named:
        explained = "; ".join(
            f"{{{name}}} = {blanks[name]}" if name in blanks else f"{{{name}}}" for name in named
        )
        parts.append(
            f"Keep each {{placeholder}} as it is (a ruled blank the reader fills in): {explained}."
        )
    return " ".join(parts)


def map_passages(obj: Any, prefix: str, convert: Callable[[str, str], str]) -> Any:
    """Return a copy of obj with every translatable passage replaced by convert(context, text).

    convert receives the passage in its normal form (see normalize).
    """
    changes = {}
    for f, tp in schema_fields(type(obj)):
        context = f"{prefix}.{f.name}" if "|" in prefix else f"{prefix}|{f.name}"
        changes[f.name] = _map(getattr(obj, f.name), tp, context, convert)
    return dataclasses.replace(obj, **changes)


def _map(value: Any, tp: Any, context: str, convert: Callable[[str, str], str]) -> Any:
    kind, item_tp = _kind(tp)
    if kind == "text":
        return convert(context, normalize(value)) if value else value
    if kind == "list":
        return [
            _map(item, item_tp, f"{context}.{_item_key(item, i)}", convert)
            for i, item in enumerate(value)
        ]
    if kind == "dict":
        return {
            key: _map(item, item_tp, f"{context}.{key}", convert) for key, item in value.items()
        }
    if kind == "dataclass":
        return map_passages(value, context, convert)
    return value


@functools.cache
def _kind(tp: Any) -> tuple[str, Any]:
    """Return how a schema type holds passages: text, list, dict, dataclass or other, and the
    type of its items (asked for every field of every guide in every locale)."""
    if tp in TRANSLATABLE:
        return "text", None
    kind, item_tp = schema_shape(tp)
    return (kind, item_tp) if kind in ("list", "dict", "dataclass") else ("other", None)
