"""Sentence splitting for scraped news text, driven by per-language lexicon files.

``split(text, lang)`` returns :class:`~briefgen.model.Sentence` records with character offsets
into ``text`` and a paragraph index. Rules:

* a line break is a hard boundary (scraped text has one paragraph per line; a title-like line
  without a full stop is its own sentence);
* ``!``, ``?`` and the CJK marks ``。！？`` end a sentence;
* a full stop ends a sentence unless it follows an abbreviation from the lexicon ("Dr.", "TS.",
  "Nr.", "z.B.", "usw."), an initial ("J. Smith"), an ordinal in languages that write them with a
  dot ("5. Mai", "75. Jahrestag"), or is followed by a lower-case word;
* dots inside tokens ("3.5", "1.000", "31.10.2025", "72-NQ/TW") are never candidates;
* an ellipsis ends a sentence only when a capitalised word follows.

The module also owns the loader of the language lexicons (``briefgen/data/lexicons/<lang>.toml``
merged over ``_fallback.toml``) and the cue compiler shared by ``classify`` and ``people``:
adding a language means adding a TOML file, not code.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import Sentence

# --------------------------------------------------------------------------- lexicons

_LEXICON_PACKAGE = "briefgen.data"


def _read_toml(name: str) -> dict[str, Any] | None:
    try:
        res = resources.files(_LEXICON_PACKAGE).joinpath("lexicons", name)
        if not res.is_file():
            return None
        return tomllib.loads(res.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, ModuleNotFoundError):
        return None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, val in over.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], val)
        elif isinstance(val, list) and isinstance(out.get(key), list):
            seen = set()
            merged = []
            for item in list(val) + list(out[key]):  # language entries first
                marker = repr(item)
                if marker not in seen:
                    seen.add(marker)
                    merged.append(item)
            out[key] = merged
        else:
            out[key] = val
    return out


def _norm_lang(lang: str | None) -> str:
    lang = (lang or "").strip().lower().replace("_", "-")
    base = lang.split("-")[0]
    return {"ms": "id", "zh-hant": "zh", "iw": "he", "in": "id"}.get(lang, base)


@lru_cache(maxsize=64)
def lexicon(lang: str | None) -> dict[str, Any]:
    """The merged lexicon of one language (its file over ``_fallback.toml``)."""
    base = _read_toml("_fallback.toml") or {}
    code = _norm_lang(lang)
    own = _read_toml(f"{code}.toml") if code and re.fullmatch(r"[a-z]{2,3}", code) else None
    return _merge(base, own) if own else base


@lru_cache(maxsize=1)
def all_languages() -> tuple[str, ...]:
    """Language codes that have their own lexicon file."""
    try:
        folder = resources.files(_LEXICON_PACKAGE).joinpath("lexicons")
        names = [p.name for p in folder.iterdir() if p.name.endswith(".toml") and not p.name.startswith("_")]
    except (OSError, ModuleNotFoundError):
        return ()
    return tuple(sorted(n[:-5] for n in names))


def _cue_source(cue: str, word_boundaries: bool, joiners: tuple[str, ...] = ()) -> str:
    clause_end = cue.rstrip().endswith("$")
    if clause_end:
        cue = cue.rstrip()[:-1]
    parts = [p.strip() for p in cue.split("...")]
    pieces = []
    for part in parts:
        if not part:
            continue
        esc = re.escape(part).replace(r"\ ", r"\s+")
        if word_boundaries:
            if part[0].isalnum() or part[0] == "_":
                esc = r"(?<![\w])" + esc
            if part[-1].isalnum() or part[-1] == "_":
                esc = esc + r"(?![\w])"
        pieces.append(esc)
    gap = r"[^\n.!?;]{0,300}?" if clause_end else r"[^\n.!?;]{0,160}?"
    src = gap.join(pieces)
    if clause_end:  # a separable particle closes its clause: "sicherte ... zu." / "stellt ... bereit und"
        join = "".join("|" + re.escape(j) + r"(?![\w])" for j in joiners)
        src += r"(?=\s*(?:[.,;:!?)]|$" + join + "))"
    return src


#: after a phrase's first character: the character before it is no word character. The
#: same as a leading ``(?<![\w])``, but a pattern that opens with literal characters lets the
#: regex engine skip to them (a leading lookbehind is tried at every position of the text).
_AFTER_WORD_START = r"(?<![\w].)"


def _trie_source(phrases: list[str], word_start: bool = False) -> str:
    """A regex alternation shaped as a trie: much faster than a flat list of phrases.
    ``word_start``: each phrase must start a word (checked after the first character with
    ``_AFTER_WORD_START``; with a leading look-behind when a phrase is empty or starts with a space)."""
    trie: dict = {}
    for ph in phrases:
        node = trie
        for ch in ph:
            node = node.setdefault(ch, {})
        node[""] = {}
    if word_start and (" " in trie or "\n" in trie or "" in trie):
        return r"(?<![\w])(?:" + _trie_source(phrases) + ")"  # no first character to check after

    def emit(node: dict, guard: str = "") -> str:
        alts = []
        optional = "" in node
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + guard + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if optional:
            return "(?:" + body + ")?" if len(alts) > 1 or len(alts[0]) > 1 else body + "?"
        return body

    return emit(trie, _AFTER_WORD_START if word_start else "")


class CuePattern:
    """Matches any cue of a list, with the ``re.Pattern`` methods the analysis uses.

    Literal cues form one trie-shaped regex; cues with gaps ("sicherte ... zu$") are tried only
    when one of their first words occurs, which keeps a sentence scan to a few microseconds."""

    __slots__ = ("_literal", "_first", "_gapped")

    def __init__(self, literal: re.Pattern | None, first: re.Pattern | None, gapped: tuple[re.Pattern, ...]):
        self._literal = literal
        self._first = first
        self._gapped = gapped

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else endpos
        lit = list(self._literal.finditer(text, pos, end)) if self._literal is not None else []
        if self._gapped and self._first.search(text, pos, end):
            found = lit
            for rx in self._gapped:
                found.extend(rx.finditer(text, pos, end))
            found.sort(key=lambda m: (m.start(), -m.end()))
            out, last = [], -1
            for m in found:
                if m.start() >= last:
                    out.append(m)
                    last = m.end()
            return iter(out)
        return iter(lit)

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        if not self._gapped:
            return self._literal.search(text, pos, len(text) if endpos is None else endpos)
        return next(self.finditer(text, pos, endpos), None)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[str]:
        return [m.group() for m in self.finditer(text, pos, endpos)]

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        m = self.search(text, pos, endpos)
        return m if m is not None and m.start() == pos else None

    def fullmatch(self, text: str):
        m = self.match(text)
        return m if m is not None and m.end() == len(text) else None


def _bounded_and_free(literal: list[str], word_boundaries: bool) -> tuple[list[str], list[str]]:
    """Literal cue phrases split into those matched as whole words (they start and end with a
    letter, in a language with word boundaries) and the others (punctuation at an edge)."""
    if not word_boundaries:
        return [], list(literal)
    clean = [p for p in literal if p[0].isalnum() and p[-1].isalnum()]
    return clean, [p for p in literal if not (p[0].isalnum() and p[-1].isalnum())]


def _literal_alternatives(literal: list[str], word_boundaries: bool) -> list[str]:
    """Regex alternatives for literal cue phrases, one trie each (see ``_bounded_and_free``)."""
    bounded, free = _bounded_and_free(literal, word_boundaries)
    return _alternatives(_trie_source(bounded) if bounded else "", free)


def _alternatives(bounded_trie: str, free: list[str]) -> list[str]:
    """The bounded phrases' trie between word boundaries, then the free phrases' trie (each
    left out when empty)."""
    parts = []
    if bounded_trie:
        parts.append(rf"(?<![\w])(?:{bounded_trie})(?![\w])")
    if free:
        parts.append(f"(?:{_trie_source(free)})")
    return parts


@lru_cache(maxsize=512)
def compile_cues(cues: tuple[str, ...], word_boundaries: bool = True, flags: int = re.IGNORECASE) -> CuePattern | None:
    """A matcher for any cue of the list. ``" ... "`` in a cue is a gap, a final ``$`` closes the clause."""
    cues = tuple(c for c in cues if c and c.strip())
    if not cues:
        return None
    literal = sorted({re.sub(r"\s+", " ", c.strip()) for c in cues if "..." not in c and not c.rstrip().endswith("$")})
    gapped = sorted({c for c in cues if "..." in c or c.rstrip().endswith("$")}, key=len, reverse=True)
    if flags & re.IGNORECASE:
        literal = sorted({p.lower() for p in literal})
    parts = _literal_alternatives(literal, word_boundaries)
    lit_rx = re.compile("|".join(parts), flags) if parts else None
    gap_rx = tuple(re.compile(_cue_source(c, word_boundaries), flags) for c in gapped)
    firsts = sorted({c.split("...")[0].strip().rstrip("$").strip().lower() for c in gapped})
    first_rx = re.compile(_trie_source(firsts), flags) if firsts else None
    return CuePattern(lit_rx, first_rx, gap_rx)


def cues(lang: str, section: str, key: str) -> CuePattern | None:
    """The matcher for one cue list of a language's lexicon."""
    lex = lexicon(lang)
    wb = bool(lex.get("meta", {}).get("word_boundaries", True))
    return compile_cues(tuple(lex.get(section, {}).get(key, []) or ()), wb)


