"""Content-addressed caches: per-article analysis, and rendered files (``RenderCache``, below).

``analyze_article`` is a pure function of (article, settings), so its result can be stored
under a hash of exactly what it depends on and reused: re-running a monthly report after
adding ten articles costs ten articles' work.

Key = sha256 over the article's text, title, url, published date, id, source format and
metadata, plus ``ANALYZER_VERSION``, ``Settings.analysis_key()`` and a fingerprint of the
analysis code and language data (so a code or lexicon change never serves stale results,
even when someone forgets to bump the version). The article's path and removed furniture are
not part of the key: they are copied onto the cached result, so moving a folder keeps its hits.

Layout: ``<cache dir>/analysis/v4.sqlite3``, one row per entry: the ``pack``ed analysis and when
it was last used (see ``AnalysisCache``); a row is written in a transaction, so no reader sees
half an entry. An entry holds what the run that stored it asked for: briefs and reports keep
the core of each analysis, so their entries leave its detail out (half the bytes, and 0.13 ms
of a worker's time per article); ``analyze --full`` wants the detail, reads such an entry as a
miss and replaces it by the whole analysis, which serves both from then on (a ``build`` running
at the same time over the same articles may put its own entries back: the last one stays). A
slim analysis is never stored as a whole one (``detail_dropped``). An entry that
cannot be unpickled is treated as a miss and rewritten. Above
``ANALYSIS_CACHE_MAX_BYTES`` the least recently used entries are removed. The folder is
``platformdirs.user_cache_dir("briefgen")`` unless ``BRIEFGEN_CACHE_DIR`` is set.
"""
from __future__ import annotations

import hashlib
import json
import contextlib
import copy
import logging
import os
import pickle
import shutil
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .analysis import slim
from .model import Article, ArticleAnalysis
from .settings import Settings
from .util import chunks, private_dir, private_file, private_makedirs, write_bytes_atomic

# v1-v3 were one zlib-compressed file per entry (analysis/<layout>/<2 hex>/<62 hex>.pkl); v2: entries
# are pack()ed (core and detail pickled apart); v3: records pickled as tuples; v4: one SQLite database
_LAYOUT = "v4"
_DB_NAME = f"{_LAYOUT}.sqlite3"
log = logging.getLogger("briefgen")

#: above this many bytes of analysis entries, the least recently used ones are removed
ANALYSIS_CACHE_MAX_BYTES = 1_000_000_000


def cache_root() -> Path:
    env = os.environ.get("BRIEFGEN_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefgen", appauthor=False))


@lru_cache(maxsize=4)
def code_fingerprint(package_dir: str | None = None) -> str:
    """Hash of the analysis code and the language data files (names, sizes, contents)."""
    base = Path(package_dir) if package_dir else Path(__file__).resolve().parent
    h = hashlib.sha256()
    _hash_paths(h, base, ("analysis", "data", "settings.py", "model.py"))
    return h.hexdigest()[:16]


