"""Parallel analysis, reading and rendering give exactly the serial results, in input order.

The corpus is the five seeds plus a small synthetic multilingual set (benchmarks/synth.py:
vi, id, de, fr, en, es, zh articles with furniture), analysed by the real pipeline.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import analysis, parallel, pipeline
from briefgen.model import Article, to_dict
from briefgen.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AS_OF = "2026-11-23"
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    synth.generate(d, 24, seed=5)  # a seed whose 24 articles are in all seven languages
    for p in SEEDS.glob("*.txt"):
        (d / p.name).write_bytes(p.read_bytes())
    (d / "notes.xyz").write_text("not an article")  # skipped, not fatal
    return d


@pytest.fixture(scope="module")
def articles(corpus_dir) -> list[Article]:
    return pipeline.read_inputs([str(corpus_dir)], Settings(as_of=AS_OF, workers=1)).articles


def _dicts(xs):
    return [to_dict(x) for x in xs]


def test_synthetic_corpus_is_multilingual_with_furniture(articles):
    langs = {a.id[7:9] for a in articles if a.id[:6].isdigit()}
    assert len(langs) >= 5
    assert sum(1 for a in articles if a.removed) >= 5  # related-news lists, counters, captions removed


def test_parallel_analysis_equals_serial(articles):
    s = Settings(as_of=AS_OF, use_cache=False)
    serial = pipeline.analyze(articles, s.with_(workers=1))
    par = pipeline.analyze(articles, s.with_(workers=2), min_parallel=1)
    assert [a.id for a in par] == [a.id for a in articles]
    assert _dicts(par) == _dicts(serial)
    assert any(a.countries for a in par) and any(a.language == "zh" for a in par)


def test_small_inputs_run_in_process(articles, monkeypatch):
    def no_pool(*a, **kw):
        raise AssertionError("a process pool was started for a small input")

    monkeypatch.setattr(parallel, "_run_pool", no_pool)
    out = pipeline.analyze(articles[:5], Settings(as_of=AS_OF, use_cache=False, workers=2))
    assert [a.id for a in out] == [a.id for a in articles[:5]]


def test_progress_gets_the_total_and_every_article(articles):
    class Recorder:
        def __init__(self):
            self.started, self.done = [], 0

        def start(self, total, label=""):
            self.started.append(total)

        def __call__(self, n=1):
            self.done += n

    rec = Recorder()
    pipeline.analyze(articles, Settings(as_of=AS_OF, use_cache=False, workers=2), rec, min_parallel=1)
    assert rec.started == [len(articles)] and rec.done == len(articles)


def test_released_articles_go_as_their_analyses_arrive(articles):
    """``release=True`` (what ``run_analysis`` asks for: it has no use for the texts afterwards)
    empties the caller's list while the pool runs, not at the end; the results are the same."""
    s = Settings(as_of=AS_OF, use_cache=False, workers=2)
    expected = _dicts(pipeline.analyze(articles, s, min_parallel=1))
    mine = list(articles)
    seen = []

    def tick(n=1):
        seen.append(sum(a is None for a in mine))

    got = pipeline.analyze(mine, s, tick, min_parallel=1, release=True)
    assert _dicts(got) == expected
    assert mine == [None] * len(articles)
    assert len(seen) >= 3 and 0 < seen[0] < len(articles)  # released chunk by chunk
    assert seen == sorted(seen)
    kept = list(articles)
    pipeline.analyze(kept, s, min_parallel=1)  # not asked: the caller's list is left alone
    assert kept == list(articles)


