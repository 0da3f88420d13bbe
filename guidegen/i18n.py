"""PO catalogs: layout, reading once, per-passage lookup with marked fallback, coverage, merging.

Layout under content/locales/<locale>/:
  guides/<guide-id>.po   passages of one guide
  shared.po              site title, sources, glossary, contacts
  ui.po                  interface strings of the templates
and content/locales/templates/ holds the POT template of each (what Weblate starts a language from).
Each entry's msgctxt is '<owner>|<field path>' (e.g. 'legal-aid|steps.apply.body'): stable while
the source text changes, so a changed passage is found by context and marked fuzzy.
"""

from __future__ import annotations

import difflib
import functools
import pickle
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .passages import Passage, SourcePassage, iter_passages, normalize
from .po import Message, PoFile, pack, read_po, unpack
from .problems import Location, Report

LOCALES_DIR = "content/locales"
TEMPLATES = "templates"  # content/locales/templates/: the POT files (not a BCP 47 code)
SHARED = "shared"
UI = "ui"
DRAFT_MARK = "Status: draft — needs review by a qualified translator."


@functools.lru_cache(maxsize=65536)
def catalog_path(root: Path, locale: str, owner: str) -> Path:
    """Return the PO file for a guide id, or for SHARED / UI (paths are asked for often)."""
    base = root / LOCALES_DIR / locale
    return base / f"{owner}.po" if owner in (SHARED, UI) else base / "guides" / f"{owner}.po"


def template_path(root: Path, owner: str) -> Path:
    """Return the POT template for a guide id, or for SHARED / UI."""
    return catalog_path(root, TEMPLATES, owner).with_suffix(".pot")


def po_locale(code: str) -> str:
    """Return the gettext spelling of a BCP 47 code ('zh-Hans' -> 'zh_Hans')."""
    return code.replace("-", "_")


_PARSED: dict[tuple[Path, int, int], tuple[PoFile | None, list]] = {}
_PACKED: dict[tuple[Path, int, int], bytes] = {}  # set aside, compact (see _compact)


def read_catalog(path: Path, report: Report) -> PoFile | None:
    """Read a PO file strictly (see po.py); None if it is absent or broken (reported at its line).

    A file is parsed once per process, keyed by its size and mtime: every check and the
    localisation share the same plain entries. Callers must not modify them. A catalog a
    build's check set aside comes back without the notes only translators read (comments,
    references, previous msgids, obsolete entries): a build's pages never show them.
    """
    key = _key(path)
    if key is None:
        return None
    if key not in _PARSED:
        if key in _PACKED:  # parsed and set aside (see set_aside_parsed)
            packed, problems = pickle.loads(zlib.decompress(_PACKED.pop(key)))
            _PARSED[key] = (None if packed is None else unpack(packed), problems)
        else:
            scratch = Report(report.root)
            _PARSED[key] = (read_po(path, scratch), scratch.problems)
    catalog, problems = _PARSED[key]
    for problem in problems:
        report.add(problem.location, problem.severity, problem.message, problem.hint)
    return catalog


def _key(path: Path) -> tuple[Path, int, int] | None:
    """A catalog's key in this process: its path, size and mtime; None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (path, stat.st_size, stat.st_mtime_ns)


def parsed_keys() -> set:
    """Return which catalogs this process has parsed (a snapshot for set_aside_parsed)."""
    return set(_PARSED)


def set_aside_parsed(since: set, keep: bool) -> None:
    """Pack the catalogs parsed since the snapshot (unpacked again when read, without their
    notes), or with keep False forget them: a worker that checks guide after guide holds each
    one's catalogs in a compact form until it renders the guide, or not at all when it renders
    nothing. Only a build keeps them: `i18n update` merges catalogs read in full.

    Compact means pickled and compressed (zlib level 1: a third of the size, 0.5 ms a guide
    catalog): a worker holds the catalogs of every guide it checked until the pages round,
    at 10,000 documents some 4,000 of them."""
    for key in [key for key in _PARSED if key not in since]:
        catalog, problems = _PARSED.pop(key)
        if keep:
            _PACKED[key] = _compact(catalog, problems)


def _compact(catalog: PoFile | None, problems: list) -> bytes:
    """Return a catalog and the problems reading it found as set_aside_parsed keeps them:
    without the catalog's notes (it is read, not merged), pickled and compressed."""
    packed = None if catalog is None else pack(catalog, notes=False)
    return zlib.compress(pickle.dumps((packed, problems), pickle.HIGHEST_PROTOCOL), 1)


