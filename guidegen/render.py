"""Jinja2 environment, template lookup and the HTML of every page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape

from . import letters
from .config import Config
from .localize import LocalizedSite
from .markup import render_inline, render_markdown
from .passages import Passage
from .scripts import ScriptMarker
from .ui import Interface, finish_page

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_dirs(project_root: Path) -> list[Path]:
    """Return the template folders in lookup order: the project's first, then the built-in ones."""
    dirs = [project_root / "templates", BUILTIN_TEMPLATES]
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [d.resolve() for d in unique]:
            unique.append(folder)
    return unique


def make_environment(project_root: Path) -> jinja2.Environment:
    """Return the shared Jinja2 environment: autoescape on, i18n extension, passage filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(project_root)]),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(block=_block, inline=_inline, letter=letters.paragraphs, marked=_marked)
    return env


def _notice(context, text: Passage) -> str:
    return context["notice_outdated" if text.state == "outdated" else "notice_missing"]


def _mark(context, text: str, html: str) -> Markup:
    """Mark other-script runs in a passage's HTML, by the language the passage is shown in."""
    renderer: PageRenderer = context["renderer"]
    lang = text.lang if isinstance(text, Passage) else renderer.site.locale.code
    return Markup(renderer.marker(lang).mark(html))


@jinja2.pass_context
def _block(context, text: str) -> Markup:
    """Render a Markdown passage; a fallback passage carries its language, the notice does not."""
    html = _mark(context, text, render_markdown(str(text)))
    if not (isinstance(text, Passage) and text.is_fallback):
        return html
    notice = Markup('<p class="fallback-note" role="note">{}</p>').format(_notice(context, text))
    return (
        Markup('<div class="fallback" data-fallback="{}">').format(text.state)
        + notice
        + Markup('<div lang="{}" dir="{}">').format(text.lang, text.dir)
        + html
        + Markup("</div></div>")
    )


@jinja2.pass_context
def _inline(context, text: str) -> Markup:
    """Render a one-line passage; a fallback passage carries its language, the notice does not."""
    html = _mark(context, text, render_inline(str(text)))
    if not (isinstance(text, Passage) and text.is_fallback):
        return html
    notice = Markup('<span class="fallback-note">{}</span> ').format(_notice(context, text))
    attrs = Markup(' data-fallback="{}" lang="{}" dir="{}"').format(text.state, text.lang, text.dir)
    return (
        notice + Markup('<span class="fallback"') + attrs + Markup(">") + html + Markup("</span>")
    )


@jinja2.pass_context
def _marked(context, text: str) -> Markup:
    """Escape plain text (a letter's words) and mark its other-script runs."""
    return _mark(context, text, str(escape(text)))


class PageRenderer:
    """Render the pages of one locale with its interface translations installed."""

    def __init__(
        self, env: jinja2.Environment, config: Config, site: LocalizedSite, interface: Interface
    ) -> None:
        self.env, self.config, self.site, self.interface = env, config, site, interface
        self._markers: dict[str, ScriptMarker] = {}
        source = config.locale(config.source_locale)
        self._source = (source.code, source.dir)

    def marker(self, lang: str) -> ScriptMarker:
        """Return the script marker for text shown in language lang."""
        if lang not in self._markers:
            rtl = next((loc.dir == "rtl" for loc in self.config.locales if loc.code == lang), False)
            self._markers[lang] = ScriptMarker(
                self.config.codes, self.config.original_language, lang, rtl
            )
        return self._markers[lang]

    def render(self, template: str, **context) -> str:
        """Render one template for this locale."""
        ui = self.interface
        self.env.install_gettext_callables(
            ui.gettext, ui.ngettext, newstyle=True, pgettext=ui.pgettext, npgettext=ui.npgettext
        )
        locale = self.site.locale
        base = {
            "config": self.config,
            "site": self.site,
            "locale": locale,
            "locales": self.config.locales,
            "format_date": self.format_date,
            "Markup": Markup,
            "renderer": self,
            "ui_complete": ui.complete,
            "notice_missing": ui.gettext("This part has not been translated yet."),
            "notice_outdated": ui.gettext("This translation may be out of date."),
        }
        html = self.env.get_template(template).render(**base, **context)
        return finish_page(html, *self._source)

    def format_date(self, value: date) -> str:
        """Return a date written the way the locale writes it."""
        return format_date(value, format="long", locale=self.site.locale.code.replace("-", "_"))
