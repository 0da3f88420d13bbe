"""guidegen build: when nothing changed since the published build, stop at once; else run the
stages (build_stages.py): load, validate, plan, localize, render every format, publish atomically.

This module imports only what that comparison needs, so that a build with nothing to do, or a
command that only names BuildOptions, does not load the renderers.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import Hasher
from ..collector import fewer_collections
from ..errors import BuildError, ContentError
from ..problems import Report
from ..stamp import input_fingerprint, read_stamp, renew_files, replay_if_up_to_date
from ..versions import SITE_DIR, claim_output, current_version

if TYPE_CHECKING:
    from ..progress import Progress


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


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site; raise ContentError on bad input, BuildError when rendering fails."""
    with fewer_collections():
        return _build(options, progress)


def _build(options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    claim_output(options.out)
    result = BuildResult(Report(options.project.resolve()))
    hasher = Hasher()
    current, fingerprint = result.timed(
        "compare with the published build", compare_with_published, options, result, hasher
    )
    if not current:
        from .build_stages import run_stages  # the renderers: imported only when needed

        run_stages(options, result, hasher, fingerprint, progress)
    result.seconds = time.perf_counter() - started
    if result.failed:
        raise BuildError("build failed for:\n" + "\n".join(result.failed))
    return result


def compare_with_published(
    options: BuildOptions, result: BuildResult, hasher: Hasher
) -> tuple[bool, str | None]:
    """Fingerprint the inputs (see stamp.py); return the fingerprint (None: cannot be told) and
    whether the published build was made from the same inputs and options with all its outputs
    still there: then its warnings are replayed into result, and its stamp keeps the hashes of
    inputs that were just written when it was made and have been left alone since."""
    current = None if options.force else current_version(options.out)
    stamp = read_stamp(current)
    if stamp is not None:
        hasher.know(stamp.files)  # unchanged files keep their hashes: not read again
    fingerprint = input_fingerprint(options.project, _choices(options), hasher)
    if current is None:
        return False, fingerprint
    wanted = replay_if_up_to_date(stamp, fingerprint, current / SITE_DIR, result.report)
    if wanted is None:
        return False, fingerprint
    result.up_to_date = wanted
    fail_on_problems(result.report, options.strict)
    if stamp is not None and hasher.looked != stamp.files:
        renew_files(current, stamp, hasher.looked)
    return True, fingerprint


def _choices(options: BuildOptions) -> dict:
    """The options that decide what a build makes (-j and --force do not)."""
    chosen = asdict(options)
    for name in ("jobs", "force"):
        chosen.pop(name)
    chosen["project"], chosen["out"] = str(options.project.resolve()), str(options.out.resolve())
    return chosen


def fail_on_problems(report: Report, strict: bool) -> None:
    """Raise ContentError listing every problem when the input is not usable."""
    if report.failed(strict):
        raise ContentError(
            report.as_text() + f"\n{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        )
