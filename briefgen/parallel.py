"""Run the per-article analysis and the brief rendering across cores (or a Dask cluster).

``analyze_article`` is a pure function of (article, settings), so the work is a plain map:

* **local** (default): ``concurrent.futures.ProcessPoolExecutor`` over chunks of articles.
  Each worker warms up once (language detector, lexicons, compiled patterns) in its
  initializer. Inputs smaller than ``MIN_PARALLEL`` articles run in-process, where starting a
  pool would cost more than it saves.
* **dask**: the same chunk function on a Dask cluster: ``--scheduler ADDRESS``, or a local
  cluster of worker processes when no address is given.

Results come back in input order, so parallel output equals serial output. Cached results
(see ``briefgen.cache``) are loaded first and only the misses are computed; local workers
write their new entries themselves, Dask results are written by the caller (a remote worker
does not share our cache folder).

One article whose analysis raises an exception does not stop the batch: it gets an empty
analysis (language "und") and a warning; set ``BRIEFGEN_DEBUG=1`` to raise instead.
"""
from __future__ import annotations

import gc
import logging
import math
import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Sequence

from .model import Article, ArticleAnalysis, Brief
from .settings import Settings
from .util import chunks as _chunks

if TYPE_CHECKING:
    from concurrent.futures import Future

log = logging.getLogger("briefgen")

#: below this many articles to compute, analysis runs in-process
MIN_PARALLEL = 50
#: below this many files to render, briefs are rendered in-process
MIN_PARALLEL_RENDER = 4
#: up to this many PDFs go to a running render helper (already warm) instead of a new pool,
#: whose workers would each load WeasyPrint and pay a first render: 3 briefs of the seeds
#: (6 files) took 2.6-3.3 s with the pool
HELPER_MAX_PDFS = 6

Progress = Callable[[int], None]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    return default_workers() if not workers or workers <= 0 else workers


def _mp_context():
    import multiprocessing as mp

    # fork shares the parent's loaded modules and warmed tables copy-on-write: workers start in
    # milliseconds. Elsewhere (macOS, Windows) the platform default (spawn) is used.
    if sys.platform.startswith("linux"):
        return mp.get_context("fork")
    return mp.get_context()


def forks_workers() -> bool:
    """Whether the local pool's workers are forked, and so start with this process's memory."""
    return _mp_context().get_start_method() == "fork"


