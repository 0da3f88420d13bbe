"""PDF facts for the tiny project: tagged, language, title, outline, text, footer, QR code."""

from __future__ import annotations

import pikepdf
import pytest

from .pdf_facts import outline_titles, page_texts, structure

PDFS = [
    ("en", "leave-list.en.pdf"),
    ("en", "leave-list.en.large.pdf"),
    ("zh-Hans", "leave-list.zh-Hans.pdf"),
    ("zh-Hans", "leave-list.zh-Hans.large.pdf"),
]


@pytest.fixture(params=PDFS, ids=[p[1] for p in PDFS])
def pdf_file(request, tiny_build):
    locale, name = request.param
    return locale, tiny_build / "site" / locale / "leave-list" / name


def test_pdf_is_tagged_with_language_and_title(pdf_file):
    locale, path = pdf_file
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == locale
        title = {"en": "Leaving the list", "zh-Hans": "退出名单"}[locale]
        assert str(pdf.docinfo["/Title"]) == title
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20261120")


def test_structure_has_one_h1_ordered_headings_lists_and_figure_alt(pdf_file):
    _, path = pdf_file
    with pikepdf.open(path) as pdf:
        tree = structure(pdf)
    kinds = [kind for _, kind, _ in tree]
    assert kinds.count("/H1") == 1
    levels = [int(k[2]) for k in kinds if k in ("/H1", "/H2", "/H3", "/H4")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (
        levels
    )
    assert "/L" in kinds and "/LI" in kinds
    figures = [attrs for _, kind, attrs in tree if kind == "/Figure"]
    assert figures and all(
        str(f.get("/Alt", "")).startswith(("QR code", "二维码")) or f.get("/Alt") for f in figures
    )


def test_outline_follows_headings(pdf_file):
    locale, path = pdf_file
    with pikepdf.open(path) as pdf:
        titles = outline_titles(pdf)
    assert titles[0][0] == 1
    top = {"en": "Leaving the list", "zh-Hans": "退出名单"}[locale]
    assert titles[0][1].endswith(top)
    second_level = [t for level, t in titles if level == 2]
    assert {"en": "Steps", "zh-Hans": "步骤"}[locale] in second_level
    assert {"en": "Sources", "zh-Hans": "法律依据"}[locale] in second_level


def test_text_extracts_in_the_right_script_with_footer_on_every_page(pdf_file):
    locale, path = pdf_file
    pages = page_texts(path)
    assert len(pages) >= 2
    text = "\n".join(pages)
    if locale == "zh-Hans":
        assert "退出名单" in text and "向法院提出申请" in text
    assert "Ask the court" in text or "向法院提出申请" in text
    for number, page in enumerate(pages, 1):
        footer = {
            "en": f"Page {number} of {len(pages)}",
            "zh-Hans": f"第{number}页，共{len(pages)}页",
        }[locale]
        assert footer in page.replace("\n", " "), f"page {number} lacks its footer"


def test_sources_qr_url_and_contact_are_printed(pdf_file):
    locale, path = pdf_file
    text = "\n".join(page_texts(path))
    assert "Rule One on Lists" in text or "名单规则一" in text
    assert f"https://example.test/guides/{locale}/leave-list/" in text
    assert "help@example.test" in text


def test_large_print_uses_bigger_type(tiny_build):
    folder = tiny_build / "site" / "en" / "leave-list"
    normal = page_texts(folder / "leave-list.en.pdf")
    large = page_texts(folder / "leave-list.en.large.pdf")
    # 16 pt instead of 10.5 pt: far less text fits on the first page, and it needs more pages
    assert len(large[0]) < 0.7 * len(normal[0])
    assert len(large) >= len(normal)


def test_chinese_pdf_names_the_simplified_chinese_font(tiny_build):
    path = tiny_build / "site" / "zh-Hans" / "leave-list" / "leave-list.zh-Hans.pdf"
    with pikepdf.open(path) as pdf:
        fonts = {
            str(font.get("/BaseFont", ""))
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    assert any(
        "NotoSansCJKsc" in name or "NotoSansCJKSC" in name.replace("-", "") for name in fonts
    ), fonts


def test_fallback_passages_and_original_terms_carry_lang_in_structure(tiny_build):
    path = tiny_build / "site" / "zh-Hans" / "leave-list" / "leave-list.zh-Hans.pdf"
    with pikepdf.open(path) as pdf:
        langs = [str(attrs["/Lang"]) for _, _, attrs in structure(pdf) if "/Lang" in attrs]
    assert "en" in langs  # untranslated passages are read with an English voice
    english = path.parent.parent.parent / "en" / "leave-list" / "leave-list.en.pdf"
    with pikepdf.open(english) as pdf:
        langs = [str(attrs["/Lang"]) for _, _, attrs in structure(pdf) if "/Lang" in attrs]
    assert "zh-Hans" in langs  # the official Chinese terms in an English guide


def test_fallback_notice_is_printed(tiny_build):
    text = "\n".join(page_texts(tiny_build / "site/zh-Hans/leave-list/leave-list.zh-Hans.pdf"))
    assert "这部分还没有翻译。" in text
    assert "Ask the higher court within 10 days." in text


def test_fonts_are_subset_even_where_letters_are_fillable(pdf_file):
    # WeasyPrint embeds a form field's font whole (15 MB of CJK) unless guidegen's font hook runs.
    _, path = pdf_file
    with pikepdf.open(path) as pdf:
        assert "/AcroForm" in pdf.Root and pdf.Root.AcroForm.Fields
        for font in _embedded_fonts(pdf):
            descriptor = font.DescendantFonts[0].FontDescriptor
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
            assert len(program.read_raw_bytes()) < 400_000, font.BaseFont
    assert path.stat().st_size < 1_000_000


def _embedded_fonts(pdf):
    seen = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            if font.objgen not in seen and "/DescendantFonts" in font:
                seen.add(font.objgen)
                yield font
