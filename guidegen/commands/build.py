"""guidegen build: load, validate, resolve translations, render HTML and PDF, write atomically."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, ContentError
from ..loader import Project, load_project
from ..localize import LocalizedSite, localize_site
from ..output import ManifestEntry, entry_for, read_manifest, write_atomic, write_manifest
from ..pdf import require_font
from ..pipeline import (
    SITE_DIR,
    Output,
    PdfJob,
    pdf_jobs,
    render_guide_page,
    render_language_page,
    render_locale_index,
    theme_assets,
)
from ..problems import Report
from ..readability import check_readability
from ..render import PageRenderer, make_environment
from ..translation_checks import check_translations
from ..workers import render_all

logger = logging.getLogger(__name__)


@dataclass
class BuildOptions:
    """What to build, as given on the command line."""

    project: Path
    out: Path
    locales: tuple[str, ...] = ()
    guides: tuple[str, ...] = ()
    formats: str = "all"
    jobs: int = 0
    strict: bool = False
    keep_going: bool = False
    paper: str | None = None


@dataclass
class BuildResult:
    """What a build did."""

    report: Report
    written: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raise ContentError on bad input, BuildError when rendering fails."""
    started = time.perf_counter()
    report = Report(options.project.resolve())
    project = load_and_validate(options, report)
    sites = resolve_translations(project, options, report)
    fail_on_problems(report, options.strict)
    outputs = render_html(project, sites, options, report)
    result = BuildResult(report)
    if options.formats in ("pdf", "all"):
        check_fonts(project, sites)
        outputs += render_pdfs(project, sites, options, result)
    write_outputs(options.out, outputs, result)
    result.seconds = time.perf_counter() - started
    if result.failed:
        raise BuildError("build failed for:\n" + "\n".join(result.failed))
    return result


def load_and_validate(options: BuildOptions, report: Report) -> Project:
    """Load the project and check the options against it."""
    project = load_project(options.project, report)
    fail_on_problems(report, options.strict)
    check_translations(project, report)
    check_readability(project, report)
    unknown_locales = sorted(set(options.locales) - set(project.config.codes))
    unknown_guides = sorted(set(options.guides) - set(project.guides))
    if unknown_locales or unknown_guides:
        raise BuildError(
            "unknown "
            + ", ".join(
                [f"locale '{c}'" for c in unknown_locales]
                + [f"guide '{g}'" for g in unknown_guides]
            )
        )
    return project


def fail_on_problems(report: Report, strict: bool) -> None:
    """Log warnings; raise ContentError listing every problem when the input is not usable."""
    if report.failed(strict):
        raise ContentError(
            report.as_text() + f"\n{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        )
    for problem in report.warnings:
        logger.warning("%s", problem)


def resolve_translations(
    project: Project, options: BuildOptions, report: Report
) -> dict[str, LocalizedSite]:
    """Return each locale's localized view (all locales, so pages can link to each other)."""
    return {
        locale.code: localize_site(project, locale, report) for locale in project.config.locales
    }


def _selected(options: BuildOptions, sites: dict[str, LocalizedSite]):
    for code, site in sites.items():
        if options.locales and code not in options.locales:
            continue
        for guide_id in site.guides:
            if not options.guides or guide_id in options.guides:
                yield site, guide_id


def render_html(
    project: Project, sites: dict[str, LocalizedSite], options: BuildOptions, report: Report
) -> list[Output]:
    """Render every selected HTML page into memory."""
    env = make_environment(project.root)
    paper = options.paper or project.config.paper
    with_pdfs = options.formats in ("pdf", "all")
    renderers = {
        code: PageRenderer(env, project.config, site, project.root, report)
        for code, site in sites.items()
    }
    outputs: list[Output] = []
    if options.formats in ("html", "all"):
        outputs.append(render_language_page(renderers[project.config.source_locale]))
        outputs += theme_assets(project.root)
        for code, site in sites.items():
            if not options.locales or code in options.locales:
                outputs.append(render_locale_index(renderers[code], project, site))
        for site, guide_id in _selected(options, sites):
            outputs.append(
                render_guide_page(
                    renderers[site.locale.code], project, sites, site, guide_id, paper, with_pdfs
                )
            )
    return outputs


def check_fonts(project: Project, sites: dict[str, LocalizedSite]) -> None:
    """Stop before rendering when a font a locale needs is not installed."""
    for site in sites.values():
        require_font(site.locale.font, site.locale.font_package, site.locale.code)


def render_pdfs(
    project: Project, sites: dict[str, LocalizedSite], options: BuildOptions, result: BuildResult
) -> list[Output]:
    """Render every selected PDF, in parallel worker processes."""
    env = make_environment(project.root)
    paper = options.paper or project.config.paper
    jobs: list[PdfJob] = []
    for site, guide_id in _selected(options, sites):
        renderer = PageRenderer(env, project.config, site, project.root, result.report)
        jobs += pdf_jobs(renderer, project, site, guide_id, paper)
    outputs: list[Output] = []

    def collect(job: PdfJob, output: Output | None, error: BaseException | None) -> None:
        if output is not None:
            outputs.append(output)
            return
        result.failed.append(f"{job.path}: {type(error).__name__}: {error}")
        if not options.keep_going:
            raise BuildError(f"{job.path}: rendering failed: {error}") from error

    render_all(jobs, options.jobs or os.cpu_count() or 1, collect)
    return outputs


def write_outputs(out: Path, outputs: list[Output], result: BuildResult) -> None:
    """Write every output atomically, copy the theme's assets, then update the manifest."""
    site_root = out / SITE_DIR
    entries: dict[str, ManifestEntry] = read_manifest(out)
    for output in sorted(outputs, key=lambda o: o.path):
        target = site_root / output.path
        write_atomic(target, output.data)
        entries[output.path] = entry_for(
            site_root, target, output.guide, output.locale, output.format, output.data
        )
        result.written.append(output.path)
    write_manifest(out, {k: v for k, v in entries.items() if (site_root / k).is_file()})
