"""The content-addressed analysis cache: hits, misses, invalidation, corruption, CLI.

Counting calls to ``analyze_article`` (wrapped, still the real analysis) shows how much work a
re-run really does. Every test uses its own cache folder (tmp_path), never the user's.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen import analysis, pipeline
from briefgen.cache import AnalysisCache, article_key, cache_root, salt
from briefgen.model import Article, to_dict
from briefgen.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AS_OF = "2026-11-23"

EXTRA = [
    ("de-1.txt", "Deutschland und Vietnam unterzeichnen Abkommen",
     "Hanoi, 12. März 2026 – Vietnam und Deutschland haben am Dienstag ein Abkommen über berufliche "
     "Bildung unterzeichnet. Die Bundesregierung sagte 40 Millionen Euro zu. Die nächste Sitzung der "
     "gemeinsamen Kommission ist für den 15. September 2026 in Berlin geplant."),
    ("fr-1.txt", "La France et le Vietnam renforcent leur coopération",
     "HANOÏ, 4 février 2026 – Le vice-ministre a reçu une délégation française. Les deux pays "
     "signeront un accord sur la santé le 20 mai 2026 à Paris."),
    ("zh-1.txt", "越南与日本签署合作协议",
     "新华社河内2026年3月5日电 越南与日本在河内签署了关于能源转型的合作备忘录。日方承诺提供5000万美元。"),
]


def _articles() -> list[Article]:
    s = Settings(as_of=AS_OF, workers=1)
    arts = pipeline.read_inputs([str(SEEDS)], s).articles
    for name, title, text in EXTRA:
        arts.append(Article(id=name, path=f"extra/{name}", text=text, title=title))
    return arts


@pytest.fixture
def counted(monkeypatch):
    """Wrap the real analyze_article and count calls (in-process runs only)."""
    calls: list[str] = []
    real = analysis.analyze_article

    def wrapper(article, settings, language=None):
        calls.append(article.id)
        return real(article, settings, language)

    monkeypatch.setattr(analysis, "analyze_article", wrapper)
    return calls


def _run(arts, cache_dir, **kw):
    s = Settings(as_of=AS_OF, workers=1, use_cache=True).with_(**kw)
    return pipeline.analyze(arts, s, cache_dir=cache_dir)


def test_second_run_hits_cache_for_every_unchanged_article(tmp_path, counted):
    arts = _articles()
    first = _run(arts, tmp_path)
    assert len(counted) == len(arts)
    counted.clear()
    second = _run(arts, tmp_path)
    assert counted == []  # nothing recomputed
    assert [to_dict(a) for a in second] == [to_dict(a) for a in first]


def test_changed_article_is_recomputed_and_new_articles_only(tmp_path, counted):
    arts = _articles()
    _run(arts, tmp_path)
    counted.clear()
    changed = list(arts)
    a = changed[2]
    changed[2] = replace(a, text=a.text + "\n\nOne more paragraph about the visit.")
    new = Article(id="new.txt", path="new.txt", title="Vietnam, Indonesia sign pact",
                  text="JAKARTA, 2 June 2026 - Indonesia and Vietnam signed a fisheries pact on Tuesday.")
    _run(changed + [new], tmp_path)
    assert sorted(counted) == sorted([a.id, "new.txt"])


def test_version_bump_invalidates(tmp_path, counted, monkeypatch):
    arts = _articles()
    _run(arts, tmp_path)
    counted.clear()
    monkeypatch.setattr(analysis, "ANALYZER_VERSION", analysis.ANALYZER_VERSION + "-next")
    _run(arts, tmp_path)
    assert len(counted) == len(arts)


def test_analysis_settings_are_part_of_the_key(tmp_path, counted):
    arts = _articles()
    _run(arts, tmp_path)
    counted.clear()
    _run(arts, tmp_path, extra_aliases=(("Xứ sở hoa anh đào", "JP"),))
    assert len(counted) == len(arts)
    counted.clear()
    _run(arts, tmp_path, as_of="2027-01-01", formats=("md",))  # output-only settings: still hits
    assert counted == []


def _set_entry(cache: AnalysisCache, key: str, data: bytes) -> None:
    """Overwrite an entry's bytes in the database, as a damaged disk or an old build would."""
    import sqlite3

    with sqlite3.connect(cache.db_path) as db:
        assert db.execute("UPDATE entry SET data = ? WHERE key = ?", (data, key)).rowcount == 1