@contextmanager
def _bulk():
    """Pause the cyclic GC while many objects are created (unpickling thousands of articles or
    analyses); inside ``frozen_loads``, freeze them once loaded.

    Each generation-2 collection walks every live object, so with the GC on, loading N results
    costs O(N^2); the records have no reference cycles, so nothing is lost by pausing it. The
    GC counts what is allocated while paused, so the first collection after would walk all of
    it: 10,000 analyses loaded from the cache, 0.31-0.36 s of a 1.6-1.8 s step. Frozen
    (``gc.freeze``), they are out of every later collection; they are still freed when their
    last reference goes (the texts of the articles are, during the analysis).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
        if _FREEZE_LOADS:
            gc.freeze()  # (everything alive: what was loaded, and what the run holds anyway)
    finally:
        if was:
            gc.enable()


_FREEZE_LOADS = False


@contextmanager
def frozen_loads():
    """A run that loads thousands of records and keeps them to its end (``pipeline.run_analysis``:
    read, analyse, resolve): what ``_bulk`` loads meanwhile is frozen once loaded, and everything
    is unfrozen on the way out. Outside one (a library call of ``pipeline.analyze``, say),
    ``_bulk`` freezes nothing: ``gc.freeze`` acts on the whole process."""
    global _FREEZE_LOADS
    outer = not _FREEZE_LOADS
    _FREEZE_LOADS = True
    try:
        yield
    finally:
        if outer:
            _FREEZE_LOADS = False
            gc.unfreeze()


#: young-generation threshold of the cyclic GC in the analysis workers, and in ``gc_frozen`` where
#: asked for (the corpus step and the brief records)
BATCH_GC_THRESHOLD = 10_000


@contextmanager
def gc_frozen(young: int | None = None):
    """Keep the cyclic garbage collector off the objects alive now (thousands of analyses, which
    have no reference cycles): full collections would walk all of them again and again, and
    in forked workers touch (and so copy) the pages they share with the parent.

    ``young``: the young-generation threshold meanwhile. The corpus step and the brief records
    make records by the hundred thousand, freed by reference counting, so they ask for
    ``BATCH_GC_THRESHOLD`` instead of 700. Not the render pool, whose workers inherit it: a
    PDF's boxes do hold cycles, and with fewer collections each worker kept ~150 MB more of
    them (peak PSS of a 10,000-article `build` 897 -> 1,192 MB). With ``_bulk``'s freezing, a
    `build` of 10,000 articles from the cache spends 0.39-0.52 s of its main process in
    collections instead of 0.91-1.16 s (three alternating pairs). Both are undone on the way
    out."""
    threshold = gc.get_threshold()
    gc.freeze()
    if young is not None:
        gc.set_threshold(young, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _start(progress, total: int, label: str) -> None:
    start = getattr(progress, "start", None)
    if callable(start):
        start(total, label)


# --------------------------------------------------------------------------- reading


def _read_chunk(items, settings):
    from .pipeline import read_one

    memo = _read_memo(settings)
    try:
        return [read_one(path, display, settings, memo) for path, display in items]
    finally:
        if memo is not None:
            memo.flush()


def _read_memo(settings: Settings):
    """The article cache for a batch of files (``cache.ReadMemo``), or None without the cache."""
    if not settings.use_cache:
        return None
    try:
        from .cache import ReadMemo

        return ReadMemo(settings)
    except Exception as e:  # the cache is an aid, never a reason to fail
        log.debug("article cache not used: %s", e)
        return None


def read_many(found: Sequence[tuple], settings: Settings, *, workers: int | None = None,
              min_parallel: int = MIN_PARALLEL,
              meanwhile: Callable[[Reading], None] | None = None) -> list[tuple]:
    """``pipeline.read_one`` over every (path, display) pair, in order, across cores.

    Decoding, mojibake checks and scrape clean-up cost milliseconds per file, which adds up on
    an archive of thousands of files. Standard input ('-') is always read in this process.
    ``meanwhile(reading)`` runs in this process while the workers read (only when they do);
    ``reading`` (a ``Reading``) tells what they have read by then.
    """
    n_workers = resolve_workers(settings.workers if workers is None else workers)
    todo = [i for i, (_, display) in enumerate(found) if display != "-"]
    out: list = [None] * len(found)
    if n_workers > 1 and len(todo) >= min_parallel:
        from concurrent.futures import ProcessPoolExecutor

        size = _chunk_size(len(todo), n_workers)
        chunks = _chunks(todo, size)
        with ProcessPoolExecutor(max_workers=min(n_workers, len(chunks)), mp_context=_mp_context()) as pool:
            futs = [pool.submit(_read_chunk, [found[i] for i in idx], settings) for idx in chunks]
            if meanwhile is not None:  # (with the GC on: building the tables leaves cyclic garbage)
                meanwhile(Reading(futs))
            with _bulk():
                for idx, fut in zip(chunks, futs):
                    for i, res in zip(idx, fut.result()):
                        out[i] = res
    rest = [i for i in range(len(found)) if out[i] is None]
    if rest:
        for i, res in zip(rest, _read_chunk([found[i] for i in rest], settings)):
            out[i] = res
    if settings.use_cache and found:
        from .cache import ArticleCache

        kept = ArticleCache()
        try:
            kept.prune()
        finally:
            kept.close()
    return out


class Reading:
    """The reading under way, as ``read_many``'s ``meanwhile`` sees it."""

    def __init__(self, futs: Sequence[Future]):
        self._futs = futs

    def articles(self) -> list[Article]:
        """The articles of the chunks read by now, at least the first (waits for it); a chunk
        that failed is left to ``read_many``, which reports it."""
        from concurrent.futures import wait

        wait(self._futs[:1])
        out: list[Article] = []
        for fut in self._futs:
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                out.extend(a for arts, _status, _reason in fut.result() for a in arts)
        return out

    def finished(self) -> bool:
        """Whether every chunk has been read (or has failed)."""
        return all(fut.done() for fut in self._futs)


