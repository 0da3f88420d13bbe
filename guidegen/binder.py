"""Bind plain YAML values to the schema's dataclasses, reporting each mismatch where it is."""

from __future__ import annotations

import dataclasses
import difflib
import typing
from datetime import date
from functools import cache
from typing import Any, Literal

from .problems import Report
from .schema import Markdown, Phone, Plain, Url
from .urls import phone_problem, url_problem
from .yamlsafe import INVALID, PathKey, YamlDoc

_TEXT_TYPES = (str, Plain, Markdown, Url, Phone)


def schema_fields(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    """Return a dataclass's public fields with their resolved types."""
    # The cache is on a private function taking `type`: mypy wrongly rejects type[X] arguments
    # to a cached function as unhashable (python/mypy#11470).
    return _schema_fields(cls)


@cache
def _schema_fields(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def bind(tp: Any, value: Any, doc: YamlDoc, path: PathKey, report: Report) -> Any:
    """Return value converted to type tp; report problems at doc's locations."""
    if value is INVALID:
        return _empty(tp)
    kind, arg = schema_shape(tp)
    if kind == "dataclass":
        return _bind_dataclass(tp, value, doc, path, report)
    if kind == "list":
        if not isinstance(value, list):
            _mismatch("a list", value, doc, path, report, "start each item with '- '")
            return []
        return [bind(arg, item, doc, path + (i,), report) for i, item in enumerate(value)]
    if kind == "dict":
        if not isinstance(value, dict):
            _mismatch("a mapping of id: entry", value, doc, path, report)
            return {}
        return {str(k): bind(arg, v, doc, path + (k,), report) for k, v in value.items()}
    if kind == "literal":
        if value not in arg:
            shown = ", ".join(map(str, arg))
            _mismatch(f"one of: {shown}", value, doc, path, report, _did_you_mean(value, arg))
            return arg[0]
        return value
    return _bind_scalar(tp, value, doc, path, report)


@cache
def schema_shape(tp: Any) -> tuple[str, Any]:
    """Return what a schema type is: 'dataclass', 'list' or 'dict' with its item type,
    'literal' with its choices, or 'scalar' (asked once a type: binding a guide, or walking its
    passages, asks it for every value)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return "dataclass", None
    origin = typing.get_origin(tp)
    if origin is list:
        return "list", typing.get_args(tp)[0]
    if origin is dict:
        return "dict", typing.get_args(tp)[1]
    if origin is Literal:
        return "literal", typing.get_args(tp)
    return "scalar", None


def _bind_scalar(tp: Any, value: Any, doc: YamlDoc, path: PathKey, report: Report) -> Any:
    if tp in _TEXT_TYPES:
        if not isinstance(value, str):
            _mismatch("text", value, doc, path, report, "put the value in quotes")
            return "" if value is None else str(value)
        problem = url_problem(value) if tp is Url else phone_problem(value) if tp is Phone else ""
        if value and problem:
            hint = (
                "e.g. https://www.court.gov.cn" if tp is Url else "e.g. 12348 or +86 10 1234 5678"
            )
            report.error(doc.where(path), problem, hint)
            return ""
        return value
    if tp is bool:
        if not isinstance(value, bool):
            _mismatch("true or false", value, doc, path, report)
            return False
        return value
    if tp is int or tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float) if tp is float else int):
            _mismatch("a whole number" if tp is int else "a number", value, doc, path, report)
            return tp(0)
        return tp(value)
    if tp is date:
        if not isinstance(value, date):
            _mismatch("a date", value, doc, path, report, "write dates as YYYY-MM-DD, unquoted")
            return None
        return value
    raise TypeError(f"schema type {tp!r} is not supported")  # a programming error, not input


def _bind_dataclass(cls: type, value: Any, doc: YamlDoc, path: PathKey, report: Report) -> Any:
    if not isinstance(value, dict):
        _mismatch(f"a mapping of {cls.__name__.lower()} fields", value, doc, path, report)
        return dataclasses.replace(_empty(cls), at=doc.where(path))
    names, fields = _fields_of(cls)
    if not value.keys() <= names:
        _unknown_fields(cls, value, doc, path, report)
    kwargs: dict[str, Any] = {"at": doc.where(path)}
    for f, tp, required, bounded in fields:
        item = value.get(f.name)
        if item is not None:
            kwargs[f.name] = bind(tp, item, doc, path + (f.name,), report)
            if bounded:
                _check_bounds(f, item, doc, path + (f.name,), report)
        elif required:
            report.error(
                doc.where(path, key=bool(path)),
                f"missing required field '{f.name}' in {cls.__name__.lower()}",
                f.metadata.get("doc", ""),
            )
            kwargs[f.name] = _empty(tp)
    return cls(**kwargs)


@cache
def _fields_of(cls: type) -> tuple[frozenset[str], list[tuple[dataclasses.Field, Any, bool, bool]]]:
    """Return a dataclass's field names, and each field with its type, whether it is required
    and whether it has bounds."""
    known = schema_fields(cls)
    bounds = ("minimum", "maximum")
    return frozenset(f.name for f, _ in known), [
        (f, tp, is_required(f), any(f.metadata.get(b) is not None for b in bounds))
        for f, tp in known
    ]


def _unknown_fields(cls: type, value: dict, doc: YamlDoc, path: PathKey, report: Report) -> None:
    names = [f.name for f, _ in schema_fields(cls)]
    for key in value:
        if key not in names:
            report.error(
                doc.where(path + (key,), key=True),
                f"unknown field '{key}' in {cls.__name__.lower()}",
                _did_you_mean(key, names) or f"known fields: {', '.join(names)}",
            )


def _check_bounds(f: dataclasses.Field, value: Any, doc: YamlDoc, path: PathKey, report) -> None:
    low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return  # not a number: reported as a type mismatch already
    if (low is not None and value < low) or (high is not None and value > high):
        where = ".".join(str(p) for p in path)
        report.error(
            doc.where(path),
            f"{where}: {value:g} is not between {low:g} and {high:g}",
            f.metadata.get("doc", ""),
        )


def _empty(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if origin is Literal:
        return typing.get_args(tp)[0]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp(**{f.name: _empty(t) for f, t in schema_fields(tp) if is_required(f)})
    if tp is date:
        return None  # checks that compare dates skip a date that could not be read
    if tp in (int, float, bool):
        return tp()
    return ""


def _mismatch(
    expected: str, value: Any, doc: YamlDoc, path: PathKey, report: Report, hint: str = ""
) -> None:
    found = "nothing" if value is None else f"{type(value).__name__} {_short(value)}"
    where = ".".join(str(p) for p in path) or "document"
    report.error(doc.where(path), f"{where}: expected {expected}, found {found}", hint)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _did_you_mean(value: Any, choices: typing.Iterable[Any]) -> str:
    matches = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    return f"did you mean '{matches[0]}'?" if matches else ""