def _files_under(folder: Path) -> list[Path]:
    """The files under a folder, sorted (none if it is missing)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _hash_paths(h, base: Path, names: Sequence[str]) -> None:
    """Feed ``h`` the files of these folders and files under ``base`` (``_hash_files``)."""
    for name in names:
        root = base / name
        _hash_files(h, base, [root] if root.is_file() else _files_under(root))


def _hash_versions(h, names: Sequence[str]) -> None:
    """Feed ``h`` the installed version of each of these distributions ("-" if missing)."""
    from importlib import metadata

    for name in names:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())


def _hash_files(h, base: Path, files: list[Path]) -> None:
    """Feed ``h`` each file's path relative to ``base`` and the sha256 of its contents; compiled
    Python and unreadable files are left out."""
    for p in files:
        if p.suffix in (".pyc", ".pyo") or "__pycache__" in p.parts:
            continue
        try:
            data = p.read_bytes()
        except OSError:
            continue
        h.update(str(p.relative_to(base)).encode("utf-8", "surrogatepass") + b"\0")
        h.update(hashlib.sha256(data).digest())


def _version() -> str:
    from .analysis import ANALYZER_VERSION

    return str(ANALYZER_VERSION)


def salt(settings: Settings) -> bytes:
    """The part of every key that depends on the run, not the article (compute once per run)."""
    return f"{_version()}\0{settings.analysis_key()}\0{code_fingerprint()}\0".encode()


def _meta_repr(meta) -> str:
    if not meta:
        return ""
    try:
        return json.dumps(meta, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(sorted(meta.items(), key=lambda kv: str(kv[0])))


def _digest(run_salt: bytes, parts) -> str:
    """sha256 of ``run_salt`` and the parts (None as ""), each length-prefixed: no ambiguity
    between fields."""
    h = hashlib.sha256(run_salt)
    for part in parts:
        b = ("" if part is None else str(part)).encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def article_key(article: Article, run_salt: bytes) -> str:
    return _digest(run_salt, (article.text, article.title, article.url, article.published, article.id,
                              article.source_format, _meta_repr(article.meta)))


#: set in a pack's 8-byte header when its detail was left out (``pack(..., detail=False)`` of
#: an analysis that has one apart): it gives the slim analysis only
_NO_DETAIL = 1 << 63
#: ``has_detail`` in SQL, on an entry's ``data``: the flag is the top bit of the header's 8th byte
_HAS_DETAIL_SQL = "substr(data, 8, 1) < x'80'"


def pack(analysis: ArticleAnalysis, detail: bool = True) -> bytes:
    """An analysis as bytes, for the cache and for the way back from a worker: the core (what
    ``analysis.slim`` keeps, all the corpus step and the briefs read) and the detail (what it
    takes: country and date mentions, and sentences not needed again) pickled apart, so a reader
    that wants the core does not load the rest. ``detail=False`` leaves the detail out (and says
    so in the header: ``has_detail``). An analysis that cannot be slimmed keeps everything in
    its core."""
    mentions, dates, sentences = analysis.mentions, analysis.dates, analysis.sentences
    dropped = analysis.detail_dropped  # (a slim analysis has no detail to give)
    slim(analysis)  # replaces the lists it takes (with new empty ones) and sets detail_dropped
    try:
        core = pickle.dumps(analysis, protocol=5)
    finally:
        slimmed = analysis.detail_dropped
        apart = None if analysis.sentences is sentences else sentences
        analysis.mentions, analysis.dates, analysis.sentences = mentions, dates, sentences
        analysis.detail_dropped = dropped
    if not slimmed:
        return len(core).to_bytes(8, "little") + core
    if not detail or dropped:
        return (len(core) | _NO_DETAIL).to_bytes(8, "little") + core
    return len(core).to_bytes(8, "little") + core + pickle.dumps((mentions, dates, apart), protocol=5)


def has_detail(packed: bytes) -> bool:
    """Whether a ``pack`` gives the whole analysis: its detail is in it, or it had none apart."""
    return not int.from_bytes(packed[:8], "little") & _NO_DETAIL


def unpack(data: bytes, detail: bool | str = True) -> ArticleAnalysis:
    """The analysis ``pack`` made; without ``detail``, or when the pack left it out, it is the
    slim one (``analysis.slim``). ``detail="later"``: the slim one holding its detail still
    packed (``detail_packed``), for ``with_detail`` to unpack when it is needed."""
    view = memoryview(data)
    n = int.from_bytes(view[:8], "little") & ~_NO_DETAIL
    value = pickle.loads(view[8 : 8 + n])
    if not isinstance(value, ArticleAnalysis):
        raise TypeError("not an ArticleAnalysis")
    if detail and len(view) > 8 + n:
        if detail == "later":
            value.detail_packed = bytes(view[8 + n :])
        else:
            _restore(value, view[8 + n :])
    return value


def _restore(value: ArticleAnalysis, detail) -> None:
    value.mentions, dates, sentences = pickle.loads(detail)
    value.detail_dropped = False
    if not (value.event_date_source or "").startswith("lent:"):
        # (the corpus step recomputed the dates of an article it lent a date to: those stay)
        value.dates = dates
    if sentences is not None:
        value.sentences = sentences


def with_detail(analysis: ArticleAnalysis) -> ArticleAnalysis:
    """The full analysis of one that ``unpack(..., detail="later")`` gave: a copy with its
    country and date mentions and sentences unpacked. ``analysis`` itself is not changed, so
    writing one article after the other holds one article's detail at a time."""
    if analysis.detail_packed is None:
        return analysis
    full = copy.copy(analysis)
    full.detail_packed = None
    _restore(full, analysis.detail_packed)
    return full


def restamp(analysis: ArticleAnalysis, article: Article) -> ArticleAnalysis:
    """Copy the fields that are not in the key from the article onto a cached analysis."""
    analysis.path = article.path
    analysis.removed = article.removed
    return analysis


def _private_folders(*folders: Path) -> bool:
    """Whether every one of these folders that exists is this user's alone (``private_dir``)."""
    return all(private_dir(d) for d in folders if d.exists())


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0


