"""guidegen i18n update / init / status / glossary: the translators' commands."""

from __future__ import annotations

import re
from pathlib import Path

from ..config import parse_locale_code
from ..errors import ConfigError, ContentError
from ..fonts import font_for_locale
from ..i18n import (
    SHARED,
    UI,
    as_template,
    catalog_path,
    guide_passages,
    header_comment,
    merge_passages,
    merge_ui,
    new_header,
    passage_reference,
    read_catalog,
    shared_passages,
    template_header,
    template_path,
)
from ..layout import CONFIG_FILE, template_dirs
from ..loader import Project, load_project
from ..localize import interface, make_lookup
from ..output import write_atomic
from ..po import PoFile, write_po
from ..problems import Report
from ..uistrings import extract_ui_strings

DEFAULT_THRESHOLD = 0.95


def _load(project_dir: Path) -> tuple[Project, Report]:
    report = Report(project_dir.resolve())
    project = load_project(project_dir, report)
    if project is None or report.errors:
        raise ContentError(report.as_text() or "project could not be loaded")
    return project, report


def update(project_dir: Path, locales: tuple[str, ...] = ()) -> list[Path]:
    """Merge the current source passages into every locale's catalogs and the POT templates;
    return the files written (only those whose text changed)."""
    project, report = _load(project_dir)
    codes = [c for c in project.config.codes if c != project.config.source_locale]
    unknown = sorted(set(locales) - set(codes))
    if unknown:
        raise ConfigError(f"{CONFIG_FILE}: no translated locale {', '.join(unknown)}")
    owners = _owners(project)
    ui_strings = extract_ui_strings(template_dirs(project.root), project.root)
    written = _update_templates(project, owners, ui_strings, report)
    for code in locales or codes:
        written += _update_locale(project, code, owners, ui_strings, report)
    if report.errors:
        raise ContentError(report.as_text())
    return written


def _owners(project: Project) -> dict[str, tuple[list, dict[str, str]]]:
    """Return each catalog's source passages and their `#:` references, by owner."""
    owners = {g: guide_passages(guide) for g, guide in project.guides.items()}
    owners[SHARED] = shared_passages(project)
    return {
        owner: (passages, {p.context: passage_reference(project, owner, p) for p in passages})
        for owner, passages in owners.items()
    }


def _locales(project: Project) -> Path:
    """Return the folder every catalog this command writes must lie in, links followed."""
    return project.root


def _bugs_to(project: Project) -> str:
    return project.config.organisation.contact


def _update_templates(project: Project, owners, ui_strings, report: Report) -> list[Path]:
    written = []
    for owner, (passages, references) in owners.items():
        path = template_path(project.root, owner)
        empty = PoFile(template_header(owner, _bugs_to(project)))
        catalog = merge_passages(None, passages, references, empty)
        old = read_catalog(path, report) if path.is_file() else None
        if write_po(path, as_template(catalog, old, empty.header), _locales(project)):
            written.append(path)
    path = template_path(project.root, UI)
    header = template_header(UI, _bugs_to(project))
    catalog = merge_ui(None, ui_strings, PoFile(header))
    old = read_catalog(path, report) if path.is_file() else None
    if write_po(path, as_template(catalog, old, header), _locales(project)):
        written.append(path)
    return written


def _update_locale(project: Project, code: str, owners, ui_strings, report: Report) -> list[Path]:
    locale = project.config.locale(code)
    team = f"{locale.name} translators"
    written = []
    for owner, (passages, references) in owners.items():
        path = catalog_path(project.root, code, owner)
        old = read_catalog(path, report)
        if path.is_file() and old is None:
            continue  # broken: reported with its line; never overwrite a translator's file
        header = PoFile(
            new_header(code, owner, team, _bugs_to(project)), header_comment(owner, code, True)
        )
        if write_po(path, merge_passages(old, passages, references, header), _locales(project)):
            written.append(path)
    path = catalog_path(project.root, code, UI)
    old = read_catalog(path, report)
    if not (path.is_file() and old is None):
        header = PoFile(
            new_header(code, UI, team, _bugs_to(project)), header_comment(UI, code, True)
        )
        if write_po(path, merge_ui(old, ui_strings, header), _locales(project)):
            written.append(path)
    return written


def init(project_dir: Path, code: str) -> list[Path]:
    """Create a new locale: register it in guidegen.yaml and write its empty catalogs."""
    project, _ = _load(project_dir)
    locale = parse_locale_code(code)  # raises ConfigError with a hint for a bad code
    if code.lower() in (c.lower() for c in project.config.codes):
        raise ConfigError(
            f"{CONFIG_FILE}: locale '{code}' already exists (use 'guidegen i18n update')"
        )
    _register_locale(project.root / CONFIG_FILE, code, locale)
    return update(project_dir, (code,))


