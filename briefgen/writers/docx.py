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
from contextvars import ContextVar
from pathlib import Path

from ..model import Brief, BriefItem
from ..settings import Settings, asset_dir
from .html import keywords, logo_path
from .templating import normalised

TABLE_STYLE = "Brief Table"
LANG_TAGS = {"vi": "vi-VN", "id": "id-ID", "de": "de-DE", "fr": "fr-FR", "en": "en-GB", "es": "es-ES",
             "zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR", "pt": "pt-PT", "it": "it-IT", "nl": "nl-NL",
             "ru": "ru-RU", "th": "th-TH", "pl": "pl-PL", "tr": "tr-TR", "ar": "ar-SA"}


def _reference_path(settings: Settings) -> Path:
    path = asset_dir("styles", settings.styles_dir) / "reference.docx"
    return path if path.is_file() else asset_dir("styles") / "reference.docx"


def _reference(path: Path):
    from docx import Document

    doc = Document(str(path))
    body = doc.element.body
    from docx.oxml.ns import qn

    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _default_language(doc, lang: str) -> None:
    """The document's default language (labels, headings) in the style defaults, for spelling
    and screen readers; extracted sentences carry their own language on their runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), LANG_TAGS.get(lang, lang))


def _set_lang(run, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    el = OxmlElement("w:lang")
    tag = LANG_TAGS.get(lang, lang)
    el.set(qn("w:val"), tag)
    el.set(qn("w:eastAsia"), tag)
    rpr.append(el)


def _add_run(paragraph, text: str | None = None):
    """``paragraph.add_run(text)``. python-docx reads a run's text one character at a time (a tab
    or a line break becomes an element of its own); text without them is one ``w:t``, added at
    once: the same XML."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    from docx.text.run import Run

    r = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)


def _field(paragraph, instr: str, placeholder: str = "1") -> None:
    """A complex field (begin / instrText / separate / cached result / end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    _add_run(paragraph, placeholder)
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


def _cites(paragraph, item, labels: dict[str, str], lead: str = " ") -> None:
    """'[3][7]', and '+n more sources' when the brief cites only the most recent few."""
    _run(paragraph, lead + "".join(f"[{n}]" for n in item.citations), "Citation")
    if item.more_citations:
        _add_run(paragraph, " ")
        _run(paragraph, labels["+{n} more sources"].format(n=item.more_citations), "Muted")


def _style(doc, name: str, fallback: str):
    """A style from the reference document, or a fallback when a user's reference lacks it."""
    return name if _STYLE_IDS.get().has(name) else fallback


class _StyleIds:
    """Style name -> style id of the reference document, each looked up once.

    python-docx resolves a style name on every assignment by scanning every style of the
    document to see whether it is the default; with a few hundred styled paragraphs and runs
    that was three quarters of the writer's time. The ids are set on the XML directly (the same
    ``w:pStyle``/``w:rStyle`` python-docx writes; none for the default style, as it does).

    ``ids`` is shared by the documents written from one reference file (``_IDS_BY_REFERENCE``):
    the answers are the same for each, and a lookup costs ~0.8 ms."""

    def __init__(self, doc, ids: dict):
        from docx.enum.style import WD_STYLE_TYPE

        self._doc, self._types, self._ids = doc, WD_STYLE_TYPE, ids

    def get(self, name: str, kind: str) -> tuple[bool, str | None]:
        """(found, id); a name the reference lacks is not found."""
        key = (name, kind)
        if key not in self._ids:
            stype = {"p": self._types.PARAGRAPH, "c": self._types.CHARACTER, "t": self._types.TABLE}[kind]
            try:
                self._ids[key] = (True, self._doc.part.get_style_id(name, stype))
            except (KeyError, ValueError):
                self._ids[key] = (False, None)
        return self._ids[key]

    def required(self, name: str, kind: str) -> str | None:
        """The id of a style the brief cannot do without; KeyError if the reference lacks it."""
        found, sid = self.get(name, kind)
        if not found:
            raise KeyError(f"no style with name '{name}'")
        return sid

    def has(self, name: str) -> bool:
        """Whether the reference has a style of that name, of any type."""
        key = (name, "")
        if key not in self._ids:
            try:
                self._doc.styles[name]
                self._ids[key] = (True, None)
            except KeyError:
                self._ids[key] = (False, None)
        return self._ids[key][0]


#: style ids by reference file (path, size, modification time), for ``_StyleIds``
_IDS_BY_REFERENCE: dict[tuple[str, int, int], dict] = {}


#: the style ids of the document ``render`` is writing
_STYLE_IDS: ContextVar[_StyleIds] = ContextVar("briefgen_docx_style_ids")


def _pstyle(p, name: str) -> None:
    """Give paragraph ``p`` the paragraph style ``name`` (looked up once per document)."""
    p._p.style = _STYLE_IDS.get().required(name, "p")


