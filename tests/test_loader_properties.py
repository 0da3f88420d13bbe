"""Property tests: arbitrary YAML never makes the loader raise; it reports problems instead."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidegen.loader import load_project
from guidegen.problems import Report

from .conftest import FIXTURES

_YAML_BITS = st.sampled_from(
    [
        "id: ",
        "title: ",
        "steps:\n",
        "  - ",
        "review:\n",
        "  reviewed: ",
        "2026-11-20",
        "!!python/object:os.system",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        "\t",
        "\n",
        ": ",
        "- ",
        "'",
        '"',
        "#",
        "|\n",
        "  ",
        "<<: *a\n",
        "\x00",
        "\ufeff",
        "sources: [",
        "{id: rule-one}",
        "42",
        "null",
    ]
)


@pytest.fixture(scope="module")
def project_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("properties") / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    return root


@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.one_of(_YAML_BITS, st.text(max_size=6)), max_size=40).map("".join))
def test_any_guide_text_gives_problems_not_exceptions(project_root, text):
    guide = project_root / "content/guides/leave-list.yaml"
    guide.write_text(text, encoding="utf-8", errors="surrogatepass")
    report = Report(project_root)
    load_project(project_root, report)  # must not raise
    assert all(problem.location.path for problem in report.problems)
