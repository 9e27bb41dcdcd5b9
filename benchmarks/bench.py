"""briefgen benchmark: throughput, rendering, end-to-end time, memory, start-up, peer baseline.

    python benchmarks/bench.py --n 10000            # the numbers in the README
    python benchmarks/bench.py --n 2000 --quick     # a smaller, faster run
    python benchmarks/bench.py --scale 1000,10000,50000   # cost vs. number of articles

It generates a synthetic multilingual corpus (benchmarks/synth.py: vi, id, de, fr, en, es, zh
templates with varied partners, dates, lengths and page furniture) in a temp folder and reports:

* analysis throughput (articles/s) of ``pipeline.analyze`` on all cores, cache off, plus the
  warm-cache re-run and an incremental run (10 new articles);
* seconds per brief for DOCX and for PDF (all briefs of the corpus, rendered in parallel);
* end-to-end seconds of ``briefgen build CORPUS --no-cache`` (subprocess), and in a second run
  its peak memory (PSS and RSS summed over the process tree, and the largest single process's
  RSS, sampled with psutil every 0.1 s; the sampling costs CPU, so the timed run is not sampled);
* ``briefgen --help`` cold start (subprocess, median of 5), ``briefgen build seeds`` (all briefs) and
  ``briefgen build seeds --country FR`` (one brief, the target);
* a peer baseline, the usual glue (lingua with all languages + Babel country names +
  ``dateparser.search_dates``) on a sample of files, extrapolated, and our speed-up over it;
* with ``--profile``, milliseconds per article spent in each analysis step (in-process);
* with ``--pages N`` (default 1000), reading N saved web pages of the same kind of articles
  (``synth.generate_pages``: three site layouts with menus, scripts, related lists and footers)
  on all cores, cache off, and whether each page gave its lead paragraph and date and no furniture.

Results go to benchmarks/results/latest.json and a Markdown table (latest.md) for the README,
with the machine (nproc, CPU model, Python version).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402

AS_OF = "2026-11-23"


# --------------------------------------------------------------------------- helpers


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 1
    mem = None
    try:
        import psutil

        mem = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"load_average_1m": round(load[0], 2) if load else None, "nproc": nproc, "cpu": cpu, "python": platform.python_version(), "platform": platform.platform(),
            "memory_gb": mem}


_REFERENCE_RX = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_REFERENCE_TEXT = "Ngày 12/3/2026, tại Hà Nội, Bộ Y tế phối hợp với Đại sứ quán Pháp tổ chức hội thảo. " * 40


def reference_ms(repeat: int = 5) -> float:
    """A fixed one-core workload of the kind the analysis does (splitting, regex search, dict
    updates), best of ``repeat``, in ms: how fast this machine is at the moment. On a shared
    machine the same code runs 20-40% slower or faster from hour to hour; runs from different
    days compare by their throughput divided by this, not by the clock alone."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        counts: dict[str, int] = {}
        for _ in range(100):
            for w in _REFERENCE_TEXT.split():
                counts[w] = counts.get(w, 0) + 1
            for m in _REFERENCE_RX.finditer(_REFERENCE_TEXT):
                counts[m.group(3)] = counts.get(m.group(3), 0) + 1
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 1)


