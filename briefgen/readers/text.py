"""Plain text and Markdown articles (including plain-text web scrapes like the seeds)."""
from __future__ import annotations

from pathlib import Path

from ..model import Article
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
from .encoding import clean_text, decode, decode_bytes  # noqa: F401 - decode re-exported for older callers


def article_from_text(
    text: str, path: Path, display: str, settings: Settings, *, source_format: str, detect_title: bool = True
) -> Article:
    """Clean a decoded plain text and wrap it as an Article (shared by text, e-mail and feeds)."""
    cleaned = clean_scrape(text, detect_title=detect_title)
    if not cleaned.text.strip():
        if cleaned.title:
            raise ReadError("only a headline, no article text")
        if cleaned.removed:
            raise ReadError("no article text left after removing page furniture")
        raise ReadError("no article text")
    return Article(
        id=article_id(display),
        path=display,
        text=cleaned.text,
        title=cleaned.title,
        url=cleaned.url,
        source_format=source_format,
        removed=cleaned.removed,
    )


def read_text(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    raw, encoding = decode_bytes(data)
    fmt = "md" if Path(display).suffix.lower() in (".md", ".markdown") else "txt"
    article = article_from_text(clean_text(raw), path, display, settings, source_format=fmt)
    article.meta["encoding"] = encoding
    return [article]