def drop_catalogs(paths: Iterable[Path]) -> None:
    """Drop catalogs, parsed or packed, that this process will not read again (a page worker
    renders each guide once: its memory does not grow with the site). Read again, a catalog
    is parsed again."""
    for path in paths:
        key = _key(path)
        if key is not None:
            _PARSED.pop(key, None)
            _PACKED.pop(key, None)


def forget_catalogs() -> None:
    """Drop the parsed catalogs (long-running processes call it between builds)."""
    _PARSED.clear()
    _PACKED.clear()


def is_draft(catalog: PoFile) -> bool:
    """Return True when a catalog's header says it is an unreviewed draft translation."""
    return "draft" in "\n".join(catalog.header_comment).lower()


@dataclass
class Coverage:
    """How much of a catalog is translated in one locale, in entries and in source words."""

    total: int = 0
    translated: int = 0
    outdated: int = 0
    missing: int = 0
    words: int = 0
    words_translated: int = 0

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0

    def add(self, state: str, text: str) -> None:
        """Count one source passage in the given state."""
        words = len(text.split())
        self.total += 1
        self.words += words
        if state == "ok":
            self.translated += 1
            self.words_translated += words
        elif state == "outdated":
            self.outdated += 1
        else:
            self.missing += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "translated": self.translated,
            "outdated": self.outdated,
            "missing": self.missing,
            "words": self.words,
            "words_translated": self.words_translated,
        }


