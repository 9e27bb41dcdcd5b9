"""DOCX writer: named styles only, header marking, PAGE/NUMPAGES fields, repeating table headers,
hyperlinks, core properties, language tags."""
from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brief_fixtures import SOURCES, multilingual_brief  # noqa: E402

from briefgen.settings import Settings  # noqa: E402
from briefgen.writers import render  # noqa: E402

S = Settings(as_of="2026-11-23")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@lru_cache(maxsize=2)
def _docx(cjk: bool = True) -> bytes:
    return render("docx", multilingual_brief(cjk=cjk), S)


def _part(name: str, data: bytes | None = None) -> str:
    return zipfile.ZipFile(io.BytesIO(data or _docx())).read(name).decode("utf-8")


def _doc(data: bytes | None = None):
    from docx import Document

    return Document(io.BytesIO(data or _docx()))


def test_footer_has_real_page_and_numpages_fields():
    z = zipfile.ZipFile(io.BytesIO(_docx()))
    footers = [z.read(n).decode() for n in z.namelist() if re.match(r"word/footer\d*\.xml", n)]
    xml = "".join(footers)
    instr = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    assert [i.strip() for i in instr] == ["PAGE", "NUMPAGES"]
    assert xml.count('w:fldCharType="begin"') == 2 and xml.count('w:fldCharType="end"') == 2
    assert "Page " in xml and " of " in xml


def test_header_carries_organisation_and_marking():
    sec = _doc().sections[0]
    text = "\n".join(p.text for p in sec.header.paragraphs)
    assert "Ministry of Health" in text and "For official use" in text
    marking_runs = [r for p in sec.header.paragraphs for r in p.runs if r.text == "For official use"]
    assert marking_runs and marking_runs[0].style.name == "Marking Text"


def test_tables_repeat_header_rows_and_use_the_reference_table_style():
    d = _doc()
    assert len(d.tables) == 2  # milestones, people
    for t in d.tables:
        assert t.style.name == "Brief Table"
        first = t.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in t.rows[1:])
        assert all(r._tr.find(f"{W}trPr/{W}cantSplit") is not None for r in t.rows[1:])
    assert [c.text for c in d.tables[0].rows[0].cells] == ["Date", "What", "Where", "Status", "Source"]
    assert len(d.tables[0].rows) == 1 + 9 and len(d.tables[1].rows) == 1 + 10


def test_sources_are_real_hyperlinks():
    d = _doc()
    rels = {r.rId: r for r in d.part.rels.values()}
    xml = _part("word/document.xml")
    ids = re.findall(r'<w:hyperlink r:id="(rId\d+)"', xml)
    urls = [rels[i].target_ref for i in ids]
    assert urls == [s.url for s in SOURCES if s.url]
    assert all(rels[i].is_external for i in ids)
    assert all(rels[i].reltype.endswith("/hyperlink") for i in ids)


def test_core_properties():
    cp = _doc().core_properties
    assert cp.title == "Country brief: France — 2026-11-23"
    assert cp.subject.startswith("Cooperation with France")
    assert cp.author == "Ministry of Health — International Cooperation Department"
    assert "France" in cp.keywords and "Vietnam" in cp.keywords
    as_of = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    assert cp.created == as_of and cp.modified == as_of
    assert cp.language == "en-GB"


# run properties that are language tagging, not formatting
_ALLOWED_RPR = {"rStyle", "lang"}
_ALLOWED_PPR = {"pStyle"}


