"""Finish WeasyPrint's tagged PDF into the structure PDF/UA and readers expect.

WeasyPrint 70 tags every page on its own and hangs running headers and footers off nothing but the
ParentTree. The tagging hooks in pdf.py record what WeasyPrint's boxes know (a TaggingRecord, plus
a private identity key on each structure element); this pass then, on WeasyPrint's own PDF objects
(pydyf) after it tagged the pages and before it writes them (its `finisher`):

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
- turns the marked content of margin boxes into /Artifact /Pagination sequences;
- empties what nothing refers to any more: the elements, /OBJR kids and annotations the finished
  tree left out (margin boxes' elements among them) and WeasyPrint's ParentTree; when attachments
  were removed, every object the catalog no longer reaches (so no attached file's bytes stay).
  pydyf writes each object it holds, and cannot leave one out of a compressed object stream.

`identify` then gives the written file its /ID: the edition identifier and an MD5 of the file.
It used to open the written file again with pikepdf and save it anew (a third of the pass, 20-30 ms
a PDF, and every structure element read and written through pikepdf's bindings).

ActualText goes on structure elements only, never on marked content: pdftotext, PDFium and MuPDF
read a marked-content /ActualText but then reorder it as if it were visual text, which reverses
Uyghur words that they otherwise extract intact.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

import pydyf

from .errors import BuildError

logger = logging.getLogger(__name__)

IDENTITY = "GuidegenElement"
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
_TREE = frozenset({"/StructElem", "/OBJR"})
_MARK = re.compile(rb"/([A-Za-z]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_REFERENCE = re.compile(rb"(\d+) (\d+) R")
_XREF_STREAM = re.compile(rb"/Type /XRef\b")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


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


@dataclass(frozen=True, eq=False)
class _Annotation:
    """An /OBJR kid and the annotation it names."""

    obj: pydyf.Dictionary
    annotation: pydyf.Dictionary


@dataclass(eq=False)
class _Node:
    obj: pydyf.Dictionary
    role: str
    identity: int | None
    page: int | None
    kids: list[_Node | _Content | _Annotation]


class _Objects:
    """WeasyPrint's PDF objects, looked up by the references its dictionaries hold."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.pages = [self[reference] for reference in pdf.page_references]
        self.page_index = {reference: index for index, reference in enumerate(pdf.page_references)}

    def __getitem__(self, reference) -> pydyf.Object:
        number = _number(reference)
        if number is None or not 0 < number < len(self.pdf.objects):
            raise BuildError(f"WeasyPrint wrote a reference guidegen cannot follow: {reference!r}")
        return self.pdf.objects[number]

    def add(self, obj: pydyf.Object) -> pydyf.Object:
        self.pdf.add_object(obj)
        return obj


def _number(reference) -> int | None:
    if isinstance(reference, str):
        reference = reference.encode("ascii", "replace")
    if not isinstance(reference, bytes):
        return None
    match = _REFERENCE.fullmatch(reference.strip())
    return int(match[1]) if match else None


def finish_structure(pdf: pydyf.PDF, record: TaggingRecord) -> None:
    """Finish the structure tree of WeasyPrint's PDF objects in place (see the module's text)."""
    objects = _Objects(pdf)
    document = _read_tree(objects)
    read = _tree_objects(document)
    attached = _drop_attachments(objects, document)
    _drop_empty(document)
    _merge_split(document)
    _one_body_per_item(objects, document)
    _drop_nested_links(objects, document)
    _add_actual_text(objects, document, record.rtl_texts)
    numbering = _write_tree(objects, document)
    _mark_content(objects, numbering, record.running)
    if attached:  # files, their specifications, annotations: whatever else they referred to
        _empty_unreachable(pdf)
    else:
        _empty_left_out(objects, read, document)


def _empty_left_out(objects: _Objects, read: dict[int, pydyf.Object], document: _Node) -> None:
    """Empty the elements (margin boxes' too), /OBJR kids and annotations that the finished tree
    no longer holds and no page lists: nothing refers to them any more."""
    kept = _tree_objects(document)
    on_pages = {_number(ref) for page in objects.pages for ref in page.get("Annots") or []}
    for obj in objects.pdf.objects:
        number = obj.number
        if number in kept or number in on_pages:
            continue
        if number in read or (type(obj) is pydyf.Dictionary and obj.get("Type") in _TREE):
            _empty(obj)


