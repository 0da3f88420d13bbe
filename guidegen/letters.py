"""Letter templates: placeholders for fill-in blanks and their layout as paragraphs."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    """Return the names of the {blank} placeholders in a letter body."""
    return set(PLACEHOLDER.findall(text))


def paragraphs(text: str) -> list[list[tuple[str, str]]]:
    """Split a letter body into paragraphs of ("text", s) and ("blank", name) pieces."""
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
        result.append(pieces)
    return result