class _EntryStore:
    """Entries in one SQLite database under the cache folder: ``<folder>/<db_name>``, one row
    per entry (key, bytes, when it was last used). Safe to use from several processes at once:
    the WAL journal lets readers go on while one writer commits, and writers wait for each
    other (``busy_timeout``). The analysis cache and the article cache are two of them.

    A connection is never used across ``fork``: each process opens its own on first use."""

    #: the folder under the cache root, the database's file name, and what logs call it
    folder, db_name, label = "", "", ""
    #: above this many bytes of entries, ``prune`` removes the least recently used ones
    max_bytes = 0

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else cache_root()
        self.dir = self.root / self.folder
        self.db_path = self.dir / self.db_name
        self.stats = Stats()
        self._trusted: bool | None = None
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._failed = False

    def trusted(self) -> bool:
        """Entries are pickles: read them only from a database this user owns, in folders this
        user owns, that no one else can write (checked once per cache object)."""
        if self._trusted is None:
            self._trusted = _private_folders(self.root, self.dir) and (
                not self.db_path.exists() or private_file(self.db_path))
        return self._trusted

    # -- connection

    def _db(self, create: bool = False) -> sqlite3.Connection | None:
        """This process's connection, or None: no database yet (and ``create`` not asked), an
        untrusted folder, or one that cannot be opened (a miss, never an error of the run)."""
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn = None  # opened in the parent before a fork: not ours to use (or close)
        if self._failed or not self.trusted() or (not create and not self.db_path.exists()):
            return None
        try:
            if create:
                private_makedirs(self.dir)
                _create_private(self.db_path)
            try:
                conn = _open_db(self.db_path)
            except sqlite3.DatabaseError as e:
                if isinstance(e, sqlite3.OperationalError):  # locked, read-only, out of space
                    raise
                # not a database (damaged, or something else at that path): it is only a cache
                log.debug("%s %s unreadable (%s): starting it again", self.label, self.db_path, e)
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        os.unlink(f"{self.db_path}{suffix}")
                _create_private(self.db_path)
                conn = _open_db(self.db_path)
        except (sqlite3.Error, OSError) as e:
            log.debug("%s %s not used: %s", self.label, self.db_path, e)
            self.stats.errors += 1
            self._failed = True
            return None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def close(self) -> None:
        """Close this process's connection (before forking workers, and when done)."""
        if self._conn is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    # -- entries

    def get_data(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored bytes of these keys that are there (key -> bytes); they are not marked as
        used (``mark_used``: after reading them, for many at once)."""
        found: dict[str, bytes] = {}
        conn = self._db()
        if conn is None:
            return found
        wanted = list(dict.fromkeys(keys))
        try:
            for part in _batches(wanted):
                for key, data in conn.execute(f"SELECT key, data FROM entry WHERE key IN ({_marks(part)})", part):
                    found[key] = data
        except sqlite3.Error as e:  # the entries read so far are kept
            log.debug("%s %s: %s", self.label, self.db_path, e)
            self.stats.errors += 1
        return found

    def mark_used(self, keys: Sequence[str]) -> None:
        """Mark these entries as used now (the least recently used go first when pruning)."""
        conn = self._db()
        if conn is None or not keys:
            return
        now = int(time.time())
        try:
            with conn:
                for part in _batches(list(keys)):
                    conn.execute(f"UPDATE entry SET used = ? WHERE key IN ({_marks(part)})", (now, *part))
        except sqlite3.Error as e:
            log.debug("%s %s: %s", self.label, self.db_path, e)
            self.stats.errors += 1

    def has_all(self, keys: Sequence[str], where: str = "") -> bool:
        """Whether every key has an entry (none is read, or marked as used); ``where``: an SQL
        condition on the entry's ``data`` that it must meet as well."""
        wanted = list(dict.fromkeys(keys))
        conn = self._db()
        if conn is None:
            return not wanted
        also = f" AND ({where})" if where else ""
        try:
            n = sum(conn.execute(f"SELECT COUNT(*) FROM entry WHERE key IN ({_marks(part)}){also}", part).fetchone()[0]
                    for part in _batches(wanted))
        except sqlite3.Error as e:
            log.debug("%s %s: %s", self.label, self.db_path, e)
            return False
        return n == len(wanted)

    def put_many(self, items: Sequence[tuple[str, bytes]]) -> bool:
        """Store (key, bytes) pairs in one transaction: all of them or none."""
        if not items:
            return True
        conn = self._db(create=True)
        if conn is None:
            return False
        now = int(time.time())
        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO entry (key, data, used) VALUES (?, ?, ?)",
                                 [(k, data, now) for k, data in items])
        except sqlite3.Error as e:
            log.debug("%s %s: %s", self.label, self.db_path, e)
            self.stats.errors += 1
            return False
        self.stats.writes += len(items)
        return True

    def prune(self, max_bytes: int | None = None) -> int:
        """Above ``max_bytes`` of entries, remove the least recently used ones until a fifth of
        that is free, and give the space back to the file system; returns how many were removed.
        ``max_bytes`` defaults to the store's ``max_bytes``."""
        max_bytes = self.max_bytes if max_bytes is None else max_bytes
        conn = self._db()
        if conn is None:
            return 0
        try:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            (page,) = conn.execute("PRAGMA page_size").fetchone()
            if pages * page <= max_bytes:  # the file holds the entries and more: nothing to do
                return 0
            (size,) = conn.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM entry").fetchone()
            if size <= max_bytes:
                return 0
            goal = size - int(max_bytes * 0.8)
            doomed, freed = [], 0
            for key, n in conn.execute("SELECT key, LENGTH(data) FROM entry ORDER BY used, key"):
                if freed >= goal:
                    break
                doomed.append(key)
                freed += n
            with conn:
                for part in _batches(doomed):
                    conn.execute(f"DELETE FROM entry WHERE key IN ({_marks(part)})", part)
            conn.executescript("PRAGMA incremental_vacuum;")  # (``execute`` would free one page)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as e:
            log.debug("%s %s: %s", self.label, self.db_path, e)
            self.stats.errors += 1
            return 0
        log.debug("%s: removed %d least recently used entries (%.1f MB)", self.label, len(doomed), freed / 1e6)
        return len(doomed)