def identify(data: bytes, identifier: bytes) -> bytes:
    """Return the written PDF with the file /ID [identifier, MD5 of the file without it]."""
    found = _STARTXREF.search(data[-64:])
    start = int(found[1]) if found else -1
    end = data.find(b">>\nstream\n", start) if 0 <= start < len(data) else -1
    if end < 0 or not _XREF_STREAM.search(data, start, end):
        raise BuildError(
            "WeasyPrint wrote no cross-reference stream to put the file identifier in "
            "(see guidegen/pdf_finish.py)"
        )
    # Into the dictionary of the last object, the cross-reference stream: no offset changes.
    digest = hashlib.md5(data).hexdigest().encode()  # noqa: S324 - a file identifier
    entry = b"/ID [" + pydyf.String(identifier).data + b" <" + digest + b">]"
    return data[:end] + entry + data[end:]


def _read_tree(objects: _Objects) -> _Node:
    catalog = objects.pdf.catalog
    root = objects[catalog["StructTreeRoot"]] if "StructTreeRoot" in catalog else None
    kids = root.get("K") if isinstance(root, dict) else None
    if not isinstance(kids, list) or len(kids) != 1 or _number(kids[0]) is None:
        raise BuildError("WeasyPrint wrote no /Document structure element; cannot finish the PDF")
    document = _read_element(objects, objects[kids[0]], None)
    unmarked = [node.role for node in _walk(document) if node.identity is None]
    if any(role in _FROM_ELEMENTS for role in unmarked):
        raise BuildError(
            f"{len(unmarked)} structure elements ({', '.join(sorted(set(unmarked)))}) carry no "
            "element identity: WeasyPrint's tagger has changed and guidegen's tagging hooks no "
            "longer see every box (see guidegen/pdf.py)"
        )
    return document


def _read_element(objects: _Objects, element, page: int | None) -> _Node:
    if not isinstance(element, dict):
        raise BuildError("a structure element is no dictionary")
    if "Pg" in element:
        page = _page(objects, element["Pg"])
    identity = element.get(IDENTITY)
    node = _Node(element, str(element.get("S")), identity, page, [])
    kids = element.get("K")
    for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
        if isinstance(kid, int) and not isinstance(kid, bool):
            node.kids.append(_Content(_content_page(node, page), kid))
            continue
        obj = kid if isinstance(kid, dict) else objects[kid]
        if not isinstance(obj, dict):
            raise BuildError(f"{node.role} structure element: a kid is no MCID and no dictionary")
        kind = obj.get("Type")
        if kind == "/MCR":
            mcr_page = _page(objects, obj["Pg"]) if "Pg" in obj else page
            node.kids.append(_Content(_content_page(node, mcr_page), int(obj["MCID"])))
        elif kind == "/OBJR":
            node.kids.append(_Annotation(obj, objects[obj["Obj"]]))
        else:
            node.kids.append(_read_element(objects, obj, page))
    return node


def _tree_objects(document: _Node) -> dict[int, pydyf.Object]:
    """Return the objects of the tree by number: elements, /OBJR kids and their annotations."""
    found: dict[int, pydyf.Object] = {}
    for node in _walk(document):
        found[node.obj.number] = node.obj
        for kid in node.kids:
            if isinstance(kid, _Annotation):
                found[kid.obj.number] = kid.obj
                found[kid.annotation.number] = kid.annotation
    return found


def _page(objects: _Objects, reference) -> int:
    index = objects.page_index.get(reference)
    if index is None:
        raise BuildError(f"a structure element refers to no page: {reference!r}")
    return index


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
    merged: list[_Node | _Content | _Annotation] = []
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