# --------------------------------------------------------------------------- splitting

_LINE = re.compile(r"[^\n\r]+")
# a run of end marks ("...", "?!", "。", "…") and the closing quotes or brackets after it. The
# pattern opens with the class of every mark so that the regex engine skips to the marks (a
# leading alternation would be tried at every character); the lookbehind then picks the run:
# full stops, ! and ? together, ellipsis characters, or CJK marks
_CAND = re.compile(r"[.!?…。！？](?:(?<=[.!?])[.!?]*|(?<=…)…*|(?<=[。！？])[。！？]*)[\"”“’‘»«›‹)\]』」）]*")
_CJK_END = frozenset("。！？")
_NEXT_WORD = re.compile(r"\s*[\"“‘«(\[]*(\S)")
_DOTTED = re.compile(r"(?:\w{1,4}\.)+\w{1,4}")


@lru_cache(maxsize=64)
def _split_rules(lang: str) -> tuple[frozenset[str], frozenset[str], bool, bool]:
    lex = lexicon(lang)
    sent = lex.get("sentences", {})
    abbr = frozenset(a.lower().rstrip(".") for a in sent.get("abbreviations", []) if a)
    term = frozenset(a.lower().rstrip(".") for a in sent.get("terminal_abbreviations", []) if a)
    meta = lex.get("meta", {})
    return abbr, term, bool(meta.get("ordinal_dot", False)), bool(meta.get("cased", True))


