"""guidegen i18n update / init / status: the translators' commands."""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale

from ..config import CONFIG_FILE
from ..errors import ConfigError, ContentError
from ..i18n import (
    SHARED,
    UI,
    catalog_path,
    guide_passages,
    merge_passages,
    new_catalog,
    read_catalog,
    shared_passages,
    ui_template,
    write_catalog,
)
from ..loader import Project, load_project
from ..localize import make_lookup
from ..output import write_atomic
from ..problems import Report
from ..render import template_dirs


def _load(project_dir: Path) -> tuple[Project, Report]:
    report = Report(project_dir.resolve())
    project = load_project(project_dir, report)
    if project is None or report.errors:
        raise ContentError(report.as_text() or "project could not be loaded")
    return project, report


def update(project_dir: Path, locales: tuple[str, ...] = ()) -> list[Path]:
    """Merge the current source passages into every locale's catalogs; return the files written."""
    project, report = _load(project_dir)
    codes = [c for c in project.config.codes if c != project.config.source_locale]
    written = []
    for code in locales or codes:
        written += _update_locale(project, code, report)
    if report.errors:
        raise ContentError(report.as_text())
    return written


def _update_locale(project: Project, code: str, report: Report) -> list[Path]:
    owners = {g: guide_passages(guide) for g, guide in project.guides.items()}
    owners[SHARED] = shared_passages(project)
    written = []
    for owner, passages in owners.items():
        path = catalog_path(project.root, code, owner)
        old = read_catalog(path, code, report)
        if write_catalog(path, merge_passages(old, passages, code, owner)):
            written.append(path)
    path = catalog_path(project.root, code, UI)
    catalog = read_catalog(path, code, report) or new_catalog(code, UI)
    catalog.update(
        ui_template(template_dirs(project.root)),
        update_header_comment=False,
        update_creation_date=False,
    )
    if write_catalog(path, catalog):
        written.append(path)
    return written


def init(project_dir: Path, code: str) -> list[Path]:
    """Create a new locale: register it in guidegen.yaml and write its empty catalogs."""
    project, _ = _load(project_dir)
    if code in project.config.codes:
        raise ConfigError(
            f"{CONFIG_FILE}: locale '{code}' already exists (use 'guidegen i18n update')"
        )
    try:
        locale = Locale.parse(code, sep="-")
    except (ValueError, Exception) as exc:
        raise ConfigError(
            f"unknown locale code '{code}': {exc} "
            "(use a BCP 47 code such as 'vi', 'ug' or 'zh-Hant')"
        ) from exc
    _register_locale(project.root / CONFIG_FILE, code, locale)
    return update(project_dir, (code,))


def _register_locale(config_path: Path, code: str, locale: Locale) -> None:
    """Append the locale to guidegen.yaml's locales list, keeping the file's comments."""
    direction = "rtl" if locale.text_direction == "rtl" else "ltr"
    font, package = (
        ("Noto Naskh Arabic", "fonts-noto-core")
        if direction == "rtl"
        else (
            ("Noto Sans CJK SC", "fonts-noto-cjk")
            if locale.language in ("zh", "ja", "ko")
            else ("Noto Sans", "fonts-noto-core")
        )
    )
    name = locale.get_display_name(locale) or code
    entry = (
        f'  - code: {code}\n    name: "{name}"\n    dir: {direction}\n'
        f"    font: {font}\n    font_package: {package}\n"
    )
    text = config_path.read_text("utf-8")
    match = re.search(r"^locales:\s*\n((?:[ \t]+.*\n|\s*\n)*)", text, re.MULTILINE)
    if match is None:
        raise ConfigError(f"{CONFIG_FILE}: no 'locales:' list to add '{code}' to")
    block = match.group(0).rstrip("\n") + "\n"
    write_atomic(
        config_path, (text[: match.start()] + block + entry + text[match.end() :]).encode()
    )


def status(project_dir: Path) -> dict:
    """Return per locale and guide: total, translated, outdated and missing passages."""
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
        result["locales"][locale.code] = {"guides": guides, "shared": shared.as_dict()}
    return result
