"""The bundled guides: complete, cited, reviewed, translated, and built in every locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidegen.__main__ import cli
from guidegen.i18n import SHARED, catalog_path, guide_passages, is_draft, read_catalog
from guidegen.loader import load_project
from guidegen.localize import make_lookup
from guidegen.problems import Report

from .pdf_facts import page_texts

REPO = Path(__file__).resolve().parent.parent
GUIDES = [
    "dishonest-list-removal",
    "dishonest-list-objection",
    "consumption-restrictions",
    "credit-china-repair",
    "credit-report-dispute",
    "personal-information-rights",
    "legal-aid",
    "business-credit-lists",
    "scores-and-automated-decisions",
    "exit-bans",
]
LOCALES = ["en", "zh-Hans", "ug", "vi"]
PINPOINT = re.compile(r"\bArts?\.\s*\d+|whole instrument", re.IGNORECASE)


@pytest.fixture(scope="module")
def project():
    report = Report(REPO)
    loaded = load_project(REPO, report)
    assert not report.errors, report.as_text()
    return loaded


def test_check_strict_passes_on_bundled_content():
    result = CliRunner().invoke(cli, ["check", "--project", str(REPO), "--strict"])
    assert result.exit_code == 0, result.output


def test_all_ten_guides_exist(project):
    assert sorted(project.guides) == sorted(GUIDES)


@pytest.mark.parametrize("guide_id", GUIDES)
def test_guide_is_cited_reviewed_and_has_checklist_and_letter(project, guide_id):
    guide = project.guides[guide_id]
    pinpointed = [ref for ref in guide.sources if PINPOINT.search(ref.pinpoint)]
    assert len({ref.id for ref in guide.sources}) >= 2, "cites at least two sources"
    assert any(re.search(r"\d", ref.pinpoint) for ref in pinpointed), "with article pinpoints"
    assert guide.review.reviewed < guide.review.review_by
    assert guide.review.notes, "secondary-source facts are listed for the reviewing lawyer"
    assert any(step.documents for step in guide.steps), "a documents checklist"
    assert all(step.sources or step.deadlines for step in guide.steps), "every step cites a source"
    assert guide.letters, "a letter template"
    assert all(letter.blanks for letter in guide.letters)
    assert guide.faq and guide.terms and guide.contacts


def test_every_reference_exists(project):
    for guide in project.guides.values():
        refs = [r.id for r in guide.sources]
        refs += [r.id for s in guide.steps for r in s.sources]
        refs += [d.source.id for s in guide.steps for d in s.deadlines]
        assert set(refs) <= set(project.sources)
        assert set(guide.terms) <= set(project.terms)
        assert set(guide.contacts) <= set(project.contacts)
        assert set(guide.related) <= set(project.guides)


def test_no_uncertain_rule_is_stated(project):
    """Facts marked [U] in the facts sheet must not appear as rules."""
    emergency = project.guides["consumption-restrictions"]
    text = " ".join(s.body for s in emergency.steps if "emergency" in s.id)
    assert not re.search(r"within 3 working days", text), (
        "no 3-working-day rule for emergency travel"
    )
    aid = " ".join(s.body for s in project.guides["legal-aid"].steps)
    assert "24 hours" not in aid and "round-the-clock" not in aid


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_translations_are_complete_drafts(project, locale):
    for guide_id in GUIDES:
        lookup = make_lookup(project, project.config.locale(locale), [guide_id], Report(REPO))
        coverage = lookup.coverage(guide_passages(project.guides[guide_id]))
        assert coverage.missing == coverage.outdated == 0, (guide_id, coverage)
        catalog = read_catalog(catalog_path(REPO, locale, guide_id), Report(REPO))
        assert is_draft(catalog), "drafted translations say they need review"
    assert is_draft(read_catalog(catalog_path(REPO, locale, SHARED), Report(REPO)))


def test_every_locale_publishes_only_when_nearly_complete(project):
    # Partial translations fall back passage by passage (tests/test_i18n.py); the bundled
    # locales publish a guide only when 95 % of it is translated.
    assert all(project.config.locale(code).publish_threshold >= 0.95 for code in LOCALES[1:])


def test_every_guide_builds_in_every_locale(bundled_build):
    site = bundled_build / "site"
    for guide_id in GUIDES:
        for locale in LOCALES:
            folder = site / locale / guide_id
            assert (folder / "index.html").is_file()
            for name in (f"{guide_id}.{locale}.pdf", f"{guide_id}.{locale}.large.pdf"):
                texts = page_texts(folder / name)
                assert len(texts) >= 2
                assert "guides@example.org" in "".join(texts), "the publisher's contact is printed"


def test_uyghur_guides_are_right_to_left(bundled_build):
    html = (bundled_build / "site/ug/dishonest-list-removal/index.html").read_text()
    assert '<html lang="ug" dir="rtl">' in html
    index = (bundled_build / "site/ug/index.html").read_text()
    assert all(f'href="{guide_id}/index.html"' in index for guide_id in GUIDES), (
        "every guide is listed"
    )


def test_every_page_prints_the_notice_and_review_dates(bundled_build):
    for page in (bundled_build / "site").glob("*/*/index.html"):
        html = page.read_text()
        assert 'class="notice"' in html and 'class="review-block"' in html, page


def test_every_bundled_pdf_is_tagged_titled_and_structured(bundled_build, project):
    import pikepdf

    from .pdf_facts import outline_titles, structure

    pdfs = sorted((bundled_build / "site").glob("*/*/*.pdf"))
    assert len(pdfs) == len(GUIDES) * len(LOCALES) * 2
    for path in pdfs:
        locale = path.parent.parent.name
        guide_id = path.parent.name
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True, path
            assert str(pdf.Root.Lang) == locale, path
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, path
            title = str(pdf.docinfo["/Title"])
            assert title, path
            if locale == "en":
                assert title == project.guides[guide_id].title
            tree = structure(pdf)
            kinds = [kind for _, kind, _ in tree]
            assert kinds.count("/H1") == 1, path
            assert "/L" in kinds and "/LI" in kinds, path
            assert all(attrs.get("/Alt") for _, kind, attrs in tree if kind == "/Figure"), path
            outline = outline_titles(pdf)
            assert outline and outline[0][0] == 1 and len(outline) > 5, path
            if locale == "ug":
                assert str(pdf.Root.ViewerPreferences.Direction) == "/R2L"


def test_authoring_reference_is_up_to_date():
    from guidegen.commands.docs import render_reference

    assert (REPO / "docs/authoring.md").read_text("utf-8") == render_reference(), (
        "run: guidegen docs"
    )


def test_catalogs_pass_gettext_msgfmt_check():
    """GNU gettext, which Poedit and Weblate build on, accepts every catalog without a warning."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is not installed: run scripts/bootstrap.sh"
    catalogs = sorted((REPO / "content/locales").rglob("*.po"))
    assert len(catalogs) == 3 * (len(GUIDES) + 2)
    for catalog in catalogs:
        result = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(catalog)], capture_output=True, text=True
        )
        assert result.returncode == 0 and result.stderr == "", f"{catalog}: {result.stderr}"


