"""PDF brief through WeasyPrint: tagged PDF/UA-1 by default, PDF/A-3u on request.

Safety: the renderer gets a URL fetcher that serves only briefgen's packaged fonts and files
inside the template and style folders; anything else (http, file:// elsewhere, data from an
article) is refused. Missing glyphs are an error, not a box in the document.
Reproducibility: dates come from the brief's as-of date and the PDF identifier is derived from
the content, so the same inputs and --as-of give byte-identical files.
"""
from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from ..model import Brief
from ..settings import Settings, asset_dir
from .html import FONTS_DIR, render_html

VARIANTS = ("pdf/ua-1", "pdf/a-3u", "pdf/a-2b", "none")


class MissingGlyphError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxFetcher(URLFetcher):
        """Serves packaged fonts and files under the allowed folders; refuses everything else."""

        def __init__(self, roots: tuple[Path, ...]):
            super().__init__(allowed_protocols=("briefgen-font", "file"), fail_on_errors=False)
            self.roots = tuple(r.resolve() for r in roots)

        def fetch(self, url, headers=None):
            if url.startswith("briefgen-font:"):
                name = url.split(":", 1)[1]
                path = (FONTS_DIR / name).resolve()
                if path.parent != FONTS_DIR.resolve() or not path.is_file():
                    raise ValueError(f"no packaged font {name!r}")
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/sfnt"})
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(r) for r in self.roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"resource not allowed in briefs: {url[:80]}")

    return SandboxFetcher


class _GlyphWatch(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record):
        msg = record.getMessage()
        if ".notdef glyph" in msg:
            self.missing.append(msg)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render(brief: Brief, settings: Settings) -> bytes:
    from weasyprint import HTML

    variant = settings.pdf_variant
    if variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant '{variant}' (choose from {', '.join(VARIANTS)})")
    html = render_html(brief, settings, for_pdf=True)
    roots = (asset_dir("templates", settings.templates_dir), asset_dir("styles", settings.styles_dir))
    fetcher = _fetcher_class()(roots)
    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        doc = HTML(string=html, base_url=str(roots[1]) + "/", url_fetcher=fetcher).render(font_config=_font_config())
        ident = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")
        options = {"pdf_identifier": ident, "uncompressed_pdf": False}
        if variant != "none":
            options["pdf_variant"] = variant
        data = doc.write_pdf(font_config=_font_config(), **options)
    finally:
        logger.removeHandler(watch)
    if watch.missing:
        raise MissingGlyphError(f"{brief.country}: {len(watch.missing)} character(s) not covered by the fonts, e.g. {watch.missing[0]}")
    return data
