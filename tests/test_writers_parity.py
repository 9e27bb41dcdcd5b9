"""One brief model, writers that agree: the DOCX and the PDF (and HTML/Markdown) show the same
sections in the same order, the same headings, items and citations.

The DOCX side is read with python-docx (body paragraphs and table cells in document order, with
their style names); the PDF side with pypdf (outline for the headings, page text for the rest).
"""
from __future__ import annotations

import io
import re
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brief_fixtures import multilingual_brief  # noqa: E402

from briefgen.settings import Settings  # noqa: E402
from briefgen.writers import render  # noqa: E402

S = Settings(as_of="2026-11-23")
CITE = re.compile(r"\[\d+\]")


@lru_cache(maxsize=1)
def _both():
    b = multilingual_brief()
    return render("pdf", b, S), render("docx", b, S)


def docx_blocks(data: bytes) -> list[tuple[str, str]]:
    """(kind, text) for every body paragraph and table cell, in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = Document(io.BytesIO(data))
    out = []
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[1]
        if tag == "p":
            p = Paragraph(el, d)
            if p.text.strip():
                out.append((p.style.name, p.text))
        elif tag == "tbl":
            for row in Table(el, d).rows:
                for cell in row.cells:
                    out.append(("cell", cell.text))
    return out


def docx_headings(data: bytes) -> list[tuple[int, str]]:
    levels = {"Title": 1, "Heading 1": 2, "Heading 2": 3, "Heading 3": 4}
    return [(levels[k], t) for k, t in docx_blocks(data) if k in levels]


def pdf_headings(data: bytes) -> list[tuple[int, str]]:
    from pypdf import PdfReader

    def walk(items, level=1):
        for it in items:
            if isinstance(it, list):
                yield from walk(it, level + 1)
            else:
                yield level, it.title

    return list(walk(PdfReader(io.BytesIO(data)).outline))


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _body_text(pages: list[str]) -> str:
    """Page text without the running header and footer lines."""
    keep = []
    for t in pages:
        for line in t.splitlines():
            if re.search(r"Page \d+ of \d+$", line) or line.startswith("Ministry of Health") or line.strip() == "FOR OFFICIAL USE":
                continue
            keep.append(line)
    return "\n".join(keep)


def test_same_headings_in_same_order():
    pdf, docx = _both()
    h_docx = docx_headings(docx)
    h_pdf = pdf_headings(pdf)
    assert h_docx == h_pdf
    assert [t for lvl, t in h_docx if lvl == 2] == ["Background", "Commitments", "Next milestones", "People", "Sources"]


def test_every_docx_block_appears_in_the_pdf_in_order():
    pdf, docx = _both()
    # case-insensitive: the CSS upper-cases the kicker and language tags, Word's all-caps styles do too
    body = _squash(_body_text(pdf_pages(pdf))).casefold()
    pos = 0
    checked = 0
    for kind, text in docx_blocks(docx):
        needle = _squash(text).casefold()
        if not needle:
            continue
        at = body.find(needle, pos)
        assert at >= 0, f"{kind}: {text!r} missing from the PDF after position {pos}"
        pos = at + len(needle)
        checked += 1
    assert checked > 60


def test_same_citations_in_same_order():
    pdf, docx = _both()
    c_pdf = CITE.findall(_body_text(pdf_pages(pdf)))
    c_docx = CITE.findall("\n".join(t for _, t in docx_blocks(docx)))
    assert c_pdf == c_docx
    assert len(c_docx) > 60


def test_item_counts_match_the_model():
    b = multilingual_brief()
    _, docx = _both()
    blocks = docx_blocks(docx)
    bullets = [t for k, t in blocks if k == "List Bullet"]
    assert len(bullets) == len(b.background) + len(b.figures) + len(b.commitments)
    assert len([k for k, _ in blocks if k == "Source Entry"]) == len(b.sources)


def test_markdown_and_html_have_the_same_sections_and_citations():
    b = multilingual_brief()
    md = render("md", b, S).decode()
    html = render("html", b, S).decode()
    _, docx = _both()
    sections = [t for lvl, t in docx_headings(docx) if lvl == 2]
    md_sections = re.findall(r"^## (.+)$", md, flags=re.M)
    html_sections = re.findall(r"<h2>(.*?)</h2>", html)
    assert md_sections == sections == html_sections
    c_docx = CITE.findall("\n".join(t for _, t in docx_blocks(docx)))
    assert CITE.findall(re.sub(r"\\([\[\]])", r"\1", md)) == c_docx
    assert CITE.findall(re.sub(r"<[^>]+>", "", html)) == c_docx


def test_changes_section_and_empty_sections_agree_everywhere():
    b = multilingual_brief(cjk=False)
    b.changes = {"New commitments": ["Pháp cam kết 200 học bổng nội trú."], "Dropped": [], "New milestones": ["2027-03 Hội nghị y tế"]}
    b.milestones, b.people, b.figures = [], [], []
    pdf, docx = render("pdf", b, S), render("docx", b, S)
    md = render("md", b, S).decode()
    h_docx = docx_headings(docx)
    assert h_docx == pdf_headings(pdf)
    assert [t for lvl, t in h_docx if lvl >= 2] == ["Changes since last period", "New commitments", "New milestones",
                                                    "Background", "Commitments", "Next milestones", "People", "Sources"]
    assert re.findall(r"^##+ (.+)$", md, flags=re.M) == [t for lvl, t in h_docx if lvl >= 2]
    none = "None found in the sources."
    assert sum(t == none for _, t in docx_blocks(docx)) == 2
    assert _body_text(pdf_pages(pdf)).count(none) == 2 and md.count(none) == 2
