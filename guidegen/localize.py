"""Resolve translations: one locale's view of the project, every passage language-tagged."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from .cache import BuildCache, Hasher, digest
from .config import LocaleConfig
from .i18n import SHARED, UI, Coverage, Lookup, catalog_path, guide_passages, read_catalog
from .layout import CONFIG_FILE
from .loader import Project
from .passages import Passage, map_passages, normalize
from .problems import Report
from .schema import Guide, Letter
from .ui import Interface

V = TypeVar("V")


class Lazy(Mapping[str, V]):
    """A mapping whose values are made on first use (a build renders a few guides of a locale;
    it need not read every catalog of it)."""

    def __init__(self, keys: list[str], make: Callable[[str], V]) -> None:
        self._keys, self._known, self._make = keys, set(keys), make
        self._made: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        if key not in self._made:
            if key not in self._known:
                raise KeyError(key)
            self._made[key] = self._make(key)
        return self._made[key]

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def forget(self, key: str) -> None:
        """Drop the value made for key (it is made again if asked for)."""
        self._made.pop(key, None)


@dataclass
class LocalizedSite:
    """What one locale's pages show: localized guides and shared content, and what is published."""

    locale: LocaleConfig
    title: Passage
    original: LocaleConfig  # the language letters are handed in
    guides: Mapping[str, Guide] = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    unpublished: list[str] = field(default_factory=list)
    interface: Interface = field(default_factory=lambda: Interface(None, is_source=True))
    handin: Mapping[str, dict[str, Letter | None]] = field(default_factory=dict)
    headings: Mapping[str, list[Passage]] = field(default_factory=dict)  # title and summary

    def forget(self, guide_id: str) -> None:
        """Drop what was localised of one guide, once its outputs in this locale are made."""
        for table in (self.guides, self.handin):
            if isinstance(table, Lazy):
                table.forget(guide_id)


def make_lookup(
    project: Project, locale: LocaleConfig, owners: list[str], report: Report
) -> Lookup:
    """Return the per-passage lookup of one locale over the given catalogs."""
    source = project.config.locale(project.config.source_locale)
    catalogs = []
    if locale.code != source.code:
        for owner in owners:
            catalog = read_catalog(catalog_path(project.root, locale.code, owner), report)
            if catalog is not None:
                catalogs.append(catalog)
    return Lookup(locale.code, locale.dir, source.code, source.dir, locale.show_outdated, catalogs)


def guide_coverage(
    project: Project,
    locale: LocaleConfig,
    guide_id: str,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
) -> Coverage:
    """Return how much of a guide is translated; cached by the hashes of its YAML and PO file."""
    cache, hasher = cache or BuildCache(), hasher or Hasher()
    key = ":".join(
        [
            locale.code,
            hasher.file(project.guide_path(guide_id)),
            hasher.file(catalog_path(project.root, locale.code, guide_id)),
        ]
    )
    if key not in cache.coverage:
        lookup = make_lookup(project, locale, [guide_id], report)
        cache.coverage[key] = list(
            lookup.coverage(guide_passages(project.guides[guide_id])).as_dict().values()
        )
    return Coverage(*cache.coverage[key])


def guide_heading(
    project: Project,
    locale: LocaleConfig,
    guide_id: str,
    report: Report,
    cache: BuildCache,
    hasher: Hasher,
) -> list[Passage]:
    """Return a guide's title and summary as shown in a locale (what other pages show of it:
    index entries, related-guide links), cached by the hashes of its YAML, its PO file and
    guidegen.yaml: the pages of other guides need not read its catalog."""
    key = heading_key(project, locale.code, guide_id, hasher)
    if not _is_heading(cache.labels.get(key)):
        shown = localized_heading(project, locale, guide_id, report)
        cache.labels[key] = [[str(p), p.lang, p.dir, p.state] for p in shown]
    return [Passage(*fields) for fields in cache.labels[key]]


def heading_key(project: Project, code: str, guide_id: str, hasher: Hasher) -> str:
    """Return the key guide_heading keeps a guide's heading in a locale under."""
    return _shown_key("heading", project, code, guide_id, hasher)


def _shown_key(kind: str, project: Project, code: str, guide_id: str, hasher: Hasher) -> str:
    """Return the cache key of what a locale shows of a guide: it changes with guidegen.yaml
    (fallback settings), the guide's YAML and the locale's PO file of the guide."""
    config = hasher.file(_config_path(project.root))
    guide, catalog = project.guide_path(guide_id), catalog_path(project.root, code, guide_id)
    return ":".join([kind, code, config, hasher.file(guide), hasher.file(catalog)])


@functools.lru_cache(maxsize=16)
def _config_path(root: Path) -> Path:
    return root / CONFIG_FILE


def _is_heading(row: object) -> bool:
    """Return True for a heading as guide_heading caches it (a cache file may be anything)."""
    return (
        isinstance(row, list)
        and len(row) == 2
        and all(
            isinstance(fields, list)
            and len(fields) == 4
            and all(isinstance(f, str) for f in fields)
            and fields[2] in ("ltr", "rtl")
            and fields[3] in ("ok", "missing", "outdated")
            for fields in row
        )
    )


def label(shown: list[Passage]) -> str:
    """Return a hash of passages as shown: their text, language and translation state."""
    return digest([(str(p), p.lang, p.state) for p in shown])


