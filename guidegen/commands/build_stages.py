"""The stages of a build (run when the published build is not up to date, see build.py): load,
validate, plan, localize, render every format, publish atomically."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from jinja2 import Environment

from ..cache import BuildCache, Hasher, code_hash, digest
from ..collector import fewer_collections
from ..errors import BuildError
from ..fonts import require_font
from ..formats import GuideUnit, Job, Output, OutputFormat, registry, select
from ..formats.base import Rendered
from ..i18n import catalog_path, drop_catalogs
from ..loader import Project, load_project
from ..localize import (
    LocalizedSite,
    guide_coverage,
    guide_heading,
    handed_in,
    handin_label,
    heading_key,
    localize_site,
)
from ..output import (
    ManifestEntry,
    confine,
    entry_for,
    flush_to_disk,
    read_manifest,
    write_manifest,
    write_new,
)
from ..parsed import ParsedFiles
from ..pipeline import (
    downloads,
    language_choices,
    render_language_page,
    render_locale_index,
    theme_assets,
)
from ..plan import SITE_FORMAT, Plan, Planned, Selection, plan_outputs
from ..problems import Location, Report
from ..progress import Progress
from ..render import PageRenderer, load_locale_data, make_environment
from ..stamp import write_stamp
from ..validate import validate
from ..versions import (
    CACHE,
    SITE_DIR,
    current_version,
    discard_version,
    publish_version,
    start_version,
)
from ..workers import Crew, render_all
from .build import BuildOptions, BuildResult, fail_on_problems

logger = logging.getLogger(__name__)


_BUILD: Build | None = None  # the build this process runs (its page workers inherit it)


@dataclass
class Build:
    """The state shared by the stages of one build."""

    options: BuildOptions
    result: BuildResult
    cache: BuildCache
    formats: list[OutputFormat]
    hasher: Hasher = field(default_factory=Hasher)
    project: Project = field(init=False)  # set by the first stage, load_and_validate
    version: Path | None = None  # the unpublished version folder outputs are written into
    fingerprint: str | None = None  # of every input (see stamp.py); None: cannot be told
    parsed: ParsedFiles | None = None  # YAML values known from the last build (see parsed.py)
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    links: dict[tuple[str, str], list[OutputFormat]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = read_manifest(current_version(self.options.out))

    def emit(self, output: Output, key: str) -> None:
        """Write one rendered output into the new version right away, keeping only its entry."""
        if self.version is None:
            self.version = start_version(self.options.out)
        target = self.version / SITE_DIR / output.path
        write_new(target, output.data, self.version / SITE_DIR)
        self.entries[output.path] = entry_for(
            self.version / SITE_DIR, target, output.guide, output.locale, output.format, output.data
        )
        self.cache.outputs[output.path] = key
        self.result.written.append(output.path)

    @property
    def report(self) -> Report:
        return self.result.report

    @property
    def jobs(self) -> int:
        """How many processes may work at once (-j; default: the machine's CPUs)."""
        return self.options.jobs or os.cpu_count() or 1

    @property
    def paper(self) -> str:
        return self.options.paper or self.project.config.paper


def run_stages(
    options: BuildOptions,
    result: BuildResult,
    hasher: Hasher,
    fingerprint: str | None,
    progress: Progress | None,
) -> None:
    """Build what is out of date and publish the new version; a failed or killed build publishes
    nothing (its unpublished version is discarded)."""
    progress = progress or Progress(enabled=False)
    formats = select(options.formats)
    state = Build(options, result, _load_cache(options), formats, hasher, fingerprint=fingerprint)
    timed = result.timed
    try:
        with running(state), Crew(state.jobs) as crew:  # the same workers check and render
            plan, pages, jobs = html_stages(state, crew, progress)
        timed("render PDF", render_in_workers, state, pages, jobs, progress)
        fail_on_problems(state.report, options.strict)  # --strict counts WeasyPrint's warnings
        timed("publish", publish, state, plan)
    except BaseException:
        if state.version is not None:
            discard_version(state.version)
        raise


def _load_cache(options: BuildOptions) -> BuildCache:
    current = current_version(options.out)
    return BuildCache() if options.force or current is None else BuildCache.load(current / CACHE)


@contextmanager
def running(state: Build) -> Iterator[None]:
    """Make state the build this process runs (what its page workers inherit)."""
    global _BUILD
    _BUILD = state
    try:
        yield
    finally:
        _BUILD = None


def html_stages(
    state: Build, crew: Crew, progress: Progress
) -> tuple[Plan, Pages, list[tuple[Job, str]]]:
    """Run the stages up to the HTML pages (written into the new version); return the plan,
    what rendering needs and the heavy jobs (PDFs) still to run."""
    timed = state.result.timed
    timed("load and validate", load_and_validate, state, crew)
    plan = timed("plan", plan_build, state)
    todo = outdated_outputs(state, plan)
    pages = timed("resolve translations", resolve_translations, state, plan, todo)
    jobs = timed("render HTML", render_pages, state, pages, todo, progress, crew)
    return plan, pages, jobs


def heavy_jobs(options: BuildOptions) -> list[tuple[Job, str]]:
    """Run a cold build's stages up to the PDF stage (pages written into a version under
    options.out, nothing published) and return the heavy jobs it would then render, as a
    build holds them: what the benchmarks time and measure."""
    result = BuildResult(Report(options.project.resolve()))
    state = Build(options, result, BuildCache(), select(options.formats))
    with fewer_collections(), running(state), Crew(state.jobs) as crew:
        return html_stages(state, crew, Progress(enabled=False))[2]


def load_and_validate(state: Build, crew: Crew) -> None:
    """Load the project, check it (replaying cached checks of unchanged files) and the options.

    The crew's workers, forked once the project is loaded, check the guides and keep their
    catalogs for rendering them."""
    options, report = state.options, state.report
    code = code_hash(state.hasher)
    if state.cache.checks.get("code") != [{"hash": code}]:
        state.cache = BuildCache(checks={"code": [{"hash": code}]})  # new guidegen: start afresh
    current = None if options.force else current_version(options.out)
    state.parsed = ParsedFiles.load(current, code)
    project = load_project(options.project, report, state.cache, state.hasher, state.parsed)
    fail_on_problems(report, options.strict)
    assert project is not None  # load_project reports an error whenever it returns None
    state.project = project  # before the workers are forked: they render from it
    codes = [*project.config.codes, project.config.original_language]
    crew.before_fork(partial(load_locale_data, codes))  # what every page reads, shared
    validate(
        project,
        report,
        state.cache,
        state.hasher,
        also=lambda locale, guide_id: _remember_catalog(state, project, locale, guide_id),
        crew=crew,
    )
    fail_on_problems(report, options.strict)
    unknown = [f"locale '{c}'" for c in sorted(set(options.locales) - set(project.config.codes))]
    unknown += [f"guide '{g}'" for g in sorted(set(options.guides) - set(project.guides))]
    if unknown:
        raise BuildError("unknown " + ", ".join(unknown))


def _remember_catalog(state: Build, project: Project, locale, guide_id: str) -> None:
    """Record a guide catalog's coverage and shown title (and, in the original language, its
    letters as handed in) while it is parsed, for the plan."""
    guide_coverage(project, locale, guide_id, state.report, state.cache, state.hasher)
    guide_heading(project, locale, guide_id, state.report, state.cache, state.hasher)
    if locale.code == project.config.original_language:
        handin_label(project, guide_id, state.report, state.cache, state.hasher)


def plan_build(state: Build) -> Plan:
    """Return every output of the project with the hash of its inputs."""
    return plan_outputs(state.project, state.paper, state.report, state.cache, state.hasher)


def outdated_outputs(state: Build, plan: Plan) -> list[Planned]:
    """Return the selected outputs whose inputs changed, or that are missing on disk.

    A guide's page links to its files in the other formats that exist once this build is
    published, whichever formats this build renders; the links are part of the page's key.
    """
    options = state.options
    names = tuple(f.name for f in state.formats)
    selection = Selection(options.locales, options.guides, names, options.shard)
    order = {guide_id: n for n, guide_id in enumerate(state.project.guides)}
    site_root = str(options.out / SITE_DIR)

    def fresh(item: Planned) -> bool:
        return state.cache.outputs.get(item.path) == item.key and os.path.isfile(
            os.path.join(site_root, item.path)
        )

    def is_page(item: Planned) -> bool:
        return item.kind == "guide" and item.format == SITE_FORMAT

    wanted = [item for item in plan.outputs if selection.wants(item, order)]
    pages = [i for i in wanted if is_page(i)]
    todo = [i for i in wanted if not is_page(i) and not fresh(i)]
    available = {i.path for i in todo} | (set(state.entries) & plan.paths)
    linked = [f for f in registry() if f.label]
    for page in pages:
        state.links[(page.guide, page.locale)] = [
            f for f in linked if f.path(page.guide, page.locale) in available
        ]
        links = [f.name for f in state.links[(page.guide, page.locale)]]
        item = replace(page, key=digest(page.key, links))
        if not fresh(item):
            todo.append(item)
    rendering = {t.path for t in todo}
    state.result.up_to_date += [i.path for i in wanted if i.path not in rendering]
    for item in wanted:  # what the renderer warned about when it made the files kept
        if item.path not in rendering and f"render:{item.key}" in state.cache.checks:
            state.cache.replay(f"render:{item.key}", state.report, lambda found: None)
    return todo


def resolve_translations(state: Build, plan: Plan, todo: list[Planned]) -> Pages:
    """Return the localized view of every locale that has something to render."""
    links = {where: [f.name for f in formats] for where, formats in state.links.items()}
    locales = sorted({item.locale for item in todo if item.locale})
    pages = Pages(plan.published, links, _linked_headings(state, locales), locales)
    pages.localized(state)
    return pages


def _linked_headings(state: Build, locales: list[str]) -> dict:
    """Return the headings a page worker may show of guides it does not render: those of the
    guides some guide links to as related, in the locales rendered (not every guide's: at
    10,000 documents all of them are 17 MB in each worker). Any other is made where needed."""
    project, labels = state.project, state.cache.labels
    linked = sorted({g for guide in project.guides.values() for g in guide.related})
    keys = [
        heading_key(project, code, guide_id, state.hasher)
        for code in locales
        for guide_id in linked
        if guide_id in project.guides
    ]
    return {key: labels[key] for key in keys if key in labels}


@dataclass
class Pages:
    """Each locale's localized site and page renderer, and each page's download links: what
    rendering a guide's outputs needs. Made in the build process, and made again in each page
    worker from what travels here (the build learns it after forking them)."""

    published: dict[str, list[str]]  # the guides each locale publishes
    links: dict[tuple[str, str], list[str]]  # (guide, locale) -> formats the page links to
    labels: dict  # the build cache's headings of linked guides (what related-guide links show)
    locales: list[str]
    _made: tuple | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_made": None}  # each process localizes for itself

    def localized(self, state: Build) -> tuple[Environment, dict[str, LocalizedSite], dict]:
        """Return the environment, each locale's site and each locale's renderer."""
        if self._made is None:
            project, report = state.project, state.report
            state.cache.labels.update(self.labels)  # in a worker: what the others learnt

            def heading(locale, guide_id: str):
                return guide_heading(project, locale, guide_id, report, state.cache, state.hasher)

            handin = handed_in(project, report)
            sites = {
                code: localize_site(
                    project,
                    project.config.locale(code),
                    report,
                    self.published[code],
                    heading,
                    handin,
                )
                for code in self.locales
            }
            env = make_environment(project.root)
            renderers = {code: PageRenderer(env, project.config, s) for code, s in sites.items()}
            self._made = (env, sites, renderers)
        return self._made


def render_pages(
    state: Build,
    pages: Pages,
    todo: list[Planned],
    progress: Progress,
    crew: Crew,
) -> list[tuple[Job, str]]:
    """Render site pages and light formats into the new version; return the heavy jobs.

    The guides' outputs are rendered guide by guide, every locale of a guide at once, by the
    crew's workers (each renders the guides it checked, whose catalogs it kept); this process
    writes them into the version as they come, and ends the workers before the indexes.
    """
    env, sites, renderers = pages.localized(state)
    advance = progress.start(len(todo), "pages")
    for item in todo:
        if item.kind not in ("guide", "index"):
            state.emit(_site_page(state, env, renderers, sites, item), item.key)
            advance()
    guides: dict[str, list[Planned]] = {}
    for item in todo:
        if item.kind == "guide":
            guides.setdefault(item.guide, []).append(item)
    heavy: list[tuple[Job, str]] = []
    render = partial(_render_guide, pages)
    # Last checked, first rendered: the passages a worker rendered to check them are then
    # still in its Markdown cache when the pages show them. Written as they come (the
    # manifest is sorted, the report sorted when read): no worker's pages wait here.
    last_first = list(guides.values())[::-1]
    for rendered, problems in crew.map(render, last_first, key=_guide_of, ordered=False):
        state.report.extend(problems)
        for item, made in rendered:
            if isinstance(made, Output):
                state.emit(made, item.key)
            else:
                heavy.append((made, item.key))
            advance()
    # The workers are done: end them before the locales' indexes, which list every guide and
    # are made here (at 10,000 documents the build's peak came there, with two idle workers).
    crew.close()
    for item in todo:
        if item.kind == "index":
            state.emit(_site_page(state, env, renderers, sites, item), item.key)
            advance()
    return heavy


def _guide_of(items: list[Planned]) -> str:
    return items[0].guide


def _site_page(state: Build, env, renderers, sites, item: Planned) -> Output:
    project = state.project
    if item.kind == "asset":
        return next(o for o in theme_assets(project) if o.path == item.path)
    if item.kind == "language":
        source = localize_site(
            project, project.config.locale(project.config.source_locale), state.report, []
        )
        renderer = PageRenderer(env, project.config, source)
        return render_language_page(renderer, language_choices(project, state.report))
    return render_locale_index(renderers[item.locale], project, sites[item.locale])


def _render_guide(
    pages: Pages, items: list[Planned]
) -> tuple[list[tuple[Planned, Output | Job]], list]:
    """Return one guide's outputs in every locale (heavy ones as jobs) and the problems found,
    in a page worker or in the build process; then forget the guide's catalogs (each guide is
    rendered once: a worker's memory does not grow with the site)."""
    state = _BUILD
    assert state is not None, "a page worker inherits the build it was forked from"
    _, sites, renderers = pages.localized(state)
    mark = state.report.mark()
    guide_id, root = items[0].guide, state.project.root
    units = {
        code: _unit(state, pages, sites, renderers, guide_id, code)
        for code in dict.fromkeys(item.locale for item in items)
    }
    made: list[tuple[Planned, Output | Job]] = []
    for item in items:
        fmt = _format_named(item.format)
        job = fmt.prepare(units[item.locale])
        if fmt.in_worker:
            made.append((item, job))
        else:
            made.append((item, Output(job.path, job.guide, job.locale, job.format, job.run().data)))
    for code in units:
        sites[code].forget(guide_id)
    read = set(units) | {state.project.config.original_language}
    drop_catalogs(catalog_path(root, code, guide_id) for code in read)
    return made, state.report.take_since(mark)


def _format_named(name: str) -> OutputFormat:
    return next(f for f in registry() if f.name == name)


def _unit(state: Build, pages: Pages, sites, renderers, guide_id: str, code: str) -> GuideUnit:
    renderer = renderers[code]
    links = [_format_named(name) for name in pages.links.get((guide_id, code), [])]
    return GuideUnit(
        state.project,
        sites[code],
        guide_id,
        renderer,
        state.paper,
        pages.published,
        downloads(links, guide_id, code, renderer.interface),
    )


def check_fonts(state: Build, pages: Pages, jobs: list) -> None:
    """Stop before rendering when a font a locale (or its handed-in letters) needs is missing."""
    sites = pages.localized(state)[1]
    for code in sorted({job.locale for job, _ in jobs}):
        for locale in (sites[code].locale, sites[code].original):
            if locale.code in state.project.config.codes:
                require_font(locale.font, locale.font_package, locale.code)


def render_in_workers(
    state: Build, pages: Pages, jobs: list[tuple[Job, str]], progress: Progress
) -> None:
    """Render the heavy jobs (PDFs) in worker processes, writing each as it arrives."""
    if not jobs:
        return
    check_fonts(state, pages, jobs)
    keys = {job.path: key for job, key in jobs}
    advance = progress.start(len(jobs), "PDFs")

    def collect(job: Job, rendered: Rendered | None, error: BaseException | None) -> None:
        advance()
        if rendered is not None:
            key = keys[job.path]
            state.emit(Output(job.path, job.guide, job.locale, job.format, rendered.data), key)
            state.cache.replay(
                f"render:{key}",
                state.report,
                lambda found: _renderer_warnings(job, rendered, found),
            )
            return
        state.result.failed.append(f"{job.path}: {type(error).__name__}: {error}")
        if not state.options.keep_going:
            raise BuildError(f"{job.path}: rendering failed: {error}") from error

    render_all([job for job, _ in jobs], state.jobs, collect)


def _renderer_warnings(job: Job, rendered: Rendered, report: Report) -> None:
    for message in rendered.warnings:
        report.warning(
            Location(f"{SITE_DIR}/{job.path}", 1, 1),
            f"WeasyPrint: {message}",
            "the theme's CSS or templates ask for something WeasyPrint cannot do",
        )


def publish(state: Build, plan: Plan) -> None:
    """Remove outputs of deleted guides, write manifest and cache, switch the new version in."""
    out = state.options.out
    current = current_version(out)
    stale = sorted(set(state.entries) - plan.paths)
    if state.version is None:
        if current is not None and not stale:
            state.cache.save(current / CACHE)  # nothing to publish; keep what the checks learnt
            _keep_parsed(state, current)
            _stamp(state, current)
            return
        state.version = start_version(out)
    site_root = state.version / SITE_DIR
    for path in stale:
        confine(site_root, site_root / path).unlink(missing_ok=True)
        _remove_empty_folders((site_root / path).parent, site_root)
        state.entries.pop(path)
        state.cache.outputs.pop(path, None)
        state.result.removed.append(path)
    entries = {k: v for k, v in state.entries.items() if (site_root / k).is_file()}
    write_manifest(state.version, entries)
    state.cache.save(state.version / CACHE)
    _keep_parsed(state, state.version)
    _stamp(state, state.version)
    flush_to_disk()
    publish_version(out, state.version)


def _keep_parsed(state: Build, version: Path) -> None:
    if state.parsed is not None:
        state.parsed.save(version)


def _stamp(state: Build, version: Path) -> None:
    """Leave the stamp that lets the same build, repeated on the same inputs, stop at once."""
    if state.fingerprint is not None and not state.result.failed:
        wanted = sorted(set(state.result.written) | set(state.result.up_to_date))
        write_stamp(version, state.fingerprint, wanted, state.report, state.hasher.looked)


def _remove_empty_folders(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
