"""guidegen.yaml: the site's settings, declared once and validated once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError

from .binder import bind
from .errors import ConfigError
from .problems import Location, Report
from .schema import doc, internal_location
from .yamlsafe import load_yaml

CONFIG_FILE = "guidegen.yaml"
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
    url: str = doc("Its website.", default="")
    at: Location = internal_location()


@dataclass(kw_only=True)
class Config:
    """The whole of guidegen.yaml."""

    title: str = doc("Site title, in the source language.")
    base_url: str = doc("Public address of the published site, for QR codes and canonical links.")
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

    def locale(self, code: str) -> LocaleConfig:
        """Return the settings of one locale."""
        return next(item for item in self.locales if item.code == code)

    @property
    def codes(self) -> list[str]:
        return [item.code for item in self.locales]


def load_config(project: Path, report: Report) -> Config:
    """Read and validate guidegen.yaml; raise ConfigError when it is missing or unusable."""
    path = project / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(
            f"{CONFIG_FILE}: not found in {project} "
            "(run guidegen in the project folder or pass --project DIR)"
        )
    yaml_doc = load_yaml(path, report)
    if yaml_doc is None:
        return None  # type: ignore[return-value]
    config = bind(Config, yaml_doc.value, yaml_doc, (), report)
    _check_locales(config, yaml_doc, report)
    return config


def _check_locales(config: Config, yaml_doc, report: Report) -> None:
    seen: set[str] = set()
    for i, item in enumerate(config.locales):
        where = yaml_doc.where(("locales", i, "code"))
        if item.code in seen:
            report.error(where, f"locale '{item.code}' is listed twice")
        seen.add(item.code)
        try:
            Locale.parse(item.code, sep="-")
        except (ValueError, UnknownLocaleError):
            report.error(
                where,
                f"unknown locale code '{item.code}'",
                "use a BCP 47 code such as 'en', 'zh-Hans', 'ug' or 'vi'",
            )
    if config.locales and config.source_locale not in seen:
        report.error(
            yaml_doc.where(("source_locale",)),
            f"source locale '{config.source_locale}' is not among the locales",
            "add it to 'locales'",
        )
    for i, item in enumerate(config.locales):
        if not _FONT_NAME.match(item.font):
            report.error(
                yaml_doc.where(("locales", i, "font")),
                f"invalid font name '{item.font}'",
                "use letters, digits and spaces, e.g. 'Noto Sans CJK SC'",
            )
    if config.base_url and not config.base_url.startswith(("https://", "http://")):
        report.error(yaml_doc.where(("base_url",)), "base_url must start with https://")
