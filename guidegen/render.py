"""Jinja2 environment, template lookup and the HTML of every page."""

from __future__ import annotations

import traceback
from datetime import date
from pathlib import Path

import jinja2
from babel.dates import format_date
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import letter_html, letters
from .config import Config
from .errors import BuildError
from .formats.base import pgettext_noop
from .layout import BUILTIN_TEMPLATES, inside, template_dirs
from .localize import LocalizedSite
from .markup import render_inline, render_markdown
from .passages import Passage
from .scripts import ScriptMarker
from .ui import Interface, finish_page


def has_overrides(folders: list[Path]) -> bool:
    """Return True when a template folder other than the built-in theme holds any file."""
    theme = BUILTIN_TEMPLATES.resolve()
    return any(
        any(path.is_file() for path in folder.rglob("*"))
        for folder in folders
        if folder.resolve() != theme
    )


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Load templates only from files that really lie in the template folders (no links out)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(inside(Path(filename), Path(folder)) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def make_environment(project_root: Path) -> jinja2.Environment:
    """Return the shared Jinja2 environment: autoescape for HTML, i18n, filters.

    Template overrides are the site owner's code, but they run sandboxed all the same, and so
    does every theme template they extend or include: no attribute of Python's internals, no file
    outside the template folders. A project without templates of its own renders with the
    built-in theme alone, which ships with guidegen and needs no sandbox (it costs a fifth of the
    page rendering).
    """
    folders = template_dirs(project_root)
    environment = SandboxedEnvironment if has_overrides(folders) else jinja2.Environment
    env = environment(
        loader=_ConfinedLoader([str(d) for d in folders]),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=False),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %}: see template_callables
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


@jinja2.pass_context
def _block(context, text: str) -> Markup:
    """Render a Markdown passage; a fallback passage carries its language, the notice does not."""
    return context["renderer"].block(text)


@jinja2.pass_context
def _inline(context, text: str) -> Markup:
    """Render a one-line passage; a fallback passage carries its language, the notice does not."""
    return context["renderer"].inline(text)


@jinja2.pass_context
def _marked(context, text: str, lang: str | None = None) -> Markup:
    """Escape plain text (a letter's words) and mark its other-script runs, read as lang."""
    return context["renderer"].marked(text, lang)


def load_locale_data(codes: list[str]) -> None:
    """Load Babel's CLDR data of each locale (dates, language and country names), which every
    page reads: a build loads it just before forking its page workers, which then share it
    instead of each loading its own (about 4 MB a worker for the bundled five locales)."""
    from babel import Locale, localedata

    for code in codes:
        localedata.load(str(Locale.parse(code, sep="-")))  # kept in Babel's own cache


class PageRenderer:
    """Render the pages of one locale with its interface translations installed."""

    def __init__(self, env: jinja2.Environment, config: Config, site: LocalizedSite) -> None:
        self.env, self.config, self.site = env, config, site
        self.interface: Interface = site.interface
        self._markers: dict[str, ScriptMarker] = {}
        self._callables: dict[bool, dict] = {}  # gettext and the rest, by "is a text template"
        self._notices = {
            "missing": self.interface.gettext("This part has not been translated yet."),
            "outdated": self.interface.gettext("This translation may be out of date."),
        }
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

    def block(self, text: str) -> Markup:
        """Return a Markdown passage as HTML, its other-script runs marked; a fallback passage
        in an element carrying its language, after a notice in the page's."""
        html = self._mark(text, render_markdown(str(text)))
        if not (isinstance(text, Passage) and text.is_fallback):
            return html
        notice = Markup('<p class="fallback-note" role="note">{}</p>').format(self._notice(text))
        return (
            Markup('<div class="fallback" data-fallback="{}">').format(text.state)
            + notice
            + Markup('<div lang="{}" dir="{}">').format(text.lang, text.dir)
            + html
            + Markup("</div></div>")
        )

    def inline(self, text: str) -> Markup:
        """Return a one-line passage as HTML (no paragraph), marked like block()."""
        html = self._mark(text, render_inline(str(text)))
        if not (isinstance(text, Passage) and text.is_fallback):
            return html
        notice = Markup('<span class="fallback-note">{}</span> ').format(self._notice(text))
        start = Markup('<span class="fallback" data-fallback="{}" lang="{}" dir="{}">').format(
            text.state, text.lang, text.dir
        )
        return notice + start + html + Markup("</span>")

    def marked(self, text: str, lang: str | None = None) -> Markup:
        """Return plain text (a letter's words) escaped, its other-script runs marked, read as
        lang (by default the passage's language, else the page's)."""
        shown = lang or (text.lang if isinstance(text, Passage) else self.site.locale.code)
        return Markup(self.marker(shown).mark(str(escape(text))))

    def letter_body(self, letter, labels: dict, lang: str, fields: bool) -> Markup:
        """Return the HTML of a letter's body shown in language lang (see letter_html)."""
        return letter_html.letter_body(self, letter, labels, lang, fields)

    def blank(self, blank, name: str, fields: bool, lang: str) -> Markup:
        """Return one blank of a letter: its ruled line(s) or form field, and its label."""
        return Markup(letter_html.blank(self, blank, name, fields, lang))

    def _mark(self, text: str, html: str) -> Markup:
        lang = text.lang if isinstance(text, Passage) else self.site.locale.code
        return Markup(self.marker(lang).mark(html))

    def _notice(self, text: Passage) -> str:
        return self._notices["outdated" if text.state == "outdated" else "missing"]

    def render(self, template: str, **context) -> str:
        """Render one template for this locale (HTML, or plain text for .txt templates)."""
        ui = self.interface
        is_text = template.endswith(".txt")
        if is_text not in self._callables:
            self._callables[is_text] = ui.template_callables(html=not is_text)
        self.env.globals.update(self._callables[is_text])  # the locale's, for this render
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
            "downloads": [],
            "toc": False,
        }
        try:
            output = self.env.get_template(template).render(**{**base, **context})
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from None
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


def template_error(exc: jinja2.TemplateError, template: str) -> BuildError:
    """Return a template problem as 'file:line: error: message' (never a traceback)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{_shown(exc.filename or exc.name or template)}:{exc.lineno}"
        return BuildError(f"{where}: error: template syntax error: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return BuildError(
            f"{template}: error: template {exc.name!r} not found "
            "(templates may include only files inside the template folders)"
        )
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".txt", ".css"))
    ]
    where = f"{_shown(frames[-1].filename)}:{frames[-1].lineno}" if frames else template
    kind = "not allowed in a template" if isinstance(exc, SecurityError) else "template error"
    return BuildError(f"{where}: error: {kind}: {exc}")


def _shown(filename: str) -> str:
    path = Path(filename)
    try:
        return "theme:" + path.resolve().relative_to(BUILTIN_TEMPLATES.resolve()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
