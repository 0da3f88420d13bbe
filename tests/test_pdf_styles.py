"""Linked stylesheets parsed once per process: same PDFs, same warnings, the sandbox still asked."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
import tinycss2

from guidegen import pdf_styles
from guidegen.pdf import make_fetcher, render_pdf, weasyprint_warnings

SHEET = (
    "@page { size: A6; @bottom-center { content: 'foot' } }\nh1 { color: #c00; bogus-thing: 3 }\n"
)
HTML = (
    '<html lang="en"><head><title>t</title><link rel="stylesheet" href="theme.css"></head>'
    "<body><h1>Heading</h1><p>Text.</p></body></html>"
)


@pytest.fixture
def parses(monkeypatch):
    """Count WeasyPrint's stylesheet parses (tinycss2.parse_stylesheet_bytes, as links read)."""
    monkeypatch.setattr(pdf_styles, "_kept", {})
    counted = []
    original = tinycss2.parse_stylesheet_bytes

    def parse(css, *arguments, **keywords):
        counted.append(bytes(css))
        return original(css, *arguments, **keywords)

    monkeypatch.setattr(tinycss2, "parse_stylesheet_bytes", parse)
    return counted


def _render(folder, roots) -> tuple[pikepdf.Pdf, list[str]]:
    with weasyprint_warnings() as warnings:
        data = render_pdf(HTML, folder, make_fetcher(roots), "styles")
    (folder / "out.pdf").write_bytes(data)
    return pikepdf.Pdf.open(io.BytesIO(data)), warnings


def _text(folder) -> str:
    pdftotext = ["pdftotext", str(folder / "out.pdf"), "-"]
    return " ".join(
        subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout.split()
    )


def _page_size_mm(pdf: pikepdf.Pdf) -> tuple[int, int]:
    box = [float(v) for v in pdf.pages[0].mediabox]
    return round((box[2] - box[0]) / 72 * 25.4), round((box[3] - box[1]) / 72 * 25.4)


def _red(pdf: pikepdf.Pdf) -> bool:
    return b"0.8 0 0 rg" in pdf.pages[0].Contents.read_bytes()


def test_a_linked_stylesheet_is_parsed_once_and_each_pdf_gets_its_rules_and_warnings(
    tmp_path, parses
):
    (tmp_path / "theme.css").write_text(SHEET)
    for _ in range(3):
        pdf, warned = _render(tmp_path, [tmp_path])
        assert _page_size_mm(pdf) == (105, 148)  # the @page rule, replayed into each document
        assert _text(tmp_path) == "Heading Text. foot"  # and its margin box
        assert _red(pdf)  # the style rule
        assert [m for m in warned if "bogus-thing" in m], warned  # warned for each PDF
    assert parses.count(SHEET.encode()) == 1


def test_an_edited_stylesheet_is_parsed_again_and_its_new_rules_apply(tmp_path, parses):
    sheet = tmp_path / "theme.css"
    sheet.write_text(SHEET)
    _render(tmp_path, [tmp_path])
    sheet.write_text(SHEET.replace("A6", "A5").replace("#c00", "#000"))
    pdf, _ = _render(tmp_path, [tmp_path])
    assert len(parses) == 2
    assert _page_size_mm(pdf) == (148, 210) and not _red(pdf)


def test_a_kept_stylesheet_is_still_fetched_through_each_documents_sandbox(tmp_path, parses):
    (tmp_path / "theme.css").write_text(SHEET)
    _render(tmp_path, [tmp_path])
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    pdf, warned = _render(tmp_path, [elsewhere])  # this document may not read theme.css
    assert _page_size_mm(pdf) == (210, 297) and not _red(pdf)
    assert any("outside the project's asset folders" in message for message in warned), warned


@pytest.mark.parametrize(
    "rule",
    [
        "@font-face { font-family: X; src: local('Noto Sans') }",
        "@counter-style thumbs { system: cyclic; symbols: '👍'; }",
        "@import url(more.css);",
        "@\\69mport url(more.css);",  # an escaped at-keyword is not read as one of the kept
    ],
)
def test_a_stylesheet_that_writes_into_the_document_is_parsed_for_each_document(
    tmp_path, parses, rule
):
    text = f"{rule}\n{SHEET}"
    (tmp_path / "theme.css").write_text(text)
    (tmp_path / "more.css").write_text("p { color: #00c }")
    for _ in range(2):
        pdf, _ = _render(tmp_path, [tmp_path])
        assert _page_size_mm(pdf) == (105, 148)
    assert parses.count(text.encode()) == 2
