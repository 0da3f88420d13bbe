"""Letter sheets in PDFs: mark each page of a sheet of several pages 'Letter: page k of n'.

Each letter sheet is a named page group (`page: letter-N` in guide_pdf.html). CSS can select
the first page of a group (`@page letter-N:nth(1 of letter-N)`) but has no value for how many
pages the group has. A page counter does: reset on the group's first page, counted on each
next one, and read at the sheet's end element with target-counter. WeasyPrint makes margin boxes
after it has paginated, so the marks cost no second layout (they used to: the sheets were laid
out once on their own to count their pages).
"""

from __future__ import annotations

import re

FIRST_PAGE_STYLE = "guidegen-sheet-first-page"
LONGEST_SHEET = 99
"""Pages a sheet may have and still be marked on its first page (a large-print letter takes 2)."""


def css_string(text: str) -> str:
    """Return text as a CSS string literal that cannot end the string, the rule or the style."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>\n\r\f' or ord(char) < 32 else char for char in text
    )
    return f'"{escaped}"'


def counter_content(label: str, page: str = "counter(page)", pages: str = "counter(pages)") -> str:
    """Return a CSS content value for a %-pattern such as 'Page %(page)s of %(pages)s'."""
    parts = re.split(r"(%\(pages?\)s)", label)
    values = [
        {"%(page)s": page, "%(pages)s": pages}.get(part) or css_string(part)
        for part in parts
        if part
    ]
    return " ".join(values)


def sheet_marks(sheets: int, label: str, size: str = "10pt") -> str:
    """Return the CSS that marks each page of a sheet of several pages 'Letter: page k of n'.

    label is the locale's %-pattern with %(page)s and %(pages)s; size the mark's type size. Sheet
    k is the page group letter-k and ends with the element #sheet_end_k (guide_pdf.html); a page
    counter counts the group's pages and the end element's value of it is n. A sheet of one page
    has no mark: its first page prints n through a counter style whose symbol for 1 is empty.
    """
    if not sheets:
        return ""
    firsts = " ".join(
        css_string(
            label.replace("%(page)s", "1").replace("%(pages)s", str(total)) if total > 1 else ""
        )
        for total in range(1, LONGEST_SHEET + 1)
    )
    rules = [f"@counter-style {FIRST_PAGE_STYLE} {{ system: fixed; symbols: {firsts}; }}"]
    for index in range(1, sheets + 1):
        total = f"target-counter(url(#sheet_end_{index}), sheet-page"
        content = counter_content(label, "counter(sheet-page)", total + ")")
        first = f"{total}, {FIRST_PAGE_STYLE})"
        rules += [
            f"@page letter-{index} {{ counter-increment: sheet-page; "
            f"@top-center {{ content: {content}; font-size: {size}; }} }}",
            f"@page letter-{index}:nth(1 of letter-{index}) {{ counter-reset: sheet-page 1; "
            f"counter-increment: none; @top-center {{ content: {first}; }} }}",
        ]
    return "\n".join(rules)