def _paragraph(container, style: str, text: str | None = None):
    p = container.add_paragraph()
    _pstyle(p, style)
    if text:
        _add_run(p, text)
    return p


def _run(p, text: str, style: str | None = None, lang: str | None = None):
    """A run with a character style from the reference document (none if the reference lacks it)."""
    r = _add_run(p, text)
    if style:
        found, sid = _STYLE_IDS.get().get(style, "c")
        if found:
            r._r.style = sid
    if lang:
        _set_lang(r, lang)
    return r


def _item(doc, it: BriefItem, brief: Brief, style: str = "List Bullet") -> None:
    p = _paragraph(doc, style)
    if it.who:
        _run(p, it.who + ":", "Who")
        _add_run(p, " ")
    _run(p, it.text, lang=it.lang)
    if it.lang != brief.output_lang:
        _add_run(p, " ")
        _run(p, it.lang, "Language Tag")
    _cites(p, it, brief.labels)


def _table(doc, headers: list[str], rows: list[list], widths_cm: list[float]):
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    t = doc.add_table(rows=1, cols=len(headers))
    t._tbl.tblStyle_val = _STYLE_IDS.get().required(_style(doc, TABLE_STYLE, "Table Grid"), "t")
    t.autofit = False
    text_style = _style(doc, "Table Text", "Normal")
    head_style = _style(doc, "Table Heading", "Normal")
    for cell, h in zip(t.rows[0].cells, headers):
        _pstyle(cell.paragraphs[0], head_style)
        _add_run(cell.paragraphs[0], h)
    _repeat_header(t.rows[0])
    # column widths: the grid and every cell (Word reads the cells, LibreOffice the grid)
    for gc, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        gc.set(qn("w:w"), str(int(Cm(w).twips)))
    for cell, w in zip(t.rows[0].cells, widths_cm):
        cell.width = Cm(w)
    # the rows: the first made by python-docx (its cells parsed from a template, ~0.8 ms a row),
    # the others copies of it made before it was filled
    empty_row = None
    for values in rows:
        if empty_row is None:
            row = t.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell, w in zip(row.cells, widths_cm):
                _pstyle(cell.paragraphs[0], text_style)
                cell.width = Cm(w)
            empty_row = deepcopy(row._tr)
        else:
            t._tbl.append(deepcopy(empty_row))
            row = t.rows[-1]
        for cell, v in zip(row.cells, values):
            p = cell.paragraphs[0]
            if callable(v):
                v(p)
            else:
                _add_run(p, str(v))
    return t


def _emptied_first_paragraph(part, style):
    """The first paragraph of this section's own header or footer, emptied of the reference
    document's runs, with ``style``."""
    part.is_linked_to_previous = False
    p = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    _pstyle(p, style)
    return p


def _logo(paragraph, settings: Settings, alt: str = "") -> None:
    from docx.shared import Cm

    from .html import logo_path

    p = logo_path(settings)
    if p is not None and p.suffix.lower() in (".png", ".jpg", ".jpeg"):
        shape = paragraph.add_run().add_picture(str(p), height=Cm(1.0))
        shape._inline.docPr.set("descr", alt or "logo")  # alternative text for screen readers


def render(brief: Brief, settings: Settings) -> bytes:
    brief = normalised(brief)
    path = _reference_path(settings)
    doc = _reference(path)
    st = path.stat()
    ids = _IDS_BY_REFERENCE.setdefault((str(path), st.st_size, st.st_mtime_ns), {})
    token = _STYLE_IDS.set(_StyleIds(doc, ids))
    try:
        return _render(doc, brief, settings)
    finally:
        _STYLE_IDS.reset(token)


