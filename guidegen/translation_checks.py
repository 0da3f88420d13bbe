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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from .cache import BuildCache, Hasher
from .config import LocaleConfig
from .i18n import (
    SHARED,
    UI,
    catalog_path,
    is_draft,
    parsed_keys,
    read_catalog,
    set_aside_parsed,
)
from .layout import CONTENT_DIR
from .loader import Project
from .markup import passage_problem, render_markdown
from .numbers import Mention, compare_mentions, mentions, missing_and_extra, word_values
from .po import Message, PoFile, python_format_directives, python_format_problem
from .problems import Location, Report
from .scripts import locale_script
from .textsafety import HINT, JOINER_SCRIPTS, unsafe_problem
from .workers import Crew

_BLANK = re.compile(r"\{[a-z][a-z0-9_]*\}")
_PYFORMAT = re.compile(r"%\([a-z_]+\)[sd]")
_HREF = re.compile(r'href="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_BOLD = re.compile(r"\*\*")
# A translator's PO flag (#, ignore-added-numbers) for an entry whose added numbers are right,
# e.g. a Chinese document number added in parentheses; numbers the source has are still required.
IGNORE_ADDED_NUMBERS = "ignore-added-numbers"


class TermFinder:
    """Which glossary terms (source language) a text uses: every locale asks of the same text."""

    def __init__(self, terms: Iterable[str]) -> None:
        # (the term, folded, a pattern finding it at a word start)
        self._patterns = [
            (term, _fold(term), re.compile(r"(?<!\w)" + re.escape(_fold(term))))
            for term in sorted(set(terms))
        ]
        self._found: dict[str, list[str]] = {}

    def found(self, text: str) -> list[str]:
        """Return the terms text uses, sorted."""
        if text not in self._found:
            if len(self._found) > 65536:  # a long-running preview: keep memory bounded
                self._found.clear()
            plain = _fold(text)
            self._found[text] = [
                term
                for term, folded, pattern in self._patterns
                if folded in plain and pattern.search(plain)  # the quick test first
            ]
        return self._found[text]


@dataclass
class Termbase:
    """The glossary of one locale: source term -> its translation in that locale."""

    terms: dict[str, str]
    finder: TermFinder | None = None  # shared by the locales of a project; made if not given

    def __post_init__(self) -> None:
        self.finder = self.finder or TermFinder(self.terms)
        self._folded = {term: _fold(translation) for term, translation in self.terms.items()}

    @classmethod
    def of(cls, project: Project, locale: str, report: Report) -> Termbase:
        """Return the locale's glossary from content/glossary.yaml and its shared.po."""
        catalog = read_catalog(catalog_path(project.root, locale, SHARED), Report(report.root))
        found: dict[str, str] = {}
        by_context = {m.context: m for m in catalog.messages} if catalog else {}
        for key, term in project.terms.items():
            message = by_context.get(f"glossary|{key}.term")
            if message is not None and message.string and not message.fuzzy:
                found[term.term] = message.string
        return cls(found, _finder(tuple(sorted(t.term for t in project.terms.values()))))

    def problems(self, source: str, target: str) -> list[str]:
        """Return a warning for each source term whose glossary translation the target lacks."""
        found: list[str] = []
        plain_target = ""
        assert self.finder is not None
        for term in self.finder.found(source):
            if term not in self.terms:
                continue
            plain_target = plain_target or _fold(target)
            if not _uses(plain_target, self._folded[term]):
                found.append(
                    f"translation does not use the glossary's translation of '{term}': "
                    f"'{self.terms[term]}'"
                )
        return found


@lru_cache(maxsize=8)
def _finder(terms: tuple[str, ...]) -> TermFinder:
    return TermFinder(terms)


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
    crew: Crew | None = None,
    keep_catalogs: bool = False,
) -> None:
    """Report every broken translation in every locale's catalogs, with file:line.

    With a cache, a catalog whose inputs did not change since the last build is not read again.
    `also(locale, owner)` runs right after each guide catalog is checked, while it is parsed; it
    may record what it learns in the cache's coverage and labels. With a crew of workers the
    guides are checked in those processes, which send back what they added to the cache and
    keep the catalogs they parsed, packed, when keep_catalogs says a later round reads them.
    """
    cache, hasher = cache or BuildCache(), hasher or Hasher()
    owners = list(project.guides) + [SHARED, UI]
    glossary = hasher.file(project.root / CONTENT_DIR / "glossary.yaml")
    locales = [c for c in project.config.locales if c.code != project.config.source_locale]
    shared = {c.code: hasher.file(catalog_path(project.root, c.code, SHARED)) for c in locales}
    termbases: dict[str, list[Termbase]] = {c.code: [] for c in locales}  # built when needed

    def key(locale: LocaleConfig, owner: str, path: Path) -> str:
        source = hasher.file(project.guide_path(owner))
        return (
            f"po-check:{locale.code}:{locale.show_outdated}:{hasher.file(path)}:"
            f"{source}:{shared[locale.code]}:{glossary}"
        )

    def check_owner(owner: str) -> None:
        # Locale by locale: the guide's source passages, rendered for the first locale's
        # comparison, are still in the Markdown cache for the others.
        for locale in locales:
            path = catalog_path(project.root, locale.code, owner)
            if path.is_file():
                cache.replay(
                    key(locale, owner, path),
                    report,
                    partial(_check_file, project, locale, path, termbase=termbases[locale.code]),
                )
            if also is not None and owner in project.guides:
                also(locale, owner)

    def learn(owner: str) -> BuildCache:
        with cache.recording() as added:
            parsed = parsed_keys()
            check_owner(owner)
            set_aside_parsed(parsed, keep=keep_catalogs)
        return added

    todo = [
        owner
        for owner in owners
        if any(
            (path := catalog_path(project.root, c.code, owner)).is_file()
            and key(c, owner, path) not in cache.checks
            for c in locales
        )
    ]
    if crew is not None and crew.workers > 1 and len(todo) > 1:
        # Unordered: each worker checks a run of neighbouring guides (see Crew.map); what
        # they add are distinct entries, merged in any order, and replayed in order below.
        for added in crew.map(learn, todo, key=lambda owner: owner, ordered=False):
            cache.merge(added)
    for owner in owners:  # replays what the workers found, in order (or checks, without them)
        parsed = parsed_keys()
        check_owner(owner)
        set_aside_parsed(parsed, keep=keep_catalogs)  # memory of one guide, not of them all


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
            if is_ui:
                problems = ui_problems(source, target)
                extra = missing_and_extra(
                    _visible(render_markdown(source)), _visible(render_markdown(target))
                )[1]
            else:
                problems, extra = _compare(source, target)
            for problem in problems:
                report.error(where, problem, hint)
            for problem in termbase.problems(source, target) if termbase else []:
                report.warning(where, problem, "use one term per concept, as the glossary does")
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


