"""The output formats: the built-in ones, then plug-ins (the 'guidegen.formats' entry points).

A plug-in is a class deriving from formats.base.OutputFormat, declared in its package's metadata:

    [project.entry-points."guidegen.formats"]
    epub = "mypackage.epub:EpubFormat"
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from ..errors import ConfigError
from .base import Download, GuideUnit, Job, Output, OutputFormat, Ready
from .html import HtmlPage
from .pdf import PdfFormat
from .text import TextEdition

__all__ = [
    "Download",
    "GuideUnit",
    "Job",
    "Output",
    "OutputFormat",
    "Ready",
    "registry",
    "select",
    "choices",
]


@functools.cache
def registry() -> tuple[OutputFormat, ...]:
    """Return every output format, built-in ones first, in the order pages list their links."""
    formats: list[OutputFormat] = [HtmlPage(), PdfFormat(), PdfFormat(large=True), TextEdition()]
    for entry in entry_points(group="guidegen.formats"):
        formats.append(entry.load()())
    return tuple(formats)


def choices() -> list[str]:
    """Return what --format accepts: 'all', each format's name and each family's name."""
    names = ["all"]
    for fmt in registry():
        names += [n for n in (fmt.name, fmt.family) if n and n not in names]
    return names


def select(names: tuple[str, ...] | list[str] | str) -> list[OutputFormat]:
    """Return the formats selected by names (format or family names, or 'all')."""
    wanted = {names} if isinstance(names, str) else set(names or ["all"])
    unknown = wanted - set(choices())
    if unknown:
        raise ConfigError(f"unknown format {', '.join(sorted(unknown))} (choose from {choices()})")
    if "all" in wanted:
        return list(registry())
    return [f for f in registry() if f.name in wanted or f.family in wanted]