def _register_locale(config_path: Path, code: str, locale) -> None:
    """Append the locale to guidegen.yaml's locales list, keeping the file's comments."""
    direction = "rtl" if locale.text_direction == "rtl" else "ltr"
    font, package = font_for_locale(code)
    name = (locale.get_display_name(locale) or code).replace('"', "")
    entry = (
        f'  - code: {code}\n    name: "{name}"\n    dir: {direction}\n'
        f'    font: "{font}"\n    font_package: {package}\n'
        f"    publish_threshold: {DEFAULT_THRESHOLD}\n"
    )
    text = config_path.read_text("utf-8")
    match = re.search(r"^locales:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", text, re.MULTILINE)
    if match is None:
        raise ConfigError(f"{CONFIG_FILE}: no 'locales:' list to add '{code}' to")
    block = match.group(0).rstrip("\n") + "\n"
    trailing = match.group(0)[len(block) :]  # the blank lines before the next setting stay
    write_atomic(
        config_path,
        (text[: match.start()] + block + entry + trailing + text[match.end() :]).encode(),
        config_path.parent,
    )


def status(project_dir: Path) -> dict:
    """Return per locale: each guide's, shared.po's and ui.po's translation state and words."""
    project, report = _load(project_dir)
    result: dict = {"source_locale": project.config.source_locale, "locales": {}}
    for locale in project.config.locales:
        if locale.code == project.config.source_locale:
            continue
        guides = {}
        for guide_id, guide in project.guides.items():
            lookup = make_lookup(project, locale, [guide_id], report)
            guides[guide_id] = lookup.coverage(guide_passages(guide)).as_dict()
        shared = make_lookup(project, locale, [SHARED], report).coverage(shared_passages(project))
        ui = interface(project, locale, report)
        ui_counts = read_catalog(catalog_path(project.root, locale.code, UI), report)
        result["locales"][locale.code] = {
            "guides": guides,
            "shared": shared.as_dict(),
            "ui": _ui_counts(ui_counts, ui.translated),
            "publish_threshold": locale.publish_threshold,
        }
    return result


def _ui_counts(catalog: PoFile | None, translated: int) -> dict[str, int]:
    messages = catalog.messages if catalog else []
    outdated = sum(1 for m in messages if m.fuzzy and m.translated)
    return {
        "total": len(messages),
        "translated": translated,
        "outdated": outdated,
        "missing": len(messages) - translated - outdated,
        "words": sum(len(m.id.split()) for m in messages),
        "words_translated": sum(
            len(m.id.split()) for m in messages if m.translated and not m.fuzzy
        ),
    }


def export_glossary(project_dir: Path, out: Path, fmt: str = "tbx") -> list[Path]:
    """Write each locale's glossary (content/glossary.yaml and its shared.po) for Weblate:
    <out>/<locale>.tbx (TermBase eXchange) or <locale>.csv; return the files written."""
    project, report = _load(project_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for locale in project.config.locales:
        if locale.code == project.config.source_locale:
            continue
        rows = _glossary_rows(project, locale.code, report)
        path = out / f"{locale.code}.{fmt}"
        data = _tbx(rows, project.config.source_locale, locale.code) if fmt == "tbx" else _csv(rows)
        write_atomic(path, data, out)
        written.append(path)
    return written


def _glossary_rows(project: Project, code: str, report: Report) -> list[dict[str, str]]:
    catalog = read_catalog(catalog_path(project.root, code, SHARED), report)
    by_context = {m.context: m for m in catalog.messages} if catalog else {}
    rows = []
    for key, term in project.terms.items():
        message = by_context.get(f"glossary|{key}.term")
        shown = message.string if message and message.string and not message.fuzzy else ""
        rows.append(
            {
                "id": key,
                "source": term.term,
                "target": shown,
                "explanation": (
                    f"{term.original}: {term.definition}" if term.original else term.definition
                ),
            }
        )
    return rows


def _tbx(rows: list[dict[str, str]], source: str, target: str) -> bytes:
    import xml.etree.ElementTree as ET

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element("martif", {"type": "TBX", xml_lang: source})
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for row in rows:
        entry = ET.SubElement(body, "termEntry", {"id": row["id"]})
        ET.SubElement(entry, "descrip").text = row["explanation"]
        for lang, text in ((source, row["source"]), (target, row["target"])):
            if text:
                term = ET.SubElement(ET.SubElement(entry, "langSet", {xml_lang: lang}), "tig")
                ET.SubElement(term, "term").text = text
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _csv(rows: list[dict[str, str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "context", "developer_comments"])
    for row in rows:
        writer.writerow([row["source"], row["target"], row["id"], row["explanation"]])
    return buffer.getvalue().encode("utf-8")