def _render(doc, brief: Brief, settings: Settings) -> bytes:
    _default_language(doc, brief.output_lang)
    L = brief.labels
    as_of = dt.datetime.fromisoformat(brief.as_of + "T00:00:00")

    # header (logo, organisation, marking) and footer (title, Page X of Y as real fields)
    sec = doc.sections[0]
    if settings.page_size.lower() == "letter":
        from docx.shared import Inches

        sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    hdr = sec.header
    hp = _emptied_first_paragraph(hdr, "Header")
    if brief.organisation:
        _add_run(hp, brief.organisation)
    if brief.marking:
        _add_run(hp, "\t")
        _run(hp, brief.marking, "Marking Text")
    if logo_path(settings) is not None:
        lp = _paragraph(hdr, "Header")
        hp._p.addprevious(lp._p)
        _logo(lp, settings, brief.organisation)
    fp = _emptied_first_paragraph(sec.footer, "Footer")
    _add_run(fp, f"{L['title']} · {brief.country_name} · {brief.as_of}\t{L['Page']} ")
    _field(fp, "PAGE")
    _add_run(fp, f" {L['of']} ")
    _field(fp, "NUMPAGES")

    # title block
    _paragraph(doc, "Subtitle", L["title"])
    tp = _paragraph(doc, "Title")
    _add_run(tp, brief.country_name + " ")
    _run(tp, f"({brief.country})", "Country Code")
    facts = [
        (L["Subject"], brief.subject),
        (L["As of"], brief.as_of_display),
        (L["Sources"], f"{len(brief.sources) + brief.omitted.get('sources', 0)} · {L['Languages']}: {', '.join(brief.languages)}"),
    ]
    if brief.home_country_name:
        facts.append((L["Home country"], brief.home_country_name))
    if brief.organisation:
        facts.append((L["Prepared by"], brief.organisation))
    facts_style = _style(doc, "Facts", "Normal")
    for k, v in facts:
        p = _paragraph(doc, facts_style)
        _run(p, f"{k}:", "Field Label")
        _add_run(p, " " + v)

    if brief.changes:
        _paragraph(doc, "Heading 1", L["Changes since last period"])
        for kind, lines in brief.changes.items():
            if lines:
                _paragraph(doc, "Heading 2", kind)
                for line in lines:
                    _paragraph(doc, "List Bullet", line)

    none = L["None found in the sources."]
    more = L["Not shown: {n} more"]

    def omitted_note(section: str) -> None:
        """'Not shown: n more' under a section the brief model trimmed."""
        if brief.omitted.get(section):
            _paragraph(doc, "Caption", more.format(n=brief.omitted[section]))

    _paragraph(doc, "Heading 1", L["Background"])
    for it in brief.background:
        _item(doc, it, brief)
    if not brief.background:
        _paragraph(doc, "Caption", none)
    omitted_note("background")
    if brief.figures:
        _paragraph(doc, "Heading 2", L["Key figures"])
        for it in brief.figures:
            _item(doc, it, brief)

    _paragraph(doc, "Heading 1", L["Commitments"])
    for it in brief.commitments:
        _item(doc, it, brief)
    if not brief.commitments:
        _paragraph(doc, "Caption", none)
    omitted_note("commitments")

    def cites(item):
        return lambda p: _cites(p, item, L, lead="")

    _paragraph(doc, "Heading 1", L["Next milestones"])
    if brief.milestones:
        rows = []
        for m in brief.milestones:
            def when(p, m=m):
                _run(p, m.date_display, "Strong")
                p.add_run().add_break()
                _run(p, m.date, "Muted")

            def what(p, m=m):
                _run(p, m.kind_display, "Milestone Kind")
                _add_run(p, " ")
                _run(p, m.what, lang=m.lang)

            def status(p, m=m):
                _run(p, m.status_display, {"passed-unconfirmed": "Warning", "due": "Due"}.get(m.status))

            rows.append([when, what, m.place or "—", status, cites(m)])
        _table(doc, [L["Date"], L["What"], L["Where"], L["Status"], L["Source"]], rows, [3.3, 7.5, 2.6, 2.6, 1.4])
    else:
        _paragraph(doc, "Caption", none)
    omitted_note("milestones")

    _paragraph(doc, "Heading 1", L["People"])
    if brief.people:
        rows = []
        for person in brief.people:
            def name(p, person=person):
                _run(p, person.name, "Strong")

            rows.append([name, "; ".join(person.roles) or "—", cites(person)])
        _table(doc, [L["Name"], L["Role"], L["Source"]], rows, [4.6, 11.4, 1.4])
    else:
        _paragraph(doc, "Caption", none)
    omitted_note("people")

    _paragraph(doc, "Heading 1", L["Sources"])
    src_style = _style(doc, "Source Entry", "Normal")
    for s in brief.sources:
        p = _paragraph(doc, src_style)
        _add_run(p, f"[{s.n}] ")
        _run(p, s.title, "Source Title", s.language)
        _add_run(p, f". {s.language_name}, {s.date or L['no date']}.")
        if s.url:
            _add_run(p, " ")
            _hyperlink(p, s.url, s.url)
    omitted_note("sources")

    cp = doc.core_properties
    cp.title = _prop(f"{L['title']}: {brief.country_name} — {brief.as_of}")
    cp.subject = _prop(brief.subject)
    cp.author = _prop(brief.organisation or settings.author)
    cp.last_modified_by = _prop(brief.organisation or settings.author)
    cp.keywords = _prop(", ".join(keywords(brief)))
    cp.comments = f"Generated by briefgen from {len(brief.sources) + brief.omitted.get('sources', 0)} source(s)."
    cp.category = _prop(L["title"])
    cp.language = LANG_TAGS.get(brief.output_lang, brief.output_lang)
    cp.identifier = f"{brief.country}-{brief.as_of}"
    cp.created = cp.modified = as_of
    cp.last_printed = as_of
    cp.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue(), as_of)


def _prop(value: str, limit: int = 255) -> str:
    """Core properties are limited to 255 characters (python-docx enforces the OOXML limit)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
