"""PDF rendering with WeasyPrint: a sandboxed URL fetcher, explicit fonts, tagged PDF/UA-1.

Tagging hooks here tell WeasyPrint's tagger what it does not know; pdf_finish then repairs the
structure tree WeasyPrint made, before it is written.

WeasyPrint is imported lazily so that check, i18n and no-op builds never pay for it.
"""

from __future__ import annotations

import functools
import inspect
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import segno

from .errors import BuildError
from .pdf_fonts import cid_keyed_subset
from .pdf_styles import install_stylesheet_hook
from .pdf_targets import install_reference_hook

if TYPE_CHECKING:
    from .pdf_finish import TaggingRecord

logger = logging.getLogger(__name__)

MEMORY_SCHEME = "guidegen-memory"


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint warns about (CSS it ignores, missing glyphs, refused fetches)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    weasy = logging.getLogger("weasyprint")
    handler, level, propagate = Collect(logging.WARNING), weasy.level, weasy.propagate
    weasy.addHandler(handler)
    weasy.setLevel(logging.WARNING)
    weasy.propagate = False  # reported with the build's problems, not printed as they come
    try:
        yield messages
    finally:
        weasy.removeHandler(handler)
        weasy.setLevel(level)
        weasy.propagate = propagate


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
    html: str,
    base_url: Path,
    fetcher,
    identifier: str,
    direction: str = "ltr",
    forms: bool = False,
) -> bytes:
    """Return a tagged PDF/UA-1 document rendered from html (deterministic for the same input).

    With forms, <input> and <textarea> become fillable fields named by their label or title.
    """
    from weasyprint import HTML

    from . import pdf_finish

    install_tagging_hooks()
    install_font_hooks()
    install_reference_hook()
    install_stylesheet_hook()
    document = HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher)
    record = pdf_finish.TaggingRecord()
    token = _RECORDING.set(_Recording(record, document.etree_element))
    try:
        data = document.write_pdf(
            pdf_variant="pdf/ua-1",
            pdf_tags=True,
            pdf_forms=forms,
            optimize_images=True,
            finisher=_finisher(record, direction),
        )  # no pdf_identifier: pydyf would serialise every object twice to hash it
    finally:
        _release_field_fonts(_RECORDING.get())
        _RECORDING.reset(token)
    return pdf_finish.identify(data, identifier.encode("utf-8"))


def _finisher(record: TaggingRecord, direction: str):
    def finish(document, pdf) -> None:
        from . import pdf_finish

        pdf_finish.finish_structure(pdf, record)
        if direction == "rtl":
            # Right-to-left page order for two-up views in viewers (pydyf writes "/..." as a name).
            pdf.catalog["ViewerPreferences"]["Direction"] = "/R2L"

    return finish


@dataclass
class _Recording:
    """The record of the document being rendered, and its HTML tree for finding link targets."""

    record: TaggingRecord
    root: Element
    ids: dict[str, Element] | None = None
    field_fonts: list = field(default_factory=list)  # Pango fonts loaded for form fields

    def element_by_id(self, name: str) -> Element | None:
        if self.ids is None:
            self.ids = {key: el for el in self.root.iter() if (key := el.get("id"))}
        return self.ids.get(name)


_RECORDING: ContextVar[_Recording | None] = ContextVar("guidegen_pdf_recording", default=None)
_TAGGER_PARAMETERS = ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff]")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


_FONTS_PARAMETERS = ["pdf", "fonts", "compress", "subset", "options"]
_SUBSET_PARAMETERS = ["self", "to_unicode", "hinting"]


def hookable(owner, name: str, parameters: list[str], what: str, hooks: str):
    """Return owner.name, the WeasyPrint function a hook wraps, if its parameters are the ones
    the hook was written for; else raise BuildError naming it (what: its role, hooks: ours)."""
    original = getattr(owner, name, None)
    if original is None or list(inspect.signature(original).parameters) != parameters:
        # a module (weasyprint.pdf) or a class (weasyprint.pdf.fonts.Font)
        where = (
            f"{owner.__module__}.{owner.__qualname__}"
            if isinstance(owner, type)
            else owner.__name__
        )
        raise BuildError(
            f"this WeasyPrint's {what} ({where}.{name}) is not the one guidegen's {hooks} "
            "written for; update guidegen/pdf.py"
        )
    return original


