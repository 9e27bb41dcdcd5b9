"""Two shortcuts of the saved-page reader, each of which must leave the article as it was.

* It asks trafilatura for the text alone and finds the page's metadata with trafilatura's own
  steps for the fields it keeps (``readers.html._metadata``), skipping the byline, licence,
  category and tag searches. On every labelled page the article must come out exactly as with
  trafilatura's full metadata search, and each kept field must be what that search gives.
* It parses the page once (``_parsed``) for the metadata and both extractions, which copy the
  tree they are given: every labelled page reads as when each parsed the page itself.
* Not a shortcut: recall mode, which takes back prose that precision mode dropped, still runs on
  every page (the last tests show leads it gives back)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from briefgen import readers
from briefgen.readers import html as html_reader
from briefgen.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("score_html", ROOT / "scripts" / "score_html.py")
score_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_html)

PAGES = [
    json.loads(line)
    for name in ("html_pages.jsonl", "html_pages_heldout.jsonl")
    for line in (ROOT / "tests" / "data" / "readers" / name).read_text("utf-8").splitlines()
    if line.strip()
]

BYLINE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Vietnam and France sign a health agreement | Example News</title>
<meta name="author" content="Jane Example">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.org/health/vn-fr-agreement">
<meta property="article:published_time" content="2026-03-14T08:30:00+07:00">
</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>Vietnam and France sign a health agreement</h1>
<p class="byline">By <span class="author">John Byline</span></p>
<p>Vietnam and France signed an agreement on hospital training in Hanoi on Friday, the health ministry said.</p>
<p>The two countries will open a joint centre for emergency medicine in Lyon in April 2026, officials added.</p>
<p>Both sides pledged to fund two hundred scholarships for young doctors over the next five years.</p>
</article><footer>Contact us</footer></body></html>"""

JSONLD_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Beispiel-Zeitung</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Vietnam und Frankreich vereinbaren Ausbildung von Fachkräften",
"datePublished": "2026-02-03T10:00:00+01:00", "url": "https://zeitung.example.de/politik/vn-fr",
"author": {"@type": "Person", "name": "Erika Mustermann"},
"publisher": {"@type": "Organization", "name": "Beispiel-Zeitung"}}</script>
</head><body><div class="menu">Politik Wirtschaft Sport</div>
<div class="story"><p>Vietnam und Frankreich haben in Hanoi eine Vereinbarung über die Ausbildung von Pflegekräften unterzeichnet.</p>
<p>Das Abkommen soll im April 2026 bei einer Konferenz in Lyon um ein Forschungsprogramm erweitert werden.</p>
<p>Beide Seiten wollen in den nächsten fünf Jahren zweihundert Stipendien für junge Ärzte finanzieren.</p></div>
</body></html>"""


def _read(data: bytes, name: str):
    return readers.read_bytes(data, ".html", Path(name), name, Settings())[0]


def _fields(a) -> tuple:
    return a.text, a.title, a.url, a.published, [(r.text, r.reason) for r in a.removed], a.meta


#: metadata, but the only prose in the footer: trafilatura extracts no text, the reader falls back
#: on the visible lines, and (as when trafilatura searched the metadata with the text) has no date
FOOTER_ONLY_PAGE = {"id": "footer-only", "html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Example News</title><meta property="og:title" content="Ministers meet in Hanoi">
<meta property="article:published_time" content="2026-03-14T08:30:00+07:00">
<meta name="twitter:url" content="https://news.example.org/a/b"></head><body>
<footer><p>Vietnam and France signed an agreement on hospital training in Hanoi on Friday, the ministry said.</p></footer>
</body></html>"""}


@pytest.mark.parametrize("page", PAGES + [FOOTER_ONLY_PAGE], ids=lambda p: p["id"])
def test_article_is_the_same_as_with_trafilaturas_full_metadata(page, monkeypatch):
    data = page["html"].encode("utf-8") if page is FOOTER_ONLY_PAGE else score_html.page_bytes(page)
    trimmed = _read(data, page["id"] + ".html")
    monkeypatch.setattr(html_reader, "_metadata", lambda html, url: None)  # trafilatura's own search
    full = _read(data, page["id"] + ".html")
    assert _fields(trimmed) == _fields(full)


@pytest.mark.parametrize("page", PAGES + [{"id": "byline", "html": BYLINE_PAGE}, {"id": "jsonld", "html": JSONLD_PAGE}], ids=lambda p: p["id"])
def test_each_kept_field_is_what_trafilatura_finds(page):
    from trafilatura.metadata import extract_metadata

    html = html_reader._unwrap_layout_tables(page["html"])  # what read_html hands over
    url = html_reader._page_url(page["html"])
    ours = html_reader._metadata(html_reader._parsed(html), url)
    assert ours is not None, "trafilatura's metadata steps could not be used"
    theirs = extract_metadata(html, url, dict(html_reader._DATE_PARAMS))
    for key in ("title", "url", "date", "sitename"):
        assert ours[key] == getattr(theirs, key), key
    if ours["author"] is not None:  # named by the meta tags or JSON-LD: trafilatura's search stops there
        assert ours["author"] == theirs.author


