"""DOCX brief with python-docx, styled only by named styles from a reference document.

The reference document (``styles/reference.docx``, or ``reference.docx`` in ``--styles DIR``)
gives every style, the page setup and fonts, the way pandoc's reference.docx does. python-docx
has no API for fields, hyperlinks or repeating table headers, so those are written as the
OOXML elements Word itself writes (PAGE/NUMPAGES fields, w:hyperlink, w:tblHeader).
Output is reproducible: document dates are the as-of date and zip entries carry a fixed time.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from ..model import Brief, BriefItem
from ..settings import Settings, asset_dir

TABLE_STYLE = "Light List Accent 1"
LANG_TAGS = {"vi": "vi-VN", "id": "id-ID", "de": "de-DE", "fr": "fr-FR", "en": "en-GB", "es": "es-ES",
             "zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR", "pt": "pt-PT", "it": "it-IT", "nl": "nl-NL",
             "ru": "ru-RU", "th": "th-TH", "pl": "pl-PL", "tr": "tr-TR", "ar": "ar-SA"}


def _reference(settings: Settings):
    from docx import Document

    path = asset_dir("styles", settings.styles_dir) / "reference.docx"
    if not path.is_file():
        path = asset_dir("styles") / "reference.docx"
    doc = Document(str(path))
    body = doc.element.body
    from docx.oxml.ns import qn

    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _set_lang(run, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    el = OxmlElement("w:lang")
    tag = LANG_TAGS.get(lang, lang)
    el.set(qn("w:val"), tag)
    el.set(qn("w:eastAsia"), tag)
    rpr.append(el)


def _field(paragraph, instr: str, placeholder: str = "1") -> None:
    """A complex field (begin / instrText / separate / cached result / end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), "Hyperlink")
    rpr.append(rstyle)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    h.append(run)
    paragraph._p.append(h)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cites(paragraph, ns: list[int]) -> None:
    paragraph.add_run(" " + "".join(f"[{n}]" for n in ns), style="Citation")


def _item(doc, it: BriefItem, brief: Brief, style: str = "List Bullet") -> None:
    p = doc.add_paragraph(style=style)
    if it.who:
        p.add_run(it.who + ": ").bold = True
    run = p.add_run(it.text)
    _set_lang(run, it.lang)
    if it.lang != brief.output_lang:
        p.add_run(" " + it.lang, style="Language Tag")
    _cites(p, it.citations)


def _table(doc, headers: list[str], rows: list[list], widths_cm: list[float]):
    from docx.shared import Cm

    t = doc.add_table(rows=1, cols=len(headers))
    try:
        t.style = doc.styles[TABLE_STYLE]
    except KeyError:
        t.style = doc.styles["Table Grid"]
    for cell, h in zip(t.rows[0].cells, headers):
        cell.text = h
    _repeat_header(t.rows[0])
    for values in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, values):
            if callable(v):
                cell.text = ""
                v(cell.paragraphs[0])
            else:
                cell.text = str(v)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    return t


