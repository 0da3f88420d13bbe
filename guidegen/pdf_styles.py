"""Each stylesheet a PDF links to is parsed once per process, not once per PDF.

WeasyPrint (up to at least 70) parses every `<link rel="stylesheet">` of every document again:
tokenizing, validating each declaration and compiling each selector. A PDF worker renders many
documents linking the same theme files, and parsing style.css and pdf.css cost more than the
cascade that uses them. Only the parsed rules are kept: a stylesheet link still goes through the
document's own URL fetcher (its sandbox) every time, and is looked up by its address, its media
type and the bytes fetched, so an edited file is parsed afresh.

A stylesheet is kept only when what its parse leaves is its own rules: style rules, @media and
@page (with its margin boxes). @font-face, @counter-style, @import, @layer and the rest write into
the document's font configuration or counters, so a stylesheet holding any at-rule else is parsed
for each document as before. What WeasyPrint warned about while parsing a kept stylesheet is
warned again for each document that uses it, so every PDF reports its stylesheets' problems.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass

from .errors import BuildError

_LINK_ARGUMENTS = frozenset(
    {
        "url",
        "url_fetcher",
        "media_type",
        "font_config",
        "counter_style",
        "color_profiles",
        "page_rules",
        "layers",
        "_check_mime_type",
    }
)
_AT_RULE = re.compile(rb"@([-\w\\]+)")
_MARGIN_BOXES = (
    "top-left-corner top-left top-center top-right top-right-corner "
    "bottom-left-corner bottom-left bottom-center bottom-right bottom-right-corner "
    "left-top left-middle left-bottom right-top right-middle right-bottom"
).split()
_KEPT_AT_RULES = frozenset({"media", "page", *_MARGIN_BOXES})
KEPT_LIMIT = 16  # a worker renders the PDFs of one project: a few themes' stylesheets at most


@dataclass(frozen=True)
class Parsed:
    """A stylesheet's rules as WeasyPrint parsed them, and what it warned about meanwhile."""

    matcher: object
    page_rules: list
    warnings: list[logging.LogRecord]


_kept: dict[tuple, Parsed] = {}


def keeps_only_its_rules(data: bytes) -> bool:
    """Return whether parsing the stylesheet changes nothing but its own rules (see above)."""
    return all(name.decode().lower() in _KEPT_AT_RULES for name in _AT_RULE.findall(data))


@functools.cache
def install_stylesheet_hook() -> None:
    """Make WeasyPrint's stylesheet links use the rules parsed for the same bytes before."""
    import weasyprint
    import weasyprint.css

    from .pdf import hookable

    hookable(weasyprint.css, "find_stylesheets", _FIND_PARAMETERS, "stylesheet finder", _HOOKS)
    CSS = hookable(weasyprint, "CSS", _CSS_PARAMETERS, "stylesheet class", _HOOKS)
    if getattr(weasyprint.css, "CSS", None) is not CSS:
        raise BuildError(
            "this WeasyPrint's stylesheet finder does not make weasyprint.CSS objects, which "
            f"guidegen's {_HOOKS} written for; update guidegen/pdf_styles.py"
        )

    def stylesheet(*args, **kwargs):
        if args or "url" not in kwargs or kwargs.keys() - _LINK_ARGUMENTS:
            return CSS(*args, **kwargs)  # a <style>, an @import: parsed as WeasyPrint does
        return _linked(CSS, kwargs)

    weasyprint.css.CSS = stylesheet


def _linked(css_class, kwargs: dict):
    """Return the stylesheet a link names, from the rules kept for its bytes if there are."""
    from weasyprint.urls import fetch

    with fetch(kwargs["url_fetcher"], kwargs["url"]) as response:
        data = response.read()
        url, content_type, charset = response.url, response.content_type, response.charset
    wrong_type = kwargs.get("_check_mime_type") and content_type != "text/css"
    if wrong_type or charset or isinstance(data, str) or not keeps_only_its_rules(data):
        return css_class(**kwargs)  # fetched again, parsed (or refused) as WeasyPrint does
    key = (url, kwargs.get("media_type"), hashlib.blake2b(data).digest())
    parsed = _kept.get(key)
    if parsed is None:  # its warnings go out as it is parsed
        parsed = _parse(css_class, data, url, kwargs)
        if len(_kept) >= KEPT_LIMIT:
            _kept.clear()
        _kept[key] = parsed
    else:
        weasy = logging.getLogger("weasyprint")
        for record in parsed.warnings:
            weasy.handle(record)
    sheet = css_class.__new__(css_class)
    sheet.base_url, sheet.matcher = url, parsed.matcher  # the url is part of the key
    # As WeasyPrint's own parse would: the document's @page rules gain this sheet's, in order.
    sheet.page_rules = kwargs["page_rules"]
    sheet.page_rules.extend(parsed.page_rules)
    sheet.layers = kwargs["layers"]
    return sheet


def _parse(css_class, data: bytes, url: str, kwargs: dict) -> Parsed:
    """Parse a stylesheet on its own (no font configuration, counters or layers to write to)."""
    warnings: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record)

    weasy = logging.getLogger("weasyprint")
    handler = Keep(logging.WARNING)
    weasy.addHandler(handler)
    try:
        sheet = css_class(
            file_obj=io.BytesIO(data),
            base_url=url,
            url_fetcher=kwargs["url_fetcher"],
            media_type=kwargs.get("media_type", "print"),
        )
    finally:
        weasy.removeHandler(handler)
    return Parsed(sheet.matcher, sheet.page_rules, warnings)


_FIND_PARAMETERS = [
    "wrapper_element",
    "device_media_type",
    "url_fetcher",
    "base_url",
    "font_config",
    "counter_style",
    "color_profiles",
    "page_rules",
    "layers",
]
_CSS_PARAMETERS = [
    "guess",
    "filename",
    "url",
    "file_obj",
    "string",
    "encoding",
    "base_url",
    "url_fetcher",
    "_check_mime_type",
    "media_type",
    "font_config",
    "counter_style",
    "color_profiles",
    "matcher",
    "page_rules",
    "layers",
    "layer",
]
_HOOKS = "stylesheet hook was"
