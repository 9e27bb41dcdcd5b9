"""Dates: the article's own date, and every date expression in its text.

Month names, abbreviations and the order of numeric dates come from CLDR (Babel); the phrase
words ("năm", "tanggal", "Ende", "d'ici", "next year", "quý") come from per-language data files in
``briefgen/data/dates/<lang>.toml`` on top of ``_default.toml``. Adding a language means adding a
data file. Regexes are built once per language (``lru_cache``).

Values are ISO 8601 at the precision the text gives: ``2026``, ``2026-04``, ``2026-04-15``,
``2026-Q2``, ``2026-H1``; ranges carry ``end_value``. Partial and relative expressions ("31/10",
"next April", "năm sau") are resolved against the article's own date and dropped when it is
unknown: no day or month is ever invented and today's date is never used.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from sys import intern  # repeated surfaces: pickled once per analysis, loaded faster
from typing import Any

from ..isodate import interval  # noqa: F401  (re-exported: analysis code calls dates.interval)
from ..model import Article, ArticleAnalysis, DateMention, Sentence

_YEAR = r"(?:19\d\d|20\d\d|2100)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

# --------------------------------------------------------------------------- data


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + [x for x in v if x not in out[k]]
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _read_toml(folder: str, name: str) -> dict | None:
    try:
        ref = resources.files("briefgen.data").joinpath(folder, f"{name}.toml")
        if not ref.is_file():
            return None
        return tomllib.loads(ref.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, ModuleNotFoundError):
        return None


@lru_cache(maxsize=64)
def lexicon(folder: str, lang: str) -> dict[str, Any]:
    """``_default.toml`` merged with ``<lang>.toml`` from ``briefgen/data/<folder>/``."""
    base = _read_toml(folder, "_default") or {}
    extra = _read_toml(folder, (lang or "").lower()) or {}
    return _merge(base, extra)


def _script(s: str) -> str:
    for ch in s:
        if ch.isalpha():
            try:
                return unicodedata.name(ch).split()[0]
            except ValueError:
                return ""
    return ""


@lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower().rstrip("."))


@lru_cache(maxsize=128)
def cldr_data(lang: str) -> Any:
    """CLDR data of a locale, merged with its parents, read straight from Babel's data files.

    Babel's own cache (``Locale(...)``) is shared process-wide and is left incomplete when any
    code calls ``localedata.load(name, merge_inherited=False)`` first, so this builds its own
    merged copy. Returns a ``LocaleDataDict`` (aliases resolved), or None for unknown locales."""
    import pickle

    from babel import localedata
    from babel.core import get_global

    name = (lang or "en").replace("-", "_")
    if not localedata.exists(name):
        name = name.split("_")[0]
        if not localedata.exists(name):
            return None
    chain = []
    while name and name != "root" and len(chain) < 8:
        chain.append(name)
        parent = get_global("parent_exceptions").get(name)
        name = parent or ("root" if "_" not in name else name.rsplit("_", 1)[0])
    chain.append("root")
    data: dict = {}
    try:
        for n in reversed(chain):
            with open(localedata.resolve_locale_filename(n), "rb") as fh:
                localedata.merge(data, pickle.load(fh))
    except (OSError, ValueError, pickle.UnpicklingError):
        return None
    return localedata.LocaleDataDict(data)


@lru_cache(maxsize=64)
def _cldr(lang: str) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...], str, bool]:
    """(name -> month, wide names, all names, numeric order 'dmy'|'mdy'|'ymd', month-before-day)."""
    loc = cldr_data(lang) or cldr_data("en")  # unknown locale: English names, day-month order
    names: dict[str, int] = {}
    wide: list[str] = []
    months = loc["months"]
    fmt_wide = months["format"]["wide"]
    script = _script(fmt_wide[1])
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            try:
                items = months[ctx][width].items()
            except KeyError:
                continue
            for m, name in items:
                if ctx == "stand-alone" and _script(name) != script:
                    continue  # CLDR root fallback (一月) leaking into other locales
                if not any(ch.isalpha() for ch in name):
                    continue
                key = _norm(name)
                if len(key) < 3 and script == "LATIN":
                    continue
                names.setdefault(key, m)
                if width == "wide":
                    wide.append(key)
    try:
        short = loc["date_formats"]["short"].pattern
        medium = loc["date_formats"]["medium"].pattern
    except (KeyError, AttributeError):
        short, medium = "d/M/y", "d MMM y"
    pos = {c: short.find(c) for c in "dMy"}
    order = "".join(sorted("dmy", key=lambda c: pos["M" if c == "m" else c]))
    order = order if order in ("dmy", "mdy", "ymd") else "dmy"
    md_first = 0 <= medium.find("M") < medium.find("d")
    return names, tuple(sorted(set(wide), key=len, reverse=True)), tuple(sorted(names, key=len, reverse=True)), order, md_first


@lru_cache(maxsize=64)
def _weekdays(lang: str) -> tuple[str, ...]:
    """CLDR wide weekday names: a cue before a day ("Kamis (6/11)"), never a date on their own."""
    loc = cldr_data(lang)
    out: set[str] = set()
    for ctx in ("format", "stand-alone"):
        try:
            out |= {n for n in loc["days"][ctx]["wide"].values() if len(n) > 3}
        except (KeyError, TypeError):
            continue
    return tuple(sorted(out))


def _alt(words, *, dot_optional: bool = False) -> str:
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    if not ws:
        return r"(?!x)x"
    parts = []
    for w in ws:
        p = re.escape(w).replace(r"\ ", r"\s+")
        if dot_optional and len(w) <= 5:  # abbreviations: "Jan", "Jan.", "févr."
            p = re.escape(w.rstrip(".")).replace(r"\ ", r"\s+") + r"\.?"
        parts.append(p)
    if len(parts) == 1:
        return "(?:" + parts[0] + ")"
    # a lookahead for the first letters lets the engine skip the alternatives at once where
    # none can start (it matches where they do, under the same flags)
    firsts = {(w.rstrip(".") if dot_optional and len(w) <= 5 else w)[:1] for w in ws}
    if "" in firsts or any(c.isspace() for c in firsts):
        return "(?:" + "|".join(parts) + ")"
    return "(?:(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])(?:" + "|".join(parts) + "))"


_NOSPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI")


def _union(patterns: list[str]) -> str | None:
    """One regex for several: named groups get a ``__<i>`` suffix so each alternative keeps its own
    (``_groups`` folds them back), which saves one pass over the text per pattern."""
    ok = []
    for i, p in enumerate(patterns):
        q = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}__{i}>", p)
        q = re.sub(r"\(\?P=(\w+)\)", lambda m: f"(?P={m.group(1)}__{i})", q)
        try:
            re.compile(q)
        except re.error:
            continue
        ok.append(f"(?:{q})")
    return "|".join(ok) if ok else None


def _groups(mt: re.Match) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for k, v in mt.groupdict().items():
        base = k.split("__", 1)[0]
        if v is not None or base not in out:
            out[base] = v
    return out


# --------------------------------------------------------------------------- tagger


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    kind: str  # abs | partial | rel | range | block
    y: int | None = None
    m: int | None = None
    d: int | None = None
    q: int | None = None
    h: int | None = None
    y2: int | None = None
    unit: str | None = None  # rel: year | month | next_month | month_next_year
    offset: int = 0
    mod: str | None = None  # end | early | mid
    by: bool = False
    prio: int = 0


@dataclass
class _Tagger:
    lang: str
    months: dict[str, int]
    order: str
    regexes: list[tuple[str, re.Pattern]]
    blockers: list[re.Pattern]
    mods: dict[str, frozenset[str]]  # end / early / mid / by -> phrases (lower-case)
    rel: dict[str, tuple[str, int]]
    ordinals: dict[str, int]
    halves: dict[str, int]
    units: re.Pattern
    year_words: frozenset[str]
    year_preps: frozenset[str]
    nouns: tuple[str, ...]
    bare_years: bool
    year_after: frozenset[str]
    quantity_words: frozenset[str]
    triggers: tuple[tuple[str, bool], ...]  # lower-case words that can start a date without digits
    rel_list: tuple[tuple[str, str, int, bool], ...] = ()  # (phrase, unit, offset, space-separated script)
    mod_last: frozenset[str] = frozenset()  # last words of the modifier phrases (all four kinds)


@lru_cache(maxsize=64)
def _tagger(lang: str) -> _Tagger:
    lex = lexicon("dates", lang)
    names, wide, allnames, order, md_first = _cldr(lang)
    MN = "(?P<mon>" + _alt(allnames, dot_optional=True) + ")"
    MW = "(?P<mon>" + _alt(wide) + ")"
    MN1 = "(?P<mon1>" + _alt(allnames, dot_optional=True) + ")"
    dayw = _alt(list(lex.get("day_words", [])) + list(_weekdays(lang)))
    yw = _alt(lex.get("year_words", []))
    joiners = lex.get("joiners", [])
    jwords = _alt([j for j in joiners if any(c.isalpha() for c in j)] + ["de", "del", "of"])
    mcues = _alt(lex.get("month_cues", []))
    rwords = _alt([w for w in lex.get("range_words", []) if any(c.isalpha() for c in w)] or ["to"])
    rfrom = _alt(lex.get("range_from", []))
    ords = {str(k).lower(): int(v) for k, v in (lex.get("ordinals") or {}).items()}
    ordalt = _alt(list((lex.get("ordinals") or {}).keys()))
    qwords = _alt(lex.get("quarter_words", []))
    halves: dict[str, int] = {}
    for k, phrases in (lex.get("halves") or {}).items():
        for p in phrases:
            halves[_norm(p)] = int(k)
    halt = _alt(list(halves))
    rel = {_norm(p): (str(v[0]), int(v[1])) for p, v in (lex.get("relative") or {}).items()}
    Y = rf"(?P<y>{_YEAR})"
    NB = r"(?![\w])"  # no word character after
    yjoin = rf"(?:\s*[,/\-]\s*|\s+{jwords}\s+|\s+)"
    R: list[tuple[str, str]] = [
        ("iso", rf"(?<![\w/.\-]){Y}-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w/\-])"),
        ("num3", r"(?<![\w/.:,\-])(?P<a>\d{1,4})(?P<s>[./\-])(?P<b>\d{1,2})(?P=s)(?P<c>\d{4}|\d{1,2})(?![\w/:]|[.,\-]\d)"),
        ("dm", rf"(?<!\w)(?P<pre>{dayw})\s*\(?\s*(?P<d>{_DAY})[/.\-](?P<m>1[0-2]|0?[1-9])(?![\w/]|[.,\-]\d)\)?"),
        # a dateline: "HÀ NỘI, 6/11 -", "JAKARTA, 6/11/2025 –" at the start of a line
        ("dl", rf"(?:^|(?<=\n))[^\W\d_][^\n,(]{{0,40}}?(?:\s*\([^\n)]{{1,20}}\))?,\s*(?P<d>{_DAY})[/.\-](?P<m>1[0-2]|0?[1-9])(?:[/.\-](?P<y>{_YEAR}))?(?![\w/]|[.,\-]\d)"),
        ("dnrange", rf"(?<!\w)(?:{rfrom}\s+)?(?:{dayw}\s+)?(?P<d1>{_DAY})\s*(?:[\-–]|\s{rwords}\s)\s*(?:{dayw}\s+)?(?P<d>{_DAY})[/.](?P<m>1[0-2]|0?[1-9])(?:[/.](?P<y>{_YEAR}))?(?![\w/]|[.,\-]\d)"),
        ("dmn", rf"(?<![\w.,])(?:(?P<pre>{dayw})\s+)?(?P<d>{_DAY})(?:er|st|nd|rd|th|\.)?\s*(?:de\s+)?{MN}(?:{yjoin}{Y})?(?![\w])"),
        ("mbare", rf"(?<!\w)(?:(?P<cue>{mcues})\s+){'?' if lex.get('bare_month') else ''}{MW}(?![\w])(?!\s*[/\-.]?\s*\d)"),
        ("range", rf"(?<![\w.,/])(?:(?P<from>{rfrom}|{yw})\s+)?{Y}\s*(?:[\-–—]|\s{rwords}\s)\s*(?P<y2>{_YEAR}|\d\d)(?![\w]|[.,]\d)"),
        ("year", rf"(?<![\w.,/]){Y}(?![\w]|[.,]\d)"),
        ("mrange", rf"(?<!\w)(?:{rfrom}\s+)?{MN1}\s*(?:[\-–]|\s{rwords}\s)\s*{MN}{yjoin}{Y}(?![\w]|[.,]\d)"),
        ("drange", rf"(?<![\w.,])(?:{rfrom}\s+)?(?P<d1>{_DAY})(?:er|st|nd|rd|th|\.)?\s*(?:[\-–]|\s{rwords}\s)\s*(?P<d>{_DAY})(?:er|st|nd|rd|th|\.)?\s*(?:de\s+)?{MN}(?:{yjoin}{Y})?(?![\w])"),
        ("quarter", rf"(?<!\w)(?:(?P<qo>{ordalt})\s+)?{qwords}(?:\s+(?P<qn>[1-4]|IV|I{{1,3}}|{ordalt}))?(?:(?:\s*[,/]\s*|\s+{jwords}\s+|\s+){Y})?{NB}"),
        ("half", rf"(?<!\w)(?P<hp>{halt})(?:(?:\s*[,/]\s*|\s+{jwords}\s+|\s+){Y})?{NB}"),
    ]
    if md_first:
        R.append(("mnd", rf"(?<!\w){MN}\s+(?P<d>{_DAY})(?:st|nd|rd|th)?(?:,?\s+{Y})?(?![\w:])"))
    # month + year comes after day forms so that equal-length ties prefer the day form
    R.insert(4, ("my", rf"(?<!\w)(?:(?P<cue>{mcues})\s+)?{MN}{yjoin}{Y}(?![\w]|[.,]\d)"))
    nm = []
    for p in lex.get("next_month", []):
        lead = rf"(?:(?P<d>{_DAY})\.?\s+)?" if p.startswith("{month}") else ""
        nm.append(r"(?<!\w)" + lead + re.escape(p).replace(r"\ ", r"\s+").replace(r"\{month\}", MW) + r"(?!\w)")
    R.append(("next_month", _union(nm)))
    mny = [r"(?<!\w)" + re.escape(p).replace(r"\ ", r"\s+").replace(r"\{month\}", MW) + r"(?!\w)" for p in lex.get("month_next_year", [])]
    R.append(("month_next_year", _union(mny)))
    R.append(("data", _union(lex.get("patterns", []))))
    regexes = []
    for name, pat in R:
        if pat is None:
            continue
        try:
            regexes.append((name, re.compile(pat, re.IGNORECASE)))
        except re.error:
            continue
    decw = _alt(lex.get("decade_words", []))
    decs = _alt(lex.get("decade_suffixes", []))
    blockers = [
        re.compile(rf"(?i:(?<!\w){decw}\s+(?:19|20)\d0(?!\d))"),
        re.compile(rf"(?<![\w])(?:19|20)\d0{decs}(?!\w)"),
        # document numbers: 72-NQ/TW, 123/2016/ND-CP, 15/2016/QĐ-TTg
        re.compile(r"(?<![\w/])\d+(?:[/.\-]\d+)*[/\-](?=[A-ZĐ]{2,})[\w\-]+(?:/[\w\-]+)*"),
        # times and clock-stamped furniture dates: 17:29 | 15/10/2024
        re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?\s*[|·•]\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"),
        re.compile(r"(?<![\d/])\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\s+\d{1,2}:\d{2}(?!\d)"),
        # phone numbers and long digit groups
        re.compile(r"(?<![\w.,])\+?\(?\d{2,4}\)?(?:[ \u00a0]\d{2,4}){2,}(?![\w.,])"),
    ]
    # one pass for all of them: a blocker only needs to cover the digits it protects
    blockers = [re.compile("|".join(f"(?:{b.pattern})" for b in blockers))]
    mods = lex.get("modifiers") or {}
    modsets = {k: frozenset(_norm_phrase(w) for w in mods.get(k, [])) for k in ("end", "early", "mid", "by")}
    units = re.compile(rf"^\s*{_alt(lex.get('amount_units', []))}(?!\w)", re.IGNORECASE)
    triggers = {p.lower() for p in rel} | {w for w in wide if not any(c.isdigit() for c in w)}
    triggers |= {h for h in halves if not any(c.isdigit() for c in h)}
    triggers |= {w.lower() for w in lex.get("quarter_words", [])}
    triggers |= {re.sub(r"\d+", "", w).strip(" .") for w in allnames}  # month names, "tháng", "thg"
    triggers = {w.strip() for w in triggers if len(w.strip()) >= 2 or _script(w) in _NOSPACE_SCRIPTS}
    kept: list[str] = []
    for w in sorted(triggers, key=len):  # "jan" finds "januar" too: keep the shortest forms only
        if not any(k in w for k in kept):
            kept.append(w)
    triggers = set(kept)
    return _Tagger(lang, names, order, regexes, blockers, modsets, rel, ords, halves, units,
        frozenset(_norm_phrase(w) for w in lex.get("year_words", [])),
        frozenset(_norm_phrase(w) for w in lex.get("year_preps", [])),
        tuple(sorted({_norm_phrase(w) for w in lex.get("event_nouns", []) if w.strip()})),
        bool(lex.get("bare_years", False)),
        frozenset(w.lower() for w in lex.get("year_words_after", [])),
        frozenset(_norm_phrase(w) for w in lex.get("quantity_words", [])),
        tuple((w, _script(w[:1]) not in _NOSPACE_SCRIPTS) for w in sorted(triggers)),
        tuple((p, u, o, _script(p[:1]) not in _NOSPACE_SCRIPTS) for p, (u, o) in rel.items()),
        frozenset(p.split(" ")[-1] for ps in modsets.values() for p in ps))


#: digit runs; the same matches as ``\d+``, but a pattern that starts with a single ``\d`` lets the
#: engine skip to the next digit at once (``\d+`` is tried at every position): ~2x quicker
_DIGITS = re.compile(r"\d\d*")
_CJK_UNITS = frozenset("年년月월日일")
_MARGIN_BEFORE, _MARGIN_AFTER = 48, 48
#: patterns that need a trigger word (relative phrases, bare month names) / a year-like digit run
_WORD_ONLY = frozenset({"rel", "mbare", "next_month", "month_next_year", "dmn", "mnd", "my", "drange", "mrange"})
_DIGIT_ONLY = frozenset({"iso", "num3", "dm", "range", "year", "data", "dl", "dnrange"})
_NUMERIC_ONLY = frozenset({"num3", "dm", "dl", "dnrange"})  # need digits/digits (flag 8)


def _digit_spots(text: str, runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
    """Digit runs that can belong to a date: (start, end, flags) with bit 1 for a plausible year or
    a numeric date, bit 4 for CJK (2026年) and Q/H (Q2 2026) forms that the data patterns read."""
    out = []
    n = len(text)
    for a, b in runs if runs is not None else [m.span() for m in _DIGITS.finditer(text)]:
        flags = 1 if b - a == 4 and 1900 <= int(text[a:b]) <= 2100 else 0
        if b < n:
            nxt = text[b]
            if nxt in "/.-":
                if b + 1 < n and text[b + 1].isdigit():
                    flags |= 9  # a numeric date (31/10, 6-11, 30.06.2025)
            elif nxt in _CJK_UNITS or (nxt == " " and b + 1 < n and text[b + 1] in _CJK_UNITS):
                flags |= 5
        if a and text[a - 1] in "QH":
            flags |= 5
        if flags:
            out.append((a, b, flags))
    return out


def _merge_spots(spots: list[tuple[int, int, int]], n: int) -> list[tuple[int, int, int]]:
    """Merge (start, end, flag) spots into windows; flag bit 1 = digits, bit 2 = trigger word,
    bit 4 = CJK or Q/H digits, bit 8 = a numeric date."""
    if not spots:
        return []
    spots.sort()
    out: list[tuple[int, int, int]] = []
    # the window being grown is kept in locals; its end is cut to ``n`` when it is closed (a
    # spot starts before ``n``, so whether it joins does not depend on that cut)
    a, b, wf = spots[0]
    wa, wb = max(0, a - _MARGIN_BEFORE), b + _MARGIN_AFTER
    for a, b, f in spots:
        if a - _MARGIN_BEFORE <= wb:
            b += _MARGIN_AFTER
            if b > wb:
                wb = b
            wf |= f
        else:
            out.append((wa, min(n, wb), wf))
            wa, wb, wf = a - _MARGIN_BEFORE, b + _MARGIN_AFTER, f
    out.append((wa, min(n, wb), wf))
    return out


def _windows(text: str, t: _Tagger, low: str | None = None, runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
    """Stretches of text around year-like digits and trigger words: the only places a date can be."""
    n = len(text)
    spots = _digit_spots(text, runs)
    if low is None:
        low = text.lower()
    if len(low) != n:  # case mapping changed offsets: scan everything
        return [(0, n, 3)]
    for w, spaced in t.triggers:
        i = low.find(w)
        while i >= 0:
            if not spaced or i == 0 or not low[i - 1].isalpha():  # at a word start ("nov", not "inovasi")
                spots.append((i, i + len(w), 2))
            i = low.find(w, i + len(w))
    return _merge_spots(spots, n)


def _rel_hits(text: str, low: str, t: _Tagger) -> list[_Raw]:
    """Relative phrases ("năm sau", "next year", "明年") found by plain substring search."""
    out = []
    n = len(text)
    for phrase, unit, off, spaced in t.rel_list:
        i = low.find(phrase)
        while i >= 0:
            j = i + len(phrase)
            if not spaced or ((i == 0 or not low[i - 1].isalnum()) and (j >= n or not low[j].isalnum())):
                out.append(_Raw(i, j, "rel", unit=unit, offset=off, prio=4))
            i = low.find(phrase, j)
    return out


_YEAR_AFTER = re.compile(r"[ \u00a0]([^\W\d_][\w.]*)")
_TOKEN = re.compile(r"[^\s\"“”»«’']+[’']?|[’']")
_QUOTES = "\"“”»«’' \t\u00a0"


def _norm_phrase(s: str) -> str:
    return " ".join(s.lower().replace("’", "'").split())


#: ``_TOKEN`` read backwards: on the reversed text a quote opens a token when a run follows it
#: (a run and the quote after it are one token forwards), else it is a token of its own
_RTOKEN = re.compile(r"[’']?[^\s\"“”»«’']+|[’']")


_QUOTE = re.compile("[\"“”»«’']")


def _tail_tokens(text: str, end: int, k: int = 6) -> list[tuple[str, int]]:
    """The last ``k`` whitespace-separated tokens before ``end``: (lower-case token, start).

    The tokens of ``text[max(0, end - 60):end]`` (``_TOKEN``), less the first one, which may be
    cut, when that stretch does not start the text; found from the end, the last ones only."""
    a = max(0, end - 60)
    seg = text[a:end]
    if _QUOTE.search(seg) is None:  # no quotes: the tokens are what split() gives
        words = seg.rsplit(None, k)
        if len(words) > k or (a > 0 and words):
            del words[0]  # more than k before, or the first of the stretch
        out = []
        j = len(seg)
        for w in reversed(words[-k:]):
            j = seg.rfind(w, 0, j)
            out.append((w.lower(), a + j))
        out.reverse()
        return out
    rev = seg[::-1]
    n = end - a
    spans = []
    for m in _RTOKEN.finditer(rev):
        spans.append(m.span())
        if len(spans) > k:
            break
    else:
        if a > 0 and spans:
            spans.pop()  # the first token of the stretch
    return [(rev[rs:re_][::-1].lower().replace("’", "'"), a + n - re_) for rs, re_ in reversed(spans[:k])]


def _last_token(text: str, end: int) -> str | None:
    """``_tail_tokens(text, end, 1)[0][0]`` when there is one, else None or a token that
    ``_tail_tokens`` leaves out (the cut first one): a quick test for the last word."""
    seg = text[max(0, end - 60) : end]
    if _QUOTE.search(seg) is None:
        words = seg.rsplit(None, 1)
        return words[-1].lower() if words else None
    m = _RTOKEN.search(seg[::-1])
    return m.group()[::-1].lower().replace("’", "'") if m else None


def _year_cue(t: _Tagger, text: str, s: int) -> int | None:
    """Start of the year expression if a cue precedes the bare year at ``s`` ("năm 2025",
    "im Jahr 2025", "in 2026", "Konferenz 2025", "mid-2026"), else None."""
    i = s
    while i > 0 and text[i - 1] in _QUOTES:
        i -= 1
    if i > 0 and text[i - 1] == "-" and i == s:  # "mid-2026": the cue is glued
        pass
    elif i == s:
        return None  # glued to something that is not a cue
    toks = _tail_tokens(text, i, 4)
    if not toks:
        return None
    words = [w for w, _ in toks]
    for k in (3, 2, 1):
        if len(toks) < k:
            continue
        phrase = " ".join(words[-k:]).rstrip("-")
        if phrase in t.year_words:
            return toks[-k][1]
        if phrase in t.year_preps:
            return s
    last = words[-1].rstrip("-").strip(".,;:()")
    two = " ".join(words[-2:]).rstrip("-") if len(toks) >= 2 else last
    if t.nouns and (last.endswith(t.nouns) or two.endswith(t.nouns)):
        return s
    # a programme name: "plan France 2030", "Vision Digital 2030"
    if t.nouns and len(toks) >= 2 and text[toks[-1][1]].isupper() and toks[-2][0].strip(".,;:()").endswith(t.nouns):
        return s
    if t.bare_years and text[s - 1 : s] == " " and 1990 <= int(text[s : s + 4]) <= 2039:
        # German: "fand 2025 statt", "beliefen sich 2022 auf" — between lower-case words (nouns
        # and the things that are counted are capitalised, so "mit 2025 Teilnehmern" stays out)
        prev = toks[-1][0]
        j = s + 4
        nxt = text[j : j + 1]
        after = text[j + 1 : j + 2]
        if prev.isalpha() and text[toks[-1][1]].islower() and prev not in t.quantity_words and (
            nxt in (".", ",", ";", ")") or (nxt == " " and after.isalpha() and after.islower())
        ):
            return s
    return None


def _modifiers(t: _Tagger, text: str, r: _Raw) -> None:
    """Extend ``r`` over a preceding end/early/mid word and a deadline word ("bis Ende 2024")."""
    if r.start > 0 and not (text[r.start - 1].isspace() or text[r.start - 1] == "-"):
        return
    last = _last_token(text, r.start)  # every phrase below ends with it
    if last is None or (last not in t.mod_last and last.rstrip("-") not in t.mod_last):
        return
    toks = _tail_tokens(text, r.start, 6)
    if not toks:
        return
    words = [w for w, _ in toks]
    n = len(words)
    cut, mod = n, None
    for k in (4, 3, 2, 1):
        if n >= k:
            phrase = " ".join(words[n - k :])
            for key in ("end", "early", "mid"):
                if phrase in t.mods[key] or phrase.rstrip("-") in t.mods[key]:
                    cut, mod = n - k, key
                    break
            if mod:
                break
    by = False
    for k in (3, 2, 1):
        if cut >= k and " ".join(words[cut - k : cut]) in t.mods["by"]:
            cut, by = cut - k, True
            break
    if by or mod:
        r.by, r.mod = by, mod
        r.start = toks[cut][1]


def _ordinal(t: _Tagger, s: str | None) -> int | None:
    if not s:
        return None
    s2 = s.strip()
    if s2.isdigit():
        return int(s2)
    if s2.upper() in _ROMAN:
        return _ROMAN[s2.upper()]
    return t.ordinals.get(s2.lower()) or t.ordinals.get(s2)


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    if y is not None and not (1900 <= y <= 2100):
        return False
    if m is not None and not (1 <= m <= 12):
        return False
    if d is not None:
        if m is None or not (1 <= d <= 31):
            return False
        if d > 28 and d > calendar.monthrange(y or 2024, m)[1]:
            return False
    return True


def _from_match(t: _Tagger, name: str, mt: re.Match, text: str) -> _Raw | None:
    g = _groups(mt) if name in ("data", "next_month", "month_next_year") else mt.groupdict()
    s, e = mt.span()
    mon = t.months.get(_norm(g["mon"])) if g.get("mon") else None
    y = int(g["y"]) if g.get("y") else None
    if name == "iso":
        r = _Raw(s, e, "abs", y, int(g["m"]), int(g["d"]), prio=9)
    elif name == "num3":
        a, b, c = g["a"], g["b"], g["c"]
        if len(a) == 4:
            yy, mm, dd = int(a), int(b), int(c)
        elif len(c) == 4:
            if t.order == "mdy":
                mm, dd = int(a), int(b)
            else:
                dd, mm = int(a), int(b)
            yy = int(c)
        else:
            return None
        r = _Raw(s, e, "abs", yy, mm, dd, prio=8)
    elif name == "dm":
        r = _Raw(s, e, "partial", None, int(g["m"]), int(g["d"]), prio=6)
    elif name == "dl":
        r = _Raw(mt.start("d"), e, "abs" if y else "partial", y, int(g["m"]), int(g["d"]), prio=6)
    elif name == "dmn":
        if mon is None:
            return None
        if g.get("pre") is None:
            s = mt.start("d")
        r = _Raw(s, e, "abs" if y else "partial", y, mon, int(g["d"]), prio=7)
    elif name == "mrange":
        m1 = t.months.get(_norm(g["mon1"]))
        if mon is None or m1 is None or m1 >= mon:
            return None
        r = _Raw(s, e, "abs", y, m1, None, prio=7)
        r.unit = f"monthrange:{mon}"
    elif name in ("drange", "dnrange"):
        if name == "dnrange":
            mon = int(g["m"])
        if mon is None or int(g["d1"]) >= int(g["d"]):
            return None
        r = _Raw(s, e, "abs" if y else "partial", y, mon, int(g["d1"]), y2=None, prio=8)
        r.unit = "dayrange:" + g["d"]
    elif name == "mnd":
        if mon is None:
            return None
        r = _Raw(s, e, "abs" if y else "partial", y, mon, int(g["d"]), prio=7)
    elif name == "my":
        if mon is None:
            return None
        s = mt.start("mon")
        r = _Raw(s, e, "abs", y, mon, None, prio=6)
    elif name == "mbare":
        if mon is None:
            return None
        s = mt.start("mon")
        r = _Raw(s, e, "partial", None, mon, None, prio=2)
    elif name == "range":
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else (y // 100) * 100 + int(g["y2"])  # "2025-26"
        if not (y is not None and y < y2 <= y + 50):
            return None
        r = _Raw(s if g.get("from") else mt.start("y"), e, "range", y, y2=y2, prio=5)
    elif name == "year":
        if t.units.match(text, e):
            return None
        cue = _year_cue(t, text, s)
        after = _YEAR_AFTER.match(text, e) if t.year_after else None
        if after is not None and after.group(1).lower() in t.year_after:
            e = after.end()  # "2025 yılında", "2025 году"
            cue = s if cue is None else cue
        if cue is None:
            return None
        r = _Raw(cue, e, "abs", y, prio=3)
    elif name == "quarter":
        q = _ordinal(t, g.get("qn")) or _ordinal(t, g.get("qo"))
        if not q or not 1 <= q <= 4:
            return None
        r = _Raw(s, e, "abs" if y else "partial", y, q=q, prio=6)
    elif name == "half":
        h = t.halves.get(_norm(g["hp"]))
        if not h:
            return None
        r = _Raw(s, e, "abs" if y else "partial", y, h=h, prio=6)
    elif name in ("next_month", "month_next_year"):
        if mon is None:
            return None
        d = int(g["d"]) if g.get("d") else None
        r = _Raw(s, e, "rel", m=mon, d=d, unit=name, prio=5)
    else:  # data patterns
        m = int(g["m"]) if g.get("m") else None
        d = int(g["d"]) if g.get("d") else None
        if g.get("y2"):
            y2 = int(g["y2"])
            if not (y is not None and y < y2 <= y + 50):
                return None
            r = _Raw(s, e, "range", y, y2=y2, prio=7)
        else:
            q = _ordinal(t, g.get("q")) if g.get("q") else None
            hh = g.get("h")
            h = None
            if hh:
                h = int(hh) if hh.isdigit() else t.ordinals.get(hh)
                if h not in (1, 2):
                    return None
            r = _Raw(s, e, "abs", y, m, d, q=q, h=h, prio=7)
    if not _valid(r.y, r.m, r.d) or (r.y2 is not None and not _valid(r.y2, None, None)):
        return None
    return r


# --------------------------------------------------------------------------- fast window scan
#
# Trying every pattern at every position of every window was most of the scan's time. A match
# can only start where one of the pattern's leading literals ("on", "next", a month name) or a
# digit run stands, and often only if a given letter comes next ("in", whitespace, then a
# month's first letter; a day of one or two digits, then a suffix, a dash or a month). One pass
# of a small regex per window finds those spots for all patterns at once, and each pattern is
# tried there alone with ``rx.match``: the same matches, in the same order, as ``rx.finditer``
# over the window (tests/test_dates.py holds the two side by side). What a pattern can start
# with is read from its parsed form (``re._parser``); a pattern whose start cannot be worked out
# (a class or a wildcard first, or a possible empty match) still runs ``finditer``.

try:
    from re import _constants as _re_c
    from re import _parser as _re_parser
except ImportError:  # pragma: no cover - another Python: every pattern runs finditer
    _re_parser = None
try:  # letters that IGNORECASE also equates
    from re._casefix import _EXTRA_CASES as _CASE_SIBLINGS
except ImportError:  # pragma: no cover - then heads are looked for ignoring case, more slowly
    _CASE_SIBLINGS = None

_HEAD_CAP = 8  # leading literals are cut to this length (a shorter one finds at least as much)


class _NoHeads(Exception):
    pass


# What must come right after a word head or a run of digits, when the pattern says:
# (least whitespace, letters (lower case) that can come after it, or a digit, or whitespace
# itself). ``_dispatch`` and ``_window_hits`` test it.
_Follow = tuple


def _either(a: _Follow | None, b: _Follow | None) -> _Follow | None:
    if a is None or b is None:
        return None
    return (min(a[0], b[0]), a[1] | b[1], a[2] or b[2], a[3] or b[3])


def _heads(rx: re.Pattern) -> tuple | None:
    """Where a non-empty match of ``rx`` can start, or None when that cannot be worked out.

    (literal heads {text: (only after a non-word character, follow)}, ASCII-digit heads such as
    "19" / "20" {text: True}: only at the first digit of a run, bare digits: 0 no, 1 the first
    digit of a run, 2 any, and for the digits (first digit of a run) (least, most digits, follow)
    or None). Heads are compared ignoring case and cut at the first non-literal element, so
    every match starts with one of them (or a digit); a follow (see ``_Follow``) is what must
    come after a whole head, or after all the digits of the run."""
    if _re_parser is None:
        return None
    try:
        return _walk(list(_re_parser.parse(rx.pattern, rx.flags)))
    except (_NoHeads, RecursionError, re.error, TypeError, ValueError, AttributeError):
        return None


_REPEATS: tuple = ()
_SPACE_CATS: frozenset = frozenset()
if _re_parser is not None:
    _REPEATS = (_re_c.MAX_REPEAT, _re_c.MIN_REPEAT, _re_c.POSSESSIVE_REPEAT)
    _SPACE_CATS = frozenset({_re_c.CATEGORY_SPACE, _re_c.CATEGORY_UNI_SPACE})


def _is_space(op: Any, av: Any) -> bool:
    r"""``\s+`` / ``\s*`` / ``\s?``: a repeat of whitespace."""
    if op not in _REPEATS:
        return False
    body = list(av[2])
    return len(body) == 1 and body[0][0] is _re_c.IN and all(o is _re_c.CATEGORY and x in _SPACE_CATS for o, x in body[0][1])


def _digit_width(seq: list) -> tuple[int, float] | None:
    """(least, most) characters ``seq`` matches when it only matches decimal digits, else None."""
    lo, hi = 0, 0.0
    for op, av in seq:
        if op is _re_c.LITERAL:
            if not chr(av).isdecimal():
                return None
            w = (1, 1.0)
        elif op is _re_c.IN:
            for o, x in av:
                if o is _re_c.LITERAL and chr(x).isdecimal():
                    continue
                if o is _re_c.RANGE and all(chr(c).isdecimal() for c in range(x[0], x[1] + 1)):
                    continue
                if o is _re_c.CATEGORY and x in (_re_c.CATEGORY_DIGIT, _re_c.CATEGORY_UNI_DIGIT):
                    continue
                return None
            w = (1, 1.0)
        elif op is _re_c.SUBPATTERN:
            w = _digit_width(list(av[3]))
        elif op is _re_c.BRANCH:
            ws = [_digit_width(list(alt)) for alt in av[1]]
            if None in ws:
                return None
            w = (min(x[0] for x in ws), max(x[1] for x in ws))
        elif op in _REPEATS:
            inner = _digit_width(list(av[2]))
            if inner is None:
                return None
            w = (av[0] * inner[0], inner[1] * (float("inf") if av[1] == _re_c.MAXREPEAT else av[1]))
        else:
            return None
        if w is None:
            return None
        lo, hi = lo + w[0], hi + w[1]
    return lo, hi


def _follow(seq: list, memo: dict | None = None) -> _Follow | None:
    """What the first character of a match of ``seq`` can be, whitespace first skipped."""
    if memo is not None:
        key = tuple(map(id, seq))
        if key not in memo:
            memo[key] = (_follow(seq), seq)  # (keeps seq, so the ids stay its own)
        return memo[key][0]
    least = 0
    for i, (op, av) in enumerate(seq):
        if op is _re_c.AT or op is _re_c.ASSERT or op is _re_c.ASSERT_NOT:
            continue
        if _is_space(op, av):
            least += av[0]
            continue
        if op is _re_c.IN and all((o is _re_c.CATEGORY and x in _SPACE_CATS) or (o is _re_c.LITERAL and chr(x).isspace())
                                  for o, x in av):
            least += 1  # one whitespace character: ``\s``, ``[ \u00a0]``
            continue
        if op is _STOP:
            return None
        rest = seq[i + 1 :]
        if op is _CUT:
            if av is None:
                continue
            f = _either(_follow(rest), _follow(list(av) + [(_STOP, None)]))  # or another round
        elif op is _re_c.SUBPATTERN:
            f = _follow(list(av[3]) + rest)
        elif op is _re_c.BRANCH:
            f = _follow(list(av[1][0]) + rest)
            for alt in av[1][1:]:
                f = _either(f, _follow(list(alt) + rest))
        elif op in _REPEATS and av[0] == 0:
            f = _either(_follow(rest), _follow(list(av[2]) + [(_STOP, None)]))
        elif op in _REPEATS:  # at least one round: the match goes on with the first
            f = _follow(list(av[2]) + [(_STOP, None)])
        else:
            try:
                hs, dhs, dg, _dc = _walk(seq[i:], first_only=True)
            except (_NoHeads, RecursionError):
                return None
            firsts = {h[0].lower() for h in hs}
            if any(len(c) != 1 for c in firsts):
                return None
            return (least, frozenset(c for c in firsts if not c.isspace()), bool(dhs) or dg > 0, any(c.isspace() for c in firsts))
        return None if f is None else (least + f[0], f[1], f[2], f[3])
    return None  # the match can end here


def _digit_right_after(seq: list) -> bool:
    """Whether a match of ``seq`` can start with a digit, or be empty (a match of the digits
    before it may then stop inside a run). False when it must start with something else:
    whitespace, punctuation, a letter ("0912 345 678": a digit only after the space)."""
    for i, (op, av) in enumerate(seq):
        if op is _re_c.AT or op is _re_c.ASSERT or op is _re_c.ASSERT_NOT:
            continue
        rest = seq[i + 1 :]
        if op is _re_c.LITERAL:
            return chr(av).isdecimal()
        if op is _re_c.IN:
            for o, x in av:
                if o is _re_c.LITERAL and not chr(x).isdecimal():
                    continue
                if o is _re_c.CATEGORY and x in _SPACE_CATS:
                    continue
                return True  # a digit, a range or another class: may be one
            return False
        if op is _re_c.SUBPATTERN:
            return _digit_right_after(list(av[3]) + rest)
        if op is _re_c.BRANCH:
            return any(_digit_right_after(list(alt) + rest) for alt in av[1])
        if op in _REPEATS:
            if av[0] == 0 and _digit_right_after(rest):
                return True
            return _digit_right_after(list(av[2]))
        return True  # not worked out: maybe
    return True  # the match can end here


def _walk(seq: list, first_only: bool = False) -> tuple:
    """``_heads`` of a parsed sequence; ``first_only``: the heads alone (no follows)."""
    memo: dict = {}
    heads: dict[str, tuple[bool, _Follow | None]] = {}
    dheads: dict[str, bool] = {}
    digits = 0
    dcons: list = []  # per digit start: (least, most digits, follow) or None
    word = {_re_c.CATEGORY_WORD, _re_c.CATEGORY_UNI_WORD}
    digit = {_re_c.CATEGORY_DIGIT, _re_c.CATEGORY_UNI_DIGIT}

    def emit(prefix: str, nb: bool, nw: bool, after: list | None = None, dc: Any = None) -> None:
        nonlocal digits
        n = 0
        while n < len(prefix) and prefix[n] in "0123456789":
            n += 1
        if n == 0 or (n < len(prefix) and nw):  # a word ("first", "1st")
            f = _follow(after, memo) if after and len(prefix) < _HEAD_CAP and not first_only else None
            old = heads.get(prefix)
            if old is not None:
                f, nw = _either(f, old[1]), nw and old[0]
            heads[prefix] = (nw, f)
            return
        if n >= 2 and nb:
            dheads[prefix[:n]] = True
        else:
            digits = max(digits, 1 if nb else 2)
        dcons.append(dc if nb else None)

    def walk(seq: list, prefix: str, nb: bool, nw: bool, la: frozenset | None, dc: Any) -> None:
        # nb / nw: a negative lookbehind at the start rules out a digit / a word character
        # before the match; la: literals a negative lookahead at the start rules out ("(?!x)x");
        # dc: the match starts with digits only, (least, most, follow), or None
        nonlocal digits
        for i, (op, av) in enumerate(seq):
            if op is _CUT:  # end of a repeated group: its first round starts the match
                if prefix:
                    emit(prefix, nb, nw, None, dc)  # what follows may be another round
                    return
                if av is not None:  # another round may follow an empty one
                    walk(list(av) + [(_STOP, None)], "", nb, nw, la, None)
                continue
            if op is _STOP:
                if prefix:
                    emit(prefix, nb, nw, None, dc)
                    return
                raise _NoHeads
            if op is _re_c.AT:
                continue
            if op is _re_c.ASSERT or op is _re_c.ASSERT_NOT:
                direction, body = av
                body = list(body)
                if not prefix and op is _re_c.ASSERT_NOT and len(body) == 1:
                    bop, bav = body[0]
                    if direction < 0 and bop is _re_c.IN:
                        cats = {x for o, x in bav if o is _re_c.CATEGORY}
                        if cats & word:
                            nb = nw = True
                        elif cats & digit:
                            nb = True
                    elif direction > 0 and bop is _re_c.LITERAL and la is not None:
                        la = la | {bav}
                continue
            if not prefix and dc is None and not first_only:
                # digits first: they take the whole run when no digit can come right after them
                # (a digit after whitespace, "0912 345 678", leaves the run whole)
                j = i
                while j < len(seq) and seq[j][0] not in (_CUT, _STOP) and _digit_width([seq[j]]) is not None:
                    j += 1
                if j > i:
                    width = _digit_width(seq[i:j])
                    f = _follow(seq[j:], memo)
                    if width is not None and f is not None and not _digit_right_after(seq[j:]):
                        walk(seq[i:], "", nb, nw, la, (width[0], width[1], f))
                        return
            if op is _re_c.LITERAL:
                if not prefix and la and av in la:
                    return  # "(?!x)x": never matches
                prefix += chr(av)
                if len(prefix) >= _HEAD_CAP:
                    emit(prefix, nb, nw, None, dc)
                    return
                continue
            if prefix:
                emit(prefix, nb, nw, seq[i:], dc)
                return
            rest = seq[i + 1 :]
            if op is _re_c.SUBPATTERN:
                _group, add, drop, body = av
                walk(list(body) + rest, "", nb, nw, la if not (add or drop) else None, dc)
            elif op is _re_c.ATOMIC_GROUP:
                walk(list(av) + rest, "", nb, nw, la, dc)
            elif op is _re_c.BRANCH:
                for alt in av[1]:
                    walk(list(alt) + rest, "", nb, nw, la, dc)
            elif op in _REPEATS:
                lo, hi, body = av
                if lo == 0:
                    walk(rest, "", nb, nw, la, dc)
                walk(list(body) + [(_CUT, list(body) if hi != 1 else None)] + rest, "", nb, nw, la, dc)
            elif op is _re_c.IN:
                for o, x in av:
                    if o is _re_c.LITERAL:
                        emit(chr(x), nb, nw, rest, dc)
                    elif o is _re_c.RANGE and x[1] - x[0] < 64:
                        for c in range(x[0], x[1] + 1):
                            emit(chr(c), nb, nw, rest, dc)
                    elif o is _re_c.CATEGORY and x in digit:
                        digits = max(digits, 1 if nb else 2)
                        dcons.append(dc if nb else None)
                    else:
                        raise _NoHeads
            else:
                raise _NoHeads
            return
        if not prefix:
            raise _NoHeads  # an empty match is possible
        emit(prefix, nb, nw, None, dc)

    walk(seq, "", False, False, frozenset(), None)
    return heads, dheads, digits, dcons


_CUT = object()  # end of the first round of a repeated group (then: the group, if it repeats)
_STOP = object()  # end of what is looked at


@dataclass
class _Plan:
    name: str
    rx: re.Pattern
    need: int  # window flags the pattern needs (see ``_need``)
    scan: bool  # True: finditer over the window (where a match starts is unknown)
    digit_heads: tuple[str, ...] = ()  # it can start at a digit run that starts with one of these
    digits: int = 0  # it can start at: 1 the first digit of any run, 2 any digit
    digit_follow: tuple | None = None  # at the first digit of a run: (least, most digits, follow)


@dataclass
class _Plans:
    blockers: tuple[_Plan, ...]
    patterns: tuple[_Plan, ...]
    word_rx: re.Pattern | None  # (?<!\w)(?=(head)|(head)...) ignoring case: group i = head i - 1
    free_rx: re.Pattern | None  # the same for heads that need no word start
    word_plans: tuple[tuple[int, ...], ...]  # word head -> plans (blockers first) that start with it
    free_plans: tuple[tuple[int, ...], ...]
    # the word heads in the lower-cased text, case-sensitive: much quicker for the regex engine
    low_rx: re.Pattern | None = None  # \W(?=(heads)): the head is the group
    low_first: re.Pattern | None = None  # (?<!\w)(?=(heads)) for the first position of a window
    low_ids: dict[str, int] | None = None  # lower-cased head -> head
    risky: re.Pattern | None = None  # letters that IGNORECASE equates with a head's but lower() does not
    gated: dict = field(default_factory=dict)  # (kind, window flags) -> head -> plans the window allows
    follows: dict = field(default_factory=dict)  # (word head, plan) -> what must follow the head, or None


def _need(name: str) -> int:
    """Window flags a pattern needs: bit 2 a trigger word, 1 digits, 8 a numeric date, 4 CJK/QH."""
    if name == "block":
        return 1
    return (
        (2 if name in _WORD_ONLY else 0)
        | (1 if name in _DIGIT_ONLY else 0)
        | (8 if name in _NUMERIC_ONLY else 0)
        | (4 if name == "data" else 0)
    )


def _minimal(words: set[str]) -> dict[str, str]:
    """Each word -> the shortest word of the set that starts it (ignoring case, as the patterns
    match), so that at any position at most one kept word can match."""
    kept: list[tuple[str, re.Pattern]] = []
    out: dict[str, str] = {}
    for w in sorted(words, key=lambda w: (len(w), w)):
        rep = next((k for k, krx in kept if krx.match(w)), None)
        if rep is None:
            kept.append((w, re.compile(re.escape(w), re.IGNORECASE)))
            rep = w
        out[w] = rep
    return out


def _trie(heads: list[str], group: str) -> str:
    """An alternation of ``heads`` grouped by first letter; ``group`` opens each head's group."""
    by_first: dict[str, list[str]] = {}
    for h in heads:
        by_first.setdefault(h[0].lower(), []).append(h)
    alts = []
    for first in sorted(by_first):
        hs = by_first[first]
        if len(hs) == 1:
            alts.append(group + re.escape(hs[0]) + ")")
        else:  # none of them is one letter: that one would have replaced the others
            alts.append(re.escape(hs[0][0]) + "(?:" + "|".join(group + re.escape(h[1:]) + ")" for h in hs) + ")")
    return "|".join(alts)


