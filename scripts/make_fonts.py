"""Make the packaged CJK font: a subset of Noto Sans CJK SC covering the common character sets.

Why: the full Noto Sans CJK SC (65,535 glyphs, 16 MB) cost ~4-13 s per CJK brief in WeasyPrint
(the font is parsed and subset with fontTools on every render) and made a 3-page brief > 300 KB.
The subset keeps what Chinese, Japanese and Korean news text uses in practice:

- GB 2312 (all 7,445 characters: 6,763 hanzi, symbols, kana, Cyrillic/Greek rows),
- JIS X 0208 (levels 1 and 2, via Shift_JIS; kana, symbols, 6,355 kanji),
- KS X 1001 (via EUC-KR: 2,350 hangul syllables, 4,888 hanja, symbols),
- CJK punctuation, fullwidth/halfwidth forms, kana and hangul jamo blocks,
- ASCII and Latin-1 (so CJK runs keep matching punctuation and digits).

Characters outside these sets (rare hanzi, hangul outside KS X 1001) are not covered: the PDF
writer then shows a visible ``[U+XXXX]`` marker and warns (see briefgen/writers/pdf.py), never a
box. Layout features: ccmp and kern only, no alternates (locl, vert); vertical metrics are dropped (briefs are
horizontal).

Source: NotoSansCJKsc-Regular.otf from https://github.com/notofonts/noto-cjk (Sans/OTF/
SimplifiedChinese, version 2.004), SIL Open Font License 1.1 (briefgen/fonts/OFL.txt; the OFL
allows modified versions; Noto declares no Reserved Font Name).

Run:  python scripts/make_fonts.py PATH/TO/NotoSansCJKsc-Regular.otf [OUT]
      (default OUT: briefgen/fonts/NotoSansCJKsc-Common.ttf)
"""
from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "briefgen" / "fonts" / "NotoSansCJKsc-Common.ttf"


def _double_byte_set(codec: str, lead: range, trail: range) -> set[int]:
    out: set[int] = set()
    for a in lead:
        for b in trail:
            try:
                ch = bytes((a, b)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out.add(ord(ch))
    return out


def codepoints() -> set[int]:
    cps: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    cps |= _double_byte_set("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))  # GB 2312
    cps |= _double_byte_set("euc_kr", range(0xA1, 0xFE), range(0xA1, 0xFF))  # KS X 1001
    cps |= _double_byte_set("shift_jis", list(range(0x81, 0xA0)) + list(range(0xE0, 0xF0)), range(0x40, 0xFD))  # JIS X 0208
    for lo, hi in ((0x3000, 0x303F), (0x3040, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF),
                   (0xFF00, 0xFFEF), (0x2010, 0x2027), (0x2030, 0x205E), (0x3200, 0x32FF)):
        cps |= set(range(lo, hi + 1))
    return cps


def _cff_to_glyf(font) -> None:
    """Convert CFF outlines to TrueType (quadratic) outlines, as fontTools' otf2ttf snippet does.

    WeasyPrint subsets every embedded font with fontTools on each render, keeping glyph ids; for
    a CFF font that means desubroutinising and re-measuring every glyph up to the highest one
    used (~1-2 s per CJK face), for a glyf font it copies only the used glyphs (~0.1 s).
    Layout tables are dropped too: CJK text needs no kerning or contextual forms here, and the
    subsetter otherwise decompiles them on every render.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    for tag in ("VORG", "GSUB", "GPOS", "GDEF", "BASE"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


def main(src: Path, out: Path = OUT) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(src))
    cmap = font.getBestCmap()
    wanted = sorted(cp for cp in codepoints() if cp in cmap)
    opts = subset.Options()
    opts.layout_features = ["ccmp", "kern"]
    opts.layout_closure = False  # no locl/vertical alternates: the default SC glyphs only
    opts.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=wanted)
    sub.subset(font)
    _cff_to_glyf(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    print(f"{out}: {len(wanted)} characters, {font['maxp'].numGlyphs} glyphs, {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else OUT)