# --------------------------------------------------------------------------- analysis


def safe_analyze(article: Article, settings: Settings, language: tuple[str, float] | None = None) -> tuple[ArticleAnalysis, bool]:
    """(analysis, ok). A failing article gets an empty analysis instead of stopping the run."""
    from . import analysis

    try:
        return analysis.analyze_article(article, settings, language), True
    except Exception as e:
        if os.environ.get("BRIEFGEN_DEBUG"):
            raise
        detail = str(e).splitlines()[0] if str(e) else ""
        return ArticleAnalysis(
            id=article.id, path=article.path, title=article.title, url=article.url, language="und",
            published=article.published, source_format=article.source_format, removed=article.removed,
            error=f"analysis failed ({type(e).__name__}{': ' + detail if detail else ''}); left out of the briefs",
        ), False


_WARM_TEXTS = (
    ("en", "Vietnam and France signed a memorandum on 6 November 2026. The minister will visit Hanoi in April."),
    ("vi", "Việt Nam và Pháp đã ký biên bản ghi nhớ ngày 6/11/2026. Bộ trưởng sẽ thăm Hà Nội vào tháng 4."),
    ("de", "Vietnam und Frankreich unterzeichneten am 6. November 2026 eine Absichtserklärung."),
    ("zh", "越南与法国于2026年11月6日签署了谅解备忘录。部长将于明年四月访问河内。"),
)


def warm_up(settings: Settings) -> None:
    """Build the detector, lexicons and patterns once per worker process."""
    gc.enable()  # a forked worker inherits the parent's GC state
    warm_tables(settings)


#: articles of the first chunks read whose languages ``warm_tables`` detects
WARM_SAMPLE = 100


