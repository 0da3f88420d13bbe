"""Jinja2 environment, template lookup and the HTML of every page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape

from . import letters
from .config import Config
from .formats.base import pgettext_noop
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
    """Return the shared Jinja2 environment: autoescape for HTML, i18n extension, filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(project_root)]),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=False),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        block=_block, inline=_inline, letter=_letter, marked=_marked, tel=_tel, text=_text
    )
    return env


def _letter(body: str, blanks: dict) -> list[letters.Paragraph]:
    """Split a letter body into paragraphs; blanks maps each placeholder to its Blank."""
    return letters.paragraphs(str(body), {name: b.lines for name, b in blanks.items()})


def _tel(number: str) -> str:
    """Return a phone number as a tel: target: digits and a leading + only."""
    digits = "".join(c for c in str(number) if c.isdigit() and c.isascii())
    return ("+" if str(number).strip().startswith("+") else "") + digits


def _text(text: str) -> str:
    """Return a Markdown passage as plain text (for the text edition)."""
    from .markup import to_text

    return to_text(render_markdown(str(text)))


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
def _marked(context, text: str, lang: str | None = None) -> Markup:
    """Escape plain text (a letter's words) and mark its other-script runs, read as lang."""
    renderer: PageRenderer = context["renderer"]
    shown = lang or (text.lang if isinstance(text, Passage) else renderer.site.locale.code)
    return Markup(renderer.marker(shown).mark(str(escape(text))))


class PageRenderer:
    """Render the pages of one locale with its interface translations installed."""

    def __init__(self, env: jinja2.Environment, config: Config, site: LocalizedSite) -> None:
        self.env, self.config, self.site = env, config, site
        self.interface: Interface = site.interface
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
        """Render one template for this locale (HTML, or plain text for .txt templates)."""
        ui = self.interface
        is_text = template.endswith(".txt")
        if is_text:
            self.env.install_gettext_callables(newstyle=True, **ui.text_callables())
        else:
            self.env.install_gettext_callables(
                ui.gettext, ui.ngettext, newstyle=True, pgettext=ui.pgettext, npgettext=ui.npgettext
            )
        locale = self.site.locale
        base = {
            "config": self.config,
            "site": self.site,
            "locale": locale,
            "locales": self.config.locales,
            "source_locale": self.config.locale(self.config.source_locale),
            "format_date": self.format_date,
            "territory_name": self.territory_name,
            "Markup": Markup,
            "renderer": self,
            "ui_complete": ui.complete,
            "notice_missing": ui.gettext("This part has not been translated yet."),
            "notice_outdated": ui.gettext("This translation may be out of date."),
            "downloads": [],
            "toc": False,
            "sheets_only": False,
        }
        output = self.env.get_template(template).render(**{**base, **context})
        return output if is_text else finish_page(output, *self._source)

    def format_date(self, value: date) -> str:
        """Return a date as the locale writes it: its translators' pattern, else CLDR's long one."""
        # Translators: how this language writes a date, as a CLDR pattern (y year, M or MMMM month,
        # d day; letters in '...' are written as they are). Leave it untranslated for CLDR's.
        pattern = self.interface.translation(*pgettext_noop("date format", "MMMM d, y"))
        code = self.site.locale.code.replace("-", "_")
        try:
            return format_date(value, format=pattern or "long", locale=code)
        except (ValueError, TypeError):  # a bad pattern is reported by check; never fail here
            return format_date(value, format="long", locale=code)

    def territory_name(self, code: str) -> str:
        """Return a country's name in the locale's language (CLDR), e.g. 'CN' -> 'China'."""
        from babel import Locale

        territories = Locale.parse(self.site.locale.code, sep="-").territories
        return territories.get(code.upper(), code)