@functools.cache
def install_font_hooks() -> None:
    """Subset the fonts of form fields too, as WeasyPrint does for every other font, and
    subset CID-keyed CFF fonts compactly (guidegen.pdf_fonts) instead of keeping glyph ids.

    WeasyPrint (up to at least 70) embeds a font used in a form field whole, with a ToUnicode map
    of every glyph that takes the first code point of each: a CJK font then adds 15 MB to every
    PDF with a letter, and its text extracts as Kangxi radicals (⾄ for 至). Subset, a field
    still shows what WeasyPrint wrote in it; characters a reader types that the subset lacks are
    drawn by the viewer's own fonts, as PDFium, pdf.js and Acrobat do for CJK fields. Raises
    BuildError, before anything is wrapped, when WeasyPrint's font writer or subsetter is not
    the one this was written for.
    """
    from weasyprint import pdf as writer
    from weasyprint.pdf.fonts import Font

    hooks = "font hooks were"
    original = hookable(writer, "build_fonts_dictionary", _FONTS_PARAMETERS, "font writer", hooks)
    original_subset = hookable(Font, "subset", _SUBSET_PARAMETERS, "font subsetter", hooks)

    def build(pdf, fonts, compress, subset, options):
        for font in fonts.values():
            font.used_in_forms = False
        dictionary = original(pdf, fonts, compress, subset, options)
        _embed_cff_programs(pdf, fonts.values())
        return dictionary

    def subset(font, to_unicode, hinting):
        compact = None
        plain = not (font.missing or font.bitmap or font.png or font.svg or font.colr)
        if to_unicode and plain and "CFF " in font.tables and "fvar" not in font.tables:
            compact = cid_keyed_subset(font.file_content, font.index, to_unicode, hinting=hinting)
        if compact is None:
            return original_subset(font, to_unicode, hinting)
        font.file_content, font.cff_program = compact

    _keep_field_fonts()
    writer.build_fonts_dictionary = build
    Font.subset = subset


def _embed_cff_programs(pdf, fonts) -> None:
    """Put the bare CFF program in place of each compact subset WeasyPrint embedded."""
    programs = {
        id(font.file_content): font.cff_program for font in fonts if hasattr(font, "cff_program")
    }
    if not programs:
        return
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and len(item.stream) == 1:
            program = programs.get(id(item.stream[0]))
            if program is not None:
                item.stream = [program]
                item.extra["Subtype"] = "/CIDFontType0C"


class _FieldFontsKept:
    """WeasyPrint's Pango library, except that the fonts it loads for form fields are recorded.

    WeasyPrint (up to at least 70) loads a Pango font for every form field with
    pango_font_map_load_font, which returns a new reference, and never releases it: each PDF with
    a letter kept its CJK font (20 MB) in memory for the rest of the process. The references are
    released once the PDF is written (_release_field_fonts).
    """

    def __init__(self, library) -> None:
        self._library = library

    def __getattr__(self, name: str):
        return getattr(self._library, name)

    def pango_font_map_load_font(self, *arguments):
        font = self._library.pango_font_map_load_font(*arguments)
        recording = _RECORDING.get()
        if recording is not None and font:
            recording.field_fonts.append(font)
        return font


def _keep_field_fonts() -> None:
    from weasyprint.pdf import anchors

    library = getattr(anchors, "pango", None)
    if library is None or not hasattr(anchors, "add_forms"):
        raise BuildError(
            "this WeasyPrint's form writer (weasyprint.pdf.anchors.add_forms) is not the one "
            "guidegen's font hook was written for; update guidegen/pdf.py"
        )
    if not isinstance(library, _FieldFontsKept):
        anchors.pango = _FieldFontsKept(library)


def _release_field_fonts(recording: _Recording | None) -> None:
    """Release the references WeasyPrint took on the fonts of this PDF's form fields."""
    if recording is None:
        return
    from weasyprint.text.ffi import gobject

    for font in recording.field_fonts:
        gobject.g_object_unref(font)
    recording.field_fonts.clear()


