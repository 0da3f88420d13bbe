"""A translator's page labels go into the PDF's <style>: they stay strings in their own rules."""

from __future__ import annotations

import tinycss2

from guidegen.sheets import counter_content, sheet_marks

HOSTILE = '"; } @page { @top-left { content: url(file:///etc/passwd) } } </style><script>%(page)s\\'


def test_a_hostile_letter_label_stays_inside_the_marks_rules():
    css = sheet_marks(2, HOSTILE, "10pt")
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    assert [rule.at_keyword for rule in rules] == ["counter-style"] + ["page"] * 4
    assert "<" not in css  # nor can it end the <style>


def test_a_hostile_page_label_is_one_content_value_of_strings_and_counters():
    tokens = tinycss2.parse_component_value_list(counter_content(HOSTILE))
    kinds = {token.type for token in tokens if token.type != "whitespace"}
    assert kinds <= {"string", "function"}
