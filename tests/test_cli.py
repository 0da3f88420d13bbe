"""The command line: help on every command, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from guidegen.__main__ import cli


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


@pytest.mark.parametrize(
    "path,command", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_and_option_has_help(path, command):
    assert command.help, f"{' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_check_clean_project_exits_zero(tmp_project):
    root = tmp_project()
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_check_reports_problem_with_location_and_exit_one(tmp_project):
    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(guide.read_text().replace("terms: [court-list]", "terms: [court-lists]"))
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert (
        "content/guides/leave-list.yaml:54:9: error: unknown glossary term 'court-lists' "
        "(did you mean 'court-list'?)"
    ) in result.output
    assert "Traceback" not in result.output


def test_check_json_lists_problems(tmp_project):
    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(guide.read_text().replace("jurisdiction: CN", "jurisdiction: CN\nauthor: me"))
    result = CliRunner().invoke(cli, ["check", "--project", str(root), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors == [
        {
            "severity": "error",
            "message": "unknown field 'author' in guide",
            "hint": errors[0]["hint"],
            "path": "content/guides/leave-list.yaml",
            "line": 3,
            "column": 1,
        }
    ]


def test_bad_usage_exits_two(tmp_project):
    result = CliRunner().invoke(cli, ["build", "--format", "docx"])
    assert result.exit_code == 2


def test_missing_config_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert "guidegen.yaml: not found" in result.output


def test_build_unknown_guide_is_an_error(tmp_project):
    root = tmp_project()
    result = CliRunner().invoke(
        cli, ["build", "--project", str(root), "--guide", "nope", "--format", "html"]
    )
    assert result.exit_code == 1
    assert "unknown guide 'nope'" in result.output


def test_strict_fails_on_warnings(tmp_project, monkeypatch):
    root = tmp_project()
    monkeypatch.setenv("GUIDEGEN_TODAY", "2027-06-01")  # after review_by
    lenient = CliRunner().invoke(cli, ["check", "--project", str(root)])
    strict = CliRunner().invoke(cli, ["check", "--project", str(root), "--strict"])
    assert lenient.exit_code == 0
    assert strict.exit_code == 1
    assert "review date passed: review_by 2027-05-20 is before 2027-06-01" in strict.output


def test_a_bug_is_reported_in_one_line_not_a_traceback(tmp_project, monkeypatch, capsys):
    import guidegen.commands.check
    from guidegen.__main__ import main

    def broken(project):
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(guidegen.commands.check, "check", broken)
    monkeypatch.setattr("guidegen.__main__._hard_exit", sys.exit)  # not this test's process
    monkeypatch.setattr("sys.argv", ["guidegen", "check", "--project", str(tmp_project())])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        "guidegen: internal error: RuntimeError: something unexpected "
        "(run again with -v for details, and please report it)\n"
    )


def test_main_exit_codes_for_usage_and_content_errors(tmp_path, monkeypatch, capsys):
    from guidegen.__main__ import main

    monkeypatch.setattr("guidegen.__main__._hard_exit", sys.exit)  # not this test's process
    monkeypatch.setattr("sys.argv", ["guidegen", "build", "--format", "docx"])
    with pytest.raises(SystemExit) as usage:
        main()
    monkeypatch.setattr("sys.argv", ["guidegen", "check", "--project", str(tmp_path)])
    with pytest.raises(SystemExit) as content:
        main()
    assert (usage.value.code, content.value.code) == (2, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_the_console_command_ends_with_its_exit_code_and_all_its_output(tmp_project):
    """build and check end without freeing every object: their messages still arrive whole."""
    root = tmp_project()
    command = [sys.executable, "-m", "guidegen"]
    built = subprocess.run(
        [*command, "build", "--project", str(root), "--format", "html", "-j", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert built.stderr.rstrip().splitlines()[-1].startswith("rendered ")
    assert (root / "build/site/en/index.html").is_file()
    listed = subprocess.run(  # stdout to a pipe: the whole JSON arrives
        [*command, "check", "--project", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0 and "problems" in json.loads(listed.stdout)
    (root / "guidegen.yaml").write_text("title: [unclosed\n")
    checked = subprocess.run(
        [*command, "check", "--project", str(root)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stderr.startswith("guidegen.yaml:"), checked.stderr


def test_new_writes_every_setting_with_its_explanation(tmp_path):
    from guidegen.binder import schema_fields
    from guidegen.config import Config, LocaleConfig, Organisation, load_config
    from guidegen.problems import Report

    result = CliRunner().invoke(cli, ["new", str(tmp_path / "p"), "--locale", "ug"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "p" / "guidegen.yaml").read_text()
    for cls in (Config, LocaleConfig, Organisation):
        for field, _ in schema_fields(cls):
            assert f"{field.name}:" in text, field.name
            assert field.metadata["doc"].split()[0] in text, field.name
    report = Report(tmp_path / "p")
    config = load_config(tmp_path / "p", report)
    assert not report.problems and config.codes == ["en", "ug"]
    assert config.locale("ug").dir == "rtl"