def handin_label(
    project: Project, guide_id: str, report: Report, cache: BuildCache, hasher: Hasher
) -> str:
    """Return a hash of a guide's letters as handed in (the original language): other locales'
    pages show them, so they change when these do; cached like guide_heading."""
    original = original_locale(project)
    key = _shown_key("handin", project, original.code, guide_id, hasher)
    if key not in cache.labels:
        lookup = make_lookup(project, original, [guide_id], report)
        shown = [
            lookup.passage(p.context, p.text)
            for p in guide_passages(project.guides[guide_id])
            if p.context.startswith(f"{guide_id}|letters.")
        ]
        cache.labels[key] = label(shown)
    return cache.labels[key]


def published_guides(
    project: Project,
    locale: LocaleConfig,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
) -> list[str]:
    """Return the guides translated enough to be published in a locale, in id order."""
    if locale.code == project.config.source_locale:
        return list(project.guides)  # the source is the whole text: coverage 1, any threshold
    return [
        guide_id
        for guide_id in project.guides
        if guide_coverage(project, locale, guide_id, report, cache, hasher).ratio
        >= locale.publish_threshold
    ]


def localize_site(
    project: Project,
    locale: LocaleConfig,
    report: Report,
    published: list[str] | None = None,
    heading: Callable[[LocaleConfig, str], list[Passage]] | None = None,
    handin: Lazy[dict[str, Letter | None]] | None = None,
) -> LocalizedSite:
    """Return one locale's view of the project: shared content and the published guides.

    heading(locale, guide_id) gives a guide's title and summary as lists of guides show them
    (by default: localized_heading; a build gives them from its cache); handin, the letters as
    handed in (handed_in: one for all the sites of a build)."""
    if published is None:
        published = published_guides(project, locale, report)
    shared = make_lookup(project, locale, [SHARED], report)
    title = shared.passage("site|title", project.config.title)
    site = LocalizedSite(locale, title, original_locale(project))
    site.interface = interface(project, locale, report)
    for owner, table, target in (
        ("sources", project.sources, site.sources),
        ("glossary", project.terms, site.terms),
        ("contacts", project.contacts, site.contacts),
    ):
        for key, entry in table.items():
            target[key] = map_passages(entry, f"{owner}|{key}", shared.passage)
    shown = [guide_id for guide_id in project.guides if guide_id in published]
    site.unpublished = [guide_id for guide_id in project.guides if guide_id not in published]

    def localized(guide_id: str) -> Guide:
        lookup = make_lookup(project, locale, [guide_id], report)
        return map_passages(project.guides[guide_id], guide_id, lookup.passage)

    site.guides = Lazy(shown, localized)
    if site.original.code == locale.code:  # the letters as this locale's guides show them
        site.handin = Lazy(
            shown, lambda guide_id: {letter.id: letter for letter in site.guides[guide_id].letters}
        )
    else:
        site.handin = handin if handin is not None else handed_in(project, report)
    shows = heading or (lambda locale, g: localized_heading(project, locale, g, report))
    site.headings = Lazy(shown, lambda guide_id: shows(locale, guide_id))
    return site


def original_locale(project: Project) -> LocaleConfig:
    """Return the settings of the language letters are handed in (config original_language)."""
    code = project.config.original_language
    if code in project.config.codes:
        return project.config.locale(code)
    from babel import Locale

    babel_locale = Locale.parse(code, sep="-")
    direction: Literal["ltr", "rtl"] = "rtl" if babel_locale.text_direction == "rtl" else "ltr"
    name = babel_locale.get_display_name(babel_locale) or code
    return LocaleConfig(code=code, name=name, dir=direction)


def handed_in(project: Project, report: Report) -> Lazy[dict[str, Letter | None]]:
    """Return each guide's letters in the language they are handed in, or None for a letter
    whose translation is missing or outdated (the page then says so: never machine translation):
    what every locale but that language shows. The sites of a build share one (each guide's
    letters are then looked up once, not once per locale)."""
    original = original_locale(project)

    def letters(guide_id: str) -> dict[str, Letter | None]:
        lookup = make_lookup(project, original, [guide_id], report)
        lookup.show_outdated = False
        result: dict[str, Letter | None] = {}
        for letter in project.guides[guide_id].letters:
            prefix = f"{guide_id}|letters.{letter.id}"
            shown = map_passages(letter, prefix, lookup.passage)
            complete = not shown.title.is_fallback and not shown.body.is_fallback
            result[letter.id] = shown if complete or original.code == lookup.source_locale else None
        return result

    return Lazy(list(project.guides), letters)


def localized_heading(
    project: Project, locale: LocaleConfig, guide_id: str, report: Report | None = None
) -> list[Passage]:
    """Return a guide's title and summary as a locale shows them, without localising the rest
    of the guide (what a link to it from another guide shows). The catalog's problems go to
    report (by default nowhere: the checks have reported them)."""
    guide = project.guides[guide_id]
    lookup = make_lookup(project, locale, [guide_id], report or Report(project.root))
    return [
        lookup.passage(f"{guide_id}|{name}", normalize(getattr(guide, name)))
        for name in ("title", "summary")
    ]


def source_title(project: Project, guide_id: str) -> Passage:
    """Return a guide's title in the source language, for links to it from other locales."""
    source = project.config.locale(project.config.source_locale)
    return Passage(project.guides[guide_id].title, source.code, source.dir)


def interface(project: Project, locale: LocaleConfig, report: Report) -> Interface:
    """Return the interface strings of a locale (ui.po), ready for the templates."""
    if locale.code == project.config.source_locale:
        return Interface(None, is_source=True)
    return Interface(read_catalog(catalog_path(project.root, locale.code, UI), report))