def test_corrupt_entry_is_ignored_and_rewritten(tmp_path, counted):
    arts = _articles()
    first = _run(arts, tmp_path)
    cache = AnalysisCache(tmp_path)
    key = article_key(arts[1], salt(Settings(as_of=AS_OF)))
    assert cache.get(key) is not None
    _set_entry(cache, key, b"\x00not a pickle at all")
    counted.clear()
    again = _run(arts, tmp_path)
    assert counted == [arts[1].id]
    assert to_dict(again[1]) == to_dict(first[1])
    fresh = AnalysisCache(tmp_path)
    assert fresh.get(key) is not None  # rewritten, readable again
    from briefgen.cache import pack

    _set_entry(fresh, key, pack(first[1])[:40])  # cut short
    assert fresh.get(key) is None and fresh.stats.errors == 1


def test_a_damaged_database_is_started_again(tmp_path, counted):
    """The whole database file overwritten with something else: the run goes on, every article
    is analysed again, and the cache works afterwards."""
    arts = _articles()[:3]
    first = _run(arts, tmp_path)
    db = AnalysisCache(tmp_path).db_path
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"this is not an SQLite database" * 100)
    counted.clear()
    again = _run(arts, tmp_path)
    assert counted == [a.id for a in arts]
    assert [to_dict(a) for a in again] == [to_dict(a) for a in first]
    counted.clear()
    _run(arts, tmp_path)
    assert counted == []
    assert AnalysisCache(tmp_path).info()["entries"] == 3


def test_moved_file_keeps_its_hit_and_gets_the_new_path(tmp_path, counted):
    arts = _articles()[:3]
    _run(arts, tmp_path)
    counted.clear()
    moved = [replace(a, path="archive/2026-11/" + a.id) for a in arts]
    out = _run(moved, tmp_path)
    assert counted == []
    assert [o.path for o in out] == [m.path for m in moved]


def test_same_text_under_two_ids_are_two_entries(tmp_path, counted):
    a = _articles()[0]
    twin = Article(id="copy-" + a.id, path="copy/" + a.id, text=a.text, title=a.title)
    out = _run([a, twin], tmp_path)
    assert [o.id for o in out] == [a.id, twin.id]
    assert all(m.article_id in ("", twin.id) for m in out[1].milestones)


def test_no_cache_computes_everything_and_writes_nothing(tmp_path, counted):
    arts = _articles()
    s = Settings(as_of=AS_OF, workers=1, use_cache=False)
    pipeline.analyze(arts, s, cache_dir=tmp_path)
    pipeline.analyze(arts, s, cache_dir=tmp_path)
    assert len(counted) == 2 * len(arts)
    assert AnalysisCache(tmp_path).info()["entries"] == 0


def test_entries_live_in_one_private_database(tmp_path):
    arts = _articles()
    _run(arts, tmp_path)
    files = sorted(p.name for p in (tmp_path / "analysis").rglob("*") if p.is_file())
    assert files[0] == "v4.sqlite3" and set(files) <= {"v4.sqlite3", "v4.sqlite3-wal", "v4.sqlite3-shm"}
    cache = AnalysisCache(tmp_path)
    assert cache.info()["entries"] == len(arts)
    if hasattr(os, "getuid"):
        assert all((tmp_path / "analysis" / f).stat().st_mode & 0o777 == 0o600 for f in files)
    total_text = sum(len(a.text.encode()) for a in arts)
    assert cache.db_path.stat().st_size < 8 * total_text + 200_000  # the analyses, not bloated


def test_least_recently_used_entries_go_above_the_limit(tmp_path):
    """Above the size limit the entries used longest ago are removed, down to 80% of it; an
    entry read is used again."""
    import sqlite3

    from briefgen.cache import pack

    s = Settings(as_of=AS_OF, workers=1)
    cache = AnalysisCache(tmp_path)
    data = pack(analysis.analyze_article(_articles()[0], s))
    keys = [f"{i:064x}" for i in range(10)]
    assert cache.put_many([(k, data) for k in keys])
    with sqlite3.connect(cache.db_path) as db:  # written on ten different days
        for day, k in enumerate(keys):
            db.execute("UPDATE entry SET used = ? WHERE key = ?", (1_700_000_000 + day * 86400, k))
    assert cache.prune(max_bytes=20 * len(data)) == 0
    assert cache.info()["bytes"] > 10 * len(data)
    assert cache.get(keys[0]) is not None  # read now: the newest
    before = cache.info()["bytes"]
    assert cache.prune(max_bytes=5 * len(data)) == 6  # down to 4 entries = 80% of the limit
    assert cache.info()["bytes"] < before / 2  # the space went back to the file system
    left = [k for k in keys if cache.get(k) is not None]
    assert left == [keys[0], keys[7], keys[8], keys[9]]
    assert cache.info()["entries"] == 4


