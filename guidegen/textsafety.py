"""Characters no input may contain: bidi overrides, invisible marks, controls, lone surrogates.

A translator can make a page show 12348 (the legal-aid hotline) while a tel: link dials 84321,
with a right-to-left override; zero-width characters hide text from the checks. So every string
of every input file is refused when it contains one of these. Zero-width joiners (ZWNJ, ZWJ) are
allowed where the script uses them (Arabic and Indic scripts shape words with them).
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u00ad\u180e\u200b\u2060-\u2064\ufeff\ufff9-\ufffb"
_JOINERS = "\u200c\u200d"
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_PRIVATE = "\ue000-\uf8ff"  # guidegen uses two of these itself (ui.FALLBACK_START/END)
_SURROGATES = "\ud800-\udfff"
_ALWAYS = re.compile(f"[{_BIDI}{_INVISIBLE}{_CONTROLS}{_PRIVATE}{_SURROGATES}]")
_WITH_JOINERS = re.compile(f"[{_BIDI}{_INVISIBLE}{_JOINERS}{_CONTROLS}{_PRIVATE}{_SURROGATES}]")
# Scripts that shape words with zero-width joiners.
JOINER_SCRIPTS = {"Arab", "Syrc", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda",
                  "Mlym", "Sinh", "Mymr", "Khmr", "Tibt"}  # fmt: skip


def first_unsafe(text: str, allow_joiners: bool = False) -> tuple[int, str] | None:
    """Return (index, description) of the first refused character in text, or None."""
    match = (_ALWAYS if allow_joiners else _WITH_JOINERS).search(text)
    if match is None:
        return None
    char = match.group(0)
    return match.start(), describe(char)


def describe(char: str) -> str:
    """Return 'U+202E RIGHT-TO-LEFT OVERRIDE' for a character."""
    try:
        name = unicodedata.name(char)
    except ValueError:
        name = "a control character" if ord(char) < 0xA0 else "an unnamed character"
    return f"U+{ord(char):04X} {name}"


def unsafe_problem(text: str, allow_joiners: bool = False) -> str:
    """Return an error message when text contains a refused character, else ''."""
    found = first_unsafe(text, allow_joiners)
    if found is None:
        return ""
    index, what = found
    return f"text contains {what} at character {index + 1}"


HINT = (
    "bidi controls, invisible and control characters are refused: they can reorder digits "
    "or hide text; type the text plainly"
)