def _head_order(kept: set[str]) -> list[str]:
    """Heads in the order of their groups in ``_trie(..., "(")``."""
    by_first: dict[str, list[str]] = {}
    for h in sorted(kept):
        by_first.setdefault(h[0].lower(), []).append(h)
    return [h for first in sorted(by_first) for h in by_first[first]]


def _low_heads(order: list[str], extra: set[str]) -> tuple[re.Pattern, re.Pattern, dict[str, int], re.Pattern | None] | None:
    """Regexes for the word heads in lower-cased text (see ``_Plans``), or None when lower() does
    not map each head letter to the one letter IGNORECASE compares. ``extra``: other letters
    looked for in the lower-cased text (what must follow a head)."""
    if not order or _CASE_SIBLINGS is None:
        return None
    low = [h.lower() for h in order]
    if any(len(a) != len(b) for a, b in zip(low, order)) or len(set(low)) != len(low):
        return None
    # IGNORECASE also equates letters with different lower cases ("ı" and "i", "ſ" and "s"):
    # a text with such a sibling of a letter looked for is read the slow way
    letters = set("".join(low)) | extra
    risky = {chr(c) for ch in letters for c in _CASE_SIBLINGS.get(ord(ch), ()) if chr(c) != ch}
    body = "(" + _trie(sorted(low), "(?:") + r")(\s*)(\S)?"  # the head, whitespace, the letter after
    return (
        re.compile(r"\W(?=" + body + ")"),
        re.compile(r"(?<!\w)(?=" + body + ")"),
        {h: i for i, h in enumerate(low)},
        re.compile("[" + "".join(re.escape(c) for c in sorted(risky)) + "]") if risky else None,
    )


