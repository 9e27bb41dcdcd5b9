"""Next milestones: dated future events relative to the article's own date.

A milestone is a date mention that lies after the article's date (the anchor), typed by the
words around it (signing, visit, conference, launch, deadline, anniversary, period-end, plan),
with the place when the text gives one and the whole sentence as verbatim evidence. Dates in
the past are background, not milestones. When the article's date is unknown, the latest
single date the article states is a weak anchor; with no date at all, an explicit future cue
("will", "sẽ", "akan", "wird") is required.

Words live in ``briefgen/data/milestones/<lang>.toml`` on top of ``_default.toml``.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Article, DateMention, Milestone, Sentence
from .dates import _CASE_SIBLINGS, _iso, interval, lexicon, parse_iso

_MAX_WORDS = 25
_MAX_DATES = 2000  # date mentions looked at per article (pathological inputs stay bounded)
_WORD = re.compile(r"\S+")
_interval = lru_cache(maxsize=4096)(interval)  # the same few values come back many times


def _word_rx(words: list[str]) -> re.Pattern | None:
    """One regex for a word list: whole words, or "stem*" / "*stem" / "*stem*" wildcards.

    Words sharing the same edges share one group, so the look-arounds run once per position."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for w in sorted({w for w in words if w and w.strip("*")}, key=len, reverse=True):
        core = re.escape(w.strip("*")).replace(r"\ ", r"\s+")
        groups.setdefault((w.startswith("*"), w.endswith("*")), []).append(core)
    if not groups:
        return None
    parts = []
    for (star_pre, star_post), cores in groups.items():
        pre = r"\w*" if star_pre else r"(?<!\w)"
        post = r"\w*" if star_post else r"(?!\w)"
        parts.append(pre + "(?:" + "|".join(cores) + ")" + post)
    return re.compile("|".join(parts), re.IGNORECASE)


def _risky(letters: set[str]) -> re.Pattern | None:
    """The letters IGNORECASE equates with one of ``letters`` whose lower case is another one."""
    risky = {chr(c) for ch in letters for c in _CASE_SIBLINGS.get(ord(ch), ()) if chr(c) != ch}
    return re.compile("[" + "".join(re.escape(c) for c in sorted(risky)) + "]") if risky else None


class _WordTest:
    """``search(text)`` finds a match exactly when ``_word_rx(words).search(text)`` does: only for
    that yes/no test (its matches are shorter). A ``\\w*`` edge can match nothing, so it is left
    out (the engine no longer runs it at every letter); words that share an edge and a first letter
    share one branch; and the lower-cased text is searched case-sensitively, which lets the engine
    skip most positions at once. Texts where lower() is not what IGNORECASE compares (it changes
    the length, or a letter IGNORECASE also equates with one of the words' letters, "ſ" for "s",
    occurs) are searched with the IGNORECASE regex."""

    __slots__ = ("rx", "low_rx", "letters", "risky")

    def __init__(self, words: list[str]) -> None:
        words = sorted({w for w in words if w and w.strip("*")}, key=len, reverse=True)
        self.rx = re.compile(self._pattern(words), re.IGNORECASE)
        lows = [w.lower() for w in words]
        self.low_rx = self.risky = None
        self.letters = set("".join(lows))
        if _CASE_SIBLINGS is not None and all(len(a) == len(b) for a, b in zip(lows, words)):
            self.low_rx = re.compile(self._pattern(lows, lead=True))
            self.risky = _risky(self.letters)

    @staticmethod
    def _pattern(words: list[str], lead: bool = False) -> str:
        """``lead``: every alternative starts with its letter and checks the word start after it
        (``(?<!\\w.)``), so that the engine (case-sensitive) looks only where one of the letters is."""
        groups: dict[tuple[bool, bool], dict[str, list[str]]] = {}
        for w in words:
            core = w.strip("*")
            by_first = groups.setdefault((w.startswith("*"), w.endswith("*")), {})
            by_first.setdefault(core[0], []).append(re.escape(core[1:]).replace(r"\ ", r"\s+"))
        parts = []
        for (star_pre, star_post), by_first in groups.items():
            post = "" if star_post else r"(?!\w)"
            for c, rests in by_first.items():
                rest = "(?:" + "|".join(rests) + ")" if rests != [""] else ""
                first = re.escape(c).replace(r"\ ", r"\s+")
                if star_pre:
                    parts.append(first + rest + post)
                elif lead and not c.isspace():
                    parts.append(first + r"(?<!\w.)" + rest + post)
                else:
                    parts.append(r"(?<!\w)" + first + rest + post)
        return "|".join(parts)

    def search(self, text: str, low: str | None = None) -> bool:
        """``low``: ``text.lower()`` already checked against (at least) this test's risky letters."""
        if low is None and self.low_rx is not None:
            low = _safe_lower(text, self.risky)
        if low is not None and self.low_rx is not None:
            return self.low_rx.search(low) is not None
        return self.rx.search(text) is not None