class AnalysisCache(_EntryStore):
    """The analysis entries: ``analysis/v4.sqlite3``, one row per entry (key, ``pack``ed
    analysis, when it was last used).

    Why a database and not one file per entry (layouts v1-v3): creating a file and renaming it
    into place cost the kernel 0.2-0.5 ms per entry, a row in a worker's per-chunk transaction
    0.02 ms; a lookup is one query for hundreds of keys; and least recently used entries can be
    dropped without walking tens of thousands of files. Entries are stored uncompressed: zlib
    (level 1) took 0.2 ms per article, about 3% of its analysis, for a database a third the size."""

    folder, db_name, label = "analysis", _DB_NAME, "analysis cache"
    max_bytes = ANALYSIS_CACHE_MAX_BYTES

    def get(self, key: str, detail: bool = True) -> ArticleAnalysis | None:
        """The cached analysis, or None; ``detail=False`` loads only its core (see ``unpack``)."""
        return self.get_many([key], detail).get(key)

    def get_many(self, keys: Sequence[str], detail: bool = True) -> dict[str, ArticleAnalysis]:
        """The cached analyses of these keys that are there and readable (key -> analysis); the
        ones found are marked as used now. Counts hits, misses and unreadable entries. With
        ``detail``, an entry stored without its detail (see ``pack``) is a miss: the article is
        analysed again and its entry replaced by the whole one."""
        found: dict[str, ArticleAnalysis] = {}
        for key, data in self.get_data(keys).items():
            if detail and not has_detail(data):
                continue  # stored by a run that had no use for the detail: a miss for one that has
            try:
                found[key] = unpack(data, detail)
            except Exception:  # damaged, or from an incompatible build: a miss, rewritten later
                self.stats.errors += 1
        self.mark_used(list(found))
        n = sum(1 for k in keys if k in found)
        self.stats.hits += n
        self.stats.misses += len(keys) - n
        return found

    def has_all_analyses(self, keys: Sequence[str], detail: bool = False) -> bool:
        """``has_all``; with ``detail``, of entries that hold it (``has_detail``)."""
        return self.has_all(keys, _HAS_DETAIL_SQL if detail else "")

    def put(self, key: str, value: ArticleAnalysis) -> bool:
        """Store an entry; a full disk or read-only folder is not an error."""
        return self.put_many([(key, pack(value))])

    def info(self) -> dict:
        """Where the cache is; its entries in this version's layout; the entries older versions
        left (never read again; ``clear`` removes them) and their size; the folder's size."""
        entries = stale = stale_size = size = 0
        analysis = os.path.join(str(self.root), "analysis")
        if self.root.is_dir():
            for dirpath, _dirs, files in os.walk(self.root):
                rel = os.path.relpath(dirpath, analysis).split(os.sep)
                in_analysis = rel[0] != os.pardir
                for name in files:
                    path = os.path.join(dirpath, name)
                    try:
                        n = os.stat(path).st_size
                    except OSError:
                        n = 0
                    size += n
                    if not in_analysis:
                        continue
                    if rel[0] != "." and name.endswith(".pkl"):  # analysis/<layout>/<2 hex>/: v1-v3
                        stale += 1
                        stale_size += n
                    elif rel[0] == "." and name.endswith(".sqlite3"):
                        rows = _count_rows(path)
                        if name == _DB_NAME:
                            entries = rows
                        else:
                            stale += rows
                            stale_size += n
        return {"path": str(self.root), "entries": entries, "stale_entries": stale, "stale_bytes": stale_size,
                "bytes": size}

    def clear(self) -> int:
        """Remove every cached analysis (all layouts); returns the number of entries removed."""
        info = self.info()
        self.close()
        target = self.root / "analysis"
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        return info["entries"] + info["stale_entries"]


# --------------------------------------------------------------------------- read articles

#: above this many bytes of read articles, the least recently used ones are removed
ARTICLE_CACHE_MAX_BYTES = 500_000_000
_ARTICLE_LAYOUT = "v1"
#: the libraries whose version can change what a reader makes of a file (with everything they
#: require, found in their metadata: htmldate's dateparser and python-dateutil, courlan's tld...)
_READER_LIBRARIES = ("trafilatura", "charset-normalizer", "ftfy", "pypdf", "python-docx", "defusedxml", "babel")


