"""Floors of the cold HTML build's stages: each library alone over the same inputs, one process.

Usage: python bench/floors.py PROJECT SITE   (SITE: a cold build's site folder, for page sizes)

Prints one JSON line: for each floor, how many items it went through and how long it took.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from corpus import shown_pages

MINIMAL_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main>
{% for block in blocks %}
{% if block.kind == "h1" %}<h1>{{ block.html }}</h1>
{% elif block.kind == "h2" %}<h2>{{ block.html }}</h2>
{% elif block.kind == "h3" %}<h3>{{ block.html }}</h3>
{% elif block.kind == "li" %}<ul><li>{{ block.html }}</li></ul>
{% else %}{{ block.html }}
{% endif %}
{% endfor %}
</main></body></html>
"""


def timed(items: Iterable, work: Callable) -> dict:
    """Return how long work(item) took over every item, and how many items there were."""
    items = list(items)
    started = time.perf_counter()
    for item in items:
        work(item)
    return {"seconds": time.perf_counter() - started, "items": len(items)}


def yaml_floor(root: Path) -> dict:
    """Read and parse every guide and shared YAML file with PyYAML's CSafeLoader."""
    files = sorted((root / "content").rglob("*.yaml"))
    return timed(files, lambda path: yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))


def catalogs(root: Path) -> list[Path]:
    """Return every PO catalog of the project (guides, shared and interface, every locale)."""
    return sorted((root / "content/locales").rglob("*.po"))


def po_floors(root: Path) -> dict[str, dict]:
    """Parse every catalog with guidegen's strict reader, with polib and with Babel."""
    import polib
    from babel.messages.pofile import read_po as babel_read_po

    from guidegen.po import read_po
    from guidegen.problems import Report

    files = catalogs(root)
    report = Report(root)

    def babel(path: Path) -> None:
        with open(path, "rb") as stream:
            babel_read_po(stream)

    return {
        "po_guidegen": timed(files, lambda path: read_po(path, report)),
        "po_polib": timed(files, lambda path: polib.pofile(str(path), wrapwidth=0)),
        "po_babel": timed(files, babel),
    }


def hash_floor(root: Path) -> dict:
    """Read and hash (SHA-256) every input file: content, templates (the project's and the
    built-in theme's) and guidegen.yaml."""
    from guidegen.render import BUILTIN_TEMPLATES

    files = [p for p in (root / "content").rglob("*") if p.is_file()]
    for folder in (root / "templates", BUILTIN_TEMPLATES):
        files += [p for p in folder.rglob("*") if p.is_file()]
    files.append(root / "guidegen.yaml")
    return timed(files, lambda path: hashlib.sha256(path.read_bytes()).digest())


def markdown_floors(pages: list) -> tuple[dict[str, dict], dict[str, str]]:
    """Render each distinct passage once: guidegen's render_markdown (cache cleared), and
    Python-Markdown and nh3 each alone; return the timings and the HTML of each passage."""
    import markdown

    from guidegen.markup import render_inline, render_markdown, sanitise

    texts = list(dict.fromkeys(b.text for page in pages for b in page.blocks if b.kind != "h2"))
    render_markdown.cache_clear()
    render_inline.cache_clear()
    rendered: dict[str, str] = {}
    result = {
        "markdown_guidegen": timed(texts, lambda t: rendered.__setitem__(t, render_markdown(t)))
    }
    converter = markdown.Markdown(extensions=[], output_format="html")
    raw: list[str] = []

    def convert(text: str) -> None:
        converter.reset()
        raw.append(converter.convert(text))

    result["markdown_alone"] = timed(texts, convert)
    result["nh3_alone"] = timed(raw, sanitise)
    render_markdown.cache_clear()
    return result, rendered


def jinja_floor(pages: list, rendered: dict[str, str]) -> tuple[dict, list[str]]:
    """Render a minimal template per page over the same passages (already rendered to HTML)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(MINIMAL_TEMPLATE)
    contexts = [
        {
            "lang": page.locale,
            "title": page.blocks[0].text if page.blocks else "",
            "blocks": [
                {"kind": b.kind, "html": Markup(rendered[b.text]) if b.kind != "h2" else b.text}
                for b in page.blocks
            ],
        }
        for page in pages
    ]
    html: list[str] = []
    return timed(contexts, lambda context: html.append(template.render(context))), html


def write_floor(site: Path) -> dict:
    """Write guidegen's own guide pages again, then flush them to disk once (os.sync)."""
    pages = sorted(site.glob("*/*/index.html"))
    data = [(p.relative_to(site), p.read_bytes()) for p in pages]
    with tempfile.TemporaryDirectory(dir=site.parent.parent) as scratch:

        def write(item: tuple[Path, bytes]) -> None:
            target = Path(scratch) / item[0]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item[1])

        started = time.perf_counter()
        result = timed(data, write)
        os.sync()
        result["seconds"] = time.perf_counter() - started
    result["bytes"] = sum(len(d) for _, d in data)
    return result


def main() -> None:
    """Measure every floor over the project and print them as one JSON line."""
    root, site = Path(sys.argv[1]), Path(sys.argv[2])
    pages = list(shown_pages(root))
    floors = {"yaml": yaml_floor(root), "hash": hash_floor(root), **po_floors(root)}
    markdown_timings, rendered = markdown_floors(pages)
    floors.update(markdown_timings)
    floors["jinja"], _ = jinja_floor(pages, rendered)
    floors["write"] = write_floor(site)
    floors["passages_shown"] = passage_counts(pages)
    print(json.dumps(floors))


def passage_counts(pages: list) -> dict:
    """Count the passages shown, the distinct ones, and those shown by more than one guide."""
    guides: dict[str, set[str]] = {}
    total = 0
    for page in pages:
        for block in page.blocks:
            if block.kind != "h2":
                guides.setdefault(block.text, set()).add(page.guide)
                total += 1
    shared = sum(1 for owners in guides.values() if len(owners) > 1)
    return {"items": total, "distinct": len(guides), "shared_between_guides": shared}


if __name__ == "__main__":
    main()