def render(brief: Brief, settings: Settings) -> bytes:
    doc = _reference(settings)
    L = brief.labels
    as_of = dt.datetime.fromisoformat(brief.as_of + "T00:00:00")

    # header (marking, organisation) and footer (title, Page X of Y as real fields)
    sec = doc.sections[0]
    if settings.page_size.lower() == "letter":
        from docx.shared import Inches

        sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    hp = sec.header.paragraphs[0] if sec.header.paragraphs else sec.header.add_paragraph()
    hp.text = "  ·  ".join(x for x in (brief.organisation, brief.marking) if x)
    hp.style = doc.styles["Header"]
    fp = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
    fp.style = doc.styles["Footer"]
    fp.add_run(f"{L['title']} · {brief.country_name} · {brief.as_of}    {L['Page']} ")
    _field(fp, "PAGE")
    fp.add_run(f" {L['of']} ")
    _field(fp, "NUMPAGES")

    # title block
    if brief.marking:
        doc.add_paragraph(brief.marking, style="Marking")
    doc.add_paragraph(L["title"], style="Subtitle")
    doc.add_paragraph(f"{brief.country_name} ({brief.country})", style="Title")
    facts = [
        (L["Subject"], brief.subject),
        (L["As of"], brief.as_of_display),
        (L["Sources"], f"{len(brief.sources)} · {L['Languages']}: {', '.join(brief.languages)}"),
    ]
    if brief.home_country_name:
        facts.append((L["Home country"], brief.home_country_name))
    if brief.organisation:
        facts.append((L["Prepared by"], brief.organisation))
    for k, v in facts:
        p = doc.add_paragraph(style="Normal")
        p.add_run(f"{k}: ").bold = True
        p.add_run(v)

    if brief.changes:
        doc.add_heading(L["Changes since last period"], level=1)
        for kind, lines in brief.changes.items():
            if lines:
                doc.add_heading(kind, level=2)
                for line in lines:
                    doc.add_paragraph(line, style="List Bullet")

    none = L["None found in the sources."]
    more = L["{n} more items not shown"]

    doc.add_heading(L["Background"], level=1)
    for it in brief.background:
        _item(doc, it, brief)
    if not brief.background:
        doc.add_paragraph(none, style="Normal")
    if brief.omitted.get("background"):
        doc.add_paragraph(more.format(n=brief.omitted["background"]), style="Caption")
    if brief.figures:
        doc.add_heading(L["Key figures"], level=2)
        for it in brief.figures:
            _item(doc, it, brief)

    doc.add_heading(L["Commitments"], level=1)
    for it in brief.commitments:
        _item(doc, it, brief)
    if not brief.commitments:
        doc.add_paragraph(none, style="Normal")
    if brief.omitted.get("commitments"):
        doc.add_paragraph(more.format(n=brief.omitted["commitments"]), style="Caption")

    doc.add_heading(L["Next milestones"], level=1)
    if brief.milestones:
        rows = []
        for m in brief.milestones:
            def what(p, m=m):
                p.add_run(m.kind_display.upper() + " ").bold = True
                _set_lang(p.add_run(m.what), m.lang)

            rows.append([f"{m.date_display}\n{m.date}", what, m.place or "—", m.status_display,
                         "".join(f"[{n}]" for n in m.citations)])
        _table(doc, [L["Date"], L["What"], L["Where"], L["Status"], L["Source"]], rows, [2.8, 8.4, 2.4, 2.6, 1.2])
    else:
        doc.add_paragraph(none, style="Normal")

    doc.add_heading(L["People"], level=1)
    if brief.people:
        rows = [[p.name, "; ".join(p.roles) or "—", "".join(f"[{n}]" for n in p.citations)] for p in brief.people]
        _table(doc, [L["Name"], L["Role"], L["Source"]], rows, [4.5, 11.2, 1.7])
    else:
        doc.add_paragraph(none, style="Normal")

    doc.add_heading(L["Sources"], level=1)
    for s in brief.sources:
        p = doc.add_paragraph(style="Normal")
        p.add_run(f"[{s.n}] ")
        t = p.add_run(s.title)
        t.italic = True
        _set_lang(t, s.language)
        p.add_run(f". {s.language_name}, {s.date or L['no date']}. ")
        if s.url:
            _hyperlink(p, s.url, s.url)

    cp = doc.core_properties
    cp.title = f"{L['title']}: {brief.country_name} — {brief.as_of}"
    cp.subject = brief.subject
    cp.author = brief.organisation or settings.author
    cp.last_modified_by = brief.organisation or settings.author
    cp.keywords = ", ".join(x for x in (brief.country_name, brief.country, "briefing", brief.home_country_name) if x)
    cp.comments = f"Generated by briefgen from {len(brief.sources)} source(s)."
    cp.category = "Country brief"
    cp.language = brief.output_lang
    cp.created = cp.modified = as_of
    cp.last_printed = as_of
    cp.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue(), as_of)


def _normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Same content -> same bytes: fixed timestamps, fixed order, fixed permissions."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
