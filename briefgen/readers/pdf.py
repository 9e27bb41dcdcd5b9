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

from ..model import Article
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
from .encoding import clean_text

_MIN_CHARS = 40
_END = (".", "!", "?", ":", "。", "！", "？", "”", "\"", "»", ")")


def _join_lines(page_text: str) -> str:
    """Join the visual lines of a page into paragraphs."""
    out: list[str] = []
    buf = ""
    rows = [" ".join(raw.split()) for raw in page_text.splitlines()]
    widths = sorted(len(r) for r in rows if r)
    full = widths[int(len(widths) * 0.8)] if widths else 0  # a typical full line
    short_prev = False
    for line in rows:
        if not line:
            if buf:
                out.append(buf)
                buf = ""
            continue
        if not buf:
            buf = line
        elif short_prev and not buf.endswith((",", ";")):
            out.append(buf)  # the previous line stopped short: a heading or a paragraph's end
            buf = line
        elif buf.endswith("-") and len(buf) > 1 and buf[-2].isalpha() and line[:1].islower():
            buf = buf[:-1] + line
        elif buf.endswith(_END) and (line[:1].isupper() or line[:1].isdigit() or not line[:1].isalpha()):
            out.append(buf)
            buf = line
        else:
            buf = buf + " " + line
        short_prev = full >= 40 and len(line) < 0.7 * full
    if buf:
        out.append(buf)
    return "\n".join(out)


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
        pages: list[str] = []
        failed = 0
        for page in reader.pages:
            try:
                pages.append(_join_lines(page.extract_text() or ""))
            except Exception:  # noqa: BLE001 - one broken page should not lose the rest
                failed += 1
                pages.append("")
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
    text = clean_text("\n\n".join(p for p in pages if p.strip()))
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
