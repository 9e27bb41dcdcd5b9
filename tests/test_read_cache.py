"""The article cache: what the readers made of each file, reused when the file is unchanged.

Counting calls to a reader (wrapped, still the real one) shows how many files a run really
reads. Every test uses its own cache folder (tmp_path).
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefgen import pipeline, readers
from briefgen.cache import ArticleCache, ReadMemo
from briefgen.model import to_dict
from briefgen.settings import Limits, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AS_OF = "2026-11-23"

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Vietnam und Frankreich</title>
<meta property="article:published_time" content="2026-03-12T08:00:00+01:00"></head>
<body><nav><ul><li><a href="/a">Politik</a></li><li><a href="/b">Wirtschaft</a></li></ul></nav>
<article><h1>Vietnam und Frankreich unterzeichnen Gesundheitsabkommen</h1>
<p>Hanoi, 12. März 2026 – Vietnam und Frankreich haben am Dienstag ein Abkommen über die
Ausbildung von Ärzten unterzeichnet. Paris sagte 20 Millionen Euro für drei Krankenhäuser zu.</p>
<p>Die nächste Sitzung der gemeinsamen Kommission ist für den 15. September 2026 in Lyon geplant.</p>
</article><footer>Alle Rechte vorbehalten</footer></body></html>"""


@pytest.fixture
def inputs(tmp_path):
    """The seeds (plain-text scrapes) and a saved web page, in a folder of their own."""
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    return folder


@pytest.fixture
def reads(monkeypatch):
    """Count the files the readers really read (``read_bytes`` at the top level)."""
    calls: list[str] = []
    real = readers.read_bytes

    def wrapper(data, ext, path, display, settings, **kw):
        if not kw.get("depth"):
            calls.append(Path(display).name)
        return real(data, ext, path, display, settings, **kw)

    monkeypatch.setattr(readers, "read_bytes", wrapper)
    return calls


def _read(folder, cache_dir, monkeypatch, **kw):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(cache_dir))
    s = Settings(as_of=AS_OF, workers=1, use_cache=True).with_(**kw)
    return pipeline.read_inputs([str(folder)], s)


def _plain(rr):
    return [to_dict(a) for a in rr.articles], [to_dict(r) for r in rr.inputs]


def test_a_second_run_reads_no_unchanged_file_and_gets_the_same_articles(inputs, tmp_path, reads, monkeypatch):
    first = _read(inputs, tmp_path / "c", monkeypatch)
    assert sorted(reads) == sorted(p.name for p in inputs.iterdir())
    assert ArticleCache(tmp_path / "c").info()["entries"] == 6
    reads.clear()
    again = _read(inputs, tmp_path / "c", monkeypatch)
    assert reads == []
    assert _plain(again) == _plain(first)
    assert any(a.source_format == "html" and a.published for a in again.articles)


def test_a_changed_or_new_file_is_read_and_only_that(inputs, tmp_path, reads, monkeypatch):
    _read(inputs, tmp_path / "c", monkeypatch)
    reads.clear()
    page = inputs / "page.html"
    page.write_text(PAGE.replace("20 Millionen", "25 Millionen"), encoding="utf-8")
    (inputs / "new.txt").write_text("Hanoi, 3 March 2026 - Vietnam and Japan signed a health agreement.", encoding="utf-8")
    rr = _read(inputs, tmp_path / "c", monkeypatch)
    assert sorted(reads) == ["new.txt", "page.html"]
    assert any("25 Millionen" in a.text for a in rr.articles)


def test_the_name_a_file_is_shown_under_is_part_of_the_key(inputs, tmp_path, reads, monkeypatch):
    """Articles are named after their file: a renamed file is read again, under its new name."""
    _read(inputs, tmp_path / "c", monkeypatch)
    reads.clear()
    (inputs / "page.html").rename(inputs / "seite.html")
    rr = _read(inputs, tmp_path / "c", monkeypatch)
    assert reads == ["seite.html"]
    assert "seite.html" in {a.id for a in rr.articles}