def _letter_follows(c: str) -> _Follow | None:
    """The follow (see ``_Follow``) of one given character right after a head: whitespace, or
    the letter (lower case) or digit itself; None (anything) where lower() would not keep it one
    character."""
    if c.isspace():
        return (0, frozenset(), False, True)
    low = c.lower()
    if len(low) != 1:
        return None
    return (0, frozenset({low}), False, False)


@lru_cache(maxsize=64)
def _plans(lang: str) -> _Plans:
    t = _tagger(lang)
    named = [("block", b) for b in t.blockers] + list(t.regexes)
    found = [_heads(rx) for _, rx in named]
    wmap = _minimal({h for f in found if f for h, (nw, _f) in f[0].items() if nw})
    fmap = _minimal({h for f in found if f for h, (nw, _f) in f[0].items() if not nw})
    worder, forder = _head_order(set(wmap.values())), _head_order(set(fmap.values()))
    wrx = re.compile(r"(?<!\w)(?=" + _trie(worder, "(") + ")", re.IGNORECASE) if worder else None
    frx = re.compile("(?=" + _trie(forder, "(") + ")", re.IGNORECASE) if forder else None
    wid = {h: i for i, h in enumerate(worder)}
    fid = {h: i for i, h in enumerate(forder)}
    plans = []
    wplans: list[list[int]] = [[] for _ in worder]
    fplans: list[list[int]] = [[] for _ in forder]
    follows: dict[tuple[int, int], _Follow | None] = {}  # (word head, plan) -> what must follow
    for k, ((name, rx), f) in enumerate(zip(named, found)):
        if f is None:
            plans.append(_Plan(name, rx, _need(name), True))
            continue
        hs, dhs, digits, dcons = f
        dfol = None
        if dcons and None not in dcons:
            dfol = dcons[0]
            for c in dcons[1:]:
                u = _either(dfol[2], c[2])
                dfol = None if u is None else (min(dfol[0], c[0]), max(dfol[1], c[1]), u)
                if dfol is None:
                    break
        for h, (nw, fol) in hs.items():
            if not nw:
                i = fid[fmap[h]]
                if k not in fplans[i]:
                    fplans[i].append(k)
                continue
            rep = wmap[h]
            i = wid[rep]
            if len(rep) < len(h):  # found by a shorter head ("mar" for "marzo"): its next letter must follow
                fol = _letter_follows(h[len(rep)])
            if k not in wplans[i]:
                wplans[i].append(k)
            else:
                fol = _either(follows[i, k], fol)
            follows[i, k] = fol
        plans.append(_Plan(name, rx, _need(name), False, tuple(sorted(dhs)), digits, dfol))
    nb = len(t.blockers)
    pl = _Plans(tuple(plans[:nb]), tuple(plans[nb:]), wrx, frx, tuple(tuple(sorted(x)) for x in wplans), tuple(tuple(sorted(x)) for x in fplans))
    pl.follows = follows
    letters = {c for f in follows.values() if f for c in f[1]}
    letters |= {c for p in plans if p.digit_follow for c in p.digit_follow[2][1]}
    low = _low_heads(worder, letters)
    if low is not None:
        pl.low_rx, pl.low_first, pl.low_ids, pl.risky = low
    return pl


