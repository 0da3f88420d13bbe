"""Chinese fonts are embedded as compact CID-keyed CFF subsets (guidegen/pdf_fonts.py).

Each PDF of the tiny project is rendered twice from the same job: as guidegen writes it and with
WeasyPrint's own subsets (which keep every glyph slot of the font). Both must draw the same pixels
in poppler and MuPDF and extract the same text: a subset whose CIDs did not lead to the glyphs the
page's text names would draw other characters.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import uharfbuzz as hb
from fontTools.cffLib import CFFFontSet
from PIL import ImageChops

import guidegen.pdf
from guidegen.commands.build import BuildOptions
from guidegen.commands.build_stages import heavy_jobs
from guidegen.pdf_fonts import cid_keyed_subset

from .conftest import FIXTURES

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


@pytest.fixture(scope="module")
def renderings(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """Each PDF's path -> (as guidegen writes it, with WeasyPrint's own font subsets)."""
    root = tmp_path_factory.mktemp("fonts") / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    jobs = heavy_jobs(BuildOptions(project=root, out=root / "out", jobs=1))
    compact = {job.path: job.run().data for job, _ in jobs}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guidegen.pdf, "cid_keyed_subset", lambda *args, **kwargs: None)
        plain = {job.path: job.run().data for job, _ in jobs}
    return {path: (compact[path], plain[path]) for path in compact}


def _cjk_fonts(data: bytes) -> list[tuple[str, set[int], bytes, str]]:
    """(BaseFont, CIDs used, embedded program, its subtype) of each Noto Sans CJK font."""
    found = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                if "CJK" in str(font.get("/BaseFont", "")) and "/DescendantFonts" in font:
                    cid_font = font.DescendantFonts[0]
                    program = cid_font.FontDescriptor.FontFile3
                    found[str(font.BaseFont)] = (
                        _widths(cid_font),
                        program.read_bytes(),
                        str(program.Subtype),
                    )
    return [(name, *found[name]) for name in sorted(found)]


def _widths(cid_font) -> set[int]:
    """The CIDs the CIDFont's /W array gives widths for (every glyph the text uses)."""
    cids, items = set(), list(cid_font.W)
    while items:
        first, widths = int(items.pop(0)), items.pop(0)
        cids.update(range(first, first + len(widths)))
    return cids


def test_chinese_fonts_are_compact_cid_keyed_cff_subsets(renderings):
    for path, (compact, plain) in renderings.items():
        fonts = _cjk_fonts(compact)
        assert fonts, f"{path}: no Noto Sans CJK font (every tiny PDF has a Chinese letter)"
        for name, used, program, subtype in fonts:
            assert subtype == "/CIDFontType0C", (path, name)
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(program), None)
            top = cff.topDictIndex[0]
            assert hasattr(top, "ROS"), (path, name)  # CID-keyed
            # Exactly the glyphs the text uses, each under the CID the page's text names.
            assert list(top.charset) == [".notdef"] + [f"cid{c:05d}" for c in sorted(used - {0})]
            assert len(program) < 100_000, (path, name, len(program))
        # WeasyPrint's own subsets keep every glyph slot up to the highest one used.
        assert len(compact) * 3 < len(plain), path


def _poppler(pdf: Path, folder: Path) -> list[str]:
    return ["pdftoppm", "-r", "60", "-gray", str(pdf), str(folder / "page")]


def _mupdf(pdf: Path, folder: Path) -> list[str]:
    return [
        "mutool",
        "draw",
        "-q",
        "-r",
        "60",
        "-c",
        "gray",
        "-o",
        str(folder / "page-%d.pgm"),
        str(pdf),
    ]


def _draw(data: bytes, folder: Path, command) -> list[bytes]:
    """The pixels of each page, drawn by the command (grey, 60 dpi)."""
    folder.mkdir()
    pdf = folder / "file.pdf"
    pdf.write_bytes(data)
    subprocess.run(command(pdf, folder), check=True, capture_output=True, timeout=120)
    pages = sorted(folder.glob("page-*"), key=lambda page: int(page.stem.rsplit("-", 1)[1]))
    assert pages, f"{command.__name__} drew no page"
    return [page.read_bytes() for page in pages]


@pytest.mark.parametrize("command", [_poppler, _mupdf], ids=["poppler", "mupdf"])
def test_pages_draw_the_same_as_with_weasyprints_subsets(renderings, tmp_path, command):
    for number, (path, (compact, plain)) in enumerate(sorted(renderings.items())):
        ours = _draw(compact, tmp_path / f"ours{number}", command)
        theirs = _draw(plain, tmp_path / f"theirs{number}", command)
        assert len(ours) == len(theirs), path
        differing = [
            page for page, (a, b) in enumerate(zip(ours, theirs, strict=True), 1) if a != b
        ]
        assert not differing, f"{path}: pages {differing} draw other pixels"


