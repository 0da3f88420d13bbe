"""Translatable passages: where each one lives in the schema, and their rendering-side form."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .binder import schema_fields
from .schema import Markdown, Plain

TRANSLATABLE = (Plain, Markdown)


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


@dataclass(frozen=True)
class SourcePassage:
    """One translatable passage of the source: its context key, text and translator comment."""

    context: str
    text: str
    comment: str
    markdown: bool


def _item_key(item: Any, index: int) -> str:
    return getattr(item, "id", None) if isinstance(getattr(item, "id", None), str) else str(index)


def iter_passages(obj: Any, prefix: str) -> Iterator[SourcePassage]:
    """Yield each translatable passage under obj with a stable context ('guide|steps.x.body')."""
    for f, tp in schema_fields(type(obj)):
        value = getattr(obj, f.name)
        yield from _walk(
            value,
            tp,
            f"{prefix}.{f.name}" if "|" in prefix else f"{prefix}|{f.name}",
            f.metadata.get("doc", ""),
        )


def _walk(value: Any, tp: Any, context: str, comment: str) -> Iterator[SourcePassage]:
    if tp in TRANSLATABLE:
        if value:
            yield SourcePassage(context, value, comment, tp is Markdown)
    elif typing.get_origin(tp) is list:
        (item_tp,) = typing.get_args(tp)
        for i, item in enumerate(value):
            yield from _walk(item, item_tp, f"{context}.{_item_key(item, i)}", comment)
    elif typing.get_origin(tp) is dict:
        _, item_tp = typing.get_args(tp)
        for key, item in value.items():
            yield from _walk(item, item_tp, f"{context}.{key}", comment)
    elif dataclasses.is_dataclass(tp):
        yield from iter_passages(value, context)


def map_passages(obj: Any, prefix: str, convert: Callable[[str, str], str]) -> Any:
    """Return a copy of obj with every translatable passage replaced by convert(context, text)."""
    changes = {}
    for f, tp in schema_fields(type(obj)):
        context = f"{prefix}.{f.name}" if "|" in prefix else f"{prefix}|{f.name}"
        changes[f.name] = _map(getattr(obj, f.name), tp, context, convert)
    return dataclasses.replace(obj, **changes)


def _map(value: Any, tp: Any, context: str, convert: Callable[[str, str], str]) -> Any:
    if tp in TRANSLATABLE:
        return convert(context, value)
    if typing.get_origin(tp) is list:
        (item_tp,) = typing.get_args(tp)
        return [
            _map(item, item_tp, f"{context}.{_item_key(item, i)}", convert)
            for i, item in enumerate(value)
        ]
    if typing.get_origin(tp) is dict:
        _, item_tp = typing.get_args(tp)
        return {
            key: _map(item, item_tp, f"{context}.{key}", convert) for key, item in value.items()
        }
    if dataclasses.is_dataclass(tp):
        return map_passages(value, context, convert)
    return value
