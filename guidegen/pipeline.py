"""What every page is rendered from: site pages, the guide context, theme assets and fonts."""

from __future__ import annotations

from pathlib import Path

from .fonts import font_stack
from .formats import Download, GuideUnit, Output
from .formats.base import N_
from .layout import template_dirs, today
from .loader import Project
from .localize import LocalizedSite, source_title
from .render import PageRenderer

THEME_ASSETS = ("style.css",)
FONTS_CSS = "fonts.css"  # made from guidegen.yaml: each locale's font and its fallbacks


def canonical_url(project: Project, locale: str, guide_id: str) -> str:
    return f"{project.config.base_url.rstrip('/')}/{locale}/{guide_id}/"


def find_template_file(project_root: Path, name: str) -> Path:
    """Return the first file called name in the template lookup order."""
    for folder in template_dirs(project_root):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def fonts_css(project: Project) -> str:
    """Return the stylesheet that sets each locale's font (guidegen.yaml) with fallbacks."""
    rules = []
    for locale in project.config.locales:
        stack = ", ".join(f'"{family}"' for family in font_stack(locale.font, locale.code))
        selector = f'[lang="{locale.code}"], [lang^="{locale.code}-"]'
        rules.append(f"{selector} {{ font-family: {stack}, sans-serif; }}")
    original = project.config.original_language
    if original not in project.config.codes:
        stack = ", ".join(f'"{family}"' for family in font_stack("", original))
        rules.append(f'[lang="{original}"] {{ font-family: {stack}, sans-serif; }}')
    return (
        "/* Made by guidegen from guidegen.yaml: each locale's font. */\n" + "\n".join(rules) + "\n"
    )


def theme_assets(project: Project) -> list[Output]:
    """Return the theme files pages link to, written to build/site/assets/."""
    outputs = [
        Output(f"assets/{name}", "", "", "css", find_template_file(project.root, name).read_bytes())
        for name in THEME_ASSETS
    ]
    outputs.append(Output(f"assets/{FONTS_CSS}", "", "", "css", fonts_css(project).encode()))
    return outputs


def stylesheets(project: Project) -> tuple[list[str], dict[str, bytes]]:
    """Return the stylesheets of a PDF (file URLs and in-memory ones) and the in-memory bytes."""
    from .pdf import MEMORY_SCHEME

    fonts_url = f"{MEMORY_SCHEME}:{FONTS_CSS}"
    files = [find_template_file(project.root, n).as_uri() for n in ("style.css", "pdf.css")]
    return [files[0], fonts_url, files[1]], {fonts_url: fonts_css(project).encode()}


def language_choices(project: Project, report) -> list[dict]:
    """Return each locale with the site's title and 'Choose your language' in that language."""
    from .i18n import SHARED
    from .localize import interface, make_lookup

    choices = []
    for locale in project.config.locales:
        title = make_lookup(project, locale, [SHARED], report).passage(
            "site|title", project.config.title
        )
        prompt = interface(project, locale, report).plain(N_("Choose your language"))
        choices.append({"locale": locale, "title": str(title), "prompt": prompt})
    return choices


def render_language_page(renderer: PageRenderer, choices: list[dict]) -> Output:
    """Return build/site/index.html, where readers choose their language, each in its own."""
    html = renderer.render("language.html", root="", choices=choices)
    return Output("index.html", "", "", "html", html.encode("utf-8"))


class ListedGuide:
    """A guide as a list of guides shows it (a locale's index, a guide's related guides): its
    title and summary at hand, the rest localised if a template asks for more."""

    def __init__(self, site: LocalizedSite, guide_id: str) -> None:
        self.id, self._site = guide_id, site
        self.title, self.summary = site.headings[guide_id]

    def __getattr__(self, name: str):
        return getattr(self._site.guides[self.id], name)  # a theme override may show more


def render_locale_index(renderer: PageRenderer, project: Project, site: LocalizedSite) -> Output:
    """Return <locale>/index.html listing the guides published in that locale."""
    guides = [ListedGuide(site, g) for g in site.guides]
    unpublished = [{"id": g, "title": source_title(project, g)} for g in site.unpublished]
    html = renderer.render("index.html", root="../", guides=guides, unpublished=unpublished)
    return Output(
        f"{site.locale.code}/index.html", "", site.locale.code, "html", html.encode("utf-8")
    )


def related_guides(unit: GuideUnit) -> list[ListedGuide]:
    """Return the guides a guide's page links to, with their titles in the page's locale."""
    site = unit.site
    return [
        ListedGuide(site, other)
        for other in site.guides[unit.guide_id].related
        if other in site.guides
    ]


def other_translations(unit: GuideUnit) -> list:
    """Return the other locales that publish this guide."""
    config = unit.project.config
    return [
        config.locale(other)
        for other, guides in unit.published.items()
        if other != unit.code and unit.guide_id in guides
    ]


def guide_context(unit: GuideUnit) -> dict:
    """Return what every format of a guide is rendered with."""
    site = unit.site
    guide = site.guides[unit.guide_id]
    return {
        "guide": guide,
        "stale": guide.review.review_by < today(),
        "canonical_url": canonical_url(unit.project, site.locale.code, unit.guide_id),
        "handin": site.handin[unit.guide_id],
        "original": site.original,
        "original_name": language_name(site.original.code, site.locale.code),
        "bilingual": site.original.code != site.locale.code,
    }


def language_name(code: str, in_locale: str) -> str:
    """Return a language's name in another language, e.g. ('zh-Hans', 'en') -> 'Chinese' (CLDR)."""
    from babel import Locale

    language = Locale.parse(code, sep="-").language
    return Locale(language).get_display_name(Locale.parse(in_locale, sep="-")) or code


def downloads(unit_formats: list, guide_id: str, code: str, interface) -> list[Download]:
    """Return the download links of a guide's page: its files in other formats that exist."""
    return [
        Download(fmt.filename(guide_id, code), interface.gettext(fmt.label), fmt.mime)
        for fmt in unit_formats
        if fmt.label
    ]
