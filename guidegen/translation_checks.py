"""Checks on translations, on what the reader will see: numbers, links, placeholders, terms.

A translation is compared with its source after both are rendered (Markdown to HTML, entities
decoded), so `3&#48;` counts as 30 and a link added reference-style or as raw HTML counts as a
link. Entries marked fuzzy are checked too when the locale shows outdated translations.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache, Hasher
from .config import LocaleConfig
from .i18n import SHARED, UI, catalog_path, is_draft, read_catalog
from .loader import CONTENT_DIR, Project
from .markup import passage_problem, render_markdown
from .numbers import missing_and_extra
from .po import Message, PoFile, python_format_directives, python_format_problem
from .problems import Location, Report
from .scripts import locale_script
from .textsafety import HINT, JOINER_SCRIPTS, unsafe_problem

_BLANK = re.compile(r"\{[a-z][a-z0-9_]*\}")
_PYFORMAT = re.compile(r"%\([a-z_]+\)[sd]")
_HREF = re.compile(r'href="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_BOLD = re.compile(r"\*\*")
# A translator's PO flag (#, ignore-added-numbers) for an entry whose added numbers are right,
# e.g. a Chinese document number added in parentheses; numbers the source has are still required.
IGNORE_ADDED_NUMBERS = "ignore-added-numbers"


@dataclass
class Termbase:
    """The glossary of one locale: source term -> its translation in that locale."""

    terms: dict[str, str]

    @classmethod
    def of(cls, project: Project, locale: str, report: Report) -> Termbase:
        """Return the locale's glossary from content/glossary.yaml and its shared.po."""
        catalog = read_catalog(catalog_path(project.root, locale, SHARED), Report(report.root))
        found = {}
        by_context = {m.context: m for m in catalog.messages} if catalog else {}
        for key, term in project.terms.items():
            message = by_context.get(f"glossary|{key}.term")
            if message is not None and message.string and not message.fuzzy:
                found[term.term] = message.string
        return cls(found)

    def problems(self, source: str, target: str) -> list[str]:
        """Return a warning for each source term whose glossary translation the target lacks."""
        found = []
        plain_source, plain_target = _fold(source), _fold(target)
        for term, translation in sorted(self.terms.items()):
            if re.search(r"(?<!\w)" + re.escape(_fold(term)), plain_source) and not _uses(
                plain_target, _fold(translation)
            ):
                found.append(
                    f"translation does not use the glossary's translation of '{term}': "
                    f"'{translation}'"
                )
        return found


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _uses(target: str, translation: str) -> bool:
    """True when target contains a form of the glossary translation.

    Forms are separated by ' / ' (a full name and its short form); a parenthetical explanation
    is not required; the last word may lose up to 2 letters to a suffix (Uyghur ئىناۋەت →
    ئىناۋىتى: a suffix can change the end of a stem).
    """
    for form in translation.split(" / "):
        form = _PARENTHETICAL.sub("", form).strip()
        if not form or form in target:
            return True
        words = form.split()
        if len(words[-1]) > 4 and " ".join(words[:-1] + [words[-1][:-2]]) in target:
            return True
    return False


_PARENTHETICAL = re.compile(r"\s*[(（][^()（）]*[)）]")


def check_translations(
    project: Project,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
    also: Callable[[LocaleConfig, str], None] | None = None,
) -> None:
    """Report every broken translation in every locale's catalogs, with file:line.

    With a cache, a catalog whose inputs did not change since the last build is not read again.
    `also(locale, owner)` runs right after each guide catalog is checked, while it is parsed.
    """
    cache, hasher = cache or BuildCache(), hasher or Hasher()
    owners = list(project.guides) + [SHARED, UI]
    glossary = hasher.file(project.root / CONTENT_DIR / "glossary.yaml")
    for locale in project.config.locales:
        if locale.code == project.config.source_locale:
            continue
        shared = hasher.file(catalog_path(project.root, locale.code, SHARED))
        termbase: list[Termbase] = []  # built only when a check has to run
        for owner in owners:
            path = catalog_path(project.root, locale.code, owner)
            if path.is_file():
                source = hasher.file(project.guide_path(owner))
                cache.replay(
                    f"po-check:{locale.code}:{locale.show_outdated}:{hasher.file(path)}:"
                    f"{source}:{shared}:{glossary}",
                    report,
                    lambda scratch, p=path, c=locale, t=termbase: _check_file(
                        project, c, p, scratch, t
                    ),
                )
            if also is not None and owner in project.guides:
                also(locale, owner)


