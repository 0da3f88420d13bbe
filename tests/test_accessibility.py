"""Accessibility of every bundled page in real headless Chromium: axe-core and beyond."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from .browser import CHROMIUM_ARGS, axe_violations, chromium_path


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    yield context.new_page()
    context.close()


def _pages(build):
    return sorted((build / "site").rglob("*.html"))


def test_every_bundled_page_has_no_axe_violations(bundled_build, page):
    pages = _pages(bundled_build)
    assert len(pages) >= 1 + 4 + 7 * 2  # language page, 4 locale indexes, 7 guides in en and zh
    failures = {}
    for path in pages:
        page.goto(path.as_uri())
        violations = axe_violations(page)
        if violations:
            failures[path.relative_to(bundled_build).as_posix()] = violations
    assert failures == {}


def test_tiny_project_pages_have_no_axe_violations(tiny_build, page):
    for path in _pages(tiny_build):
        page.goto(path.as_uri())
        assert axe_violations(page) == [], path


def test_focus_is_visible(tiny_build, page):
    page.goto((tiny_build / "site/en/leave-list/index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement;
        const s = getComputedStyle(e); return [e.className, s.outlineStyle, s.outlineWidth]; }""")
    assert focused[0] == "skip-link"
    assert focused[1] != "none" and float(focused[2].removesuffix("px")) >= 2
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().left") >= 0


def test_text_zoom_200_percent_on_a_phone_needs_no_sideways_scrolling(bundled_build, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=2)
    page = context.new_page()
    for path in _pages(bundled_build):
        page.goto(path.as_uri())
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: {overflow}px wider than the screen at 200% text"
    context.close()


def test_print_stylesheet_hides_navigation(tiny_build, page):
    page.goto((tiny_build / "site/en/leave-list/index.html").as_uri())
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => [...document.querySelectorAll('.languages, .skip-link, .downloads')]
        .map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}


def test_fallback_and_notices_do_not_rely_on_colour_alone(tiny_build, page):
    page.goto((tiny_build / "site/zh-Hans/leave-list/index.html").as_uri())
    # every fallback passage has a text notice, and its border, not only a background colour
    styles = page.evaluate("""() => [...document.querySelectorAll('div.fallback')].map(e =>
        [getComputedStyle(e).borderInlineStartWidth, e.querySelector('.fallback-note') !== null])""")
    assert styles and all(
        float(width.removesuffix("px")) >= 3 and has_note for width, has_note in styles
    )
