"""Letter sheets in PDFs: count the pages of each sheet, and mark them 'Letter: page k of n'.

Each letter sheet is a named page group (`page: letter-N` in guide_pdf.html). CSS can select
the k-th page of a group (`@page letter-N:nth(k of letter-N)`) but cannot know how many pages
the group has, so the sheets are laid out once on their own (a short document: the sheets only)
and the count is written into the stylesheet of the real document.
"""

from __future__ import annotations

import re
from collections import Counter

MARKER = "/* guidegen: letter page marks */"
_GROUP = re.compile(r"^letter-(\d+)$")


def count_sheet_pages(document) -> dict[int, int]:
    """Return the number of pages of each letter sheet (by index) in a laid-out document."""
    counts: Counter[int] = Counter()
    for page in document.pages:
        match = _GROUP.match(page._page_box.page_type.name or "")
        if match:
            counts[int(match.group(1))] += 1
    return dict(counts)


def css_string(text: str) -> str:
    """Return text as a CSS string literal that cannot end the string, the rule or the style."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>\n\r\f' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def counter_content(label: str) -> str:
    """Return a CSS content value for the locale's 'Page %(page)s of %(pages)s' pattern."""
    parts = re.split(r"(%\(pages?\)s)", label)
    values = [
        {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}.get(part) or css_string(part)
        for part in parts
        if part
    ]
    return " ".join(values)


def add_sheet_marks(html: str, pages: dict[int, int], label: str, size: str = "10pt") -> str:
    """Return html with a 'Letter: page k of n' mark on each page of a sheet of several pages.

    label is the locale's %-pattern with %(page)s and %(pages)s; size the mark's type size.
    """
    rules = []
    for index, total in sorted(pages.items()):
        if total < 2:
            continue
        for page in range(1, total + 1):
            text = label.replace("%(page)s", str(page)).replace("%(pages)s", str(total))
            rules.append(
                f"@page letter-{index}:nth({page} of letter-{index}) "
                f"{{ @top-center {{ content: {css_string(text)}; font-size: {size}; }} }}"
            )
    return html.replace(MARKER, "\n".join(rules), 1) if rules else html
