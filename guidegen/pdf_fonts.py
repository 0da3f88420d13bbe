"""Compact subsets of CID-keyed CFF fonts (Noto Sans CJK) for the PDFs.

WeasyPrint (up to at least 70) subsets every font with HarfBuzz keeping glyph ids, then keeps every
glyph slot up to the highest one used: a subset of Noto Sans CJK keeps its 63,000 slots with their
metrics, about 160 KB compressed per weight even for the few Chinese characters of an English
guide's letter sheet. In a CID-keyed CFF font a glyph is found by its CID, which the font's charset
gives and which a subset keeps, so the slots need not be kept: this module subsets such a font
with HarfBuzz (uharfbuzz) without keeping glyph ids and embeds its bare CFF program
(/FontFile3 /Subtype /CIDFontType0C). The CIDs in the page's text, its widths (/W) and its
ToUnicode map are WeasyPrint's, unchanged. Fonts of any other kind keep WeasyPrint's subset.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

# Tables the bare CFF program does not need; dropping them first saves subsetting them.
_DROP = ("BASE", "DSIG", "GDEF", "GPOS", "GSUB", "JSTF", "SVG ", "VORG", "kern", "vhea", "vmtx")


def _tag(name: str) -> int:
    """An OpenType tag as HarfBuzz's sets hold it (uharfbuzz has no hb_tag_from_string)."""
    return int.from_bytes(name.encode("ascii"), "big")


def cid_keyed_subset(
    content: bytes, index: int, glyphs: Iterable[int], *, hinting: bool
) -> tuple[bytes, bytes] | None:
    """Return the font subset to these glyph ids and its bare CFF program, or None.

    None when the font is not a CID-keyed CFF font whose CIDs are its glyph ids (what WeasyPrint
    writes in the page's text), or when HarfBuzz cannot subset it: the caller keeps WeasyPrint's
    own subset then.
    """
    import uharfbuzz as hb

    kept = sorted({0, *glyphs})
    face = hb.Face(hb.Blob(content), index)
    if "CFF " not in face.table_tags:
        return None
    subset_input = hb.SubsetInput()
    subset_input.glyph_set.update(kept)
    drop = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    drop.update(_tag(name) for name in _DROP)
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    subset_input.flags = flags
    try:
        subset = hb.subset(face, subset_input)
    except RuntimeError:  # what uharfbuzz raises when HarfBuzz cannot subset the font
        logger.debug("HarfBuzz could not subset a CFF font", exc_info=True)
        return None
    program = subset.reference_table("CFF ").data
    return (subset.blob.data, program) if _cids_are(program, kept) else None


def _cids_are(program: bytes, glyphs: list[int]) -> bool:
    """Whether the CFF program is CID-keyed with the Adobe-Identity collection (what WeasyPrint's
    CIDFont dictionary declares) and its glyphs' CIDs are these ids, in order."""
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    try:
        fonts.decompile(io.BytesIO(program), None)
        top = fonts.topDictIndex[0]
        if tuple(getattr(top, "ROS", ())[:2]) != ("Adobe", "Identity"):
            return False
        charset = top.charset
    except Exception:  # fontTools raises many kinds on a malformed program
        logger.debug("cannot read a subset CFF program", exc_info=True)
        return False
    # fontTools names a CID-keyed font's glyphs cidNNNNN after their CIDs; .notdef is CID 0.
    expected = [".notdef" if gid == 0 else f"cid{gid:05d}" for gid in glyphs]
    return list(charset) == expected
