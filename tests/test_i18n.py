"""Translation workflow: update marks changed passages fuzzy, status counts, init, RTL, fallback."""

from __future__ import annotations

import json

import pikepdf
from babel.messages.pofile import read_po
from click.testing import CliRunner

from guidegen.__main__ import cli
from guidegen.commands.build import BuildOptions, build

from .pdf_facts import page_texts

PO = "content/locales/zh-Hans/guides/leave-list.po"


def _status(root) -> dict:
    result = CliRunner().invoke(cli, ["i18n", "status", "--project", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _catalog(root, name=PO):
    with open(root / name, "rb") as stream:
        return read_po(stream, locale="zh_Hans")


def test_status_json_shape_and_counts(tmp_project):
    status = _status(tmp_project())
    assert status["source_locale"] == "en"
    counts = status["locales"]["zh-Hans"]["guides"]["leave-list"]
    assert {k: counts[k] for k in ("total", "translated", "outdated", "missing")} == {
        "total": 28,
        "translated": 21,
        "outdated": 1,
        "missing": 6,
    }
    assert counts["words"] > counts["words_translated"] > 0


def test_editing_one_passage_makes_exactly_that_entry_fuzzy(tmp_project):
    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    guide.write_text(
        guide.read_text().replace('title: "Ask the court"', 'title: "Ask the court in writing"')
    )
    before = {m.context: (m.string, m.fuzzy) for m in _catalog(root) if m.id}

    result = CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    assert result.exit_code == 0, result.output

    after = _catalog(root)
    changed = {m.context for m in after if m.id and (m.string, m.fuzzy) != before[m.context]}
    assert changed == {"leave-list|steps.ask.title"}
    entry = next(m for m in after if m.context == "leave-list|steps.ask.title")
    assert entry.fuzzy and entry.string == "向法院提出申请"
    assert (
        '#| msgid "Ask the court"\nmsgctxt "leave-list|steps.ask.title"' in (root / PO).read_text()
    )
    counts = _status(root)["locales"]["zh-Hans"]["guides"]["leave-list"]
    assert (counts["translated"], counts["outdated"], counts["missing"]) == (20, 2, 6)

    # a second update keeps the previous source exactly once (Babel reads '#|' as a comment)
    text = (root / PO).read_text()
    CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    assert (root / PO).read_text() == text
    assert "# |" not in text and text.count('#| msgid "Ask the court"') == 1


def test_update_is_idempotent(tmp_project):
    root = tmp_project()
    CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    snapshot = {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po")}
    result = CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    assert result.output == ""
    assert snapshot == {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po")}


def test_removed_passage_becomes_obsolete_and_new_one_is_empty(tmp_project):
    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    text = guide.read_text().replace(
        '  - question: "Is it free?"\n    answer: "Yes."\n',
        '  - question: "How long does it take?"\n    answer: "3 working days."\n',
    )
    guide.write_text(text)
    CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    catalog = _catalog(root)
    entry = next(m for m in catalog if m.context == "leave-list|faq.0.question")
    assert entry.fuzzy and entry.string == "要收费吗？"
    assert '#| msgid "Is it free?"' in (root / PO).read_text()


def test_init_creates_rtl_locale_that_builds(tmp_project):
    root = tmp_project()
    result = CliRunner().invoke(cli, ["i18n", "init", "ug", "--project", str(root)])
    assert result.exit_code == 0, result.output
    config = (root / "guidegen.yaml").read_text()
    assert "code: ug" in config and "dir: rtl" in config and "publish_threshold: 0.95" in config
    assert 'font: "Noto Sans Arabic"' in config, "a font that fontconfig says covers Uyghur"
    assert (root / "content/locales/ug/guides/leave-list.po").is_file()
    out = root / "build"
    config = root / "guidegen.yaml"
    config.write_text(config.read_text().replace("publish_threshold: 0.95", "publish_threshold: 0"))
    build(BuildOptions(project=root, out=out, locales=("ug",), jobs=1))
    html = (out / "site/ug/leave-list/index.html").read_text()
    assert '<html lang="ug" dir="rtl">' in html
    assert '<div class="fallback" data-fallback="missing"><p class="fallback-note"' in html
    assert '<div lang="en" dir="ltr">' in html
    with pikepdf.open(out / "site/ug/leave-list/leave-list.ug.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ug"
        assert str(pdf.Root.ViewerPreferences.Direction) == "/R2L"


def test_init_rejects_unknown_and_existing_locales(tmp_project):
    root = tmp_project()
    unknown = CliRunner().invoke(cli, ["i18n", "init", "xx-Nope", "--project", str(root)])
    assert unknown.exit_code == 1 and "unknown locale code 'xx-Nope'" in unknown.output
    existing = CliRunner().invoke(cli, ["i18n", "init", "zh-Hans", "--project", str(root)])
    assert existing.exit_code == 1 and "locale 'zh-Hans' already exists" in existing.output


def test_show_outdated_option_shows_old_translation_with_notice(tmp_project):
    root = tmp_project()
    config = root / "guidegen.yaml"
    config.write_text(
        config.read_text().replace(
            "font_package: fonts-noto-cjk", "font_package: fonts-noto-cjk\n    show_outdated: true"
        )
    )
    out = root / "build"
    build(BuildOptions(project=root, out=out, locales=("zh-Hans",), jobs=1))
    html = (out / "site/zh-Hans/leave-list/index.html").read_text()
    assert '<div class="fallback" data-fallback="outdated"><p class="fallback-note"' in html
    assert "法院会通知银行。" in html and "这部分译文可能已过时。" in html
    text = "\n".join(page_texts(out / "site/zh-Hans/leave-list/leave-list.zh-Hans.pdf"))
    assert "法院会通知银行。" in text


def test_guide_below_threshold_is_listed_not_built(tmp_project):
    root = tmp_project()
    config = root / "guidegen.yaml"
    config.write_text(
        config.read_text().replace(
            "font_package: fonts-noto-cjk",
            "font_package: fonts-noto-cjk\n    publish_threshold: 0.9",
        )
    )
    out = root / "build"
    build(BuildOptions(project=root, out=out, locales=("zh-Hans",), formats="html"))
    assert not (out / "site/zh-Hans/leave-list").exists()
    index = (out / "site/zh-Hans/index.html").read_text()
    assert (
        'href="../en/leave-list/index.html" lang="en" hreflang="en" dir="ltr">Leaving the list</a>'
        in index
    )