def _ui_forms(locale: str, msgid: str) -> list[str]:
    catalog = read_catalog(catalog_path(REPO, locale, "ui"), Report(REPO))
    message = next(m for m in catalog.messages if m.id == msgid)
    return message.plural_strings


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_calendar_and_working_days_stay_distinct_in_every_locale(project, locale):
    shared = read_catalog(catalog_path(REPO, locale, SHARED), Report(REPO))
    term = {m.context: m.string for m in shared.messages}
    calendar_term = term["glossary|calendar-days.term"].split(" / ")[0]
    working_term = term["glossary|working-days.term"].split(" / ")[0]
    assert calendar_term != working_term
    calendar = _ui_forms(locale, "%(num)d calendar day")
    working = _ui_forms(locale, "%(num)d working day")
    assert all(calendar_term.rstrip("s") in form for form in calendar), (calendar, calendar_term)
    assert all(working_term.rstrip("s") in form for form in working), (working, working_term)
    assert not set(calendar) & set(working)


def test_letters_give_the_chinese_to_hand_in_and_the_explanation_in_the_readers_language(
    bundled_build, project
):
    import pikepdf

    from .pdf_facts import element_text, mcid_texts, plain, struct_tree

    for guide_id in GUIDES:
        zh_catalog = read_catalog(catalog_path(REPO, "zh-Hans", guide_id), Report(REPO))
        zh = {m.context: m.string for m in zh_catalog.messages}
        for locale in ("en", "ug", "vi"):
            folder = bundled_build / "site" / locale / guide_id
            page = (folder / "index.html").read_text()
            sheet = r'<section class="letter-sheet[^"]*" id="sheet-([a-z0-9-]+)" lang="zh-Hans"'
            sheets = re.findall(sheet, page)
            assert sheets == [letter.id for letter in project.guides[guide_id].letters], (
                locale,
                guide_id,
            )
            assert page.count('class="letter-explanation"') == len(sheets)
            titles = [plain(zh[f"{guide_id}|letters.{i}.title"]).replace("*", "") for i in sheets]
            path = folder / f"{guide_id}.{locale}.pdf"
            with pikepdf.open(path) as pdf:
                glyphs = mcid_texts(path)
                handed_in = [
                    plain(element_text(e, glyphs))
                    for e in struct_tree(pdf)
                    if e.role == "/Sect" and str(e.obj.get("/Lang", "")) == "zh-Hans"
                ]
            for title, text in zip(titles, handed_in, strict=True):
                assert title and text.startswith(title), (path.name, title, text[:40])
