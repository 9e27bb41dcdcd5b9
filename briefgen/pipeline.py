"""The pipeline: inputs -> articles -> analyses -> corpus -> briefs -> files.

The CLI only parses options and calls these functions; tests call them directly too.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .model import Article, ArticleAnalysis, Brief, Corpus, InputRecord
from .settings import Settings

if TYPE_CHECKING:
    from .parallel import Reading

log = logging.getLogger("briefgen")


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)

    @property
    def failed(self) -> list[InputRecord]:
        return [r for r in self.inputs if r.status == "failed"]


def read_inputs(inputs: list[str], settings: Settings, on_error: Callable[[str], None] | None = None,
                meanwhile: Callable[[Reading], None] | None = None) -> ReadResult:
    """Discover and read every input; a bad file becomes a one-line error, never an exception.
    ``meanwhile``: work for this process while worker processes read (``parallel.read_many``)."""
    from . import readers
    from .parallel import read_many

    result = ReadResult()
    seen_ids: set[str] = set()
    found = list(readers.discover(inputs, settings))
    for (path, display), (arts, status, reason) in zip(found, read_many(found, settings, meanwhile=meanwhile)):
        rec = InputRecord(path=display, status=status, reason=reason)
        if status == "used":
            for a in arts:
                base, n = a.id, 2
                while a.id in seen_ids:
                    a.id = f"{base}#{n}"
                    n += 1
                seen_ids.add(a.id)
                rec.article_ids.append(a.id)
                rec.sha256 = a.sha256
            result.articles.extend(arts)
        if rec.status != "used" and on_error is not None:
            on_error(f"{display}: {rec.reason}")
        if rec.sha256 is None and path.is_file():
            rec.sha256 = _sha256_file(path)
        result.inputs.append(rec)
    return result


def read_one(path: Path, display: str, settings: Settings, memo=None) -> tuple[list[Article], str, str | None]:
    """Read one input: (articles, "used" | "skipped" | "failed", reason). Never raises.
    ``memo``: the article cache as ``readers.read`` asks it (``cache.ReadMemo``), or None."""
    from . import readers

    try:
        if not path.exists() and display != "-":
            raise readers.ReadError("no such file or folder")
        return readers.read(path, display, settings, memo), "used", None
    except readers.ReadError as e:
        return [], "skipped" if str(e).startswith("unsupported file type") else "failed", str(e)
    except Exception as e:  # a reader bug must not stop the batch
        return [], "failed", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'unexpected error'}"


def _sha256_file(path: Path) -> str | None:
    import hashlib

    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def analyze(articles: list[Article], settings: Settings, progress: Callable[[int], None] | None = None,
            **options) -> list[ArticleAnalysis]:
    """Per-article analysis: cached by content, parallel across cores or a Dask cluster.

    Results are in input order and equal to a serial run. ``options`` override the settings:
    ``workers``, ``engine`` ("local" | "dask"), ``scheduler``, ``use_cache``, ``cache_dir``,
    ``min_parallel`` (see ``briefgen.parallel.analyze_many``).
    """
    from .parallel import analyze_many

    return analyze_many(articles, settings, progress, **options)


def run_analysis(inputs: list[str], settings: Settings, on_error: Callable[[str], None] | None = None,
                 progress: Callable[[int], None] | None = None, detail: bool | str = True,
                 after_read: Callable[[int], None] | None = None) -> Corpus:
    """Read, analyse and resolve the corpus. ``detail=False`` (briefs, reports) drops each
    analysis's country and date mentions once they are summarised (see ``analysis.slim``);
    ``detail="later"`` (``analyze --full``) keeps them packed until they are written.
    ``after_read(n)`` is called with the number of articles read, before they are analysed."""
    from .parallel import BATCH_GC_THRESHOLD, frozen_loads, gc_frozen

    with frozen_loads():  # the articles and analyses loaded in bulk stay out of the collector's way
        rr = read_inputs(inputs, settings, on_error, meanwhile=_warm_for_pool(settings, bool(detail)))
        if after_read is not None:
            after_read(len(rr.articles))
        # the texts are not needed after analysis: each goes as soon as its analysis is back
        analyses = analyze(rr.articles, settings, progress, detail=detail, release=True)
        rr.articles.clear()
        with gc_frozen(BATCH_GC_THRESHOLD):  # a third of the corpus step on 10,000 articles was full collections
            return _finish(rr, analyses, settings, on_error)


def _warm_for_pool(settings: Settings, detail: bool = False) -> Callable[[Reading], None] | None:
    """What the main process does while worker processes read the files: build the analysis
    tables, which the local pool's workers, forked afterwards, then share instead of each
    building its own. A small job reads and analyses in this process, where the tables are
    built on first use anyway; Dask's workers, and a pool's where processes are spawned instead
    of forked (macOS, Windows), start without this process's memory."""
    if (settings.engine or "local").lower() != "local":
        return None
    from .parallel import forks_workers, warm_tables

    if not forks_workers():
        return None
    return lambda reading: warm_tables(settings, reading, detail)