def _users(pl: _Plans, kind: str, flags: int) -> Any:
    """Head -> the plans that start with it and that a window with ``flags`` runs; for the
    lower-cased text ("low"): head -> (those plans, those of them with what must follow:
    (plan, least whitespace, first letters, or a digit))."""
    key = (kind, flags)
    got = pl.gated.get(key)
    if got is None:
        plans = pl.blockers + pl.patterns
        heads = pl.free_plans if kind == "free" else pl.word_plans
        got = tuple(tuple(k for k in ks if flags & plans[k].need == plans[k].need) for ks in heads)
        if kind == "low":
            fol = pl.follows
            got = {
                h: (tuple(k for k in got[i] if fol[i, k] is None), tuple((k, *fol[i, k]) for k in got[i] if fol[i, k] is not None))
                for h, i in pl.low_ids.items()
            }
        pl.gated[key] = got
    return got


def _dispatch(pl: _Plans, flags: int, users: dict, key: tuple[str, str, str | None]) -> tuple[int, ...]:
    """The plans a word head found in the lower-cased text starts, given the whitespace and the
    letter after it: ``key`` = (head, whitespace, letter or None) from ``low_rx``."""
    head, space, letter = key
    plain, cond = users[head]
    ks = list(plain)
    w, c = len(space), letter or ""
    for k, least, firsts, digit, sp in cond:
        if (sp and w > 0) or (c != "" and w >= least and (c in firsts or (digit and c.isdecimal()))):
            ks.append(k)
    ks.sort()
    if len(users) < 4096:
        users[head, space, letter] = tuple(ks)
    return tuple(ks)