def test_the_readers_settings_are_part_of_the_key(inputs, tmp_path, reads, monkeypatch):
    _read(inputs, tmp_path / "c", monkeypatch)
    reads.clear()
    rr = _read(inputs, tmp_path / "c", monkeypatch, limits=Limits(max_text_chars=300))
    assert len(reads) == 6
    assert all(len(a.text) <= 300 for a in rr.articles)
    reads.clear()
    _read(inputs, tmp_path / "c", monkeypatch, output_lang="de", workers=2)  # settings readers do not use
    assert reads == []


def test_a_change_of_the_readers_code_is_a_miss(inputs, tmp_path, reads, monkeypatch):
    from briefgen import cache

    _read(inputs, tmp_path / "c", monkeypatch)
    reads.clear()
    monkeypatch.setattr(cache, "reader_fingerprint", lambda package_dir=None: "another build")
    _read(inputs, tmp_path / "c", monkeypatch)
    assert len(reads) == 6


def test_the_fingerprint_follows_the_readers_code(tmp_path):
    from briefgen.cache import reader_fingerprint

    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "briefgen", pkg, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    fingerprint = reader_fingerprint.__wrapped__  # (not the value kept for this process)
    before = fingerprint(str(pkg))
    assert fingerprint(str(pkg)) == before
    (pkg / "readers" / "cleanup.py").write_text((pkg / "readers" / "cleanup.py").read_text() + "\n# changed\n")
    assert fingerprint(str(pkg)) != before


