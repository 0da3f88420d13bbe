"""The strict PO reader agrees with GNU msgfmt: what msgfmt refuses, guidegen refuses, at its line."""

from __future__ import annotations

import shutil
import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.po import format_po, parse_po
from guidegen.problems import Report

VALID = """# guidegen translations: test.
msgid ""
msgstr ""
"Project-Id-Version: t\\n"
"PO-Revision-Date: 2026-01-01 00:00+0000\\n"
"Last-Translator: t\\n"
"Language-Team: t\\n"
"Language: zh_Hans\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#. a note
#: content/guides/x.yaml:4
msgctxt "x|title"
msgid "Leaving the list"
msgstr "退出名单"

#, fuzzy
#| msgid ""
#| "Write to the court.\\n"
#| "- keep a copy"
msgctxt "x|steps.ask.body"
msgid ""
"Write to the court now.\\n"
"- keep a copy"
msgstr ""
"给法院写信。\\n"
"- 留一份复印件"

#, python-format
msgid "%(num)d working day"
msgid_plural "%(num)d working days"
msgstr[0] "%(num)d个工作日"

#~ msgctxt "x|old"
#~ msgid "Old"
#~ msgstr "旧"
"""

# What a hand edit or a careless tool does: quotes, escapes, line breaks, keywords, percent signs.
PIECES = ['"', "\\", "\n", "x", " ", "msgid ", "msgstr ", "msgctxt ", "[1]", "\\n", "%", "\\t"]


def _msgfmt_refuses(text: str, tmp_path) -> bool:
    path = tmp_path / "t.po"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [shutil.which("msgfmt"), "--check", "-o", "/dev/null", str(path)], capture_output=True
    )
    return result.returncode != 0


def _we_refuse(text: str) -> bool:
    report = Report()
    parse_po(text, "t.po", report)
    return bool(report.errors)


def test_the_valid_catalog_is_valid_for_both(tmp_path):
    assert not _msgfmt_refuses(VALID, tmp_path) and not _we_refuse(VALID)
    report = Report()
    assert format_po(parse_po(VALID, "t.po", report)) == VALID


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(VALID)), st.sampled_from(PIECES), st.integers(0, 3)),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_catalogs_get_the_same_verdict_as_msgfmt(tmp_path, edits):
    text = VALID
    for position, piece, cut in edits:
        position = min(position, len(text))
        text = text[:position] + piece + text[position + cut :]
    assert _we_refuse(text) == _msgfmt_refuses(text, tmp_path), text


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["delete", "duplicate", "swap"]), st.integers(0, 60)),
        min_size=1,
        max_size=2,
    )
)
def test_catalogs_with_lines_lost_doubled_or_swapped_get_the_same_verdict(tmp_path, edits):
    lines = VALID.split("\n")
    for kind, index in edits:
        index %= len(lines)
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines[index - 1], lines[index] = lines[index], lines[index - 1]
    text = "\n".join(lines)
    assert _we_refuse(text) == _msgfmt_refuses(text, tmp_path), text


def test_a_packed_catalog_unpacks_to_the_same_entries():
    """Check workers send catalogs to the build packed as tuples: nothing may be lost on the way."""
    import pickle

    from guidegen.po import pack, read_po, unpack

    from .conftest import REPO

    paths = sorted((REPO / "content/locales").rglob("*.po"))
    assert len(paths) > 30
    for path in paths:
        catalog = read_po(path, Report(REPO))
        assert catalog is not None and catalog.messages
        assert unpack(pickle.loads(pickle.dumps(pack(catalog)))) == catalog, path


def test_a_catalog_packed_for_reading_keeps_what_rendering_reads_and_drops_the_notes():
    """A build keeps the catalogs its workers checked, packed without notes, until it renders
    their guides: every entry's text, context, flags and line come back; comments, references,
    previous msgids and obsolete entries do not (no page shows them)."""
    import dataclasses
    import pickle

    from guidegen.po import pack, read_po, unpack

    from .conftest import REPO

    path = REPO / "content/locales/zh-Hans/guides/legal-aid.po"
    catalog = read_po(path, Report(REPO))
    assert catalog is not None
    packed = pickle.dumps(pack(catalog, notes=False))
    assert len(packed) < 0.8 * len(pickle.dumps(pack(catalog)))
    read = unpack(pickle.loads(packed))
    assert (read.header, read.header_comment, read.header_text, read.header_line) == (
        catalog.header,
        catalog.header_comment,
        catalog.header_text,
        catalog.header_line,
    )
    assert read.obsolete == []
    noteless = [
        dataclasses.replace(
            m,
            translator_comments=[],
            auto_comments=[],
            references=[],
            previous_id=None,
            previous_context=None,
        )
        for m in catalog.messages
    ]
    assert read.messages == noteless
    assert any(m.auto_comments for m in catalog.messages)
