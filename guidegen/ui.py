"""Interface strings (ui.po): gettext for the templates that escapes translations, marks fallbacks.

Interface translations are text, never markup: a translation is HTML-escaped before the template
sees it, so `<script>` or `<style>` in ui.po shows as those characters and runs nowhere. (Jinja's
own newstyle gettext marks translations as safe HTML, which is why guidegen installs these.)
A string with no usable translation is shown in the source language between two private-use
marks; finish_page turns them into an element carrying the source's lang and dir in text, and
drops them inside tags and the title, where no element can go.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable

from markupsafe import Markup, escape

from .po import PoFile, python_format_directives, python_format_problem

FALLBACK_START, FALLBACK_END = "\ue000", "\ue001"  # refused in every input (see textsafety)
_MARKS = re.compile("[\ue000\ue001]")


class Interface:
    """The interface strings of one locale, as gettext callables for Jinja's i18n extension."""

    def __init__(self, catalog: PoFile | None, is_source: bool = False) -> None:
        self.is_source = is_source
        self.strings: dict[tuple[str | None, str], list[str]] = {}
        self.total = self.translated = 0
        plural = (catalog.header.get("Plural-Forms", "") if catalog else "") or ""
        match = re.search(r"plural\s*=\s*([^;]+)", plural)
        self._plural: Callable[[int], int] = _plural_function(match.group(1) if match else "")
        for message in catalog.messages if catalog else []:
            self.total += 1
            forms = message.plural_strings if message.plural_id is not None else [message.string]
            if message.fuzzy or not message.translated or not _usable(message.id, forms):
                continue
            self.strings[message.key] = forms
            self.translated += 1

    @property
    def complete(self) -> bool:
        """True when every interface string has a usable translation (or this is the source)."""
        return self.is_source or (self.total > 0 and self.translated == self.total)

    def gettext(self, message: str) -> Markup:
        return self.pgettext(None, message)

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        return self.npgettext(None, singular, plural, n)

    def pgettext(self, context: str | None, message: str) -> Markup:
        forms = None if self.is_source else self.strings.get((context, message))
        return escape(forms[0]) if forms else self._fallback(message)

    def npgettext(self, context: str | None, singular: str, plural: str, n: int) -> Markup:
        forms = None if self.is_source else self.strings.get((context, singular))
        if not forms:
            return self._fallback(singular if n == 1 else plural)
        index = self._plural(n)
        return escape(forms[index] if 0 <= index < len(forms) else forms[-1])

    def translation(self, context: str | None, message: str) -> str | None:
        """Return the usable translation of an interface string, or None (no fallback)."""
        forms = None if self.is_source else self.strings.get((context, message))
        return forms[0] if forms else None

    def plain(self, message: str) -> str:
        """Return an interface string as plain text (for CSS strings and text files)."""
        return self.translation(None, message) or message

    def text_callables(self) -> dict:
        """Return gettext callables that give plain text, for templates that are not HTML."""

        def npgettext(context, singular, plural, n):
            forms = None if self.is_source else self.strings.get((context, singular))
            if not forms:
                return singular if n == 1 else plural
            index = self._plural(n)
            return forms[index] if 0 <= index < len(forms) else forms[-1]

        return {
            "gettext": lambda m: self.translation(None, m) or m,
            "ngettext": lambda s, p, n: npgettext(None, s, p, n),
            "pgettext": lambda c, m: self.translation(c, m) or m,
            "npgettext": npgettext,
        }

    def template_callables(self, html: bool = True) -> dict[str, Callable]:
        """Return gettext, ngettext, pgettext, npgettext and _ for the templates.

        They mean what jinja2.ext.i18n's newstyle callables mean (every string is a format
        string filled with the keyword arguments, context= and num= included; HTML strings
        escape what fills them), without its three calls through the template context per
        string; a string without arguments is formatted once per locale.
        """
        if html:
            one, many = self.pgettext, self.npgettext
        else:
            text = self.text_callables()
            one, many = text["pgettext"], text["npgettext"]
        known: dict[tuple[bool, str | None, str], str] = {}  # formatted, without arguments

        def shown(context: str | None, message: str, variables: dict, given: dict) -> str:
            if given:
                return one(context, message) % (variables | given)
            key = (bool(variables), context, message)  # gettext passes no context= to format
            if key not in known:
                known[key] = one(context, message) % variables
            return known[key]

        def gettext(message: str, **variables):
            return shown(None, message, {}, variables)

        def pgettext(context: str | None, message: str, **variables):
            return shown(context, message, {"context": context}, variables)

        def npgettext(context: str | None, singular: str, plural: str, num: int, **variables):
            return many(context, singular, plural, num) % (
                {"context": context, "num": num} | variables
            )

        def ngettext(singular: str, plural: str, num: int, **variables):
            return many(None, singular, plural, num) % ({"num": num} | variables)

        return {
            "gettext": gettext,
            "_": gettext,
            "ngettext": ngettext,
            "pgettext": pgettext,
            "npgettext": npgettext,
        }

    def _fallback(self, text: str) -> Markup:
        if self.is_source:
            return escape(text)
        return Markup(FALLBACK_START) + escape(text) + Markup(FALLBACK_END)


def _usable(msgid: str, forms: list[str]) -> bool:
    """A translation the template can format: the same %(name)s directives, no stray %."""
    return all(
        python_format_directives(form)[0] is not None and not python_format_problem(msgid, form)
        for form in forms
    )


def _plural_function(expression: str) -> Callable[[int], int]:
    if not expression.strip():
        return lambda n: int(n != 1)
    try:
        return _gettext.c2py(expression)  # the standard library's own Plural-Forms compiler
    except (ValueError, RecursionError):
        return lambda n: int(n != 1)


def finish_page(html: str, lang: str, direction: str) -> str:
    """Turn fallback marks into elements with the source's lang and dir (dropped inside tags)."""
    if FALLBACK_START not in html:
        return html
    title_start, title_end = html.find("<title"), html.find("</title>")
    pieces: list[str] = []
    position = 0
    for match in _MARKS.finditer(html):
        at = match.start()
        pieces.append(html[position:at])
        position = at + 1
        inside_tag = html.rfind("<", 0, at) > html.rfind(">", 0, at)
        in_title = title_start <= at < title_end
        if inside_tag or in_title:
            continue
        if match.group(0) == FALLBACK_START:
            pieces.append(f'<span class="ui-fallback" lang="{lang}" dir="{direction}">')
        else:
            pieces.append("</span>")
    pieces.append(html[position:])
    return "".join(pieces)