def test_a_file_that_failed_is_read_again_and_fails_again(tmp_path, reads, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    (folder / "ok.txt").write_text("Hanoi, 3 March 2026 - Vietnam and Japan signed a health agreement.", encoding="utf-8")
    for _ in range(2):
        reads.clear()
        rr = _read(folder, tmp_path / "c", monkeypatch)
        assert [r.status for r in rr.inputs] == ["failed", "used"]
        assert rr.inputs[0].reason == "file is blank"
    assert reads == ["blank.txt"]  # the good file came from the cache the second time
    assert ArticleCache(tmp_path / "c").info()["entries"] == 1


def test_a_damaged_entry_is_read_again(inputs, tmp_path, reads, monkeypatch):
    first = _read(inputs, tmp_path / "c", monkeypatch)
    db = ArticleCache(tmp_path / "c").db_path
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE entry SET data = ?", (b"not a pickle",))
    conn.close()
    reads.clear()
    again = _read(inputs, tmp_path / "c", monkeypatch)
    assert len(reads) == 6
    assert _plain(again) == _plain(first)


def test_no_cache_reads_everything_and_writes_nothing(inputs, tmp_path, reads, monkeypatch):
    for _ in range(2):
        _read(inputs, tmp_path / "c", monkeypatch, use_cache=False)
    assert len(reads) == 12
    assert not (tmp_path / "c" / "articles").exists()


def test_standard_input_is_always_read(tmp_path, monkeypatch):
    memo = ReadMemo(Settings(as_of=AS_OF), tmp_path)
    looked: list[str] = []
    monkeypatch.setattr(memo, "lookup", lambda key: looked.append(key))
    monkeypatch.setattr("sys.stdin", type("In", (), {"buffer": __import__("io").BytesIO(b"Vietnam and Japan signed.")})())
    arts = readers.read(Path(readers.STDIN), readers.STDIN, Settings(as_of=AS_OF), memo)
    assert arts and looked == []


def test_parallel_readers_fill_and_use_the_cache(tmp_path, monkeypatch):
    """Worker processes write their chunks' entries, and a second parallel run takes every
    file from them (each entry is replaced here by a marked copy, which is what comes back)."""
    import pickle

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i:02d}.txt").write_text(
            f"Hanoi, {i + 1} March 2026 - Vietnam and Japan signed agreement number {i} on health.", encoding="utf-8")
    from briefgen import parallel

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "c"))
    # (this test failed rarely when two workers created the new database at once and one lost its
    # batch's entries, fixed by ``cache._open_db``'s retry; should it fail again, the cache's
    # debug log of every process, the workers' too (they inherit the handler), goes to a file
    # that a failure shows, with the keys the database holds and each file's status in both reads)
    import logging

    trail = tmp_path / "cache.log"
    handler = logging.FileHandler(trail, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(process)d %(message)s"))
    logger = logging.getLogger("briefgen")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        s = Settings(as_of=AS_OF, workers=2, use_cache=True)
        found = list(readers.discover([str(folder)], s))
        first = parallel.read_many(found, s, min_parallel=2)
        db = ArticleCache(tmp_path / "c").db_path
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT key, data FROM entry").fetchall()
            for key, data in stored:
                arts = pickle.loads(data)
                for a in arts:
                    a.text = "FROM CACHE " + a.text
                conn.execute("UPDATE entry SET data = ?, used = 0 WHERE key = ?", (pickle.dumps(arts), key))
        conn.close()
        again = parallel.read_many(found, s, min_parallel=2)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        handler.close()

    def report() -> str:
        reads = "\n".join(f"  {display}: first {st1} {r1 or ''}, again {st2} {r2 or ''}"
                           for (_p, display), (_a1, st1, r1), (_a2, st2, r2) in zip(found, first, again))
        return (f"{len(stored)} entries after the first read; keys stored: {sorted(k for k, _d in stored)}\n"
                f"reads:\n{reads}\nlog:\n{trail.read_text(encoding='utf-8')}")

    assert all(st == "used" and arts for arts, st, _r in first), report()
    missed = [display for (_path, display), (arts, st, _r) in zip(found, again)
              if st != "used" or not arts or not all(a.text.startswith("FROM CACHE ") for a in arts)]
    assert not missed, f"read from the file again: {missed}; " + report()
    assert [[a.text for a in arts] for arts, _st, _r in again] == [
        ["FROM CACHE " + a.text for a in arts] for arts, _st, _r in first]
    with sqlite3.connect(db) as conn:
        used = [u for (u,) in conn.execute("SELECT used FROM entry")]
    conn.close()
    assert len(used) == 12 and all(u > 0 for u in used)  # each marked as used again


def test_a_page_dated_after_today_keeps_its_date(tmp_path, monkeypatch):
    """A page's date must not depend on the day it is read (its articles are kept): one dated
    after today's date on this machine (already tomorrow further east, or scheduled) keeps it."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE.replace("2026-03-12T08:00:00+01:00", "2098-05-04T08:00:00+07:00"),
                                      encoding="utf-8")
    rr = _read(folder, tmp_path / "c", monkeypatch, use_cache=False)
    assert rr.articles[0].published == "2098-05-04"


def test_least_recently_used_entries_go_above_the_limit(inputs, tmp_path, monkeypatch):
    _read(inputs, tmp_path / "c", monkeypatch)
    cache = ArticleCache(tmp_path / "c")
    with sqlite3.connect(cache.db_path) as conn:
        conn.execute("UPDATE entry SET used = 1 WHERE key = (SELECT MIN(key) FROM entry)")
        size = conn.execute("SELECT SUM(LENGTH(data)) FROM entry").fetchone()[0]
        (oldest,) = conn.execute("SELECT key FROM entry WHERE used = 1").fetchone()
    conn.close()
    assert cache.prune(max_bytes=size - 1) >= 1
    cache.close()
    with sqlite3.connect(cache.db_path) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM entry")}
    conn.close()
    assert oldest not in keys and len(keys) < 6


def test_cache_info_and_clear_count_the_read_articles(inputs, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from briefgen.cli import app

    _read(inputs, tmp_path / "c", monkeypatch)
    runner = CliRunner()
    r = runner.invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "read articles: 6 files" in r.output, r.output
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and "6 read files" in r.output, r.output
    assert not (tmp_path / "c" / "articles").exists()
