"""PDF rendering with WeasyPrint: a sandboxed URL fetcher, explicit fonts, tagged PDF/UA-1.

WeasyPrint is imported lazily so that check, i18n and no-op builds never pay for it.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno

from .errors import BuildError

logger = logging.getLogger(__name__)

MEMORY_SCHEME = "guidegen-memory"


class FetchRefused(ValueError):
    """A resource outside the sandbox was asked for; WeasyPrint logs it and goes on without it."""


def make_fetcher(asset_roots: list[Path], memory: dict[str, bytes] | None = None):
    """Return a WeasyPrint URL fetcher serving only files under asset_roots and in-memory assets."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [root.resolve() for root in asset_roots]
    memory = memory or {}

    class SandboxedFetcher(URLFetcher):
        """Serve project assets; refuse the network, devices and files elsewhere."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == MEMORY_SCHEME and url in memory:
                return URLFetcherResponse(url, memory[url], {"Content-Type": _mime(url)})
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"refused to fetch {url}: only project assets are allowed")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
                raise FetchRefused(f"refused to fetch {url}: outside the project's asset folders")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path.name)})

    return SandboxedFetcher(allowed_protocols=["file", MEMORY_SCHEME])


def _mime(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {
        "css": "text/css",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "woff2": "font/woff2",
    }.get(suffix, "application/octet-stream")


def qr_svg(url: str) -> bytes:
    """Return an SVG QR code for a URL (medium error correction survives office printers)."""
    buffer = io.BytesIO()
    try:
        code = segno.make(url, error="m", micro=False)
    except segno.DataOverflowError:
        raise BuildError(
            f"the address {url[:60]}... is too long for a QR code (shorten base_url)"
        ) from None
    code.save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue()


def render_pdf(
    html: str, base_url: Path, fetcher, identifier: str, direction: str = "ltr"
) -> bytes:
    """Return a tagged PDF/UA-1 document rendered from html (deterministic for the same input)."""
    from weasyprint import HTML

    install_language_tags()
    document = HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        optimize_images=True,
        pdf_identifier=identifier.encode("utf-8"),
        finisher=_finisher(direction),
    )


def _finisher(direction: str):
    def finish(document, pdf) -> None:
        if direction == "rtl":
            # Right-to-left page order for two-up views in viewers (pydyf writes "/..." as a name).
            pdf.catalog["ViewerPreferences"]["Direction"] = "/R2L"

    return finish


@functools.cache
def install_language_tags() -> bool:
    """Make WeasyPrint write an element's lang attribute as /Lang on its structure element.

    WeasyPrint (up to at least 70) tags only the document's language, so screen readers would read
    fallback passages and original-language terms with the wrong voice. Its tagger builds one
    structure element per box in pdf.tags._build_box_tree; wrapping that function adds /Lang where
    the HTML element has lang. Returns False (and the tests fail) if WeasyPrint's internals change.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        logger.warning("cannot add /Lang to PDF structure elements with this WeasyPrint version")
        return False

    def build_with_lang(box, *args, **kwargs):
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            lang = element.get("lang")
        for struct in original(box, *args, **kwargs):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    tags._build_box_tree = build_with_lang
    return True