def _window_hits(text: str, low: str, t: _Tagger, lang: str, runs: list[tuple[int, int]], windows: list[tuple[int, int, int]]) -> list[_Raw]:
    """Blocks and raw dates of every window, in the order the window-by-window ``finditer`` scan
    gives them (a window's blocks, then each pattern's matches in pattern order).

    ``low`` is ``text.lower()`` (the same length)."""
    pl = _plans(lang)
    plans = pl.blockers + pl.patterns
    nwin = len(windows)
    # where each pattern can start: (position, window index), in text order per source
    cand: list[list[tuple[int, int]]] = [[] for _ in plans]
    lowered = pl.low_rx is not None and (pl.risky is None or pl.risky.search(low) is None)
    if lowered:
        low_first, low_rx = pl.low_first, pl.low_rx
        for wi, (wa, wb, flags) in enumerate(windows):
            users = _users(pl, "low", flags)
            m = low_first.match(low, wa, wb)  # (both end where the head starts)
            for m in low_rx.finditer(low, wa, wb) if m is None else chain((m,), low_rx.finditer(low, wa, wb)):
                key = m.groups()
                ks = users.get(key)
                if ks is None:
                    ks = _dispatch(pl, flags, users, key)
                if ks:
                    spot = (m.end(), wi)
                    for k in ks:
                        cand[k].append(spot)
    heads = [] if lowered else [("word", pl.word_rx)]
    heads.append(("free", pl.free_rx))
    for kind, rx in heads:
        if rx is None:
            continue
        for wi, (wa, wb, flags) in enumerate(windows):
            users = _users(pl, kind, flags)
            for m in rx.finditer(text, wa, wb):
                spot = (m.start(), wi)
                for k in users[m.lastindex - 1]:
                    cand[k].append(spot)
    starts: list[tuple[int, int]] = []  # first digits of runs inside a window
    run_ends: list[int] = []  # (where those runs end)
    wi = 0
    for a, b in runs:
        while wi < nwin and a >= windows[wi][1]:
            wi += 1
        if wi == nwin:
            break
        if a >= windows[wi][0]:
            starts.append((a, wi))
            run_ends.append(b)
    every_digit: list[tuple[int, int]] | None = None
    led: dict[tuple, list[tuple[int, int]]] = {}
    # the run starts grouped by what a digit follow tests: (digits, whitespace, next letter) ->
    # those starts in text order. A text has a few such groups for dozens of runs, so each
    # pattern's follow is tested once per group instead of once per run
    after: dict[tuple[int, int, str], list[tuple[int, int]]] | None = None
    fitting: dict[tuple, list[tuple[int, int]]] = {}  # digit_follow -> the run starts that fit it
    res: list[list[_Raw]] = [[] for _ in windows]
    gates: dict[int, list[bool]] = {}
    for k, plan in enumerate(plans):
        need, rx, name = plan.need, plan.rx, plan.name
        block = name == "block"
        gate = gates.get(need)
        if gate is None:
            gate = gates[need] = [flags & need == need for _wa, _wb, flags in windows]
        if True not in gate:
            continue
        if plan.scan:
            for wi, (wa, wb, _flags) in enumerate(windows):
                if not gate[wi]:
                    continue
                for mt in rx.finditer(text, wa, wb):
                    if block:
                        res[wi].append(_Raw(mt.start(), mt.end(), "block", prio=100))
                    elif mt.end() > mt.start():
                        r = _from_match(t, name, mt, text)
                        if r is not None:
                            res[wi].append(r)
            continue
        cs = cand[k]
        parts = 1 if cs else 0
        runs_here = starts
        if plan.digit_follow is not None and lowered and (plan.digits == 1 or plan.digit_heads):
            runs_here = fitting.get(plan.digit_follow)
            if runs_here is None:
                if after is None:
                    after = {}
                    for x, q in zip(starts, run_ends):
                        wb = windows[x[1]][1]
                        j = q
                        while j < wb and low[j].isspace():
                            j += 1
                        key = (q - x[0], j - q, low[j] if j < wb else "")
                        group = after.get(key)
                        if group is None:
                            after[key] = [x]
                        else:
                            group.append(x)
                lo, hi, (least, firsts, digit, space) = plan.digit_follow
                fit = [
                    group for (n, w, c), group in after.items()
                    if lo <= n <= hi and ((space and w > 0) or (c != "" and w >= least and (c in firsts or (digit and c.isdecimal()))))
                ]
                # (one group is already in text order; several are merged back into it)
                runs_here = fit[0] if len(fit) == 1 else sorted([x for group in fit for x in group])
                fitting[plan.digit_follow] = runs_here
        if plan.digits == 1:
            cs = cs + runs_here
            parts += 1
        elif plan.digits == 2:
            if every_digit is None:
                every_digit = []
                wi = 0
                for a, b in runs:
                    for i in range(a, b):
                        while wi < nwin and i >= windows[wi][1]:
                            wi += 1
                        if wi < nwin and i >= windows[wi][0]:
                            every_digit.append((i, wi))
            cs = cs + every_digit
            parts += 1
        if plan.digit_heads and plan.digits != 1:
            key = (plan.digit_heads, plan.digit_follow if runs_here is not starts else None)
            got = led.get(key)
            if got is None:
                got = led[key] = [x for x in runs_here if text.startswith(plan.digit_heads, x[0])]
            cs = cs + got
            parts += 1
        if parts > 1:
            cs.sort()
        cur, ok, pos, wb = -1, False, 0, 0
        for p, wi in cs:
            if wi != cur:
                cur = wi
                ok = gate[wi]
                pos, wb = windows[wi][0], windows[wi][1]
            if not ok or p < pos:
                continue
            mt = rx.match(text, p, wb)
            if mt is None:
                continue
            pos = mt.end()
            if block:
                res[wi].append(_Raw(p, pos, "block", prio=100))
            elif pos > p:
                r = _from_match(t, name, mt, text)
                if r is not None:
                    res[wi].append(r)
    return [r for rs in res for r in rs]


