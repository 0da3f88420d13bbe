"""Fonts: which installed font covers a locale's script (fontconfig), and its Debian package."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from .errors import BuildError, ConfigError

_CJK_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan", "Kore", "Hang"}
_FONTCONFIG_LANG = {("zh", "Hans"): "zh-cn", ("zh", "Hant"): "zh-tw"}
DEBIAN_PACKAGE = re.compile(r"^[a-z0-9][a-z0-9+.-]{1,60}$")


def _run(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"cannot ask fontconfig ({exc}); install fontconfig") from exc


@functools.cache
def installed_font_families() -> frozenset[str]:
    """Return the font families fontconfig knows on this machine."""
    families: set[str] = set()
    for line in _run("fc-list", ":", "family").splitlines():
        families.update(name.strip() for name in line.split(","))
    return frozenset(families)


def fontconfig_lang(code: str) -> str:
    """Return fontconfig's name for a BCP 47 locale ('zh-Hans' -> 'zh-cn', 'ug' -> 'ug')."""
    from .scripts import locale_script

    language = code.split("-")[0].lower()
    return _FONTCONFIG_LANG.get((language, locale_script(code)), language)


def font_for_locale(code: str) -> tuple[str, str]:
    """Return (family, Debian package) of an installed font covering the locale's script.

    Prefers a Noto Sans family, then what fontconfig itself would pick; raises ConfigError naming
    the Debian package to install when no installed font covers the script.
    """
    from .scripts import locale_script

    lang = fontconfig_lang(code)
    families = sorted(
        {
            line.split(",")[0].strip()
            for line in _run("fc-list", f":lang={lang}", "family").split("\n")
            if line.strip()
        }
    )
    if not families:
        package = (
            "fonts-noto-cjk"
            if locale_script(code) in _CJK_SCRIPTS
            else "fonts-noto-core fonts-noto-extra"
        )
        raise ConfigError(
            f"no installed font covers locale '{code}' (script {locale_script(code)}) "
            f"(install one, e.g. sudo apt-get install {package}, then run i18n init again)"
        )
    matched = _run("fc-match", "--format=%{family[0]}", f":lang={lang}").strip()
    plain = [
        f for f in families if f.startswith("Noto Sans") and not re.search(r"Mono|Display|UI\b", f)
    ]
    if matched.startswith("Noto") and matched in families:
        family = matched
    elif plain:
        family = min(plain, key=len)
    else:
        family = matched if matched in families else families[0]
    return family, _package_of(family)


def _package_of(family: str) -> str:
    """Return the Debian package that installed a font family, or '' when unknown."""
    files = _run("fc-list", f"{family}:style=Regular", "file").split(":")[0].strip()
    if not files or not shutil.which("dpkg-query"):
        return ""
    try:
        owner = subprocess.run(
            ["dpkg-query", "-S", files], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    package = owner.split(":")[0].strip()
    return package if DEBIAN_PACKAGE.match(package) else ""


def require_font(family: str, package: str, locale: str) -> None:
    """Stop the build with a clear message when a locale's font is not installed."""
    if family not in installed_font_families():
        hint = (
            f"sudo apt-get install {package}"
            if DEBIAN_PACKAGE.match(package or "")
            else (
                "install a font that covers the locale's script, or change 'font' in guidegen.yaml"
            )
        )
        raise BuildError(
            f"font '{family}' needed by locale '{locale}' is not installed (install it: {hint})"
        )


# The families tried after a locale's own font, by script (all from Debian's Noto packages).
_SCRIPT_FALLBACKS = {
    "Latn": ("Noto Sans",),
    "Cyrl": ("Noto Sans",),
    "Grek": ("Noto Sans",),
    "Hans": ("Noto Sans CJK SC",),
    "Hant": ("Noto Sans CJK TC",),
    "Jpan": ("Noto Sans CJK JP",),
    "Kore": ("Noto Sans CJK KR",),
    "Arab": ("Noto Naskh Arabic", "Noto Sans Arabic"),
    "Hebr": ("Noto Sans Hebrew",),
    "Deva": ("Noto Sans Devanagari",),
    "Tibt": ("Noto Serif Tibetan",),
    "Thai": ("Noto Sans Thai",),
    "Ethi": ("Noto Sans Ethiopic",),
    "Khmr": ("Noto Sans Khmer",),
}


def font_stack(font: str, code: str) -> list[str]:
    """Return the font families for a locale: its own font, then its script's, then Noto Sans."""
    from .scripts import locale_script

    chain = [font, *_SCRIPT_FALLBACKS.get(locale_script(code), ()), "Noto Sans"]
    return [family for family in dict.fromkeys(chain) if family]
