"""What a legal-aid worker prints, read back from the bundled PDFs: letter sheets on pages of their
own (one page each in standard print, marked 'page k of n' in large print), the page label whole on
one line of the footer with the edition and review dates, blank labels large enough to read."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pikepdf
import pytest

from guidegen.loader import load_project
from guidegen.problems import Report

from .pdf_facts import struct_tree

REPO = Path(__file__).resolve().parent.parent
XHTML = "{http://www.w3.org/1999/xhtml}"
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
LABELS = {  # the locale's "Page %(page)s of %(pages)s" and "Letter: page %(page)s of %(pages)s"
    "en": ("Page {k} of {n}", "Letter: page {k} of {n}"),
    "zh-Hans": ("第{k}页，共{n}页", "文书：第{k}页，共{n}页"),
    "ug": ("بەت {k} / {n}", None),
    "vi": ("Trang {k}/{n}", "Đơn: trang {k}/{n}"),
}


@pytest.fixture(scope="module")
def project():
    return load_project(REPO, Report(REPO))


def _standard(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*/*/*.pdf") if not p.name.endswith(".large.pdf"))


def _large(site: Path) -> list[Path]:
    return sorted(site.glob("*/*/*.large.pdf"))


def _sheets(pdf: pikepdf.Pdf, original: str) -> list[tuple[set[int], bool]]:
    """Return, per letter sheet (a Sect in the original language), its pages and whether it has
    those pages to itself (no content of any other element is drawn on them)."""
    elements = struct_tree(pdf)
    owner: dict[tuple[int, int], object] = {}
    for element in elements:
        for mark in element.marks:
            owner[mark] = element
    by_page: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for mark in owner:
        by_page[mark[0]].add(mark)
    found = []
    for element in elements:
        if element.role != "/Sect" or str(element.obj.get("/Lang", "")) != original:
            continue
        marks = set(element.all_marks())
        pages = {page for page, _ in marks}
        found.append((pages, all(by_page[page] <= marks for page in pages)))
    return found


def _page_lines(path: Path) -> list[list[tuple[float, str]]]:
    """Return each page's text lines as (top, text), read by pdftotext's layout analysis."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{XHTML}page"):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = [_logical(w.text or "") for w in line.iter(f"{XHTML}word")]
            lines.append((float(line.get("yMin")), words))
        pages.append((float(page.get("height")), lines))
    return pages


def _has_label(words: list[str], label: str) -> bool:
    """True when a line holds the page label whole: its words in order (left to right), or, in
    right-to-left text, in the reverse order."""
    joined, wanted = "".join(words), label.split()
    return "".join(wanted) in joined or "".join(reversed(wanted)) in joined


def _logical(word: str) -> str:
    # pdftotext gives right-to-left words in visual order; the page labels' words are simple.
    return word[::-1] if _RTL.search(word) and not re.search(r"\d", word) else word


def test_every_letter_is_handed_in_on_one_page_of_its_own_in_standard_print(bundled_build, project):
    original = project.config.original_language
    for path in _standard(bundled_build / "site"):
        guide = project.guides[path.parent.name]
        with pikepdf.open(path) as pdf:
            sheets = _sheets(pdf, original)
        assert len(sheets) == len(guide.letters), path
        for pages, alone in sheets:
            assert len(pages) == 1, f"{path.name}: a letter spans pages {sorted(pages)}"
            assert alone, f"{path.name}: page {min(pages) + 1} shares the letter with other text"


def test_large_print_letters_have_their_pages_to_themselves_and_marked_page_k_of_n(
    bundled_build, project
):
    original = project.config.original_language
    spans = []
    for path in _large(bundled_build / "site"):
        locale = path.parent.parent.name
        lines = _page_lines(path)
        with pikepdf.open(path) as pdf:
            sheets = _sheets(pdf, original)
        assert len(sheets) == len(project.guides[path.parent.name].letters), path
        for pages, alone in sheets:
            first, last = min(pages), max(pages)
            assert pages == set(range(first, last + 1)) and alone, (path.name, sorted(pages))
            spans.append(len(pages))
            mark = LABELS[locale][1]
            if mark is None:
                continue
            for k, page in enumerate(range(first, last + 1), 1):
                text = "".join("".join(words) for _, words in lines[page][1])
                expected = mark.format(k=k, n=len(pages)).replace(" ", "")
                assert (expected in text) == (len(pages) > 1), (path.name, page + 1)
    assert max(spans) <= 2, "a large-print letter needs at most two pages"


def test_each_reference_to_a_letter_sheet_prints_the_page_the_sheet_starts_on(
    bundled_build, project
):
    for path in sorted((bundled_build / "site").glob("*/*/*.pdf")):
        guide = project.guides[path.parent.name]
        printed = _sheet_references(path)
        assert len(printed) == len(guide.letters), (path.name, printed)
        for target, (page, text) in printed.items():
            number = re.search(r"\d+", text)  # beside it: a full stop, direction marks
            assert number and number[0] == str(page), f"{path.name}: #{target} is on page {page}"


def _sheet_references(path: Path) -> dict[str, tuple[int, str]]:
    """Return, per link to a letter sheet, the page its target is on and the text in the link."""
    found = {}
    with pikepdf.open(path) as pdf:
        destinations = pikepdf.NameTree(pdf.Root.Names.Dests)
        numbers = {page.objgen: index for index, page in enumerate(pdf.pages, 1)}
        for index, page in enumerate(pdf.pages, 1):
            height = float(page.mediabox[3])
            for annotation in page.obj.get("/Annots", []):
                target = str(annotation.get("/Dest", ""))
                if not target.startswith("sheet-"):
                    continue
                left, top, right, bottom = (float(value) for value in annotation.Rect)
                box = [left - 2, height - top - 2, right - left + 4, top - bottom + 4]
                x, y, width, tall = (str(round(value)) for value in box)
                text = subprocess.run(
                    ["pdftotext", "-r", "72", "-f", str(index), "-l", str(index)]
                    + ["-x", x, "-y", y, "-W", width, "-H", tall, str(path), "-"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                found[target] = (numbers[destinations[target][0].objgen], text.strip())
    return found


@pytest.mark.parametrize("locale", sorted(LABELS))
def test_footer_keeps_the_page_label_on_one_line_with_edition_and_dates(
    bundled_build, project, locale
):
    for path in (bundled_build / "site" / locale).glob("*/*.pdf"):
        guide = project.guides[path.parent.name]
        pages = _page_lines(path)
        for k, (height, lines) in enumerate(pages, 1):
            footer = [words for top, words in lines if top > height - 70]  # the bottom margin
            label = LABELS[locale][0].format(k=k, n=len(pages))
            assert any(_has_label(line, label) for line in footer), (path.name, k, footer)
            words = "".join("".join(line) for line in footer)
            assert guide.edition in words, (path.name, k)
            assert str(guide.review.review_by.year) in words, (path.name, k, "review-by date")


def test_blank_labels_are_printed_at_nine_points_or_more(tiny_build):
    # The label "name of the court" under a ruled blank of the tiny project's English letter.
    path = tiny_build / "site/en/leave-list/leave-list.en.pdf"
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    heights = [
        float(line.get("yMax")) - float(line.get("yMin"))
        for line in ET.fromstring(xml).iter(f"{XHTML}line")
        if " ".join(w.text or "" for w in line.iter(f"{XHTML}word")) == "name of the court"
    ]
    # pdftotext boxes a word from the font's ascent to its descent: 1.36 em in Noto Sans.
    assert heights and min(heights) >= 9 * 1.3, heights