def _safe_lower(text: str, risky: re.Pattern | None) -> str | None:
    """``text.lower()`` when a case-sensitive search of it finds what IGNORECASE finds in ``text``."""
    low = text.lower()
    if len(low) != len(text) or (risky is not None and risky.search(low) is not None):
        return None
    return low


def _word_test(words: list[str]) -> _WordTest | None:
    """A ``_WordTest`` for ``words``, or None when ``_word_rx(words)`` is None."""
    if not any(w and w.strip("*") for w in words):
        return None
    return _WordTest(words)


def _alt_plain(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass
class _Lex:
    kinds: list[tuple[str, re.Pattern]]
    future: _WordTest | None  # future, past, not_cues and kind_tests: yes/no tests
    past: _WordTest | None
    preps: re.Pattern | None
    not_places: frozenset[str]
    by_words: re.Pattern | None
    end_words: re.Pattern | None
    check_places: bool = False
    place_prefixes: re.Pattern | None = None
    breaks: re.Pattern | None = None
    not_cues: _WordTest | None = None
    kind_tests: list[tuple[str, _WordTest]] = field(default_factory=list)
    kind_risky: re.Pattern | None = None  # the risky letters (see ``_WordTest``) of every kind test
    lang: str = ""


@lru_cache(maxsize=64)
def _lex(lang: str) -> _Lex:
    lex = lexicon("milestones", lang)
    kinds, tests = [], []
    table = lex.get("kinds") or {}
    for kind in lex.get("kind_order", []):
        rx = _word_rx(table.get(kind, []))
        if rx is not None:
            kinds.append((kind, rx))
            tests.append((kind, _word_test(table.get(kind, []))))
    preps = lex.get("place_preps", [])
    verbs = lex.get("place_verbs", [])
    alts = [f"(?P<strong>{_alt_plain(preps)})" if preps else None, f"(?P<weak>{_alt_plain(verbs)})" if verbs else None]
    alts = [a for a in alts if a]
    prx = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")\s+", re.IGNORECASE) if alts else None
    dlex = lexicon("dates", lang)
    mods = dlex.get("modifiers") or {}
    by = _word_rx(mods.get("by", []))
    end = _word_rx(mods.get("end", []))
    return _Lex(
        kinds,
        _word_test(lex.get("future", [])),
        _word_test(lex.get("past", [])),
        prx,
        frozenset(x.lower() for x in lex.get("not_places", [])),
        by,
        end,
        bool(lex.get("check_places", False)),
        re.compile("(?:" + _alt_plain(lex["place_prefixes"]) + r")\s+", re.IGNORECASE) if lex.get("place_prefixes") else None,
        re.compile(r",\s*(?:" + _alt_plain(lex["clause_breaks"]) + r")(?!\w)", re.IGNORECASE) if lex.get("clause_breaks") else None,
        _word_test(lex.get("not_cues", [])),
        tests,
        _risky({c for _k, t in tests for c in t.letters}) if _CASE_SIBLINGS is not None else None,
        lang,
    )


@lru_cache(maxsize=64)
def _territories(lang: str) -> dict[str, str]:
    """Country name (lower-case, in ``lang`` and English) -> ISO alpha-2, from CLDR."""
    from .dates import cldr_data

    out: dict[str, str] = {}
    for code in (lang, "en"):
        loc = cldr_data(code)
        if loc is None:
            continue
        try:
            terrs = loc["territories"].items()
        except KeyError:
            continue
        for terr, name in terrs:
            if len(terr) == 2 and terr.isalpha() and terr not in ("EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"):
                out.setdefault(name.lower(), terr)
    return out


@lru_cache(maxsize=64)
def _month_words(lang: str) -> frozenset[str]:
    from .dates import _cldr

    names = _cldr(lang)[0]
    return frozenset(w for n in names for w in n.split())