def test_parallel_workers_fill_the_cache(tmp_path):
    arts = _articles()
    s = Settings(as_of=AS_OF, workers=2, use_cache=True)
    first = pipeline.analyze(arts, s, cache_dir=tmp_path, min_parallel=1)
    cache = AnalysisCache(tmp_path)
    run_salt = salt(s)
    assert all(cache.get(article_key(a, run_salt)) is not None for a in arts)
    again = pipeline.analyze(arts, s.with_(workers=1), cache_dir=tmp_path)
    assert [to_dict(a) for a in again] == [to_dict(a) for a in first]


def test_workers_write_after_the_parent_read_the_database(tmp_path, counted):
    """Some articles cached, the rest computed by forked workers: the parent has read the
    database (its connection is closed before the fork), the workers write their own rows, and
    the next run finds every one."""
    arts = _articles()
    s = Settings(as_of=AS_OF, workers=2, use_cache=True)
    half = pipeline.analyze(arts[::2], s.with_(workers=1), cache_dir=tmp_path)
    mixed = pipeline.analyze(arts, s, cache_dir=tmp_path, min_parallel=1)  # (workers: not counted)
    assert [to_dict(a) for a in mixed[::2]] == [to_dict(a) for a in half]
    assert AnalysisCache(tmp_path).info()["entries"] == len(arts)
    counted.clear()
    again = pipeline.analyze(arts, s.with_(workers=1), cache_dir=tmp_path)
    assert counted == [] and [to_dict(a) for a in again] == [to_dict(a) for a in mixed]
    assert AnalysisCache(tmp_path).info()["entries"] == len(arts)


