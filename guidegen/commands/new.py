"""guidegen new: start a project of its own from the starter guide and a commented config."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from string import Template

from ..binder import is_required, schema_fields
from ..config import Config, LocaleConfig, Organisation, parse_locale_code
from ..errors import ConfigError
from ..fonts import font_for_locale
from ..layout import CONFIG_FILE, today
from ..output import write_atomic

STARTER = Path(__file__).resolve().parent.parent / "starter"
REVIEW_PERIOD = timedelta(days=182)


def new_project(dest: Path, source: str = "en", locales: tuple[str, ...] = ()) -> list[Path]:
    """Write a new project into dest (missing or empty) and return the files written.

    The project has a commented guidegen.yaml, the starter guide with its shared content, a
    README for the organisation, and one translation catalog set per locale in locales.
    """
    from .i18n import init

    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError(f"{dest}: already exists and is not empty (choose a new folder)")
    for code in (source, *locales):
        parse_locale_code(code)  # a bad code stops here, before anything is written
    dest.mkdir(parents=True, exist_ok=True)
    values = {
        "title": "Self-help guides",
        "reviewed": today().isoformat(),
        "review_by": (today() + REVIEW_PERIOD).isoformat(),
    }
    written = [_write(dest, CONFIG_FILE, config_yaml(source))]
    for path in sorted(STARTER.rglob("*")):
        if path.is_file():
            text = Template(path.read_text("utf-8")).substitute(values)
            written.append(_write(dest, path.relative_to(STARTER).as_posix(), text))
    for code in locales:
        written += init(dest, code)
    return written


def _write(dest: Path, name: str, text: str) -> Path:
    path = dest / name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), dest)
    return path


def config_yaml(source: str) -> str:
    """Return a guidegen.yaml with every setting of the schema explained in a comment above it."""
    font, package = font_for_locale(source)
    locale = parse_locale_code(source)
    first = {
        "code": source,
        "name": locale.get_display_name(locale) or source,
        "dir": "rtl" if locale.text_direction == "rtl" else "ltr",
        "font": font,
        "font_package": package,
    }
    values = {
        "title": "Self-help guides",
        "base_url": "https://guides.example.org",
        "source_locale": source,
        "original_language": source,
    }
    organisation = {"name": "Your organisation", "contact": "help@example.org"}
    lines = [
        "# guidegen settings. Change the values marked 'change this'; `guidegen docs` writes the",
        "# full reference. `guidegen i18n init CODE` adds a locale to the list below.",
    ]
    for field, tp in schema_fields(Config):
        lines.append("")
        lines += _comment(field, "")
        if field.name == "locales":
            lines.append("locales:")
            lines.append("  # Each locale has these settings:")
            for sub, _ in schema_fields(LocaleConfig):
                lines += _comment(sub, "  #   ", label=True)
            lines += _mapping(first, "  - ", "    ")
        elif dataclasses.is_dataclass(tp):
            lines.append(f"{field.name}:")
            for sub, _ in schema_fields(Organisation):
                lines += _comment(sub, "  ")
                lines.append(_entry(sub, organisation.get(sub.name), "  "))
        else:
            lines.append(_entry(field, values.get(field.name), ""))
    return "\n".join(lines) + "\n"


def _comment(field: dataclasses.Field, indent: str, label: bool = False) -> list[str]:
    text = field.metadata["doc"]
    if not is_required(field):
        text += f" Default: {_scalar(field.default)}."
    if label:  # the settings of a list item, described together above it
        return textwrap.wrap(
            f"{field.name}: {text}", 100, initial_indent=indent, subsequent_indent=indent + "  "
        )
    return textwrap.wrap(text, 100, initial_indent=indent + "# ", subsequent_indent=indent + "# ")


def _entry(field: dataclasses.Field, value: object, indent: str) -> str:
    if value is None:  # an optional setting left at its default, shown commented out
        return f"{indent}# {field.name}: {_scalar(field.default)}"
    marker = "  # change this" if field.name in ("base_url", "name", "contact", "title") else ""
    return f"{indent}{field.name}: {_scalar(value)}{marker}"


def _mapping(values: Mapping[str, object], first: str, rest: str) -> list[str]:
    return [
        f"{first if index == 0 else rest}{key}: {_scalar(value)}"
        for index, (key, value) in enumerate(values.items())
    ]


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    plain = text.replace("-", "").replace(".", "").replace("_", "").isalnum()
    return (
        text
        if plain and text not in ("true", "false", "null", "yes", "no")
        else json.dumps(text, ensure_ascii=False)
    )
