"""Hostile contributors: no translation, content file or pull request can inject, leak, redirect
or falsify (README, 'Trust model'). Each finding of the security review has its hostile input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from guidegen.__main__ import cli

from .hostile_cases import HOSTILE
from .test_bad_input import apply_case


@pytest.mark.parametrize("case_id,files,expected", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_input_is_refused_with_its_place(tmp_project, case_id, files, expected):
    root = tmp_project()
    apply_case(root, files)
    result = CliRunner().invoke(cli, ["check", "--project", str(root), "--strict"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors and errors[0].startswith(expected), "\n".join(errors)


def _build_cli(root, *args):
    return CliRunner().invoke(cli, ["build", "--project", str(root), "-j", "1", *args])


def test_interface_translation_cannot_inject_markup(tmp_project):
    """ui.po is text: script, handlers and a <style> that hides the notices show as characters."""
    root = tmp_project()
    ui = root / "content/locales/zh-Hans/ui.po"
    hostile = "<script>alert(1)</script><style>.notice{display:none}</style><b onclick=x>这</b>"
    ui.write_text(ui.read_text().replace('msgstr "指南"', f'msgstr "{hostile}"'.replace('"x', "x")))
    result = _build_cli(root, "--format", "html")
    assert result.exit_code == 0, result.output
    page = (root / "build/site/zh-Hans/index.html").read_text()
    assert (
        "<script" not in page
        and "<style" not in page
        and "onclick" not in page.replace("onclick=x&gt;", "")
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_template_override_runs_sandboxed_and_errors_name_file_and_line(tmp_project):
    root = tmp_project()
    (root / "templates").mkdir()
    (root / "templates/index.html").write_text(
        "{% extends 'base.html' %}{% block main %}\n{{ ''.__class__.__mro__[1].__subclasses__() }}"
        "{% endblock %}"
    )
    result = _build_cli(root, "--format", "html")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "templates/index.html:2: error: not allowed in a template" in result.output
    (root / "templates/index.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}{% if %}"
    )
    result = _build_cli(root, "--format", "html")
    assert "templates/index.html:2: error: template syntax error" in result.output
    (root / "templates/index.html").write_text("{% include '../../../../etc/passwd' %}")
    result = _build_cli(root, "--format", "html")
    assert result.exit_code == 1 and "template '../../../../etc/passwd' not found" in result.output


def test_links_out_of_the_project_are_refused(tmp_project, tmp_path):
    root = tmp_project()
    (root / "templates").symlink_to("/")
    result = _build_cli(root)
    assert result.exit_code == 1 and "templates: the folder is a link that leads outside" in (
        result.output
    )
    (root / "templates").unlink()
    (root / "content/guides/secret.yaml").symlink_to("/etc/passwd")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert (
        "content/guides/secret.yaml:1:1: error: file is a link that leads outside the project"
        in (result.output)
    )


def test_pdfs_embed_no_attachments(tmp_project):
    import pikepdf

    root = tmp_project()
    (root / "templates").mkdir()
    body = root / "templates/_guide_body.html"
    from guidegen.render import BUILTIN_TEMPLATES

    body.write_text(
        (BUILTIN_TEMPLATES / "_guide_body.html").read_text()
        + '<a rel="attachment" href="file:///etc/passwd">x</a>'
        + '<a rel="attachment" href="_guide_body.html">y</a>'
    )
    result = _build_cli(root, "--locale", "en", "--format", "pdf")
    assert result.exit_code == 0, result.output
    with pikepdf.open(root / "build/site/en/leave-list/leave-list.en.pdf") as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"
        # Nor the file itself, left behind where nothing refers to it.
        streams = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
        assert not [s for s in streams if b'rel="attachment"' in s.read_bytes()]


def test_locale_code_cannot_write_outside(tmp_project, tmp_path):
    root = tmp_project()
    result = CliRunner().invoke(cli, ["i18n", "init", "zh-Hans./../../x", "--project", str(root)])
    assert result.exit_code == 1 and "invalid locale code" in result.output
    assert not (tmp_path / "x").exists() and not (root.parent / "x").exists()


def test_output_folder_guidegen_did_not_make_is_left_alone(tmp_project, tmp_path):
    root = tmp_project()
    theirs = tmp_path / "theirs"
    (theirs / "site").mkdir(parents=True)
    (theirs / "site" / "keep.txt").write_text("mine")
    (theirs / ".versions").mkdir()
    (theirs / ".versions" / "notes").write_text("mine too")
    result = _build_cli(root, "--out", str(theirs), "--format", "html")
    assert result.exit_code == 1
    assert "the folder is not empty and was not made by guidegen" in result.output
    assert (theirs / "site/keep.txt").read_text() == "mine"
    assert (theirs / ".versions/notes").read_text() == "mine too"


def test_yml_guides_are_rebuilt_when_edited(tmp_project):
    root = tmp_project()
    yaml = root / "content/guides/leave-list.yaml"
    yml = yaml.with_suffix(".yml")
    yaml.rename(yml)
    assert _build_cli(root, "--format", "html").exit_code == 0
    yml.write_text(yml.read_text().replace("Leaving the list", "Leaving the list now"))
    assert _build_cli(root, "--format", "html").exit_code == 0
    assert "Leaving the list now" in (root / "build/site/en/leave-list/index.html").read_text()


def test_fuzzy_translations_that_can_be_shown_are_checked(tmp_project):
    root = tmp_project()
    config = root / "guidegen.yaml"
    config.write_text(
        config.read_text().replace(
            "font_package: fonts-noto-cjk", "font_package: fonts-noto-cjk\n    show_outdated: true"
        )
    )
    po = root / "content/locales/zh-Hans/guides/leave-list.po"
    po.write_text(
        po.read_text().replace('msgstr "法院会通知银行。"', 'msgstr "法院会在30日内通知银行。"')
    )
    result = CliRunner().invoke(cli, ["check", "--project", str(root), "--strict"])
    assert result.exit_code == 1
    assert "translation shows the number 30, which the source does not have" in result.output


def test_a_bracket_bomb_is_refused_quickly_and_never_rendered(tmp_project):
    import time

    from guidegen.markup import render_markdown

    started = time.perf_counter()
    html = render_markdown("[" * 20_000 + "x")
    assert time.perf_counter() - started < 1.0
    assert html.startswith("<p>[[[")


def test_bundle_reports_a_missing_file_and_leaves_no_half_zip(tmp_project):
    root = tmp_project()
    assert _build_cli(root, "--format", "html").exit_code == 0
    (root / "build/site/en/index.html").unlink()
    result = CliRunner().invoke(cli, ["bundle", "--project", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot read it for the bundle" in result.output
    assert not (root / "build/guides.zip").exists()
    assert not list((root / "build").glob(".guides.zip*"))


def test_only_the_built_in_theme_alone_renders_without_the_sandbox(tmp_project):
    """A project's template, even a copy of a theme file, sandboxes the theme it extends too."""
    from jinja2.sandbox import SandboxedEnvironment

    from guidegen.render import BUILTIN_TEMPLATES, make_environment

    root = tmp_project()
    assert not (root / "templates").exists()
    assert not isinstance(make_environment(root), SandboxedEnvironment)
    (root / "templates").mkdir()
    assert not isinstance(make_environment(root), SandboxedEnvironment)  # an empty folder
    (root / "templates/partials").mkdir()
    (root / "templates/partials/base.html").write_bytes(
        (BUILTIN_TEMPLATES / "base.html").read_bytes()
    )
    assert isinstance(make_environment(root), SandboxedEnvironment)