def test_unwritable_cache_folder_does_not_fail_the_run(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    arts = _articles()[:2]
    out = pipeline.analyze(arts, Settings(as_of=AS_OF, workers=1), cache_dir=blocker / "cache")
    assert [o.id for o in out] == [a.id for a in arts]


def test_cache_dir_env_and_cli_commands(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from briefgen.cli import app

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "c"))
    assert cache_root() == tmp_path / "c"
    runner = CliRunner()
    r = runner.invoke(app, ["analyze", str(SEEDS), "--as-of", AS_OF, "-q", "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert AnalysisCache().info()["entries"] == 5
    # the country name tables live in the same folder (here a stand-in: this process built its
    # tables before the folder was set)
    from briefgen.analysis import countries

    assert countries._cache_path().parent == tmp_path / "c"
    tables = tmp_path / "c" / countries._cache_path().name
    tables.write_bytes(b"x" * 2_000_000)
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "entries: 5" in r.output and str(tmp_path / "c") in r.output
    assert "country name tables: 2.0 MB" in r.output
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and "and the country name tables" in r.output
    assert AnalysisCache().info()["entries"] == 0
    assert not tables.exists()
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "name tables" not in r.output
    r = runner.invoke(app, ["analyze", str(SEEDS), "--as-of", AS_OF, "-q", "--no-cache"])
    assert r.exit_code == 0
    assert AnalysisCache().info()["entries"] == 0


def test_default_cache_folder_is_the_platform_user_cache(monkeypatch):
    from platformdirs import user_cache_dir

    monkeypatch.delenv("BRIEFGEN_CACHE_DIR", raising=False)
    assert cache_root() == Path(user_cache_dir("briefgen", appauthor=False))
    assert os.path.basename(cache_root()) == "briefgen"


def test_a_cache_folder_others_can_write_is_not_read(tmp_path):
    """Entries are pickles: a world-writable cache folder could hand us code, so it is ignored."""
    import os

    from briefgen.cache import AnalysisCache

    if not hasattr(os, "getuid"):
        return
    root = tmp_path / "shared-cache"
    c = AnalysisCache(root)
    c.dir.mkdir(parents=True)
    assert c.trusted()
    os.chmod(root, 0o777)
    assert not AnalysisCache(root).trusted()
    assert AnalysisCache(root).get("0" * 64) is None
    os.chmod(root, 0o700)
    s = Settings(as_of=AS_OF, workers=1)
    assert c.put("1" * 64, analysis.analyze_article(_articles()[0], s))
    assert AnalysisCache(root).get("1" * 64) is not None
    os.chmod(c.db_path, 0o664)  # the database itself writable by the group
    assert AnalysisCache(root).get("1" * 64) is None
    assert not AnalysisCache(root).put("2" * 64, analysis.analyze_article(_articles()[0], s))


def test_pack_keeps_core_and_detail_apart():
    """An entry (and a worker's result) is the core plus the detail pickled apart: the whole
    analysis comes back with detail, the slim one without; packing leaves the analysis as it was.
    A pack made without the detail says so, and gives the slim analysis even to a reader that
    asks for the detail."""
    from briefgen.cache import has_detail, pack, unpack

    s = Settings(as_of=AS_OF, workers=1)
    arts = _articles()
    for a in arts:
        full = analysis.analyze_article(a, s)
        before = to_dict(full)
        packed = pack(full)
        assert to_dict(full) == before
        assert to_dict(unpack(packed)) == before
        assert to_dict(unpack(packed, detail=False)) == to_dict(analysis.slim(analysis.analyze_article(a, s)))
        assert full.mentions and not unpack(packed, detail=False).mentions
        core = pack(full, detail=False)  # what a worker sends back, and stores, without detail
        assert len(core) < len(packed)
        assert has_detail(packed) and not has_detail(core)
        slim = to_dict(analysis.slim(analysis.analyze_article(a, s)))
        assert to_dict(unpack(core)) == slim and to_dict(unpack(core, detail="later")) == slim
        assert unpack(core, detail="later").detail_packed is None
        # an analysis without what the corpus step needs cannot be slimmed: all of it is the core
        raw = replace(full, event_keys=None)
        assert has_detail(pack(raw, detail=False))
        assert to_dict(unpack(pack(raw, detail=False))) == to_dict(raw)


def test_cache_serves_the_core_alone(tmp_path):
    s = Settings(as_of=AS_OF, workers=1)
    a = _articles()[0]
    full = analysis.analyze_article(a, s)
    cache = AnalysisCache(tmp_path)
    key = article_key(a, salt(s))
    assert cache.put(key, full)
    assert to_dict(cache.get(key)) == to_dict(full)
    assert to_dict(cache.get(key, detail=False)) == to_dict(analysis.slim(analysis.analyze_article(a, s)))


@pytest.mark.parametrize("workers", [1, 2])
def test_entries_hold_what_their_run_asked_for(tmp_path, workers):
    """A run that drops the detail (briefs, reports) stores entries without it; the next such
    run hits them all. A run that wants the detail (``analyze --full``) reads them as misses,
    computes every article again and stores the whole analyses, which then serve both kinds of
    run. Serial (workers=1) and pool (workers=2) runs alike."""
    from briefgen.cache import has_detail

    arts = _articles()
    s = Settings(as_of=AS_OF, workers=workers, use_cache=True)
    keys = [article_key(a, salt(s)) for a in arts]

    def run(detail):
        out = pipeline.analyze(arts, s, cache_dir=tmp_path, detail=detail, min_parallel=1)
        c = AnalysisCache(tmp_path)
        stored = c.get_data(keys)
        c.close()
        return out, [has_detail(stored[k]) for k in keys]

    slim, stored = run(False)
    assert not any(stored) and not any(a.mentions for a in slim)
    again, stored = run(False)
    assert [to_dict(a) for a in again] == [to_dict(a) for a in slim] and not any(stored)
    probe = AnalysisCache(tmp_path)
    assert probe.get_many(keys, detail=True) == {} and probe.stats.misses == len(keys)
    assert probe.get_many(keys, detail="later") == {}
    assert len(probe.get_many(keys, detail=False)) == len(keys)
    assert probe.has_all_analyses(keys) and not probe.has_all_analyses(keys, detail=True)
    probe.close()
    full, stored = run(True)
    assert all(stored) and all(a.mentions for a in full if a.countries)
    expected = [to_dict(analysis.analyze_article(a, s)) for a in arts]
    assert [to_dict(a) for a in full] == expected
    probe = AnalysisCache(tmp_path)
    assert probe.has_all_analyses(keys, detail=True)
    assert [to_dict(probe.get(k)) for k in keys] == expected
    got = probe.get_many(keys, detail=False)
    assert [to_dict(got[k]) for k in keys] == [to_dict(a) for a in slim]
    probe.close()


def test_a_slim_analysis_is_never_stored_as_a_whole_one(tmp_path):
    """Whatever ``pack`` is asked, an analysis whose detail ``slim`` dropped is stored as one
    without it: read back for a run that wants the detail, it is a miss, not an analysis with
    its country and date mentions missing. Unpacked with its detail, an analysis is whole again."""
    from briefgen.cache import has_detail, pack, unpack, with_detail

    s = Settings(as_of=AS_OF, workers=1)
    a = _articles()[0]
    full = analysis.analyze_article(a, s)
    assert full.mentions and not full.detail_dropped
    slim = unpack(pack(full, detail=False))
    assert slim.detail_dropped and not has_detail(pack(slim, detail=True))
    assert not full.detail_dropped  # packing left it as it was
    cache = AnalysisCache(tmp_path)
    assert cache.put("k", slim)
    assert cache.get("k") is None and cache.get("k", detail="later") is None
    assert to_dict(cache.get("k", detail=False)) == to_dict(slim)
    assert cache.put("k", full)
    whole = cache.get("k")
    assert not whole.detail_dropped and to_dict(whole) == to_dict(full)
    later = cache.get("k", detail="later")
    assert later.detail_dropped and to_dict(with_detail(later)) == to_dict(full)
    cache.close()


def test_records_pickle_as_field_tuples_and_round_trip():
    """Every analysis record travels (worker -> parent, cache) as its class and field values:
    each field comes back, and the field names are not repeated in every pickled record."""
    import dataclasses
    import pickle

    from briefgen import model

    slotted = [c for c in vars(model).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c) and "__slots__" in vars(c)]
    assert {"Sentence", "DateMention", "CountryMention", "Milestone", "ArticleAnalysis"} <= {c.__name__ for c in slotted}
    for cls in slotted:
        names = [f.name for f in dataclasses.fields(cls)]
        obj = cls(*range(len(names)))  # a distinct value in every field
        back = pickle.loads(pickle.dumps(obj, protocol=5))
        assert type(back) is cls and back == obj, cls.__name__
        data = pickle.dumps(obj, protocol=5)
        assert not [n for n in names if n.encode() in data], cls.__name__


def test_entries_of_older_layouts_are_reported_and_cleared(tmp_path, monkeypatch):
    """After an upgrade the old layout's entries are never read again: ``cache info`` says how
    many there are apart from the current ones, and ``cache clear`` removes them too. Files that
    are not entries (the country tables kept beside them) are not counted as entries."""
    from typer.testing import CliRunner

    from briefgen.cli import app

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "c"))
    s = Settings(as_of=AS_OF, workers=1)
    a = _articles()[0]
    cache = AnalysisCache()
    assert cache.put(article_key(a, salt(s)), analysis.analyze_article(a, s))
    old = tmp_path / "c" / "analysis" / "v1" / "ab"
    old.mkdir(parents=True)
    for k in range(3):
        (old / f"{k:062x}.pkl").write_bytes(b"x" * 1000)
    (tmp_path / "c" / "countries-tables.pkl").write_bytes(b"tables")
    info = cache.info()
    assert (info["entries"], info["stale_entries"], info["stale_bytes"]) == (1, 3, 3000)
    r = CliRunner().invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "entries: 1 (" in r.output and "from older versions: 3 entries" in r.output
    assert cache.clear() == 4
    assert not (tmp_path / "c" / "analysis").exists() and (tmp_path / "c" / "countries-tables.pkl").exists()
    r = CliRunner().invoke(app, ["cache", "info"])
    assert "entries: 0 (" in r.output and "older versions" not in r.output