def _with_requirements(names: Sequence[str]) -> list[str]:
    """``names`` and every distribution they require (not optional extras), sorted."""
    import re
    from importlib import metadata

    seen: set[str] = set()
    todo = [n.lower() for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for req in reqs:
            m = re.match(r"[A-Za-z0-9._-]+", req)
            if m and "extra ==" not in req:
                todo.append(m.group().lower().replace("_", "-"))
    return sorted(seen)


@lru_cache(maxsize=4)
def reader_fingerprint(package_dir: str | None = None) -> str:
    """Hash of what shapes a read article besides the file and the settings: the readers' code,
    the records and settings they fill, the package's data files (contents), and the versions
    of briefgen, of the reading libraries and all they require, of Python and of its Unicode
    data (normalisation)."""
    import unicodedata

    base = Path(package_dir) if package_dir else Path(__file__).resolve().parent
    h = hashlib.sha256()
    _hash_paths(h, base, ("readers", "data", "model.py", "settings.py", "util.py"))
    _hash_versions(h, ["briefgen", *_with_requirements(_READER_LIBRARIES)])  # (briefgen's own version: not its requirements)
    h.update(f"python={sys.version_info[:2]}\0unicode={unicodedata.unidata_version}".encode())
    return h.hexdigest()[:16]


class ArticleCache(_EntryStore):
    """What the readers made of each input file: ``articles/v1.sqlite3``, one row per file
    (key, the pickled list of its articles, when it was last used).

    A re-run of a monthly report reads every file again only to find that most are unchanged.
    Decoding and cleaning a plain-text scrape costs ~0.5 ms, extracting a saved web page with
    trafilatura 10-20 ms; finding the articles here costs ~0.05 ms. The key (``ReadMemo.key``)
    is a hash of the file's bytes, its name as shown (articles are named after it), the
    settings the readers use and ``reader_fingerprint``. Only files that were read are kept:
    one that failed is read again, so its error is reported again."""

    folder, db_name, label = "articles", f"{_ARTICLE_LAYOUT}.sqlite3", "article cache"
    max_bytes = ARTICLE_CACHE_MAX_BYTES

    def info(self) -> dict:
        """Entries and bytes of the database (0 when there is none)."""
        entries = _count_rows(str(self.db_path)) if self.db_path.exists() else 0
        size = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                size += os.stat(f"{self.db_path}{suffix}").st_size
        return {"entries": entries, "bytes": size}

    def clear(self) -> int:
        """Remove every entry (all layouts); returns how many there were in this one."""
        n = self.info()["entries"]
        self.close()
        if self.dir.is_dir():
            shutil.rmtree(self.dir, ignore_errors=True)
        return n


class ReadMemo:
    """The article cache as a batch of files being read sees it (``readers.read`` asks it): a
    file's articles are looked up one file at a time; new entries are written by ``flush`` (and
    whenever ``FLUSH_BYTES`` of them wait), then the marks of the entries used. Never raises: a
    cache that cannot be used is a miss."""

    #: new entries kept in memory before they are written
    FLUSH_BYTES = 16_000_000

    def __init__(self, settings: Settings, root: Path | str | None = None):
        self.cache = ArticleCache(root)
        self.salt = f"{_ARTICLE_LAYOUT}\0{reader_fingerprint()}\0{settings.read_key()}\0".encode()
        self._new: list[tuple[str, bytes]] = []
        self._new_bytes = 0
        self._used: list[str] = []

    def key(self, digest: str, ext: str, display: str) -> str:
        """The key of a file: sha256 of its bytes (``digest``, hex), the reader chosen for it
        (``ext``) and its name as shown."""
        return _digest(self.salt, (digest, ext, display))

    def lookup(self, key: str) -> list[Article] | None:
        """The articles read from this file before, or None."""
        try:
            data = self.cache.get_data([key]).get(key)
            if data is None:
                self.cache.stats.misses += 1
                return None
            articles = pickle.loads(data)
            if not (isinstance(articles, list) and articles and all(isinstance(a, Article) for a in articles)):
                raise TypeError("not a list of articles")
        except Exception as e:  # damaged, or from an incompatible build: read the file again
            log.debug("%s %s: %s", self.cache.label, self.cache.db_path, e)
            self.cache.stats.errors += 1
            return None
        self.cache.stats.hits += 1
        self._used.append(key)
        return articles

    def store(self, key: str, articles: list[Article]) -> None:
        """Keep what a file was read as (written by ``flush``)."""
        try:
            data = pickle.dumps(articles, protocol=5)
        except Exception as e:  # an article that does not pickle is only not cached
            log.debug("%s: %s", self.cache.label, e)
            self.cache.stats.errors += 1
            return
        self._new.append((key, data))
        self._new_bytes += len(data)
        if self._new_bytes >= self.FLUSH_BYTES:
            self._write_new()

    def _write_new(self) -> None:
        new = self._new
        self._new, self._new_bytes = [], 0
        if new:
            self.cache.put_many(new)

    def flush(self) -> None:
        """Write the new entries and mark the ones used, then close this process's connection."""
        used, self._used = self._used, []
        try:
            self._write_new()
            self.cache.mark_used(used)
        except Exception as e:  # (SQLite's errors are handled below: this is for anything else)
            log.debug("%s %s: %s", self.cache.label, self.cache.db_path, e)
            self.cache.stats.errors += 1
        finally:
            self.cache.close()
            st = self.cache.stats
            # (the salt's hash tells whether two processes computed keys alike)
            log.debug("%s %s: %d hit(s), %d miss(es), %d written, %d error(s), salt %s", self.cache.label,
                      self.cache.db_path, st.hits, st.misses, st.writes, st.errors,
                      hashlib.sha256(self.salt).hexdigest()[:12])


def _name_tables(root: Path | str) -> list[Path]:
    """The country name tables pickled in the cache folder (``analysis.countries``)."""
    from .analysis.countries import TABLES_PATTERN

    return sorted(Path(root).glob(TABLES_PATTERN))


def name_tables_bytes(root: Path | str) -> int:
    """The size of the country name tables in the cache folder (0: none there)."""
    total = 0
    for path in _name_tables(root):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def clear_name_tables(root: Path | str) -> int:
    """Remove the country name tables from the cache folder (the next run builds them again);
    returns how many files went."""
    removed = 0
    for path in _name_tables(root):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


#: how long opening a database retries when SQLite says it is busy without waiting (below)
OPEN_RETRY_SECONDS = 10.0


def _busy(e: sqlite3.Error) -> bool:
    """Whether an error is SQLITE_BUSY or SQLITE_LOCKED (any extended code)."""
    return (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _open_db(path: Path) -> sqlite3.Connection:
    """A connection set up for the entry table, created if missing.

    Two processes opening a new database at once (the workers of a run with a fresh cache
    folder, each writing its first batch) can meet where SQLite answers "database is locked" at
    once instead of waiting (busy_timeout): one switches the file to WAL while the other holds a
    write lock it took in the file's first journal mode. That failure made the
    process's cache unusable for its batch (a read worker's entries were lost; seen in a test
    run). Opening is retried for up to ``OPEN_RETRY_SECONDS``: the other process is done in
    milliseconds."""
    deadline = time.monotonic() + OPEN_RETRY_SECONDS
    delay = 0.005
    while True:
        try:
            return _connect(path)
        except sqlite3.OperationalError as e:
            if not _busy(e) or time.monotonic() + delay > deadline:
                raise
            log.debug("%s: %s; opening again", path, e)
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 60000")  # several workers and runs write at once
        # free pages go back to the file system when pruning (set before the table exists)
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA journal_mode = WAL")  # readers do not wait for a writer
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: no fsync per commit, never damaged
        conn.execute("PRAGMA journal_size_limit = 67108864")
        conn.execute("CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, data BLOB NOT NULL, used INTEGER NOT NULL)")
        conn.execute("CREATE INDEX IF NOT EXISTS entry_used ON entry (used)")
    except BaseException:
        conn.close()
        raise
    conn.isolation_level = "DEFERRED"  # ``with conn:`` makes a transaction
    return conn


def _count_rows(path: str) -> int:
    """Entries in an entry database (0 if it cannot be read), opened read-only."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT COUNT(*) FROM entry").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _create_private(path: Path) -> None:
    """Create the database file for this user alone if it is missing (SQLite gives the -wal and
    -shm files the same mode)."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


def _marks(part: list[str]) -> str:
    """The parameter marks of an ``IN (...)`` list for ``part``."""
    return ",".join("?" * len(part))


def _batches(keys: list[str]) -> list[list[str]]:
    """Keys in groups small enough for one query's parameters (SQLite before 3.32 allows 999)."""
    return chunks(keys, 500)


# --------------------------------------------------------------------------- rendered files

#: formats whose files are worth keeping: rendering a PDF takes about a second, a DOCX a tenth;
#: HTML, Markdown and JSON cost less to render than to look up
RENDERED_FORMATS = ("pdf", "docx")
RENDER_CACHE_MAX_BYTES = 250_000_000
_RENDER_LAYOUT = "v1"
#: the libraries whose version changes a rendered file (read from their metadata, not imported)
_RENDER_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pillow",
                     "python-docx", "lxml", "jinja2", "babel")
#: settings that never change a file (how the run goes, not what it writes)
_RUNTIME_SETTINGS = ("workers", "engine", "scheduler", "use_cache", "quiet", "include", "exclude", "explain", "formats")


def _system_libraries() -> str:
    """Versions of the C libraries that lay out and compress the files (Pango, HarfBuzz, zlib),
    of Python and of its Unicode data (normalisation, the fonts' coverage check)."""
    import ctypes
    import unicodedata

    parts = [f"python={sys.version_info[:2]}", f"unicode={unicodedata.unidata_version}",
             f"zlib={zlib.ZLIB_RUNTIME_VERSION}"]
    for lib, names, fn in (("pango", ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"), "pango_version_string"),
                           ("harfbuzz", ("libharfbuzz.so.0", "libharfbuzz.dylib", "libharfbuzz-0.dll"), "hb_version_string")):
        version = "-"
        for name in names:
            try:
                f = getattr(ctypes.CDLL(name), fn)
                f.restype = ctypes.c_char_p
                version = f().decode("ascii", "replace")
                break
            except (OSError, AttributeError):
                continue
        parts.append(f"{lib}={version}")
    return "\0".join(parts)


@lru_cache(maxsize=1)
def render_fingerprint() -> str:
    """Hash of what shapes a rendered file besides the brief, the settings and the templates and
    styles: the package's code, translations, data and fonts (contents), and the versions of the
    rendering libraries, the C libraries under them and Python. Any of them changing makes every
    entry a miss."""
    base = Path(__file__).resolve().parent
    h = hashlib.sha256()
    _hash_files(h, base, _files_under(base))
    _hash_versions(h, _RENDER_LIBRARIES)
    h.update(_system_libraries().encode())
    return h.hexdigest()


_FOLDER_DIGESTS: dict[tuple, str] = {}


def _folder_digest(folder: Path) -> str:
    """Names and contents of a templates or styles folder, read again only when a file's size or
    time changed (a user may edit them between two runs of one process)."""
    files = _files_under(folder)
    try:
        stamp = (str(folder), tuple((str(p), st.st_size, st.st_mtime_ns) for p in files for st in (p.stat(),)))
    except OSError:
        stamp = None
    if stamp is not None and stamp in _FOLDER_DIGESTS:
        return _FOLDER_DIGESTS[stamp]
    h = hashlib.sha256()
    _hash_files(h, folder, files)
    if stamp is not None:
        _FOLDER_DIGESTS[stamp] = h.hexdigest()
    return h.hexdigest()


def _render_salt(fmt: str, settings: Settings) -> bytes:
    """Everything in a rendered file's key but the brief: the format, every setting but the
    runtime ones (templates see the whole settings), the templates and styles in use with the
    shipped ones they fall back to, and ``render_fingerprint``."""
    from dataclasses import asdict

    from .settings import asset_dir

    relevant = {k: v for k, v in asdict(settings).items() if k not in _RUNTIME_SETTINGS}
    relevant["format"] = fmt
    for kind, override in (("templates", settings.templates_dir), ("styles", settings.styles_dir)):
        relevant[kind] = [_folder_digest(asset_dir(kind))] + ([_folder_digest(asset_dir(kind, override))] if override else [])
    return f"{_RENDER_LAYOUT}\0{render_fingerprint()}\0{json.dumps(relevant, sort_keys=True, default=repr)}\0".encode()


def render_key(fmt: str, brief, settings: Settings) -> str:
    """Key of the file ``fmt`` renders from ``brief`` with ``settings``: the brief's every field
    (as JSON, in field and insertion order: a writer shows them in that order) and ``_render_salt``."""
    from .model import to_dict

    body = json.dumps(to_dict(brief), ensure_ascii=False, default=repr)
    return hashlib.sha256(_render_salt(fmt, settings) + body.encode("utf-8", "surrogatepass")).hexdigest()


class _WarningWatch(logging.Handler):
    """The warnings briefgen logged while it was installed (e.g. characters no font covers) and
    the ones WeasyPrint sent (e.g. a property a user's stylesheet got wrong), to be kept with the
    file and shown again whenever the file is served from the cache."""

    LOGGERS = ("briefgen", "weasyprint")

    def __init__(self):
        super().__init__(logging.WARNING)
        self.said: list[list] = []  # [logger name, level, message] of briefgen's own
        self.weasyprint: list[str] = []

    def emit(self, record):
        if record.name.split(".")[0] == "weasyprint":
            self.weasyprint.append(record.getMessage())
        elif not getattr(record, "weasyprint", False):  # (a WeasyPrint warning passed on: kept above)
            self.said.append([record.name, record.levelno, record.getMessage()])

    def __enter__(self):
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc):
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)

    def warnings(self) -> dict:
        return {"said": self.said, "weasyprint": self.weasyprint} if self.said or self.weasyprint else {}