def warm_tables(settings: Settings, reading: Reading | None = None, detail: bool = False) -> None:
    """Build the detector and the tables of the commonest languages (``_WARM_TEXTS``) in this
    process; then, given the ``reading`` under way, those of every other language found in a
    sample of the articles read by then (one of its articles is analysed and thrown away), until
    the reading is over (a language already begun is finished).

    Done in the parent while the files are read (``pipeline.run_analysis``), the analysis
    workers forked afterwards inherit them: each worker spent 0.7-0.9 s building its own copy
    (~75 MB) of the first four before its first article, and 0.1-0.2 s (3-6 MB) on each further
    language. A language the sample misses is built by each worker when it meets it. Once the
    files are read, building a language here would only hold the workers up; and when every
    article of the sample has its analysis in the cache (a re-run), so, most likely, do the
    rest, and no further language is built (for a run that wants the ``detail``, an entry
    without it does not count)."""
    from . import analysis

    def warm(article: Article, language: tuple[str, float] | None = None) -> None:
        try:
            analysis.analyze_article(article, settings, language)
        except Exception:  # warming is best effort; real errors show on real articles
            pass

    for lang, text in _WARM_TEXTS:
        warm(Article(id=f"warm-{lang}", path="", text=text, title=text[:40]))
    if reading is None or reading.finished():
        return
    try:  # (a chunk that failed to read, or a cache that cannot be opened, is reported elsewhere)
        read = reading.articles()
        sample = read[:: max(1, len(read) // WARM_SAMPLE)][:WARM_SAMPLE]
        if settings.use_cache and _all_cached(sample, settings, detail):
            return
    except Exception as e:
        log.debug("tables of further languages not built while reading: %s", e)
        return
    warmed = {lang for lang, _text in _WARM_TEXTS}
    for article, language in zip(sample, analysis.detect_languages(sample)):
        if language is not None and language[0] not in warmed and language[0] != "und":
            if reading.finished():
                return
            warmed.add(language[0])
            warm(article, language)


def _all_cached(articles: Sequence[Article], settings: Settings, detail: bool = False) -> bool:
    """Whether the analysis cache holds an entry for every one of these articles (with
    ``detail``, one that holds the detail)."""
    from .cache import AnalysisCache, article_key, salt

    cache = AnalysisCache()
    try:
        run_salt = salt(settings)
        return cache.has_all_analyses([article_key(a, run_salt) for a in articles], detail)
    finally:
        cache.close()  # (the workers forked later open their own connections)


def _init_analysis_worker(settings: Settings) -> None:
    """The local pool's initializer: build the tables (``warm_up``), then set the cyclic garbage
    collector for a batch worker. The tables live as long as the worker, so they are frozen
    out of full collections; the analysis allocates containers by the thousand and frees them
    by reference counting, so young collections run at every 10,000 allocations instead of 700.
    Collection time over 1,500 articles: 3.2% -> 0.5% of the analysis (0.21 -> 0.03 ms per
    article, timed with gc.callbacks)."""
    warm_up(settings)
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, 10, 10)


def _analyze_chunk(articles: Sequence[Article], settings: Settings, keys: Sequence[str] | None,
                   cache_root: str | None, detail: bool | str = True) -> tuple[list[bytes], list[bool]]:
    """Analyse a chunk in a worker; results come back ``cache.pack``ed (once, for transfer and
    cache), their detail only when the run wants it: the cache stores the same bytes."""
    from .analysis import detect_languages
    from .cache import pack

    cache = None
    if keys is not None and cache_root is not None:
        cache = _worker_cache(cache_root)
    out, oks, entries = [], [], []
    for i, (a, lang) in enumerate(zip(articles, detect_languages(articles))):
        result, ok = safe_analyze(a, settings, lang)
        data = pack(result, bool(detail))
        if ok and cache is not None:
            entries.append((keys[i], data))
        out.append(data)
        oks.append(ok)
    if cache is not None:
        cache.put_many(entries)  # one transaction per chunk
    return out, oks


_WORKER_CACHES: dict = {}


def _worker_cache(root: str):
    """A worker's cache object for a folder, kept for its later chunks (it holds the connection;
    a copy inherited through fork opens its own)."""
    from .cache import AnalysisCache

    cache = _WORKER_CACHES.get(root)
    if cache is None:
        cache = _WORKER_CACHES[root] = AnalysisCache(root)
    return cache


def _chunk_size(n: int, workers: int) -> int:
    # ~8 chunks per worker balances load; bounded so progress moves and pickles stay small
    return max(4, min(64, math.ceil(n / (workers * 8))))


def analyze_many(
    articles: Sequence[Article],
    settings: Settings,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
    use_cache: bool | None = None,
    cache_dir: str | os.PathLike | None = None,
    min_parallel: int = MIN_PARALLEL,
    detail: bool | str = True,
    release: bool = False,
) -> list[ArticleAnalysis]:
    """Analyse every article; results in input order. Options default to the settings.

    With ``detail=False`` each result is slimmed (``analysis.slim``) as it arrives, so a large
    batch never holds every mention in memory, and the cache keeps the slim one too (a run
    with ``detail`` reads such an entry as a miss and stores the whole analysis).
    ``detail="later"``: results from the pool or the cache are slim and keep their detail
    packed (``cache.with_detail`` gives the full analysis of one; ``analyze --full`` writes
    10,000 articles that way); ones computed in this process (a small batch) are full.
    ``release=True`` (a caller that has no use for the articles afterwards) sets each entry of
    ``articles``, which must then be a list, to None once the pool's analysis of it is back, so
    the texts are freed while the rest is analysed instead of at the end (10,000 articles hold
    ~77 MB of text, and the end of the analysis is the process tree's peak)."""
    from .analysis import slim

    keep = (lambda a: a) if detail else slim
    n_workers = resolve_workers(settings.workers if workers is None else workers)
    engine = (engine or settings.engine or "local").lower()
    scheduler = scheduler if scheduler is not None else settings.scheduler
    use_cache = settings.use_cache if use_cache is None else use_cache
    if engine not in ("local", "dask"):
        raise ValueError(f"--engine: '{engine}' (choose local or dask)")
    tick = progress or (lambda n=1: None)
    _start(progress, len(articles), "Analysing")

    results: list[ArticleAnalysis | None] = [None] * len(articles)
    keys: list[str] | None = None
    cache = None
    if use_cache and articles:
        from .cache import AnalysisCache, article_key, restamp, salt

        cache = AnalysisCache(cache_dir)
        run_salt = salt(settings)
        keys = [article_key(a, run_salt) for a in articles]
        with _bulk():
            found = cache.get_many(keys, detail)
            seen: set[str] = set()
            for i, (a, k) in enumerate(zip(articles, keys)):
                cached = found.get(k)
                if cached is not None and k in seen:  # the same article twice: its own copy
                    cached = cache.get(k, detail)
                if cached is not None:
                    seen.add(k)
                    results[i] = restamp(cached, a)
        hits = len(articles) - results.count(None)
        if hits:
            tick(hits)
        log.debug("analysis cache: %d hit(s), %d miss(es) in %s", hits, len(articles) - hits, cache.root)
        cache.close()  # the workers forked below open their own connections
    todo = [i for i, r in enumerate(results) if r is None]

    if engine == "dask" and todo:
        packed: dict[int, bytes] = {}
        ok = _run_dask(articles, settings, todo, results, n_workers, scheduler, tick, detail, packed)
        if cache is not None and keys is not None:  # the bytes the workers packed
            cache.put_many([(keys[i], packed[i]) for i in todo if ok.get(i)])
        for i in todo:
            results[i] = keep(results[i])
    elif todo and (n_workers <= 1 or len(todo) < min_parallel):
        from .analysis import detect_languages
        from .cache import pack

        for start in range(0, len(todo), 64):
            batch = todo[start:start + 64]
            entries = []
            for i, lang in zip(batch, detect_languages([articles[i] for i in batch])):
                res, ok = safe_analyze(articles[i], settings, lang)
                if ok and cache is not None and keys is not None:
                    entries.append((keys[i], pack(res, bool(detail))))
                results[i] = keep(res)
                tick(1)
            if cache is not None:
                cache.put_many(entries)
    elif todo:
        _run_pool(articles, settings, todo, results, n_workers, keys, str(cache.root) if cache else None, tick, detail,
                  release)
    if cache is not None:
        if todo:
            cache.prune()
        cache.close()
    return results  # type: ignore[return-value]


def _run_pool(articles, settings, todo, results, n_workers, keys, cache_root, tick, detail=True, release=False) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    size = _chunk_size(len(todo), n_workers)
    chunks = _chunks(todo, size)
    n_workers = min(n_workers, len(chunks))
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=_mp_context(),
                             initializer=_init_analysis_worker, initargs=(settings,)) as pool:
        # keep a bounded number of chunks in flight so memory stays flat on big inputs
        pending: dict = {}
        it = iter(chunks)
        limit = n_workers * 4

        def submit_next() -> bool:
            idx = next(it, None)
            if idx is None:
                return False
            fut = pool.submit(_analyze_chunk, [articles[i] for i in idx], settings,
                              [keys[i] for i in idx] if keys is not None else None, cache_root, detail)
            pending[fut] = idx
            return True

        while len(pending) < limit and submit_next():
            pass
        with _bulk():
            _collect(pending, results, tick, submit_next, wait, FIRST_COMPLETED, detail, articles if release else None)