def test_detail_unpacked_later_keeps_the_dates_the_corpus_step_lent():
    """``unpack(..., "later")`` leaves the detail packed; ``with_detail`` gives it back on a copy.
    An undated article lent a date by the corpus step had its dates recomputed against it
    ("nächstes Jahr" becomes 2026): those stay, the rest of the detail comes back."""
    from briefgen.analysis import dates
    from briefgen.cache import pack, unpack, with_detail
    from briefgen.model import ArticleAnalysis

    s = Settings(as_of=AS_OF, workers=1, use_cache=False)
    text = ("Die Minister werden nächstes Jahr in Paris ein Abkommen unterzeichnen. Deutschland und Vietnam "
            "wollen die Zusammenarbeit im Gesundheitswesen vertiefen.")
    a = analysis.analyze_article(Article(id="t", path="t", text=text, title="Abkommen mit Vietnam"), s)
    assert a.event_date is None and a.dates == [] and a.mentions

    later = unpack(pack(a), "later")
    assert later.detail_packed and later.mentions == [] and later.sentences == a.sentences  # undated: kept
    donor = ArticleAnalysis(id="d", path="d", title=None, url=None, language="vi", event_date="2025-10-31",
                            event_date_source="dateline", date_confidence=0.9)
    assert dates.lend_date(later, donor)
    lent = [(d.value, d.relative) for d in later.dates]
    assert lent == [("2026", True)]

    full = with_detail(later)
    assert [(d.value, d.relative) for d in full.dates] == lent
    assert to_dict(full.mentions) == to_dict(a.mentions) and full.detail_packed is None
    assert later.mentions == [] and later.detail_packed  # the corpus's copy stays slim
    assert with_detail(a) is a  # nothing packed: nothing to do
    # the full unpack (the detail at once, before any corpus step) gives the analysis as it was
    assert to_dict(unpack(pack(a))) == to_dict(a)