@pytest.mark.parametrize("workers", [1, 2])
def test_results_loaded_in_bulk_stay_out_of_the_collectors_way(articles, tmp_path, workers):
    """In a run (``frozen_loads``, as ``run_analysis`` runs the commands), analyses loaded by
    the thousand, from a pool or from the cache, are frozen once loaded: no collection walks
    them again (the first one after loading 10,000 took 0.3 s); the run unfreezes everything
    on its way out. A library call outside a run freezes nothing. ``gc_frozen`` raises the
    young threshold for what is made meanwhile when asked, and gives back the threshold and the
    frozen objects on its way out."""
    import gc

    def tracked() -> set[int]:
        return {id(o) for g in range(3) for o in gc.get_objects(generation=g)}

    def records(got) -> list:
        return [a for a in got] + [c for a in got for c in a.commitments + a.background]

    s = Settings(as_of=AS_OF, workers=workers)
    pipeline.analyze(articles, s, cache_dir=tmp_path / "cache", min_parallel=1)  # fills the cache
    assert gc.get_freeze_count() == 0
    try:
        with parallel.frozen_loads():
            computed = pipeline.analyze(articles, s.with_(use_cache=False), min_parallel=1, detail=False)
            loaded = pipeline.analyze(articles, s, cache_dir=tmp_path / "cache", min_parallel=1, detail=False)
            now = tracked()
            for got in (computed, loaded) if workers > 1 else (loaded,):  # (one worker: computed here)
                assert records(got) and not any(id(r) in now for r in records(got))
            threshold = gc.get_threshold()
            with parallel.gc_frozen(parallel.BATCH_GC_THRESHOLD):
                assert gc.get_threshold()[0] == parallel.BATCH_GC_THRESHOLD != threshold[0]
            assert gc.get_threshold() == threshold
            with parallel.gc_frozen():  # (the render pool's: its workers inherit the threshold)
                assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() == 0
        now = tracked()
        assert all(id(r) in now for r in records(loaded))  # collected as usual again
        assert _dicts(loaded) == _dicts(computed)
        outside = pipeline.analyze(articles, s, cache_dir=tmp_path / "cache", min_parallel=1, detail=False)
        assert gc.get_freeze_count() == 0 and _dicts(outside) == _dicts(loaded)
    finally:
        gc.unfreeze()


def test_a_run_freezes_nothing_when_loading_fails(articles, monkeypatch):
    """An error while loading (here in the pool's results) leaves the collector as it was."""
    import gc

    def boom(*a, **k):
        raise RuntimeError("unpickling failed")

    monkeypatch.setattr("briefgen.cache.unpack", boom)
    was = gc.isenabled()
    with parallel.frozen_loads():
        with pytest.raises(RuntimeError):
            pipeline.analyze(articles, Settings(as_of=AS_OF, workers=2, use_cache=False), min_parallel=1)
        assert gc.get_freeze_count() == 0 and gc.isenabled() == was


def test_one_failing_article_does_not_stop_the_batch(articles, monkeypatch):
    real = analysis.analyze_article
    bad = articles[3].id

    def flaky(article, settings, language=None):
        if article.id == bad:
            raise RuntimeError("boom")
        return real(article, settings, language)

    monkeypatch.setattr(analysis, "analyze_article", flaky)
    monkeypatch.delenv("BRIEFGEN_DEBUG", raising=False)
    s = Settings(as_of=AS_OF, use_cache=False)
    for workers in (1, 2):  # in-process and in forked workers
        out = pipeline.analyze(articles, s.with_(workers=workers), min_parallel=1)
        assert out[3].id == bad and out[3].language == "und" and not out[3].sentences
        assert all(o.sentences for i, o in enumerate(out) if i != 3)
    monkeypatch.setenv("BRIEFGEN_DEBUG", "1")
    with pytest.raises(RuntimeError):
        pipeline.analyze(articles, s.with_(workers=1))


def test_parallel_reading_equals_serial(corpus_dir, tmp_path):
    from briefgen import readers

    inputs = [str(corpus_dir), str(tmp_path / "gone.txt")]
    s = Settings(as_of=AS_OF)
    errors: list[str] = []
    serial = pipeline.read_inputs(inputs, s.with_(workers=1), errors.append)
    found = list(readers.discover(inputs, s))
    par = parallel.read_many(found, s.with_(workers=2), min_parallel=1)
    assert [st for _, st, _ in par] == [r.status for r in serial.inputs]
    assert [to_dict(a) for arts, _, _ in par for a in arts] == [to_dict(a) for a in serial.articles]
    assert {r.status for r in serial.inputs} == {"used", "skipped", "failed"}
    assert len(errors) == 2 and any("gone.txt" in e for e in errors)