def _is_boundary(line: str, m: re.Match, rules, other_spaces: bool = True) -> bool:
    """Whether the end mark ``m`` ends a sentence (``other_spaces``: the line has a tab or a
    no-break space, which also end the token before a full stop)."""
    abbr, term, ordinal_dot, cased = rules
    chars = m.group()
    end = m.end()
    if not _CJK_END.isdisjoint(chars):
        return True
    if end >= len(line):
        return True  # the line ends anyway
    if not line[end].isspace():
        return False  # "3.5", "a.m.", "72-NQ/TW."x: no space after the mark
    if "!" in chars or "?" in chars:
        return True
    nxt = _NEXT_WORD.match(line, end)
    nch = nxt.group(1) if nxt else ""
    lower_next = bool(nch) and nch.isalpha() and nch.islower()
    if chars[0] == "…" or chars.startswith(".."):
        return not lower_next if cased else True
    # a single full stop
    ms = m.start()
    lo = max(0, ms - 64)  # a token is short: never search back through a whole long line
    sp = line.rfind(" ", lo, ms)
    if other_spaces:
        sp = max(sp, line.rfind("\t", lo, ms), line.rfind("\u00a0", lo, ms))
    if sp < 0 and lo > 0:
        sp = lo - 1
    tok = line[sp + 1 : ms]
    tok = tok.lstrip("\"“‘«([")
    low = tok.lower()
    if low in term or (low and low.rpartition("-")[2] in term):
        return bool(nch) and (nch.isupper() or not cased)
    if low in abbr or (low and "." in low and low.rsplit(".", 1)[-1] in abbr and len(low) < 12):
        return False
    if len(tok) == 1 and tok.isalpha() and tok.isupper():
        return False  # initial: "J. Smith"
    if tok and "." in tok and len(tok) <= 8 and _DOTTED.fullmatch(tok):
        return False  # "z.B", "U.S", "PGS.TS"
    if tok.isdigit() and len(tok) <= 3 and ordinal_dot:
        return False  # "5. Mai", "75. Jahrestag"
    if cased and lower_next:
        return False
    return True