@functools.cache
def install_tagging_hooks() -> None:
    """Wrap WeasyPrint's tagger so that it tags what it knows and records what pdf_finish needs.

    WeasyPrint (up to at least 70) builds the structure elements of each page's boxes in
    pdf.tags._build_box_tree, calling itself through the module for child boxes. The wrapper adds
    /Lang where the HTML element has lang (WeasyPrint tags only the document's language),
    describes each link by its text or its target's, marks each element with its HTML element's
    identity (so that pdf_finish can merge what page breaks split), and records margin-box content
    and right-to-left runs. Raises BuildError, so builds and tests fail instead of writing badly
    tagged PDFs, when WeasyPrint's tagger is not the one this was written for.
    """
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags as tagger

    from .pdf_finish import IDENTITY

    original = hookable(
        tagger, "_build_box_tree", _TAGGER_PARAMETERS, "tagger", "PDF/UA hooks were"
    )

    def build(box, parent, pdf, page_number, nums, annotations, tags):
        structs = original(box, parent, pdf, page_number, nums, annotations, tags)
        real = getattr(box, "_box", box)  # an AbsolutePlaceholder stands for its box
        if real.element_tag in ("html", "body") or isinstance(real, boxes.PageBox):
            yield from structs  # the children's elements, already finished by their own calls
            return
        recording = _RECORDING.get()
        element = real.element
        if recording is not None:
            # Before iterating: WeasyPrint pops the marked runs out of tags as it goes.
            _note_box(recording, real, page_number, tags, boxes)
        lang = element.get("lang") if element is not None else None
        for struct in structs:
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            if recording is not None and element is not None and IDENTITY not in struct:
                struct[IDENTITY] = recording.record.identity(element)
            yield struct

    tagger._build_box_tree = build


def _note_box(recording: _Recording, box, page: int, tags: dict, boxes) -> None:
    import pydyf

    if isinstance(box, boxes.MarginBox):
        _note_running(recording.record, box, page, tags)
        return
    _note_runs(recording.record, box, page, tags, boxes)
    if box.link_annotation is not None and box.element is not None:
        box.link_annotation["Contents"] = pydyf.String(_link_text(recording, box.element))


def _note_running(record: TaggingRecord, box, page: int, tags: dict) -> None:
    """Record the MCIDs of a margin box's content, to become header or footer artifacts."""
    side = box.at_keyword.split("-")[0]
    subtype = {"@top": "/Header", "@bottom": "/Footer"}.get(side)
    marks = record.running.setdefault(page, {})
    for descendant in box.descendants(placeholders=True):
        if (mark := tags.get(descendant)) is not None:
            marks[mark["mcid"]] = subtype


def _note_runs(record: TaggingRecord, box, page: int, tags: dict, boxes) -> None:
    """Record the logical text of the right-to-left runs on a block's lines."""
    lines = [
        [leaf for leaf in _text_leaves(line, boxes) if leaf in tags]
        for line in box.children
        if isinstance(line, boxes.LineBox)
    ]
    if not any(_RTL.search(leaf.text) for line in lines for leaf in line):
        return
    spaced = _spaced_line_ends(box.element, lines)
    for line in lines:
        for leaf in line:
            if _RTL.search(leaf.text):
                text = leaf.text + " " if leaf in spaced else leaf.text
                record.rtl_texts[(page, tags[leaf]["mcid"])] = text


def _text_leaves(box, boxes):
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _text_leaves(child, boxes)


def _spaced_line_ends(element: Element, lines: list[list]) -> set:
    """Return the runs ending a line where the source has a space (WeasyPrint drops it)."""
    source = _text(element)
    position, spaced = 0, set()
    for line in lines:
        end = None
        for leaf in line:
            text = " ".join(leaf.text.split())
            found = source.find(text, position) if text else -1
            end = found + len(text) if found >= 0 else None
            position = end if end is not None else position
        if line and end is not None and source.startswith(" ", end):
            spaced.add(line[-1])
    return spaced


def _link_text(recording: _Recording, link: Element) -> str:
    """Describe a link for /Contents: its target's heading or text if internal, else its text."""
    own = _text(link) or next(
        (alt for el in link.iter() if _local(el.tag) == "img" and (alt := el.get("alt"))), ""
    )
    href = link.get("href") or ""
    if not href.startswith("#"):
        return own or href
    target = recording.element_by_id(unquote(href[1:]))
    if target is None:
        return own
    heading = next((el for el in target.iter() if _local(el.tag) in _HEADINGS), None)
    return _text(heading if heading is not None else target) or own


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
