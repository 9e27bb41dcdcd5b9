"""Saved web pages (.html/.htm): main text, title, publication date and URL.

trafilatura extracts the main text from the page string (it never fetches anything when handed
a string); the title, date and URL come from its metadata steps for those fields (``_metadata``),
the date from htmldate, asked for the fast search only.
The URL is the canonical link or og:url, else the "saved from url=" comment browsers write.
Scripts, styles, iframes and images never reach the text, and nothing is loaded from any URL.
Whatever the page had besides the main text is listed in ``removed`` for ``--explain``.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from ..model import Article, Removed
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape, is_prose
from .encoding import clean_text, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+)\s*-->", re.I)
_CANONICAL = re.compile(r"""<link\b[^>]{0,300}?\brel\s*=\s*["']?canonical["']?[^>]{0,300}>""", re.I)
_OG_URL = re.compile(r"""<meta\b[^>]{0,300}?property\s*=\s*["']og:url["'][^>]{0,300}>""", re.I)
_HREF = re.compile(r"""\b(?:href|content)\s*=\s*["']\s*(https?://[^"'\s]+)""", re.I)
_MARKUP = re.compile(r"<(?:!doctype|html|head|body|p|div|br|span|a|h[1-6]|article|title|meta|table|ul|li)\b", re.I)
_TITLE_TAG = re.compile(r"<title[^>]{0,100}>(.{1,500}?)</title>", re.I | re.S)
_BLOCK_TAGS = (
    "br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "article", "section", "nav",
    "header", "footer", "aside", "main", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption",
    "table", "form", "pre", "hr", "address", "title",
)
_SKIP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")


_TABLE_RULE = re.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")


def _table_row(line: str) -> str:
    s = line.strip()
    if len(s) > 2 and s.startswith("|") and s.endswith("|"):
        cells = [c.strip() for c in s[1:-1].split("|")]
        return " | ".join(c for c in cells if c)
    return line


def _charset_hint(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def _quiet_logs() -> None:
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _page_url(html: str) -> str | None:
    head = html[:200_000]
    for pat in (_CANONICAL, _OG_URL):
        m = pat.search(head)
        if m and (h := _HREF.search(m.group(0))):
            return h.group(1)
    m = _SAVED_FROM.search(html[:4096])
    return m.group(1) if m else None


def _visible_lines(html: str) -> list[str]:
    """All visible text lines of the page (scripts and the like excluded): the removed list, and
    the text when no extractor finds any."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - best effort only
        return []
    for bad in list(tree.iter(*_SKIP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    try:
        for br in tree.iter(*_BLOCK_TAGS):
            br.tail = "\n" + (br.tail or "")
        text = tree.text_content()
    except ValueError:  # characters lxml refuses: the list is for --explain only
        return []
    return [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]


def _unwrap_layout_tables(html: str) -> str:
    """Old portals lay pages out with tables; turn cells holding paragraphs or headings into divs so
    the extractor sees paragraphs, not one giant table cell. Data tables are left alone."""
    if "<td" not in html and "<TD" not in html:
        return html
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001
        return html
    cells = tree.xpath("//td[.//p or .//h1 or .//h2 or .//h3 or .//ul or .//ol or .//div or .//table]"
                       " | //th[.//p or .//h1 or .//h2 or .//h3 or .//div]")
    if not cells:
        return html
    for cell in cells:
        for anc in [cell, *cell.iterancestors("tr", "tbody", "thead", "tfoot", "table")]:
            if anc.tag in ("td", "th", "tr", "tbody", "thead", "tfoot", "table"):
                anc.tag = "div"
    return lxml.html.tostring(tree, encoding="unicode")


def _rescue_prose(text: str, page: Any, url: str | None) -> tuple[str, int]:
    """Precision mode drops some article prose (a lead in a bare <div>, a paragraph in an odd box).
    Take it back from trafilatura's recall mode, but only prose lines inside the article's span or
    directly before its first line (the lead): menus, headline lists and comments stay out.
    ``page``: the page as ``_parsed`` gives it."""
    import trafilatura

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = trafilatura.bare_extraction(page, url=url, favor_recall=True, include_comments=False,
                                              include_tables=True, include_images=False, include_links=False)
    except (ValueError, TypeError, AttributeError):
        return text, 0
    recall = ((doc.as_dict() if hasattr(doc, "as_dict") else doc or {}).get("text") or "") if doc else ""
    lines = text.splitlines()
    have = {_norm(ln) for ln in lines}
    rlines = recall.splitlines()
    rnorm = [_norm(ln) for ln in rlines]
    if not rlines or not have <= set(rnorm) | {""}:
        return text, 0  # the two modes disagree on the text itself: keep precision mode
    idx = [i for i, n in enumerate(rnorm) if n in have and n]
    if not idx:
        return text, 0
    first, last = idx[0], idx[-1]
    lead: list[str] = []
    j = first - 1
    while j >= 0 and len(lead) < 3 and rnorm[j] not in have and is_prose(rlines[j]):
        lead.insert(0, rlines[j])
        j -= 1
    inner = [ln for ln, n in zip(rlines[first:last + 1], rnorm[first:last + 1]) if n in have or is_prose(ln)]
    merged = lead + inner
    added = len(merged) - sum(1 for ln in merged if _norm(ln) in have)
    return ("\n".join(merged), added) if added else (text, 0)


def _norm(s: str) -> str:
    return " ".join(s.split())


def _headings(html: str) -> list[str]:
    """Texts of the page's h1 then h2 elements (scripts and the like excluded)."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001
        return []
    out = []
    for tag in ("h1", "h2"):
        for el in tree.iter(tag):
            t = _norm(el.text_content())
            if t and len(t) <= 300:
                out.append(t)
    return out


def _pick_title(meta_title: str | None, headings: list[str], lines: list[str]) -> tuple[str | None, int | None]:
    """(title, index of its line among the first lines of the text, or None)."""
    top = [_norm(ln) for ln in lines[:8]]
    for cand in ([_norm(meta_title)] if meta_title else []) + headings:
        if cand in top:
            return cand, top.index(cand)
    return meta_title, None


#: the latest publication date a page's metadata may give. htmldate's own default is the end of
#: today on this machine's clock, so a page dated tomorrow somewhere east (already today there)
#: fell back to another date, and the same page read a day later gave another answer: what a
#: page says must not depend on the day it is read (the article cache keeps it)
_LATEST_DATE = "2099-12-31"
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": _LATEST_DATE}


def _parsed(html: str) -> Any:
    """The page as trafilatura parses it (``load_html``), for its three readers: the metadata,
    the extraction and the recall-mode extraction. Each extraction copies a tree it is given
    and parses a string the same way, so one parse serves all three (~0.5 ms of a page's ~11).
    The string itself where trafilatura rejects the page or cannot parse it here."""
    try:
        from trafilatura.utils import load_html

        tree = load_html(html)
    except Exception:  # noqa: BLE001 - trafilatura then meets the string, as before
        return html
    return html if tree is None else tree


def _metadata(tree: Any, default_url: str | None) -> dict | None:
    """The page's title, URL, date and site name, and its author where its meta tags or JSON-LD
    name one: trafilatura's metadata steps for these (the same functions in the same order as its
    ``extract_metadata``: meta tags, JSON-LD, ``<title>``/``<h1>``, canonical link; htmldate),
    without the searches whose results briefgen never uses. Its byline search through the whole
    page (``extract_author``), its licence, category and tag searches were ~30% of the time to read
    a saved page. ``tree``: the page as ``_parsed`` gives it. None when it is not parsed (the
    string) or these steps cannot be imported (another trafilatura) or fail: the caller then
    asks trafilatura for its full metadata, as before."""
    if isinstance(tree, str):
        return None
    try:
        from htmldate import find_date
        from trafilatura.metadata import META_URL, examine_meta, extract_meta_json, extract_sitename, extract_title, extract_url
    except ImportError:  # pragma: no cover - depends on the installed trafilatura
        return None
    try:
        doc = examine_meta(tree)
        if doc.author and " " not in doc.author:  # (as trafilatura: a one-word author is a handle)
            doc.author = None
        try:
            doc = extract_meta_json(tree, doc)
        except Exception:  # noqa: BLE001 - as trafilatura: broken JSON-LD leaves the meta tags
            pass
        if not doc.title:
            doc.title = extract_title(tree)
        if not doc.url:
            doc.url = extract_url(tree, default_url)
        doc.date = find_date(tree, url=doc.url, **_DATE_PARAMS)
        if not doc.sitename:
            doc.sitename = extract_sitename(tree)
        if doc.sitename:
            doc.sitename = doc.sitename.lstrip("@")
            if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
                doc.sitename = doc.sitename.title()
        elif doc.url and (m := META_URL.match(doc.url)):
            doc.sitename = m[1]
        doc.clean_and_trim()
    except Exception:  # noqa: BLE001 - whatever fails here, trafilatura's own search decides as before
        return None
    return {k: getattr(doc, k, None) for k in ("title", "url", "date", "sitename", "author")}


def read_html(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    _quiet_logs()
    raw, _enc = decode_bytes(data, _charset_hint(data))
    html = _XML_DECL.sub("", clean_text(raw), count=1)
    if not _MARKUP.search(html[:100_000]):  # plain text under an .html name: read it as text
        from .text import article_from_text

        article = article_from_text(html, path, display, settings, source_format="txt")
        article.meta["note"] = "no HTML markup: read as plain text"
        return [article]
    import trafilatura

    page_url = _page_url(html)
    prepared = _unwrap_layout_tables(html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = _parsed(prepared)
        meta = _metadata(source, page_url)
        try:
            doc = trafilatura.bare_extraction(
                source,
                url=page_url or (meta or {}).get("url"),
                with_metadata=meta is None,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                date_extraction_params=_DATE_PARAMS,
            )
        except (ValueError, TypeError, AttributeError):
            doc = None
    found = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (found.get("text") or "").strip()
    if doc is None:  # no text extracted: as when trafilatura searched the metadata too (it then gave none)
        meta = {}
    elif meta is None:  # (trafilatura's own metadata search ran)
        meta = found
    extractor = "trafilatura"
    visible = _visible_lines(html)
    if text:
        text, rescued = _rescue_prose(text, source, page_url)
        if rescued:
            extractor = f"trafilatura (+{rescued} prose line(s) from recall mode)"
    if not text:
        text = "\n".join(visible)
        extractor = "visible text"
    title = (meta.get("title") or "").strip() or None
    if title is None and (m := _TITLE_TAG.search(html[:200_000])):
        title = " ".join(m.group(1).split()) or None
    url = page_url or meta.get("url") or None
    published = meta.get("date") or None
    if published and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
        published = None

    # trafilatura writes table rows as "| a | b |" with a "|---|" rule: keep them as plain rows
    lines = [_table_row(ln) for ln in text.splitlines() if not _TABLE_RULE.match(ln)]
    # the headline: the metadata title, or a page heading, whichever opens the extracted text;
    # non-prose lines above it (menus, breadcrumbs) are page furniture
    pre_removed: list[Removed] = []
    headings = _headings(html)
    title, at = _pick_title(title, headings, lines)
    if at is None and headings and _norm(headings[0]) != _norm(title or ""):
        # the <title> is only the site's name (it stands in the page header too): the heading is the headline
        in_text = {_norm(ln) for ln in lines}
        if title is None or any(v.startswith(_norm(title)) and v not in in_text for v in visible):
            title = headings[0]
    if at is not None:
        above = [ln.strip() for ln in lines[:at] if ln.strip()]
        if any(is_prose(ln) for ln in above):
            lines = lines[:at] + lines[at + 1:]
        else:
            if above:
                pre_removed.append(Removed("\n".join(above), "above the headline (menus)"))
            lines = lines[at + 1:]
    cleaned = clean_scrape("\n".join(lines), detect_title=title is None, tables=True)
    if not cleaned.text.strip():
        raise ReadError("no article text found in the page")
    removed: list[Removed] = []
    kept = set(" ".join(ln.split()) for ln in cleaned.text.splitlines())
    if title:
        kept.add(" ".join(title.split()))
    outside = [ln for ln in visible if ln not in kept]
    if outside:
        shown = outside[:80]
        more = f"\n… and {len(outside) - 80} more lines" if len(outside) > 80 else ""
        removed.append(Removed("\n".join(shown) + more, "outside the main text (page furniture)"))
    removed.extend(pre_removed)
    removed.extend(cleaned.removed)
    return [
        Article(
            id=article_id(display),
            path=display,
            text=cleaned.text,
            title=title or cleaned.title,
            url=url or cleaned.url,
            published=published,
            source_format="html",
            removed=removed,
            meta={"extractor": extractor, "sitename": meta.get("sitename"), "author": meta.get("author")},
        )
    ]
