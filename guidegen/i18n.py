"""PO catalogs (Babel): layout, reading, per-passage lookup with marked fallback, and coverage.

Layout under content/locales/<locale>/:
  guides/<guide-id>.po   passages of one guide
  shared.po              site title, sources, glossary, contacts
  ui.po                  interface strings of the templates
Each entry's msgctxt is '<owner>|<field path>' (e.g. 'legal-aid|steps.apply.body'): stable while
the source text changes, so a changed passage is found by context and marked fuzzy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po
from babel.messages.mofile import write_mo
from babel.support import Translations

from .passages import Passage, SourcePassage, iter_passages
from .problems import Location, Report

LOCALES_DIR = "content/locales"
SHARED = "shared"
UI = "ui"


def catalog_path(root: Path, locale: str, owner: str) -> Path:
    """Return the PO file for a guide id, or for SHARED / UI."""
    base = root / LOCALES_DIR / locale
    return base / f"{owner}.po" if owner in (SHARED, UI) else base / "guides" / f"{owner}.po"


def po_locale(code: str) -> str:
    """Return the gettext spelling of a BCP 47 code ('zh-Hans' -> 'zh_Hans')."""
    return code.replace("-", "_")


def read_catalog(path: Path, locale: str, report: Report) -> Catalog | None:
    """Read a PO file with Babel; report a malformed file at its line. None if absent or broken."""
    if not path.is_file():
        return None
    from .yamlsafe import read_text

    text = read_text(path, report)
    if text is None:
        return None
    try:
        return read_po(io.StringIO(text), locale=po_locale(locale), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", 0) or 0
        report.error(Location(report.relative(path), line, 1), f"malformed PO file: {exc}",
                     "open it in Poedit or run 'msgfmt --check' to see the problem")
        return None
    except Exception as exc:  # Babel raises plain errors on some broken headers
        report.error(Location(report.relative(path), 1, 1), f"malformed PO file: {exc}",
                     "open it in Poedit to repair it")
        return None


@dataclass
class Coverage:
    """How much of one guide is translated in one locale."""

    total: int = 0
    translated: int = 0
    outdated: int = 0
    missing: int = 0

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "translated": self.translated,
                "outdated": self.outdated, "missing": self.missing}


@dataclass
class Lookup:
    """Translations of one locale, answering per passage with a language-tagged Passage."""

    locale: str
    direction: str
    source_locale: str
    source_direction: str
    show_outdated: bool = False
    catalogs: list[Catalog] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_context = {m.context: m for c in self.catalogs for m in c if m.id and m.context}

    def state(self, context: str, text: str) -> str:
        """Return 'ok', 'outdated' or 'missing' for one source passage."""
        if self.locale == self.source_locale:
            return "ok"
        message = self._by_context.get(context)
        if message is None or not message.string:
            return "missing"
        if message.fuzzy or message.id != text:
            return "outdated"  # the source changed since it was translated
        return "ok"

    def passage(self, context: str, text: str) -> Passage:
        """Return the text to show for one source passage, marked when it falls back."""
        state = self.state(context, text)
        if self.locale == self.source_locale:
            return Passage(text, self.locale, self.direction)
        message = self._by_context.get(context)
        if state == "ok":
            return Passage(message.string, self.locale, self.direction)
        if state == "outdated" and self.show_outdated:
            return Passage(message.string, self.locale, self.direction, "outdated")
        return Passage(text, self.source_locale, self.source_direction, state)

    def coverage(self, passages: Iterable[SourcePassage]) -> Coverage:
        """Count translated, outdated and missing passages."""
        result = Coverage()
        for p in passages:
            result.total += 1
            state = self.state(p.context, p.text)
            if state == "ok":
                result.translated += 1
            elif state == "outdated":
                result.outdated += 1
            else:
                result.missing += 1
        return result


def guide_passages(guide) -> list[SourcePassage]:
    """Return a guide's translatable passages in document order."""
    return list(iter_passages(guide, guide.id))


def shared_passages(project) -> list[SourcePassage]:
    """Return the passages of the site title, sources, glossary and contacts."""
    passages = [SourcePassage("site|title", project.config.title, "The site's title.", False)]
    for owner, table in (("sources", project.sources), ("glossary", project.terms),
                         ("contacts", project.contacts)):
        for key, entry in table.items():
            passages += iter_passages(entry, f"{owner}|{key}")
    return passages


def ui_translations(root: Path, locale: str, report: Report) -> Translations:
    """Return gettext translations of the interface strings for Jinja2's i18n extension."""
    catalog = read_catalog(catalog_path(root, locale, UI), locale, report)
    if catalog is None:
        return Translations()
    for message in list(catalog):
        if message.fuzzy and message.id:
            message.string = ""  # outdated interface text shows the source, like content does
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)