def test_only_named_styles_no_direct_formatting():
    data = _docx()
    z = zipfile.ZipFile(io.BytesIO(data))
    styles_xml = z.read("word/styles.xml").decode()
    defined = set(re.findall(r'w:styleId="([^"]+)"', styles_xml))
    for name in [n for n in z.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml", n)]:
        xml = z.read(name).decode()
        for rpr in re.findall(r"<w:rPr>(.*?)</w:rPr>", xml):
            tags = set(re.findall(r"<w:(\w+)", rpr))
            assert tags <= _ALLOWED_RPR, (name, tags - _ALLOWED_RPR)
        for ppr in re.findall(r"<w:pPr>(.*?)</w:pPr>", xml):
            tags = set(re.findall(r"<w:(\w+)", ppr))
            assert tags <= _ALLOWED_PPR, (name, tags - _ALLOWED_PPR)
        used = set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml))
        assert used <= defined, (name, used - defined)
    d = _doc(data)
    used_names = {p.style.name for p in d.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Facts", "Source Entry", "Caption"} <= used_names
    run_styles = {r.style.name for p in d.paragraphs for r in p.runs if r.style is not None}
    assert {"Who", "Field Label", "Citation", "Language Tag", "Source Title"} <= run_styles
    # no bold/italic set on runs directly (only through styles)
    assert all(r.bold is None and r.italic is None for p in d.paragraphs for r in p.runs)


def test_who_is_a_character_style_not_bold_runs():
    d = _doc()
    who = [r for p in d.paragraphs for r in p.runs if r.style is not None and r.style.name == "Who"]
    assert [r.text for r in who][:2] == ["Bộ Y tế Việt Nam:", "Kementerian Perdagangan RI:"]
    assert d.styles["Who"].font.bold is True


def test_item_runs_carry_their_language():
    xml = _part("word/document.xml")
    langs = set(re.findall(r'<w:lang w:val="([^"]+)"', xml))
    assert {"vi-VN", "id-ID", "de-DE", "fr-FR", "zh-CN"} <= langs


def test_page_size_and_letter_option():
    from docx.shared import Cm, Inches

    sec = _doc().sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.05) and abs(sec.page_height - Cm(29.7)) < Cm(0.05)
    sec = _doc(render("docx", multilingual_brief(cjk=False), S.with_(page_size="Letter"))).sections[0]
    assert sec.page_width == Inches(8.5) and sec.page_height == Inches(11)


def test_reference_docx_is_regenerated_by_its_script(tmp_path):
    import subprocess

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(root / "scripts" / "make_reference_docx.py"), str(out)], check=True)
    from docx import Document

    made = {s.name for s in Document(str(out)).styles}
    shipped = {s.name for s in Document(str(root / "styles" / "reference.docx")).styles}
    assert made == shipped
    assert {"Who", "Citation", "Brief Table", "Marking Text", "Table Heading", "Strong"} <= shipped


def test_default_language_follows_the_output_language():
    styles = _part("word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, flags=re.S).group(0)
    assert 'w:lang w:val="en-GB"' in defaults


def test_style_ids_follow_each_reference_document(tmp_path):
    """Style ids are looked up once per reference file, not once per document: a user's
    reference with other ids gets its own, and the shipped one keeps its own after it."""
    src = Path(__file__).resolve().parents[1] / "styles" / "reference.docx"
    user = tmp_path / "styles"
    user.mkdir()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(user / "reference.docx", "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                text = data.decode("utf-8").replace('w:styleId="Heading1"', 'w:styleId="OwnHeading1"')
                text = text.replace('w:val="Heading1"', 'w:val="OwnHeading1"')
                data = text.encode("utf-8")
            zout.writestr(item, data)

    def heading_ids(data: bytes) -> set[str]:
        return {p.style.style_id for p in _doc(data).paragraphs if p.style.name == "Heading 1"}

    brief = multilingual_brief(cjk=False)
    assert heading_ids(render("docx", brief, S)) == {"Heading1"}
    assert heading_ids(render("docx", brief, S.with_(styles_dir=str(user)))) == {"OwnHeading1"}
    assert heading_ids(render("docx", brief, S)) == {"Heading1"}


def test_runs_added_at_once_have_python_docx_xml():
    """``_add_run`` writes a plain text as one ``w:t``; the XML must be what python-docx's
    character-by-character ``add_run`` writes, spaces, tabs, breaks and emptiness included."""
    from docx import Document
    from lxml import etree

    from briefgen.writers.docx import _add_run

    texts = ["plain", " leading and trailing ", "tab\there", "line\nbreak\r\nend", "", None, "Hà Nội · 河内"]
    ours, theirs = Document().add_paragraph(), Document().add_paragraph()
    for t in texts:
        _add_run(ours, t)
        theirs.add_run(t)
    assert etree.tostring(ours._p) == etree.tostring(theirs._p)
    assert len(ours.runs) == len(texts)
