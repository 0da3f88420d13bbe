"""Property tests: arbitrary YAML never makes the loader raise; it reports problems instead."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.loader import load_project
from guidegen.problems import Report

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


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_YAML_BITS, st.text(max_size=6)), max_size=40).map("".join))
def test_any_guide_text_gives_problems_not_exceptions(tmp_project, text):
    root = (
        tmp_project()
        if not hasattr(test_any_guide_text_gives_problems_not_exceptions, "root")
        else test_any_guide_text_gives_problems_not_exceptions.root
    )
    test_any_guide_text_gives_problems_not_exceptions.root = root
    (root / "content/guides/leave-list.yaml").write_text(
        text, encoding="utf-8", errors="surrogatepass"
    )
    report = Report(root)
    load_project(root, report)  # must not raise
    for problem in report.problems:
        assert problem.location.path
