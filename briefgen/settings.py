"""Run settings: one frozen record handed to every stage.

The per-article analysis is a pure function of (article, Settings.analysis_key()), which is
what makes it cacheable and safe to map across processes or a Dask cluster.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

#: languages the analysis has lexicons and a detector for (ISO 639-1)
SUPPORTED_LANGUAGES = (
    "vi", "id", "de", "fr", "en", "es", "pt", "it", "nl", "ru", "zh", "ja", "ko", "th", "pl", "tr", "ar",
)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024  # per input file
    max_pages: int = 500  # PDF inputs
    max_seconds: float = 30.0  # per file (readers that can be slow)
    max_unpacked_bytes: int = 200 * 1024 * 1024  # zip members (DOCX) after decompression
    max_text_chars: int = 2_000_000  # text kept per article


@dataclass(frozen=True)
class Settings:
    as_of: str = field(default_factory=lambda: _dt.date.today().isoformat())
    home: str | None = None  # ISO alpha-2; None = detect
    output_lang: str = "en"
    formats: tuple[str, ...] = ("pdf", "docx")
    organisation: str = ""
    marking: str = ""
    author: str = "briefgen"
    templates_dir: str | None = None
    styles_dir: str | None = None
    page_size: str = "A4"
    pdf_variant: str = "pdf/ua-1"
    countries_of_interest: tuple[str, ...] = ()
    extra_aliases: tuple[tuple[str, str], ...] = ()  # (alias, ISO code)
    workers: int = 0  # 0 = number of cores
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    use_cache: bool = True
    quiet: bool = False
    max_items: int = 12  # per brief section before trimming
    max_citations: int = 6  # per item: the most recent sources are cited, the rest counted ("+n")
    limits: Limits = field(default_factory=Limits)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    explain: bool = False
    translator: str = "none"  # brief.translate.TRANSLATORS key; extracted sentences stay as written by default
    # JSON/JSONL feeds: (our field, the feed's field), our fields being title, url, published, text, id
    feed_fields: tuple[tuple[str, str], ...] = ()

    def with_(self, **kw) -> "Settings":
        new = replace(self, **kw)
        if hasattr(self, "_config"):  # the config file's sections (smtp, recipients) travel along
            object.__setattr__(new, "_config", self._config)
        return new

    def analysis_key(self) -> str:
        """Hash of the settings that change per-article analysis (for the cache)."""
        relevant = {"extra_aliases": sorted(self.extra_aliases)}
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]

    def read_key(self) -> str:
        """Hash of the settings that change what the readers make of a file (for the article
        cache): the size, page, time and text limits and the feed field names."""
        relevant = {"limits": asdict(self.limits), "feed_fields": [list(f) for f in self.feed_fields]}
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def as_of_date(self) -> _dt.date:
        return _dt.date.fromisoformat(self.as_of)


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def asset_dir(kind: str, override: str | None = None) -> Path:
    """Folder of templates or styles: user override, packaged copy, or the source tree."""
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / kind
    if packaged.is_dir():
        return packaged
    return repo_root() / kind