def _check_file(
    project: Project, locale: LocaleConfig, path: Path, report: Report, termbase: list[Termbase]
) -> None:
    catalog = read_catalog(path, report)
    if catalog is None:
        return
    if not termbase:
        termbase.append(Termbase.of(project, locale.code, report))
    is_ui = path.name == f"{UI}.po"
    check_catalog(catalog, path, report, locale, termbase[0], is_ui)


def check_catalog(
    catalog: PoFile,
    path: Path,
    report: Report,
    locale: LocaleConfig,
    termbase: Termbase | None = None,
    is_ui: bool = False,
) -> None:
    """Report broken entries of one catalog, and note when it is an unreviewed draft."""
    rel = report.relative(path)
    if is_draft(catalog):
        report.note(
            Location(rel, 1, 1), "draft translation: needs review by a qualified translator"
        )
    language = catalog.header.get("Language", "")
    if language and language.replace("_", "-").lower() != locale.code.lower():
        report.warning(
            Location(rel, catalog.header_line or 1, 1),
            f"the header says Language: {language}, but the file is for locale {locale.code}",
            f'set "Language: {locale.code.replace("-", "_")}"',
        )
    joiners = locale_script(locale.code) in JOINER_SCRIPTS
    for message in catalog.messages:
        shown = message.translated and (not message.fuzzy or locale.show_outdated)
        if not message.id or not shown:
            continue
        where = Location(rel, message.line, 1)
        hint = f"in entry {message.context or message.id!r}"
        for source, target in _pairs(message):
            unsafe, too_big = unsafe_problem(target, joiners), passage_problem(target)
            if unsafe or too_big:
                report.error(where, unsafe or too_big, HINT if unsafe else "shorten it")
                continue
            problems = ui_problems(source, target) if is_ui else compare(source, target)
            for problem in problems:
                report.error(where, problem, hint)
            for problem in termbase.problems(source, target) if termbase else []:
                report.warning(where, problem, "use one term per concept, as the glossary does")
            _, extra = missing_and_extra(_visible(source), _visible(target))
            for number in [] if IGNORE_ADDED_NUMBERS in message.flags else extra:
                report.warning(
                    where,
                    f"translation shows the number {number}, which the source does not have",
                    hint,
                )


def _pairs(message: Message) -> list[tuple[str, str]]:
    if message.plural_id is not None:
        return [
            (message.id if i == 0 else message.plural_id, s)
            for i, s in enumerate(message.plural_strings)
            if s
        ]
    return [(message.id, message.string)]


def ui_problems(source: str, target: str) -> list[str]:
    """Problems of an interface string: each is a %-format string filled in by the template."""
    directives, reason = python_format_directives(target)
    if directives is None:
        return [f"not a valid format string: {reason}"]
    problem = python_format_problem(source, target)
    return [problem] if problem else []


def _visible(text: str) -> str:
    """Return the text a reader sees: Markdown rendered, tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", str(render_markdown(text))))


def compare(source: str, target: str) -> list[str]:
    """Return what a translation broke compared with its source text."""
    problems = []
    for name, pattern in (("placeholder", _BLANK), ("format placeholder", _PYFORMAT)):
        problems += _multiset_problems(name, pattern.findall(source), pattern.findall(target))
    source_html, target_html = str(render_markdown(source)), str(render_markdown(target))
    problems += _multiset_problems(
        "link target",
        [html.unescape(h) for h in _HREF.findall(source_html)],
        [html.unescape(h) for h in _HREF.findall(target_html)],
    )
    if len(_RAW_HTML.findall(target)) > len(_RAW_HTML.findall(source)):
        problems.append("translation contains raw HTML that the source does not have")
    missing, _ = missing_and_extra(_visible(source), _visible(target))
    for number in missing:
        problems.append(f"number {number} of the source is missing from the translation")
    if len(_BOLD.findall(target)) % 2:
        problems.append("unbalanced ** in the translation breaks the Markdown")
    if source_html.count("<li>") != target_html.count("<li>"):
        problems.append(
            f"the source has {source_html.count('<li>')} list item(s), "
            f"the translation {target_html.count('<li>')}"
        )
    return problems


def _multiset_problems(name: str, source: list[str], target: list[str]) -> list[str]:
    missing = Counter(source) - Counter(target)
    extra = Counter(target) - Counter(source)
    return [f"translation drops {name} {item}" for item in sorted(missing)] + [
        f"translation adds {name} {item} not in the source" for item in sorted(extra)
    ]