@dataclass
class Lookup:
    """Translations of one locale, answering per passage with a language-tagged Passage."""

    locale: str
    direction: str
    source_locale: str
    source_direction: str
    show_outdated: bool = False
    catalogs: list[PoFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_context = {
            m.context: m for c in self.catalogs for m in c.messages if m.id and m.context
        }

    def state(self, context: str, text: str) -> str:
        """Return 'ok', 'outdated' or 'missing' for one source passage (text in normal form)."""
        if self.locale == self.source_locale:
            return "ok"
        message = self._by_context.get(context)
        if message is None or not message.string:
            return "missing"
        if message.fuzzy or (message.id != text and normalize(message.id) != text):
            return "outdated"  # the source changed since it was translated
        return "ok"

    def passage(self, context: str, text: str) -> Passage:
        """Return the text to show for one source passage, marked when it falls back."""
        if self.locale == self.source_locale:
            return Passage(text, self.locale, self.direction)
        state = self.state(context, text)
        if state == "ok":
            return Passage(normalize(self._by_context[context].string), self.locale, self.direction)
        if state == "outdated" and self.show_outdated:
            string = normalize(self._by_context[context].string)
            return Passage(string, self.locale, self.direction, "outdated")
        return Passage(text, self.source_locale, self.source_direction, state)

    def coverage(self, passages: Iterable[SourcePassage]) -> Coverage:
        """Count translated, outdated and missing passages."""
        result = Coverage()
        for p in passages:
            result.add(self.state(p.context, p.text), p.text)
        return result


_LAST_PASSAGES: list = [None, []]  # the guide asked for last, and its passages


def guide_passages(guide) -> list[SourcePassage]:
    """Return a guide's translatable passages in document order (callers must not modify
    them: the last guide's are kept, as every locale asks for the same guide in turn)."""
    if _LAST_PASSAGES[0] is not guide:
        _LAST_PASSAGES[:] = [guide, list(iter_passages(guide, guide.id))]
    return _LAST_PASSAGES[1]


def shared_passages(project) -> list[SourcePassage]:
    """Return the passages of the site title, sources, glossary and contacts."""
    passages = [
        SourcePassage("site|title", normalize(project.config.title), "The site's title.", False)
    ]
    for owner, table in (
        ("sources", project.sources),
        ("glossary", project.terms),
        ("contacts", project.contacts),
    ):
        for key, entry in table.items():
            passages += iter_passages(entry, f"{owner}|{key}", (f"{_SHARED_LABEL[owner]} {key}",))
    return passages


_SHARED_LABEL = {"sources": "Source", "glossary": "Glossary term", "contacts": "Contact"}


SHARED_FILE_OF = {
    "sources": "sources.yaml",
    "glossary": "glossary.yaml",
    "contacts": "contacts.yaml",
}


def passage_reference(project, owner: str, passage: SourcePassage) -> str:
    """Return the `#:` reference of a passage: its YAML file and line."""
    if owner == SHARED:
        if passage.context == "site|title":
            where = project.config.title_at
        else:
            kind, _, rest = passage.context.partition("|")
            key = rest.split(".", 1)[0]
            doc = project.shared_docs.get(SHARED_FILE_OF[kind])
            where = doc.where((key,) + passage.path) if doc else Location("")
    else:
        doc = project.docs.get(owner)
        where = doc.where(passage.path) if doc else Location("")
    return f"{where.path}:{where.line}" if where.line else where.path


# -- merging source passages into catalogs ------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def new_header(locale: str, owner: str, team: str, bugs_to: str) -> dict[str, str]:
    """Return the header of a new catalog (without the plural rule: see plural_forms)."""
    now = _now()
    return {
        "Project-Id-Version": owner,
        "Report-Msgid-Bugs-To": bugs_to,
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "Draft translation (not reviewed)",
        "Language-Team": team,
        "Language": po_locale(locale),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(locale),
    }


def template_header(owner: str, bugs_to: str) -> dict[str, str]:
    """Return the header of a POT template."""
    return {
        "Project-Id-Version": owner,
        "Report-Msgid-Bugs-To": bugs_to,
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def plural_forms(locale: str) -> str:
    """Return the gettext Plural-Forms header for a locale, from Babel's table."""
    from babel.messages.plurals import get_plural

    return str(get_plural(po_locale(locale)).plural_forms)


def header_comment(owner: str, locale: str, draft: bool) -> list[str]:
    lines = [f"guidegen translations: {owner}, locale {locale}."]
    return lines + [DRAFT_MARK] if draft else lines


def merge_passages(
    old: PoFile | None, passages: list[SourcePassage], references: dict[str, str], header: PoFile
) -> PoFile:
    """Return the catalog updated to the source passages, matched by context.

    An unchanged passage keeps its translation (a passage that was only re-wrapped counts as
    unchanged); a changed one keeps its translation marked fuzzy with the previous source
    (#| msgid) — the source the translation was made from, kept across further changes; a new one
    is empty; one no longer in the source becomes obsolete. header gives header and header comment
    for a new catalog. Babel's update() matches by msgid similarity, which would attach a
    translation to the wrong passage, hence this merge by msgctxt.
    """
    before = {m.context: m for m in (old.obsolete + old.messages if old else []) if m.context}
    result = _start(old, header)
    for p in passages:
        previous = before.pop(p.context, None)
        message = Message(
            p.text,
            context=p.context,
            auto_comments=[p.comment] if p.comment else [],
            references=[references[p.context]] if references.get(p.context) else [],
            line=0,
        )
        if "{" in p.text:  # letter blanks: Poedit and Weblate check them as brace formats
            message.flags = ["python-brace-format"]
        if previous is not None and previous.string:
            _carry_translation(message, previous)
        result.messages.append(message)
    result.obsolete = [_obsolete(m) for m in before.values() if m.string]
    return _keep_header_if_unchanged(old, result)


def _carry_translation(message: Message, previous: Message) -> None:
    message.translator_comments = list(previous.translator_comments)
    if normalize(previous.id) == message.id:  # the same source, perhaps in an older form
        message.string = (
            previous.string if previous.id == message.id else normalize(previous.string)
        )
        message.flags = list(previous.flags)
        if previous.fuzzy:
            message.previous_id = previous.previous_id
        return
    message.string = previous.string
    message.flags = [f for f in previous.flags if f != "fuzzy"] + ["fuzzy"]
    message.flags.sort(key=lambda f: f != "fuzzy")
    # the source the translation was made from: keep it when the entry was already outdated
    message.previous_id = (
        previous.previous_id if previous.fuzzy and previous.previous_id else previous.id
    )


def _obsolete(message: Message) -> Message:
    return replace(message, obsolete=True, previous_id=None, previous_context=None, references=[])


def _start(old: PoFile | None, header: PoFile) -> PoFile:
    if old is None:
        return PoFile(dict(header.header), list(header.header_comment))
    fields = {k: v for k, v in old.header.items() if k != "Generated-By"}
    for key, value in header.header.items():
        fields.setdefault(key, value)
    return PoFile(fields, list(old.header_comment))


def _keep_header_if_unchanged(old: PoFile | None, result: PoFile) -> PoFile:
    """Keep every header field as it was unless an entry changed (no churn); else date it."""
    if old is None:
        return result
    if _entries(old) == _entries(result):
        result.header = {k: v for k, v in old.header.items() if k != "Generated-By"}
    elif "POT-Creation-Date" in result.header:
        result.header["POT-Creation-Date"] = _now()
    return result


def _entries(catalog: PoFile) -> list:
    return [
        (
            m.context,
            m.id,
            m.string,
            m.plural_id,
            m.plural_strings,
            sorted(m.flags),
            m.auto_comments,
            m.translator_comments,
            m.references,
            m.previous_id,
            m.obsolete,
        )
        for m in catalog.messages + catalog.obsolete
    ]


def as_template(catalog: PoFile, old_template: PoFile | None, header: dict[str, str]) -> PoFile:
    """Return the POT template of a catalog: every entry, no translations, no obsolete ones."""
    messages = [
        Message(
            m.id,
            context=m.context,
            plural_id=m.plural_id,
            plural_strings=["", ""] if m.plural_id is not None else [],
            flags=[f for f in m.flags if f != "fuzzy"],
            auto_comments=list(m.auto_comments),
            references=list(m.references),
        )
        for m in catalog.messages
    ]
    template = PoFile(dict(header), ["guidegen translation template: translate the .po files."])
    template.messages = messages
    return _keep_header_if_unchanged(old_template, template)


def merge_ui(old: PoFile | None, template: list[Message], header: PoFile) -> PoFile:
    """Return ui.po updated to the extracted interface strings, like msgmerge.

    Interface strings have no stable context, so they are matched by msgid; a string that changed
    a little is matched with its closest old form and marked fuzzy, the old one as #| msgid.
    """
    result = _start(old, header)
    nplurals = result.nplurals() or 2
    before = {m.key: m for m in (old.messages + old.obsolete if old else [])}
    translated = {k: m for k, m in before.items() if m.translated}
    for extracted in template:
        message = replace(extracted, flags=list(extracted.flags), translator_comments=[])
        if message.plural_id is not None:
            message.plural_strings = [""] * nplurals
        previous = before.pop(message.key, None)
        translated.pop(message.key, None)
        if previous is None and translated:
            close = difflib.get_close_matches(
                message.id, [k[1] for k in translated if k[0] == message.context], n=1, cutoff=0.8
            )
            if close:
                previous = translated.pop((message.context, close[0]))
                before.pop(previous.key, None)
                previous = replace(
                    previous, flags=previous.flags + ["fuzzy"], previous_id=previous.id
                )
        if previous is not None:
            message.string, message.translator_comments = (
                previous.string,
                previous.translator_comments,
            )
            if message.plural_id is not None and len(previous.plural_strings) == nplurals:
                message.plural_strings = list(previous.plural_strings)
            if previous.fuzzy:
                message.flags = ["fuzzy"] + [f for f in message.flags if f != "fuzzy"]
                message.previous_id = (
                    previous.previous_id if previous.id == message.id else previous.id
                )
        result.messages.append(message)
    result.obsolete = [_obsolete(m) for m in before.values() if m.translated]
    return _keep_header_if_unchanged(old, result)
