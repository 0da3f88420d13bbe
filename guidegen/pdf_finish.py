"""Finish WeasyPrint's tagged PDF with pikepdf into the structure PDF/UA and readers expect.

WeasyPrint 70 tags every page on its own and hangs running headers and footers off nothing but the
ParentTree. The tagging hooks in pdf.py record what WeasyPrint's boxes know (a TaggingRecord, plus
a private identity key on each structure element); this pass then, on the written file:

- drops structure elements without content (tick boxes, ruled blank lines: their drawing is
  already an artifact), keeping figures, form fields and table cells;
- merges the elements that page and line breaks split one HTML element into (WeasyPrint #2903),
  siblings first and then their children, so that a list is one L and a section one Sect;
- gives each list item one LBody after its Lbl (WeasyPrint puts block children straight in LI);
- removes embedded files and file-attachment annotations (a template's rel="attachment" link
  would otherwise put any file WeasyPrint may fetch inside the PDF);
- removes the duplicate link annotations WeasyPrint makes for boxes inside a link (a screen
  reader would stop on each), so every link annotation sits in its own Link element;
- gives each right-to-left text run its logical text as /ActualText on its structure element;
- writes the finished tree back: /K, /P, /Pg (MCR dictionaries where an element's content comes
  from another page), a ParentTree rebuilt from it, MCIDs renumbered densely per page;
- turns the marked content of margin boxes into /Artifact /Pagination sequences.

ActualText goes on structure elements only, never on marked content: pdftotext, PDFium and MuPDF
read a marked-content /ActualText but then reorder it as if it were visual text, which reverses
Uyghur words that they otherwise extract intact.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from .errors import BuildError

logger = logging.getLogger(__name__)

IDENTITY = "/GuidegenElement"
"""Private key the tagging hooks put on structure elements: the HTML element's sequence number."""

