"""Build styles/reference.docx, the reference document the DOCX writer takes its styles from.

Like pandoc's reference.docx: users may replace the file with their own (keeping the style
names) to re-brand Word briefs. Run: python scripts/make_reference_docx.py [OUT]
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5B, 0x65, 0x70)
WARN = RGBColor(0x9A, 0x34, 0x12)
FONT = "Arial"
CJK_FONT = "Noto Sans CJK SC"


def set_font(style, size=None, bold=None, color=None, italic=None):
    f = style.font
    f.name = FONT
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), FONT)
    rfonts.set(qn("w:eastAsia"), CJK_FONT)
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(a), None)
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if color is not None:
        f.color.rgb = color


def main(out: Path) -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.0)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    st = doc.styles
    set_font(st["Normal"], 9.5)
    st["Normal"].paragraph_format.space_after = Pt(3)
    st["Normal"].paragraph_format.line_spacing = 1.15
    set_font(st["Title"], 20, True, ACCENT)
    st["Title"].paragraph_format.space_after = Pt(4)
    # python-docx's default Title has a bottom border and theme colour; keep it simple
    ppr = st["Title"].element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)
    set_font(st["Subtitle"], 8, False, MUTED, italic=False)
    st["Subtitle"].font.all_caps = True
    for name, size in (("Heading 1", 12.5), ("Heading 2", 10.5), ("Heading 3", 9.5)):
        set_font(st[name], size, True, ACCENT)
        st[name].paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        st[name].paragraph_format.space_after = Pt(4)
        st[name].paragraph_format.keep_with_next = True
    set_font(st["List Bullet"], 9.5)
    st["List Bullet"].paragraph_format.space_after = Pt(3)
    set_font(st["Caption"], 8, False, MUTED)
    for name in ("Header", "Footer"):
        set_font(st[name], 7.5, False, MUTED)
    # character styles used by the writer
    cite = st.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    cite.font.size = Pt(7.5)
    cite.font.color.rgb = ACCENT
    tag = st.add_style("Language Tag", WD_STYLE_TYPE.CHARACTER)
    tag.font.size = Pt(6.5)
    tag.font.color.rgb = MUTED
    tag.font.all_caps = True
    mark = st.add_style("Marking", WD_STYLE_TYPE.PARAGRAPH)
    mark.base_style = st["Normal"]
    set_font(mark, 8, True, WARN)
    mark.font.all_caps = True
    hl = st["Hyperlink"] if "Hyperlink" in [s.name for s in st] else st.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hl.font.color.rgb = ACCENT
    hl.font.underline = True
    # the body of a reference document is not used, only its styles, page setup and headers
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    cp = doc.core_properties
    cp.title, cp.author, cp.comments = "briefgen reference document", "briefgen", "Styles for DOCX briefs"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "styles" / "reference.docx")
