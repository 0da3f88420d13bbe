"""Forward page references: right numbers, and their pages laid out twice instead of three times."""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest
import weasyprint.layout.page as paging

from guidegen.pdf import make_fetcher, render_pdf

PAGES = "".join(f'<p style="break-before: page">{k}</p>' for k in range(3))
STYLE = "<style>@page { size: A6 } .ref::after { content: %s }</style>"


def _render(tmp_path, content: str, monkeypatch) -> tuple[str, Counter]:
    """Render a reference on page 1 to a target on page 5; return page 1's text and layouts."""
    made: Counter[int] = Counter()
    original = paging.remake_page

    def counted(index, *arguments):
        made[index] += 1
        return original(index, *arguments)

    monkeypatch.setattr(paging, "remake_page", counted)
    html = (
        f'<html lang="en"><head><title>t</title>{STYLE % content}</head><body>'
        f'<p>See page <a class="ref" href="#target"></a>.</p>{PAGES}'
        '<h1 id="target" style="break-before: page">Target</h1></body></html>'
    )
    data = render_pdf(html, tmp_path, make_fetcher([tmp_path]), "targets")
    (tmp_path / "out.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "out.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split()), made


@pytest.mark.parametrize(
    "content", ["target-counter(attr(href), page)", 'target-counter(url("#target"), page)']
)
def test_a_forward_reference_prints_its_target_page_and_its_page_is_laid_out_twice(
    tmp_path, monkeypatch, content
):
    text, made = _render(tmp_path, content, monkeypatch)
    assert text == "See page 5."
    assert made[0] == 2  # WeasyPrint alone: 3 (the first pass, then once per repagination)


def test_a_reference_that_also_counts_its_own_page_is_left_as_weasyprint_makes_it(
    tmp_path, monkeypatch
):
    text, made = _render(
        tmp_path, '"p" counter(page) "/" target-counter(attr(href), page)', monkeypatch
    )
    assert text == "See page p1/5."
    assert made[0] == 3
