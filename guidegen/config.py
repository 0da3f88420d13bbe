"""guidegen.yaml: the site's settings, declared once and validated once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError

from .binder import bind
from .errors import ConfigError
from .fonts import DEBIAN_PACKAGE
from .layout import CONFIG_FILE
from .problems import Location, Report
from .schema import Url, doc, internal_location
from .yamlsafe import load_yaml

_FONT_NAME = re.compile(r"^[A-Za-z0-9 ]+$")


@dataclass(kw_only=True)
class LocaleConfig:
    """One language the guides are published in."""

    code: str = doc("BCP 47 code, e.g. 'en', 'zh-Hans', 'ug', 'vi'.")
    name: str = doc("The language's name in itself, e.g. '简体中文'.")
    dir: Literal["ltr", "rtl"] = doc("Text direction: ltr or rtl.", default="ltr")
    font: str = doc(
        "Font family for this script, named explicitly, e.g. 'Noto Sans CJK SC'.",
        default="Noto Sans",
    )
    font_package: str = doc("Debian package that provides the font.", default="fonts-noto-core")
    publish_threshold: float = doc(
        "Share (0 to 1) of a guide's passages that must be translated before it is built.",
        default=0.0,
        minimum=0,
        maximum=1,
    )
    show_outdated: bool = doc(
        "Show outdated (fuzzy) translations with a notice instead of the source text.",
        default=False,
    )
    at: Location = internal_location()


@dataclass(kw_only=True)
class Organisation:
    """The organisation that publishes the guides."""

    name: str = doc("Its name.")
    contact: str = doc("How to reach it: e-mail, phone or address.")
    url: Url = doc("Its website (https:// or http://).", default="")
    at: Location = internal_location()


@dataclass(kw_only=True)
class Config:
    """The whole of guidegen.yaml."""

    title: str = doc("Site title, in the source language.")
    base_url: Url = doc(
        "Public address of the published site (https://...), for QR codes and canonical links."
    )
    source_locale: str = doc("Locale code of the text in the guide YAML files.")
    locales: list[LocaleConfig] = doc("Locales to publish, source locale first.")
    organisation: Organisation = doc("The publishing organisation.")
    original_language: str = doc(
        "Language of the official terms and titles (original_title, original), e.g. 'zh-Hans'.",
        default="zh-Hans",
    )
    paper: Literal["a4", "letter"] = doc("Default paper size: a4 or letter.", default="a4")
    reading_grade: float = doc("Highest English Flesch-Kincaid grade per section.", default=8.0)
    at: Location = internal_location()
    title_at: Location = internal_location()

    def locale(self, code: str) -> LocaleConfig:
        """Return the settings of one locale."""
        return next(item for item in self.locales if item.code == code)

    @property
    def codes(self) -> list[str]:
        return [item.code for item in self.locales]


def load_config(project: Path, report: Report) -> Config | None:
    """Read and validate guidegen.yaml; raise ConfigError when it is missing.

    Return None, with the problems in report, when it cannot be read or parsed as YAML.
    """
    path = project / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(
            f"{CONFIG_FILE}: not found in {project} "
            "(run guidegen in the project folder or pass --project DIR)"
        )
    yaml_doc = load_yaml(path, report)
    if yaml_doc is None:
        return None
    config = bind(Config, yaml_doc.value, yaml_doc, (), report)
    config.title_at = yaml_doc.where(("title",))
    _check_locales(config, yaml_doc, report)
    return config


_BCP47 = re.compile(
    r"^(?P<language>[a-z]{2,3}|[a-z]{5,8})(?:-(?P<script>[A-Z][a-z]{3}))?"
    r"(?:-(?P<region>[A-Z]{2}|[0-9]{3}))?(?:-(?P<variant>[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$"
)


def canonical_code(code: str) -> str:
    """Return the canonical casing of a BCP 47 tag ('ZH-hans' -> 'zh-Hans')."""
    parts = code.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def parse_locale_code(code: str) -> Locale:
    """Return the Babel locale of a BCP 47 code; ConfigError unless the whole code is valid.

    The whole string must be a language tag in canonical case (language, script, region,
    variants): Babel alone ignores what follows '.' or '@', which let 'zh-Hans./../../x' through.
    Locale codes name folders, so nothing else may pass.
    """
    problem = locale_code_problem(code)
    if problem:
        raise ConfigError(f"{problem[0]} ({problem[1]})")
    return Locale.parse(code, sep="-")


def locale_code_problem(code: object) -> tuple[str, str] | None:
    """Return (message, hint) when code is not a usable BCP 47 locale code, else None."""
    hint = "use a BCP 47 code such as 'en', 'zh-Hans', 'ug' or 'vi'"
    if not isinstance(code, str) or not _BCP47.match(code):
        if isinstance(code, str) and _BCP47.match(canonical_code(code)):
            return (
                f"locale code '{code}' is not in canonical case",
                f"write it as '{canonical_code(code)}'",
            )
        return f"invalid locale code {code!r}", hint
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return f"unknown locale code '{code}'", hint
    return None


def _check_locales(config: Config, yaml_doc, report: Report) -> None:
    seen: dict[str, str] = {}
    if not config.locales:
        report.error(
            yaml_doc.where(("locales",)),
            "no locales are listed",
            "list at least the source locale, e.g. '- code: en'",
        )
    for i, item in enumerate(config.locales):
        where = yaml_doc.where(("locales", i, "code"))
        problem = locale_code_problem(item.code)
        if problem:
            report.error(where, *problem)
        folded = item.code.lower()
        if folded in seen:
            report.error(
                where,
                f"locale '{item.code}' is listed twice"
                + (f" (as '{seen[folded]}')" if seen[folded] != item.code else ""),
                "locale codes name folders, and case-insensitive disks treat 'EN' and 'en' as one",
            )
        seen[folded] = item.code
        if not _FONT_NAME.match(item.font):
            report.error(
                yaml_doc.where(("locales", i, "font")),
                f"invalid font name '{item.font}'",
                "use letters, digits and spaces, e.g. 'Noto Sans CJK SC'",
            )
        if not DEBIAN_PACKAGE.match(item.font_package):
            report.error(
                yaml_doc.where(("locales", i, "font_package")),
                f"invalid Debian package name {item.font_package!r}",
                "lowercase letters, digits and + - ., e.g. 'fonts-noto-core'",
            )
    if config.locales and config.source_locale not in [item.code for item in config.locales]:
        report.error(
            yaml_doc.where(("source_locale",)),
            f"source locale '{config.source_locale}' is not among the locales",
            "add it to 'locales'",
        )
    problem = locale_code_problem(config.original_language)
    if problem:
        report.error(yaml_doc.where(("original_language",)), *problem)
