"""Checks on translations: placeholders, link targets, numbers and Markdown must survive."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from .cache import BuildCache, Hasher
from .config import LocaleConfig
from .i18n import SHARED, UI, catalog_path, is_draft, read_catalog
from .loader import Project
from .problems import Location, Report

_BLANK = re.compile(r"\{[a-z][a-z0-9_]*\}")
_PYFORMAT = re.compile(r"%\([a-z_]+\)[sd]")
_LINK = re.compile(r"\]\(([^)\s]+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BOLD = re.compile(r"\*\*")


def check_translations(
    project: Project,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
    also: Callable[[LocaleConfig, str], None] | None = None,
) -> None:
    """Report every broken translation in every locale's catalogs, with file:line.

    With a cache, a catalog whose bytes did not change since the last build is not read again.
    `also(locale, owner)` runs right after each catalog is checked, while it is still parsed.
    """
    cache, hasher = cache or BuildCache(), hasher or Hasher()
    owners = list(project.guides) + [SHARED, UI]
    for locale in project.config.locales:
        if locale.code == project.config.source_locale:
            continue
        for owner in owners:
            path = catalog_path(project.root, locale.code, owner)
            if path.is_file():
                cache.replay(
                    f"po-check:{locale.code}:{hasher.file(path)}",
                    report,
                    lambda scratch, p=path, c=locale.code: _check_file(p, c, scratch),
                )
            if also is not None and owner in project.guides:
                also(locale, owner)


def _check_file(path: Path, locale: str, report: Report) -> None:
    catalog = read_catalog(path, locale, report)
    if catalog is not None:
        check_catalog(catalog, path, report)


def check_catalog(catalog: Catalog, path: Path, report: Report) -> None:
    """Report broken entries of one catalog, and note when it is an unreviewed draft."""
    rel = report.relative(path)
    if is_draft(catalog):
        report.note(
            Location(rel, 1, 1), "draft translation: needs review by a qualified translator"
        )
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        for source, target in _pairs(message):
            for problem in compare(source, target):
                report.error(
                    Location(rel, message.lineno or 0, 1),
                    problem,
                    f"in entry {message.context or message.id!r}",
                )


def _pairs(message: Message) -> list[tuple[str, str]]:
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        return [(message.id[-1], s) for s in strings if s]
    return [(message.id, message.string)]


def compare(source: str, target: str) -> list[str]:
    """Return what a translation broke compared with its source text."""
    problems = []
    for name, pattern in (
        ("placeholder", _BLANK),
        ("format placeholder", _PYFORMAT),
        ("link target", _LINK),
    ):
        missing = Counter(pattern.findall(source)) - Counter(pattern.findall(target))
        extra = Counter(pattern.findall(target)) - Counter(pattern.findall(source))
        for item in sorted(missing):
            problems.append(f"translation drops {name} {item}")
        for item in sorted(extra):
            problems.append(f"translation adds {name} {item} not in the source")
    source_numbers = Counter(_NUMBER.findall(_strip_marks(source)))
    target_numbers = Counter(_NUMBER.findall(_strip_marks(target)))
    for number in sorted(source_numbers - target_numbers):
        problems.append(f"number {number} of the source is missing from the translation")
    if len(_BOLD.findall(target)) % 2:
        problems.append("unbalanced ** in the translation breaks the Markdown")
    if _list_items(source) != _list_items(target):
        problems.append(
            f"the source has {_list_items(source)} list item(s), "
            f"the translation {_list_items(target)}"
        )
    return problems


def _strip_marks(text: str) -> str:
    return _LINK.sub("](", _PYFORMAT.sub("", _BLANK.sub("", text)))


def _list_items(text: str) -> int:
    return len(re.findall(r"^\s*(?:[-*+]|\d+\.)\s", text, re.MULTILINE))
