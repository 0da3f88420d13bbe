"""Every broken or hostile input gives exit code 1 and an exact file:line:col message."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from guidegen.__main__ import cli

from .bad_input_cases import CASES


def apply_case(root, files) -> None:
    for name, change in files.items():
        path = root / name
        if isinstance(change, tuple):
            old, new = change
            text = path.read_text("utf-8")
            assert old in text, f"fixture no longer contains {old!r}"
            path.write_text(text.replace(old, new, 1), "utf-8")
        elif isinstance(change, bytes):
            path.write_bytes(change)
        else:
            path.write_text(change, "utf-8")


@pytest.mark.parametrize("case_id,files,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_exact_message(tmp_project, case_id, files, expected):
    root = tmp_project()
    apply_case(root, files)
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors, result.output
    assert errors[0].startswith(expected), "\n".join(errors)


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
