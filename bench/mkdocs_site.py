"""The same documents as an MkDocs project: one Markdown page per guide and locale, nav by locale.

Each page has the guide's passages in document order, as a reader of that locale sees them
(translation or source), the guide's title as its heading, a heading per section, the titles
of steps and letters and the questions as sub-headings, and list passages as list items.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from corpus import Block, Page, shown_pages
from processes import Run, run_python


def write_project(corpus: Path, folder: Path, plugins: list[str] | None) -> int:
    """Write the MkDocs project (plugins None: MkDocs' default, search); return its page count."""
    docs = folder / "docs"
    nav: dict[str, list] = {}
    count = 0
    for page in shown_pages(corpus):
        path = f"{page.locale}/{page.guide}.md"
        (docs / page.locale).mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(page_markdown(page), encoding="utf-8")
        nav.setdefault(page.locale, []).append({_one_line(page.blocks[0].text): path})
        count += 1
    config = {
        "site_name": "guidegen benchmark",
        "use_directory_urls": True,
        "nav": [{code: pages} for code, pages in nav.items()],
    }
    if plugins is not None:
        config["plugins"] = plugins
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return count


def page_markdown(page: Page) -> str:
    """Return a page's Markdown: headings, paragraphs and list items, blank lines between."""
    parts: list[str] = []
    for previous, block in zip([None, *page.blocks], page.blocks, strict=False):
        if block.kind == "li" and previous is not None and previous.kind == "li":
            parts[-1] += "\n" + _item(block)
        else:
            parts.append(_markdown(block))
    return "\n\n".join(parts) + "\n"


def _markdown(block: Block) -> str:
    if block.kind in ("h1", "h2", "h3"):
        return "#" * int(block.kind[1]) + " " + _one_line(block.text)
    return _item(block) if block.kind == "li" else block.text


def _item(block: Block) -> str:
    return "- " + block.text.replace("\n", "\n    ")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build(folder: Path) -> Run:
    """Build the MkDocs project cold (`mkdocs build` in a fresh process)."""
    return run_python(["-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")], False)
