"""Helpers that read facts out of a PDF with pikepdf and pypdf."""

from __future__ import annotations

from dataclasses import dataclass, field
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


# Structure tree and marked content, for the PDF/UA checks in test_pdf_structure.py.

TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPERATORS = frozenset({"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "BI"})
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


@dataclass(eq=False)
class Element:
    """A structure element reached from StructTreeRoot, with its /K in order."""

    obj: pikepdf.Dictionary
    role: str
    parent: Element | None
    content: list[Element | tuple[int, int] | pikepdf.Dictionary] = field(default_factory=list)
    """Kid elements, (page index, MCID) of marked content, and annotations (through OBJR)."""

    @property
    def kids(self) -> list[Element]:
        return [kid for kid in self.content if isinstance(kid, Element)]

    @property
    def marks(self) -> list[tuple[int, int]]:
        return [kid for kid in self.content if isinstance(kid, tuple)]

    @property
    def annotations(self) -> list[pikepdf.Dictionary]:
        return [kid for kid in self.content if isinstance(kid, pikepdf.Dictionary)]

    def descendants(self):
        """Yield this element and every element under it, in document order."""
        yield self
        for kid in self.kids:
            yield from kid.descendants()

    def all_marks(self) -> list[tuple[int, int]]:
        """Return the marked content of this element and its descendants, in order."""
        return [mark for element in self.descendants() for mark in element.marks]


@dataclass
class Mark:
    """A marked-content sequence of a page's content stream."""

    page: int
    tag: str
    properties: pikepdf.Object | None
    in_artifact: bool  # it is, or lies inside, an /Artifact sequence
    in_tagged: bool  # it lies inside a sequence with an MCID
    shows_text: bool = False

    @property
    def mcid(self) -> int | None:
        props = self.properties
        return (
            int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
        )


def page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Return page object id -> page index."""
    return {page.objgen: index for index, page in enumerate(pdf.pages)}


def struct_tree(pdf: pikepdf.Pdf) -> list[Element]:
    """Return every structure element reachable from StructTreeRoot, in document order."""
    pages = page_numbers(pdf)
    found: list[Element] = []
    seen: set[tuple[int, int]] = set()

    def visit(obj, parent, page):
        assert obj.objgen not in seen, f"structure element {obj.objgen} is reached twice"
        seen.add(obj.objgen)
        element = Element(obj, str(obj.S), parent)
        found.append(element)
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        kids = obj.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
            if isinstance(kid, int):
                element.content.append((page, kid))
            elif kid.get("/Type") == "/MCR":
                mcr_page = pages[kid.Pg.objgen] if "/Pg" in kid else page
                element.content.append((mcr_page, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                element.content.append(kid.Obj)
            else:
                element.content.append(visit(kid, element, page))
        return element

    root = pdf.Root.StructTreeRoot
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    for kid in kids:
        visit(kid, None, None)
    return found


def all_struct_elems(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Return the object ids of every /StructElem dictionary in the file, reachable or not."""
    return {
        obj.objgen
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
    }


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """Return the ParentTree as key -> value (a flat /Nums array, as WeasyPrint writes it)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def marked_content(pdf: pikepdf.Pdf) -> tuple[list[Mark], list[tuple[int, str]]]:
    """Return the marked-content sequences of all pages, and drawing done outside any of them."""
    marks: list[Mark] = []
    unmarked: list[tuple[int, str]] = []
    for index, page in enumerate(pdf.pages):
        stack: list[Mark] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" else None
                artifact = tag == "/Artifact" or any(mark.in_artifact for mark in stack)
                tagged = any(mark.mcid is not None for mark in stack)
                stack.append(Mark(index, tag, props, artifact, tagged))
            elif op == "EMC":
                marks.append(stack.pop())
            elif op in TEXT_OPERATORS or op in PAINT_OPERATORS:
                if not stack:
                    unmarked.append((index, op))
                for mark in stack:
                    mark.shows_text = mark.shows_text or op in TEXT_OPERATORS
        assert not stack, f"page {index + 1}: unbalanced marked content"
    return marks, unmarked


def mcid_texts(path: Path) -> dict[tuple[int, int], str]:
    """Return the glyph text (pypdf's decoding) of each marked-content sequence with an MCID."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(PdfReader(str(path)).pages):
        stack: list[int | None] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator == b"BDC":
                props = operands[1]
                stack.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC":
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, index=index):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None and chunk:
                texts[(index, int(mcid))] = texts.get((index, int(mcid)), "") + chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def element_text(element: Element, glyphs: dict[tuple[int, int], str]) -> str:
    """Return what a screen reader reads for an element: /ActualText replaces what it holds."""
    if "/ActualText" in element.obj:
        return str(element.obj.ActualText)
    parts = []
    for kid in element.content:
        if isinstance(kid, Element):
            parts.append(element_text(kid, glyphs))
        elif isinstance(kid, tuple):
            parts.append(glyphs.get(kid, ""))
    return "".join(parts)


def plain(text: str) -> str:
    """Return text without bidi control marks (pdftotext adds them), whitespace collapsed."""
    return " ".join(text.translate(BIDI_CONTROLS).split())