def _collect(pending, results, tick, submit_next, wait, first_completed, detail, release=None) -> None:
    from .cache import unpack

    while pending:
        done, _ = wait(pending, return_when=first_completed)
        for fut in done:
            idx = pending.pop(fut)
            for i, data in zip(idx, fut.result()[0]):
                results[i] = unpack(data, detail)
                if release is not None:
                    release[i] = None
            tick(len(idx))
            submit_next()


def _run_dask(articles, settings, todo, results, n_workers, scheduler, tick, detail=True,
              packed: dict[int, bytes] | None = None) -> dict[int, bool]:
    """Analyse on a Dask cluster; ``packed`` (if given) gets each result's bytes, for the cache."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the install
        raise ValueError("--engine dask needs dask[distributed]: pip install 'briefgen[dask]'") from None

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        size = _chunk_size(len(todo), max(1, len(client.scheduler_info().get("workers", {})) or n_workers))
        chunks = _chunks(todo, size)
        futures = []
        owner = {}
        [settings_f] = client.scatter([settings], broadcast=True)
        for idx in chunks:
            fut = client.submit(_analyze_chunk, [articles[i] for i in idx], settings_f, None, None, detail, pure=False)
            futures.append(fut)
            owner[fut.key] = idx
        ok: dict[int, bool] = {}
        with _bulk():
            _gather_dask(as_completed(futures, with_results=True), owner, results, ok, tick, packed)
        return ok
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather_dask(completed, owner, results, ok, tick, packed=None) -> None:
    from .cache import unpack

    for fut, (values, oks) in completed:
        idx = owner[fut.key]
        for i, data, good in zip(idx, values, oks):
            results[i] = unpack(data)
            ok[i] = good
            if packed is not None:
                packed[i] = data
        tick(len(idx))


# --------------------------------------------------------------------------- rendering


def _render_one(fmt: str, brief: Brief, out_dir: str, base: str, settings: Settings) -> dict:
    from pathlib import Path

    from .cache import RENDERED_FORMATS, RenderCache
    from .writers import render_file, write_record

    rendered = None
    if settings.use_cache and fmt in RENDERED_FORMATS:  # a file rendered before is copied
        rendered = RenderCache().render(fmt, brief, settings, lambda: render_file(fmt, brief, settings))
    return write_record(fmt, brief, Path(out_dir), base, settings, rendered=rendered, country=brief.country)


class RenderHelper:
    """One render process for a small job (a brief or two before a meeting), forked right after
    the articles are read: it imports WeasyPrint (~1 s) on another core while this process
    analyses, then writes the PDFs while this one writes the other formats. It talks through a
    pipe and this process starts no thread, so later forks stay safe. A context manager; without
    ``start_if_small`` having started it, it does nothing."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.proc = None
        self.conn = None

    def start_if_small(self, n_articles: int) -> None:
        s = self.settings
        if (self.proc is not None or "pdf" not in s.formats or n_articles >= MIN_PARALLEL
                or resolve_workers(s.workers) <= 1 or not sys.platform.startswith("linux")):
            return
        ctx = _mp_context()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_helper_loop, args=(child, self.conn, s), daemon=True)
        self.proc.start()
        child.close()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def send(self, fmt: str, brief: Brief, out_dir: str, base: str, settings: Settings) -> None:
        self.conn.send((fmt, brief, out_dir, base, settings))

    def result(self) -> dict:
        try:
            status, value = self.conn.recv()
        except EOFError:
            raise RuntimeError("the render process stopped unexpectedly") from None
        if status == "err":
            raise value
        return value

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.terminate()
        self.conn.close()
        self.proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _helper_loop(conn, parent_end, settings: Settings) -> None:
    parent_end.close()
    _preload_pdf()
    try:  # the first PDF's fixed costs, paid while the parent still analyses
        from .writers.pdf import warm_up as warm_up_pdf

        warm_up_pdf(settings)
    except Exception:  # best effort: the real brief reports real errors
        pass
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            conn.send(("ok", _render_one(*task)))
        except Exception as e:
            try:
                conn.send(("err", e))
            except Exception:  # an exception that does not pickle
                conn.send(("err", RuntimeError(f"{type(e).__name__}: {e}")))


