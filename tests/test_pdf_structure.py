"""PDF/UA structure after guidegen's finishing pass: artifacts, unsplit elements, links, RTL, forms.

Small documents rendered with render_pdf reproduce each case on A6 pages; the tiny project's PDFs
show that real guides keep the same facts.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

import guidegen.pdf_finish
from guidegen.errors import BuildError
from guidegen.pdf import MEMORY_SCHEME, install_tagging_hooks, make_fetcher, qr_svg, render_pdf
from guidegen.pdf_finish import TaggingRecord, finish_structure, identify

from .pdf_facts import (
    all_struct_elems,
    element_text,
    marked_content,
    mcid_texts,
    parent_tree,
    plain,
    struct_tree,
)

REPO = Path(__file__).resolve().parent.parent
QR = f"{MEMORY_SCHEME}:qr.svg"
ITEMS = 40

STYLE = """
@page { size: A6; margin: 14mm 10mm 18mm;
  @top-right { content: "Header text"; font-size: 7pt }
  @bottom-center { content: element(footer) } }
.running-footer { position: running(footer); font-size: 7pt; border-top: .5pt solid #777 }
.page-n::after { content: counter(page) }
body { font-size: 9pt }
.tick { display: inline-block; width: 3mm; height: 3mm; border: .5pt solid #000 }
.blank-line { display: inline-block; width: 30mm; border-bottom: .5pt solid #000 }
.new-page { break-before: page }
input, textarea { display: block; width: 60mm; height: 8mm }
"""
LONG_PARAGRAPH = " ".join(
    f"Sentence {n} of the letter, which goes on for a while." for n in range(60)
)
STRUCTURE_HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Structure test</title>
<style>{STYLE}</style></head><body>
<div class="running-footer" aria-hidden="true">Footer text · Page <span class="page-n"></span></div>
<h1 id="top">Structure test</h1>
<section aria-labelledby="h-list"><h2 id="h-list">A long list</h2>
<ul class="checklist">{
    "".join(
        f'<li><span class="tick" aria-hidden="true"></span> <span>List item {n}</span></li>'
        for n in range(1, ITEMS + 1)
    )
}</ul>
</section>
<section aria-labelledby="h-steps"><h2 id="h-steps">Steps</h2>
<ol class="steps">
<li id="step-first"><h3>Step 1: Ask the court</h3><p>First step text.</p>
<p class="new-page">The first step goes on after a page break.</p></li>
<li id="step-second"><h3>Step 2: Wait</h3><p>Read <a href="#step-first">the first step</a>, then
<a href="#source-rule-one">Rule One</a> and <a href="https://example.test/rules">the rules
online</a>.</p></li>
</ol></section>
<section aria-labelledby="h-letter"><h2 id="h-letter">Letter templates</h2>
<article class="letter" aria-labelledby="h-l1"><h3 id="h-l1">A letter</h3>
<p class="long">{LONG_PARAGRAPH}</p>
<p>Name: <span class="blank"><span class="blank-line"></span>
<span class="blank-label">your name</span></span></p>
<input type="text" name="full-name" title="Your full name">
<textarea name="reasons" title="Your reasons"></textarea>
</article></section>
<section aria-labelledby="h-sources"><h2 id="h-sources">Sources</h2>
<ol class="sources"><li id="source-rule-one">Rule One on Lists, article 3. The court.</li></ol>
</section>
<img src="{QR}" alt="QR code linking to https://example.test/" width="80" height="80">
</body></html>"""

UG_EDITION = "نەشرى: 2026.1 · 2027-يىلى 20-ماي"
UG_CONTACT = "تېلېفون: 12348 ، تور بېكەت: 12348.gov.cn"
UG_TERM = "بۇ <span lang='zh-Hans'>失信被执行人名单</span> دېگەن تىزىملىك."
UG_CITE = "مەنبە: <a href='#source-one'>ئىجرا قانۇنى</a>، 10-ماددا."
UG_SOURCE = "ئىجرا قانۇنى، 2017-يىلى 1-ئىيۇل."
UG_LONG = " ".join(
    f"{n}-ماددا: ئىلتىماسنى 2027-يىلى 20-مايدىن بۇرۇن 15 كۈن ئىچىدە سوتقا يوللاڭ."
    for n in range(1, 6)
)
UYGHUR_HTML = f"""<!DOCTYPE html>
<html lang="ug" dir="rtl"><head><meta charset="utf-8"><title>سىناق</title>
<style>{STYLE} body {{ font-family: "Noto Sans Arabic", "Noto Sans", "Noto Sans CJK SC" }}</style>
</head><body>
<div class="running-footer" aria-hidden="true">سىناق · <span dir="ltr">Page
<span class="page-n"></span></span></div>
<h1>ئىناۋەتسىز ئىجراچىلار تىزىملىكى</h1>
<p class="edition">{UG_EDITION}</p>
<p class="contact">{UG_CONTACT}</p>
<p class="term">{UG_TERM}</p>
<p class="long">{UG_LONG}</p>
<p>تور بېكەت: <a href="https://12348.gov.cn">12348.gov.cn</a></p>
<p class="cite">{UG_CITE}</p>
<ol><li id="source-one">{UG_SOURCE}</li></ol>
</body></html>"""


def _render(html: str, folder: Path, direction: str = "ltr", forms: bool = False) -> Path:
    memory = {QR: qr_svg("https://example.test/")}
    data = render_pdf(html, folder, make_fetcher([folder], memory), "test-id", direction, forms)
    path = folder / ("rtl.pdf" if direction == "rtl" else "ltr.pdf")
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def structure_pdf(tmp_path_factory) -> Path:
    return _render(STRUCTURE_HTML, tmp_path_factory.mktemp("structure"), forms=True)


@pytest.fixture(scope="module")
def uyghur_pdf(tmp_path_factory) -> Path:
    return _render(UYGHUR_HTML, tmp_path_factory.mktemp("uyghur"), "rtl")


@pytest.fixture(scope="module")
def unfinished_uyghur_pdf(tmp_path_factory) -> Path:
    """The same Uyghur document as WeasyPrint wrote it, before the finishing pass."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guidegen.pdf_finish, "finish_structure", lambda pdf, record: None)
        return _render(UYGHUR_HTML, tmp_path_factory.mktemp("unfinished"), "rtl")


@pytest.fixture(params=["structure", "uyghur", "tiny-en", "tiny-zh-Hans-large"])
def any_pdf(request, structure_pdf, uyghur_pdf, tiny_build) -> Path:
    return {
        "structure": structure_pdf,
        "uyghur": uyghur_pdf,
        "tiny-en": tiny_build / "site/en/leave-list/leave-list.en.pdf",
        "tiny-zh-Hans-large": tiny_build / "site/zh-Hans/leave-list/leave-list.zh-Hans.large.pdf",
    }[request.param]


def _elements(pdf: pikepdf.Pdf, role: str, glyphs, containing: str):
    return [
        element
        for element in struct_tree(pdf)
        if element.role == role and containing in element_text(element, glyphs)
    ]


# 1. Running content is artifact; everything else is reachable from the root.


def test_every_mark_is_an_artifact_or_reachable_from_the_root(any_pdf):
    with pikepdf.open(any_pdf) as pdf:
        tree = struct_tree(pdf)
        reachable = [mark for element in tree for mark in element.marks]
        marks, unmarked = marked_content(pdf)
        assert not unmarked, f"drawing outside any marked content: {unmarked[:5]}"
        in_stream = [(m.page, m.mcid) for m in marks if m.mcid is not None and not m.in_artifact]
        assert sorted(in_stream) == sorted(reachable)
        assert len(set(reachable)) == len(reachable), "an MCID belongs to two elements"
        assert all(m.in_artifact or m.mcid is not None or not m.shows_text for m in marks)
        assert not [m for m in marks if m.tag == "/Artifact" and m.in_tagged], "artifact in content"


def test_no_structure_element_is_unreachable_and_the_parent_tree_matches(any_pdf):
    with pikepdf.open(any_pdf) as pdf:
        tree = struct_tree(pdf)
        assert all_struct_elems(pdf) == {element.obj.objgen for element in tree}
        numbers = parent_tree(pdf)
        for element in tree:
            for page, mcid in element.marks:
                assert numbers[page][mcid].objgen == element.obj.objgen
            for annotation in element.annotations:
                assert numbers[int(annotation.StructParent)].objgen == element.obj.objgen
            if element.parent is not None:
                assert element.obj.P.objgen == element.parent.obj.objgen
        counts = {page: len(numbers[page]) for page in range(len(pdf.pages))}
        owned = {page: 0 for page in counts}
        for element in tree:
            for page, _ in element.marks:
                owned[page] += 1
        assert counts == owned, "the ParentTree lists MCIDs that no element holds"
        assert all("/GuidegenElement" not in element.obj for element in tree)


def test_running_footer_and_header_are_pagination_artifacts(structure_pdf):
    with pikepdf.open(structure_pdf) as pdf:
        marks, _ = marked_content(pdf)
        pages = len(pdf.pages)
    for subtype in ("/Footer", "/Header"):
        on_pages = {
            m.page
            for m in marks
            if m.tag == "/Artifact"
            and m.shows_text
            and isinstance(m.properties, pikepdf.Dictionary)
            and m.properties.get("/Type") == "/Pagination"
            and m.properties.get("/Subtype") == subtype
        }
        assert on_pages == set(range(pages)), subtype
    printed = subprocess.run(
        ["pdftotext", str(structure_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    tagged = subprocess.run(
        ["pdfinfo", "-struct-text", str(structure_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Footer text · Page 2" in printed and "Header text" in printed
    assert "Footer text" not in tagged and "Header text" not in tagged
    assert "List item 1" in tagged  # poppler reads the tree: the body text is there


# 2. One structure element per HTML element across page breaks.


def test_a_list_crossing_pages_is_one_l_with_one_lbl_and_one_lbody_per_item(structure_pdf):
    glyphs = mcid_texts(structure_pdf)
    with pikepdf.open(structure_pdf) as pdf:
        lists = _elements(pdf, "/L", glyphs, "List item 1")
        assert len(lists) == 1
        items = lists[0].kids
        assert len({page for page, _ in lists[0].all_marks()}) >= 2, "the list must cross a page"
        assert [kid.role for kid in items] == ["/LI"] * ITEMS
        for number, item in enumerate(items, 1):
            roles = [kid.role for kid in item.kids]
            assert roles == ["/Lbl", "/LBody"], (number, roles)
            assert element_text(item.kids[1], glyphs).strip() == f"List item {number}"


def test_an_item_continued_on_the_next_page_keeps_its_label_and_one_body(structure_pdf):
    glyphs = mcid_texts(structure_pdf)
    with pikepdf.open(structure_pdf) as pdf:
        (item,) = _elements(pdf, "/LI", glyphs, "Step 1: Ask the court")
        assert [kid.role for kid in item.kids] == ["/Lbl", "/LBody"]
        body = item.kids[1]
        assert len({page for page, _ in body.all_marks()}) == 2
        assert "goes on after a page break" in element_text(body, glyphs)
        (steps,) = _elements(pdf, "/L", glyphs, "Step 1: Ask the court")
        assert len(steps.kids) == 2


def test_sections_letters_and_paragraphs_crossing_pages_are_one_element(structure_pdf):
    glyphs = mcid_texts(structure_pdf)
    with pikepdf.open(structure_pdf) as pdf:
        tree = struct_tree(pdf)
        sections = [element for element in tree if element.role == "/Sect"]
        assert len(sections) == STRUCTURE_HTML.count("<section")
        assert max(len({page for page, _ in sect.all_marks()}) for sect in sections) >= 2
        (letter,) = [element for element in tree if element.role == "/Art"]
        assert len({page for page, _ in letter.all_marks()}) >= 2
        (paragraph,) = _elements(pdf, "/P", glyphs, "Sentence 0 of the letter")
        assert len({page for page, _ in paragraph.all_marks()}) >= 2
        # glyph runs lose the spaces at line ends: compare without whitespace
        assert "".join(element_text(paragraph, glyphs).split()) == "".join(LONG_PARAGRAPH.split())
        assert paragraph.obj.objgen in {element.obj.objgen for element in letter.descendants()}


def test_an_element_holding_runs_on_two_pages_refers_to_the_other_page_by_mcr(tmp_path):
    words = " ".join(f"word{n}" for n in range(400))
    html = (
        '<html lang="en"><head><title>t</title><style>@page { size: A7 }</style></head><body>'
        f'<a href="https://example.test/" style="display: block">{words}</a></body></html>'
    )
    path = _render(html, tmp_path)
    with pikepdf.open(path) as pdf:
        page_of = {page.objgen: index for index, page in enumerate(pdf.pages)}
        (link,) = [element for element in struct_tree(pdf) if element.role == "/Link"]
        own_page = page_of[link.obj.Pg.objgen]
        mcrs = [
            kid
            for kid in link.obj.K
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"
        ]
        integers = [kid for kid in link.obj.K if isinstance(kid, int)]
        assert integers and mcrs
        assert all(page_of[mcr.Pg.objgen] != own_page for mcr in mcrs)
        assert len(link.annotations) == len(pdf.pages) >= 2


# 3. Links are described for people and sit inside their Link element.


def test_links_have_a_human_description_and_sit_under_a_link_element(any_pdf):
    with pikepdf.open(any_pdf) as pdf:
        tree = struct_tree(pdf)
        holders = {
            annotation.objgen: element for element in tree for annotation in element.annotations
        }
        links = [
            annotation
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.Subtype == "/Link"
        ]
        names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        ids = {str(name) for name in names[::2]}
        assert links
        for link in links:
            description = str(link.get("/Contents", "")).strip()
            assert description and description not in ids, description
            assert description != str(link.get("/Dest", ""))
            assert holders[link.objgen].role == "/Link"


def test_internal_links_describe_their_target(structure_pdf):
    with pikepdf.open(structure_pdf) as pdf:
        contents = {
            str(annotation.get("/Dest", annotation.get("/A", {}).get("/URI", ""))): str(
                annotation.Contents
            )
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.Subtype == "/Link"
        }
    assert contents["step-first"] == "Step 1: Ask the court"
    assert contents["source-rule-one"] == "Rule One on Lists, article 3. The court."
    assert contents["https://example.test/rules"] == "the rules online"


def test_a_link_split_over_two_lines_is_one_link_element_with_both_annotations(tmp_path):
    html = (
        '<html lang="en"><head><title>t</title><style>body { width: 40mm }</style></head><body>'
        '<p>See <a href="https://example.test/a-long-link">a link whose words wrap over '
        "two lines</a>.</p></body></html>"
    )
    path = _render(html, tmp_path)
    with pikepdf.open(path) as pdf:
        (link,) = [element for element in struct_tree(pdf) if element.role == "/Link"]
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(annotations) >= 2
        assert {a.objgen for a in link.annotations} == {a.objgen for a in annotations}


# 4. Decoration makes no empty tags; figures stay.


def test_no_structure_element_is_empty_and_the_figure_keeps_its_alt(any_pdf):
    with pikepdf.open(any_pdf) as pdf:
        tree = struct_tree(pdf)
        empty = [element.role for element in tree if not element.content]
        assert not empty
        figures = [element for element in tree if element.role == "/Figure"]
        if any_pdf.name != "rtl.pdf":
            assert figures and all(str(figure.obj.get("/Alt", "")) for figure in figures)


# 5. Right-to-left text has its logical order.


@pytest.mark.parametrize("source", [UG_EDITION, UG_CONTACT, UG_TERM, UG_CITE, UG_LONG])
def test_rtl_paragraphs_read_in_logical_order_from_the_structure(uyghur_pdf, source):
    logical = plain(re.sub(r"<[^>]+>", "", source))
    glyphs = mcid_texts(uyghur_pdf)
    with pikepdf.open(uyghur_pdf) as pdf:
        paragraphs = [plain(element_text(e, glyphs)) for e in struct_tree(pdf) if e.role == "/P"]
    assert logical in paragraphs


def _pdfjs_paragraphs(path: Path) -> list[str]:
    """Return the text of each /P as Firefox's PDF viewer exposes it to screen readers."""
    script = r"""
    if (!Promise.withResolvers) Promise.withResolvers = () => {
      let resolve, reject;
      const promise = new Promise((a, b) => { resolve = a; reject = b; });
      return { promise, resolve, reject };
    };
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const doc = await getDocument({ url: process.argv[1], verbosity: 0 }).promise;
    const out = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const texts = {}, stack = [];
      for (const item of content.items) {
        if (item.type?.startsWith("beginMarkedContent")) stack.push(item.id ?? null);
        else if (item.type === "endMarkedContent") stack.pop();
        else { const id = stack.findLast(x => x); if (id) texts[id] = (texts[id] ?? "") + item.str; }
      }
      const read = node => node.alt ?? (node.type === "content" ? texts[node.id] ?? ""
        : (node.children ?? []).map(read).join(""));
      const collect = node => node.role === "P" ? out.push(read(node))
        : (node.children ?? []).forEach(collect);
      collect(await page.getStructTree());
    }
    console.log(JSON.stringify(out));
    """
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [plain(text) for text in json.loads(result.stdout)]


@pytest.mark.skipif(
    shutil.which("node") is None or not (REPO / "node_modules" / "pdfjs-dist").is_dir(),
    reason="pdf.js is not installed (npm install pdfjs-dist)",
)
@pytest.mark.parametrize("source", [UG_EDITION, UG_CONTACT, UG_TERM, UG_CITE, UG_LONG])
def test_rtl_paragraphs_read_in_logical_order_in_pdfjs(uyghur_pdf, source):
    assert plain(re.sub(r"<[^>]+>", "", source)) in _pdfjs_paragraphs(uyghur_pdf)


def test_glyph_extractors_see_the_same_text_before_and_after_the_pass(
    uyghur_pdf, unfinished_uyghur_pdf
):
    # /ActualText on marked content would make pdftotext and PDFium reverse Uyghur words.
    def pdftotext(path):
        command = ["pdftotext", str(path), "-"]
        return plain(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    from pypdf import PdfReader

    def pypdf_text(path):
        return plain(" ".join(page.extract_text() for page in PdfReader(str(path)).pages))

    assert pdftotext(uyghur_pdf) == pdftotext(unfinished_uyghur_pdf)
    assert pypdf_text(uyghur_pdf) == pypdf_text(unfinished_uyghur_pdf)
    assert "12348" in pdftotext(uyghur_pdf) and "نەشرى" in pdftotext(uyghur_pdf)
    with pikepdf.open(uyghur_pdf) as pdf:
        marks, _ = marked_content(pdf)
    assert not [
        m
        for m in marks
        if isinstance(m.properties, pikepdf.Dictionary) and "/ActualText" in m.properties
    ]


def test_an_rtl_link_keeps_its_annotation_beside_its_logical_text(uyghur_pdf):
    with pikepdf.open(uyghur_pdf) as pdf:
        (link,) = [
            element
            for element in struct_tree(pdf)
            if element.role == "/Link" and element.annotations[0].get("/Dest") == "source-one"
        ]
        assert str(link.annotations[0].Contents) == UG_SOURCE
        assert [str(kid.obj.ActualText) for kid in link.kids] == ["ئىجرا قانۇنى"]


def test_runs_without_rtl_characters_get_no_actual_text(uyghur_pdf):
    with pikepdf.open(uyghur_pdf) as pdf:
        texts = [str(e.obj.ActualText) for e in struct_tree(pdf) if "/ActualText" in e.obj]
    assert texts and all(re.search("[\u0600-\u06ff]", text) for text in texts)


# 6. Form fields.


def test_form_fields_have_a_label_and_sit_under_a_form_element(structure_pdf):
    with pikepdf.open(structure_pdf) as pdf:
        holders = {
            annotation.objgen: element
            for element in struct_tree(pdf)
            for annotation in element.annotations
        }
        widgets = [
            annotation
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.Subtype == "/Widget"
        ]
        assert {str(w.TU) for w in widgets} == {"Your full name", "Your reasons"}
        assert {str(w.FT) for w in widgets} == {"/Tx"}
        assert all(holders[w.objgen].role == "/Form" for w in widgets)
        assert len(pdf.Root.AcroForm.Fields) == 2


def test_forms_are_off_unless_asked_for(uyghur_pdf):
    with pikepdf.open(uyghur_pdf) as pdf:
        assert "/AcroForm" not in pdf.Root


# 7. /Lang on inner elements, inline spans included.


def test_an_inline_span_with_lang_is_one_span_element_with_lang(uyghur_pdf):
    glyphs = mcid_texts(uyghur_pdf)
    with pikepdf.open(uyghur_pdf) as pdf:
        spans = [e for e in struct_tree(pdf) if str(e.obj.get("/Lang", "")) == "zh-Hans"]
        assert [span.role for span in spans] == ["/Span"]
        assert plain(element_text(spans[0], glyphs)) == "失信被执行人名单"
        assert str(pdf.Root.Lang) == "ug"


def test_an_inline_span_wrapping_over_lines_is_still_one_span_with_lang(tmp_path):
    chinese = "最高人民法院关于公布失信被执行人名单信息的若干规定" * 2
    html = (
        '<html lang="en"><head><title>t</title><style>body { width: 35mm }</style></head><body>'
        f'<p>The official name is <span lang="zh-Hans">{chinese}</span> in Chinese.</p>'
        "</body></html>"
    )
    path = _render(html, tmp_path)
    glyphs = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        (span,) = [e for e in struct_tree(pdf) if str(e.obj.get("/Lang", "")) == "zh-Hans"]
        assert len(span.kids) >= 2, "the span must wrap over lines for this test"
        assert "".join(element_text(span, glyphs).split()) == chinese


# Kept from WeasyPrint: identification, metadata, outline, viewer preferences; determinism.


def test_pdf_ua_identification_title_lang_outline_and_direction_are_kept(uyghur_pdf):
    with pikepdf.open(uyghur_pdf) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert re.search(r"pdfuaid:part(>|=\")1", xmp), xmp
        assert str(pdf.docinfo.Title) == "سىناق"
        assert str(pdf.Root.Lang) == "ug"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.ViewerPreferences.Direction == "/R2L"
        assert pdf.Root.MarkInfo.Marked is True
        assert all(page.obj.Tabs == "/S" for page in pdf.pages)
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == ["ئىناۋەتسىز ئىجراچىلار تىزىملىكى"]
        assert bytes(pdf.trailer.ID[0]) == b"test-id"


def test_the_file_id_is_the_edition_identifier_and_an_md5_of_the_file_without_it(structure_pdf):
    data = structure_pdf.read_bytes()
    with pikepdf.open(structure_pdf) as pdf:
        first, second = (bytes(part) for part in pdf.trailer.ID)
    entry = re.search(rb"/ID \[\(test-id\) <([0-9a-f]{32})>\]", data)
    assert first == b"test-id" and entry and bytes.fromhex(entry[1].decode()) == second
    without = data[: entry.start()] + data[entry.end() :]
    assert hashlib.md5(without).digest() == second


def test_a_file_without_a_cross_reference_stream_gets_no_identifier_but_an_error():
    plain = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"
    with pytest.raises(BuildError, match="cross-reference stream"):
        identify(plain, b"x")


def test_rendering_twice_gives_the_same_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _render(STRUCTURE_HTML, tmp_path / "a", forms=True)
    second = _render(STRUCTURE_HTML, tmp_path / "b", forms=True)
    assert first.read_bytes() == second.read_bytes()


# Robustness: when WeasyPrint's internals change, builds fail instead of writing poor PDFs.


def test_a_changed_tagger_is_refused(monkeypatch):
    from weasyprint.pdf import tags

    monkeypatch.setattr(tags, "_build_box_tree", lambda box, parent, pdf: iter(()))
    with pytest.raises(BuildError, match="tagger"):
        install_tagging_hooks.__wrapped__()


def test_a_pdf_tagged_without_the_hooks_is_refused(tmp_path):
    from weasyprint import HTML

    document = HTML(string='<html lang="en"><title>t</title><p>Text</p></html>')
    with pytest.raises(BuildError, match="no element identity"):
        document.write_pdf(
            pdf_variant="pdf/ua-1",
            finisher=lambda _, pdf: finish_structure(pdf, TaggingRecord()),
        )


def test_a_tagger_that_stops_calling_itself_through_the_module_is_refused(monkeypatch, tmp_path):
    # Were WeasyPrint's recursion to bypass the module attribute, only some boxes would be hooked.
    from weasyprint.pdf import tags

    install_tagging_hooks()
    hooked = tags._build_box_tree
    unhooked = next(
        cell.cell_contents
        for cell in hooked.__closure__
        if getattr(cell.cell_contents, "__name__", "") == "_build_box_tree"
    )

    def sections_only(box, *args):
        top = box.element_tag in (None, "html", "body", "section")
        yield from (hooked if top else unhooked)(box, *args)

    monkeypatch.setattr(tags, "_build_box_tree", sections_only)
    with pytest.raises(BuildError, match="no element identity"):
        _render(STRUCTURE_HTML, tmp_path)
