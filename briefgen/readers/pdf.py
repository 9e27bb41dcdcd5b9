"""PDF articles: the text layer through pypdf (no OCR).

Refuses PDFs over ``settings.limits.max_pages`` pages, encrypted PDFs that need a password, and
PDFs without a text layer (scanned pages) with a one-line reason. pypdf's warnings and log
messages are silenced: a broken PDF gives one ReadError, not a screen of noise. Lines are
re-joined into paragraphs (hyphenation at line ends is undone).
"""
from __future__ import annotations

import io
import logging
import re
import warnings
from pathlib import Path

from ..model import Article, Removed
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
from .encoding import clean_text

_MIN_CHARS = 40
_END = (".", "!", "?", ":", "。", "！", "？", "”", "\"", "»", ")")


def _join_lines(page_text: str) -> str:
    """Join the visual lines of a page into paragraphs.

    A line ends its paragraph when the next line's first word would have fitted on it (the
    writer broke the line on purpose: a heading, a paragraph's last line); otherwise the lines
    are one paragraph wrapped by the layout. Hyphenation at a line end is undone.
    """
    rows = [" ".join(raw.split()) for raw in page_text.splitlines()]
    widths = sorted(len(r) for r in rows if r)
    full = widths[int(len(widths) * 0.8)] if widths else 0  # a typical full line
    out: list[str] = []
    buf = ""
    prev = ""
    for line in rows:
        if not line:
            if buf:
                out.append(buf)
                buf = prev = ""
            continue
        if not buf:
            buf = prev = line
            continue
        first_word = line.split(" ", 1)[0]
        fits = full >= 30 and len(prev) + 1 + len(first_word) < 0.95 * full
        if fits and not prev.endswith((",", ";")):
            out.append(buf)
            buf = line
        elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[:1].islower():
            buf = buf[:-1] + line
        else:
            buf = buf + " " + line
        prev = line
    if buf:
        out.append(buf)
    return "\n".join(out)


_PAGE_NUMBER = re.compile(
    r"^\W{0,3}(?:(?:page|p\.|trang|seite|halaman|página|pagina|стр\.?)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|von|sur|trên|dari|de|di|из)\s*\d{1,4})?\W{0,3}$", re.I)
_DIGITS = re.compile(r"\d+")


def _strip_running_lines(pages: list[str]) -> tuple[list[str], list[Removed]]:
    """Drop page numbers and running headers/footers: lines at the top or bottom of at least half
    the pages (three or more) that are the same once digits are ignored."""
    removed: list[Removed] = []
    split = [[ln for ln in p.splitlines()] for p in pages]
    edge_counts: dict[str, int] = {}
    for lines in split:
        nonblank = [ln.strip() for ln in lines if ln.strip()]
        for ln in set(nonblank[:2] + nonblank[-2:]):
            key = _DIGITS.sub("#", " ".join(ln.split()))
            edge_counts[key] = edge_counts.get(key, 0) + 1
    threshold = max(3, (len(pages) + 1) // 2)
    running = {k for k, c in edge_counts.items() if c >= threshold and len(k) <= 150}
    out: list[str] = []
    seen_running: set[str] = set()
    numbers = 0
    for lines in split:
        nonblank_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(nonblank_idx[:2] + nonblank_idx[-2:])
        kept = []
        for i, ln in enumerate(lines):
            s = " ".join(ln.split())
            if i in edges and _PAGE_NUMBER.match(s):
                numbers += 1
                continue
            key = _DIGITS.sub("#", s)
            if i in edges and key in running:
                if key not in seen_running:
                    seen_running.add(key)
                    removed.append(Removed(s, "running header or footer"))
                continue
            kept.append(ln)
        out.append("\n".join(kept))
    if numbers:
        removed.append(Removed(f"{numbers} page number line(s)", "page numbers"))
    return out, removed


def _join_pages(pages: list[str]) -> str:
    """Pages joined with a paragraph break, except where a sentence runs on to the next page."""
    text = ""
    for p in (p.strip() for p in pages):
        if not p:
            continue
        if text and not text.endswith(_END):  # the page ended mid-sentence
            text = (text[:-1] + p) if text.endswith("-") and p[:1].islower() else text + " " + p
        else:
            text = (text + "\n\n" + p) if text else p
    return text


def _iso_date(value) -> str | None:
    try:
        return value.date().isoformat()
    except Exception:  # noqa: BLE001
        return None


def read_pdf(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF header")
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, EOFError, OSError) as e:
            raise ReadError(f"broken or truncated PDF ({str(e)[:120] or type(e).__name__})") from None
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - unsupported crypto etc.
                ok = 0
            if not ok:
                raise ReadError("encrypted PDF: a password is needed to read it")
        try:
            n_pages = len(reader.pages)
        except FileNotDecryptedError:
            raise ReadError("encrypted PDF: a password is needed to read it") from None
        except Exception as e:  # noqa: BLE001 - broken page tree
            raise ReadError(f"broken PDF page tree ({type(e).__name__})") from None
        if n_pages == 0:
            raise ReadError("PDF has no pages")
        if n_pages > settings.limits.max_pages:
            raise ReadError(f"PDF has {n_pages} pages, over the limit of {settings.limits.max_pages}")
        raw_pages: list[str] = []
        failed = 0
        for page in reader.pages:
            try:
                raw_pages.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - one broken page should not lose the rest
                failed += 1
                raw_pages.append("")
        raw_pages, page_furniture = _strip_running_lines(raw_pages)
        pages = [_join_lines(p) for p in raw_pages]
        title = None
        meta: dict = {"pages": n_pages}
        try:
            info = reader.metadata
            if info is not None:
                title = (info.title or "").strip() or None
                meta["author"] = (info.author or "").strip() or None
                meta["created"] = _iso_date(info.creation_date)
        except Exception:  # noqa: BLE001 - broken info dictionary
            pass
    if failed:
        meta["unreadable_pages"] = failed
    text = clean_text(_join_pages(pages))
    if len(re.sub(r"\s+", "", text)) < _MIN_CHARS:
        if failed == n_pages:
            raise ReadError("broken PDF: no page could be read")
        raise ReadError("no text layer (scanned PDF?)")
    if title and re.fullmatch(r"(?i)(untitled|microsoft word - .*|document\d*|.*\.(docx?|pdf|html?))", title):
        title = None
    lines = text.split("\n")
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]
    cleaned = clean_scrape("\n".join(lines), detect_title=title is None)
    cleaned.removed[:0] = page_furniture
    if not cleaned.text.strip():
        raise ReadError("no text layer (scanned PDF?)")
    return [
        Article(
            id=article_id(display),
            path=display,
            text=cleaned.text,
            title=title or cleaned.title,
            url=cleaned.url,
            source_format="pdf",
            removed=cleaned.removed,
            meta=meta,
        )
    ]