_KEEP_EMPTY = frozenset(
    {"/Document", "/Figure", "/Formula", "/Form", "/Table", "/TR", "/TH", "/TD"}
    | {"/THead", "/TBody", "/TFoot"}
)
_FROM_ELEMENTS = frozenset(
    {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/L", "/LI", "/Lbl", "/LBody", "/Sect"}
    | {"/Art", "/Div", "/Part", "/Link", "/Figure", "/Table", "/TR", "/TH", "/TD", "/BlockQuote"}
)
"""Roles WeasyPrint gives only to boxes of HTML elements: each must carry an identity."""
_MARK = re.compile(rb"/([A-Za-z]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


@dataclass
class TaggingRecord:
    """What the tagging hooks learnt while WeasyPrint tagged one document."""

    running: dict[int, dict[int, str | None]] = field(default_factory=dict)
    """Page index -> MCID of margin-box content -> artifact subtype (/Header, /Footer or None)."""
    rtl_texts: dict[tuple[int, int], str] = field(default_factory=dict)
    """(page index, MCID) -> logical text of a run containing right-to-left characters."""
    elements: dict[object, int] = field(default_factory=dict)
    """HTML element -> sequence number, the identity written under IDENTITY."""

    def identity(self, element: object) -> int:
        """Return the sequence number of an HTML element, numbering it on first sight."""
        return self.elements.setdefault(element, len(self.elements))


@dataclass(frozen=True)
class _Content:
    page: int
    mcid: int


@dataclass(eq=False)
class _Node:
    obj: pikepdf.Dictionary
    role: str
    identity: int | None
    page: int | None
    kids: list[_Node | _Content | pikepdf.Dictionary]


def finish_pdf(data: bytes, record: TaggingRecord, identifier: bytes = b"") -> bytes:
    """Return data with its structure tree finished (deterministic for the same input) and,
    given an identifier, a file /ID of it and a hash of the content (qpdf makes the hash)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        document = _read_tree(pdf, pages)
        _drop_attachments(pdf, document)
        _drop_empty(document)
        _merge_split(document)
        _one_body_per_item(pdf, document)
        _drop_nested_links(pdf, document)
        _add_actual_text(pdf, document, record.rtl_texts)
        numbering = _write_tree(pdf, document)
        _mark_content(pdf, numbering, record.running)
        if identifier:
            pdf.trailer.ID = Array([pikepdf.String(identifier), pikepdf.String(identifier)])
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True)
    return output.getvalue()


def _read_tree(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int]) -> _Node:
    root = pdf.Root.get("/StructTreeRoot")
    kids = root.get("/K") if root is not None else None
    if not isinstance(kids, Array) or len(kids) != 1 or not isinstance(kids[0], Dictionary):
        raise BuildError("WeasyPrint wrote no /Document structure element; cannot finish the PDF")
    document = _read_element(kids[0], pages, None)
    unmarked = [node.role for node in _walk(document) if node.identity is None]
    if any(role in _FROM_ELEMENTS for role in unmarked):
        raise BuildError(
            f"{len(unmarked)} structure elements ({', '.join(sorted(set(unmarked)))}) carry no "
            "element identity: WeasyPrint's tagger has changed and guidegen's tagging hooks no "
            "longer see every box (see guidegen/pdf.py)"
        )
    return document


def _read_element(element: pikepdf.Dictionary, pages, page: int | None) -> _Node:
    if "/Pg" in element:
        page = pages[element.Pg.objgen]
    identity = element.get(IDENTITY)
    node = _Node(element, str(element.S), None if identity is None else int(identity), page, [])
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            node.kids.append(_Content(_content_page(node, page), kid))
        elif not isinstance(kid, Dictionary):
            raise BuildError(f"{node.role} structure element: a kid is no MCID and no dictionary")
        elif kid.get("/Type") == "/MCR":
            mcr_page = pages[kid.Pg.objgen] if "/Pg" in kid else page
            node.kids.append(_Content(_content_page(node, mcr_page), int(kid.MCID)))
        elif kid.get("/Type") == "/OBJR":
            node.kids.append(kid)
        else:
            node.kids.append(_read_element(kid, pages, page))
    return node


def _content_page(node: _Node, page: int | None) -> int:
    if page is None:
        raise BuildError(f"{node.role} structure element: marked content on no page")
    return page


def _walk(node: _Node):
    yield node
    for kid in node.kids:
        if isinstance(kid, _Node):
            yield from _walk(kid)


def _drop_empty(node: _Node) -> bool:
    """Remove descendants without content; return whether node itself has any."""
    node.kids = [
        kid
        for kid in node.kids
        if not isinstance(kid, _Node) or _drop_empty(kid) or kid.role in _KEEP_EMPTY
    ]
    return bool(node.kids)


def _merge_split(node: _Node) -> None:
    """Merge adjacent siblings made from the same HTML element, then do the same in each."""
    merged: list[_Node | _Content | pikepdf.Dictionary] = []
    for kid in node.kids:
        previous = merged[-1] if merged else None
        if (
            isinstance(kid, _Node)
            and isinstance(previous, _Node)
            and kid.identity is not None
            and (kid.identity, kid.role) == (previous.identity, previous.role)
        ):
            previous.kids.extend(kid.kids)
        else:
            merged.append(kid)
    node.kids = merged
    for kid in merged:
        if isinstance(kid, _Node):
            _merge_split(kid)


def _one_body_per_item(pdf: pikepdf.Pdf, node: _Node) -> None:
    """Give each list item one LBody holding all but its Lbl (WeasyPrint omits it for blocks)."""
    if node.role == "/LI":
        labels = [kid for kid in node.kids if isinstance(kid, _Node) and kid.role == "/Lbl"]
        rest = [kid for kid in node.kids if not any(kid is label for label in labels)]
        if rest and not (
            len(rest) == 1 and isinstance(rest[0], _Node) and rest[0].role == "/LBody"
        ):
            body = next((k for k in rest if isinstance(k, _Node) and k.role == "/LBody"), None)
            if body is None:
                obj = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody))
                body = _Node(obj, "/LBody", None, node.page, [])
            body.kids = [
                part
                for kid in rest
                for part in (kid.kids if isinstance(kid, _Node) and kid.role == "/LBody" else [kid])
            ]
            node.kids = [*labels, body]
    for kid in node.kids:
        if isinstance(kid, _Node):
            _one_body_per_item(pdf, kid)


def _drop_attachments(pdf: pikepdf.Pdf, document: _Node) -> None:
    """Remove embedded files, their annotations, and the tags of those annotations."""
    names = pdf.Root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names:
        del names["/EmbeddedFiles"]
    if "/AF" in pdf.Root:
        del pdf.Root["/AF"]
    dropped = {
        annotation.objgen
        for page in pdf.pages
        for annotation in page.obj.get("/Annots", [])
        if annotation.get("/Subtype") == "/FileAttachment"
    }
    if not dropped:
        return
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is not None:
            page.obj.Annots = Array(a for a in annotations if a.objgen not in dropped)
    for node in _walk(document):
        kept = [k for k in node.kids if not (isinstance(k, Dictionary) and k.Obj.objgen in dropped)]
        if len(kept) != len(node.kids) and node.role == "/Link":
            node.role = "/Span"
            node.obj.S = Name.Span
        node.kids = kept


def _drop_nested_links(pdf: pikepdf.Pdf, document: _Node) -> None:
    """Remove the copies of a link's annotation that WeasyPrint makes for boxes inside the link."""
    dropped: set[tuple[int, int]] = set()

    def visit(node: _Node, in_link: bool) -> None:
        if in_link:
            for kid in node.kids:
                if isinstance(kid, Dictionary) and kid.Obj.get("/Subtype") == "/Link":
                    dropped.add(kid.Obj.objgen)
            node.kids = [
                k for k in node.kids if not (isinstance(k, Dictionary) and k.Obj.objgen in dropped)
            ]
            if node.role == "/Link":
                node.role = "/Span"
                node.obj.S = Name.Span
        for kid in node.kids:
            if isinstance(kid, _Node):
                visit(kid, in_link or node.role == "/Link")

    visit(document, False)
    for page in pdf.pages if dropped else ():
        annotations = page.obj.get("/Annots")
        if annotations is not None:
            page.obj.Annots = Array(a for a in annotations if a.objgen not in dropped)


def _add_actual_text(pdf: pikepdf.Pdf, node: _Node, texts: dict[tuple[int, int], str]) -> None:
    """Put the logical text of right-to-left runs on the element owning them (or a new Span)."""
    for index, kid in enumerate(node.kids):
        if isinstance(kid, _Node):
            _add_actual_text(pdf, kid, texts)
            continue
        if not isinstance(kid, _Content) or (text := texts.get((kid.page, kid.mcid))) is None:
            continue
        if len(node.kids) == 1:
            node.obj.ActualText = pikepdf.String(text)
            continue
        # A run beside other content (a link's annotation, other runs): give it its own Span.
        span = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span))
        span.ActualText = pikepdf.String(text)
        node.kids[index] = _Node(span, "/Span", None, kid.page, [kid])


