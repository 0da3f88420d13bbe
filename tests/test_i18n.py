"""Translation workflow: update marks changed passages fuzzy, status counts, init, RTL, fallback."""

from __future__ import annotations

import json
import re

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


# --- Catalogs that the tools translators use accept, after any sequence of edits and updates ---

LONG = (
    "Write to the court. It must act within 3 working days.\n"
    '      Say which event ended your listing, and attach a "copy" of every receipt \\ slip\n'
    "      you have: the court needs proof, and it keeps the originals only if you ask it to.\n"
)


def _update(root) -> str:
    result = CliRunner().invoke(cli, ["i18n", "update", "--project", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def _tools_accept(path) -> None:
    """GNU msgfmt, polib and translate-toolkit (Weblate's parser) all read the catalog."""
    import shutil
    import subprocess

    import polib
    from translate.storage import po as ttk_po

    msgfmt = subprocess.run(
        [shutil.which("msgfmt"), "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert msgfmt.returncode == 0 and msgfmt.stderr == "", msgfmt.stderr
    assert len(polib.pofile(str(path))) > 0
    assert len(ttk_po.pofile.parsefile(str(path)).units) > 1


def _edit(root, old, new):
    guide = root / "content/guides/leave-list.yaml"
    text = guide.read_text()
    assert old in text
    guide.write_text(text.replace(old, new))


def test_long_multiline_edit_keeps_the_whole_previous_source_for_every_tool(tmp_project):
    import polib

    root = tmp_project()
    _edit(root, "      Write to the court. It must act within 3 working days.\n", "      " + LONG)
    _edit(root, 'title: "Ask the court"', 'title: "Ask the court in writing"')
    _update(root)
    po = root / PO
    _tools_accept(po)
    entries = {e.msgctxt: e for e in polib.pofile(str(po))}
    body = entries["leave-list|steps.ask.body"]
    assert body.fuzzy and body.msgstr.startswith("给法院写信。")
    assert body.previous_msgid == (
        "Write to the court. It must act within 3 working days.\n\n- bring proof\n- keep a copy"
    )
    assert entries["leave-list|steps.ask.title"].previous_msgid == "Ask the court"

    # a second update with no source change rewrites nothing, byte for byte
    snapshot = {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po*")}
    assert _update(root) == ""
    assert snapshot == {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po*")}

    # another change keeps the source the translation was made from, not the one in between
    _edit(root, "the court needs proof", "the court needs your proof")
    _update(root)
    _tools_accept(po)
    body = next(e for e in polib.pofile(str(po)) if e.msgctxt == "leave-list|steps.ask.body")
    assert body.previous_msgid.startswith("Write to the court. It must act within 3 working days.")
    assert "bring proof" in body.previous_msgid and "Say which event" not in body.previous_msgid


def test_update_rewrites_only_the_catalogs_whose_entries_changed(tmp_project):
    root = tmp_project()
    _update(root)
    _edit(root, 'title: "Ask the court"', 'title: "Ask the court now"')
    written = _update(root).split()
    assert sorted(w for w in written if w != "updated") == [
        "content/locales/templates/guides/leave-list.pot",
        "content/locales/zh-Hans/guides/leave-list.po",
    ]


def test_headers_do_not_change_with_the_library_version(tmp_project, monkeypatch):
    import babel
    import polib

    root = tmp_project()
    _update(root)
    snapshot = {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po*")}
    monkeypatch.setattr(babel, "__version__", "99.0")
    monkeypatch.setattr(polib, "__version__", "99.0")
    assert _update(root) == ""
    assert snapshot == {p: p.read_bytes() for p in (root / "content/locales").rglob("*.po*")}
    assert all(b"Generated-By" not in data for data in snapshot.values())


def test_rewrapping_a_paragraph_changes_nothing_but_a_new_word_does(tmp_project):
    import polib

    def entries(root):
        return {
            (e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), e.previous_msgid)
            for e in polib.pofile(str(root / PO))
        }

    root = tmp_project()
    _update(root)
    before = entries(root)
    _edit(root, "Write to the court. It must act", "Write to the court.\n      It must act")
    _update(root)  # only `#:` line numbers below the edit move
    assert entries(root) == before
    _edit(root, "Write to the court.\n      It must act", "Write to the court.\n      It shall act")
    assert "leave-list.po" in _update(root)
    assert _status(root)["locales"]["zh-Hans"]["guides"]["leave-list"]["outdated"] == 2


def test_every_catalog_has_a_current_template_with_notes_and_references(tmp_project):
    import polib

    root = tmp_project()
    _update(root)
    for owner in ("guides/leave-list", "shared", "ui"):
        template = root / f"content/locales/templates/{owner}.pot"
        catalog = root / f"content/locales/zh-Hans/{owner}.po"
        pot_ids = {(e.msgctxt, e.msgid) for e in polib.pofile(str(template))}
        po_ids = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalog)) if not e.obsolete}
        assert pot_ids == po_ids and pot_ids, owner
    entries = {e.msgctxt: e for e in polib.pofile(str(root / PO))}
    title = entries["leave-list|steps.ask.title"]
    assert title.occurrences == [("content/guides/leave-list.yaml", "11")]
    assert title.comment == "Step 1 (ask): the step's heading, printed after “Step N:”."
    letter = entries["leave-list|letters.request.body"]
    assert "{court} = name of the court" in letter.comment and "python-brace-format" in letter.flags
    ui = {e.msgid: e for e in polib.pofile(str(root / "content/locales/zh-Hans/ui.po"))}
    assert (
        "%(what)s is what must happen"
        in ui["%(what)s: %(duration)s, counted from %(start)s. Who acts: %(who)s."].comment
    )


def test_check_refuses_what_msgfmt_refuses_at_its_line(tmp_project):
    root = tmp_project()
    po = root / PO
    po.write_text(po.read_text().replace('msgstr "退出名单"', 'msgstr "退出名单\\n"'))
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert (
        f"{PO}:20:1: error: malformed PO file: 'msgid' and 'msgstr' entries do not both end "
        "with '\\n'" in result.output
    )
    build = CliRunner().invoke(cli, ["build", "--project", str(root), "--format", "html"])
    assert build.exit_code == 1 and f"{PO}:20:1: error: malformed PO file" in build.output


def test_untranslated_interface_strings_are_marked_and_noticed(tmp_project):
    root = tmp_project()
    ui = root / "content/locales/zh-Hans/ui.po"
    ui.write_text(ui.read_text().replace('msgstr "指南"', 'msgstr ""'))
    result = CliRunner().invoke(cli, ["build", "--project", str(root), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (root / "build/site/zh-Hans/index.html").read_text()
    assert '<h2><span class="ui-fallback" lang="en" dir="ltr">Guides</span></h2>' in page
    assert '<p class="ui-note" role="note">本页有些标签还没有翻译，以English显示。</p>' in page
    status = _status(root)["locales"]["zh-Hans"]
    assert status["ui"]["missing"] == 1 and status["shared"]["total"] > 0


def test_glossary_terms_must_be_used_in_translations(tmp_project):
    root = tmp_project()
    _edit(
        root,
        'audience: "People on the list who have paid."',
        'audience: "People on the court list."',
    )
    _update(root)
    po = root / PO
    text = po.read_text().replace('#, fuzzy\n#| msgid "People on the list who have paid."\n', "")
    po.write_text(text.replace('msgstr "已经付款、仍在名单上的人。"', 'msgstr "名单上的人。"'))
    result = CliRunner().invoke(cli, ["check", "--project", str(root), "--strict"])
    assert result.exit_code == 1
    assert "translation does not use the glossary's translation of 'court list': '法院名单'" in (
        result.output
    )


def test_glossary_export_opens_in_translate_toolkit(tmp_project, tmp_path):
    from translate.storage import tbx

    root = tmp_project()
    result = CliRunner().invoke(
        cli, ["i18n", "glossary", "--project", str(root), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 0, result.output
    units = tbx.tbxfile.parsefile(str(tmp_path / "g/zh-Hans.tbx")).units
    assert [(u.source, u.target) for u in units] == [("court list", "法院名单")]


def test_checks_in_worker_processes_find_what_one_process_finds(tmp_project):
    from guidegen.cache import BuildCache
    from guidegen.loader import load_project
    from guidegen.problems import Report
    from guidegen.translation_checks import check_translations
    from guidegen.workers import Crew

    root = tmp_project()
    po = root / "content/locales/zh-Hans/guides/leave-list.po"
    po.write_text(
        po.read_text().replace("3个工作日", "4个工作日").replace("**决定书**", "**决定书")
    )
    found = []
    for jobs in (1, 2):
        report, cache = Report(root), BuildCache()
        with Crew(jobs) as crew:
            check_translations(load_project(root, report), report, cache, crew=crew)
        found.append(([(p.location, p.severity, p.message) for p in report.problems], cache))
    assert found[0][0] == found[1][0] and found[0][1].checks == found[1][1].checks
    messages = " ".join(m for _, _, m in found[1][0])
    assert "number 3 of the source is missing" in messages and "unbalanced **" in messages


def test_validate_in_worker_processes_finds_the_reading_level_problems_one_process_finds(
    tmp_project,
):
    """At -j 2 the reading-level checks run in the check workers; nothing may get lost."""
    from guidegen.cache import BuildCache
    from guidegen.loader import load_project
    from guidegen.problems import Report
    from guidegen.validate import validate

    root = tmp_project()
    guide = root / "content/guides/leave-list.yaml"
    long = " ".join(["the court that listed you must then look at every paper you send"] * 3)
    guide.write_text(guide.read_text().replace("Write to the court.", f"Write: {long}."))
    found = []
    for jobs in (1, 2):
        report = Report(root)
        validate(load_project(root, report), report, BuildCache(), jobs=jobs)
        found.append([(p.location, p.severity, p.message) for p in report.problems])
    assert found[0] == found[1]
    assert any("has a sentence of" in message for _, _, message in found[1])


def test_the_templates_gettext_means_what_the_i18n_extensions_newstyle_gettext_means():
    """The renderer's own callables (no calls through the context) give what jinja2.ext.i18n's
    newstyle ones give, for every interface string of every locale, HTML and text."""
    import jinja2

    from guidegen.i18n import UI, catalog_path, read_catalog
    from guidegen.problems import Report
    from guidegen.ui import Interface

    from .conftest import REPO

    source = (
        "{% for m in messages %}[{{ _(m) }}|{{ pgettext('separator', m) }}"
        "|{{ ngettext(m, m, 2) }}]{% endfor %}"
        "{% for m in formats %}[{{ gettext(m, date='<b>1</b>', n=2) }}"
        "|{{ ngettext(m, m, 1, date='&', n='<i>') }}]{% endfor %}"
    )
    for code in ("zh-Hans", "ug", "vi"):
        catalog = read_catalog(catalog_path(REPO, code, UI), Report(REPO))
        assert catalog is not None
        ui = Interface(catalog)
        singular = [m.id for m in catalog.messages if m.plural_id is None]
        messages = [m for m in singular if "%(" not in m] + ["100%% sure"]
        formats = [
            m for m in singular if "%(" in m and set(re.findall(r"%\((\w+)\)", m)) <= {"date", "n"}
        ]
        assert formats and len(messages) > 20
        for html in (True, False):
            theirs = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=html)
            functions = (
                [ui.gettext, ui.ngettext, ui.pgettext, ui.npgettext]
                if html
                else [
                    ui.text_callables()[n] for n in ("gettext", "ngettext", "pgettext", "npgettext")
                ]
            )
            theirs.install_gettext_callables(
                *functions[:2], newstyle=True, pgettext=functions[2], npgettext=functions[3]
            )
            ours = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=html)
            ours.globals.update(ui.template_callables(html=html))
            expected = theirs.from_string(source).render(messages=messages, formats=formats)
            assert (
                ours.from_string(source).render(messages=messages, formats=formats) == expected
            ), (code, html)
            assert (
                ours.from_string(source).render(messages=messages, formats=formats) == expected
            )  # kept ones
