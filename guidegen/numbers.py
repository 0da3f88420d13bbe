"""The numbers a reader sees in a text: digits in any script, grouped thousands, Chinese numerals.

A translation must show the numbers its source shows (a deadline of 3 days must not become 30),
in whatever form the language writes them: '3', '３', '三个工作日', '10.000' (Vietnamese grouping),
'100万元' for 'RMB 1 million'. Each mention is read as a set of values it can stand for
('1 million' is 1 and 1000000), and two mentions agree when their sets share a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")
_SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9, "万": 4, "亿": 8, "千": 3, "百万": 6}
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion|百万|万|亿|千)")
_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
# A Chinese numeral counts only before a measure word or unit, or after 第: '一般' is not 1.
_CHINESE_NUMBER = re.compile(
    r"(第)?([零〇一二两三四五六七八九十百千万]+)"
    r"(?(1)|(?=[日天个年月次条款项号名人元倍周份件张页岁]|小时|工作日))"
)
_MONTH_NAMES = "january february march april may june july august september october november"
_MONTHS = {m: i for i, m in enumerate((_MONTH_NAMES + " december").split(), 1)}
_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_WORDS.update(
    {
        w: i
        for i, w in enumerate(
            "- first second third fourth fifth sixth seventh eighth ninth tenth".split()
        )
        if i
    }
)
# 'a court', 'once', 'both': languages write these with a numeral (一个, 两次, 双方)
_WORDS.update(
    a=1,
    an=1,
    once=1,
    single=1,
    twice=2,
    both=2,
    double=2,
    pair=2,
    dozen=12,
    hundred=100,
    thousand=1000,
)
_WORD_VALUES = _WORDS | _MONTHS
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Mention:
    """A number as written, and every value it can stand for."""

    text: str
    values: frozenset[Decimal]


# Any character that can start a number once NFKC-normalised: most passages have none.
_ANY_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百千万]")


def mentions(text: str) -> list[Mention]:
    """Return the numbers written in text, in any digits or in Chinese numerals."""
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    if not _ANY_NUMBER.search(text):
        return []
    found = []
    for match in _DIGITS.finditer(text):
        value = _decimal(match.group(0))
        if value is None:
            continue
        values = {value}
        scale = _SCALE_AFTER.match(text, match.end())
        if scale:
            values.add(value * (Decimal(10) ** _SCALE_WORDS[scale.group(1)]))
        found.append(Mention(match.group(0), frozenset(values)))
    for match in _CHINESE_NUMBER.finditer(text):
        numeral = match.group(2)
        after_digits = match.start(2) > 0 and text[match.start(2) - 1].isdigit()
        if after_digits or not any(c in _CHINESE_DIGITS or c == "十" for c in numeral):
            continue  # '100万' is read with its digits; '万' alone is no number
        number = _chinese(numeral)
        if number is not None:
            found.append(Mention(match.group(0), frozenset({Decimal(number)})))
    return found


def word_values(text: str) -> set[Decimal]:
    """Return values written as English words (month names, 'two'): they excuse digits."""
    words = (m.group(0).lower() for m in _WORD.finditer(text))
    return {Decimal(_WORD_VALUES[w]) for w in words if w in _WORD_VALUES}


def _decimal(written: str) -> Decimal | None:
    grouped = re.fullmatch(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+", written)
    plain = re.sub(r"[,.\u00a0\u202f ]", "", written) if grouped else written.replace(",", ".")
    if not plain.isascii():
        plain = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in plain)
    try:
        return Decimal(plain)
    except (InvalidOperation, ValueError):
        return None


def _chinese(numeral: str) -> int | None:
    """Return the value of a Chinese numeral such as 十五, 三十, 一百二十, 两, or None."""
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in _CHINESE_DIGITS:
            if digit is not None and numeral[0] not in _CHINESE_UNITS:
                digit = digit * 10 + _CHINESE_DIGITS[char]  # 二〇二六 written digit by digit
            else:
                digit = _CHINESE_DIGITS[char]
        elif char == "万":
            total = (total + section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _CHINESE_UNITS[char]
            digit = None
    return total + section + (digit or 0)


def missing_and_extra(source: str, target: str) -> tuple[list[str], list[str]]:
    """Return the source's numbers the target lacks, and the target's numbers the source lacks."""
    return compare_mentions(mentions(source), mentions(target), lambda: word_values(source))


def compare_mentions(
    wanted: list[Mention], shown: list[Mention], excuses: Callable[[], set[Decimal]]
) -> tuple[list[str], list[str]]:
    """Return the wanted numbers not shown, and the shown numbers not wanted nor excused.

    excuses() returns the values the source writes as words (asked only when needed).
    """
    if not wanted and not shown:
        return [], []
    missing = []
    remaining = list(shown)
    for mention in wanted:
        match = next((m for m in remaining if m.values & mention.values), None)
        if match is None:
            missing.append(mention.text)
        else:
            remaining.remove(match)
    if not remaining:
        return missing, []
    pool = set().union(*(m.values for m in wanted)) if wanted else set()
    # 1 stands for 'a', 'every', 'para. 1' in many languages: an added 1 is not reported
    excused = pool | {Decimal(1)}
    extra = [m.text for m in remaining if not (m.values & excused)]
    if extra:
        words = excuses()
        extra = [m.text for m in remaining if not (m.values & (excused | words))]
    return missing, extra
