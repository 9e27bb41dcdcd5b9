"""Saved web pages (.html/.htm): main text, title, publication date and URL.

trafilatura extracts the main text and metadata from the page string (it never fetches
anything when handed a string); its date comes from htmldate, asked for the fast search only.
The URL is the canonical link or og:url, else the "saved from url=" comment browsers write.
Scripts, styles, iframes and images never reach the text, and nothing is loaded from any URL.
Whatever the page had besides the main text is listed in ``removed`` for ``--explain``.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

from ..model import Article, Removed
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
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
    """All visible text lines of the page (scripts and the like excluded), for the removed list."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - best effort only
        return []
    for bad in list(tree.iter(*_SKIP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    for br in tree.iter(*_BLOCK_TAGS):
        br.tail = "\n" + (br.tail or "")
    text = tree.text_content()
    return [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]


def _fallback_text(html: str) -> str:
    return "\n".join(_visible_lines(html))


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = trafilatura.bare_extraction(
                html,
                url=page_url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except (ValueError, TypeError, AttributeError):
            doc = None
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (meta.get("text") or "").strip()
    extractor = "trafilatura"
    if not text:
        text = _fallback_text(html)
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
    # trafilatura repeats the headline as the first line of the text
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]
    cleaned = clean_scrape("\n".join(lines), detect_title=title is None, tables=True)
    if not cleaned.text.strip():
        raise ReadError("no article text found in the page")
    removed: list[Removed] = []
    kept = set(" ".join(ln.split()) for ln in cleaned.text.splitlines())
    if title:
        kept.add(" ".join(title.split()))
    outside = [ln for ln in _visible_lines(html) if ln not in kept]
    if outside:
        shown = outside[:80]
        more = f"\n… and {len(outside) - 80} more lines" if len(outside) > 80 else ""
        removed.append(Removed("\n".join(shown) + more, "outside the main text (page furniture)"))
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
