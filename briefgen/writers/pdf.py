"""PDF brief through WeasyPrint: tagged PDF/UA-1 by default, PDF/A-3u on request.

Safety: the renderer gets a URL fetcher that serves only briefgen's packaged fonts, files
inside the template and style folders and inline raster images (data:image/png|jpeg|gif);
anything else (http, file:// elsewhere, other data: URIs) is refused. Article text reaches the template as data and is autoescaped, so it can never add a
resource request of its own.

Fonts: only the shipped OFL Noto fonts are used, so every machine renders the same. A character
none of them covers (an Egyptian hieroglyph, a Tamil letter...) would otherwise fall back to
whatever system font exists, or show as an empty box; instead it is replaced by a visible
``[U+13000]`` marker and a warning is logged (logger ``briefgen.writers.pdf``) naming the
characters, so the brief still goes out and the reader sees something is missing. Invisible
format characters (ZWSP, BOM, soft hyphen...) without a glyph are dropped silently. If WeasyPrint
still reports a .notdef glyph, rendering fails with ``MissingGlyphError``.

Reproducibility: dates come from the brief's as-of date (also passed to fontTools, which stamps
subset fonts, through SOURCE_DATE_EPOCH) and the PDF identifier is derived from the content, so
the same inputs and --as-of give byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..model import Brief
from ..settings import Settings, asset_dir
from .html import FONTS_DIR, render_html
from .templating import map_strings, normalised

VARIANTS = ("pdf/ua-1", "pdf/a-3u", "pdf/a-2b", "none")
log = logging.getLogger(__name__)
_ENV_LOCK = threading.Lock()


class MissingGlyphError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def load_weasyprint() -> None:
    """Import WeasyPrint once, fast. It opens Pango, HarfBuzz and fontconfig by trying several
    file names per library (one per platform); each miss makes cffi call
    ``ctypes.util.find_library``, which on Linux runs ldconfig, gcc and ld as subprocesses: about
    50 of them, 0.3-0.6 s of every start. While WeasyPrint loads, names are looked up in one
    ``ldconfig -p`` listing instead (the same rule: "lib<name>." + anything). Elsewhere, or if
    ldconfig cannot be run, the import is left as it is."""
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401
        return
    import ctypes.util
    import subprocess

    listing = None
    for exe in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            listing = subprocess.run([exe, "-p"], capture_output=True, text=True, timeout=10).stdout
            break
        except (OSError, subprocess.SubprocessError):
            continue
    if not listing:
        import weasyprint  # noqa: F401
        return
    sonames = [line.split(None, 1)[0] for line in listing.splitlines()[1:] if line.strip()]

    def find_library(name: str) -> str | None:
        prefix = f"lib{name}."
        return next((so for so in sonames if so.startswith(prefix)), None)

    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = original


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
            if url.startswith("data:image/") and not url.startswith("data:image/svg"):
                # self-contained raster images (a logo inlined by a template): no file, no network
                import base64
                from urllib.parse import unquote_to_bytes

                head, _, payload = url.partition(",")
                mime = head[5:].split(";")[0]
                if mime in ("image/png", "image/jpeg", "image/gif"):
                    body = base64.b64decode(payload) if head.endswith(";base64") else unquote_to_bytes(payload)
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(r) for r in self.roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"resource not allowed in briefs: {url[:80]}")

    return SandboxFetcher


class _GlyphWatch(logging.Handler):
    """WeasyPrint's warnings during one render: missing glyphs (an error for us), and the rest:
    CSS or HTML it could not use (a rule of the user's stylesheet it dropped, say), which
    WeasyPrint sends to a null handler."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.missing: list[str] = []
        self.other: list[str] = []

    def emit(self, record):
        msg = record.getMessage()
        (self.missing if ".notdef glyph" in msg else self.other).append(msg)


_REPORTED: set[str] = set()  # WeasyPrint warnings already passed on by this process


def pass_on_weasyprint(messages: list[str]) -> None:
    """Show WeasyPrint's warnings through briefgen's logger, each once per process (the same
    stylesheet warns the same way for every brief). Also for a file served from the render
    cache, whose render's warnings were kept with it."""
    for msg in messages:
        if msg not in _REPORTED:
            _REPORTED.add(msg)
            log.warning("WeasyPrint: %s", msg, extra={"weasyprint": True})


@lru_cache(maxsize=1)
def _font_config():
    """This process's font configuration (the shipped fonts, loaded once).

    WeasyPrint writes each ``@font-face`` font it loads into a temporary folder of the
    configuration's, which the configuration's ``__del__`` removes. A process that ends with
    ``os._exit`` never runs it: the ``briefgen`` command (``cli.exit_now``) and every pool
    worker and render helper left a 5.7 MB ``weasyprint-*`` folder behind. The folder is
    removed at this process's exit instead, by a ``multiprocessing`` finalizer: those run
    at the main process's exit (``atexit``, which ``exit_now`` runs too) and at a worker
    process's, and only in the process that registered them (a forked child that inherits
    this configuration leaves its parent's folder alone). Its priority puts it after the
    process's children are stopped or joined. It holds the configuration weakly: one dropped
    before the exit (``_font_config.cache_clear()``) is cleaned up by WeasyPrint as before."""
    import weakref
    from multiprocessing.util import Finalize

    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    Finalize(config, _remove_font_folder, args=(weakref.ref(config),), exitpriority=-1)
    return config


def _remove_font_folder(ref) -> None:
    import shutil

    config = ref()
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None


@lru_cache(maxsize=8)
def _cmap_codepoints(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs. The glyphs are given placeholder names: the
    cmap would otherwise name them from the font's glyph-name table, which the code points do
    not need (all shipped fonts: 0.073 -> 0.021 s, once per process that writes PDFs)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
    return frozenset(font["cmap"].getBestCmap())


def base_codepoints() -> frozenset[int]:
    """Code points of the always-loaded Noto Sans; anything else needs the CJK font."""
    return _cmap_codepoints(FONTS_DIR / "NotoSans-Regular.ttf")


def needs_cjk_font(brief: Brief) -> bool:
    base = base_codepoints()
    found: list[bool] = []
    map_strings(brief, lambda s: found.append(True) if any(ord(c) not in base for c in s if c not in "\n\t") else None)
    return bool(found)


@lru_cache(maxsize=1)
def covered_codepoints() -> frozenset[int]:
    """Code points the shipped fonts have glyphs for (union of the Noto Sans and CJK cmaps)."""
    cps: set[int] = set()
    for path in sorted(FONTS_DIR.iterdir()):
        if path.suffix.lower() in (".ttf", ".otf"):
            cps.update(_cmap_codepoints(path))
    return frozenset(cps)


def _replace_uncovered(text: str, missing: set[str]) -> str:
    covered = covered_codepoints()
    if all(ord(c) in covered or c in "\n\t" for c in text):
        return text
    out = []
    for c in text:
        if ord(c) in covered or c in "\n\t":
            out.append(c)
        elif unicodedata.category(c) in ("Cf", "Cc"):
            continue  # invisible format/control characters: nothing to show
        elif unicodedata.category(c).startswith("Z"):
            out.append(" ")  # an exotic space or separator
        else:
            missing.add(c)
            out.append(f"[U+{ord(c):04X}]")
    return "".join(out)


def covered_brief(brief: Brief) -> tuple[Brief, list[str]]:
    """The brief with characters no shipped font covers replaced by ``[U+XXXX]`` markers."""
    missing: set[str] = set()
    out = map_strings(brief, lambda s: _replace_uncovered(s, missing))
    return out, sorted(missing)


@lru_cache(maxsize=16)
def _without_layout_tables(content: bytes, index: int) -> bytes:
    """The font without GSUB/GPOS, copied table by table (nothing is decompiled)."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    if "GPOS" not in font and "GSUB" not in font:
        return content
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


@lru_cache(maxsize=1)
def _speed_up_font_subsetting() -> bool:
    """WeasyPrint (without libharfbuzz-subset) subsets each embedded font with fontTools after
    layout, dropping GSUB/GPOS from the result, but fontTools still parses them first: ~0.2 s per
    Noto Sans face per render, most of a Latin brief's time. Shaping is done by then, so we hand
    the subsetter the font without those two tables: same embedded glyphs, ~5x faster. If
    WeasyPrint's internals differ from what we expect, nothing is changed."""
    try:
        from weasyprint.pdf import fonts as wfonts

        original = wfonts.Font._fonttools_subset
    except (ImportError, AttributeError):
        return False
    if getattr(original, "_briefgen", False):
        return True

    def subset(self, to_unicode, hinting):
        try:
            self.file_content = _without_layout_tables(self.file_content, getattr(self, "index", 0) or 0)
        except Exception:  # leave the font as it was
            pass
        return original(self, to_unicode, hinting)

    subset._briefgen = True
    wfonts.Font._fonttools_subset = subset
    return True


#: zlib level of the PDF's streams (page contents, fonts, the structure tree)
STREAM_COMPRESSION = 6


class _StreamZlib:
    """The ``zlib`` module as pydyf (WeasyPrint's PDF writer) sees it, except that the level 9
    it asks for every stream becomes ``STREAM_COMPRESSION``. A 6-page brief has ~1.4 MB of raw
    streams: level 9 took 90-120 ms of its ~1.1 s, level 6 takes ~26 ms, for streams 2.8%
    larger (210 -> 216 KB before the PDF's own overhead)."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)

    def compressobj(self, level=-1, *args, **kwargs):
        return self._module.compressobj(STREAM_COMPRESSION if level == 9 else level, *args, **kwargs)


@lru_cache(maxsize=1)
def _faster_stream_compression() -> bool:
    """Give pydyf ``_StreamZlib`` (once per process, for every user of pydyf in it). If pydyf
    has no ``zlib`` of its own to replace, nothing is changed."""
    try:
        import pydyf

        module = pydyf.zlib
    except (ImportError, AttributeError):
        return False
    if not isinstance(module, _StreamZlib):
        pydyf.zlib = _StreamZlib(module)
    return True


def _epoch(as_of: str) -> str:
    d = dt.datetime.fromisoformat(as_of[:10]).replace(tzinfo=dt.timezone.utc)
    return str(int(d.timestamp()))


#: the user-agent rules that match every element and that ``_lean_ua_sheet`` narrows or drops
_UNIVERSAL_MARKER = "\n::marker {"
_NOTE_RULE = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.M)
#: what a document's CSS must not hold for the lean sheet to be used (checked lower-cased):
#: footnotes (``float: footnote``), notes (``position: note()``), list items other than ``li``,
#: a sheet the check cannot see (imported), and CSS escapes, which could spell any of these
_NEEDS_STOCK_UA = ("footnote", "note(", "list-item", "@import", "\\")
#: ... nor a display taken from elsewhere: a child of a list item that inherits its display is
#: a list item too
_DISPLAY_FROM_ELSEWHERE = re.compile(r"\b(?:display|all)\s*:\s*(?:inherit|revert)")
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


@lru_cache(maxsize=1)
def _lean_ua_sheet():
    """WeasyPrint's user-agent stylesheet without its rules for pseudo-elements of every element.

    ``::marker`` and the five ``::footnote-*`` / ``::note-*`` rules match every element, so
    WeasyPrint computes six styles per element that a brief never shows: the sheet gives
    markers their style on ``li`` only (the only list items of a brief) and has no footnote or
    note rules. Over the 40 briefs of 3,000 benchmark articles: 6,462 -> 626 computed styles
    per brief, the same bytes, 0.994 -> 0.932 and 0.995 -> 0.949 s per brief (two runs of
    four rounds, alternating brief by brief). ``layout`` uses it only for a document that
    ``lean_ua_applies`` to. None (the stock sheet) when WeasyPrint's sheet is not as expected."""
    try:
        from weasyprint import CSS
        from weasyprint import html as whtml
        from weasyprint.css.counters import CounterStyle

        source = whtml.UA
    except (ImportError, AttributeError):
        return None
    if source.count(_UNIVERSAL_MARKER) != 1 or len(_NOTE_RULE.findall(source)) != 5:
        return None
    lean = _NOTE_RULE.sub("", source.replace(_UNIVERSAL_MARKER, "\nli::marker {"))
    if "::footnote" in lean or "::note" in lean:
        return None
    # (its @counter-style rules, the stock sheet's, go to a table of their own: the documents
    # take theirs from WeasyPrint's, which the stock sheet filled)
    return CSS(string=lean, counter_style=CounterStyle())


@lru_cache(maxsize=1)
def _html_class():
    """WeasyPrint's ``HTML``, whose documents take ``_lean_ua_sheet`` when they can."""
    from weasyprint import HTML
    from weasyprint.html import UA_STYLESHEET

    class BriefHTML(HTML):
        lean = False

        def _ua_stylesheets(self, *args, **kwargs):
            sheets = super()._ua_stylesheets(*args, **kwargs)
            lean = _lean_ua_sheet() if self.lean else None
            if lean is None or not sheets:
                return sheets
            return [lean if sheet is UA_STYLESHEET else sheet for sheet in sheets]

    return BriefHTML


def lean_ua_applies(html: str) -> bool:
    """Whether a document can be laid out with ``_lean_ua_sheet``: its CSS (``<style>`` elements
    and ``style`` attributes) holds nothing of ``_NEEDS_STOCK_UA`` or
    ``_DISPLAY_FROM_ELSEWHERE``, no ``style`` attribute has a character reference (``&#45;``),
    and no stylesheet is linked. Article text is not CSS: a brief quoting "footnote" keeps it."""
    if "<link" in html.lower():
        return False
    attributes = ["".join(m.groups(default="")) for m in _STYLE_ATTRIBUTE.finditer(html)]
    if any("&" in a for a in attributes):
        return False
    css = "\n".join(_STYLE_ELEMENT.findall(html) + attributes).lower()
    return not any(x in css for x in _NEEDS_STOCK_UA) and _DISPLAY_FROM_ELSEWHERE.search(css) is None


def layout(html: str, settings: Settings):
    """Lay out HTML with the shipped fonts through the sandboxed fetcher (a WeasyPrint
    document: ``len(doc.pages)`` is its page count). Used for briefs and the overview."""
    load_weasyprint()  # before any other WeasyPrint import here
    _speed_up_font_subsetting()
    _faster_stream_compression()
    roots = (asset_dir("templates", settings.templates_dir), asset_dir("styles", settings.styles_dir))
    doc = _html_class()(string=html, base_url=roots[1].resolve().as_uri() + "/", url_fetcher=_fetcher_class()(roots))
    doc.lean = lean_ua_applies(html)
    return doc.render(font_config=_font_config())


def write(doc, html: str, as_of: str, variant: str) -> bytes:
    """PDF bytes of a laid-out document, reproducible: the identifier comes from the content
    and every date from the as-of date. Tagged in every variant (archived copies stay accessible)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant '{variant}' (choose from {', '.join(VARIANTS)})")
    ident = hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")
    options = {"pdf_identifier": ident, "uncompressed_pdf": False, "pdf_tags": True}
    if variant != "none":
        options["pdf_variant"] = variant
    # fontTools stamps the subset fonts' head.modified with SOURCE_DATE_EPOCH when it is set
    with _ENV_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = _epoch(as_of)
        try:
            return doc.write_pdf(**options)
        finally:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved


def warm_up(settings: Settings) -> None:
    """Render a one-item brief and throw it away. A process's first PDF pays ~0.4 s once
    (font faces, the stylesheet, WeasyPrint's caches) that later ones reuse; the render helper
    calls this while the analysis still runs, so the real brief does not wait for it."""
    from ..brief import labels
    from ..model import BriefItem, MilestoneRow, PersonRow, Source

    lang = settings.output_lang or "en"
    item = BriefItem(text="Hà Nội, 6 November 2026: 12 agreements.", lang="vi", citations=[1], who="Hà Nội")
    brief = Brief(
        country="FR", country_name="France", subject="France", as_of=settings.as_of, as_of_display=settings.as_of,
        home_country=None, home_country_name=None, output_lang=lang, languages=["English"],
        sources=[Source(n=1, article_id="a", title="Title", url=None, language="en", language_name="English",
                        date=None, path="")],
        background=[item], commitments=[item], figures=[item],
        milestones=[MilestoneRow(date="2026-04", date_display="April 2026", what="signing", lang="en", kind="event",
                                 kind_display="event", place="Lyon", status="upcoming", status_display="upcoming",
                                 citations=[1])],
        people=[PersonRow(name="Nguyễn Văn A", roles=["Minister"], citations=[1])],
        labels=labels(lang),
    )
    render(brief, settings)


def render(brief: Brief, settings: Settings) -> bytes:
    return render_with_info(brief, settings)[0]


def render_with_info(brief: Brief, settings: Settings) -> tuple[bytes, dict]:
    """(PDF bytes, {"pages": n}): the page count as laid out, so it need not be read back."""
    variant = settings.pdf_variant
    if variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant '{variant}' (choose from {', '.join(VARIANTS)})")
    brief, missing = covered_brief(normalised(brief))
    if missing:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in missing[:8])
        log.warning("%s: %d character(s) not covered by the shipped fonts, shown as [U+XXXX] markers in the PDF: %s",
                    brief.country, len(missing), names)
    html = render_html(brief, settings, for_pdf=True, cjk=needs_cjk_font(brief))
    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        doc = layout(html, settings)
        data = write(doc, html, brief.as_of, variant)
    finally:
        logger.removeHandler(watch)
    pass_on_weasyprint(watch.other)
    if watch.missing:
        raise MissingGlyphError(f"{brief.country}: {len(watch.missing)} character(s) not covered by the fonts, e.g. {watch.missing[0]}")
    return data, {"pages": len(doc.pages)}
