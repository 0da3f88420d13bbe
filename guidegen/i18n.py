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
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape
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


_PARSED: OrderedDict[tuple[Path, str, int, int], Catalog | None] = OrderedDict()
_PARSED_LIMIT = 128  # parsed catalogs are large; keep the recently used ones, not every one


def read_catalog(path: Path, locale: str, report: Report) -> Catalog | None:
    """Read a PO file with Babel; report a malformed file at its line. None if absent or broken.

    Parsed catalogs are kept for the life of the process, keyed by the file's size and mtime, so a
    build that consults a catalog several times parses it once. Callers must not modify them.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (path.resolve(), locale, stat.st_size, stat.st_mtime_ns)
    if key in _PARSED:
        _PARSED.move_to_end(key)
    else:
        scratch = Report(report.root)
        _PARSED[key] = _parse_catalog(path, locale, scratch)
        _PARSED_PROBLEMS[key] = scratch.problems
        if len(_PARSED) > _PARSED_LIMIT:
            oldest, _ = _PARSED.popitem(last=False)
            _PARSED_PROBLEMS.pop(oldest, None)
    for problem in _PARSED_PROBLEMS[key]:
        report.add(problem.location, problem.severity, problem.message, problem.hint)
    return _PARSED[key]


_PARSED_PROBLEMS: dict[tuple[Path, str, int, int], list] = {}


def _parse_catalog(path: Path, locale: str, report: Report) -> Catalog | None:
    from .yamlsafe import read_text

    text = read_text(path, report)
    if text is None:
        return None
    unclosed = _unclosed_quote(text)
    if unclosed:
        report.error(
            Location(report.relative(path), unclosed, 1),
            "malformed PO file: expected msgctxt, msgid or msgstr and a closed quoted string",
            'write a double quote inside text as \\"',
        )
        return None
    try:
        catalog = read_po(io.StringIO(text), locale=po_locale(locale), abort_invalid=True)
    except PoFileError as exc:
        line = (getattr(exc, "lineno", 0) or 0) + 1  # Babel counts lines from 0
        report.error(
            Location(report.relative(path), line, 1),
            f"malformed PO file: {exc}",
            "open it in Poedit or run 'msgfmt --check' to see the problem",
        )
        return None
    except Exception as exc:  # Babel raises plain errors on some broken headers
        report.error(
            Location(report.relative(path), 1, 1),
            f"malformed PO file: {exc}",
            "open it in Poedit to repair it",
        )
        return None
    for message in catalog:
        _restore_previous_id(message)
    return catalog


def _restore_previous_id(message) -> None:
    """Read '#| msgid' lines back as the previous source text.

    Babel writes previous msgids but reads them as translator comments starting with '|'; left
    alone, every update would turn them into '# | msgid' comments and pile them up.
    """
    previous = [c for c in message.user_comments if c.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: list[str] = []
    for comment in previous:
        line = comment[1:].strip()
        if line.startswith("msgid ") and parts:
            break  # only the first previous msgid; later ones are leftovers
        if line.startswith("msgid "):
            line = line[len("msgid ") :]
        elif not line.startswith('"'):
            continue  # msgctxt or msgid_plural of the previous entry
        parts.append(unescape(line))
    if message.fuzzy and parts:
        message.previous_id = ["".join(parts)]


_QUOTED_LINE = re.compile(
    r'^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"(?:[^"\\]|\\.)*"\s*$'
)


def _unclosed_quote(text: str) -> int:
    """Return the first line that is not a keyword and a closed string (Babel skips some)."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#~"):
            stripped = stripped[2:].strip()
        if (
            stripped.startswith(("msg", '"'))
            and '"' in stripped
            and not _QUOTED_LINE.match(stripped)
        ):
            return number
    return 0


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
        return {
            "total": self.total,
            "translated": self.translated,
            "outdated": self.outdated,
            "missing": self.missing,
        }


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
    for owner, table in (
        ("sources", project.sources),
        ("glossary", project.terms),
        ("contacts", project.contacts),
    ):
        for key, entry in table.items():
            passages += iter_passages(entry, f"{owner}|{key}")
    return passages