def test_author_comes_from_the_meta_tags_and_the_byline_is_not_searched():
    ours = html_reader._metadata(html_reader._parsed(BYLINE_PAGE), None)
    assert ours == {
        "title": "Vietnam and France sign a health agreement",
        "url": "https://news.example.org/health/vn-fr-agreement",
        "date": "2026-03-14",
        "sitename": "Example News",
        "author": "Jane Example",
    }
    page = BYLINE_PAGE.replace('<meta name="author" content="Jane Example">\n', "")
    assert html_reader._metadata(html_reader._parsed(page), None)["author"] is None  # (trafilatura's search finds "John Byline")
    art = _read(page.encode("utf-8"), "byline.html")
    assert art.title == "Vietnam and France sign a health agreement"
    assert art.published == "2026-03-14" and art.url == "https://news.example.org/health/vn-fr-agreement"
    assert "joint centre for emergency medicine in Lyon" in art.text and "Contact us" not in art.text


def test_json_ld_gives_headline_date_and_author():
    ours = html_reader._metadata(html_reader._parsed(JSONLD_PAGE), None)
    assert ours["title"] == "Vietnam und Frankreich vereinbaren Ausbildung von Fachkräften"
    assert ours["date"] == "2026-02-03"
    assert ours["author"] == "Erika Mustermann"


LEAD = "Hanoi, 14 March 2026 - The health ministers of Vietnam and France met today to sign the long-prepared agreement on training."
LEAD_11 = "The health ministers met today to sign the agreement on training."  # prose only as a list item
#: the lead in a box of its own beside the body's box: precision mode takes the body's box only
LEAD_PAGE = BYLINE_PAGE.replace(
    '<article><h1>Vietnam and France sign a health agreement</h1>\n<p class="byline">By <span class="author">John Byline</span></p>',
    '<div class="detail"><h1 class="detail-title">Vietnam and France sign a health agreement</h1>\nSAPO<div class="detail-content">',
).replace("</article>", "</div></div>")
#: where the lead sits in the box that precision mode drops, and what of it must come back
A, B = "Hanoi, 14 March 2026 - The health ministers of Vietnam", "and France met today to sign the agreement."
LEADS = {
    "a box of its own": (f'<div class="detail-sapo">{LEAD}</div>', [LEAD]),
    "glued to a paragraph": (f'<div class="detail-sapo">{LEAD}<p>Photo: VNA</p></div>', [LEAD]),
    "glued to a quote": (f'<div class="detail-sapo">{LEAD}<blockquote>A quote here</blockquote></div>', [LEAD]),
    "in a span glued to a paragraph": (f'<div class="detail-sapo"><span>{LEAD}</span><p>Photo: VNA</p></div>', [LEAD]),
    "in a template": (f'<template><div class="detail-sapo">{LEAD}</div></template>', [LEAD]),
    "a list item": (f'<ul class="detail-sapo"><li>{LEAD_11}</li></ul>', [LEAD_11]),
    "a description list": (f'<dl class="detail-sapo"><dt>Lead</dt><dd>{LEAD}</dd></dl>', [LEAD]),
    "followed by a button": (f'<div class="detail-sapo">{LEAD}<button>Listen</button></div>', [LEAD]),
    "followed by a zero-width space": (f'<div class="detail-sapo">{LEAD}&#8203;</div>', [LEAD]),
    "followed by a byline": (f'<div class="detail-sapo">{LEAD} <span class="author">John Doe</span></div>', [LEAD]),
    "split by an empty box": (f'<div class="detail-sapo">{A} <div></div> {B}</div>', [A, B]),
}


@pytest.mark.parametrize("where", LEADS)
def test_recall_mode_gives_back_a_lead_that_precision_mode_drops(where):
    """Recall mode runs on every page that has a text (a shortcut that skipped it where "no
    prose was missing" lost such leads: see docs/performance.md)."""
    box, wanted = LEADS[where]
    page = LEAD_PAGE.replace("SAPO", box)
    art = _read(page.encode("utf-8"), "lead.html")
    assert all(w in art.text for w in wanted), art.text
    assert "recall mode" in art.meta["extractor"]
    assert "two hundred scholarships" in art.text and "Contact us" not in art.text and "Home" not in art.text


ONE_PARSE_PAGES = [(p["id"], score_html.page_bytes(p)) for p in PAGES] + [
    (FOOTER_ONLY_PAGE["id"], FOOTER_ONLY_PAGE["html"].encode("utf-8"))] + [
    (f"lead {k}", LEAD_PAGE.replace("SAPO", box).encode("utf-8")) for k, (box, _) in LEADS.items()]


@pytest.mark.parametrize("name,data", ONE_PARSE_PAGES, ids=[n for n, _ in ONE_PARSE_PAGES])
def test_one_parse_reads_as_a_parse_for_each(name, data, monkeypatch):
    once = _fields(_read(data, "page.html"))
    parse, metadata = html_reader._parsed, html_reader._metadata
    monkeypatch.setattr(html_reader, "_parsed", lambda html: html)  # each parses the string itself
    monkeypatch.setattr(html_reader, "_metadata", lambda page, url: metadata(parse(page), url))
    assert _fields(_read(data, "page.html")) == once