def test_has_all_counts_entries_without_reading_them(tmp_path):
    c = AnalysisCache(tmp_path)
    assert c.has_all([]) and not c.has_all(["a"])  # no database yet
    assert c.put_many([("a", b"not even a pickle"), ("b", b"x")])
    with c._db() as conn:
        conn.execute("UPDATE entry SET used = 1")
    assert c.has_all(["a"]) and c.has_all(["a", "b", "a"])
    assert not c.has_all(["a", "c"])
    # nothing was read (the entries are not even pickles), nor marked as used now
    assert c.stats.errors == 0
    assert c._db().execute("SELECT DISTINCT used FROM entry").fetchall() == [(1,)]
    c.close()


def _new_store_locked_by_another_writer(root: Path):
    """A new database file for the analysis cache that another connection is setting up: it
    holds a write lock in the file's first journal mode (rollback, before WAL), as a worker
    creating the cache at the same moment may. SQLite then answers a second connection's switch
    to WAL with "database is locked" at once, without its busy wait."""
    import sqlite3

    from briefgen.cache import _create_private
    from briefgen.util import private_makedirs

    store = AnalysisCache(root)
    private_makedirs(store.dir)
    _create_private(store.db_path)
    other = sqlite3.connect(str(store.db_path), isolation_level=None, timeout=0.5)
    other.execute("CREATE TABLE entry (key TEXT PRIMARY KEY, data BLOB NOT NULL, used INTEGER NOT NULL)")
    other.execute("BEGIN IMMEDIATE")
    return store, other


def test_a_store_opened_while_another_process_sets_it_up_waits_for_it(tmp_path, monkeypatch):
    """SQLite answers "database is locked" at once, without its busy wait, to a connection that
    switches the file to WAL while another holds a write lock in the file's first journal mode:
    a reading worker lost its batch's entries that way (seen in a test run). Opening is retried:
    here the other connection finishes its set-up when the first attempt has failed."""
    import sqlite3

    from briefgen import cache

    store, other = _new_store_locked_by_another_writer(tmp_path / "c")
    attempts = []
    connect = cache._connect

    def attempt(path):
        attempts.append(path)
        try:
            return connect(path)
        except sqlite3.OperationalError:
            if len(attempts) == 1:
                other.execute("ROLLBACK")
            raise

    monkeypatch.setattr(cache, "_connect", attempt)
    try:
        assert store.put_many([("k", b"v")])
        assert len(attempts) == 2  # (the first failed at once, the second found the lock gone)
        assert store.stats.errors == 0
        assert store.get_data(["k"]) == {"k": b"v"}
    finally:
        other.close()
        store.close()


def test_without_the_retry_that_moment_loses_the_entries(tmp_path, monkeypatch):
    """The moment above is real: without retrying, the first write fails at once and the store
    is not used again (a miss and a lost entry, never an error of the run)."""
    import time

    from briefgen import cache

    monkeypatch.setattr(cache, "OPEN_RETRY_SECONDS", 0.0)
    store, other = _new_store_locked_by_another_writer(tmp_path / "c")
    try:
        t = time.perf_counter()
        assert not store.put_many([("k", b"v")])
        assert time.perf_counter() - t < 5  # (at once, not after the 60-second busy wait)
    finally:
        other.close()
    assert store.stats.errors == 1
    assert store.get_data(["k"]) == {}  # (the store gave up: _failed)
