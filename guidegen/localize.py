"""Resolve translations: one locale's view of the project, every passage language-tagged."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import LocaleConfig
from .i18n import SHARED, Coverage, Lookup, catalog_path, guide_passages, read_catalog
from .loader import Project
from .passages import Passage, map_passages
from .problems import Report
from .schema import Guide


@dataclass
class LocalizedSite:
    """What one locale's pages show: localized guides and shared content, and what is published."""

    locale: LocaleConfig
    title: Passage
    guides: dict[str, Guide] = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    coverage: dict[str, Coverage] = field(default_factory=dict)
    unpublished: list[str] = field(default_factory=list)


def make_lookup(
    project: Project, locale: LocaleConfig, owners: list[str], report: Report
) -> Lookup:
    """Return the per-passage lookup of one locale over the given catalogs."""
    source = project.config.locale(project.config.source_locale)
    catalogs = []
    if locale.code != source.code:
        for owner in owners:
            catalog = read_catalog(
                catalog_path(project.root, locale.code, owner), locale.code, report
            )
            if catalog is not None:
                catalogs.append(catalog)
    return Lookup(locale.code, locale.dir, source.code, source.dir, locale.show_outdated, catalogs)


def localize_site(project: Project, locale: LocaleConfig, report: Report) -> LocalizedSite:
    """Return one locale's view of the whole project."""
    shared = make_lookup(project, locale, [SHARED], report)
    site = LocalizedSite(locale, shared.passage("site|title", project.config.title))
    for owner, table, target in (
        ("sources", project.sources, site.sources),
        ("glossary", project.terms, site.terms),
        ("contacts", project.contacts, site.contacts),
    ):
        for key, entry in table.items():
            target[key] = map_passages(entry, f"{owner}|{key}", shared.passage)
    for guide_id, guide in project.guides.items():
        lookup = make_lookup(project, locale, [guide_id], report)
        site.coverage[guide_id] = lookup.coverage(guide_passages(guide))
        if site.coverage[guide_id].ratio < locale.publish_threshold:
            site.unpublished.append(guide_id)
            continue
        site.guides[guide_id] = map_passages(guide, guide_id, lookup.passage)
    return site


def source_title(project: Project, guide_id: str) -> Passage:
    """Return a guide's title in the source language, for links to it from other locales."""
    source = project.config.locale(project.config.source_locale)
    return Passage(project.guides[guide_id].title, source.code, source.dir)


def locales_root(project: Project) -> Path:
    return project.root / "content" / "locales"