def ui_translations(root: Path, locale: str, report: Report) -> Translations:
    """Return gettext translations of the interface strings for Jinja2's i18n extension."""
    catalog = read_catalog(catalog_path(root, locale, UI), locale, report)
    if catalog is None:
        return Translations()
    current = Catalog(locale=catalog.locale)  # outdated interface text shows the source
    for message in catalog:
        if message.id and not message.fuzzy:
            current.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, current)
    buffer.seek(0)
    return Translations(buffer)


DRAFT_MARK = "Status: draft — needs review by a qualified translator."


def is_draft(catalog: Catalog) -> bool:
    """Return True when a catalog's header says it is an unreviewed draft translation."""
    return "draft" in (catalog.header_comment or "").lower()


def new_catalog(locale: str, owner: str, draft: bool = True) -> Catalog:
    """Return an empty catalog for a locale with guidegen's header."""
    comment = f"# guidegen translations: {owner}, locale {locale}.\n"
    if draft:
        comment += f"# {DRAFT_MARK}\n"
    catalog = Catalog(
        locale=po_locale(locale),
        project="guidegen",
        header_comment=comment.rstrip(),
        msgid_bugs_address="",
        copyright_holder="",
        charset="utf-8",
        fuzzy=False,
        last_translator="Draft translation (not reviewed)" if draft else "",
        language_team=f"{locale} translators",
    )
    catalog.revision_date = catalog.creation_date
    return catalog


def merge_passages(
    old: Catalog | None, passages: list[SourcePassage], locale: str, owner: str
) -> Catalog:
    """Return the catalog updated to the source passages, matched by context.

    Unchanged passages keep their translation; a passage whose source text changed keeps its old
    translation marked fuzzy with the previous source (#| msgid); new ones are empty; passages no
    longer in the source become obsolete. Babel's own update() matches by msgid similarity, which
    would attach a translation to the wrong passage, hence this merge by msgctxt.
    """
    catalog = new_catalog(locale, owner, draft=old is None)
    if old is not None:
        catalog.header_comment = old.header_comment
        catalog.creation_date = old.creation_date
        catalog.revision_date = old.revision_date
        catalog.last_translator = old.last_translator
        catalog.language_team = old.language_team
    previous = {m.context: m for m in old if m.id} if old is not None else {}
    for p in passages:
        comments = [p.comment] if p.comment else []
        if p.markdown:
            comments.append("Markdown: keep **bold**, list markers and link targets as they are.")
        if "{" in p.text:
            comments.append(
                "Keep {placeholders} exactly as they are; translate the words around them."
            )
        before = previous.pop(p.context, None)
        translated = before is not None and bool(before.string)
        changed = translated and before.id != p.text
        catalog.add(
            p.text,
            before.string if translated else "",
            context=p.context,
            auto_comments=comments,
            user_comments=before.user_comments if translated else (),
            flags={"fuzzy"} if changed else (before.flags if translated else ()),
            previous_id=[before.id] if changed else (before.previous_id if translated else ()),
        )
    for message in previous.values():
        if message.string:
            catalog.obsolete[(message.id, message.context)] = message
    return catalog


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write a PO file atomically if its content changed; return True when written."""
    from babel.messages.pofile import write_po

    from .output import write_atomic

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, sort_output=False)
    data = buffer.getvalue()
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


PACKAGE_DIR = Path(__file__).resolve().parent


def ui_template(template_dirs: list[Path]) -> Catalog:
    """Extract the interface strings of the templates (and of guidegen's code) with Babel."""
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="guidegen")
    seen: set[str] = set()
    sources = [(folder, [("**.html", "jinja2.ext:babel_extract")]) for folder in template_dirs]
    sources.append((PACKAGE_DIR, [("**.py", "python")]))
    for folder, method_map in sources:
        for name, lineno, message, comments, context in extract_from_dir(
            str(folder),
            method_map=method_map,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        ):
            key = message if isinstance(message, str) else message[0]
            if key in seen:
                continue
            seen.add(key)
            catalog.add(message, None, [(name, lineno)], auto_comments=comments, context=context)
    return catalog