def _scan(text: str, lang: str) -> tuple[_Raw, ...]:
    """Raw date expressions in text (partial and relative ones unresolved), non-overlapping.

    Memoised for the last few texts: ``article_date`` and ``find_dates`` scan the same text."""
    if not text:
        return ()
    return _scan_cached(text, lang or "")


@lru_cache(maxsize=32)
def _scan_cached(text: str, lang: str) -> tuple[_Raw, ...]:
    t = _tagger(lang)
    low = text.lower()
    if len(low) == len(text):
        runs = [m.span() for m in _DIGITS.finditer(text)]
        cands: list[_Raw] = _rel_hits(text, low, t)
        cands += _window_hits(text, low, t, lang, runs, _windows(text, t, low, runs))
    else:  # case mapping changed offsets: every pattern over the whole text
        cands = []
        for wa, wb, flags in _windows(text, t):
            skip = () if flags & 4 else ("data",)
            if flags & 1:
                for b in t.blockers:
                    for mt in b.finditer(text, wa, wb):
                        cands.append(_Raw(mt.start(), mt.end(), "block", prio=100))
            for name, rx in t.regexes:
                if (
                    (name in _WORD_ONLY and not flags & 2)
                    or (name in _DIGIT_ONLY and not flags & 1)
                    or (name in _NUMERIC_ONLY and not flags & 8)
                    or name in skip
                ):
                    continue
                for mt in rx.finditer(text, wa, wb):
                    if mt.end() <= mt.start():
                        continue
                    r = _from_match(t, name, mt, text)
                    if r is not None:
                        cands.append(r)
    cands.sort(key=lambda r: (-(r.kind == "block"), -(r.end - r.start), -r.prio, r.start))
    taken: list[tuple[int, int]] = []
    chosen: list[_Raw] = []
    for r in cands:
        i = bisect.bisect_left(taken, (r.start, r.end))
        if i > 0 and taken[i - 1][1] > r.start:
            continue
        if i < len(taken) and taken[i][0] < r.end:
            continue
        taken.insert(i, (r.start, r.end))
        if r.kind != "block":
            chosen.append(r)
    chosen.sort(key=lambda r: r.start)
    chosen = _join_relative_years(text, chosen)
    for r in chosen:
        _modifiers(t, text, r)
    return tuple(chosen)


