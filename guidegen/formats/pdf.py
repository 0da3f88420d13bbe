"""The PDFs for printing: standard and large print, tagged PDF/UA-1, letters as fillable forms."""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .base import N_, GuideUnit, OutputFormat, Rendered


def pack(text: str) -> bytes:
    """Return text compressed for waiting (zlib's fastest level: HTML shrinks to about a sixth)."""
    return zlib.compress(text.encode("utf-8"), 1)


@dataclass
class PdfJob:
    """Everything a worker process needs to render one PDF.

    Its HTML waits packed (see pack): a build holds every PDF job of the site until the PDF
    stage, at 1,000 documents 2,000 of them, 150 MB of HTML unpacked.
    """

    path: str
    guide: str
    locale: str
    format: str
    packed_html: bytes
    base_dir: Path
    asset_roots: list[Path]
    memory: dict[str, bytes] = field(default_factory=dict)
    identifier: str = ""
    direction: str = "ltr"
    packed_sheets: bytes = b""  # the letter sheets alone, laid out first to count their pages
    sheet_label: str = ""  # the locale's 'Letter: page %(page)s of %(pages)s'
    mark_size: str = "10pt"  # the type size of that mark

    @property
    def html(self) -> str:
        """The HTML of the PDF."""
        return zlib.decompress(self.packed_html).decode("utf-8")

    @property
    def sheets_html(self) -> str:
        """The HTML of the letter sheets alone ('' when their pages need not be counted)."""
        return zlib.decompress(self.packed_sheets).decode("utf-8") if self.packed_sheets else ""

    def run(self) -> Rendered:
        from ..pdf import make_fetcher, weasyprint_warnings

        with weasyprint_warnings() as warnings:
            data = self._render(make_fetcher(self.asset_roots, self.memory))
        return Rendered(data, list(dict.fromkeys(warnings)))  # each once

    def _render(self, fetcher) -> bytes:
        from ..pdf import render_pdf
        from ..sheets import add_sheet_marks, count_sheet_pages

        html = self.html
        if self.packed_sheets:
            from weasyprint import HTML

            base = self.base_dir.as_uri() + "/"
            sheets = HTML(string=self.sheets_html, base_url=base, url_fetcher=fetcher).render()
            html = add_sheet_marks(
                html, count_sheet_pages(sheets), self.sheet_label, self.mark_size
            )
        return render_pdf(html, self.base_dir, fetcher, self.identifier, self.direction, forms=True)


class PdfFormat(OutputFormat):
    """A guide on A4 or US Letter, in standard or large print."""

    family = "pdf"
    mime = "application/pdf"
    in_worker = True

    def __init__(self, large: bool = False) -> None:
        self.large = large
        self.name = "large-pdf" if large else "pdf"
        self.label = N_("Large-print PDF") if large else N_("PDF for printing")
        self.suffix = ".large" if large else ""

    def filename(self, guide_id: str, locale: str) -> str:
        return f"{guide_id}.{locale}{self.suffix}.pdf"

    def key_parts(self, paper: str) -> list[str]:
        return [self.name, paper, weasyprint_version()]

    def prepare(self, unit: GuideUnit) -> PdfJob:
        from ..layout import template_dirs
        from ..pdf import MEMORY_SCHEME, qr_svg
        from ..pipeline import guide_context, stylesheets
        from ..sheets import counter_content

        code, guide_id = unit.code, unit.guide_id
        context = guide_context(unit)
        qr_url = f"{MEMORY_SCHEME}:qr-{guide_id}-{code}.svg"
        memory = {qr_url: qr_svg(context["canonical_url"])}
        sheets, memory_assets = stylesheets(unit.project)
        memory.update(memory_assets)
        plain = unit.renderer.interface.plain
        options = dict(
            print=True,
            paper=unit.paper,
            large=self.large,
            qr_src=qr_url,
            # safe inside <style>: counter_content escapes quotes, backslashes and angle brackets
            page_label=Markup(counter_content(plain(N_("Page %(page)s of %(pages)s")))),
        )
        html = unit.renderer.render("guide_pdf.html", stylesheets=sheets, **options, **context)
        guide = unit.site.guides[guide_id]
        sheets_html = ""
        if self.large and guide.letters:  # large-print letters often need more than a page
            sheets_html = unit.renderer.render(
                "guide_pdf.html", stylesheets=sheets, sheets_only=True, **options, **context
            )
        roots = template_dirs(unit.project.root)
        return PdfJob(
            self.path(guide_id, code),
            guide_id,
            code,
            self.name,
            pack(html),
            roots[0],
            roots,
            memory,
            f"{guide_id}/{code}/{guide.edition}{self.suffix}",
            unit.site.locale.dir,
            pack(sheets_html) if sheets_html else b"",
            plain(N_("Letter: page %(page)s of %(pages)s")),
            "14pt" if self.large else "10pt",
        )


@functools.cache
def weasyprint_version() -> str:
    """Return WeasyPrint's version without importing it (a no-op build never imports it)."""
    from importlib.metadata import version

    return version("weasyprint")
