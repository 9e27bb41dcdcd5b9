"""Build styles/reference.docx, the reference document the DOCX writer takes its styles from.

Like pandoc's reference.docx: users may replace the file with their own (keeping the style
names) to re-brand Word briefs, or edit the styles in Word itself.
Run: python scripts/make_reference_docx.py [OUT] [--accent RRGGBB] [--font NAME]
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5B, 0x65, 0x70)
WARN = RGBColor(0x9A, 0x34, 0x12)
GOOD = RGBColor(0x16, 0x65, 0x34)
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


def _table_style(doc) -> None:
    from docx.oxml import parse_xml

    ts = doc.styles.add_style("Brief Table", WD_STYLE_TYPE.TABLE)
    ts.base_style = doc.styles["Normal Table"]
    ts.font.size = Pt(8.5)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    accent = str(ACCENT)
    el = ts.element
    el.append(parse_xml(
        f'<w:tblPr {ns}><w:tblBorders>'
        f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{accent}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="D5DBE1"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D5DBE1"/>'
        f'</w:tblBorders><w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        f'<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    el.append(parse_xml(
        f'<w:tblStylePr {ns} w:type="firstRow"><w:rPr><w:b/><w:color w:val="{accent}"/></w:rPr>'
        f'<w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:tcBorders>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{accent}"/></w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="E8EEF5"/></w:tcPr></w:tblStylePr>'))


def main(out: Path) -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.0)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    st = doc.styles

    def names():
        return {s_.name for s_ in st}
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
    st["Caption"].font.italic = True
    st["Caption"].font.bold = False
    # header and footer: text on the left, marking / page numbers on a right tab stop
    text_width = sec.page_width - sec.left_margin - sec.right_margin
    for name in ("Header", "Footer"):
        pf = st[name].paragraph_format
        tabs = st[name].element.get_or_add_pPr().find(qn("w:tabs"))
        if tabs is not None:
            tabs.getparent().remove(tabs)
        pf.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    st["Header"].paragraph_format.space_after = Pt(0)
    # paragraph styles used by the writer
    def para(name, size, base="Normal", bold=None, color=None, italic=None, before=0, after=2):
        s_ = st.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s_.base_style = st[base]
        set_font(s_, size, bold, color, italic)
        s_.paragraph_format.space_before = Pt(before)
        s_.paragraph_format.space_after = Pt(after)
        return s_
    para("Facts", 8.5, after=1)
    para("Table Text", 8.5, after=0).paragraph_format.line_spacing = 1.1
    th = para("Table Heading", 8.5, bold=True, color=ACCENT, after=0)
    th.paragraph_format.keep_with_next = True
    src = para("Source Entry", 8, after=3)
    src.paragraph_format.left_indent = Cm(0.6)
    src.paragraph_format.first_line_indent = Cm(-0.6)
    # character styles used by the writer (no direct formatting in briefs)
    def char(name, size=None, bold=None, color=None, italic=None, caps=None):
        s_ = st[name] if name in names() else st.add_style(name, WD_STYLE_TYPE.CHARACTER)
        f = s_.font
        if size:
            f.size = Pt(size)
        if bold is not None:
            f.bold = bold
        if italic is not None:
            f.italic = italic
        if color is not None:
            f.color.rgb = color
        if caps:
            f.all_caps = True
        return s_
    char("Strong", bold=True)
    char("Emphasis", italic=True)
    char("Who", bold=True, color=ACCENT)
    char("Field Label", bold=True, color=MUTED)
    char("Country Code", 11, bold=False, color=MUTED)
    char("Source Title", italic=True)
    char("Citation", 7.5, color=ACCENT)
    char("Language Tag", 6.5, color=MUTED, caps=True)
    char("Milestone Kind", 7, color=MUTED, caps=True)
    char("Muted", 7, color=MUTED)
    char("Warning", bold=True, color=WARN)
    char("Due", bold=True, color=GOOD)
    char("Marking Text", bold=True, color=WARN, caps=True)
    hl = char("Hyperlink", color=ACCENT)
    hl.font.underline = True
    # table style: header row shaded, thin rules between rows, header repeated by the writer
    _table_style(doc)
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
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "styles" / "reference.docx")
    ap.add_argument("--accent", help="accent colour for headings, table headers and links, as RRGGBB")
    ap.add_argument("--font", help="body font name (default Arial)")
    a = ap.parse_args()
    if a.accent:
        ACCENT = RGBColor.from_string(a.accent.lstrip("#").upper())
    if a.font:
        FONT = a.font
    main(a.out)