def test_a_link_planted_in_the_published_site_is_not_carried_into_the_next_version(
    tmp_project, tmp_path
):
    """A rebuild links the published files into the new version; a symbolic link someone put
    among them (to a file or folder outside) is neither followed nor carried over."""
    root = tmp_project()
    assert _build_cli(root, "--format", "html").exit_code == 0
    secret = tmp_path / "secret"
    (secret / "inside").mkdir(parents=True)
    (secret / "key.txt").write_text("private")
    site = root / "build/site/en"
    (site / "key.txt").symlink_to(secret / "key.txt")
    (site / "folder").symlink_to(secret)
    po = root / "content/locales/zh-Hans/guides/leave-list.po"
    po.write_text(po.read_text().replace('msgstr "向法院提出申请"', 'msgstr "向执行法院提出申请"'))
    result = _build_cli(root, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "执行法院" in (root / "build/site/zh-Hans/leave-list/index.html").read_text()
    assert not (site / "key.txt").exists() and not (site / "key.txt").is_symlink()
    assert not (site / "folder").is_symlink()
    assert (secret / "key.txt").read_text() == "private" and (secret / "inside").is_dir()


def test_quotes_and_markup_in_a_blank_label_stay_text_in_pages_and_pdf_fields(tmp_project):
    # Letters' HTML is written by guidegen.letter_html: a label is an attribute value (the PDF
    # field's title) and text under the line; neither may end the attribute or open a tag.
    from html.parser import HTMLParser

    from guidegen.commands.build import BuildOptions
    from guidegen.commands.build_stages import heavy_jobs

    label = 'the "court" & <b onmouseover=x>name</b>'
    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(
        guide.read_text().replace('label: "name of the court"', f"label: '{label}'"),
        encoding="utf-8",
    )

    class Fields(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.titles: list[str] = []
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag in ("input", "textarea"):
                self.titles.append(dict(attrs)["title"])

    jobs = heavy_jobs(BuildOptions(project=root, out=root / "out", locales=("en",), jobs=1))
    for job, _ in jobs:
        fields = Fields()
        fields.feed(job.html)
        assert label in fields.titles, job.path
        assert "b" not in fields.tags, job.path
    result = _build_cli(root, "--locale", "en", "--format", "html")
    assert result.exit_code == 0, result.output
    page = (root / "build/site/en/leave-list/index.html").read_text()
    assert "onmouseover" not in page.split('<span class="blank-label">')[1].split("</span>")[0]
    assert "<b " not in page
