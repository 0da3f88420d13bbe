"""HTML pages: golden files for the tiny project, and facts checked with an HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "tiny"
GOLDEN_PAGES = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.html"))


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_pages_match_golden_files(tiny_build, page):
    built = (tiny_build / "site" / page).read_text("utf-8")
    expected = (GOLDEN / page).read_text("utf-8")
    assert built == expected, (
        f"{page} differs: run scripts/regen_golden.py if the change is intended"
    )


def test_golden_set_is_complete(tiny_build):
    built = sorted(
        p.relative_to(tiny_build / "site").as_posix() for p in (tiny_build / "site").rglob("*.html")
    )
    assert built == GOLDEN_PAGES


class Page(HTMLParser):
    """Collect the facts about a page that the tests assert."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def _page(build: Path, path: str) -> Page:
    return Page((build / "site" / path).read_text("utf-8"))


@pytest.mark.parametrize(
    "path,lang", [("en/leave-list/index.html", "en"), ("zh-Hans/leave-list/index.html", "zh-Hans")]
)
def test_guide_page_structure(tiny_build, path, lang):
    page = _page(tiny_build, path)
    assert page.find("html") == [{"lang": lang, "dir": "ltr"}]
    assert page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), (
        page.headings
    )
    assert page.find("main", id="main") and page.find("header") and page.find("footer")
    assert page.find("a", href="#main"), "skip link"
    assert page.find("ol", **{"class": "steps"})
    checkboxes = page.find("input", type="checkbox")
    assert len(checkboxes) == 3  # one "before you start" item and two documents
    assert all(page.find("label", **{"for": box["id"]}) for box in checkboxes)
    assert page.find("section", **{"aria-labelledby": "h-sources"})
    assert page.find("a", href=f"leave-list.{lang}.pdf", type="application/pdf")


def test_guide_page_links_other_language_with_hreflang(tiny_build):
    page = _page(tiny_build, "en/leave-list/index.html")
    link = page.find("a", href="../../zh-Hans/leave-list/index.html")
    assert link == [
        {
            "href": "../../zh-Hans/leave-list/index.html",
            "lang": "zh-Hans",
            "hreflang": "zh-Hans",
            "dir": "ltr",
        }
    ]


def test_fallback_passages_carry_source_language_and_notice(tiny_build):
    text = (tiny_build / "site" / "zh-Hans/leave-list/index.html").read_text("utf-8")
    page = Page(text)
    missing = page.find("div", **{"data-fallback": "missing"})
    outdated = page.find("div", **{"data-fallback": "outdated"})
    assert missing and len(outdated) == 1
    # the notice is in the reader's language; only the fallback text carries the source's
    assert all("lang" not in d for d in missing + outdated)
    fallback = (
        '<p class="fallback-note" role="note">这部分还没有翻译。</p><div lang="en" dir="ltr">'
    )
    assert fallback in text
    assert "这部分还没有翻译。" in text and "这部分译文可能已过时。" in text
    assert "Ask the higher court within 10 days." in text  # missing: source shown
    assert "法院会通知银行。" not in text  # outdated: not shown by default


def test_translated_passages_are_not_marked(tiny_build):
    text = (tiny_build / "site" / "zh-Hans/leave-list/index.html").read_text("utf-8")
    assert '<h1 id="top">退出名单</h1>' in text
    assert "English" not in Page(text).find("html")[0].get("lang", "")


def test_glossary_shows_original_term_with_its_language(tiny_build):
    page = _page(tiny_build, "en/leave-list/index.html")
    assert page.find("span", **{"class": "original", "lang": "zh-Hans"})


def test_language_page_names_each_language_in_itself(tiny_build):
    page = _page(tiny_build, "index.html")
    assert page.find("li", lang="zh-Hans", dir="ltr")
    assert page.find("a", href="zh-Hans/index.html", hreflang="zh-Hans")
    text = (tiny_build / "site" / "index.html").read_text("utf-8")
    assert ">简体中文</a>" in text and ">English</a>" in text
    # the heading asks in every language, each in its own
    assert '<span lang="zh-Hans" dir="ltr">选择语言</span>' in text


def test_no_script_anywhere(tiny_build):
    for page in (tiny_build / "site").rglob("*.html"):
        assert not Page(page.read_text("utf-8")).find("script"), page