def test_pdfium_draws_the_same_glyphs_as_with_weasyprints_subsets(renderings):
    # PDFium (Chrome's and Android's PDF viewer) anti-aliases the edges of a bare CFF program's
    # glyphs a little differently (by at most 25 of 255 grey levels, seen here); another glyph
    # would change pixels by far more.
    import pypdfium2

    for path, (compact, plain) in sorted(renderings.items()):
        ours, theirs = pypdfium2.PdfDocument(compact), pypdfium2.PdfDocument(plain)
        assert len(ours) == len(theirs), path
        for number in range(len(ours)):
            a = ours[number].render(scale=1).to_pil().convert("L")
            b = theirs[number].render(scale=1).to_pil().convert("L")
            changed = sum(ImageChops.difference(a, b).histogram()[64:])
            assert changed == 0, f"{path}: page {number + 1}: {changed} pixels differ"


def test_text_extracts_the_same_as_with_weasyprints_subsets(renderings, tmp_path):
    for path, (compact, plain) in renderings.items():
        texts = []
        for name, data in (("ours", compact), ("theirs", plain)):
            pdf = tmp_path / f"{name}.pdf"
            pdf.write_bytes(data)
            texts.append(
                subprocess.run(
                    ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
                ).stdout
            )
        assert "申请" in texts[0] and texts[0] == texts[1], path


def _glyphs(font: hb.Font, text: str) -> set[int]:
    return {font.get_nominal_glyph(ord(character)) for character in text}


def test_subset_keeps_the_cids_of_a_cid_keyed_font():
    content = CJK_FONT.read_bytes()
    font = hb.Font(hb.Face(hb.Blob(content), 2))  # Noto Sans CJK SC in the collection
    glyphs = _glyphs(font, "申请人撤销失信名单")
    subset, program = cid_keyed_subset(content, 2, glyphs, hinting=False)
    assert subset[:4] == b"OTTO"
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    assert list(cff.topDictIndex[0].charset) == [".notdef"] + [
        f"cid{g:05d}" for g in sorted(glyphs)
    ]


def test_fonts_that_are_not_cid_keyed_by_glyph_id_keep_weasyprints_subset():
    # TrueType outlines: no CFF program.
    assert cid_keyed_subset(LATIN_FONT.read_bytes(), 0, {1, 2, 3}, hinting=False) is None
    # A CID-keyed font whose CIDs are not its glyph ids (such as a compact subset itself, or a
    # font with an Adobe-Japan1 character collection): the page's text would name other glyphs.
    content = CJK_FONT.read_bytes()
    glyphs = _glyphs(hb.Font(hb.Face(hb.Blob(content), 2)), "申请人")
    subset, _ = cid_keyed_subset(content, 2, glyphs, hinting=False)
    assert cid_keyed_subset(subset, 0, {1, 2}, hinting=False) is None
    # Not a font at all.
    assert cid_keyed_subset(b"OTTO" + b"\0" * 60, 0, {1}, hinting=False) is None


def _identity_font(registry_ordering: tuple[str, str]) -> bytes:
    """A small CID-keyed CFF font whose CIDs are its glyph ids, with the given collection."""
    from fontTools.ttLib import TTFont

    content = CJK_FONT.read_bytes()
    glyphs = _glyphs(hb.Font(hb.Face(hb.Blob(content), 2)), "申请人")
    subset, _ = cid_keyed_subset(content, 2, glyphs, hinting=False)
    font = TTFont(io.BytesIO(subset))
    top = font["CFF "].cff.topDictIndex[0]
    old = font.getGlyphOrder()
    new = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(old))]
    strings = top.CharStrings.charStrings
    top.CharStrings.charStrings = {n: strings[o] for o, n in zip(old, new, strict=True)}
    top.charset = new
    font["hmtx"].metrics = {n: font["hmtx"].metrics[o] for o, n in zip(old, new, strict=True)}
    font.setGlyphOrder(new)
    top.ROS = (*registry_ordering, 0)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def test_only_the_adobe_identity_collection_is_embedded_as_cid_keyed():
    # WeasyPrint's CIDFont dictionary declares Adobe-Identity-0: a font of another character
    # collection (Adobe-Japan1, say) keeps WeasyPrint's subset, even with CIDs equal to ids.
    assert cid_keyed_subset(_identity_font(("Adobe", "Identity")), 0, {1, 2}, hinting=False)
    assert cid_keyed_subset(_identity_font(("Adobe", "Japan1")), 0, {1, 2}, hinting=False) is None


def test_an_unknown_weasyprint_subsetter_stops_the_build_before_any_hook_is_installed():
    # Fresh process: the hooks are installed once per process.
    script = """
import weasyprint.pdf as writer
from weasyprint.pdf.fonts import Font
from guidegen.errors import BuildError
from guidegen.pdf import install_font_hooks
before = writer.build_fonts_dictionary
Font.subset = lambda self, to_unicode: None  # a WeasyPrint whose subsetter changed
try:
    install_font_hooks()
except BuildError as error:
    print(error)
print("unwrapped" if writer.build_fonts_dictionary is before else "wrapped")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.splitlines() == [
        "this WeasyPrint's font subsetter (weasyprint.pdf.fonts.Font.subset) is not the one "
        "guidegen's font hooks were written for; update guidegen/pdf.py",
        "unwrapped",
    ]