@lru_cache(maxsize=4096)
def _gazetteer(name: str, lang: str) -> str | None:
    """ISO code of a known place or country name, from the countries module's gazetteer (a
    full country match per call: remembered, since the same cities come back article after article)."""
    try:
        from . import countries
    except Exception:
        return None
    try:
        for c in countries.match(name, lang):
            if c.start == 0 and c.end >= len(name.rstrip()) and c.kind in ("place", "name") and len(c.code) == 2:
                return c.code
    except Exception:
        return None
    return None


_RUN_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\s+")


def _cap_run(text: str, pos: int, limit: int = 4) -> tuple[str, int] | None:
    """Capitalised words starting at ``pos`` ("Lyon", "Hà Nội", "New York"), up to a comma."""
    words = []
    end = pos
    for mt in _RUN_TOKEN.finditer(text[pos : pos + 80]):
        tok = mt.group()
        if mt.start() != end - pos:
            break
        if tok.isspace():
            if "\n" in tok:
                break
            end = pos + mt.end()
            continue
        if not tok[0].isupper() or len(words) >= limit:
            break
        words.append(tok)
        end = pos + mt.end()
    if not words:
        return None
    run = " ".join(words)
    return run, pos + len(text[pos:end].rstrip())


def _place(clause: str, lang: str, lex: _Lex, near: int | None = None) -> tuple[str | None, str | None]:
    """First place after a place word in ``clause`` (or the one nearest offset ``near``)."""
    if lex.preps is None:
        return None, None
    terr = _territories(lang)
    months = _month_words(lang)
    found = lex.preps.finditer(clause)
    if near is not None:
        found = sorted(found, key=lambda mt: abs(mt.start() - near))
    for mt in found:
        pos = mt.end()
        pre = lex.place_prefixes.match(clause, pos) if lex.place_prefixes else None
        got = _cap_run(clause, pre.end() if pre else pos)
        if got is None:
            continue
        name, end = got
        if pre:
            name = clause[pos:end]
        low = name.lower()
        if low in lex.not_places or low.split()[0] in months or any(ch.isdigit() for ch in name):
            continue
        known = _gazetteer(name, lang)
        checked = near is not None or lex.check_places or mt.groupdict().get("weak") is not None
        if checked and known is None and low not in terr:
            continue  # weak cue, or outside the date's clause: only places the gazetteer knows
        country = terr.get(low) or known
        if country is None:
            rest = re.match(r"\s*,\s*", clause[end:])
            if rest:
                nxt = _cap_run(clause, end + rest.end(), 3)
                if nxt is not None:
                    country = terr.get(nxt[0].lower())
        return name, country
    return None, None


def _bounds(s: str, a: int, b: int, breaks: re.Pattern | None) -> tuple[int, int]:
    """(left, right) of the clause around ``s[a:b]`` before the ~25-word trim (see ``_clause``)."""
    lo, hi = max(0, a - 400), min(len(s), b + 300)  # bounded: very long "sentences" stay cheap
    left = max(s.rfind(";", lo, a), s.rfind(":", lo, a), s.rfind("\n", lo, a), lo - 1) + 1
    if breaks is not None:  # ", and that ...", ", và ...": a new clause starts after the comma
        last = None
        for mt in breaks.finditer(s, left, a):
            last = mt
        if last is not None:
            left = last.start() + 1
    right = hi
    for ch in ";:\n":
        i = s.find(ch, b, right)
        if i >= 0:
            right = i
    # after the date, stop at the next comma (the date's own clause) — unless the date opens the
    # sentence as a fronted adverbial ("Ngày 20/11 tới, Bộ Y tế sẽ ..."): then the clause is what follows
    comma = s.find(",", b, right)
    if comma >= 0:
        fronted = len(_WORD.findall(s, left, a)) <= 2 and len(_WORD.findall(s, b, comma)) <= 2
        if fronted:
            nxt = s.find(",", comma + 1, right)
            if nxt >= 0:
                right = nxt
        else:
            right = comma
    return left, right


def _span(sent: Sentence, start: int, end: int) -> tuple[int, int]:
    s = sent.text
    a = max(0, min(len(s), start - sent.start))
    return a, max(a, min(len(s), end - sent.start))


def _trimmed(s: str, a: int, b: int, left: int, right: int) -> str:
    """``s[left:right]`` cut to 16 words before the date and 8 after it, stripped."""
    if a - left > 32:  # 17 words take at least 33 characters
        before = list(_WORD.finditer(s, left, a))
        if len(before) > 16:
            left = before[-16].start()
    if right - b > 16:  # 9 words take at least 17
        after = list(_WORD.finditer(s, b, right))
        if len(after) > 8:
            right = after[7].end()
    return s[left:right].strip().strip(",;:–- ").strip()


