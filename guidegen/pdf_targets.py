"""Page references ("on page N") laid out once more, not twice: a repair of WeasyPrint's lookups.

WeasyPrint (up to at least 70) collects, for each `content: target-counter(...)`, the counters it
still misses. compute_content_list names the target from the raw token, before attr(href) is
resolved, so a reference written with attr() waits on a target named None; and it stores the
target's missing counters in the variable that holds the box's own missing counters, so the
reference also waits on its own page's counters. The reference is then updated only when its
page's counters change: once when the target's page is known, and again when the page total
changes after the first pass. Every page holding a forward reference is laid out three times.

repair_lookups names each target as WeasyPrint's lookup_target does and unties the two lists.
WeasyPrint then updates a reference when its target's page is laid out (cache_target_page_counters),
and a page with a forward reference is laid out twice. Only references whose content is strings and
target counters are repaired: for any other, what WeasyPrint lost cannot be rebuilt.
"""

from __future__ import annotations

import functools

_LAYOUT_PARAMETERS = ["html", "root_box", "context", "max_loops"]
_TARGET_COUNTERS = ("target-counter()", "target-counters()")


@functools.cache
def install_reference_hook() -> None:
    """Repair the target lookups of each document before WeasyPrint lays it out."""
    from weasyprint import document

    from .pdf import hookable  # a cycle: pdf.py installs this hook

    original = hookable(
        document, "layout_document", _LAYOUT_PARAMETERS, "layout", "page-reference hook was"
    )

    def layout_document(html, root_box, context, max_loops=8):
        repair_lookups(context.target_collector)
        return original(html, root_box, context, max_loops)

    document.layout_document = layout_document


def repair_lookups(collector) -> None:
    """Name the targets of each reference and untie its own counters from theirs."""
    for (box, css_token), item in collector.counter_lookup_items.items():
        if css_token != "content" or not _aliased(item):
            continue
        names = _target_names(box)
        if names is None:
            continue
        wanted = item.missing_target_counters.values()
        counters = list(dict.fromkeys(counter for counters in wanted for counter in counters))
        item.missing_target_counters = {name: list(counters) for name in names}
        item.missing_counters = []


def _aliased(item) -> bool:
    """Return whether the box's own missing counters are one of its targets' lists."""
    return any(item.missing_counters is names for names in item.missing_target_counters.values())


def _target_names(box) -> list[str] | None:
    """Return the anchors a box's content refers to, or None if it holds anything else."""
    from weasyprint.css.targets import anchor_name_from_token
    from weasyprint.urls import get_url_tuple

    content = box.style["content"]
    if isinstance(content, str):  # normal, none, inhibit
        return None
    names = []
    for type_, value in content:
        if type_ == "string":
            continue
        if type_ not in _TARGET_COUNTERS or box.element is None:
            return None
        token = value[0]
        if token[0] == "attr()":  # resolved as WeasyPrint's TargetCollector.lookup_target does
            attribute, kind, fallback = token[1]
            text = box.element.get(attribute, fallback)
            if kind == "string":
                token = ("string", text)
            elif kind == "url":
                token = ("url", get_url_tuple(text, box.style.base_url))
            else:
                return None
        name = anchor_name_from_token(token)
        if name is None:
            return None
        names.append(name)
    return names or None
