"""Jinja2 environment, template lookup and the HTML of every page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from . import letters
from .config import Config
from .i18n import ui_translations
from .localize import LocalizedSite
from .markup import render_inline, render_markdown
from .passages import Passage
from .problems import Report

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
    env.filters.update(block=_block, inline=_inline, letter=letters.paragraphs)
    return env


def _fallback_attrs(text: str) -> str:
    if isinstance(text, Passage) and text.is_fallback:
        return f' lang="{text.lang}" dir="{text.dir}" data-fallback="{text.state}"'
    return ""


def _notice(context, text: Passage) -> str:
    return context["notice_outdated" if text.state == "outdated" else "notice_missing"]


@jinja2.pass_context
def _block(context, text: str) -> Markup:
    """Render a Markdown passage; a fallback passage is wrapped with its language and a notice."""
    return _mark_fallback(
        context,
        text,
        render_markdown(str(text)),
        "div",
        '<p class="fallback-note" role="note">{}</p>',
    )


@jinja2.pass_context
def _inline(context, text: str) -> Markup:
    """Render a one-line passage; a fallback passage carries its language and a notice."""
    return _mark_fallback(
        context, text, render_inline(str(text)), "span", '<span class="fallback-note">{}</span> '
    )


def _mark_fallback(context, text: str, html: Markup, tag: str, note: str) -> Markup:
    attrs = _fallback_attrs(text)
    if not attrs:
        return html
    notice = Markup(note).format(_notice(context, text))
    if tag == "span":  # inline: the notice stands before the passage, outside its language
        return notice + Markup(f'<span class="fallback"{attrs}>') + html + Markup("</span>")
    return Markup(f'<div class="fallback"{attrs}>') + notice + html + Markup("</div>")


class PageRenderer:
    """Render the pages of one locale with its interface translations installed."""

    def __init__(
        self,
        env: jinja2.Environment,
        config: Config,
        site: LocalizedSite,
        project_root: Path,
        report: Report,
    ) -> None:
        self.env, self.config, self.site = env, config, site
        self.translations = ui_translations(project_root, site.locale.code, report)

    def render(self, template: str, **context) -> str:
        """Render one template for this locale."""
        self.env.install_gettext_translations(self.translations, newstyle=True)
        gettext = self.translations.gettext
        locale = self.site.locale
        base = {
            "config": self.config,
            "site": self.site,
            "locale": locale,
            "locales": self.config.locales,
            "format_date": self.format_date,
            "Markup": Markup,
            "notice_missing": gettext("This part has not been translated yet."),
            "notice_outdated": gettext("This translation may be out of date."),
        }
        return self.env.get_template(template).render(**base, **context)

    def format_date(self, value: date) -> str:
        """Return a date written the way the locale writes it."""
        return format_date(value, format="long", locale=self.site.locale.code.replace("-", "_"))
