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

    @property
    def html(self) -> str:
        """The HTML of the PDF."""
        return zlib.decompress(self.packed_html).decode("utf-8")

    def run(self) -> Rendered:
        from ..pdf import make_fetcher, render_pdf, weasyprint_warnings

        with weasyprint_warnings() as warnings:
            fetcher = make_fetcher(self.asset_roots, self.memory)
            data = render_pdf(
                self.html, self.base_dir, fetcher, self.identifier, self.direction, forms=True
            )
        return Rendered(data, list(dict.fromkeys(warnings)))  # each once


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
        from ..sheets import counter_content, sheet_marks

        code, guide_id = unit.code, unit.guide_id
        context = guide_context(unit)
        qr_url = f"{MEMORY_SCHEME}:qr-{guide_id}-{code}.svg"
        memory = {qr_url: qr_svg(context["canonical_url"])}
        sheets, memory_assets = stylesheets(unit.project)
        memory.update(memory_assets)
        plain = unit.renderer.interface.plain
        guide = unit.site.guides[guide_id]
        mark = plain(N_("Letter: page %(page)s of %(pages)s"))
        options = dict(
            print=True,
            paper=unit.paper,
            large=self.large,
            qr_src=qr_url,
            # safe inside <style>: counter_content escapes quotes, backslashes and angle brackets
            page_label=Markup(counter_content(plain(N_("Page %(page)s of %(pages)s")))),
            # safe inside <style> for the same reason (sheet_marks quotes with counter_content)
            sheet_marks=Markup(
                sheet_marks(len(guide.letters), mark, "14pt" if self.large else "10pt")
            ),
        )
        html = unit.renderer.render("guide_pdf.html", stylesheets=sheets, **options, **context)
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
        )


@functools.cache
def weasyprint_version() -> str:
    """Return WeasyPrint's version without importing it (a no-op build never imports it)."""
    from importlib.metadata import version

    return version("weasyprint")
