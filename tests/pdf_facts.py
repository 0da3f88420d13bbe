"""Helpers that read facts out of a PDF with pikepdf and pypdf."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pypdf import PdfReader


def structure(pdf: pikepdf.Pdf) -> list[tuple[int, str, dict]]:
    """Return the structure tree as (depth, type, attributes) in document order."""
    found: list[tuple[int, str, dict]] = []

    def walk(node, depth):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(
                    (depth, str(node.S), {k: node[k] for k in ("/Alt", "/Lang") if k in node})
                )
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    walk(kid, depth + 1)
            elif isinstance(kids, pikepdf.Dictionary):
                walk(kids, depth + 1)

    walk(pdf.Root.StructTreeRoot, 0)
    return found


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Return the bookmarks as (level, title)."""
    titles: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            titles.append((level, item.title))
            walk(item.children, level + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 1)
    return titles


def page_texts(path: Path) -> list[str]:
    """Return the extracted text of every page."""
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]
