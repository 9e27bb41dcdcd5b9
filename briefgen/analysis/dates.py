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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
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
    return "(?:" + "|".join(parts) + ")"


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


@dataclass
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


@lru_cache(maxsize=64)
def _tagger(lang: str) -> _Tagger:
    lex = lexicon("dates", lang)
    names, wide, allnames, order, md_first = _cldr(lang)
    MN = "(?P<mon>" + _alt(allnames, dot_optional=True) + ")"
    MW = "(?P<mon>" + _alt(wide) + ")"
    MN1 = "(?P<mon1>" + _alt(allnames, dot_optional=True) + ")"
    dayw = _alt(list(lex.get("day_words", [])) + list(_weekdays(lang)))
    yw = _alt(lex.get("year_words", []))
    preps = _alt(lex.get("year_preps", []))
    nouns = _alt(lex.get("event_nouns", []))
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
        tuple((p, u, o, _script(p[:1]) not in _NOSPACE_SCRIPTS) for p, (u, o) in rel.items()))


_DIGITS = re.compile(r"\d+")
_CJK_UNITS = frozenset("年년月월日일")
_MARGIN_BEFORE, _MARGIN_AFTER = 48, 48
#: patterns that need a trigger word (relative phrases, bare month names) / a year-like digit run
_WORD_ONLY = frozenset({"rel", "mbare", "next_month", "month_next_year", "dmn", "mnd", "my", "drange", "mrange"})
_DIGIT_ONLY = frozenset({"iso", "num3", "dm", "range", "year", "data", "dl", "dnrange"})
_NUMERIC_ONLY = frozenset({"num3", "dm", "dl", "dnrange"})  # need digits/digits (flag 8)


def _digit_spots(text: str) -> list[tuple[int, int, int]]:
    """Digit runs that can belong to a date: (start, end, flags) with bit 1 for a plausible year or
    a numeric date, bit 4 for CJK (2026年) and Q/H (Q2 2026) forms that the data patterns read."""
    out = []
    n = len(text)
    for m in _DIGITS.finditer(text):
        a, b = m.span()
        run = m.group()
        nxt = text[b] if b < n else ""
        flags = 0
        if len(run) == 4 and 1900 <= int(run) <= 2100:
            flags |= 1
        if nxt in "/.-" and b + 1 < n and text[b + 1].isdigit():
            flags |= 9  # a numeric date (31/10, 6-11, 30.06.2025)
        if nxt in _CJK_UNITS or (nxt == " " and b + 1 < n and text[b + 1] in _CJK_UNITS) or (a and text[a - 1] in "QH"):
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
    for a, b, f in spots:
        a, b = max(0, a - _MARGIN_BEFORE), min(n, b + _MARGIN_AFTER)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]), out[-1][2] | f)
        else:
            out.append((a, b, f))
    return out


def _windows(text: str, t: _Tagger) -> list[tuple[int, int, int]]:
    """Stretches of text around year-like digits and trigger words: the only places a date can be."""
    n = len(text)
    spots = _digit_spots(text)
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


def _tail_tokens(text: str, end: int, k: int = 6) -> list[tuple[str, int]]:
    """The last ``k`` whitespace-separated tokens before ``end``: (lower-case token, start)."""
    a = max(0, end - 60)
    toks = [(m.group().lower().replace("’", "'"), m.start()) for m in _TOKEN.finditer(text, a, end)]
    if a > 0 and toks:
        toks = toks[1:]  # may be cut
    return toks[-k:]


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
    for k in (3, 2, 1):
        if len(toks) < k:
            continue
        phrase = " ".join(w for w, _ in toks[-k:]).rstrip("-")
        if phrase in t.year_words:
            return toks[-k][1]
        if phrase in t.year_preps:
            return s
    last = toks[-1][0].rstrip("-").strip(".,;:()")
    two = " ".join(w for w, _ in toks[-2:]).rstrip("-") if len(toks) >= 2 else last
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
    toks = _tail_tokens(text, r.start, 6)
    if not toks or (r.start > 0 and not (text[r.start - 1].isspace() or text[r.start - 1] == "-")):
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
        if d > calendar.monthrange(y or 2024, m)[1]:
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
    cands: list[_Raw] = _rel_hits(text, low, t) if len(low) == len(text) else []
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
    from .milestones import _word_rx

    for key in ("past", "future"):
        out.append(_word_rx(lex.get(key, [])))
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
                text=text[r.start : r.end],
                start=r.start,
                end=r.end,
                value=value,
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
    except Exception:  # lending must never break the corpus step
        pass
    return True


__all__ = ["article_date", "find_dates", "lend_date", "url_date", "interval", "parse_iso", "lexicon"]
