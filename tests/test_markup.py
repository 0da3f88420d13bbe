"""The Markdown sanitiser: nothing active survives, whatever the input."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidegen.markup import render_markdown

from .conftest import REPO as ROOT

HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ("<style>p{}</style>", "<style"),
    ('<iframe src="https://e.org"></iframe>', "<iframe"),
    ('<link rel="stylesheet" href="https://e.org/x.css">', "<link"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<a href="#" onmouseover="x()">x</a>', "onmouseover"),
    ('<span style="color:red">x</span>', "style="),
    ("[x](javascript:alert(1))", "javascript:"),
    ("[x](JaVaScRiPt:alert(1))", "javascript:"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("[x](file:///etc/passwd)", "file:"),
    ("[x](../../../etc/passwd)", "../"),
    ("[x](/etc/passwd)", 'href="/etc'),
    ("![x](https://e.org/track.png)", "<img"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ('<form action="https://e.org"><input></form>', "<form"),
    ("<object data=x></object><embed src=x>", "<object"),
    ('<meta http-equiv="refresh" content="0;url=https://e.org">', "<meta"),
    ("<base href='https://e.org/'>", "<base"),
]


@pytest.mark.parametrize("source,forbidden", HOSTILE)
def test_hostile_markdown_is_neutralised(source, forbidden):
    html = render_markdown(source)
    assert forbidden.lower() not in html.lower(), html


def test_allowed_markdown_survives():
    html = render_markdown(
        "**Bold**, *em*, [help](https://12348.gov.cn), [call](tel:12348)\n\n- a\n- b"
    )
    assert "<strong>Bold</strong>" in html and "<em>em</em>" in html
    assert '<a href="https://12348.gov.cn" rel="noopener noreferrer">help</a>' in html
    assert '<a href="tel:12348" rel="noopener noreferrer">call</a>' in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html


_ACTIVE_TAGS = {
    "script",
    "style",
    "iframe",
    "img",
    "link",
    "object",
    "embed",
    "svg",
    "form",
    "meta",
    "base",
    "input",
}


class _Elements(HTMLParser):
    """Collect every element with its attributes, the way a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _dangers(html: str) -> list[str]:
    problems = []
    for tag, attrs in _Elements(html).found:
        if tag in _ACTIVE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{tag} {name}=")
            if (
                name in ("href", "src")
                and value
                and re.sub(r"\s", "", value)
                .lower()
                .startswith(("javascript:", "data:", "file:", "vbscript:"))
            ):
                problems.append(f"{tag} {name}={value}")
    return problems


_PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<a href='",
        "javascript:",
        "jav&#x61;script:",
        "' onclick='x()'>",
        "<img src=x onerror=y>",
        "[l](",
        ")",
        "**",
        "\n\n",
        "<style>",
        "<svg onload=z>",
        "&lt;script&gt;",
        "<",
        ">",
        '"',
        "'",
        "<iframe",
        "data:",
        "  ",
        "- ",
        "`",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map("".join))
def test_no_input_produces_active_content(source):
    html = render_markdown(source)
    assert _dangers(html) == [], html


def test_a_chinese_sentence_with_blanks_is_prose_not_a_row_of_fields():
    from guidegen.letters import paragraphs

    # 38 Chinese characters fill a printed line: as a field row they would not wrap at all.
    chinese = "事实与理由：{date}，执行法院驳回了本人就失信被执行人名单信息提出的纠正申请。执行法院及案号：{court}。"
    assert not paragraphs(chinese)[0].fields
    assert paragraphs("案号：{case}")[0].fields
    assert paragraphs("Signature: {signature}   Date: {date}")[0].fields


PLAIN_ALPHABET = st.sampled_from(
    list("abcXYZ 019.,;:!?()'\"/%$+=~^-#|{}")
    + list("法院名单，。：")
    + list("ئەنۇ،؟")
    + ["\u200f", "ệ", "\u2028", "\u00ad", "\u3000", "\u200b"]
)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.text(PLAIN_ALPHABET, max_size=40))
def test_the_plain_text_shortcut_gives_what_markdown_gives(text):
    from guidegen.markup import full_markdown, render_markdown

    render_markdown.cache_clear()
    assert render_markdown(text) == full_markdown(text), repr(text)


_LINE_PIECES = st.one_of(
    st.text(PLAIN_ALPHABET, min_size=1, max_size=12),
    st.sampled_from(["**", "*", "_", "{case_number}", "{x}", "{a_b_}", "- ", "\n", "\n\n", " "]),
    st.text(st.sampled_from(list("ab 法")), min_size=1, max_size=5).map(lambda t: f"**{t}**"),
)
_LINE = st.lists(_LINE_PIECES, min_size=1, max_size=8).map("".join)
_BLOCK = st.one_of(
    _LINE,
    st.lists(_LINE.map(lambda line: "- " + line), min_size=1, max_size=4).map("\n".join),
)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=4).map("\n\n".join))
def test_the_paragraph_and_list_shortcut_gives_what_markdown_gives(text):
    from guidegen.markup import full_markdown, render_markdown

    render_markdown.cache_clear()
    assert render_markdown(text) == full_markdown(text), repr(text)


def test_every_bundled_passage_renders_as_markdown_renders_it():
    from guidegen.markup import _simple_markdown, full_markdown, render_markdown
    from guidegen.po import read_po
    from guidegen.problems import Report

    texts, shortcut = set(), 0
    for path in (ROOT / "content" / "locales").rglob("*.po"):
        for message in read_po(path, Report(ROOT)).messages:
            texts.update(t for t in (message.id, message.string) if t)
    for text in sorted(texts):
        shortcut += _simple_markdown(text) is not None
        assert render_markdown(text) == full_markdown(text), repr(text)
    assert shortcut > len(texts) * 0.8  # the shortcut is the common path, not an exception
