"""Markdown to HTML through an allow-list sanitiser (nh3): nothing active reaches the output."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markupsafe import Markup

from .urls import WEB, url_problem

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "br", "blockquote", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"https", "http", "mailto", "tel"}

_md = markdown.Markdown(extensions=[], output_format="html")


def _safe_href(element: str, attribute: str, value: str) -> str | None:
    """Keep a link only if it is absolute with an allowed scheme, or stays inside the site.

    The value is read the way a browser reads it: entities decoded, percent-escapes undone,
    whitespace and control characters ignored, backslashes taken as slashes.
    """
    if element != "a" or attribute != "href":
        return value
    seen = unquote(html.unescape(value))
    seen = "".join(c for c in seen if not c.isspace() and ord(c) >= 32).replace("\\", "/")
    parts = urlsplit(seen)
    if parts.scheme:
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            return None
        if scheme in WEB and url_problem(seen):
            return None
        return value
    if seen.startswith("/") or ".." in parts.path.split("/"):
        return None  # would climb out of the site, or depend on where it is hosted
    return value


def sanitise(html: str) -> str:
    """Return html with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_safe_href,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


MAX_PASSAGE = 10_000  # characters: the longest real passage has about 2,000
MAX_BRACKETS = 200  # Python-Markdown's link parsing takes time growing with their square


def passage_problem(text: str) -> str:
    """Return why a passage is too long or too bracket-heavy to render safely, else ''."""
    if len(text) > MAX_PASSAGE:
        return f"passage is {len(text)} characters long, over the limit of {MAX_PASSAGE}"
    brackets = text.count("[") + text.count("<")
    if brackets > MAX_BRACKETS:
        return f"passage has {brackets} '[' and '<' characters, over the limit of {MAX_BRACKETS}"
    return ""


# A line Python-Markdown and the sanitiser return unchanged: no character that Markdown or HTML
# gives a meaning to, nor one a block can start with.
_NEEDS_MARKDOWN = re.compile(
    r"[*_\[\]<>`\\&\u00a0\x00-\x1f\x7f\ud800-\udfff]|^[\s#>+\-=]|^\d+[.)]|\s$|^$"
)
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*]*?[^\s*])\*\*")  # **words**, nothing nested
_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")  # a letter's {blank}: its _ are not emphasis


# Small on purpose: a worker renders each passage to check it and again for the page, but by the
# page round most of what it checked has left any cache (it checks hundreds of guides), and the
# common passages take the fast path anyway. With 32,768 entries all processes took 1,085 MB at
# 10,000 documents (2,048: 1,021 MB) and 333 MB at 1,000 (275 MB), and saved no time (1,000
# documents: 13.6-14.8 s against 13.3-14.2 s, alternating runs).
@lru_cache(maxsize=2048)
def render_markdown(text: str) -> Markup:
    """Return sanitised HTML for a Markdown passage (plain escaped text if it is over the limits,
    which validation reports; a preview must never hang on one hostile translation)."""
    if passage_problem(text):
        return Markup("<p>{}</p>").format(text)
    simple = _simple_markdown(text)
    return full_markdown(text) if simple is None else Markup(simple)


def _simple_markdown(text: str) -> str | None:
    """Return the HTML of the common shapes of passage without Python-Markdown, else None.

    The shapes: paragraphs of one line and tight bulleted lists ('- ' items of one line), with
    **strong** words and {blanks} in them. Nine in ten passages of the bundled catalogs have one
    of them; tests/test_markup.py checks that the result is what the full path gives.
    """
    blocks, after_list = [], False
    for block in text.split("\n\n"):
        if block.startswith("- ") or "\n" in block:
            if after_list:
                return None  # two lists with a blank line between are one loose list
            items = [
                _simple_line(line[2:]) if line.startswith("- ") else None
                for line in block.split("\n")
            ]
            if None in items:
                return None
            blocks.append("<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>")
            after_list = True
        else:
            line = _simple_line(block)
            if line is None:
                return None
            blocks.append(f"<p>{line}</p>")
            after_list = False
    return "\n".join(blocks)


def _simple_line(line: str) -> str | None:
    strong = "*" in line
    bare = _STRONG.sub(r"\1", line) if strong else line
    if _NEEDS_MARKDOWN.search(_PLACEHOLDER.sub("x", bare) if "_" in bare else bare):
        return None
    return _STRONG.sub(r"<strong>\1</strong>", line) if strong else line


def full_markdown(text: str) -> Markup:
    """Return sanitised HTML for a passage through Python-Markdown and the sanitiser."""
    _md.reset()
    return Markup(sanitise(_md.convert(text)))


@lru_cache(maxsize=8192)
def render_inline(text: str) -> Markup:
    """Return sanitised HTML for a one-line Markdown passage, without the wrapping paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


class _TextWriter(HTMLParser):
    """Turn the sanitiser's small HTML (p, lists, strong, em, a, br, code) into plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.href = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
            self.parts.append("\n" + "  " * (len(self.lists) - 1) + marker)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href", "") or ""

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.parts.append("\n")
        elif tag == "p":
            self.parts.append("\n" if self.lists else "\n\n")
        elif tag == "a" and self.href and not self.href.startswith("#"):
            self.parts.append(f" ({self.href})")
            self.href = ""

    def handle_data(self, data):
        if "\n" in data and not data.strip():
            return  # the newlines between blocks in Markdown's output
        self.parts.append(data.replace("\n", " "))


def to_text(html: str) -> str:
    """Return the plain text of sanitised passage HTML: paragraphs, '- ' lists, (link targets)."""
    writer = _TextWriter()
    writer.feed(str(html))
    writer.close()
    text = "".join(writer.parts)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()
