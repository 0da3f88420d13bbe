"""Plan a build: every output the project makes, with the hash of everything it is made from.

Keys are computed from file hashes only (no rendering, no catalog parsing for unchanged files), so
a no-op build can tell in milliseconds per output that nothing needs rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import __version__
from .cache import BuildCache, Hasher, code_hash, digest
from .formats import registry
from .i18n import SHARED, UI, catalog_path
from .layout import CONFIG_FILE, CONTENT_DIR, template_dirs, today
from .loader import Project
from .localize import guide_heading, handin_label, label, published_guides
from .pipeline import FONTS_CSS, THEME_ASSETS
from .problems import Report

SITE_FORMAT = "html"  # site pages and theme assets belong to the HTML edition


@dataclass(frozen=True)
class Planned:
    """One output: where it goes, what kind it is, and the hash of its inputs.

    kind is 'language', 'index' or 'asset' for the site's own pages, 'guide' for a guide's file
    in one output format (format names it).
    """

    path: str
    kind: str
    key: str
    guide: str = ""
    locale: str = ""
    format: str = SITE_FORMAT


@dataclass
class Plan:
    """Every output of the project, and which guides each locale publishes."""

    outputs: list[Planned] = field(default_factory=list)
    published: dict[str, list[str]] = field(default_factory=dict)

    @property
    def paths(self) -> set[str]:
        return {item.path for item in self.outputs}


@dataclass(frozen=True)
class Selection:
    """What the command line asked to build."""

    locales: tuple[str, ...] = ()
    guides: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # format names; empty means every format
    shard: tuple[int, int] = (1, 1)

    def wants(self, item: Planned, guide_order: dict[str, int]) -> bool:
        """Return True when this build should produce the output."""
        if self.formats and item.format not in self.formats:
            return False
        if self.locales and item.locale and item.locale not in self.locales:
            return False
        if item.kind != "guide":
            return not self.guides and self.shard[0] == 1
        if self.guides and item.guide not in self.guides:
            return False
        index, count = self.shard[0] - 1, self.shard[1]
        return guide_order[item.guide] % count == index


def plan_outputs(
    project: Project, paper: str, report: Report, cache: BuildCache, hasher: Hasher
) -> Plan:
    """Return every output with its input key."""
    root = project.root
    theme = digest(
        [hasher.tree(folder, (".html", ".css", ".txt")) for folder in template_dirs(root)]
    )
    base = digest(__version__, code_hash(hasher), theme, hasher.file(root / CONFIG_FILE))
    shared_yaml = hasher.files(
        root / CONTENT_DIR / n for n in ("sources.yaml", "glossary.yaml", "contacts.yaml")
    )
    plan = Plan()
    for locale in project.config.locales:
        plan.published[locale.code] = published_guides(project, locale, report, cache, hasher)
    # The language page shows each locale's title and prompt: it depends on every locale's catalogs.
    every_locale = [
        hasher.file(catalog_path(root, loc.code, owner))
        for loc in project.config.locales
        for owner in (SHARED, UI)
    ]
    plan.outputs.append(Planned("index.html", "language", digest("language", base, every_locale)))
    plan.outputs += [
        Planned(f"assets/{name}", "asset", digest("asset", base, name))
        for name in THEME_ASSETS + (FONTS_CSS,)
    ]

    labels: dict[tuple[str, str], str] = {}  # index pages and related links show each often

    def shown(guide_id: str, locale) -> str:
        if (guide_id, locale.code) not in labels:
            heading = guide_heading(project, locale, guide_id, report, cache, hasher)
            labels[guide_id, locale.code] = label(heading)
        return labels[guide_id, locale.code]

    original = project.config.original_language
    for locale in project.config.locales:
        code = locale.code
        locale_inputs = digest(
            base,
            shared_yaml,
            code,
            plan.published,
            hasher.file(catalog_path(root, code, SHARED)),
            hasher.file(catalog_path(root, code, UI)),
        )
        plan.outputs.append(
            Planned(
                f"{code}/index.html",
                "index",
                digest("index", locale_inputs, [shown(g, locale) for g in project.guides]),
                locale=code,
            )
        )
        for guide_id in plan.published[code]:
            guide = project.guides[guide_id]
            key = digest(
                locale_inputs,
                guide_id,
                hasher.file(project.guide_path(guide_id)),
                hasher.file(catalog_path(root, code, guide_id)),
                # letters are handed in in the original language: other pages show them too
                "" if code == original else handin_label(project, guide_id, report, cache, hasher),
                guide.review.review_by < today(),
            )
            # the web page also shows the titles of related guides; the other formats do not
            related = [shown(g, locale) for g in guide.related if g in project.guides]
            for fmt in registry():
                parts = fmt.key_parts(paper) + (related if fmt.name == SITE_FORMAT else [])
                plan.outputs.append(
                    Planned(
                        fmt.path(guide_id, code),
                        "guide",
                        digest(key, parts),
                        guide_id,
                        code,
                        fmt.name,
                    )
                )
    return plan
