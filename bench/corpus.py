"""The benchmark's corpus: the bundled project with its guides cloned, each clone's text its own.

In the default (unique) corpus every guide, the bundled ones included, gets a token of its own —
seven symbols such as '~^=+$~^' — appended to each translatable passage: in its YAML, and at the
same place (the end) of the msgid and msgstr of each of its catalogs. No two guides then share a
passage in any locale, so no cache keyed by text (rendered Markdown, parsed catalogs, readability)
can serve one guide from another. The token has no letters, digits, sentence punctuation or
Markdown: numbers, {blanks}, list items, links and the reading-grade measure (which ignores
punctuation) stay as they were, and `guidegen check` reports the same problems per guide as on
the identical corpus. The identical corpus (--identical) copies the files and changes only the
guide ids, as the first version of this benchmark did.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
EXTRA_LOCALE = "zh-Hant"  # a fifth locale for the corpus: catalogs copied from zh-Hans
EXTRA_LOCALE_COPIES = "zh-Hans"
EXTRA_LOCALE_CONFIG = (
    f"  - code: {EXTRA_LOCALE}\n    name: 繁體中文\n    dir: ltr\n"
    "    font: Noto Sans CJK SC\n    font_package: fonts-noto-cjk\n"
)
_SYMBOLS = "~^=+$"  # literal in Markdown (MkDocs' extensions too), ignored by textstat
_TOKEN_LENGTH = 7
_EXTRA_LOCALE_OFFSET = len(_SYMBOLS) ** _TOKEN_LENGTH // 2  # zh-Hant's tokens: other numbers
MAX_GUIDES = _EXTRA_LOCALE_OFFSET


@dataclass
class Corpus:
    """A generated project: where it is, its guides and locales, how it was made."""

    root: Path
    guides: list[str]
    locales: list[str]
    unique: bool
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return len(self.guides) * len(self.locales)


def make_corpus(target: Path, guides: int, locales: int, unique: bool = True) -> Corpus:
    """Copy the project into target with its guides cloned up to `guides`, in `locales` locales."""
    started = time.perf_counter()
    shutil.copytree(REPO / "content", target / "content")
    codes = _write_config(target, locales)
    originals = sorted(p.stem for p in (target / "content/guides").glob("*.yaml"))
    if not len(originals) <= guides <= MAX_GUIDES:
        raise ValueError(f"--guides must be between {len(originals)} and {MAX_GUIDES}")
    ids = originals + [
        f"{originals[n % len(originals)]}-{n:04d}" for n in range(guides - len(originals))
    ]
    if unique:
        _clone_unique(target, originals, ids, codes)
    else:
        _clone_identical(target, originals, ids)
    return Corpus(target, ids, codes, unique, time.perf_counter() - started)


def bundled_counts() -> tuple[int, int]:
    """Return how many guides and locales the bundled project has."""
    guides = len(list((REPO / "content/guides").glob("*.yaml")))
    return guides, len(re.findall(r"- code: (\S+)", (REPO / "guidegen.yaml").read_text()))


def _write_config(target: Path, locales: int) -> list[str]:
    """Write guidegen.yaml publishing every guide, with the first `locales` locales (+ zh-Hant)."""
    config = (REPO / "guidegen.yaml").read_text()
    config = re.sub(r"publish_threshold: [0-9.]+", "publish_threshold: 0.0", config)
    codes = re.findall(r"- code: (\S+)", config)
    if locales > len(codes):
        config += EXTRA_LOCALE_CONFIG
        shutil.copytree(
            target / f"content/locales/{EXTRA_LOCALE_COPIES}",
            target / f"content/locales/{EXTRA_LOCALE}",
        )
        for po in (target / f"content/locales/{EXTRA_LOCALE}").rglob("*.po"):
            old, new = EXTRA_LOCALE_COPIES.replace("-", "_"), EXTRA_LOCALE.replace("-", "_")
            po.write_text(po.read_text().replace(f"Language: {old}\\n", f"Language: {new}\\n"))
        codes.append(EXTRA_LOCALE)
    for code in codes[locales:]:
        config = re.sub(rf"  - code: {re.escape(code)}\n(    .*\n)*", "", config)
        shutil.rmtree(target / f"content/locales/{code}", ignore_errors=True)
    (target / "guidegen.yaml").write_text(config)
    return codes[:locales]


def _clone_identical(target: Path, originals: list[str], ids: list[str]) -> None:
    """Clone guides and catalogs as they are, changing only the guide id (the old corpus)."""
    for new_id in ids[len(originals) :]:
        source = new_id.rsplit("-", 1)[0]
        text = (target / f"content/guides/{source}.yaml").read_text()
        text = text.replace(f"id: {source}", f"id: {new_id}", 1)
        (target / f"content/guides/{new_id}.yaml").write_text(text)
        for po in (target / "content/locales").glob(f"*/guides/{source}.po"):
            po.with_name(f"{new_id}.po").write_text(
                po.read_text().replace(f'msgctxt "{source}|', f'msgctxt "{new_id}|')
            )


def token(number: int) -> str:
    """Return the token marking guide `number`: seven symbols, the same length for every guide."""
    symbols = []
    for _ in range(_TOKEN_LENGTH):
        number, rest = divmod(number, len(_SYMBOLS))
        symbols.append(_SYMBOLS[rest])
    return "".join(symbols)


def _clone_unique(target: Path, originals: list[str], ids: list[str], codes: list[str]) -> None:
    """Write every guide (bundled ones too) with its own token in each passage and catalog."""
    from guidegen.loader import load_project
    from guidegen.problems import Report

    project = load_project(target, Report(target))
    sources = {gid: _Source.read(target, project.guides[gid], codes) for gid in originals}
    source_locale = project.config.source_locale
    for number, new_id in enumerate(ids):
        source = sources[new_id if number < len(originals) else new_id.rsplit("-", 1)[0]]
        source.write_guide(target, new_id, token(number))
        for code in codes:
            if code != source_locale:
                translated = token(number + (_EXTRA_LOCALE_OFFSET if code == EXTRA_LOCALE else 0))
                source.write_catalog(target, code, new_id, token(number), translated)


@dataclass
class _Source:
    """A bundled guide as read once: its YAML data, its passages' paths and its catalogs."""

    id: str
    data: dict
    paths: list[tuple]
    catalogs: dict[str, Any]

    @classmethod
    def read(cls, root: Path, guide, codes: list[str]) -> _Source:
        """Read a bundled guide's YAML and every locale's catalog of it."""
        from guidegen.i18n import catalog_path, guide_passages
        from guidegen.po import read_po
        from guidegen.problems import Report

        data = yaml.load((root / f"content/guides/{guide.id}.yaml").read_text(), yaml.CSafeLoader)
        catalogs = {}
        for code in codes:
            path = catalog_path(root, code, guide.id)
            if path.is_file():
                catalogs[code] = read_po(path, Report(root))
        return cls(guide.id, data, [p.path for p in guide_passages(guide)], catalogs)

    def write_guide(self, root: Path, new_id: str, mark: str) -> None:
        """Write the guide as new_id with mark appended to each passage (in its normal form)."""
        from guidegen.passages import normalize

        data = _deep_copy(self.data)
        data["id"] = new_id
        for path in self.paths:
            parent, key = _parent(data, path)
            parent[key] = f"{normalize(parent[key])} {mark}"
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
        (root / f"content/guides/{new_id}.yaml").write_text(text)

    def write_catalog(self, root: Path, code: str, new_id: str, mark: str, translated: str) -> None:
        """Write a locale's catalog of new_id: contexts renamed, marks after msgid and msgstr."""
        from guidegen.i18n import catalog_path
        from guidegen.po import format_po

        catalog = self.catalogs.get(code)
        if catalog is None:
            return
        marked = dataclasses.replace(
            catalog,
            messages=[_marked(m, self.id, new_id, mark, translated) for m in catalog.messages],
            obsolete=[_marked(m, self.id, new_id, mark, translated) for m in catalog.obsolete],
        )
        path = catalog_path(root, code, new_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(format_po(marked))


def _marked(message, old_id: str, new_id: str, mark: str, translated: str):
    """Return a catalog entry of new_id: its context renamed, a mark at the end of each text."""
    if not message.id:
        return message

    def context(value: str | None) -> str | None:
        prefix = f"{old_id}|"
        return new_id + "|" + value[len(prefix) :] if value and value.startswith(prefix) else value

    def append(text: str | None, suffix: str) -> str | None:
        return f"{text} {suffix}" if text else text

    return dataclasses.replace(
        message,
        id=append(message.id, mark),
        string=append(message.string, translated),
        context=context(message.context),
        previous_id=append(message.previous_id, mark),
        previous_context=context(message.previous_context),
    )


def _parent(data: Any, path: tuple) -> tuple[Any, Any]:
    """Return the container holding the value at path, and the value's key in it."""
    for key in path[:-1]:
        data = data[key]
    return data, path[-1]


def _deep_copy(value: Any) -> Any:
    """Copy plain YAML data (faster than copy.deepcopy)."""
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


class _Dumper(yaml.CSafeDumper):
    """Write multi-line passages as literal blocks, and never use aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def edit_one_passage(root: Path, guides: list[str], locale: str = "zh-Hans") -> str:
    """Change one translated step title in a locale, of the last guide that has one.

    Return the entry's msgctxt (another translated entry when no guide has a step title).
    """
    from guidegen.i18n import catalog_path
    from guidegen.po import format_po, read_po
    from guidegen.problems import Report

    def is_step_title(context: str) -> bool:
        return re.fullmatch(r"[^|]+\|steps\.[^.]+\.title", context) is not None

    for want in (is_step_title, bool):
        for guide_id in reversed(guides):
            path = catalog_path(root, locale, guide_id)
            catalog = read_po(path, Report(root)) if path.is_file() else None
            for message in catalog.messages if catalog else []:
                if message.string and not message.fuzzy and want(message.context or ""):
                    message.string += "（修订）"
                    path.write_text(format_po(catalog))
                    return message.context
    raise ValueError(f"no translated passage to edit in locale {locale}")


@dataclass
class Block:
    """One passage of a page as shown, with the role it plays: h1, h2, h3, li or p."""

    kind: str
    text: str


@dataclass
class Page:
    """A guide in one locale: its passages in document order, with section headings."""

    guide: str
    locale: str
    blocks: list[Block]


_SECTION_TITLES = {
    "summary": "What this guide is about",
    "audience": "Who this guide is for",
    "before_you_start": "Before you start",
    "steps": "Steps",
    "what_next": "What happens next",
    "if_refused": "If the answer is no",
    "letters": "Letters",
    "faq": "Questions",
    "sources": "Sources",
}
_HEADINGS = ("title", "question")


def shown_pages(root: Path) -> Iterator[Page]:
    """Yield every guide page of a project as a reader sees it: translations or the source."""
    from guidegen.i18n import guide_passages
    from guidegen.loader import load_project
    from guidegen.problems import Report

    project = load_project(root, Report(root))
    for locale in project.config.locales:
        for guide_id, guide in project.guides.items():
            shown = _translations(root, locale, guide_id, project.config.source_locale)
            blocks, section = [], None
            for passage in guide_passages(guide):
                text = shown(passage.context, passage.text)
                if len(passage.path) == 1 and passage.path[0] == "title":
                    blocks.append(Block("h1", text))
                    continue
                if passage.path[0] != section:
                    section = passage.path[0]
                    blocks.append(Block("h2", _SECTION_TITLES.get(section, section)))
                blocks.append(Block(_kind(passage.path), text))
            yield Page(guide_id, locale.code, blocks)


def _kind(path: tuple) -> str:
    if isinstance(path[-1], int):
        return "li"
    return "h3" if path[-1] in _HEADINGS and len(path) > 1 else "p"


def _translations(root: Path, locale, guide_id: str, source_locale: str):
    """Return shown(context, source text) -> the text a reader of locale sees for a passage."""
    from guidegen.i18n import catalog_path
    from guidegen.passages import normalize
    from guidegen.po import read_po
    from guidegen.problems import Report

    path = catalog_path(root, locale.code, guide_id)
    if locale.code == source_locale or not path.is_file():
        return lambda context, text: text
    catalog = read_po(path, Report(root))
    messages = {m.context: m for m in catalog.messages if m.id and m.context} if catalog else {}

    def shown(context: str, text: str) -> str:
        message = messages.get(context)
        if message is None or not message.string:
            return text
        current = not message.fuzzy and normalize(message.id) == text
        return normalize(message.string) if current or locale.show_outdated else text

    return shown
