"""The one list of checks on a loaded project, shared by `guidegen check` and `guidegen build`.

Loading (guidegen.loader) already checks the YAML against the schema, references, review dates
and passage limits; these are the checks that read the translations and measure the text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .cache import BuildCache, Hasher
from .config import LocaleConfig
from .loader import Project
from .problems import Report
from .readability import check_guide_readability, load_english_tables
from .scripts import locale_script
from .translation_checks import check_translations
from .workers import Crew


def validate(
    project: Project,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
    also: Callable[[LocaleConfig, str], None] | None = None,
    jobs: int = 1,
    crew: Crew | None = None,
) -> None:
    """Report every problem of the translations and of the text's reading level.

    With a cache, checks of unchanged files are replayed; `also(locale, guide_id)` runs while
    each guide catalog is parsed (the build records coverage then); jobs > 1 checks the
    translations, and each guide's reading level with them, in that many processes. A build
    passes its crew of workers: they keep the catalogs they parse for rendering the guides.
    """
    cache, hasher = cache or BuildCache(), hasher or Hasher()
    read: set[str] = set()

    def each_guide(locale: LocaleConfig, guide_id: str) -> None:
        if also is not None:
            also(locale, guide_id)
        if guide_id not in read:  # in the worker that checks the guide's catalogs
            read.add(guide_id)
            check_guide_readability(project, project.guides[guide_id], report, cache, hasher)

    prepare = partial(_load_tables, project)
    if crew is None:
        with Crew(jobs) as own:
            own.before_fork(prepare)
            check_translations(project, report, cache, hasher, each_guide, own)
    else:
        crew.before_fork(prepare)
        check_translations(project, report, cache, hasher, each_guide, crew, keep_catalogs=True)
    for guide_id, guide in project.guides.items():  # guides no catalog check reached
        if guide_id not in read:
            check_guide_readability(project, guide, report, cache, hasher)


def _load_tables(project: Project) -> None:
    """Load the read-only tables every check worker reads (forked next, they share them)."""
    load_english_tables()
    for code in project.config.codes:
        locale_script(code)  # Babel's CLDR data