def _write_tree(pdf: pikepdf.Pdf, document: _Node) -> dict[_Content, int]:
    """Write /K, /P and /Pg from the finished tree, rebuild the ParentTree, return new MCIDs."""
    owners: dict[_Content, _Node] = {}
    annotations: dict[int, _Node] = {}
    for node in _walk(document):
        for kid in node.kids:
            if isinstance(kid, _Content):
                owners[kid] = node
            elif isinstance(kid, Dictionary):
                annotations[int(kid.Obj.StructParent)] = node
    numbering: dict[_Content, int] = {}
    by_page: dict[int, list[_Node]] = {index: [] for index in range(len(pdf.pages))}
    for content in sorted(owners, key=lambda content: (content.page, content.mcid)):
        numbering[content] = len(by_page[content.page])
        by_page[content.page].append(owners[content])

    page_objects = [page.obj for page in pdf.pages]
    for node in _walk(document):
        node.obj.K = Array(_kid_object(node, kid, numbering, page_objects) for kid in node.kids)
        if node.page is not None:
            node.obj.Pg = page_objects[node.page]
        if IDENTITY in node.obj:
            del node.obj[IDENTITY]
    document.obj.P = pdf.Root.StructTreeRoot

    nums: list[object] = []
    for index in range(len(page_objects)):
        nums += [index, Array(owner.obj for owner in by_page[index])]
    for key in sorted(annotations):
        nums += [key, annotations[key].obj]
    root = pdf.Root.StructTreeRoot
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = max([len(page_objects) - 1, *annotations]) + 1
    _untag_orphan_annotations(pdf, annotations)
    return numbering


def _untag_orphan_annotations(pdf: pikepdf.Pdf, tagged: dict[int, _Node]) -> None:
    # WeasyPrint tags a link in a running header or footer under an element that hangs off nothing.
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.obj.get("/Annots", []):
            key = annotation.get("/StructParent")
            if key is not None and int(key) not in tagged:
                logger.warning(
                    "page %d: a %s annotation outside the text is untagged",
                    number,
                    annotation.get("/Subtype"),
                )
                del annotation["/StructParent"]


def _kid_object(node: _Node, kid, numbering: dict[_Content, int], page_objects: list):
    if isinstance(kid, _Node):
        kid.obj.P = node.obj
        return kid.obj
    if isinstance(kid, _Content):
        if node.page is None:
            node.page = kid.page
        if kid.page == node.page:
            return numbering[kid]
        return Dictionary(Type=Name.MCR, Pg=page_objects[kid.page], MCID=numbering[kid])
    return kid


def _mark_content(
    pdf: pikepdf.Pdf, numbering: dict[_Content, int], running: dict[int, dict[int, str | None]]
) -> None:
    """Renumber MCIDs in the page content and turn margin-box content into artifacts."""
    renumber: dict[int, dict[int, int]] = {index: {} for index in range(len(pdf.pages))}
    for content, new in numbering.items():
        renumber[content.page][content.mcid] = new
    for index, page in enumerate(pdf.pages):
        artifacts = running.get(index, {})
        if artifacts or any(old != new for old, new in renumber[index].items()):
            _rewrite_marks(page, index + 1, renumber[index], artifacts)


def _rewrite_marks(page, number: int, renumber: dict[int, int], artifacts: dict) -> None:
    seen: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        mcid = int(match[2])
        seen.append(mcid)
        if mcid in artifacts:
            return _artifact(artifacts[mcid])
        if mcid not in renumber:
            raise BuildError(f"page {number}: marked content {mcid} belongs to no element")
        return b"/%s <</MCID %d>> BDC" % (match[1], renumber[mcid])

    page.contents_coalesce()
    data = _MARK.sub(replace, page.Contents.read_bytes())
    if sorted(seen) != sorted([*renumber, *artifacts]):
        raise BuildError(
            f"page {number}: the marked content in the page does not match the structure tree; "
            "WeasyPrint's output has changed (see guidegen/pdf_finish.py)"
        )
    page.Contents.write(data)


def _artifact(subtype: str | None) -> bytes:
    if subtype is None:
        return b"/Artifact <</Type /Pagination>> BDC"
    return b"/Artifact <</Type /Pagination /Subtype %s>> BDC" % subtype.encode("ascii")