def spread(files: list, n: int) -> list:
    """``n`` of ``files`` taken at even steps over the whole list."""
    return files[:: max(1, len(files) // n)][:n]


class TreeMemory:
    """Peak RSS and PSS summed over a process and all its descendants, sampled in a thread.

    The sampler costs CPU: reading a process's PSS makes the kernel walk its page tables
    (~15 ms for a 1.5 GB process), and the process list is read again at every sample. Every
    0.1 s over a `build`'s process tree, that is 17-19% of a core, taken from the very
    processes being timed on a two-core machine (a pool analysis ran 13% slower beside it). So
    timed runs are not sampled: memory is measured in runs of its own, or, where one run gives
    both (the scale table), with PSS read every ``pss_interval`` seconds only. ``cpu_s`` is the
    CPU time the sampler itself used."""

    def __init__(self, pid: int | None = None, interval: float = 0.1, pss_interval: float | None = None):
        self.pid = pid or os.getpid()
        self.interval = interval
        self.pss_interval = interval if pss_interval is None else pss_interval
        self.peak = 0
        self.peak_pss = 0
        self.peak_single = 0  # the largest RSS of any one process of the tree
        self.cpu_s = 0.0
        self.with_pss = sys.platform.startswith("linux")
        self._stop = threading.Event()
        self._thread = None
        try:
            import psutil  # noqa: F401

            self.available = True
        except ImportError:
            self.available = False

    def _sample(self, with_pss: bool) -> tuple[int, int, int]:
        """(sum of RSS, sum of PSS or 0, largest RSS) over the tree. RSS counts pages shared by
        forked workers once per process; PSS splits shared pages between the processes that
        share them."""
        import psutil

        try:
            p = psutil.Process(self.pid)
            procs = [p] + p.children(recursive=True)
        except psutil.Error:
            return 0, 0, 0
        rss = pss = single = 0
        for q in procs:
            try:
                if with_pss:
                    full = q.memory_full_info()
                    one, pss = full.rss, pss + getattr(full, "pss", full.rss)
                else:
                    one = q.memory_info().rss
                rss += one
                single = max(single, one)
            except psutil.Error:
                pass
        return rss, pss, single

    def __enter__(self):
        if self.available:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self):
        cpu0 = time.thread_time()
        next_pss = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            with_pss = self.with_pss and now >= next_pss
            if with_pss:
                next_pss = now + self.pss_interval
            rss, pss, single = self._sample(with_pss)
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_single = max(self.peak_single, single)
            self.cpu_s = time.thread_time() - cpu0
            self._stop.wait(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread:
            self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return round(self.peak / 2**20, 1) if self.available else None

    @property
    def peak_single_mb(self) -> float | None:
        return round(self.peak_single / 2**20, 1) if self.available else None

    @property
    def peak_pss_mb(self) -> float | None:
        return round(self.peak_pss / 2**20, 1) if self.available and self.with_pss else None


def briefgen_cmd() -> list[str]:
    exe = shutil.which("briefgen", path=str(Path(sys.executable).parent)) or shutil.which("briefgen")
    return [exe] if exe else [sys.executable, "-m", "briefgen"]


def run_timed(cmd: list[str], env: dict | None = None, memory: bool = False) -> tuple[float, TreeMemory | None, int, str]:
    """(wall seconds, memory sampler or None, exit code, stderr tail) of a subprocess. With
    ``memory``, its process tree's memory is sampled (which costs the run CPU, see
    ``TreeMemory``): use the wall time of a run without it."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with TreeMemory(p.pid) if memory else contextlib.nullcontext() as mem:
        _, err = p.communicate()
    wall = time.perf_counter() - t0
    return wall, mem, p.returncode, err.decode("utf-8", "replace")[-600:]


def compile_bytecode() -> int:
    """Compile the package's bytecode, as an installed copy has it (pip compiles at install).
    A checkout run with PYTHONDONTWRITEBYTECODE set (or whose sources changed since they were
    last imported) would otherwise recompile those modules from source in every process the
    benchmark starts: 0.1-0.4 s more for ``build seeds --country FR``. Returns how many files
    were written."""
    import compileall
    import importlib.util

    import briefgen

    def stale(source: Path) -> bool:
        compiled = Path(importlib.util.cache_from_source(str(source)))
        return not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime

    pkg = Path(briefgen.__file__).resolve().parent
    n = sum(stale(p) for p in pkg.rglob("*.py"))
    compileall.compile_dir(str(pkg), quiet=1)
    return n


def help_cold_start(repeat: int = 5) -> dict:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(briefgen_cmd() + ["--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return {"median_s": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times]}


def env_with_cache(cache_dir: Path) -> dict:
    env = dict(os.environ)
    env["BRIEFGEN_CACHE_DIR"] = str(cache_dir)
    return env


# --------------------------------------------------------------------------- peer baseline


class PeerBaseline:
    """lingua (all languages) + Babel territory names + dateparser.search_dates, one process.

    Timed in parts (``run``), each just before one of our cold runs: the machine's speed drifts
    within minutes, and a ratio of two runs made minutes apart measured the drift as much as
    the code. The result sums the parts. Warmed first, untimed (``warm``)."""

    def __init__(self):
        import warnings

        warnings.filterwarnings("ignore")
        from lingua import LanguageDetectorBuilder

        t0 = time.perf_counter()
        self.detector = LanguageDetectorBuilder.from_all_languages().build()
        self.setup = time.perf_counter() - t0
        self.names_cache: dict[str, list[tuple[str, str]]] = {}
        self.n = 0
        self.seconds = 0.0
        self.found_countries = self.found_dates = 0
        self.warm_languages: list[str] = []
        self.warm_s = 0.0
        from dateparser.search import search_dates

        self._search_dates = search_dates

    def names(self, lang: str):
        from babel import Locale

        if lang not in self.names_cache:
            try:
                terr = Locale.parse(lang).territories
            except Exception:
                terr = Locale.parse("en").territories
            self.names_cache[lang] = [(c, n) for c, n in terr.items() if c.isalpha() and len(c) == 2]
        return self.names_cache[lang]

    def warm(self, files: list[Path]) -> None:
        """Before timing: detect the language of each file of the sample, and run the whole
        peer once, untimed, on the first file of each language found. Its first calls load
        lingua's models, dateparser's language data and Babel's names (~0.65 s in all on the
        benchmark corpus, ~5% of a 200-file sample's time). Our side's tables and detector are
        built before its timed runs too (while the files are read), so both are timed in their
        steady state. Its time is ``warm_s``; its languages are those the peer will meet
        (Indonesian read as Malay among them)."""
        t0 = time.perf_counter()
        seen: set[str] = set()
        for path in files:
            text = path.read_text("utf-8")
            lang = self._language(text)
            if lang not in seen:
                seen.add(lang)
                self._one(text, lang)
        self.warm_s += time.perf_counter() - t0
        self.warm_languages = sorted(seen)

    def _language(self, text: str) -> str:
        lang_obj = self.detector.detect_language_of(text)
        return lang_obj.iso_code_639_1.name.lower() if lang_obj else "en"

    def _one(self, text: str, lang: str | None = None) -> tuple[int, int]:
        """(countries found, dates found) in one text, as the usual glue finds them."""
        if lang is None:
            lang = self._language(text)
        countries = {c for c, n in self.names(lang) if n in text}
        try:
            dates = self._search_dates(text, languages=[lang], settings={"RELATIVE_BASE": dt.datetime(2026, 11, 23)}) or []
        except Exception:
            dates = []
        return len(countries), len(dates)

    def run(self, files: list[Path]) -> None:
        texts = [p.read_text("utf-8") for p in files]
        t0 = time.perf_counter()
        for text in texts:
            n_countries, n_dates = self._one(text)
            self.found_countries += n_countries
            self.found_dates += n_dates
        self.seconds += time.perf_counter() - t0
        self.n += len(texts)

    def result(self) -> dict:
        return {
            "sample": self.n, "seconds": round(self.seconds, 2), "setup_s": round(self.setup, 2),
            "warm_s": round(self.warm_s, 2), "warmed_languages": self.warm_languages,
            "articles_per_s": round(self.n / self.seconds, 2) if self.seconds else None,
            "countries_found": self.found_countries, "dates_found": self.found_dates,
        }


# --------------------------------------------------------------------------- stage profile


STEPS = (
    ("language", "detect"), ("sentences", "split"), ("dates", "article_date"), ("dates", "find_dates"),
    ("milestones", "extract"), ("classify", "classify"), ("classify", "extract"),
    ("countries", "find_mentions"), ("countries", "score"), ("people", "find_people"),
)


def profile_steps(articles, settings) -> dict:
    """ms/article in each analysis step, in this process (one core). Language is detected in
    batches of 64 articles, as in the workers."""
    import importlib

    from briefgen import analysis
    from briefgen.parallel import warm_up

    warm_up(settings)  # detector, lexicons and patterns are built once per process, as in a worker
    for a in articles[:20]:  # and every language's tables
        try:
            analysis.analyze_article(a, settings)
        except Exception:
            pass
    totals: dict[str, float] = {}
    originals = []
    for mod_name, fn_name in STEPS:
        try:
            mod = importlib.import_module(f"briefgen.analysis.{mod_name}")
            fn = getattr(mod, fn_name)
        except (ImportError, AttributeError):
            continue
        label = f"{mod_name}.{fn_name}"
        totals[label] = 0.0

        def wrapped(*a, __fn=fn, __label=label, **kw):
            t = time.perf_counter()
            try:
                return __fn(*a, **kw)
            finally:
                totals[__label] += time.perf_counter() - t

        originals.append((mod, fn_name, fn))
        setattr(mod, fn_name, wrapped)
    try:
        t0 = time.perf_counter()
        # as the workers do it: languages for a batch first, then the other steps per article
        langs = []
        for k in range(0, len(articles), 64):
            langs += analysis.detect_languages(articles[k:k + 64])
        for a, lang in zip(articles, langs):
            try:
                analysis.analyze_article(a, settings, lang)
            except Exception:
                pass
        total = time.perf_counter() - t0
    finally:
        for mod, name, fn in originals:
            setattr(mod, name, fn)
    n = max(1, len(articles))
    out = {k: round(v * 1000 / n, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["total"] = round(total * 1000 / n, 3)
    return out


# --------------------------------------------------------------------------- main runs


def bench_inprocess(corpus: Path, workers: int, formats: tuple[str, ...], tmp: Path, log, repeat: int = 3,
                    before_run=None) -> dict:
    """In-process stages; ``before_run(k)`` is called before cold analysis run k (the peer
    baseline's part k, so both are timed in the same minutes)."""
    from briefgen import pipeline
    from briefgen.analysis import corpus as corpus_step
    from briefgen.parallel import BATCH_GC_THRESHOLD, frozen_loads, gc_frozen
    from briefgen.settings import Settings

    res: dict = {}
    s = Settings(as_of=AS_OF, workers=workers, use_cache=False, quiet=True)
    t0 = time.perf_counter()
    # as the commands read (`pipeline.run_analysis`): this process builds the analysis tables
    # while worker processes read the files, and the analysis workers forked later share them
    rr = pipeline.read_inputs([str(corpus)], s, meanwhile=pipeline._warm_for_pool(s))
    res["read_s"] = round(time.perf_counter() - t0, 2)
    n = len(rr.articles)
    res["articles"] = n
    res["read_articles_per_s"] = round(n / (time.perf_counter() - t0), 1)
    log(f"read {n} articles in {res['read_s']} s")

    # the default configuration: cache on. A cold cache (every article computed and stored) gives
    # the throughput; then a warm re-run, and a run with 10 new articles.
    # The machine's speed drifts by up to 1.5x within an hour, so the cold run is repeated (each
    # in a fresh cache folder) and the median is the result; every run is recorded.
    sc = s.with_(use_cache=True)
    runs = []
    for k in range(max(1, repeat)):
        cache_dir = tmp / f"cache-{k}"
        analyses = None  # (the previous run's results are freed first)
        if before_run is not None:
            before_run(k)
        t0 = time.perf_counter()
        # results slim, as every command keeps them (`analyze`, `build`, `report`; `--full`
        # unpacks each article's detail only as it writes it): unpacking every detail in this
        # process cost 3.3 s of its CPU against 1.8 s, on the workers' cores. In a run
        # (`frozen_loads`), as `pipeline.run_analysis` has it: the results are frozen once loaded
        with frozen_loads():
            analyses = pipeline.analyze(rr.articles, sc, cache_dir=cache_dir, detail=False)
        runs.append(time.perf_counter() - t0)
        log(f"analyze, run {k + 1} of {max(1, repeat)}: {n / runs[-1]:.1f} articles/s ({workers} workers, cold cache)")
    t = statistics.median(runs)
    res["analyze_s"] = round(t, 2)
    res["analyze_articles_per_s"] = round(n / t, 1)
    res["analyze_runs_articles_per_s"] = [round(n / x, 1) for x in runs]
    res["analysis_failures"] = sum(1 for a in analyses if a.error)
    log(f"analyze: {res['analyze_articles_per_s']} articles/s, median of {len(runs)} ({workers} workers, cold cache)")
    warm = time.perf_counter()
    pipeline.analyze(rr.articles, sc, cache_dir=cache_dir, detail=False)
    res["cache_warm_s"] = round(time.perf_counter() - warm, 2)
    res["cache_warm_articles_per_s"] = round(n / max(1e-9, time.perf_counter() - warm), 1)
    extra = tmp / "extra"
    synth.generate(extra, 10, seed=99)
    more = pipeline.read_inputs([str(extra)], s).articles
    t0 = time.perf_counter()
    pipeline.analyze(rr.articles + more, sc, cache_dir=cache_dir, detail=False)
    res["cache_plus10_s"] = round(time.perf_counter() - t0, 2)
    log(f"cache: warm {res['cache_warm_s']} s, +10 articles {res['cache_plus10_s']} s")

    t0 = time.perf_counter()
    with gc_frozen(BATCH_GC_THRESHOLD):  # as pipeline.run_analysis runs it: without, full collections walk every analysis
        c = corpus_step.finish(analyses, s, rr.inputs)
    res["corpus_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    briefs = pipeline.make_briefs(c, s)
    res["make_briefs_s"] = round(time.perf_counter() - t0, 2)
    res["briefs"] = len(briefs)
    log(f"corpus step {res['corpus_s']} s, {len(briefs)} briefs built in {res['make_briefs_s']} s")

    for fmt in formats:
        out = tmp / f"out-{fmt}"
        t0 = time.perf_counter()
        pipeline.write_briefs(briefs, out, s.with_(formats=(fmt,)))
        t = time.perf_counter() - t0
        res[f"{fmt}_s"] = round(t, 2)
        res[f"{fmt}_s_per_brief"] = round(t / max(1, len(briefs)), 3)
        log(f"{fmt}: {len(briefs)} briefs in {t:.1f} s ({res[f'{fmt}_s_per_brief']} s/brief, {workers} workers)")
    return res


def bench_pages(tmp: Path, n: int, workers: int, log) -> dict:
    """Reading ``n`` saved web pages on all cores, cache off (``pipeline.read_inputs``, as the
    commands read), and what came out: each page's lead paragraph and date found, no furniture."""
    from briefgen import pipeline
    from briefgen.settings import Settings

    folder = tmp / "pages"
    pages = synth.generate_pages(folder, n)
    size = sum(p.stat().st_size for p, _ in pages)
    s = Settings(as_of=AS_OF, workers=workers, use_cache=False, quiet=True)
    t0 = time.perf_counter()
    rr = pipeline.read_inputs([str(folder)], s)
    wall = time.perf_counter() - t0
    by_name = {Path(a.path).name: a for a in rr.articles}
    lead = date = leaked = 0
    for p, want in pages:
        a = by_name.get(p.name)
        if a is None:
            continue
        lead += want["lead"] in a.text
        date += a.published == want["published"]
        leaked += any(f in a.text for f in synth.PAGE_FURNITURE)
    res = {"pages": n, "mb": round(size / 1e6, 1), "read_s": round(wall, 2), "pages_per_s": round(n / wall, 1),
           "ms_per_page_per_core": round(1000 * wall * workers / n, 1), "read": len(rr.articles),
           "lead_found": lead, "date_right": date, "furniture_leaked": leaked}
    log(f"read {n} saved web pages ({res['mb']} MB) in {wall:.1f} s: {res['pages_per_s']} pages/s; lead found in {lead}, "
        f"date right in {date}, furniture in {leaked}")
    return res


def bench_rebuild(corpus: Path, tmp: Path, formats, workers: int, log) -> dict:
    """The monthly report's re-run: ``build`` with the cache on, three times into one folder:
    from a fresh cache folder, again with nothing changed (analyses and files from the cache),
    and with 10 new articles (only their analyses, and the briefs they change, are redone)."""
    from briefgen.cache import RenderCache

    cache, out = tmp / "cache-rebuild", tmp / "rebuild-out"
    extra = tmp / "extra10"
    synth.generate(extra, 10, seed=99)
    options = ["--out", str(out), "--as-of", AS_OF, "-q", "--format", ",".join(formats), "--workers", str(workers)]
    res: dict = {}
    for name, inputs in (("cold_s", [corpus]), ("again_s", [corpus]), ("plus10_s", [corpus, extra])):
        before = RenderCache(cache).info()["entries"]
        wall, _, code, _err = run_timed(briefgen_cmd() + ["build", *map(str, inputs)] + options, env_with_cache(cache))
        res[name] = round(wall, 2)
        res[name.replace("_s", "_rendered")] = RenderCache(cache).info()["entries"] - before
        res[name.replace("_s", "_exit")] = code
    res["files"] = len(list(out.glob("*-brief.*")))
    log(f"build with the cache: {res['cold_s']} s from a fresh cache folder, {res['again_s']} s again, "
        f"{res['plus10_s']} s with 10 more articles ({res['plus10_rendered']} of {res['files']} files rendered)")
    return res


#: the scale runs' sampler: RSS (cheap) and PSS (a walk of each process's page tables) intervals, s
SCALE_RSS_INTERVAL, SCALE_PSS_INTERVAL = 0.1, 1.0


def bench_scale(sizes: list[int], workers: int, tmp: Path, log, briefs_max: int = 1_000_000) -> list[dict]:
    from briefgen import pipeline
    from briefgen.analysis import corpus as corpus_step
    from briefgen.settings import Settings

    rows = []
    from briefgen.parallel import BATCH_GC_THRESHOLD, frozen_loads, gc_frozen

    s = Settings(as_of=AS_OF, workers=workers, use_cache=False, quiet=True)
    for n in sizes:
        folder = tmp / f"scale-{n}"
        synth.generate(folder, n)
        # one run gives time and memory here, so PSS is read only once a second (see TreeMemory)
        with TreeMemory(interval=SCALE_RSS_INTERVAL, pss_interval=SCALE_PSS_INTERVAL) as mem, frozen_loads():  # (as pipeline.run_analysis runs them)
            t0 = time.perf_counter()
            rr = pipeline.read_inputs([str(folder)], s)
            t_read = time.perf_counter() - t0
            t1 = time.perf_counter()
            analyses = pipeline.analyze(rr.articles, s, detail=False, release=True)  # as build and report do
            rr.articles.clear()
            t_an = time.perf_counter() - t1
            t2 = time.perf_counter()
            with gc_frozen(BATCH_GC_THRESHOLD):
                c = corpus_step.finish(analyses, s, rr.inputs)
            t_corpus = time.perf_counter() - t2
            # brief records can be skipped above --scale-briefs-max articles
            t3 = time.perf_counter()
            briefs = pipeline.make_briefs(c, s) if n <= briefs_max else []
            t_briefs = time.perf_counter() - t3
        total = t_read + t_an + t_corpus + t_briefs
        rows.append({"articles": n, "read_s": round(t_read, 2), "analyze_s": round(t_an, 2),
                     "corpus_s": round(t_corpus, 2), "make_briefs_s": round(t_briefs, 2) if n <= briefs_max else None, "briefs": len(briefs),
                     "total_s": round(total, 2), "ms_per_article": round(total * 1000 / n, 2),
                     "peak_tree_rss_mb": mem.peak_mb, "peak_tree_pss_mb": mem.peak_pss_mb, "sampler_cpu_s": round(mem.cpu_s, 2),
                     "rss_interval_s": SCALE_RSS_INTERVAL, "pss_interval_s": SCALE_PSS_INTERVAL})
        log(f"scale {n}: read {t_read:.1f} s + analyze {t_an:.1f} s + corpus {t_corpus:.1f} s + briefs {t_briefs:.1f} s"
            f" = {rows[-1]['ms_per_article']} ms/article")
        del rr, analyses, c, briefs
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def _median_of(runs: list | None) -> str:
    """"median of N: lowest–highest" for a result taken as the median of several runs."""
    return f"median of {len(runs)}: {min(runs)}–{max(runs)}" if runs and len(runs) > 1 else ""


def markdown(r: dict) -> str:
    m = r["machine"]
    sizes = [s["articles"] for s in r.get("scale") or []]
    # a --scale-only run never reads the --n corpus: its header names the sizes it ran
    corpus = (f"scale runs of {' / '.join(map(str, sizes))}" if sizes and "inprocess" not in r and "build" not in r
              else f"{r['n']}")
    lines = [f"Benchmark {r['date']} — {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
             f"{corpus} synthetic articles (vi, id, de, fr, en, es, zh), {r['workers']} workers, "
             f"load average {m.get('load_average_1m')} at start, {m.get('load_average_1m_end')} at end; "
             f"reference workload {m.get('reference_ms')} ms at start, {m.get('reference_ms_end')} ms at end "
             "(a fixed one-core loop: lower is a faster machine)", "",
             "| measure | result | target |", "|---|---|---|"]

    def row(name, value, target=""):
        lines.append(f"| {name} | {value} | {target} |")

    ip = r.get("inprocess", {})
    if ip:
        spread_ = _median_of(ip.get("analyze_runs_articles_per_s"))
        runs_note = f" ({spread_})" if spread_ else ""
        row("analysis throughput (all cores, cold cache)", f"{ip['analyze_articles_per_s']} articles/s{runs_note}", ">= 300 articles/s")
        if r.get("peer"):
            row("peer baseline (lingua + Babel + dateparser, 1 process)", f"{r['peer']['articles_per_s']} articles/s", "")
            row("speed-up over peer baseline", f"{r['speedup_vs_peer']}x ({r['speedup_per_core']}x per core)", ">= 20x")
        row("reading (decode + clean-up)", f"{ip['read_articles_per_s']} articles/s", "")
    pg = r.get("pages")
    if pg:
        row(f"reading saved web pages ({pg['pages']} pages, {pg['mb']} MB; all cores, no cache)",
            f"{pg['pages_per_s']} pages/s ({pg['ms_per_page_per_core']} ms per page per core); lead paragraph in "
            f"{pg['lead_found']}, date in {pg['date_right']}, furniture in {pg['furniture_leaked']} of {pg['read']}", "")
    if ip:
        row("warm-cache re-run", f"{ip['cache_warm_s']} s ({ip['cache_warm_articles_per_s']} articles/s)", "")
        row("re-run after adding 10 articles", f"{ip['cache_plus10_s']} s", "")
        for fmt in r["formats"]:
            if f"{fmt}_s_per_brief" in ip:
                row(f"{fmt.upper()} rendering", f"{ip[f'{fmt}_s_per_brief']} s/brief ({ip['briefs']} briefs, parallel)", "")
    e2e = r.get("build")
    if e2e:
        row(f"`briefgen build` end to end, {r['n']} articles, {'+'.join(r['formats'])}",
            f"{e2e['seconds']} s (exit {e2e['exit']})", "<= 60 s")
        if "memory_run_s" in e2e:
            failed = f", exit {e2e['memory_run_exit']}" if e2e.get("memory_run_exit") not in (0, None) else ""
            where, extra = " (process tree; a second, sampled run)", (f"; that run took {e2e['memory_run_s']} s{failed}, "
                                                                      f"the sampler {e2e.get('sampler_cpu_s')} s of CPU")
        else:
            where, extra = " (process tree)", ""
        row(f"peak memory of `build`{where}", f"PSS {e2e.get('peak_tree_pss_mb')} MB, RSS {e2e.get('peak_tree_rss_mb')} MB "
            f"(largest process {e2e.get('max_process_rss_mb')} MB{extra})", "<= 1 GB")
    ac = r.get("analyze_cli")
    if ac:
        row(f"`briefgen analyze` end to end, {r['n']} articles (start-up, reading, analysis, JSON out; nothing cached)",
            f"{ac['seconds']} s = {ac['articles_per_s']} articles/s (exit {ac['exit']})", "")
    rb = r.get("rebuild")
    if rb:
        row("`build` again, nothing changed (analyses and files from the cache)", f"{rb['again_s']} s", "")
        row("`build` after adding 10 articles", f"{rb['plus10_s']} s ({rb['plus10_rendered']} of {rb['files']} files "
            f"rendered; {rb['cold_s']} s from a fresh cache folder)", "")
    if r.get("seeds"):
        s = r["seeds"]
        row("`briefgen build seeds` (5 articles, first run: fresh cache folder, country tables built)", f"{s['seconds']} s for {s['briefs']} brief(s)", "")
    if r.get("seeds_one"):
        s = r["seeds_one"]
        spread_ = _median_of(s.get("runs_s"))
        spread_note = f", {spread_}" if spread_ else ""
        row("one brief: `briefgen build seeds --country FR` (PDF + DOCX, no cache)", f"{s['seconds']} s (exit {s['exit']}{spread_note})",
            "<= 2 s")
    if r.get("help"):
        row("`briefgen --help` cold start", f"{r['help']['median_s']} s (median of 5)", "<= 0.3 s")
    if r.get("scale"):
        lines += ["", "| articles | read s | analyze s | corpus s | brief records s | ms/article | peak PSS MB | peak RSS MB |",
                  "|---|---|---|---|---|---|---|---|"]
        for x in r["scale"]:
            lines.append(f"| {x['articles']} | {x['read_s']} | {x['analyze_s']} | {x.get('corpus_s')} | {x.get('make_briefs_s')} | "
                         f"{x['ms_per_article']} | "
                         f"{x.get('peak_tree_pss_mb')} | {x['peak_tree_rss_mb']} |")
        cpu = [x.get("sampler_cpu_s") for x in r["scale"]]
        if all(c is not None for c in cpu):
            first = r["scale"][0]
            lines += ["", f"(memory read while timing: RSS every {first.get('rss_interval_s', 0.1)} s, PSS every "
                          f"{first.get('pss_interval_s', 1.0)} s; the sampler "
                          f"used {' / '.join(str(c) for c in cpu)} s of CPU)"]
    if r.get("profile"):
        lines += ["", "| analysis step (1 core) | ms/article |", "|---|---|"]
        for k, v in r["profile"].items():
            lines.append(f"| {k} | {v} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="articles in the synthetic corpus (default 10000)")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores)")
    ap.add_argument("--formats", default="pdf,docx")
    ap.add_argument("--baseline-sample", type=int, default=200, help="files for the peer baseline (0 = skip)")
    ap.add_argument("--scale", default="", help="comma-separated sizes, e.g. 1000,10000,50000")
    ap.add_argument("--profile", type=int, default=300, help="articles for the per-step profile, spread over the corpus (0 = skip)")
    ap.add_argument("--repeat", type=int, default=3, help="cold analysis runs; the median is reported (default 3)")
    ap.add_argument("--pages", type=int, default=1000, help="saved web pages to read (0 = skip; default 1000)")
    ap.add_argument("--quick", action="store_true", help="skip the end-to-end build subprocess")
    ap.add_argument("--scale-only", action="store_true", help="only the --scale runs (and start-up)")
    ap.add_argument("--scale-briefs-max", type=int, default=1_000_000, help="build brief records in --scale runs up to this size")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)

    from briefgen.parallel import resolve_workers

    workers = resolve_workers(args.workers)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())

    def log(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    result: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "n": args.n,
                    "workers": workers, "formats": list(formats), "machine": machine()}
    result["machine"]["reference_ms"] = reference_ms()
    result["bytecode_compiled"] = compile_bytecode()
    tmp = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    try:
        result["help"] = help_cold_start()
        log(f"briefgen --help: {result['help']['median_s']} s")
        if not args.scale_only:
            seeds_out = tmp / "seeds-out"
            wall, _, code, err = run_timed(briefgen_cmd() + ["build", str(ROOT / "seeds"), "--out", str(seeds_out), "--as-of", AS_OF,
                                              "-q", "--no-cache"], env_with_cache(tmp / "cache-seeds"))
            n_briefs = len(list(seeds_out.glob("*.pdf"))) if seeds_out.is_dir() else 0
            result["seeds"] = {"seconds": round(wall, 2), "briefs": n_briefs, "exit": code,
                               "s_per_brief": round(wall / max(1, n_briefs), 2)}
            log(f"build seeds: {wall:.2f} s, {n_briefs} brief(s), exit {code}")
            # the meeting case: one partner's brief, analysis not cached (the name tables are, as
            # on any machine after its first run); three runs, the median is the result: one
            # run gave whichever speed the machine had in that second
            one_out = tmp / "seeds-one"
            walls, codes = [], []
            for _ in range(3):
                wall1, _, code1, _ = run_timed(briefgen_cmd() + ["build", str(ROOT / "seeds"), "--out", str(one_out), "--as-of",
                                                    AS_OF, "-q", "--no-cache", "--country", "FR"], env_with_cache(tmp / "cache-seeds"))
                walls.append(round(wall1, 2))
                codes.append(code1)
            result["seeds_one"] = {"seconds": statistics.median(walls), "runs_s": walls, "exit": max(codes),
                                   "files": len(list(one_out.glob("*-brief.*"))) if one_out.is_dir() else 0}
            log(f"build seeds --country FR: {statistics.median(walls):.2f} s, median of {walls}, exit {max(codes)}")

            corpus = tmp / "corpus"
            t0 = time.perf_counter()
            files = synth.generate(corpus, args.n)
            result["corpus"] = {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
                                "generate_s": round(time.perf_counter() - t0, 2)}
            log(f"corpus: {len(files)} files, {result['corpus']['bytes'] / 1e6:.1f} MB")

            if args.profile:
                from briefgen import pipeline
                from briefgen.parallel import warm_up
                from briefgen.settings import Settings

                s1 = Settings(as_of=AS_OF, workers=1, use_cache=False)
                # spread over the corpus: its first files are ~10% shorter than the average
                arts = pipeline.read_inputs([str(p) for p in spread(files, args.profile)], s1).articles
                warm_up(s1)
                result["profile"] = profile_steps(arts, s1)
                log(f"profile (1 core): {result['profile']['total']} ms/article")
                save(result, args.out)

            if args.pages:
                result["pages"] = bench_pages(tmp, args.pages, workers, log)
                save(result, args.out)

            peer, parts = None, []
            if args.baseline_sample:
                sample = spread(files, args.baseline_sample)
                k = max(1, args.repeat)
                parts = [sample[i::k] for i in range(k)]
                peer = PeerBaseline()
                peer.warm(sample)

            def before_run(i: int) -> None:
                if peer is not None and i < len(parts):
                    peer.run(parts[i])
                    log(f"peer baseline, part {i + 1} of {len(parts)}: {len(parts[i])} files")

            # (not sampled for memory: see TreeMemory; the build's memory is measured below)
            result["inprocess"] = bench_inprocess(corpus, workers, formats, tmp, log, args.repeat, before_run)
            save(result, args.out)

            if peer is not None:
                result["peer"] = peer.result()
                ours = result["inprocess"]["analyze_articles_per_s"]
                result["speedup_vs_peer"] = round(ours / result["peer"]["articles_per_s"], 1)
                result["speedup_per_core"] = round(ours / workers / result["peer"]["articles_per_s"], 1)
                result["peer"]["extrapolated_s"] = round(args.n / result["peer"]["articles_per_s"], 1)
                log(f"peer baseline: {result['peer']['articles_per_s']} articles/s -> ours is {result['speedup_vs_peer']}x")
                save(result, args.out)

            if not args.quick:
                out = tmp / "build-out"
                build_cmd = briefgen_cmd() + ["build", str(corpus), "--out", str(out), "--as-of", AS_OF, "-q", "--no-cache",
                                              "--format", ",".join(formats), "--workers", str(workers)]
                wall, _, code, err = run_timed(build_cmd, env_with_cache(tmp / "cache-build"))
                result["build"] = {"seconds": round(wall, 2), "exit": code,
                                   "outputs": len(list(out.glob("*.*"))) if out.is_dir() else 0}
                if code not in (0, 1):
                    result["build"]["stderr"] = err
                log(f"build end to end: {wall:.1f} s, exit {code}")
                # its memory, in a second run of the same build (fresh folders): sampling the
                # process tree costs it CPU, so the timed run above is not sampled
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(tmp / "cache-build", ignore_errors=True)
                wall_m, peak, code_m, err_m = run_timed(build_cmd, env_with_cache(tmp / "cache-build"), memory=True)
                result["build"].update({"peak_tree_rss_mb": peak.peak_mb, "peak_tree_pss_mb": peak.peak_pss_mb,
                                        "max_process_rss_mb": peak.peak_single_mb, "memory_run_s": round(wall_m, 2),
                                        "memory_run_exit": code_m, "sampler_cpu_s": round(peak.cpu_s, 2)})
                if code_m not in (0, 1):
                    result["build"]["memory_run_stderr"] = err_m
                log(f"build, memory run: peak RSS {peak.peak_mb} MB / PSS {peak.peak_pss_mb} MB, {wall_m:.1f} s "
                    f"(the sampler used {peak.cpu_s:.1f} s of CPU), exit {code_m}")
                # the analyze command as a user runs it: start-up, reading, analysis and the JSON
                # of every article on stdout (here thrown away), nothing cached
                wall, _, code, err = run_timed(
                    briefgen_cmd() + ["analyze", str(corpus), "--as-of", AS_OF, "-q", "--no-cache", "--workers", str(workers)],
                    env_with_cache(tmp / "cache-build"))
                result["analyze_cli"] = {"seconds": round(wall, 2), "articles_per_s": round(args.n / wall, 1), "exit": code}
                if code not in (0, 1):
                    result["analyze_cli"]["stderr"] = err
                log(f"analyze end to end: {wall:.1f} s ({result['analyze_cli']['articles_per_s']} articles/s), exit {code}")
                save(result, args.out)
                result["rebuild"] = bench_rebuild(corpus, tmp, formats, workers, log)

        if args.scale:
            sizes = [int(x) for x in args.scale.split(",") if x.strip()]
            result["scale"] = bench_scale(sizes, workers, tmp, log, args.scale_briefs_max)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print(save(result, args.out))
    return 0


def save(result: dict, out: Path) -> str:
    """Write the JSON and the Markdown table (also after each stage, so a long run leaves data)."""
    if hasattr(os, "getloadavg"):
        result["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 2)
    result["machine"]["reference_ms_end"] = reference_ms()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md = markdown(result)
    out.with_suffix(".md").write_text(md, encoding="utf-8")
    return md


if __name__ == "__main__":
    sys.exit(main())