def _clause_at(s: str, a: int, b: int, breaks: re.Pattern | None) -> tuple[tuple[int, int], str]:
    """(``_bounds``, the trimmed clause) for the date at ``s[a:b]``."""
    bounds = _bounds(s, a, b, breaks)
    return bounds, _trimmed(s, a, b, *bounds)


def _clause(sent: Sentence, start: int, end: int, breaks: re.Pattern | None = None) -> str:
    """The clause around a date inside its sentence, verbatim, trimmed to ~25 words."""
    a, b = _span(sent, start, end)
    return _clause_at(sent.text, a, b, breaks)[1]


def _sentence_for(d: DateMention, sentences: list[Sentence], starts: list[int], by_index: dict[int, Sentence]) -> Sentence | None:
    if d.sentence is not None and d.sentence in by_index:
        return by_index[d.sentence]
    i = bisect.bisect_right(starts, d.start) - 1
    if 0 <= i < len(sentences) and sentences[i].start <= d.start < sentences[i].end:
        return sentences[i]
    return None


def _fallback_sentence(text: str, d: DateMention) -> Sentence:
    left = max(text.rfind("\n", 0, d.start), max(text.rfind(". ", 0, d.start), -1)) + 1
    nl = text.find("\n", d.end)
    dot = text.find(". ", d.end)
    ends = [i for i in (nl, dot + 1 if dot >= 0 else -1) if i >= 0]
    right = min(ends) if ends else len(text)
    while left < d.start and text[left].isspace():
        left += 1
    return Sentence(index=-1, text=text[left:right], start=left, end=right)


def _near(clause: str, date_text: str) -> str:
    """The part of the clause from its last comma before the date to the date's end."""
    i = clause.find(date_text)
    if i < 0:
        return clause
    j = clause.rfind(",", 0, i) + 1
    return clause[j : i + len(date_text)]


def _kind(lex: _Lex, *scopes: str) -> str | None:
    """The first kind (in kind_order) named in the narrowest scope that names one; the generic
    "plan" only when no scope names anything more specific."""
    for scope in scopes:
        if scope:
            kind = _named_kind(lex.lang, scope, False)
            if kind is not None:
                return kind
    for scope in scopes:
        if scope:
            kind = _named_kind(lex.lang, scope, True)
            if kind is not None:
                return kind
    return None


@lru_cache(maxsize=4096)
def _named_kind(lang: str, scope: str, generic: bool) -> str | None:
    """The first kind (in kind_order) that ``scope`` names: "plan" alone when ``generic``, else
    any other. Memoised: the same clauses come back in reports of one event."""
    lex = _lex(lang)
    low = _safe_lower(scope, lex.kind_risky) if _CASE_SIBLINGS is not None else None
    for kind, test in lex.kind_tests:
        if (kind == "plan") == generic and test.search(scope, low):
            return kind
    return None


def _deadline_like(lex: _Lex, date_text: str) -> bool:
    """The date text opens with a deadline or end word ("by 2026", "end of March")."""
    return bool((lex.by_words and lex.by_words.match(date_text)) or (lex.end_words and lex.end_words.match(date_text)))


def _from_trigger(lex: _Lex, kind: str, full: str, clause: str, date_text: str) -> str | None:
    """When the ~25-word window cut the clause mid-phrase, start the text at the word that names
    the milestone ("penandatanganan pada Konferensi … April 2026") if it lies shortly before the
    date, so the 'what' reads as a phrase. Still a verbatim span of the sentence."""
    at = full.find(clause)
    i = full.find(date_text)
    if at <= 0 or i < 0:
        return None
    for k, rx in lex.kinds:
        if k != kind:
            continue
        best = None
        for m in rx.finditer(full, 0, i):
            best = m
        if best is None or len(_WORD.findall(full, best.start(), i)) > 22:
            return None
        return full[best.start(): max(at + len(clause), i + len(date_text))].strip()
    return None


def _segment(clause: str, date_text: str) -> str:
    """The comma-separated piece of the clause that holds the date ("expires on 11 June 2029")."""
    i = clause.find(date_text)
    if i < 0:
        return ""
    j = clause.rfind(",", 0, i) + 1
    k = clause.find(",", i + len(date_text))
    return clause[j : k if k >= 0 else len(clause)]