def split(text: str, lang: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets into ``text`` and a paragraph index."""
    if not text:
        return []
    lang = _norm_lang(lang)
    out: list[Sentence] = []
    para = -1
    for lm in _LINE.finditer(text):
        line = lm.group()
        if line.isspace():
            continue
        para += 1
        base = lm.start()
        for s, e in _line_spans(line, lang):
            out.append(Sentence(len(out), line[s:e], base + s, base + e, para))
    return out


_HAS_MARK = re.compile(r"[.!?…。！？]")
_ALNUM = re.compile(r"[^\W_]")


@lru_cache(maxsize=16384)
def _line_spans(line: str, lang: str) -> tuple[tuple[int, int], ...]:
    """The sentences of one line (a paragraph) as (start, end) offsets into the line. Cached:
    scraped pages repeat lines (bylines, "read also", boilerplate)."""
    spans: list[tuple[int, int]] = []
    if not _HAS_MARK.search(line):  # a line without any end mark is one sentence (titles, list items)
        _emit(spans, line, 0, len(line))
        return tuple(spans)
    rules = _split_rules(lang)
    other_spaces = "\t" in line or "\u00a0" in line
    start = 0
    for m in _CAND.finditer(line):
        if m.end() <= start:
            continue
        if _is_boundary(line, m, rules, other_spaces):
            _emit(spans, line, start, m.end())
            start = m.end()
    if start < len(line):
        _emit(spans, line, start, len(line))
    return tuple(spans)


def _emit(spans: list[tuple[int, int]], line: str, s: int, e: int) -> None:
    seg = line[s:e]
    stripped = seg.strip()
    if not stripped:
        return
    if len(stripped) != len(seg):
        s += len(seg) - len(seg.lstrip())
        e = s + len(stripped)
    if not _ALNUM.search(stripped):
        if spans:  # stray punctuation: glue to the previous sentence of the paragraph
            spans[-1] = (spans[-1][0], e)
        return
    spans.append((s, e))


# --------------------------------------------------------------------------- one-pass cue scanner


@lru_cache(maxsize=1)
def _word_ranges() -> tuple[tuple[int, int], ...]:
    r"""The word characters (``\w``) below U+2000 (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic,
    Thai, Vietnamese...) as found by the regex engine itself, in runs (first, last code point)."""
    ranges: list[list[int]] = []
    for ch in re.findall(r"\w", "".join(map(chr, range(0x2000)))):
        c = ord(ch)
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return tuple((a, b) for a, b in ranges)


@lru_cache(maxsize=64)
def _not_word_class(keep: str = "") -> str:
    r"""A character class of every character that is not a word character below U+2000, with the
    characters of ``keep`` added: a superset of ``[^\w]`` | ``[keep]`` (everything from U+2000 up
    is in it) that the regex engine tests with a bitmap, much faster than ``\W`` (a Unicode
    property lookup per character)."""
    out = []
    for a, b in _word_ranges():
        for k in sorted(ord(c) for c in keep if a <= ord(c) <= b):  # cut kept characters out of the run
            if a < k:
                out.append((a, k - 1))
            a = k + 1
        if a <= b:
            out.append((a, b))
    return "[^" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in out) + "]"


_IS_WORD = re.compile(r"\w")


_SPAN = re.Match.span


class _CueSpans:
    r"""``[m.span() for m in re.finditer(P, low)]`` for the cue pattern
    ``P = (?<![\w])(?:<bounded>)(?![\w])|(?:<free>)``: phrases that must stand as words, then
    phrases matched anywhere (both tries; either list may be empty). Same spans, found faster.

    ``P`` itself cannot be skipped ahead by the regex engine (a lookbehind, or almost any letter,
    can start a match), so it is tried at every character of the text. Instead, ``_exact``
    starts a match at the *character before* a bounded phrase, which must be a non-word
    character, or at the first character of a free phrase::

        [<non-word characters and the free phrases' first characters>]
        (?:(?<=c1)<rest of the free phrases after c1>|... |(?<![\w])(<bounded>)(?![\w]))

    Its first character class is a bitmap: the engine skips to spaces and punctuation and tries
    the rest there only. It runs over ``" " + low`` (the space stands for the start of the text,
    where a bounded phrase may start; no phrase starts with a space), so every span is one off.

    Its matches are ``P``'s, with the same spans: from any ``pos``, the first match at ``q``
    finds a free phrase at ``q`` before a bounded phrase at ``q + 1``, in ``P``'s order; a free
    phrase found at ``q`` means that no bounded phrase starts at ``q`` (the match would have
    started at ``q - 1``); the branches are ``P``'s own. But it cannot see a bounded phrase at
    ``pos`` itself, where a match ended (the non-word character before it lies inside that
    match): after a match that may end with a non-word character (every free phrase; a bounded
    one only if some end that way), ``_anchored`` (``P``'s bounded branch) is tried there.

    Free phrases are rare ("photo:", "(foto"). Unless a piece of one occurs in the text
    (``_free_pieces``), ``_fast`` does the work: the bounded branch alone, after a class with no
    letters to stop at (``_not_word_class()``), and without the lookbehind, which that class
    makes true below U+2000. A match after a character from U+2000 up is checked here; after a
    word character, ``P`` has no match there, and ``_exact`` takes over from the next one (the
    fast pattern accepts whatever the exact one does, so it skipped no match before).

    ``_exact`` and ``_anchored`` are compiled when first needed (a trie takes milliseconds)."""

    __slots__ = ("source", "plain", "bounded_trie", "_fast", "_exact", "_exact_source", "_anchored",
                 "_anchored_source", "_free_pieces", "_check_after_bounded")

    def __init__(self, bounded: list[str], free: list[str]):
        #: the bounded phrases' trie (a regex source), "" if there are none
        self.bounded_trie = trie = _trie_source(bounded) if bounded else ""
        parts = _alternatives(trie, free)
        #: the plain pattern, ``P``
        self.source = "|".join(parts)
        #: ``P.finditer`` when nothing is bounded (``P`` then opens with literals: fast as it is), else None
        self.plain = self._fast = self._exact = self._anchored = None
        self._exact_source = self._anchored_source = ""
        self._free_pieces: tuple[str, ...] = ()
        self._check_after_bounded = False
        if not bounded:
            self.plain = re.compile(self.source).finditer
            return
        self._anchored_source = parts[0]
        self._fast = re.compile(rf"{_not_word_class()}({trie})(?![\w])").finditer
        by_first: dict[str, list[str]] = {}
        for ph in free:
            by_first.setdefault(ph[0], []).append(ph[1:])
        # a free phrase never starts with a space (phrases are stripped): its first character is a literal
        alts = [rf"(?<={re.escape(c)}){_trie_source(rests)}" for c, rests in sorted(by_first.items())]
        alts.append(rf"(?<![\w])({trie})(?![\w])")
        self._exact_source = _not_word_class("".join(by_first)) + "(?:" + "|".join(alts) + ")"
        # the longest run without spaces of each free phrase occurs as such where it matches
        # (only its spaces match any white space); a run that holds another is left out
        runs = sorted({max(ph.split(" "), key=len) for ph in free}, key=len)
        self._free_pieces = tuple(r for i, r in enumerate(runs) if not any(o in r for o in runs[:i]))
        # a bounded phrase is followed by a non-word character; one that ends with a word character
        # cannot be followed by another bounded phrase at once
        self._check_after_bounded = any(not _IS_WORD.match(ph[-1]) for ph in bounded)

    def free_may_occur(self, low: str) -> bool:
        """False if no free phrase occurs in ``low`` (``P`` then finds the bounded ones only)."""
        for piece in self._free_pieces:
            if piece in low:
                return True
        return False

    def _exact_scan(self):
        if self._exact is None:
            self._exact = re.compile(self._exact_source).finditer
        return self._exact

    def _anchored_match(self, text: str, pos: int):
        if self._anchored is None:
            self._anchored = re.compile(self._anchored_source).match
        return self._anchored(text, pos)

    def spans(self, low: str):
        """The (start, end) of every match, in order (an iterable)."""
        if self.plain is not None:
            return map(_SPAN, self.plain(low))
        scan = fast = self._fast
        for piece in self._free_pieces:  # free_may_occur, inline
            if piece in low:
                scan = self._exact_scan()
                break
        out: list[tuple[int, int]] = []
        padded = " " + low
        check_after_bounded = self._check_after_bounded
        pos = 0
        while True:
            a = None
            for m in scan(padded, pos):
                q, e = m.span()
                if m.lastindex:  # a bounded phrase after the character at q
                    if padded[q] >= "\u2000" and scan is fast and _IS_WORD.match(padded, q):
                        scan, pos = self._exact_scan(), q + 1  # a word character: no match here
                        break
                    out.append((q, e - 1))
                    if not check_after_bounded:
                        continue
                else:
                    out.append((q - 1, e - 1))
                a = self._anchored_match(padded, e)
                if a is not None:
                    break  # a bounded phrase right at e: go on after it
            else:
                return out
            while a is not None:
                pos = a.end()
                out.append((e - 1, pos - 1))
                e = pos
                a = self._anchored_match(padded, pos) if check_after_bounded else None


class _WordStartScan:
    r"""The spans of the bounded phrases of two cue patterns (``_CueSpans``: the literal cues and
    the first words of cues with gaps), in one pass: what their ``spans`` give while no free
    phrase occurs in the text.

    A bounded phrase starts after a non-word character (over ``" " + low``, where the space
    stands for the start of the text). The pattern stops at each character of
    ``_not_word_class()``, a bitmap the regex engine skips to (spaces, punctuation), and looks
    ahead for a phrase of either list right after it, consuming that one character only::

        [<non-word>](?:(?=(<trie 1>)(?![\w]))(?=(<trie 2>)(?![\w]))?|(?=(<trie 2>)(?![\w])))

    So it finds every place where a list's phrase starts, each with the span its own pattern
    would match there, and ``spans`` keeps, list by list, those that start at or after the end
    of the last one kept: the pattern's ``finditer``. The class holds word characters from
    U+2000 up (CJK letters...), so a place after a word character there is left out (the
    lookbehind ``(?<![\w])`` of the bounded branch, tested only where a phrase follows).

    One pass instead of two for a language with both lists (German, Dutch). With one list,
    ``_CueSpans``' own pattern, which consumes the phrase it finds, is a little quicker."""

    __slots__ = ("_finditer",)

    def __init__(self, trie1: str, trie2: str):
        assert trie1 and trie2, "two lists of bounded phrases"
        ahead1, ahead2 = (rf"(?=({t})(?![\w]))" for t in (trie1, trie2))
        # groups: 1 the first list, 2 the second after the first, 3 the second alone
        self._finditer = re.compile(f"{_not_word_class()}(?:{ahead1}{ahead2}?|{ahead2})").finditer

    def spans(self, low: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The spans of the first list's phrases and of the second one's."""
        padded = " " + low
        first: list[tuple[int, int]] = []
        second: list[tuple[int, int]] = []
        end1 = end2 = 0
        for m in self._finditer(padded):
            q = m.start()
            if padded[q] >= "\u2000" and _IS_WORD.match(padded, q):
                continue
            s, e = m.span(1)
            if s >= end1:  # -1 when the group did not match
                first.append((q, e - 1))
                end1 = e
            s, e = m.span(2)
            if s == -1:
                s, e = m.span(3)
            if s >= end2:
                second.append((q, e - 1))
                end2 = e
        return first, second


class Hit:
    """A cue found in a text (``re.Match``-like: ``start()``, ``end()``, ``group()``)."""

    __slots__ = ("_s", "_e", "_g")

    def __init__(self, s: int, e: int, g: str):
        self._s, self._e, self._g = s, e, g

    def start(self, *_a) -> int:
        return self._s

    def end(self, *_a) -> int:
        return self._e

    def group(self, *_a) -> str:
        return self._g

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Hit({self._s}, {self._e}, {self._g!r})"


def lower_same_length(text: str) -> str:
    """``text.lower()`` with the same length (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_WS = re.compile(r"\s+")


class CueScanner:
    """All cue lists of a language in one trie-shaped regex: one scan per sentence.

    ``scan(text)`` returns ``{category: [Hit, ...]}``. Matching is case-insensitive (on a
    lower-cased copy with the same offsets). A cue that is a word-prefix of a longer cue of
    another category ("hiện" / "hiện có") is reported for both."""

    def __init__(self, sets: dict[str, tuple[str, ...]], word_boundaries: bool = True, joiners: tuple[str, ...] = ()):
        cats: dict[str, set[str]] = {}
        gapped: list[tuple[str, str]] = []
        for cat, cues in sets.items():
            for c in cues:
                if not c or not c.strip():
                    continue
                if "..." in c or c.rstrip().endswith("$"):
                    gapped.append((cat, c))
                else:
                    cats.setdefault(_WS.sub(" ", c.strip()).lower(), set()).add(cat)
        # word-prefix phrases of other categories ride along with the longer phrase
        self._extra: dict[str, list[tuple[str, int]]] = {}
        for ph in cats:
            words = ph.split(" ")
            for k in range(1, len(words)):
                pre = " ".join(words[:k])
                for cat in cats.get(pre, ()):
                    if cat not in cats[ph]:
                        self._extra.setdefault(ph, []).append((cat, k))
        self._cats = {k: tuple(sorted(v)) for k, v in cats.items()}
        literal = sorted(cats)
        self._lit = _CueSpans(*_bounded_and_free(literal, word_boundaries)) if literal else None
        # cues with gaps are tried only where their first word stands (anchored match)
        by_first: dict[str, list[tuple[str, re.Pattern]]] = {}
        for cat, c in gapped:
            first = _WS.sub(" ", c.split("...")[0].strip().rstrip("$").strip().lower())
            by_first.setdefault(first, []).append((cat, re.compile(_cue_source(c.lower(), word_boundaries, joiners))))
        self._gapped = by_first
        firsts = sorted(by_first)
        self._first = (_CueSpans(firsts, []) if word_boundaries else _CueSpans([], firsts)) if firsts else None
        # both lists' bounded phrases in one pass, when both have some
        self._words = None
        if self._lit is not None and self._lit.bounded_trie and self._first is not None and self._first.bounded_trie:
            self._words = _WordStartScan(self._lit.bounded_trie, self._first.bounded_trie)

    def scan(self, text: str) -> dict[str, list[Hit]]:
        out: dict[str, list[Hit]] = {}
        if not text:
            return out
        low = text.lower()
        if len(low) != len(text):
            low = lower_same_length(text)
        lit, first = self._lit, self._first
        if self._words is not None and not lit.free_may_occur(low):
            lit_spans, first_spans = self._words.spans(low)
        else:
            # a plain pattern's matches go straight from finditer (no call of spans per text)
            lit_spans = () if lit is None else map(_SPAN, lit.plain(low)) if lit.plain is not None else lit.spans(low)
            first_spans = () if first is None else first.spans(low)
        if lit_spans:
            for s, e in lit_spans:
                key = low[s:e]
                cats = self._cats.get(key)
                # a phrase with other white space than single spaces; the keys have single spaces
                # only, so a key found as it is would stay the same
                if cats is None and (" " in key or "\t" in key or "\n" in key or "\xa0" in key):
                    key = _WS.sub(" ", key)
                    cats = self._cats.get(key)
                for cat in cats or ():
                    out.setdefault(cat, []).append(Hit(s, e, text[s:e]))
                for cat, k in self._extra.get(key, ()):
                    pe = s
                    for _ in range(k):
                        sp = low.find(" ", pe + 1, e)
                        pe = sp if sp != -1 else e
                    out.setdefault(cat, []).append(Hit(s, pe, text[s:pe]))
        if first_spans:
            added = False
            for fs, fe in first_spans:
                key = _WS.sub(" ", low[fs:fe])
                for cat, rx in self._gapped.get(key, ()):
                    m = rx.match(low, fs)
                    if m:
                        out.setdefault(cat, []).append(Hit(m.start(), m.end(), text[m.start() : m.end()]))
                        added = True
            if added:
                for hits in out.values():
                    hits.sort(key=lambda h: h._s)
        return out


@lru_cache(maxsize=256)
def scanner(lang: str, section_keys: tuple[tuple[str, str, str], ...]) -> CueScanner:
    """A scanner over lexicon lists: ``((category, section, key), ...)``."""
    lex = lexicon(lang)
    wb = bool(lex.get("meta", {}).get("word_boundaries", True))
    sets: dict[str, tuple[str, ...]] = {}
    for cat, section, key in section_keys:
        vals = lex.get(section, {}).get(key, []) or ()
        if isinstance(vals, dict):  # tables such as number words: the keys are the cues
            vals = list(vals)
        sets[cat] = tuple(sets.get(cat, ())) + tuple(vals)
    joiners = tuple(j.lower() for j in lex.get("sentences", {}).get("clause_joiners", []) if j)
    return CueScanner(sets, wb, joiners)