def _say_again(warnings: dict) -> None:
    """Log a cached file's warnings as its render did: briefgen's as they were, WeasyPrint's
    through the PDF writer (once per process, as for a fresh render)."""
    for name, level, msg in warnings.get("said") or ():
        logging.getLogger(str(name)).log(int(level), "%s", msg)
    if warnings.get("weasyprint"):
        from .writers.pdf import pass_on_weasyprint

        pass_on_weasyprint([str(m) for m in warnings["weasyprint"]])


def _entry_digest(info, data: bytes, warnings: dict) -> str:
    """The checksum a render cache entry carries: its header's info and warnings and its file."""
    head = {"info": info, "warnings": warnings} if warnings else info  # (an entry without warnings: as before)
    return hashlib.sha256(json.dumps(head, sort_keys=True).encode() + data).hexdigest()


class RenderCache:
    """Files rendered before, by ``render_key``: a brief whose articles did not change since the
    last run (the monthly report re-run after a few articles came in) is copied, not rendered
    again. An entry is a JSON header (the file's sha256 and the writer's info) and the file's
    bytes, checked against a sha256 of both; a damaged one is a miss. Folders and entries are
    the user's alone (the files may carry a marking). Pruned to ``RENDER_CACHE_MAX_BYTES``,
    least recently used first (a hit renews an entry's time)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else cache_root()
        self.dir = self.root / "render" / _RENDER_LAYOUT
        self.stats = Stats()
        self._trusted: bool | None = None

    key = staticmethod(render_key)

    def trusted(self) -> bool:
        """Entries go into the user's files as they are: read and write them only in folders this
        user owns that no one else can write (checked once per cache object)."""
        if self._trusted is None:
            self._trusted = _private_folders(self.root, self.dir)
        return self._trusted

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key[2:]

    def render(self, fmt: str, brief, settings: Settings, render) -> tuple[bytes, dict]:
        """(bytes, info) of the file: from the cache, or from ``render()`` (then stored). The
        warnings logged while it rendered are stored with it and logged again on every hit, so
        a run served from the cache tells the user what a fresh render would."""
        key = self.key(fmt, brief, settings)
        got = self.get(key, with_warnings=True)
        if got is not None:
            data, info, warnings = got
            _say_again(warnings)
            return data, info
        with _WarningWatch() as watch:
            data, info = render()
        self.put(key, data, info, watch.warnings())
        return data, info

    def get(self, key: str, with_warnings: bool = False) -> tuple | None:
        """(bytes, info), or (bytes, info, warnings) ``with_warnings``; None for a miss."""
        if not self.trusted():
            self.stats.misses += 1
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                raw = f.read()
            n = int.from_bytes(raw[:4], "little")
            head = json.loads(raw[4 : 4 + n])
            data = raw[4 + n :]
            info, warnings = head["info"], head.get("warnings") or {}
            if _entry_digest(info, data, warnings) != head["sha256"] or not isinstance(info, dict) \
                    or not isinstance(warnings, dict):
                raise ValueError("damaged entry")
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.stats.misses += 1
            self.stats.errors += 1
            return None
        try:
            os.utime(path)  # recently used
        except OSError:
            pass
        self.stats.hits += 1
        return (data, info, warnings) if with_warnings else (data, info)

    def put(self, key: str, data: bytes, info: dict, warnings: dict | None = None) -> bool:
        """Store a file atomically, with the warnings its render logged (``_WarningWatch``); a
        full disk, a read-only or a shared folder is not an error."""
        if not self.trusted():
            return False
        head = {"sha256": _entry_digest(info, data, warnings or {}), "info": info}
        if warnings:
            head["warnings"] = warnings
        head = json.dumps(head).encode()
        try:
            path = self._path(key)
            private_makedirs(path.parent)
            write_bytes_atomic(path, len(head).to_bytes(4, "little") + head + data, durable=False, file_mode=0o600)
        except Exception:
            self.stats.errors += 1
            return False
        self.stats.writes += 1
        return True

    def _entries(self) -> list[tuple[float, int, str]]:
        out = []
        if self.dir.is_dir():
            for dirpath, _dirs, files in os.walk(self.dir):
                for name in files:
                    p = os.path.join(dirpath, name)
                    try:
                        st = os.stat(p)
                    except OSError:
                        continue
                    out.append((st.st_mtime, st.st_size, p))
        return out

    def prune(self, max_bytes: int = RENDER_CACHE_MAX_BYTES) -> int:
        """Remove the least recently used entries until the folder holds at most ``max_bytes``;
        returns how many were removed."""
        entries = self._entries()
        total = sum(size for _t, size, _p in entries)
        removed = 0
        for _t, size, p in sorted(entries):
            if total <= max_bytes:
                break
            try:
                os.unlink(p)
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def info(self) -> dict:
        entries = self._entries()
        return {"entries": len(entries), "bytes": sum(size for _t, size, _p in entries)}

    def clear(self) -> int:
        n = len(self._entries())
        target = self.root / "render"
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        return n
