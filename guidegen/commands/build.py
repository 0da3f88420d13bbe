"""guidegen build: load, validate, plan, localize, render every format, publish atomically."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

from ..cache import BuildCache, Hasher, code_hash, digest
from ..collector import fewer_collections
from ..errors import BuildError, ContentError
from ..fonts import require_font
from ..formats import GuideUnit, Job, Output, OutputFormat, registry, select
from ..formats.base import Rendered
from ..i18n import catalog_path, forget_unpacked
from ..loader import Project, load_project
from ..localize import (
    LocalizedSite,
    guide_coverage,
    guide_label,
    handin_label,
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
    SITE_DIR,
    GuideHeading,
    downloads,
    language_choices,
    render_language_page,
    render_locale_index,
    theme_assets,
)
from ..plan import SITE_FORMAT, Plan, Planned, Selection, plan_outputs
from ..problems import Location, Report
from ..progress import Progress
from ..render import PageRenderer, make_environment
from ..stamp import input_fingerprint, read_stamp, replay_if_up_to_date, write_stamp
from ..validate import validate
from ..versions import (
    CACHE,
    claim_output,
    current_version,
    discard_version,
    publish_version,
    start_version,
)
from ..workers import iter_forked, render_all

logger = logging.getLogger(__name__)


@dataclass
class BuildOptions:
    """What to build, as given on the command line."""

    project: Path
    out: Path
    locales: tuple[str, ...] = ()
    guides: tuple[str, ...] = ()
    formats: tuple[str, ...] | str = ()  # format or family names ('html', 'pdf', ...); () = all
    jobs: int = 0
    strict: bool = False
    keep_going: bool = False
    paper: str | None = None
    force: bool = False
    shard: tuple[int, int] = (1, 1)


@dataclass
class BuildResult:
    """What a build did."""

    report: Report
    written: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, stage, *args):
        """Run one stage and record how long it took."""
        started = time.perf_counter()
        try:
            return stage(*args)
        finally:
            self.stages[name] = time.perf_counter() - started

    def summary(self) -> str:
        return (
            f"rendered {len(self.written)}, up to date {len(self.up_to_date)}, "
            f"removed {len(self.removed)}, failed {len(self.failed)} "
            f"in {self.seconds:.1f} s"
        )


@dataclass
class Build:
    """The state shared by the stages of one build."""

    options: BuildOptions
    report: Report
    cache: BuildCache
    formats: list[OutputFormat]
    hasher: Hasher = field(default_factory=Hasher)
    project: Project = field(init=False)  # set by the first stage, load_and_validate
    result: BuildResult = field(init=False)
    version: Path | None = None  # the unpublished version folder outputs are written into
    fingerprint: str | None = None  # of every input (see stamp.py); None: cannot be told
    parsed: ParsedFiles | None = None  # YAML values known from the last build (see parsed.py)
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    links: dict[tuple[str, str], list[OutputFormat]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.result = BuildResult(self.report)
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
    def jobs(self) -> int:
        """How many processes may work at once (-j; default: the machine's CPUs)."""
        return self.options.jobs or os.cpu_count() or 1

    @property
    def paper(self) -> str:
        return self.options.paper or self.project.config.paper


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site; raise ContentError on bad input, BuildError when rendering fails."""
    with fewer_collections():
        return _build(options, progress)


def _build(options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    progress = progress or Progress(enabled=False)
    claim_output(options.out)
    state = Build(
        options, Report(options.project.resolve()), _load_cache(options), select(options.formats)
    )
    timed = state.result.timed
    if timed("compare with the published build", up_to_date, state):
        state.result.seconds = time.perf_counter() - started
        return state.result
    state.project = timed("load and validate", load_and_validate, state)
    plan = timed("plan", plan_build, state)
    todo = outdated_outputs(state, plan)
    sites = timed("resolve translations", resolve_translations, state, plan, todo)
    try:
        jobs = timed("render HTML", render_pages, state, plan, sites, todo, progress)
        timed("render PDF", render_in_workers, state, sites, jobs, progress)
        fail_on_problems(state.report, options.strict)  # --strict counts WeasyPrint's warnings
        timed("publish", publish, state, plan)
    except BaseException:
        if state.version is not None:
            discard_version(state.version)
        raise
    state.result.seconds = time.perf_counter() - started
    if state.result.failed:
        raise BuildError("build failed for:\n" + "\n".join(state.result.failed))
    return state.result


def _load_cache(options: BuildOptions) -> BuildCache:
    current = current_version(options.out)
    return BuildCache() if options.force or current is None else BuildCache.load(current / CACHE)


def up_to_date(state: Build) -> bool:
    """Fingerprint the inputs; return True, with the published build's warnings replayed, when
    that build was made from the same inputs and options and its outputs are all still there."""
    options = state.options
    state.fingerprint = input_fingerprint(options.project, _choices(options), state.hasher)
    current = current_version(options.out)
    if options.force or current is None:
        return False
    wanted = replay_if_up_to_date(
        read_stamp(current), state.fingerprint, current / SITE_DIR, state.report
    )
    if wanted is None:
        return False
    state.result.up_to_date = wanted
    fail_on_problems(state.report, options.strict)
    return True


def _choices(options: BuildOptions) -> dict:
    """The options that decide what a build makes (-j and --force do not)."""
    chosen = asdict(options)
    for name in ("jobs", "force"):
        chosen.pop(name)
    chosen["project"], chosen["out"] = str(options.project.resolve()), str(options.out.resolve())
    return chosen


def load_and_validate(state: Build) -> Project:
    """Load the project, check it (replaying cached checks of unchanged files) and the options."""
    options, report = state.options, state.report
    code = code_hash(state.hasher)
    if state.cache.checks.get("code") != [{"hash": code}]:
        state.cache = BuildCache(checks={"code": [{"hash": code}]})  # new guidegen: start afresh
    current = None if options.force else current_version(options.out)
    state.parsed = ParsedFiles.load(current, code)
    project = load_project(options.project, report, state.cache, state.hasher, state.parsed)
    fail_on_problems(report, options.strict)
    assert project is not None  # load_project reports an error whenever it returns None
    validate(
        project,
        report,
        state.cache,
        state.hasher,
        also=lambda locale, guide_id: _remember_catalog(state, project, locale, guide_id),
        jobs=state.jobs,
    )
    fail_on_problems(report, options.strict)
    unknown = [f"locale '{c}'" for c in sorted(set(options.locales) - set(project.config.codes))]
    unknown += [f"guide '{g}'" for g in sorted(set(options.guides) - set(project.guides))]
    if unknown:
        raise BuildError("unknown " + ", ".join(unknown))
    return project


def _remember_catalog(state: Build, project: Project, locale, guide_id: str) -> None:
    """Record a guide catalog's coverage and shown title (and, in the original language, its
    letters as handed in) while it is parsed, for the plan."""
    guide_coverage(project, locale, guide_id, state.report, state.cache, state.hasher)
    guide_label(project, locale, guide_id, state.report, state.cache, state.hasher)
    if locale.code == project.config.original_language:
        handin_label(project, guide_id, state.report, state.cache, state.hasher)


def fail_on_problems(report: Report, strict: bool) -> None:
    """Raise ContentError listing every problem when the input is not usable."""
    if report.failed(strict):
        raise ContentError(
            report.as_text() + f"\n{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        )


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


def resolve_translations(state: Build, plan: Plan, todo: list[Planned]) -> dict[str, LocalizedSite]:
    """Return the localized view of every locale that has something to render."""
    locales = {item.locale for item in todo if item.locale}
    return {
        code: localize_site(
            state.project, state.project.config.locale(code), state.report, plan.published[code]
        )
        for code in sorted(locales)
    }


def render_pages(
    state: Build,
    plan: Plan,
    sites: dict[str, LocalizedSite],
    todo: list[Planned],
    progress: Progress,
) -> list[tuple[Job, str]]:
    """Render site pages and light formats into the new version; return the heavy jobs.

    The guides' outputs are rendered guide by guide, in forked worker processes with -j > 1;
    this process writes them into the version in order.
    """
    project = state.project
    env = make_environment(project.root)
    renderers = {code: PageRenderer(env, project.config, site) for code, site in sites.items()}
    advance = progress.start(len(todo), "pages")
    for item in todo:
        if item.kind not in ("guide", "index"):
            state.emit(_site_page(state, env, renderers, sites, item, {}), item.key)
            advance()
    units: dict[tuple[str, str], list[Planned]] = {}
    for item in todo:
        if item.kind == "guide":
            units.setdefault((item.locale, item.guide), []).append(item)
    heavy: list[tuple[Job, str]] = []
    headings: dict[tuple[str, str], GuideHeading] = {}  # what the locale indexes show
    render = partial(_render_unit, state, plan, sites, renderers)
    for rendered, heading, problems in iter_forked(render, list(units.values()), state.jobs):
        state.report.extend(problems)
        headings[(heading.locale, heading.id)] = heading
        for item, made in rendered:
            if isinstance(made, Output):
                state.emit(made, item.key)
            else:
                heavy.append((made, item.key))
            advance()
    for item in todo:  # after the guides: their workers localised what the indexes show
        if item.kind == "index":
            state.emit(_site_page(state, env, renderers, sites, item, headings), item.key)
            advance()
    return heavy


def _site_page(state: Build, env, renderers, sites, item: Planned, headings: dict) -> Output:
    project = state.project
    if item.kind == "asset":
        return next(o for o in theme_assets(project) if o.path == item.path)
    if item.kind == "language":
        source = localize_site(
            project, project.config.locale(project.config.source_locale), state.report, []
        )
        renderer = PageRenderer(env, project.config, source)
        return render_language_page(renderer, language_choices(project, state.report))
    return render_locale_index(renderers[item.locale], project, sites[item.locale], headings)


def _render_unit(
    state: Build, plan: Plan, sites, renderers, items: list[Planned]
) -> tuple[list[tuple[Planned, Output | Job]], GuideHeading, list]:
    """Return one guide's outputs in one locale (heavy ones as jobs), what the locale's index
    shows of the guide, and the problems found."""
    mark = state.report.mark()
    by_name = {f.name: f for f in registry()}
    unit = _unit(state, plan, sites, renderers, items[0])
    made: list[tuple[Planned, Output | Job]] = []
    for item in items:
        fmt = by_name[item.format]
        job = fmt.prepare(unit)
        if fmt.in_worker:
            made.append((item, job))
        else:
            made.append((item, Output(job.path, job.guide, job.locale, job.format, job.run().data)))
    guide = unit.site.guides[unit.guide_id]
    heading = GuideHeading(unit.guide_id, unit.code, guide.title, guide.summary)
    _forget_unit(state, unit)
    return made, heading, state.report.take_since(mark)


def _forget_unit(state: Build, unit: GuideUnit) -> None:
    """Drop what rendering one guide in one locale localised and unpacked: each is rendered
    once, so a page worker's memory stays that of a few guides, however large the site."""
    unit.site.forget(unit.guide_id)
    root, original = state.project.root, unit.site.original.code
    forget_unpacked(catalog_path(root, code, unit.guide_id) for code in {unit.code, original})


def _unit(state: Build, plan: Plan, sites, renderers, item: Planned) -> GuideUnit:
    renderer = renderers[item.locale]
    links = state.links.get((item.guide, item.locale), [])
    return GuideUnit(
        state.project,
        sites[item.locale],
        item.guide,
        renderer,
        state.paper,
        plan.published,
        downloads(links, item.guide, item.locale, renderer.interface),
    )


def check_fonts(state: Build, sites: dict[str, LocalizedSite], jobs: list) -> None:
    """Stop before rendering when a font a locale (or its handed-in letters) needs is missing."""
    for code in sorted({job.locale for job, _ in jobs}):
        for locale in (sites[code].locale, sites[code].original):
            if locale.code in state.project.config.codes:
                require_font(locale.font, locale.font_package, locale.code)


def render_in_workers(
    state: Build, sites: dict[str, LocalizedSite], jobs: list[tuple[Job, str]], progress: Progress
) -> None:
    """Render the heavy jobs (PDFs) in worker processes, writing each as it arrives."""
    if not jobs:
        return
    check_fonts(state, sites, jobs)
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
        write_stamp(version, state.fingerprint, wanted, state.report)


def _remove_empty_folders(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