def render_many(tasks: Sequence[tuple[str, Brief, str]], out_dir, settings: Settings,
                progress: Progress | None = None, *, workers: int | None = None,
                min_parallel: int = MIN_PARALLEL_RENDER, helper: RenderHelper | None = None) -> list[dict]:
    """Write every (format, brief, basename) task; output records in task order.

    Rendering (WeasyPrint for PDF, python-docx for DOCX) is CPU-bound, so a process pool
    over briefs uses every core. Few files render in-process, their PDFs in ``helper`` if it
    runs; so do a small job's files when the helper can take all its PDFs (``HELPER_MAX_PDFS``).
    With ``settings.use_cache`` a PDF or DOCX rendered before from the same brief is copied
    from the render cache (``cache.RenderCache``), which is then pruned to its size limit.
    If a file fails, the others are still written and the first error is raised at the end.
    """
    try:
        return _render_many(tasks, out_dir, settings, progress, workers, min_parallel, helper)
    finally:
        from .cache import RENDERED_FORMATS, RenderCache

        if settings.use_cache and any(t[0] in RENDERED_FORMATS for t in tasks):
            RenderCache().prune()


def _render_many(tasks, out_dir, settings: Settings, progress, workers, min_parallel, helper) -> list[dict]:
    n_workers = resolve_workers(settings.workers if workers is None else workers)
    tick = progress or (lambda n=1: None)
    _start(progress, len(tasks), "Writing briefs")
    out_dir = str(out_dir)
    errors: list[BaseException] = []
    pdfs = [i for i, t in enumerate(tasks) if t[0] == "pdf"]
    helper_up = helper is not None and helper.running
    if n_workers <= 1 or len(tasks) < min_parallel or (helper_up and len(pdfs) <= HELPER_MAX_PDFS):
        out: list = [None] * len(tasks)
        away = pdfs if helper_up else []
        for i in away:
            helper.send(tasks[i][0], tasks[i][1], out_dir, tasks[i][2], settings)
        for i, (fmt, brief, base) in enumerate(tasks):
            if i in away:
                continue
            try:
                out[i] = _render_one(fmt, brief, out_dir, base, settings)
            except Exception as e:  # the other briefs are still written; the first error is raised after
                errors.append(e)
            tick(1)
        for i in away:
            try:
                out[i] = helper.result()
            except Exception as e:
                errors.append(e)
            tick(1)
        if errors:
            raise errors[0]
        return out

    from concurrent.futures import ProcessPoolExecutor, as_completed

    if "pdf" in {t[0] for t in tasks}:
        _preload_pdf()
    # slowest first (PDF), so no worker is left with a long job at the end
    order = sorted(range(len(tasks)), key=lambda i: (tasks[i][0] != "pdf", i))
    records: list[dict | None] = [None] * len(tasks)
    # forked workers inherit the whole corpus copy-on-write
    with gc_frozen(), ProcessPoolExecutor(max_workers=min(n_workers, len(tasks)), mp_context=_mp_context()) as pool:
        futs = {pool.submit(_render_one, tasks[i][0], tasks[i][1], out_dir, tasks[i][2], settings): i for i in order}
        for fut in as_completed(futs):
            try:
                records[futs[fut]] = fut.result()
            except Exception as e:
                errors.append(e)
            tick(1)
    if errors:
        raise errors[0]
    return records  # type: ignore[return-value]


def _preload_pdf() -> None:
    """Import WeasyPrint in the parent before forking, so each worker need not (~1 s each)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        from .writers.pdf import load_weasyprint

        load_weasyprint()
    except Exception:
        pass
