"""Letter templates: placeholders for fill-in blanks and their layout as paragraphs."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
ROW_TEXT = 36  # columns: a paragraph of at most this much text and two blanks is a field row
KEEP_TEXT = 12  # columns: a line this short without blanks ('此致', 'To:') stays with the next


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a letter: ("text", s) and ("blank", name) pieces, and how to lay it out.

    A field row ('Case number: ____', 'Signature: ____  Date: ____': little text, one or two
    one-line blanks) lets its blanks share the rest of the line; prose keeps blanks inline, and a
    blank of several lines is a block of its own, so no line is left half empty before it.
    """

    pieces: tuple[tuple[str, str], ...] = ()
    fields: bool = False
    blanks: int = 0
    keep: bool = False  # a short line that must not end a page (the next paragraph follows it)


def placeholders(text: str) -> set[str]:
    """Return the names of the {blank} placeholders in a letter body."""
    return set(PLACEHOLDER.findall(text))


def paragraphs(text: str, lines: dict[str, int] | None = None) -> list[Paragraph]:
    """Split a letter body into paragraphs; lines gives each blank's number of ruled lines."""
    return list(_paragraphs(text, frozenset((lines or {}).items())))


@functools.lru_cache(maxsize=256)
def _paragraphs(text: str, lines: frozenset[tuple[str, int]]) -> tuple[Paragraph, ...]:
    # Cached: a guide's pages show each letter handed in (in Chinese) in every locale.
    ruled = dict(lines)
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        pieces: list[tuple[str, str]] = []
        position = 0
        for match in PLACEHOLDER.finditer(block):
            if match.start() > position:
                pieces.append(("text", block[position : match.start()]))
            pieces.append(("blank", match.group(1)))
            position = match.end()
        if position < len(block):
            pieces.append(("text", block[position:]))
        blanks = [value for kind, value in pieces if kind == "blank"]
        words = "".join(value.strip() for kind, value in pieces if kind == "text")
        # only compared with ROW_TEXT and KEEP_TEXT: a longer text is wider still (no need to
        # measure each character of a paragraph of prose)
        width = columns(words) if len(words) <= ROW_TEXT else len(words)
        fields = (
            0 < len(blanks) <= 2
            and width <= ROW_TEXT
            and all(ruled.get(name, 1) == 1 for name in blanks)
        )
        keep = not blanks and width <= KEEP_TEXT
        result.append(Paragraph(tuple(pieces), fields, len(blanks), keep))
    return tuple(result)


def columns(text: str) -> int:
    """Return the width of text in columns: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
