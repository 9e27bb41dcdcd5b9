"""Plain text and Markdown articles (including plain-text web scrapes like the seeds)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..model import Article
from ..settings import Settings
from . import ReadError
from .cleanup import clean_scrape


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding to NFC text."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data.decode(enc, errors="replace"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise ReadError("not text: no character encoding fits the bytes") from None
        text = str(best)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def read_text(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    text = decode(data)
    cleaned = clean_scrape(text)
    if not cleaned.text.strip():
        raise ReadError("no article text left after removing page furniture")
    return [
        Article(
            id=Path(display).name,
            path=display,
            text=cleaned.text[: settings.limits.max_text_chars],
            title=cleaned.title,
            url=cleaned.url,
            source_format="md" if path.suffix.lower() == ".md" else "txt",
            removed=cleaned.removed,
        )
    ]