def _one_body_per_item(objects: _Objects, node: _Node) -> None:
    """Give each list item one LBody holding all but its Lbl (WeasyPrint omits it for blocks)."""
    if node.role == "/LI":
        labels = [kid for kid in node.kids if isinstance(kid, _Node) and kid.role == "/Lbl"]
        rest = [kid for kid in node.kids if not any(kid is label for label in labels)]
        if rest and not (
            len(rest) == 1 and isinstance(rest[0], _Node) and rest[0].role == "/LBody"
        ):
            body = next((k for k in rest if isinstance(k, _Node) and k.role == "/LBody"), None)
            if body is None:
                obj = objects.add(pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody"}))
                body = _Node(obj, "/LBody", None, node.page, [])
            body.kids = [
                part
                for kid in rest
                for part in (kid.kids if isinstance(kid, _Node) and kid.role == "/LBody" else [kid])
            ]
            node.kids = [*labels, body]
    for kid in node.kids:
        if isinstance(kid, _Node):
            _one_body_per_item(objects, kid)


def _drop_attachments(objects: _Objects, document: _Node) -> bool:
    """Remove embedded files, their annotations, and the tags of those annotations; return
    whether there were any."""
    catalog = objects.pdf.catalog
    names = catalog.get("Names")
    names = objects[names] if _number(names) is not None else names
    files = isinstance(names, dict) and names.pop("EmbeddedFiles", None) is not None
    files = catalog.pop("AF", None) is not None or files
    dropped = _drop_annotations(objects, lambda a: a.get("Subtype") == "/FileAttachment")
    for node in _walk(document) if dropped else ():
        kept = [k for k in node.kids if not _is_dropped(k, dropped)]
        if len(kept) != len(node.kids) and node.role == "/Link":
            _make_span(node)
        node.kids = kept
    return files or bool(dropped)


def _drop_annotations(objects: _Objects, drop) -> set[int]:
    """Take the annotations drop(annotation) says out of every page; return their numbers."""
    dropped: set[int] = set()
    for page in objects.pages:
        annotations = page.get("Annots")
        if not isinstance(annotations, list):
            continue
        kept = []
        for reference in annotations:
            annotation = objects[reference]
            if drop(annotation):
                dropped.add(annotation.number)
            else:
                kept.append(reference)
        if len(kept) != len(annotations):
            page["Annots"] = pydyf.Array(kept)
    return dropped


def _is_dropped(kid, dropped: set[int]) -> bool:
    return isinstance(kid, _Annotation) and kid.annotation.number in dropped


def _make_span(node: _Node) -> None:
    node.role = "/Span"
    node.obj["S"] = "/Span"


def _drop_nested_links(objects: _Objects, document: _Node) -> None:
    """Remove the copies of a link's annotation that WeasyPrint makes for boxes inside the link."""
    dropped: set[int] = set()

    def visit(node: _Node, in_link: bool) -> None:
        if in_link:
            for kid in node.kids:
                if isinstance(kid, _Annotation) and kid.annotation.get("Subtype") == "/Link":
                    dropped.add(kid.annotation.number)
            node.kids = [k for k in node.kids if not _is_dropped(k, dropped)]
            if node.role == "/Link":
                _make_span(node)
        for kid in node.kids:
            if isinstance(kid, _Node):
                visit(kid, in_link or node.role == "/Link")

    visit(document, False)
    if dropped:
        _drop_annotations(objects, lambda annotation: annotation.number in dropped)


def _add_actual_text(objects: _Objects, node: _Node, texts: dict[tuple[int, int], str]) -> None:
    """Put the logical text of right-to-left runs on the element owning them (or a new Span)."""
    for index, kid in enumerate(node.kids):
        if isinstance(kid, _Node):
            _add_actual_text(objects, kid, texts)
            continue
        if not isinstance(kid, _Content) or (text := texts.get((kid.page, kid.mcid))) is None:
            continue
        if len(node.kids) == 1:
            node.obj["ActualText"] = pydyf.String(text)
            continue
        # A run beside other content (a link's annotation, other runs): give it its own Span.
        span = objects.add(
            pydyf.Dictionary(
                {"Type": "/StructElem", "S": "/Span", "ActualText": pydyf.String(text)}
            )
        )
        node.kids[index] = _Node(span, "/Span", None, kid.page, [kid])


def _write_tree(objects: _Objects, document: _Node) -> dict[_Content, int]:
    """Write /K, /P and /Pg from the finished tree, rebuild the ParentTree, return new MCIDs."""
    owners: dict[_Content, _Node] = {}
    annotations: dict[int, _Node] = {}
    for node in _walk(document):
        for kid in node.kids:
            if isinstance(kid, _Content):
                owners[kid] = node
            elif isinstance(kid, _Annotation):
                annotations[int(kid.annotation["StructParent"])] = node
    numbering: dict[_Content, int] = {}
    by_page: dict[int, list[_Node]] = {index: [] for index in range(len(objects.pages))}
    for content in sorted(owners, key=lambda content: (content.page, content.mcid)):
        numbering[content] = len(by_page[content.page])
        by_page[content.page].append(owners[content])

    pages = objects.pdf.page_references
    for node in _walk(document):
        node.obj["K"] = pydyf.Array(_kid_object(node, kid, numbering, pages) for kid in node.kids)
        if node.page is not None:
            node.obj["Pg"] = pages[node.page]
        node.obj.pop(IDENTITY, None)
    root = objects[objects.pdf.catalog["StructTreeRoot"]]
    document.obj["P"] = root.reference

    nums: list[object] = []
    for index in range(len(pages)):
        nums += [index, pydyf.Array(owner.obj.reference for owner in by_page[index])]
    for key in sorted(annotations):
        nums += [key, annotations[key].obj.reference]
    if _number(root.get("ParentTree")) is not None:
        _empty(objects[root["ParentTree"]])  # WeasyPrint's, which nothing else refers to
    root["ParentTree"] = objects.add(pydyf.Dictionary({"Nums": pydyf.Array(nums)})).reference
    root["ParentTreeNextKey"] = max([len(pages) - 1, *annotations]) + 1
    _untag_orphan_annotations(objects, annotations)
    return numbering


def _untag_orphan_annotations(objects: _Objects, tagged: dict[int, _Node]) -> None:
    # WeasyPrint tags a link in a running header or footer under an element that hangs off nothing.
    for number, page in enumerate(objects.pages, 1):
        for reference in page.get("Annots") or []:
            annotation = objects[reference]
            key = annotation.get("StructParent")
            if key is not None and int(key) not in tagged:
                logger.warning(
                    "page %d: a %s annotation outside the text is untagged",
                    number,
                    annotation.get("Subtype"),
                )
                del annotation["StructParent"]


def _kid_object(node: _Node, kid, numbering: dict[_Content, int], pages: list):
    if isinstance(kid, _Node):
        kid.obj["P"] = node.obj.reference
        return kid.obj.reference
    if isinstance(kid, _Content):
        if node.page is None:
            node.page = kid.page
        if kid.page == node.page:
            return numbering[kid]
        return pydyf.Dictionary({"Type": "/MCR", "Pg": pages[kid.page], "MCID": numbering[kid]})
    return kid.obj.reference


def _mark_content(
    objects: _Objects, numbering: dict[_Content, int], running: dict[int, dict[int, str | None]]
) -> None:
    """Renumber MCIDs in the page content and turn margin-box content into artifacts."""
    renumber: dict[int, dict[int, int]] = {index: {} for index in range(len(objects.pages))}
    for content, new in numbering.items():
        renumber[content.page][content.mcid] = new
    for index, page in enumerate(objects.pages):
        artifacts = running.get(index, {})
        if artifacts or any(old != new for old, new in renumber[index].items()):
            _rewrite_marks(objects[page["Contents"]], index + 1, renumber[index], artifacts)


def _rewrite_marks(stream: pydyf.Stream, number: int, renumber: dict[int, int], artifacts) -> None:
    seen: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        mcid = int(match[2])
        seen.append(mcid)
        if mcid in artifacts:
            return _artifact(artifacts[mcid])
        if mcid not in renumber:
            raise BuildError(f"page {number}: marked content {mcid} belongs to no element")
        return b"/%s <</MCID %d>> BDC" % (match[1], renumber[mcid])

    data = _MARK.sub(replace, b"\n".join(pydyf._to_bytes(item) for item in stream.stream))
    if sorted(seen) != sorted([*renumber, *artifacts]):
        raise BuildError(
            f"page {number}: the marked content in the page does not match the structure tree; "
            "WeasyPrint's output has changed (see guidegen/pdf_finish.py)"
        )
    stream.stream = [data]


def _artifact(subtype: str | None) -> bytes:
    if subtype is None:
        return b"/Artifact <</Type /Pagination>> BDC"
    return b"/Artifact <</Type /Pagination /Subtype %s>> BDC" % subtype.encode("ascii")


def _empty_unreachable(pdf: pydyf.PDF) -> None:
    """Empty each object no longer reachable from the catalog (or the document information)."""
    objects = pdf.objects
    reached = [False] * len(objects)
    stack: list = [pdf.catalog, pdf.info]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is int or kind is float or value is None:
            continue
        if kind is bytes or kind is str:
            text = value if kind is bytes else value.encode("latin-1", "replace")
            if b" R" in text:
                for match in _REFERENCE.finditer(text):
                    number = int(match[1])
                    if number < len(objects) and not reached[number]:
                        reached[number] = True
                        stack.append(objects[number])
            continue
        if isinstance(value, pydyf.Object) and value.number is not None:
            reached[value.number] = True
        if isinstance(value, pydyf.Stream):
            stack.extend(value.extra.values())
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    for number, obj in enumerate(objects[1:], 1):
        if not reached[number]:
            _empty(obj)


def _empty(obj: pydyf.Object) -> None:
    if isinstance(obj, pydyf.Stream):
        obj.stream, obj.extra = [], {}
    elif isinstance(obj, dict | list):
        obj.clear()
    elif isinstance(obj, pydyf.String):
        obj.string = ""