def test_main_process_warms_the_tables_while_workers_read(corpus_dir, monkeypatch):
    """The analysis workers are forked after reading: tables built in the main process meanwhile
    are theirs at no cost (each built its own in 0.7-0.9 s), those of the four commonest
    languages and of every other language in a sample of the articles read by then."""
    from briefgen import readers

    s = Settings(as_of=AS_OF)
    found = list(readers.discover([str(corpus_dir)], s))
    calls: list[int] = []
    so_far: list[list[Article]] = []

    def meanwhile(reading):
        calls.append(os.getpid())
        so_far.append(reading.articles())

    par = parallel.read_many(found, s.with_(workers=2), min_parallel=1, meanwhile=meanwhile)
    assert calls == [os.getpid()]  # once, in this process
    # what had been read by then: the first chunk and any other finished, in input order
    ids = [a.id for arts, _, _ in par for a in arts]
    where = [ids.index(a.id) for a in so_far[0]]
    assert where and where[0] == 0 and where == sorted(set(where))
    serial = parallel.read_many(found, s.with_(workers=1), min_parallel=1, meanwhile=lambda r: calls.append(0))
    assert calls == [os.getpid()]  # reading in this process leaves no time to fill
    assert [st for _, st, _ in par] == [st for _, st, _ in serial]
    assert pipeline._warm_for_pool(s.with_(engine="dask")) is None  # Dask's workers are not forked from here
    assert (pipeline._warm_for_pool(s) is not None) == parallel.forks_workers()
    import multiprocessing as mp

    monkeypatch.setattr(parallel, "_mp_context", lambda: mp.get_context("spawn"))
    assert pipeline._warm_for_pool(s) is None  # spawned workers start without this process's memory
    monkeypatch.undo()
    code = (
        "from briefgen import pipeline\n"
        "from briefgen.analysis import classify, language\n"
        "from briefgen.settings import Settings\n"
        "assert language._detector.cache_info().currsize == 0 and classify._lex.cache_info().currsize == 0\n"
        "warm = pipeline._warm_for_pool(Settings(as_of='2026-11-23', use_cache=False))\n"
        "warm(None)\n"
        "assert language._detector.cache_info().currsize == 1\n"
        "print(classify._lex.cache_info().currsize)\n"
        "from briefgen.model import Article\n"
        "fr = Article(id='f', path='', title='La France', text='Le Vietnam et la France ont signé un accord le 6 novembre 2026 à Hanoï. Le ministre ira à Lyon en avril.')\n"
        "es = Article(id='e', path='', title='España', text='Vietnam y España firmaron un acuerdo el 6 de noviembre de 2026 en Hanói. El ministro visitará Madrid en abril.')\n"
        "class Reading:\n"
        "    done = False\n"
        "    def articles(self): return [fr, es, fr, es]\n"
        "    def finished(self): return self.done\n"
        "over = Reading(); over.done = True\n"
        "warm(over)\n"
        "print(classify._lex.cache_info().currsize)\n"
        "warm(Reading())\n"
        "print(classify._lex.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) >= 4
    assert int(out[1]) == int(out[0])  # the files are read: the workers are not held up for more
    assert int(out[2]) == int(out[0]) + 2  # the two languages of the sample, once each


def test_a_rerun_builds_no_further_language_while_reading(tmp_path):
    """When every article of the sample already has its analysis in the cache (a re-run), the
    workers will not need more tables: only the four commonest languages are built."""
    code = (
        "from briefgen import parallel\n"
        "from briefgen.analysis import classify\n"
        "from briefgen.cache import AnalysisCache, article_key, salt\n"
        "from briefgen.model import Article\n"
        "from briefgen.settings import Settings\n"
        "s = Settings(as_of='2026-11-23')\n"
        "fr = Article(id='f', path='', title='La France', text='Le Vietnam et la France ont signé un accord le 6 novembre 2026 à Hanoï.')\n"
        "es = Article(id='e', path='', title='España', text='Vietnam y España firmaron un acuerdo el 6 de noviembre de 2026 en Hanói.')\n"
        "class Reading:\n"
        "    def articles(self): return [fr, es]\n"
        "    def finished(self): return False\n"
        "c = AnalysisCache(); c.put_many([(article_key(a, salt(s)), b'x') for a in (fr, es)]); c.close()\n"
        "parallel.warm_tables(s, Reading())\n"
        "print(classify._lex.cache_info().currsize)\n"
        "parallel.warm_tables(s.with_(use_cache=False), Reading())\n"
        "print(classify._lex.cache_info().currsize)\n"
    )
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split()
    assert int(out[1]) == int(out[0]) + 2  # (without the cache both languages are built)
    assert int(out[0]) == 4


def test_parallel_rendering_writes_the_same_files(articles, tmp_path):
    s = Settings(as_of=AS_OF, use_cache=False, workers=1, formats=("md", "json", "html"))
    c = pipeline.run_analysis([str(SEEDS)], s)
    briefs = pipeline.make_briefs(c, s)
    assert briefs
    serial = pipeline.write_briefs(briefs, tmp_path / "serial", s)
    tasks = [(fmt, b, pipeline.brief_basename(b)) for b in briefs for fmt in s.formats]
    par = parallel.render_many(tasks, tmp_path / "par", s.with_(workers=2), min_parallel=1)
    assert [(r["path"], r["sha256"]) for r in par] == [(r["path"], r["sha256"]) for r in serial]


def test_workers_default_to_the_cores():
    assert parallel.resolve_workers(0) == parallel.default_workers() >= 1
    assert parallel.resolve_workers(3) == 3


def test_unknown_engine_is_refused(articles):
    with pytest.raises(ValueError, match="engine"):
        pipeline.analyze(articles[:1], Settings(as_of=AS_OF, engine="spark", use_cache=False))


@pytest.mark.slow
def test_dask_cluster_result_equals_local(articles):
    distributed = pytest.importorskip("distributed")
    s = Settings(as_of=AS_OF, use_cache=False)
    local = pipeline.analyze(articles, s.with_(workers=2), min_parallel=1)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        on_dask = pipeline.analyze(articles, s.with_(engine="dask", scheduler=cluster.scheduler_address))
    assert _dicts(on_dask) == _dicts(local)


@pytest.mark.slow
def test_dask_cache_is_filled_by_the_caller(articles, tmp_path):
    distributed = pytest.importorskip("distributed")
    from briefgen.cache import AnalysisCache

    from briefgen.cache import article_key, salt

    s = Settings(as_of=AS_OF, use_cache=True)
    keys = [article_key(a, salt(s)) for a in articles[:6]]
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        on_dask = s.with_(engine="dask", scheduler=cluster.scheduler_address)
        pipeline.analyze(articles[:6], on_dask, cache_dir=tmp_path)
        # a run that drops the detail stores the workers' entries without it
        pipeline.analyze(articles[:6], on_dask, cache_dir=tmp_path / "slim", detail=False)
    assert AnalysisCache(tmp_path).info()["entries"] == 6
    assert AnalysisCache(tmp_path).has_all_analyses(keys, detail=True)
    slim = AnalysisCache(tmp_path / "slim")
    assert slim.has_all_analyses(keys) and not slim.has_all_analyses(keys, detail=True)


def test_a_failing_brief_does_not_stop_the_others(tmp_path, monkeypatch):
    from briefgen import writers

    s = Settings(as_of=AS_OF, use_cache=False, workers=1, formats=("md",))
    briefs = pipeline.make_briefs(pipeline.run_analysis([str(SEEDS)], s), s)
    assert len(briefs) >= 2
    real = writers.render_file
    bad = briefs[0].country

    def render_file(fmt, brief, settings):
        if brief.country == bad:
            raise RuntimeError("template error")
        return real(fmt, brief, settings)

    monkeypatch.setattr(writers, "render_file", render_file)
    tasks = [("md", b, pipeline.brief_basename(b)) for b in briefs]
    for workers, out in ((1, tmp_path / "serial"), (2, tmp_path / "par")):
        with pytest.raises(RuntimeError, match="template error"):
            parallel.render_many(tasks, out, s.with_(workers=workers), min_parallel=1)
        assert sorted(p.name for p in out.glob("*.md")) == sorted(t[2] + ".md" for t in tasks[1:])


def test_slim_analyses_give_the_same_corpus_and_briefs(corpus_dir, tmp_path):
    """build and report drop country and date mentions as results arrive; the corpus step and
    the briefs must not notice (home country, groups, same-event links, lent dates, briefs)."""
    from briefgen.brief import build_brief

    s = Settings(as_of=AS_OF, workers=2, use_cache=False)
    full = pipeline.run_analysis([str(corpus_dir)], s, detail=True)
    slim = pipeline.run_analysis([str(corpus_dir)], s, detail=False)
    assert any(a.mentions for a in full.articles) and any(a.dates for a in full.articles)
    assert not any(a.mentions for a in slim.articles)
    undated = [a for a in slim.articles if (a.event_date_source or "").startswith("lent:")]
    assert all(not a.dates for a in slim.articles if a not in undated)
    # sentences stay only where the corpus step or a brief reads them: undated (a date may be
    # lent) or untitled (named by its first sentence) articles; their count stays for all
    assert undated and all(a.sentences for a in undated)
    assert any(not a.sentences for a in slim.articles)
    for a_full, a_slim in zip(full.articles, slim.articles):
        assert a_slim.sentence_count == len(a_full.sentences) > 0
        kept = a_full.event_date_source is None or a_full.event_date_source.startswith("lent:") or not a_full.title
        assert bool(a_slim.sentences) == kept, a_slim.id
    assert slim.home_country == full.home_country == "VN"
    assert _dicts(slim.groups) == _dicts(full.groups)
    assert [a.same_event_as for a in slim.articles] == [a.same_event_as for a in full.articles]
    assert [a.event_date for a in slim.articles] == [a.event_date for a in full.articles]
    for g_full, g_slim in zip(full.groups, slim.groups):
        assert to_dict(build_brief(full, g_full, s)) == to_dict(build_brief(slim, g_slim, s))


def test_home_country_of_one_article_survives_slimming():
    """A lone article's home comes from its home cues (first of "Việt Nam - Pháp", provinces)."""
    from briefgen.analysis import countries

    s = Settings(as_of=AS_OF, workers=1, use_cache=False)
    arts = pipeline.read_inputs([str(SEEDS)], s).articles
    homes = []
    for art in arts:
        a = analysis.analyze_article(art, s)
        before = countries.detect_home([a])
        assert analysis.slim(a).mentions == []
        assert countries.detect_home([a]) == before
        homes.append(before)
    assert "VN" in homes


@pytest.mark.parametrize("use_cache", [False, True])
def test_workers_slim_results_only_when_nothing_is_cached(articles, tmp_path, use_cache):
    """Without the detail from the worker (no cache) or only the core unpacked on arrival (cache
    on, which keeps full analyses): the same slim results, and the cache never holds a slimmed
    analysis."""
    s = Settings(as_of=AS_OF, workers=2)
    full = parallel.analyze_many(articles, s, workers=1, use_cache=False, min_parallel=1)
    slim = parallel.analyze_many(articles, s, workers=2, use_cache=use_cache, cache_dir=tmp_path, min_parallel=1, detail=False)
    assert _dicts(slim) == _dicts([analysis.slim(a) for a in full])
    if use_cache:
        again = parallel.analyze_many(articles, s, workers=1, use_cache=True, cache_dir=tmp_path)
        assert any(a.mentions for a in again) and _dicts(again) == _dicts(
            parallel.analyze_many(articles, s, workers=1, use_cache=False))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the render helper forks (Linux)")
def test_render_helper_writes_the_same_pdfs_and_reports_failures(tmp_path):
    """A small job's PDFs go to the helper process started after reading: same bytes as
    in-process; a PDF that fails there is raised here after the other files are written."""
    s = Settings(as_of=AS_OF, use_cache=False, workers=2, formats=("pdf", "md"))
    briefs = pipeline.make_briefs(pipeline.run_analysis([str(SEEDS)], s), s)[:2]
    tasks = [(fmt, b, pipeline.brief_basename(b)) for b in briefs for fmt in s.formats]
    plain = parallel.render_many(tasks, tmp_path / "plain", s.with_(workers=1))
    with parallel.RenderHelper(s) as helper:
        helper.start_if_small(5)
        assert helper.running
        helped = parallel.render_many(tasks, tmp_path / "helped", s, min_parallel=99, helper=helper)
    assert not helper.running
    assert [(r["path"], r["sha256"], r.get("pages")) for r in helped] == [(r["path"], r["sha256"], r.get("pages")) for r in plain]
    assert all(isinstance(r["pages"], int) for r in helped if r["path"].endswith(".pdf"))

    with parallel.RenderHelper(s) as helper:
        helper.start_if_small(5)
        broken = s.with_(pdf_variant="pdf/no-such")  # the PDF writer refuses it, in the helper
        with pytest.raises(ValueError, match="unknown PDF variant"):
            parallel.render_many(tasks, tmp_path / "broken", broken, min_parallel=99, helper=helper)
    assert sorted(p.name for p in (tmp_path / "broken").glob("*.md")) == sorted(t[2] + ".md" for t in tasks if t[0] == "md")
    assert not list((tmp_path / "broken").glob("*.pdf"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the render helper forks (Linux)")
def test_running_helper_takes_a_small_jobs_pdfs_instead_of_a_new_pool(tmp_path, monkeypatch):
    """Four files would start a render pool, whose workers each load WeasyPrint and pay a first
    render; a running (warm) helper takes the PDFs and this process the rest, up to
    HELPER_MAX_PDFS PDFs. Beyond that the pool renders."""
    import concurrent.futures

    class NoPool:
        def __init__(self, *a, **k):
            raise LookupError("pool started")

    s = Settings(as_of=AS_OF, use_cache=False, workers=2, formats=("pdf", "md"))
    briefs = pipeline.make_briefs(pipeline.run_analysis([str(SEEDS)], s), s)[:2]
    tasks = [(fmt, b, pipeline.brief_basename(b)) for b in briefs for fmt in s.formats]
    assert len(tasks) >= parallel.MIN_PARALLEL_RENDER
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    with parallel.RenderHelper(s) as helper:
        helper.start_if_small(5)
        out = parallel.render_many(tasks, tmp_path / "helped", s, helper=helper)
        assert [r["path"] for r in out] == [t[2] + "." + t[0] for t in tasks]
        monkeypatch.setattr(parallel, "HELPER_MAX_PDFS", 1)
        with pytest.raises(LookupError, match="pool started"):
            parallel.render_many(tasks, tmp_path / "pool", s, helper=helper)


def test_render_helper_starts_only_for_small_pdf_jobs():
    s = Settings(as_of=AS_OF, workers=2, formats=("pdf", "docx"))
    with parallel.RenderHelper(s) as h:
        h.start_if_small(parallel.MIN_PARALLEL)
        assert not h.running  # a big job renders in the pool
    with parallel.RenderHelper(s.with_(formats=("docx",))) as h:
        h.start_if_small(3)
        assert not h.running
    with parallel.RenderHelper(s.with_(workers=1)) as h:
        h.start_if_small(3)
        assert not h.running


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_pdf_warm_up_renders_a_throwaway_brief(tmp_path, lang, monkeypatch):
    """The render helper warms WeasyPrint with a one-item brief while the analysis runs; it
    swallows errors there, so a warm-up broken by a model change must show here instead."""
    from briefgen.writers import pdf

    rendered = []
    real = pdf.render
    monkeypatch.setattr(pdf, "render", lambda b, s: rendered.append(real(b, s)) or rendered[-1])
    monkeypatch.chdir(tmp_path)
    pdf.warm_up(Settings(as_of=AS_OF, output_lang=lang))
    assert len(rendered) == 1 and rendered[0].startswith(b"%PDF-")
    assert not list(tmp_path.iterdir())  # nothing is written anywhere
