"""Sentence classes and the content an analyst signs: commitments, background, key figures.

``classify`` gives every sentence one class:

* ``milestone``  – the milestone extractor found a dated future event in it;
* ``noise``      – photo captions ("Toàn cảnh tọa đàm.", "Suasana kerja.", "... berfoto
  kenang-kenangan"), speaker captions, thanks and pleasantries, boilerplate, repeated lines;
* ``commitment`` – a party promises, agrees, pushes or plans something (strong cues such as
  "cam kết", "verpflichtet sich", "pledged"; weak cues such as "sẽ", "wird", "will" only when
  a party is the subject);
* ``background`` – history ("since the 1990s", "ditandatangani pada tahun 1993"), past dates,
  agreements, and present-state figures ("Derzeit bestehen fast 100 ...");
* ``other``.

All cue words live in ``briefgen/data/lexicons/<lang>.toml``.

``extract`` turns classified sentences into :class:`Commitment` (who + clause + the sentence),
:class:`BackgroundItem` (with a ranking ``score``) and :class:`Figure` records.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ..model import Article, ArticleAnalysis, BackgroundItem, Commitment, DateMention, Figure, Sentence
from . import people as _people
from .sentences import _trie_source, compile_cues, lexicon, lower_same_length, scanner

_SCAN = (
    ("strong", "commitment", "strong"),
    ("weak", "commitment", "weak"),
    ("hedge", "commitment", "hedges"),
    ("not_cue", "commitment", "not_cues"),  # matched only so that the cue inside them is not
    ("history", "background", "history"),
    ("current", "background", "current"),
    ("agreement", "background", "agreement"),
    ("captions", "noise", "captions"),
    ("cverbs", "noise", "caption_verbs"),
    ("thanks", "noise", "thanks"),
    ("numword", "figures", "number_words"),
    ("numword", "figures", "vague"),
)
_HAS_DIGIT = re.compile(r"\d")
_PERCENT = re.compile(r"\s*%")
_MAX_FIGURE_CANDIDATES = 200
# "1.234.567", "12 000", "3,5", "42": the shared first digit lets the regex engine skip to digits
_DIGITS = re.compile(r"\d(?:\d{0,2}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d*(?:[.,]\d+)?)")
_YEAR_NUMBER = re.compile(r"(1[89]|20)\d\d")
_NON_DIGITS = re.compile(r"\D")


@lru_cache(maxsize=1024)
def _hits(lang: str, text: str) -> dict:
    """All cues of one sentence, by category (one scan; cached across classify and extract).

    Other facts about the text alone ride along under keys that start with "_", computed when first
    asked for: ``_years`` (see ``_years_in``) and ``_signals`` (see ``_text_signals``)."""
    hits = _lex(lang).scanner.scan(text)
    hits["_digit"] = _HAS_DIGIT.search(text) is not None
    return hits


def _years_in(hits: dict, text: str) -> tuple[tuple[int, int, str], ...]:
    """(year, start, matched text) of every ``_YEAR`` in a text, found once per text."""
    years = hits.get("_years")
    if years is None:
        years = tuple((int(m.group(1)), m.start(), m.group(1)) for m in _YEAR.finditer(text)) if hits["_digit"] else ()
        hits["_years"] = years
    return years


CLASSES = ("milestone", "commitment", "background", "noise", "other")

_CLAUSE_BREAK = re.compile(r"[,;:—]\s|[“”\"«»]")
_TOKEN = re.compile(r"[^\W_][\w'’-]*|\S")


# --------------------------------------------------------------------------- per-language tables


class _Lex:
    def __init__(self, lang: str):
        lex = lexicon(lang)
        self.lang = lang
        # the cue scan of _hits, looked up once: scanner()'s cache key holds _SCAN, a nested tuple hashed anew per call
        self.scanner = scanner(lang, _SCAN)
        meta = lex.get("meta", {})
        wb = bool(meta.get("word_boundaries", True))
        self.cased = bool(meta.get("cased", True))
        self.inverted = bool(meta.get("inverted_subject", False))
        self.wb = wb
        self.verb_final = bool(meta.get("verb_final", False))
        self.lower_names = bool(meta.get("lowercase_in_names", False))
        self.connectors = frozenset(lex.get("commitment", {}).get("connectors", []))

        def cue(section: str, key: str, flags: int = re.IGNORECASE):
            return compile_cues(tuple(lex.get(section, {}).get(key, []) or ()), wb, flags)

        self.lead = cue("commitment", "lead_strip")
        # the first letters of the lead phrases: where none stands, no lead phrase can start
        leads = [c for c in lex.get("commitment", {}).get("lead_strip", []) or () if c and c.strip()]
        heads = {c.replace("...", " ").strip().rstrip("$").strip()[:1] for c in leads}
        self.lead_first = (
            re.compile("[" + "".join(sorted(re.escape(h) + re.escape(h.lower()) for h in heads)) + "]", re.IGNORECASE)
            if leads and all(heads) else None
        )
        self.pronoun = cue("commitment", "pronouns")
        self.party = cue("commitment", "party_heads", 0)
        suffixes = [s for s in lex.get("commitment", {}).get("party_suffixes", []) if s]
        # the suffixes as a trie ("-ministerium", "-behörde(n)"): the engine tries them at every letter
        # of every word, and a flat list is ~1.6x slower. When every suffix is all word characters the
        # order they are tried in does not matter: at one position only one of them can end before a
        # non-word character (a shorter one is followed by a letter of the longer)
        alts = (
            _trie_source(sorted(suffixes)) if all(re.fullmatch(r"\w+", s) for s in suffixes)
            else "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
        )
        self.party_suffix = re.compile(r"(?<![\w])[\w-]*(?:" + alts + r")(?![\w])", re.IGNORECASE) if suffixes else None
        self.determiners = frozenset(lex.get("commitment", {}).get("determiners", []))
        self.who_stop = frozenset(w.lower() for w in lex.get("commitment", {}).get("who_stop", []))
        hr = [r for r in lex.get("background", {}).get("history_regex", []) if r]
        self.history_rx = re.compile("|".join(f"(?:{r})" for r in hr)) if hr else None
        self.history_rx_digits = all("\\d" in r for r in hr)  # then only sentences with a digit can match
        noise = lex.get("noise", {})
        self.boiler = cue("noise", "boilerplate", 0)
        self.caption_max = int(noise.get("caption_max_words", 22))
        fig = lex.get("figures", {})
        stops = sorted({s.lower() for s in fig.get("stops", []) if s}, key=len, reverse=True)
        self.fig_stops = stops
        self.fig_stop_rx = re.compile(rf"(?:{_trie_source(sorted(stops))})(?![\w])") if stops else None
        self.fig_stop_first = frozenset(s[0] for s in stops)  # a stop word can only start with one of these
        self.units = sorted({u for u in fig.get("units", []) if u}, key=len, reverse=True)
        self.number_words = {k.lower(): v for k, v in (fig.get("number_words") or {}).items()}
        self.vague = {k.lower(): v for k, v in (fig.get("vague") or {}).items()}
        self.nw_nouns = tuple(sorted((n.lower() for n in fig.get("number_word_nouns", []) if n), key=len, reverse=True))
        self.nw_needs_noun = bool(fig.get("number_word_needs_noun", False))
        approx = sorted({re.sub(r"\s+", " ", a.strip()).lower() for a in fig.get("approx", []) if a})
        # numbers are found first (digits by regex, number words by the cue scanner); the qualifier in
        # front ("fast", "gần", "more than") is checked after
        self.units_rx = re.compile(r"\s*(%|" + "|".join(["%"] + [re.escape(u) for u in self.units]) + r")(?![\w])")
        self.ordinal_dot = bool(meta.get("ordinal_dot", False))
        self.approx_rx = re.compile(rf"(?:{_trie_source(approx, word_start=True)})\s+$") if approx else None


@lru_cache(maxsize=64)
def _lex(lang: str) -> _Lex:
    return _Lex(lang or "")


# --------------------------------------------------------------------------- helpers


def _words(text: str) -> int:
    return len(text.split())


def _dates_in(sent: Sentence, dates: list[DateMention] | dict) -> list[DateMention]:
    if isinstance(dates, dict):  # bucketed by _by_sentence
        found = dates.get(sent.index, [])
        loose = dates.get(None)
        if loose:
            found = found + [d for d in loose if sent.start <= d.start < sent.end]
        return found
    return [d for d in dates if (d.sentence == sent.index) or (d.sentence is None and sent.start <= d.start < sent.end)]


def _by_sentence(dates: list[DateMention]) -> dict:
    out: dict = {}
    for d in dates:
        out.setdefault(d.sentence, []).append(d)
    return out


_YEAR_PREFIX = re.compile(r"(\d{4})")


@lru_cache(maxsize=1024)
def _year(value: str | None) -> int | None:
    if not value:
        return None
    m = _YEAR_PREFIX.match(value)
    return int(m.group(1)) if m else None


def _is_past(d: DateMention, anchor: str | None) -> bool:
    return _past_value(d.value, d.end_value, anchor)


@lru_cache(maxsize=2048)
def _past_value(value: str, end_value: str | None, anchor: str | None) -> bool:
    """``_is_past`` on the fields it reads (cached: the same values and anchors recur)."""
    y = _year(end_value or value)
    if y is None:
        return False
    if anchor:
        a = anchor[: len(value)] if value else anchor
        end = end_value or value
        return end < a[: len(end)] if len(end) <= len(anchor) else _year(end) < _year(anchor)
    return False


# a year not preceded by a digit, ".", "/" or "-"; also "1990er", "1990s", "1973年". The look-behind
# follows the first digit so that the regex engine can skip ahead to a "1" or "2".
_YEAR = re.compile(r"((?:1(?<![\d./-]1)[89]|2(?<![\d./-]2)0)\d\d)(?!\d|/|-\d|\.\d|,\d)")


def _past_years(text: str, sent_dates: list[DateMention], s: Sentence, anchor: str | None, hits: dict) -> int:
    """Years before the anchor year that the date tagger did not already report."""
    years = _years_in(hits, text)  # none without a digit
    if not years:
        return 0
    year = _year(anchor)
    if year is None:
        return 0
    spans = [(d.start - s.start, d.end - s.start) for d in sent_dates]
    return sum(1 for y, start, _y in years if y < year and not _inside_any(start, spans))


_DATELINE = re.compile(r"^[^\n]{0,60}?(?<!\d)(?:19|20)\d\d\s*[–—-]\s+")
_DATELINE_ONLY = re.compile(r"^[^\W\d_][^,\n]{1,40},\s[^\n]{0,40}?(?<!\d)(?:19|20)\d\d\s*\.?$")


@lru_cache(maxsize=512)
def _dateline_end(text: str) -> int:
    """End of a leading dateline ("HANOI, October 14, 2025 — ", "18. November 2025 – ")."""
    if "-" not in text and "–" not in text and "—" not in text:
        return 0  # no dash, no dateline
    m = _DATELINE.match(text)
    return m.end() if m else 0


def _hedged(hits: dict, cue_start: int) -> bool:
    for h in hits.get("hedge", ()):
        if h.start() <= cue_start + 2 and cue_start - h.end() < 60:
            return True
    return False


def _commitment_cue(lx: _Lex, text: str, lang: str = "", hits: dict | None = None) -> tuple[str, re.Match] | None:
    if hits is None:
        hits = _hits(lx.lang, text)
    strong = hits.get("strong")
    weak = hits.get("weak")
    if not strong and not weak:
        return None
    if text.rstrip().endswith(("?", "？")):
        return None
    if not hits.get("hedge"):
        return ("strong", strong[0]) if strong else ("weak", weak[0])
    for m in strong or ():
        if not _hedged(hits, m.start()):
            return "strong", m
    for m in weak or ():
        if not _hedged(hits, m.start()):
            return "weak", m
    return None


def _weak_ok(lx: _Lex, text: str, m: re.Match, lang: str) -> bool:
    return _who_plain(lang, text, m.start(), m.end()) is not None


@lru_cache(maxsize=512)
def _who_plain(lang: str, text: str, start: int, end: int) -> tuple[str, int] | None:
    """``_find_who`` without context (cached: classify and extract ask the same question)."""
    return _find_who(_lex(lang), text, _Span(text, start, end), lang, None)


class _Span:
    __slots__ = ("_t", "_s", "_e")

    def __init__(self, text: str, s: int, e: int):
        self._t, self._s, self._e = text, s, e

    def start(self, *_a) -> int:
        return self._s

    def end(self, *_a) -> int:
        return self._e

    def group(self, *_a) -> str:
        return self._t[self._s : self._e]


def _repeated_or_boilerplate(lx: _Lex, text: str, words: int, seen: set[str]) -> bool:
    """Noise whatever else the sentence says: a repeated line, or boilerplate (``text`` is stripped)."""
    if text in seen and words <= 40:
        return True
    return lx.boiler is not None and words <= 12 and lx.boiler.search(text) is not None


def _is_caption_like(lx: _Lex, s: Sentence, text: str, words: int, alone: bool, hits: dict) -> bool:
    """Captions, thanks, lone short lines and datelines (``text`` is ``s.text`` stripped, ``hits`` its cues)."""
    caps = hits.get("captions")
    if caps and words <= lx.caption_max:
        return True
    if caps and words <= 40:
        # a long caption names everyone in the picture; its cue opens or closes it
        tail = len(s.text.rstrip(" .。"))
        if any(h.start() <= 25 or tail - h.end() <= 25 for h in caps):
            return True
    if alone and words <= lx.caption_max and hits.get("cverbs"):
        m = hits["cverbs"][-1]
        if (len(s.text.rstrip()) - m.end()) < 60 and text.endswith((".", "。")):
            return True
    if words <= 40 and hits.get("thanks"):
        return True
    if alone and words <= 3 and text.endswith((".", "。")) and not _HAS_DIGIT.search(text):
        return True
    if words <= 8 and _DATELINE_ONLY.match(text):
        return True  # a dateline on its own: "Madrid, 9 de septiembre de 2025."
    return False


def _background_signals(lx: _Lex, s: Sentence, sent_dates: list[DateMention], anchor: str | None, hits: dict | None = None) -> dict[str, int]:
    text = s.text
    if hits is None:
        hits = _hits(lx.lang, text)
    history, history_rx, current, agreement = _text_signals(lx, text, hits)
    sig = {
        "history": history,
        "history_rx": history_rx,
        "past": _past_count(s, sent_dates, anchor, hits),
        "current": current,
        "agreement": agreement,
    }
    return sig


def _past_count(s: Sentence, sent_dates: list[DateMention], anchor: str | None, hits: dict) -> int:
    """Dates before the anchor in a sentence, else the years before it that the tagger missed."""
    past = 0
    for d in sent_dates:
        if _past_value(d.value, d.end_value, anchor):
            past += 1
    return past or _past_years(s.text, sent_dates, s, anchor, hits)


def _text_signals(lx: _Lex, text: str, hits: dict) -> tuple[int, int, int, int]:
    """The background signals that depend on the text alone (kept with its hits: classify and extract both ask)."""
    sig = hits.get("_signals")
    if sig is None:
        rx = lx.history_rx
        sig = hits["_signals"] = (
            len(hits.get("history", ())),
            len(rx.findall(text)) if rx is not None and not (lx.history_rx_digits and not hits["_digit"]) else 0,
            1 if hits.get("current") else 0,
            len(hits.get("agreement", ())),
        )
    return sig


# --------------------------------------------------------------------------- classify


def classify(
    sentences: list[Sentence],
    lang: str,
    dates: list[DateMention],
    anchor: str | None,
    milestone_sentences: set[int],
) -> list[str]:
    """One class per sentence: milestone, commitment, background, noise or other."""
    lx = _lex(lang)
    milestone_sentences = milestone_sentences or set()
    per_para: dict[int, int] = {}
    for s in sentences:
        per_para[s.paragraph] = per_para.get(s.paragraph, 0) + 1
    seen: set[str] = set()
    out: list[str] = []
    dates = dates or []
    spans = _date_spans(dates)
    buckets = _by_sentence(dates)
    wb = lx.wb
    for s in sentences:
        text = s.text or ""
        if s.index in milestone_sentences:
            out.append("milestone")
            seen.add(text.strip())
            continue
        stripped = s.text.strip()
        words = _words(stripped) if wb else max(1, len(stripped) // 2)  # no spaces: about two characters a word
        if _repeated_or_boilerplate(lx, stripped, words, seen):
            out.append("noise")  # whatever its cues say
            seen.add(stripped)
            continue
        hits = _hits(lx.lang, text)
        cue = _commitment_cue(lx, text, hits=hits) if len(text) < 4000 else None
        is_commit = bool(cue) and (cue[0] == "strong" or _weak_ok(lx, text, cue[1], lang))
        alone = per_para.get(s.paragraph, 0) == 1
        if not is_commit and _is_caption_like(lx, s, stripped, words, alone, hits):
            out.append("noise")
        elif is_commit:
            out.append("commitment")
        else:
            # the signals of _background_signals, each looked at only when the ones before say nothing
            history, history_rx, current, agreement = _text_signals(lx, text, hits)
            if history or history_rx or _past_count(s, _dates_in(s, buckets), anchor, hits):
                out.append("background")
            else:
                figs = _figs(lx.lang, text, s.start, spans) if hits["_digit"] or hits.get("numword") else []
                # a concrete figure ("fünf ... Konferenzen", "114 pabrik") is background unless the sentence looks ahead
                concrete = [f for f in figs if not f[0].endswith("+")]
                forward = bool(cue) or bool(hits.get("hedge"))
                if (figs and (current or agreement)) or (concrete and not forward):
                    out.append("background")
                else:
                    out.append("other")
        seen.add(stripped)
    return out


# --------------------------------------------------------------------------- who


def _tok_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def _span_until_stop(lx: _Lex, text: str, start: int, limit: int, head_end: int | None = None) -> int:
    """End of a party span starting at ``start``: stops at a who-stop word or punctuation."""
    end = start
    count = 0
    for tm in _TOKEN.finditer(text, start, limit):
        b = tm.end()
        tok = tm.group()
        inside_head = head_end is not None and b <= head_end
        if inside_head:
            end = b
            count += 1
            continue
        if count and (tok.lower() in lx.who_stop or tok in ",;:.()[]\"“”«»"):
            break
        if count and not tok[0].isalnum() and tok not in ("-", "&", "'"):
            break
        if count and not lx.lower_names and tok[0].islower() and tok not in lx.connectors:
            break
        end = b
        count += 1
        if count >= 14:
            break
    return end


def _clean_who(text: str) -> str | None:
    """The party as a heading: trimmed, first letter upper-cased ("das ... Ministerium" -> "Das ...")."""
    text = text.strip(" ,;:–—-\"“”")
    if len(text) < 2 or not (text[0].isalpha() or any(ch.isalpha() for ch in text)):
        return None
    return text[0].upper() + text[1:] if text[0].islower() else text


def _find_who(lx: _Lex, text: str, m: re.Match, lang: str, context: "_PeopleBefore | None") -> tuple[str, int] | None:
    """The party making the commitment and where the clause starts (``-1`` when after the cue)."""
    prefix = text[: m.start()]
    cuts = list(_CLAUSE_BREAK.finditer(prefix))
    cstart = cuts[-1].end() if cuts else 0
    dl = _dateline_end(text)
    if dl and cstart < dl <= m.start():
        cstart = dl  # "18. November 2025 – Deutschland und Vietnam wollen ..."
    lead_end = cstart
    if lx.lead is not None:
        while True:
            if lead_end >= m.start() or (lx.lead_first is not None and not lx.lead_first.match(text, lead_end)):
                break
            lm = lx.lead.match(text, lead_end)
            if not lm or lm.end() > m.start():
                break
            nxt = lm.end()
            while nxt < m.start() and text[nxt] in " ,":
                nxt += 1
            lead_end = nxt
    body = text[lead_end : m.start()]
    # 1. a named person in the clause
    if body.strip() and any(ch.isupper() for ch in body):
        for p in _people.mentions(lang or "", body):
            return p.name, cstart
    # 2. an organisation / country / side in the clause
    best = None
    for rx in (lx.party, lx.party_suffix, _country_rx(lang)):
        if rx is None:
            continue
        pm = rx.search(text, lead_end, m.end())
        if pm and pm.start() <= m.start() and (best is None or pm.start() < best.start()):
            best = pm
    if best is not None:
        start = best.start()
        # take the determiner/adjectives in front of it when the clause starts with them
        if start > lead_end and _starts_np(lx, text[lead_end:start]):
            start = lead_end
        if lx.wb:
            end = _span_until_stop(lx, text, best.start(), max(m.start(), best.end()), best.end())
        else:  # no spaces (zh, ja, ko): the name runs from the clause start to the particle after the head
            start = lead_end
            end = _cjk_end(lx, text, best.end(), m.start())
            if end - start > _CJK_MAX_WHO or any(ch in _CJK_CLAUSE for ch in text[start:end]):
                # not a name but a clause ("双方回顾了…合作，并"): the head alone
                start, end = best.start(), best.end()
        who = _clean_who(text[start:end])
        if who and not _gap_ok(lx, text[end : m.start()]):
            who = None
        if who:
            return who, (cstart if start == lead_end or not _lowercase_start(text[cstart:start]) else start)
    # 3. a pronoun for the last person named before
    stripped = body.strip()
    if stripped and lx.pronoun is not None:
        pm = lx.pronoun.fullmatch(stripped) or lx.pronoun.search(stripped[-20:]) if len(stripped) < 40 else None
        if pm and context is not None:
            last = context.last()
            if last:
                return last, cstart
    # 4. a short capitalised subject ("Guangxi", "Vietnam", "Michael McNair")
    toks = stripped.split()
    if toks and lx.cased:
        lead = []
        for t in toks:
            if t[:1].isupper() and t[:1].isalpha():
                lead.append(t)
            else:
                break
        rest = toks[len(lead) :]
        named = len(lead) >= 2 or (len(lead) == 1 and lead[0].isupper() and len(lead[0]) >= 2)
        if named and len(lead) <= 4 and (not rest or rest[0].lower() in lx.who_stop):
            return " ".join(lead).strip(",;:"), cstart
    # 5. subject after the verb (German, Dutch): "treiben das ... Gesundheitsministerium ... voran"
    if lx.inverted:
        window_end = min(len(text), m.end() + 90)
        first_word_end = m.start() + len(m.group().split()[0]) if m.group().split() else m.end()
        for rx in (lx.party_suffix, lx.party, _country_rx(lang)):
            if rx is None:
                continue
            pm = rx.search(text, first_word_end, window_end)
            if pm:
                start = pm.start()
                toks_before = _tok_spans(text, first_word_end, pm.start())
                for a, _b, tok in toks_before[-6:]:
                    if tok in lx.determiners:
                        start = a
                        break
                who = _clean_who(text[start : pm.end()])
                if who:
                    return who, -1
    # 6. the speaker named before the clause ("Ông Michael McNair khẳng định, nước Anh ... mong muốn"),
    #    when the clause itself names a party that could not be cut out cleanly
    if cstart > 0 and best is not None:
        speakers = _people.mentions(lang or "", text[:cstart])
        if speakers:
            return speakers[-1].name, cstart
    return None


_CJK_MAX_WHO = 16  # characters; longer spans before a cue are clauses, not names
_CJK_CLAUSE = "，、；：,;:"


def _cjk_end(lx: _Lex, text: str, head_end: int, limit: int) -> int:
    end = limit
    for w in lx.who_stop:
        i = text.find(w, head_end, limit)
        if i != -1 and i < end:
            end = i
    return end


def _gap_ok(lx: _Lex, gap: str) -> bool:
    """Between the subject and the cue only auxiliaries/adverbs may stand ("selalu", "derzeit")."""
    words = gap.split()
    if len(words) <= 1 or lx.verb_final:
        return True
    toks = [t.lower().strip(",") for t in words]
    if len(toks) <= 4 and all(t in lx.who_stop for t in toks):
        return True
    return lx.lower_names and toks[0] in lx.who_stop and len(toks) <= 4


def _lowercase_start(s: str) -> bool:
    s = s.strip()
    return bool(s) and s[0].islower()


def _starts_np(lx: _Lex, s: str) -> bool:
    toks = s.split()
    if not toks or len(toks) > 5:
        return False
    if toks[0] in lx.determiners:
        return True
    return all(t[:1].isupper() or t in lx.determiners for t in toks)


@lru_cache(maxsize=64)
def _country_rx(lang: str) -> re.Pattern | None:
    names = set()
    try:
        from babel import Locale

        loc = Locale.parse(lang or "en")
        for code, name in loc.territories.items():
            if code.isalpha() and len(name) >= 3 and " " not in name.strip() or (code.isalpha() and len(name.split()) <= 2):
                names.add(name)
    except Exception:  # noqa: BLE001 - unknown locale
        return None
    if not names:
        return None
    if not _lex(lang).wb:  # no spaces (zh, ja, th): a country name is not bounded by non-letters
        return re.compile("(?:" + _trie_source(sorted(names)) + ")")
    return re.compile(r"(?:" + _trie_source(sorted(names), word_start=True) + r")(?![\w])")


# --------------------------------------------------------------------------- figures


def _figures_in(lx: _Lex, text: str, date_spans: tuple[tuple[int, int], ...]) -> list[tuple[str, str, int]]:
    """(value, text, start offset in sentence) for key figures in one sentence (date spans relative to it)."""
    out = []
    hits = _hits(lx.lang, text)
    spans = [m.span() for m in _DIGITS.finditer(text)] if hits["_digit"] else []
    numwords = hits.get("numword")
    if numwords:
        spans += [(h.start(), h.end()) for h in numwords]
        spans.sort()
    if not spans:
        return out
    if len(spans) > _MAX_FIGURE_CANDIDATES:
        del spans[_MAX_FIGURE_CANDIDATES:]  # a sentence with hundreds of numbers is a table, not prose
    lowtext = None  # lower-cased only when a qualifier or a stop word has to be looked for
    n = len(text)
    for nstart, nend in spans:
        if nstart and (text[nstart - 1].isalnum() or text[nstart - 1] == "_") or (nend < n and text[nend].isalnum()):
            continue
        if date_spans and _inside_any(nstart, date_spans):
            continue
        before = text[nstart - 1] if nstart else ""
        after = text[nend] if nend < n else ""
        if before in "-/:.#№" and before or after in ("-", "/", ":") and after:
            continue
        num = text[nstart:nend]
        if after == "." and lx.ordinal_dot and nend + 1 < n and text[nend + 1] == " " and len(num) <= 3 \
                and num.isdigit():
            continue  # ordinal: "75. Jahrestag"
        low = num.lower()
        is_word = not num[0].isdigit()
        if is_word:
            value = str(lx.number_words.get(low) or lx.vague.get(low) or "")
            if not value:
                continue
            if lx.nw_needs_noun and low in lx.number_words:
                following = text[nend : nend + 40].strip().lower()
                if not any(following.startswith(noun + " ") or following == noun for noun in lx.nw_nouns):
                    continue
        else:
            value = num.replace("\u00a0", "").replace(" ", "")
        approx_start = None
        if lx.approx_rx is not None and nstart and text[nstart - 1].isspace():  # the qualifier ends in a space
            if lowtext is None:
                lowtext = lower_same_length(text)
            am = lx.approx_rx.search(lowtext, max(0, nstart - 25), nstart)
            if am:
                approx_start = am.start()
        if not is_word and approx_start is None:
            # identifiers: "Resolution 57", "Meilenstein 1369", "Nr. 5", "số 72"
            prev = text[max(0, nstart - 40) : nstart].rstrip()
            prev_words = prev.split()
            prev_tok = prev_words[-1] if prev_words else ""
            if prev_tok[:1].isupper() and prev_tok.rstrip(".").isalpha() and not prev.endswith((",", ":", ";")) and lx.cased \
                    and nstart > 0:
                if not (prev_tok.lower() in lx.fig_stops):
                    continue
            if prev_tok.lower().rstrip(".") in ("nr", "no", "số", "nomor", "n°", "núm", "nº"):
                continue
            if _YEAR_NUMBER.fullmatch(num):
                continue  # a year
            digits = _NON_DIGITS.sub("", value)
            if digits and int(digits[:9] or 0) < 3 and not _PERCENT.match(text, nend):
                continue
        # the noun phrase that says what is counted
        um = lx.units_rx.match(text, nend)
        np_end = um.end() if um else nend
        count = 0
        stop_rx = lx.fig_stop_rx
        for tm in _TOKEN.finditer(text, np_end, min(n, np_end + 160)):
            tok = tm.group()
            if tok in ",;:.()[]!?\"“”«»。，；":
                break
            if count and stop_rx is not None:
                ts = tm.start()
                if lowtext is None:
                    lowtext = lower_same_length(text)
                if lowtext[ts] in lx.fig_stop_first and stop_rx.match(lowtext, ts):
                    break
            if tok in ("-", "–"):
                continue
            if not count and tok.isdecimal():
                break  # "năm 2025": a word number before a digit is not a count
            np_end = tm.end()
            count += 1
            if count >= 7:
                break
        if count == 0 and not um:
            continue
        start = approx_start if approx_start is not None else nstart
        ftext = text[start:np_end].strip()
        out.append((value, ftext, start))
    return out


def _inside_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a <= pos < b:
            return True
    return False


def _figs(lang: str, text: str, offset: int, spans: tuple[list[tuple[int, int]], list[int]]) -> tuple:
    """Figures of one sentence; the date spans inside it are part of the (cached) key."""
    ordered, starts = spans
    lo = bisect_left(starts, offset)
    hi = bisect_left(starts, offset + len(text), lo)
    inside = tuple([(a - offset, b - offset) for a, b in ordered[lo:hi]]) if hi > lo else ()
    return _figs_cached(lang, text, inside)


@lru_cache(maxsize=512)
def _figs_cached(lang: str, text: str, inside: tuple[tuple[int, int], ...]) -> tuple:
    return tuple(_figures_in(_lex(lang), text, inside))


def _date_spans(dates: list[DateMention]) -> tuple[list[tuple[int, int]], list[int]]:
    """The date spans sorted by start, with their starts (for ``bisect``)."""
    ordered = sorted([(d.start, d.end) for d in dates or []])
    return ordered, [a for a, _b in ordered]


# --------------------------------------------------------------------------- extract


_TRAILING_AND = re.compile(r"\s+(?:dan|und|và|and|et|y|e|en)\s*$")
_QUOTE = re.compile(r"[“”„«»\"「」]")


def _score(sig: dict[str, int], n_figs: int, n_dates: int, text: str = "") -> float:
    """Importance for ranking and trimming: history, dates, figures and agreements up; long quotes down."""
    words = _words(text)
    return round(
        1.0
        + 1.0 * min(sig["history"] + sig["history_rx"], 2)
        + 0.5 * min(sig["past"], 2)
        + 0.25 * min(n_dates, 2)
        + 1.0 * min(n_figs, 3)
        + 1.0 * min(sig["agreement"], 1)
        + 0.5 * sig["current"]
        - (0.5 if words > 60 else 0.0)
        - (0.75 if _QUOTE.search(text) else 0.0),
        2,
    )


def _trim_clause(text: str) -> str:
    return text.strip().rstrip(" .;:,。").strip()


def extract(
    article: Article,
    sentences: list[Sentence],
    classes: list[str],
    lang: str,
    dates: list[DateMention],
) -> tuple[list[Commitment], list[BackgroundItem], list[Figure]]:
    lx = _lex(lang)
    art_id = getattr(article, "id", "") or ""
    dates = dates or []
    spans = _date_spans(dates)
    buckets = _by_sentence(dates)
    commitments: list[Commitment] = []
    background: list[BackgroundItem] = []
    figures: list[Figure] = []
    anchor = _anchor_guess(article, dates, sentences, lx.lang)
    seen_figs: set[str] = set()
    for s, cls in zip(sentences, classes):
        text = s.text
        if not text or cls == "noise":
            continue
        sdates = _dates_in(s, buckets)
        h = _hits(lx.lang, text)
        figs = list(_figs(lx.lang, text, s.start, spans)) if h["_digit"] or h.get("numword") else []
        for value, ftext, _ in figs:
            if ftext not in seen_figs:
                seen_figs.add(ftext)
                figures.append(Figure(value=value, text=ftext, evidence=text, article_id=art_id, sentence=s.index))
        clause_start = None
        if cls in ("commitment", "milestone"):
            cue = _commitment_cue(lx, text, hits=h)
            if cue and (cls == "commitment" or cue[0] == "strong"):  # a milestone counts only a strong cue
                kind, m = cue
                who = _who_plain(lx.lang, text, m.start(), m.end())
                if who is None and lx.pronoun is not None and lx.pronoun.search(text, 0, m.start()):
                    who = _find_who(lx, text, m, lang, _PeopleBefore(sentences, s.index, lang or ""))
                if who or kind == "strong":
                    name, cstart = who if who else (None, -1)
                    if cstart < 0:
                        cuts = list(_CLAUSE_BREAK.finditer(text, 0, m.start()))
                        cstart = max(cuts[-1].end() if cuts else 0, _dateline_end(text) if _dateline_end(text) <= m.start() else 0)
                        if cstart and not who:
                            cstart = m.start() if m.start() - cstart > 80 else cstart
                        elif who:
                            cstart = m.start() if cstart < m.start() and _words(text[cstart : m.start()]) > 12 else cstart
                    clause = _trim_clause(text[cstart:])
                    commitments.append(Commitment(text=clause, evidence=text, who=name, article_id=art_id, sentence=s.index))
                    clause_start = cstart
        if cls in ("background", "commitment"):  # an "other" sentence never becomes a background item
            btext = text
            if cls == "commitment" and clause_start:
                # the background of a commitment is the text before its clause
                btext = _trim_clause(_TRAILING_AND.sub("", text[:clause_start].rstrip(" ,;")))
                if _words(btext) < 5 or _dateline_end(text) >= len(btext):
                    continue  # too short, or only the dateline
            sig = _background_signals(lx, s, sdates, anchor, h)
            has_hist = sig["history"] or sig["history_rx"] or sig["past"]
            if cls == "commitment" and not clause_start and not has_hist:
                continue  # the clause is the whole sentence and nothing in it is history
            bfigs = [f for f in figs if f[2] < len(btext)] if cls == "commitment" else figs
            if cls == "background" or bfigs or (cls == "commitment" and has_hist):
                if cls == "commitment" and has_hist and not bfigs:
                    btext = text  # the history sits in the same sentence as the commitment
                background.append(
                    BackgroundItem(
                        text=btext,
                        evidence=text,
                        article_id=art_id,
                        sentence=s.index,
                        dates=[d.value for d in sdates],
                        figures=[f[1] for f in bfigs],
                        score=_score(sig, len(bfigs), len(sdates), btext),
                    )
                )
    background.sort(key=lambda b: (-b.score, b.sentence))
    return commitments, background, figures


class _PeopleBefore:
    """The last person named before a sentence, looked up only when a pronoun needs it."""

    def __init__(self, sentences: list[Sentence], index: int, lang: str):
        self.sentences = sentences
        self.index = index
        self.lang = lang

    def last(self) -> str | None:
        for s in reversed(self.sentences[max(0, self.index - 8) : self.index]):
            found = _people.mentions(self.lang, s.text)
            if found:
                return found[-1].name
        return None


def _anchor_guess(article: Article, dates: list[DateMention], sentences: list[Sentence], lang: str) -> str | None:
    """The article's own date: its metadata, else the first day it names (the dateline), else the
    first year of its lead, else the year it names most often."""
    published = getattr(article, "published", None)
    if published:
        return published[:10]
    days = sorted((d.start, d.value) for d in dates if d.precision == "day" and not d.relative)
    if days:
        return days[0][1]
    for s in sentences[:3]:
        years = _years_in(_hits(lang, s.text), s.text)
        if years:
            return years[0][2]
    counts: dict[str, int] = {}
    for s in sentences[:400]:
        for _y, _start, y in _years_in(_hits(lang, s.text), s.text):
            counts[y] = counts.get(y, 0) + 1
    return max(sorted(counts), key=lambda y: counts[y]) if counts else None


# --------------------------------------------------------------------------- repeats


def _norm_statement(t: str) -> str:
    return " ".join(t.split()).casefold()


def repeats(a: ArticleAnalysis) -> list[bool]:
    """For each background statement of an analysis: is it part of (or does it contain) one of
    the article's commitments or milestones? A brief does not show it again as background.

    Searched the other way round, each shown text once over all the statements joined (a NUL
    never occurs inside one), instead of statement by statement. ``analyze_article`` keeps the
    answer in ``background_repeats``: it depends on this article alone, and computed here it
    runs in the analysis workers instead of the single process that builds the briefs (~1.5 s
    there for 10,000 articles)."""
    if not a.background:
        return []
    shown = [_norm_statement(c.text) for c in a.commitments] + [_norm_statement(m.text) for m in a.milestones]
    if not shown:
        return [False] * len(a.background)
    joined_shown = "\x00".join(shown)
    texts = [_norm_statement(b.text) for b in a.background]
    flags = [t in joined_shown for t in texts]
    joined = "\x00".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    for o in shown:
        i = joined.find(o)
        while i != -1:
            flags[bisect_right(starts, i) - 1] = True
            i = joined.find(o, i + 1)
    return flags
