"""Plain-language checks: English reading grade per section, Chinese sentence length."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from . import syllables
from .cache import BuildCache, Hasher
from .config import Config
from .i18n import catalog_path, read_catalog
from .loader import Project
from .passages import normalize
from .problems import Location, Report
from .schema import Guide
from .yamlsafe import YamlDoc

MIN_WORDS_FOR_GRADE = 40  # Flesch-Kincaid is noise on a few words
LONG_ENGLISH_SENTENCE = 30  # words
LONG_CHINESE_SENTENCE = 60  # characters
CHINESE_AVERAGE = 40  # characters per sentence, per section

_MARKUP = re.compile(r"\*\*|\[([^\]]*)\]\([^)]*\)|`|^\s*[-*+]\s+|\{[a-z_]+\}", re.MULTILINE)
_EN_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n\s*\n|\n(?=\s*[-*+]\s)")
_ZH_SENTENCE = re.compile(r"(?<=[。！？；])|\n+")


@dataclass
class Section:
    """A stretch of a guide read as one unit: its name, where it is, and its passages' contexts."""

    name: str
    location: Location
    contexts: list[tuple[str, str]]  # (msgctxt, source text)


def plain(text: str) -> str:
    """Return text without Markdown marks and placeholders; each line reads as a sentence."""
    lines = [_MARKUP.sub(lambda m: m.group(1) or "", line).strip() for line in text.splitlines()]
    return "\n".join(
        line if not line or line[-1] in ".!?:;。！？；：" else line + "." for line in lines
    )


def sections(guide: Guide, doc: YamlDoc | None = None) -> list[Section]:
    """Return the guide's readable sections with their source passages."""
    gid = guide.id

    def where(name: str) -> Location:
        return doc.where((name,)) if doc is not None else guide.at

    result = [
        Section(
            "summary",
            where("summary"),
            [(f"{gid}|summary", guide.summary), (f"{gid}|audience", guide.audience)],
        )
    ]
    for step in guide.steps:
        result.append(
            Section(
                f"step '{step.id}'",
                step.at,
                [
                    (f"{gid}|steps.{step.id}.body", step.body),
                    (f"{gid}|steps.{step.id}.where", step.where),
                ],
            )
        )
    for name in ("what_next", "if_refused"):
        result.append(Section(name, where(name), [(f"{gid}|{name}", getattr(guide, name))]))
    for i, item in enumerate(guide.faq):
        result.append(
            Section(f"question {i + 1}", item.at, [(f"{gid}|faq.{i}.answer", item.answer)])
        )
    return [s for s in result if any(text for _, text in s.contexts)]


def load_english_tables() -> None:
    """Load what check_english reads first (the syllable table and textstat's hyphenation
    dictionary) in this process, so that workers forked after it share those pages instead of
    each loading its own copy (about 14 MB a worker)."""
    import textstat

    if syllables.install():
        syllables.syllable_table()
    textstat.flesch_kincaid_grade("A guidegenish warm-up sentence of plain words.")


def check_english(guide: Guide, doc: YamlDoc | None, config: Config, report: Report) -> None:
    """Warn about English sections above the grade threshold and sentences that run long."""
    import textstat

    syllables.install()  # textstat's own dictionary would take 90 MB in each process
    for section in sections(guide, doc):
        text = "\n\n".join(plain(normalize(t)) for _, t in section.contexts if t)
        if len(text.split()) >= MIN_WORDS_FOR_GRADE:
            grade = textstat.flesch_kincaid_grade(text)
            if grade > config.reading_grade:
                report.warning(
                    section.location,
                    f"{guide.id}: {section.name} reads at grade "
                    f"{grade:.1f}, above {config.reading_grade:g}",
                    "use shorter sentences and everyday words",
                )
        for sentence in _EN_SENTENCE.split(text):
            if len(sentence.split()) > LONG_ENGLISH_SENTENCE:
                report.warning(
                    section.location,
                    f"{guide.id}: {section.name} has a sentence of "
                    f'{len(sentence.split())} words: "{sentence[:60]}..."',
                    f"split it: at most {LONG_ENGLISH_SENTENCE} words",
                )


def check_chinese(project: Project, guide: Guide, locale: str, report: Report) -> None:
    """Warn about Chinese sections whose sentences are long on average, and each long sentence."""
    path = catalog_path(project.root, locale, guide.id)
    catalog = read_catalog(path, report)
    if catalog is None:
        return
    by_context = {m.context: m for m in catalog.messages if m.id and m.string and not m.fuzzy}
    rel = report.relative(path)
    for section in sections(guide):
        sentences = []
        for context, _ in section.contexts:
            message = by_context.get(context)
            if message is None:
                continue
            for sentence in _ZH_SENTENCE.split(plain(normalize(message.string))):
                sentence = sentence.strip()
                if not sentence:
                    continue
                sentences.append(sentence)
                if len(sentence) > LONG_CHINESE_SENTENCE:
                    report.warning(
                        Location(rel, message.line, 1),
                        f"{guide.id}: {section.name} has a sentence of {len(sentence)} "
                        f'characters: "{sentence[:20]}..."',
                        f"split it: at most {LONG_CHINESE_SENTENCE} characters",
                    )
        if sentences and (average := sum(map(len, sentences)) / len(sentences)) > CHINESE_AVERAGE:
            report.warning(
                Location(rel, 1, 1),
                f"{guide.id}: {section.name} averages "
                f"{average:.0f} characters a sentence, above {CHINESE_AVERAGE}",
                "use shorter sentences",
            )


def check_guide_readability(
    project: Project, guide, report: Report, cache: BuildCache, hasher: Hasher
) -> None:
    """Run the plain-language checks on one guide (replayed from the cache when unchanged)."""
    settings = f"{project.config.reading_grade}:{LONG_ENGLISH_SENTENCE}:{LONG_CHINESE_SENTENCE}"
    source = hasher.file(project.guide_path(guide.id))
    cache.replay(
        f"read-en:{settings}:{source}",
        report,
        partial(check_english, guide, project.docs.get(guide.id), project.config),
    )
    for locale in project.config.codes:
        if locale.startswith("zh") and locale != project.config.source_locale:
            po = hasher.file(catalog_path(project.root, locale, guide.id))
            cache.replay(
                f"read-zh:{settings}:{locale}:{source}:{po}",
                report,
                partial(check_chinese, project, guide, locale),
            )