def extract(article: Article, sentences: list[Sentence], dates: list[DateMention], lang: str, anchor: str | None) -> list[Milestone]:
    """Planned or future dated events of one article, each with its sentence as evidence."""
    if not dates:
        return []
    text = article.text or ""
    lex = _lex(lang)
    sents = sorted(sentences or [], key=lambda s: s.start)
    starts = [s.start for s in sents]
    by_index = {s.index: s for s in sents}

    parsed = parse_iso(anchor)
    anc = interval(_iso(*parsed)) if parsed else None
    strong = anc is not None
    if anc is None:  # weak anchor: the latest single date the article states as background
        points = []
        for d in dates:
            if d.end_value is None and not d.relative:
                sent = _sentence_for(d, sents, starts, by_index) or _fallback_sentence(text, d)
                if not (lex.future and lex.future.search(_clause(sent, d.start, d.end, lex.breaks))):
                    points.append(_interval(d.value))
        points = [p for p in points if p is not None]
        if points:
            anc = max(points, key=lambda p: p[1])
    anchor_end: _dt.date | None = anc[1] if anc else None

    out: list[Milestone] = []
    seen: set[tuple[str, str]] = set()
    seen_at: set[tuple[str | None, int]] = set()
    future, past = lex.future, lex.past
    for d in dates[:_MAX_DATES]:
        iv = _interval(d.value)
        if iv is None:
            continue
        sent = _sentence_for(d, sents, starts, by_index) or _fallback_sentence(text, d)
        stext = sent.text
        if not stext.strip():
            continue
        at_key = (d.end_value or d.value, sent.start)
        if at_key in seen_at:
            continue  # the same date again in the same sentence
        seen_at.add(at_key)
        if lex.not_cues is not None:
            rel0 = max(0, d.start - sent.start)
            if lex.not_cues.search(stext[max(0, rel0 - 30) : rel0]):
                continue  # "instead of December", "thay vì tháng 12": a date that will not happen
        # the clause and its future / past wording are only worked out when the decision needs them
        a, b = _span(sent, d.start, d.end)
        bounds = clause = None
        date, end_date, kind = None, None, None
        if d.end_value:
            iv2 = _interval(d.end_value)
            if iv2 is None:
                continue
            if anchor_end is not None:
                if iv[0] > anchor_end:
                    date, end_date = d.value, d.end_value
                elif iv2[0] > anchor_end:
                    date, kind = d.end_value, "period-end"
            else:
                bounds, clause = _clause_at(stext, a, b, lex.breaks)
                scope = clause or stext
                if future and future.search(scope) and not (past and past.search(scope)):
                    date, kind = d.end_value, "period-end"
        else:
            deadline_like = None
            if anchor_end is not None and iv[0] > anchor_end:
                date = d.value
            elif anchor_end is None or (strong and iv[1] > anchor_end):
                # still running (this month, this year) with deadline or future wording; or no anchor
                if anchor_end is not None:
                    deadline_like = _deadline_like(lex, d.text)
                bounds, clause = _clause_at(stext, a, b, lex.breaks)
                scope = clause or stext
                if (deadline_like or (future and future.search(scope))) and not (past and past.search(scope)):
                    date = d.value
            if date is not None:
                if deadline_like is None:
                    deadline_like = _deadline_like(lex, d.text)
                if deadline_like:
                    if clause is None:
                        bounds, clause = _clause_at(stext, a, b, lex.breaks)
                    kind = _kind(lex, _near(clause, d.text))
                    if kind not in ("signing", "visit", "conference", "launch"):
                        kind = "deadline"
        if date is None:
            continue
        if bounds is None:
            bounds, clause = _clause_at(stext, a, b, lex.breaks)
        full = stext[bounds[0] : bounds[1]].strip()  # the untrimmed clause
        if kind is None:
            kind = _kind(lex, _segment(clause, d.text), clause, full) or "plan"
        key = (date, kind)
        if key in seen:
            continue
        seen.add(key)
        place, country = _place(clause, lang, lex)
        if place is None:  # the rest of the date's clause (not other clauses of the sentence)
            at = stext.find(full)
            rel_date = d.start - sent.start - (at if at >= 0 else 0)
            place, country = _place(full, lang, lex, near=rel_date)
        text = _from_trigger(lex, kind, full, clause, d.text)
        out.append(
            Milestone(
                date=date,
                kind=kind,
                text=text or clause or stext.strip(),
                evidence=stext.strip(),
                article_id=article.id,
                end_date=end_date,
                place=place,
                place_country=country,
                sentence=sent.index,
            )
        )
    return out


__all__ = ["extract"]