_GAP = re.compile(r"\s*(?:[^\W\d_]{1,4}\s+)?")


def _join_relative_years(text: str, chosen: list[_Raw]) -> list[_Raw]:
    """"quý III năm nay", "December this year", "im Dezember nächsten Jahres": a quarter, half,
    month or day without a year, followed by a relative year, is one expression."""
    out: list[_Raw] = []
    i = 0
    while i < len(chosen):
        r = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            nxt is not None
            and r.kind == "partial"
            and (r.q or r.h or r.m)
            and nxt.kind == "rel"
            and nxt.unit == "year"
            and _GAP.fullmatch(text, r.end, nxt.start)
        ):
            out.append(_Raw(r.start, nxt.end, "rel", None, r.m, r.d, r.q, r.h, unit="year_part", offset=nxt.offset, prio=r.prio))
            i += 2
            continue
        out.append(r)
        i += 1
    return out


# --------------------------------------------------------------------------- resolution


def parse_iso(value: str | None) -> tuple[int, int | None, int | None] | None:
    """``2025`` / ``2025-11`` / ``2025-11-06`` (or a datetime string) -> (y, m, d)."""
    if not value:
        return None
    mt = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value))
    if not mt:
        return None
    y = int(mt.group(1))
    m = int(mt.group(2)) if mt.group(2) else None
    d = int(mt.group(3)) if mt.group(3) else None
    if not _valid(y, m, d):
        return None
    return y, m, d


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _nearest_year(m: int, d: int | None, anchor: tuple[int, int | None, int | None], tense: int = 0) -> int:
    """Year of a day/month without year: the occurrence nearest the anchor, or the latest one
    not after it (``tense`` -1, past wording) or the first one not before it (+1, future)."""
    ay, am, ad = anchor
    if am is None:
        return ay
    if tense:
        key_anchor = (am, ad or (31 if tense < 0 else 0)) if d is not None else (am, 0)
        key = (m, d or 0)
        if tense < 0:
            return ay if key <= key_anchor else ay - 1
        return ay if key >= key_anchor else ay + 1
    ref = _dt.date(ay, am, ad or 15)
    best, best_gap = ay, None
    for y in (ay - 1, ay, ay + 1):
        try:
            cand = _dt.date(y, m, min(d or 15, calendar.monthrange(y, m)[1]))
        except ValueError:
            continue
        gap = abs((cand - ref).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


@lru_cache(maxsize=64)
def _tense_words(lang: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(past, future) cue regexes from the milestone lexicon (used to place "in March")."""
    lex = lexicon("milestones", lang)
    out = []
    from .milestones import _word_test  # (only searched for: yes or no)

    for key in ("past", "future"):
        out.append(_word_test(lex.get(key, [])))
    return out[0], out[1]


def _tense(text: str, start: int, end: int, lang: str) -> int:
    """-1 past wording around a date, +1 future wording, 0 unclear or both."""
    a = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - 160) + 1
    bs = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(bs + [end + 160, len(text)])
    win = text[a:b]
    past, fut = _tense_words(lang)
    p = bool(past and past.search(win))
    f = bool(fut and fut.search(win))
    return -1 if p and not f else 1 if f and not p else 0


def _resolve(r: _Raw, anchor: tuple[int, int | None, int | None] | None, tense: int = 0) -> tuple[str, str, str | None, bool] | None:
    """(value, precision, end_value, relative) or None when it cannot be resolved honestly."""
    if r.kind == "range":
        return _iso(r.y), "year", _iso(r.y2), False
    relative = r.kind in ("partial", "rel")
    y = r.y
    if r.kind == "rel" and r.unit == "year_part":
        if anchor is None:
            return None
        y = anchor[0] + r.offset
    elif r.kind == "rel":
        if anchor is None:
            return None
        ay, am, _ = anchor
        if r.unit == "year":
            return _iso(ay + r.offset), "year", None, True
        if r.unit == "month":
            if am is None:
                return None
            k = ay * 12 + (am - 1) + r.offset
            return _iso(k // 12, k % 12 + 1), "month", None, True
        if r.unit == "next_month":
            if am is None:
                return None
            yy = ay if (r.m, r.d or 0) > (am, anchor[2] or 0) else ay + 1
            if r.d is not None:
                return (_iso(yy, r.m, r.d), "day", None, True) if _valid(yy, r.m, r.d) else None
            return _iso(yy, r.m), "month", None, True
        if r.unit == "month_next_year":
            if r.d is not None and _valid(ay + 1, r.m, r.d):
                return _iso(ay + 1, r.m, r.d), "day", None, True
            return _iso(ay + 1, r.m), "month", None, True
        return None
    if y is None:
        if anchor is None:
            return None
        if r.m is not None:
            y = _nearest_year(r.m, r.d, anchor, tense)
        else:
            y = anchor[0]
    if r.q:
        return f"{y:04d}-Q{r.q}", "quarter", None, relative
    if r.h:
        return f"{y:04d}-H{r.h}", "half", None, relative
    if r.m is None:
        return _iso(y), "year", None, relative
    if r.d is None:
        end_value = _iso(y, int(r.unit.split(":", 1)[1])) if r.unit and r.unit.startswith("monthrange:") else None
        return _iso(y, r.m), "month", end_value, relative
    if not _valid(y, r.m, r.d):
        return None
    end_value = None
    if r.unit and r.unit.startswith("dayrange:"):
        d2 = int(r.unit.split(":", 1)[1])
        if not _valid(y, r.m, d2):
            return None
        end_value = _iso(y, r.m, d2)
    return _iso(y, r.m, r.d), "day", end_value, relative


def _sentence_index(sentences: list[Sentence], starts: list[int], pos: int) -> int | None:
    if not sentences:
        return None
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < max(sentences[i].end, sentences[i].start + 1):
        return sentences[i].index
    return None


def find_dates(text: str, lang: str, anchor: str | None, sentences: list[Sentence]) -> list[DateMention]:
    """Every date expression in ``text``; partial/relative ones resolved against ``anchor``."""
    if not text:
        return []
    anc = parse_iso(anchor)
    out: list[DateMention] = []
    sents = sorted(sentences or [], key=lambda s: s.start)
    starts = [s.start for s in sents]
    for r in _scan(text, lang):
        tense = _tense(text, r.start, r.end, lang) if (anc and r.kind == "partial" and r.m is not None) else 0
        res = _resolve(r, anc, tense)
        if res is None:
            continue
        value, precision, end_value, relative = res
        out.append(
            DateMention(
                text=intern(text[r.start : r.end]),
                start=r.start,
                end=r.end,
                value=intern(value),
                precision=precision,
                end_value=end_value,
                relative=relative,
                sentence=_sentence_index(sents, starts, r.start),
            )
        )
    return out


# --------------------------------------------------------------------------- article date


@lru_cache(maxsize=1)
def _url_patterns() -> tuple[re.Pattern, ...]:
    lex = lexicon("dates", "_url")
    pats = []
    for p in lex.get("url_patterns", []):
        try:
            pats.append(re.compile(p))
        except re.error:
            continue
    return tuple(pats)


def url_date(url: str | None) -> str | None:
    """A publication day encoded in a URL (/2025/11/06/, 20251106, vn-style ids), or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.IGNORECASE)
    for rx in _url_patterns():
        for mt in rx.finditer(path):
            g = mt.groupdict()
            y = int(g["y"]) if g.get("y") else 2000 + int(g["yy"])
            m, d = int(g["m"]), int(g["d"]) if g.get("d") else None
            if 2000 <= y <= 2100 and _valid(y, m, d):
                return _iso(y, m, d)
    return None


def _context_year(raws: list[_Raw]) -> int | None:
    counts: dict[int, int] = {}
    first: dict[int, int] = {}
    for r in raws:
        if r.kind == "abs" and r.y is not None and r.q is None and r.h is None:
            counts[r.y] = counts.get(r.y, 0) + 1
            first.setdefault(r.y, r.start)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -first[y]))


