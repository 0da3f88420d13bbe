"""Load a project: guidegen.yaml, shared content and guides into typed models, checked together."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from types import GenericAlias

from .binder import bind
from .cache import BuildCache, Hasher
from .config import Config, load_config
from .layout import CONTENT_DIR, today
from .letters import placeholders
from .parsed import ParsedFiles
from .problems import Location, Report
from .schema import SHARED_FILES, Contact, Guide, Source, SourceRef, Term
from .yamlsafe import YamlDoc, load_yaml, parse_again

GUIDES_DIR = "content/guides"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Project:
    """Everything read from a project folder, in the source language."""

    root: Path
    config: Config
    guides: dict[str, Guide] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    docs: dict[str, YamlDoc] = field(default_factory=dict)  # parsed guide files, for locations
    shared_docs: dict[str, YamlDoc] = field(default_factory=dict)  # parsed shared files, by name
    guide_files: dict[str, Path] = field(default_factory=dict)  # guide id -> its YAML file

    def guide_path(self, guide_id: str) -> Path:
        """Return the YAML file a guide was read from (.yaml or .yml)."""
        found = self.guide_files.get(guide_id)  # (asked for often: no default built each time)
        return found if found is not None else self.root / GUIDES_DIR / f"{guide_id}.yaml"


def load_project(
    root: Path,
    report: Report,
    cache: BuildCache | None = None,
    hasher: Hasher | None = None,
    parsed: ParsedFiles | None = None,
) -> Project | None:
    """Read and check the whole project into report; None if the config is unusable.

    With a cache, the checks of each guide file unchanged since the last build are replayed;
    with parsed, the YAML files unchanged since then are not parsed again.
    """
    config = load_config(root, report)
    if config is None:
        return None
    read = parsed.load_yaml if parsed is not None else load_yaml
    project = Project(root.resolve(), config)
    project.sources = _load_shared(project, "sources.yaml", report, read)
    project.terms = _load_shared(project, "glossary.yaml", report, read)
    project.contacts = _load_shared(project, "contacts.yaml", report, read)
    project.guides, project.docs, project.guide_files = _load_guides(root, report, read)
    check_references(project, report)
    check_guides(project, report, cache, hasher)
    return project


def _load_shared(project: Project, name: str, report: Report, read=load_yaml) -> dict:
    path = project.root / CONTENT_DIR / name
    if not path.is_file():
        return {}
    yaml_doc = read(path, report)
    if yaml_doc is None:
        return {}
    project.shared_docs[name] = yaml_doc
    # dict[str, Source] and so on, written as a call: mypy reads dict[...] as a type expression
    table = GenericAlias(dict, (str, SHARED_FILES[name]))
    entries = bind(table, yaml_doc.value, yaml_doc, (), report)
    for key in entries:
        if not _ID.match(key):
            report.error(
                yaml_doc.where((key,), key=True),
                f"invalid id '{key}'",
                "use lowercase letters, digits and hyphens",
            )
    yaml_doc.set_aside_places(partial(parse_again, path, project.root))
    return entries


def guide_files(root: Path) -> list[Path]:
    """Return every guide file, .yaml and .yml alike (the loader and the build cache use this)."""
    folder = root / GUIDES_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: (p.stem, p.name))


def _load_guides(
    root: Path, report: Report, read=load_yaml
) -> tuple[dict[str, Guide], dict[str, YamlDoc], dict[str, Path]]:
    guides: dict[str, Guide] = {}
    docs: dict[str, YamlDoc] = {}
    files: dict[str, Path] = {}
    resolved = root.resolve()
    for path in guide_files(root):
        if path.stem in files:
            report.error(
                Location(report.relative(path), 1, 1),
                f"guide '{path.stem}' is defined twice: in {report.relative(files[path.stem])} "
                f"and in {report.relative(path)}",
                "keep one file per guide id and delete the other",
            )
            continue
        files[path.stem] = path
        yaml_doc = read(path, report)
        if yaml_doc is None:
            continue
        if not isinstance(yaml_doc.value, dict):
            bind(Guide, yaml_doc.value, yaml_doc, (), report)  # reports what the file should be
            continue
        guide = bind(Guide, yaml_doc.value, yaml_doc, (), report)
        if guide.id != path.stem:
            report.error(
                yaml_doc.where(("id",)),
                f"guide id '{guide.id}' does not match the file name",
                f"rename the file to {guide.id}{path.suffix} or set id: {path.stem}",
            )
        elif not _ID.match(guide.id):
            report.error(
                yaml_doc.where(("id",)),
                f"invalid guide id '{guide.id}'",
                "use lowercase letters, digits and hyphens",
            )
        guides[path.stem] = guide
        docs[path.stem] = yaml_doc
        yaml_doc.set_aside_places(partial(parse_again, path, resolved))
    return guides, docs, files


def check_references(project: Project, report: Report) -> None:
    """Report every reference to a source, term, contact or guide that does not exist."""
    for guide_id, guide in project.guides.items():
        doc = project.docs[guide_id]
        for ref in _source_refs(guide):
            unknown = _unknown(ref.id, project.sources, "source", "content/sources.yaml")
            if unknown:
                report.error(ref.at, *unknown)
        for field_name, table, kind, where in (
            ("terms", project.terms, "glossary term", "content/glossary.yaml"),
            ("contacts", project.contacts, "contact", "content/contacts.yaml"),
            ("related", project.guides, "guide", "content/guides/"),
        ):
            for i, key in enumerate(getattr(guide, field_name)):
                unknown = _unknown(key, table, kind, where)
                if unknown:  # placed only then: a deeper place may mean parsing the file again
                    report.error(doc.where((field_name, i)), *unknown)
        listed = {ref.id for ref in guide.sources}
        for ref in _source_refs(guide)[len(guide.sources) :]:
            if ref.id in project.sources and ref.id not in listed:
                report.error(
                    ref.at,
                    f"source '{ref.id}' is cited but not listed in the guide's sources",
                    "add it to 'sources' so that it is printed with the guide",
                )


def _unknown(key, table, kind, where) -> tuple[str, str] | None:
    """Return the message and hint for a reference to a missing entry; None if it exists."""
    if key in table:
        return None
    close = difflib.get_close_matches(key, list(table), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"define it in {where}"
    return f"unknown {kind} '{key}'", hint


def _source_refs(guide: Guide) -> list[SourceRef]:
    refs = list(guide.sources)
    for step in guide.steps:
        refs += step.sources
        refs += [deadline.source for deadline in step.deadlines]
    return refs


def check_guides(
    project: Project, report: Report, cache: BuildCache | None = None, hasher: Hasher | None = None
) -> None:
    """Report stale, uncited or inconsistent guides (each guide's problems depend on its file
    and the date alone: replayed from a cache when given)."""
    now, hasher = today(), hasher or Hasher()
    for guide in project.guides.values():
        check = partial(_check_guide, project, guide, now)
        if cache is None:
            check(report)
        else:
            path = project.guide_path(guide.id)
            cache.replay(f"guide:{now}:{hasher.file(path)}:{path.name}", report, check)


def _check_guide(project: Project, guide, now: date, report: Report) -> None:
    review = guide.review
    if review.reviewed is None or review.review_by is None:
        pass  # a missing or unreadable date is reported already
    elif review.review_by <= review.reviewed:
        report.error(review.at, "review_by must come after reviewed")
    elif review.review_by < now:
        report.warning(
            review.at,
            f"review date passed: review_by {review.review_by} is before {now}",
            "check the law again, then update reviewed and review_by",
        )
    if not guide.sources:
        report.error(
            guide.at,
            f"guide '{guide.id}' cites no sources",
            "list the legal sources under 'sources' with article pinpoints",
        )
    for step in guide.steps:
        if not step.sources and not step.deadlines:
            report.warning(
                step.at,
                f"step '{step.id}' cites no source",
                "add the rule's source under 'sources'",
            )
    _check_unique([s.id for s in guide.steps], [s.at for s in guide.steps], "step", report)
    _check_unique([x.id for x in guide.letters], [x.at for x in guide.letters], "letter", report)
    for letter in guide.letters:
        _check_blanks(letter, report)
    _check_citations(guide, report)
    _check_passages(project, guide, report)


def _check_citations(guide, report: Report) -> None:
    """Each list of sources cites a source once (its id names its translation entry)."""
    for refs in [guide.sources, *(step.sources for step in guide.steps)]:
        seen: set[str] = set()
        for ref in refs:
            if ref.id in seen:
                report.error(
                    ref.at,
                    f"source '{ref.id}' is cited twice in the same list",
                    "put both pinpoints in one citation, e.g. 'Arts. 10 and 12'",
                )
            seen.add(ref.id)


_BARE_DAYS = re.compile(r"\b(\d+)\s+days?\b", re.IGNORECASE)


def _check_passages(project: Project, guide, report: Report) -> None:
    """Check every passage of a guide in one pass: its Markdown (passage_problem), and 'N days'
    where the guide's deadline data says which kind of day — readers and translators must see
    'calendar days' or 'working days' every time."""
    from .markup import passage_problem
    from .passages import iter_passages

    kinds: dict[int, set[str]] = {}
    for step in guide.steps:
        for deadline in step.deadlines:
            if deadline.unit.endswith("-days"):
                kinds.setdefault(deadline.amount, set()).add(deadline.unit.split("-")[0])
    doc = project.docs.get(guide.id)
    for passage in iter_passages(guide, guide.id):
        problem = passage_problem(passage.text)
        if problem:
            where = doc.where(passage.path) if doc else guide.at
            report.error(where, problem, "split it into shorter passages")
        for match in _BARE_DAYS.finditer(passage.text) if kinds else ():
            amount = int(match.group(1))
            if amount in kinds:
                where = doc.where(passage.path) if doc else guide.at
                unit = " or ".join(f"'{amount} {kind} days'" for kind in sorted(kinds[amount]))
                report.warning(
                    where,
                    f"{guide.id}: '{match.group(0)}' does not say which kind of days",
                    f"the deadline data says {unit}: write that",
                )


def _check_unique(ids: list[str], places, kind: str, report: Report) -> None:
    seen: set[str] = set()
    for key, at in zip(ids, places, strict=False):
        if key in seen:
            report.error(at, f"duplicate {kind} id '{key}'", f"each {kind} needs its own id")
        seen.add(key)


def _check_blanks(letter, report: Report) -> None:
    used = placeholders(letter.body)
    declared = {blank.id for blank in letter.blanks}
    for name in sorted(used - declared):
        report.error(
            letter.at,
            f"letter '{letter.id}' uses blank {{{name}}} that is not declared",
            "add it under 'blanks' with a label",
        )
    for name in sorted(declared - used):
        report.warning(letter.at, f"letter '{letter.id}' declares blank '{name}' but never uses it")
