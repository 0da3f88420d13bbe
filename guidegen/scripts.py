"""Language of parts, automatically: runs of another script get their language; LTR runs isolated.

Translators write official Chinese terms in parentheses inside Uyghur or Vietnamese sentences.
A screen reader must read them with a Chinese voice and browsers and the PDF must draw them with
Simplified Chinese glyphs (WCAG 2.2 SC 3.1.2), so each run of Han script in a page of another
language is wrapped in an element with lang="zh-Hans" — translators need not type markup. The
same goes for any script that exactly one configured language writes. In right-to-left pages,
runs such as '12348.gov.cn' or '+86 10 1234' are isolated left-to-right, so the bidi algorithm
cannot reorder them into 'gov.cn.12348'.
"""

from __future__ import annotations

import functools
import re

import regex

# ISO 15924 codes of written languages -> the Unicode scripts they use.
_UNICODE_SCRIPTS = {
    "Hans": ("Han",),
    "Hant": ("Han",),
    "Jpan": ("Han", "Hiragana", "Katakana"),
    "Kore": ("Hangul", "Han"),
}
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uff60"
_TAG = re.compile(r"(<[^>]*>)")
_LTR_TOKEN = r"\+?[A-Za-z0-9](?:[A-Za-z0-9.:/@+_%#?=&~\-]*[A-Za-z0-9/])?"
_LTR_RUN = re.compile(rf"{_LTR_TOKEN}(?: {_LTR_TOKEN})*")
_NEEDS_ISOLATION = re.compile(r"[A-Za-z]|[.:/@+]|\d \d")
SHORT_RUN = 8  # characters: a run of another script this short (a term, a name) never wraps


@functools.cache
def locale_script(code: str) -> str:
    """Return the ISO 15924 script a locale is written in ('ug' -> 'Arab'), from CLDR via Babel."""
    from babel import Locale
    from babel.core import get_global

    locale = Locale.parse(code, sep="-")
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 else "Latn"


def unicode_scripts(code: str) -> tuple[str, ...]:
    """Return the Unicode script names a locale's writing uses."""
    script = locale_script(code)
    return _UNICODE_SCRIPTS.get(script, (script,))


class ScriptMarker:
    """Mark runs of other scripts in one page's HTML with their language."""

    def __init__(self, languages: list[str], preferred: str, page: str, rtl: bool) -> None:
        own = set(unicode_scripts(page))
        owners: dict[str, list[str]] = {}
        for code in dict.fromkeys([preferred] + languages):
            for script in unicode_scripts(code):
                owners.setdefault(script, []).append(code)
        self.runs = []
        marked = []
        for script, codes in owners.items():
            if script in own:
                continue
            # the preferred (original) language owns its scripts; otherwise only an unambiguous one
            owner = preferred if preferred in codes else (codes[0] if len(codes) == 1 else None)
            if owner is not None:
                self.runs.append((_run_pattern(script), owner))
                marked.append(script)
        self.rtl = rtl
        # a letter of any marked script: text without one has no run (most text, one search)
        letters = "".join(rf"\p{{Script={script}}}" for script in marked)
        self._any = regex.compile(f"[{letters}]") if marked else None

    def mark(self, html: str) -> str:
        """Return html with every other-script run (and, in RTL pages, LTR run) marked."""
        if not self.rtl and (self._any is None or not self._any.search(html)):
            return html
        pieces = _TAG.split(html)
        for i in range(0, len(pieces), 2):  # even pieces are text between tags
            if pieces[i]:
                pieces[i] = self._mark_text(pieces[i])
        return "".join(pieces)

    def _mark_text(self, text: str) -> str:
        if self._any is None or not self._any.search(text):
            return self._between(text)
        runs = sorted(
            (m.start(), m.end(), code)
            for pattern, code in self.runs
            for m in pattern.finditer(text)
        )
        out, position = [], 0
        for start, end, code in runs:
            if start < position:
                continue  # overlaps a run already marked
            out.append(self._between(text[position:start]))
            short = ' class="short"' if end - start <= SHORT_RUN else ""  # kept on one line
            out.append(f'<span lang="{code}"{short}>{text[start:end]}</span>')
            position = end
        out.append(self._between(text[position:]))
        return "".join(out)

    def _between(self, text: str) -> str:
        return _isolate_ltr(text) if self.rtl and _LTR_RUN.search(text) else text


@functools.cache
def _run_pattern(script: str) -> regex.Pattern:
    letter = rf"\p{{Script={script}}}"
    inner = r"[\p{Script=Common}\p{Script=Inherited}--[<>&]]"
    return regex.compile(
        rf"[{_CJK_PUNCTUATION}]*{letter}(?:{inner}*?{letter})*[{_CJK_PUNCTUATION}]*",
        regex.V1,
    )


def _isolate_ltr(text: str) -> str:
    out, position = [], 0
    for match in _LTR_RUN.finditer(text):
        run = match.group(0)
        if not _NEEDS_ISOLATION.search(run) or _inside_entity(text, match.start()):
            continue
        out.append(text[position : match.start()])
        out.append(f'<span dir="ltr">{run}</span>')
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _inside_entity(text: str, at: int) -> bool:
    """True when position at is inside an HTML character reference such as &amp; or &#48;."""
    amp = text.rfind("&", 0, at)
    return amp != -1 and ";" not in text[amp:at] and re.match(r"&#?\w*$", text[amp:at]) is not None
