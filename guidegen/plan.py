"""Plan a build: every output the project makes, with the hash of everything it is made from.

Keys are computed from file hashes only (no rendering, no catalog parsing for unchanged files), so
a no-op build can tell in milliseconds per output that nothing needs rendering.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from . import __version__
from .cache import BuildCache, Hasher, code_hash, digest
from .config import CONFIG_FILE
from .i18n import SHARED, UI, catalog_path
from .loader import CONTENT_DIR, GUIDES_DIR, Project, today
from .localize import guide_label, published_guides
from .pipeline import THEME_ASSETS, PdfVariant, pdf_name, pdf_variants
from .problems import Report
from .render import template_dirs


@dataclass(frozen=True)
class Planned:
    """One output: where it goes, what kind it is, and the hash of its inputs."""

    path: str
    kind: str  # language, index, asset, guide, pdf
    key: str
    guide: str = ""
    locale: str = ""
    variant: PdfVariant | None = None


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
    formats: str = "all"
    shard: tuple[int, int] = (1, 1)

    def wants(self, item: Planned, guide_order: list[str]) -> bool:
        """Return True when this build should produce the output."""
        if item.kind == "pdf" and self.formats == "html":
            return False
        if item.kind != "pdf" and self.formats == "pdf":
            return False
        if self.locales and item.locale and item.locale not in self.locales:
            return False
        if item.kind in ("language", "index", "asset"):
            return not self.guides and self.shard[0] == 1
        if self.guides and item.guide not in self.guides:
            return False
        index, count = self.shard[0] - 1, self.shard[1]
        return guide_order.index(item.guide) % count == index


def plan_outputs(
    project: Project, paper: str, formats: str, report: Report, cache: BuildCache, hasher: Hasher
) -> Plan:
    """Return every output with its input key."""
    root = project.root
    theme = digest([hasher.tree(folder, (".html", ".css")) for folder in template_dirs(root)])
    base = digest(
        __version__,
        code_hash(hasher),
        theme,
        hasher.file(root / CONFIG_FILE),
        paper,
        formats != "html",
    )
    shared_yaml = hasher.files(
        root / CONTENT_DIR / n for n in ("sources.yaml", "glossary.yaml", "contacts.yaml")
    )
    plan = Plan()
    for locale in project.config.locales:
        plan.published[locale.code] = published_guides(project, locale, report, cache, hasher)
    plan.outputs.append(Planned("index.html", "language", digest("language", base)))
    plan.outputs += [
        Planned(f"assets/{name}", "asset", digest("asset", base, name)) for name in THEME_ASSETS
    ]

    def guide_inputs(guide_id: str, code: str) -> str:
        return digest(
            hasher.file(root / GUIDES_DIR / f"{guide_id}.yaml"),
            hasher.file(catalog_path(root, code, guide_id)),
        )

    def label(guide_id: str, locale) -> str:
        return guide_label(project, locale, guide_id, report, cache, hasher)

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
                digest("index", locale_inputs, [label(g, locale) for g in project.guides]),
                locale=code,
            )
        )
        for guide_id in plan.published[code]:
            guide = project.guides[guide_id]
            related = [label(g, locale) for g in guide.related if g in project.guides]
            key = digest(
                locale_inputs,
                guide_id,
                guide_inputs(guide_id, code),
                guide.review.review_by < today(),
            )
            # the web page also shows the titles of related guides; the PDFs do not
            page_key = digest("guide", key, related)
            plan.outputs.append(
                Planned(f"{code}/{guide_id}/index.html", "guide", page_key, guide_id, code)
            )
            for variant in pdf_variants(paper):
                plan.outputs.append(
                    Planned(
                        f"{code}/{guide_id}/{pdf_name(guide_id, code, variant)}",
                        "pdf",
                        digest("pdf", key, variant.suffix, _weasyprint_version()),
                        guide_id,
                        code,
                        variant,
                    )
                )
    return plan


@functools.cache
def _weasyprint_version() -> str:
    """Return WeasyPrint's version without importing it (a no-op build never imports it)."""
    from importlib.metadata import version

    return version("weasyprint")