def article_date(article: Article, sentences: list[Sentence], lang: str) -> tuple[str | None, str | None, float]:
    """The article's own date: (ISO or None, "meta"|"dateline"|"url"|"context" or None, confidence)."""
    text = article.text or ""
    meta = parse_iso(article.published)
    url = parse_iso(url_date(article.url))
    # the dateline: the first day-level date near the top of the text
    head_end = 700
    if sentences:
        ordered = sentences[:3] if all(a.start <= b.start for a, b in zip(sentences, sentences[1:4])) else sorted(sentences, key=lambda s: s.start)[:3]
        head_end = max(head_end if len(ordered) < 3 else 0, ordered[-1].end)
        head_end = min(max(head_end, 300), 900)
    raws = _scan(text, lang)
    dateline = next(
        (
            r
            for r in raws
            if r.start < head_end and r.kind in ("abs", "partial") and r.d is not None and r.m is not None
            and _tense(text, r.start, r.end, lang) <= 0  # "the summit on 15 March will ..." is not a dateline
        ),
        None,
    )
    if dateline is not None:
        ref = meta if meta and meta[1] else url if url and url[1] else None
        if dateline.y is not None:
            y, conf = dateline.y, 0.85
            if ref and ref[0] == y:
                conf = 0.95
            elif ref and abs(ref[0] - y) > 1:
                y = None  # a background date in the lead, not the article's own
        elif ref is not None:
            y, conf = _nearest_year(dateline.m, dateline.d, ref), 0.9
        else:
            y = _context_year(raws)
            conf = 0.6
        if y is not None and _valid(y, dateline.m, dateline.d):
            day = _dt.date(y, dateline.m, dateline.d)
            if meta and meta[1] and meta[2]:
                pub = _dt.date(*meta)
                if not (0 <= (pub - day).days <= 14):
                    return _iso(*meta), "meta", 0.95
            return day.isoformat(), "dateline", conf
    if meta is not None:
        return _iso(*meta), "meta", 0.95
    if url is not None:
        return _iso(*url), "url", 0.7
    return None, None, 0.0


# --------------------------------------------------------------------------- lending


def _rebuild_text(analysis: ArticleAnalysis) -> str:
    if not analysis.sentences:
        return ""
    n = max(s.end for s in analysis.sentences)
    buf = [" "] * n
    for s in analysis.sentences:
        seg = s.text[: max(0, s.end - s.start)]
        buf[s.start : s.start + len(seg)] = list(seg)
    return "".join(buf)


def lend_date(target: ArticleAnalysis, donor: ArticleAnalysis) -> bool:
    """Give ``target`` (no date of its own) the date of ``donor``, a report of the same event.

    Sets ``event_date``, ``event_date_source = "lent:<donor id>"`` and a lower confidence, then
    re-resolves the target's dates and milestones against the lent date. Returns True if lent.
    """
    if target is None or donor is None or target.event_date or not donor.event_date:
        return False
    if (donor.event_date_source or "").startswith("lent:") or donor.id == target.id:
        return False
    if parse_iso(donor.event_date) is None:
        return False
    target.event_date = donor.event_date
    target.event_date_source = f"lent:{donor.id}"
    target.date_confidence = round(min(donor.date_confidence or 0.5, 1.0) * 0.6, 3)
    try:
        text = _rebuild_text(target)
        if text:
            from . import milestones

            lang = target.language or "en"
            target.dates = find_dates(text, lang, target.event_date, target.sentences)
            art = Article(id=target.id, path=target.path, text=text, title=target.title, url=target.url)
            target.milestones = milestones.extract(art, target.sentences, target.dates, lang, target.event_date)
            target.background_repeats = None  # (they compared the background with the old milestones)
    except Exception:  # lending must never break the corpus step
        pass
    return True


__all__ = ["article_date", "find_dates", "lend_date", "url_date", "interval", "parse_iso", "lexicon"]