def _visible(rendered: str) -> str:
    """Return the text a reader sees in rendered HTML: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", rendered))


@dataclass(frozen=True)
class _Shown:
    """What the checks compare of one text, as the reader sees it once rendered."""

    blanks: list[str]
    formats: list[str]
    links: list[str]
    raw_html: int
    numbers: list[Mention]
    visible: str
    bold_marks: int
    list_items: int

    @classmethod
    # The guide's source texts, compared once per locale: 2,000 documents hit as often with
    # 1,024 entries as with 16,384 (each worker holds the cache).
    @lru_cache(maxsize=2048)
    def of(cls, text: str) -> _Shown:
        rendered = str(render_markdown(text))
        visible = _visible(rendered)
        return cls(
            blanks=_BLANK.findall(text),
            formats=_PYFORMAT.findall(text),
            links=[html.unescape(h) for h in _HREF.findall(rendered)],
            raw_html=len(_RAW_HTML.findall(text)),
            numbers=mentions(visible),
            visible=visible,
            bold_marks=len(_BOLD.findall(text)),
            list_items=rendered.count("<li>"),
        )


def _compare(source: str, target: str) -> tuple[list[str], list[str]]:
    """Return what a translation broke, and the numbers it shows that the source does not."""
    was, now = _Shown.of(source), _Shown.of(target)
    problems = _multiset_problems("placeholder", was.blanks, now.blanks)
    problems += _multiset_problems("format placeholder", was.formats, now.formats)
    problems += _multiset_problems("link target", was.links, now.links)
    if now.raw_html > was.raw_html:
        problems.append("translation contains raw HTML that the source does not have")
    missing, extra = compare_mentions(was.numbers, now.numbers, lambda: word_values(was.visible))
    for number in missing:
        problems.append(f"number {number} of the source is missing from the translation")
    if now.bold_marks % 2:
        problems.append("unbalanced ** in the translation breaks the Markdown")
    if was.list_items != now.list_items:
        problems.append(
            f"the source has {was.list_items} list item(s), the translation {now.list_items}"
        )
    return problems, extra


def _multiset_problems(name: str, source: list[str], target: list[str]) -> list[str]:
    if source == target:  # nearly always: the same items in the same order
        return []
    missing = Counter(source) - Counter(target)
    extra = Counter(target) - Counter(source)
    return [f"translation drops {name} {item}" for item in sorted(missing)] + [
        f"translation adds {name} {item} not in the source" for item in sorted(extra)
    ]