def _finish(rr: ReadResult, analyses: list[ArticleAnalysis], settings: Settings,
            on_error: Callable[[str], None] | None) -> Corpus:
    from .analysis import corpus

    failed = {a.id: a.error for a in analyses if a.error}
    if failed:  # an article whose analysis crashed is a failed input, reported like a bad file
        for rec in rr.inputs:
            errors = [failed[i] for i in rec.article_ids if i in failed]
            if errors:
                rec.status, rec.reason = "failed", errors[0]
                if on_error is not None:
                    on_error(f"{rec.path}: {errors[0]}")
        analyses = [a for a in analyses if not a.error]
    c = corpus.finish(analyses, settings, rr.inputs)
    by_id = {a.id: a for a in analyses}
    for rec in c.inputs:
        dated = [by_id[i].event_date for i in rec.article_ids if i in by_id and by_id[i].event_date]
        rec.article_date = dated[0] if dated else None
    return c


def select_groups(c: Corpus, wanted: Iterable[str]) -> tuple[list, list[str]]:
    """The groups asked for by ISO code or organisation key ("FR", "asean") or by name in any
    supported language ("France", "Pháp", "法国"), in corpus order; and what matched nothing."""
    from .util import fold

    def lookup(with_cldr: bool) -> dict[str, str]:
        names: dict[str, str] = {}
        for g in c.groups:
            keys = {g.country, g.name}
            if with_cldr and g.kind == "country" and len(g.country) == 2:
                from babel import Locale

                from .settings import SUPPORTED_LANGUAGES

                keys.update(Locale.parse(lang).territories.get(g.country, g.country) for lang in SUPPORTED_LANGUAGES)
            for k in keys:
                names.setdefault(fold(k).strip(), g.country)
        return names

    asked = {w: fold(w).strip() for w in wanted}
    names = lookup(False)  # codes and display names first: loading 17 locales costs ~0.2 s
    if any(k not in names for k in asked.values()):
        names = lookup(True)
    chosen = {names[k] for k in asked.values() if k in names}
    unknown = [w for w, k in asked.items() if k not in names]
    return [g for g in c.groups if g.country in chosen], unknown


def make_briefs(c: Corpus, settings: Settings) -> list[Brief]:
    from .brief import build_brief
    from .parallel import BATCH_GC_THRESHOLD, gc_frozen

    by_id = {a.id: a for a in c.articles}
    with gc_frozen(BATCH_GC_THRESHOLD):
        return [build_brief(c, g, settings, by_id=by_id) for g in c.groups]


def brief_basename(brief: Brief) -> str:
    from .util import slugify

    return f"{brief.as_of}_{slugify(brief.country, upper=True)}_{slugify(brief.country_name)}-brief"


def write_briefs(briefs: Iterable[Brief], out_dir: Path, settings: Settings,
                 progress: Callable[[int], None] | None = None, helper=None) -> list[dict]:
    """Render every brief in every format (a process pool over files); returns the output records.
    ``helper``: a started ``parallel.RenderHelper`` for a small job's PDFs."""
    from .parallel import render_many

    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = [(fmt, b, brief_basename(b)) for b in briefs for fmt in settings.formats]
    return render_many(tasks, out_dir, settings, progress, helper=helper)


def output_record(path: Path, out_dir: Path, data: bytes | None = None, **extra) -> dict:
    """{path (relative to out_dir), sha256, bytes, pages (PDF)} plus ``extra``. ``data``: the bytes
    just written, if the caller has them; a PDF's ``pages`` is counted only when not given."""
    import hashlib

    if data is None:
        data = path.read_bytes()
    rec = {"path": os.path.relpath(path, out_dir), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if path.suffix == ".pdf" and extra.get("pages") is None:
        rec["pages"] = pdf_pages(data)
    rec.update(extra)
    return rec


def pdf_pages(data: bytes) -> int | None:
    """Page count of a PDF file (page objects may sit in compressed object streams). Slow on a
    tagged PDF (pypdf parses the whole structure tree): writers report the count they laid out."""
    import io

    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return None
