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


def _cue_source(cue: str, word_boundaries: bool) -> str:
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
    if clause_end:  # a separable particle closes its clause: "sicherte ... zu."
        src += r"(?=\s*(?:[.,;:!?)]|$))"
    return src


@lru_cache(maxsize=512)
def compile_cues(cues: tuple[str, ...], word_boundaries: bool = True, flags: int = re.IGNORECASE) -> re.Pattern | None:
    """One regex matching any cue (longest first). ``" ... "`` in a cue is a short gap."""
    cues = tuple(c for c in cues if c and c.strip())
    if not cues:
        return None
    ordered = sorted(set(cues), key=len, reverse=True)
    return re.compile("|".join(f"(?:{_cue_source(c, word_boundaries)})" for c in ordered), flags)


def cues(lang: str, section: str, key: str) -> re.Pattern | None:
    lex = lexicon(lang)
    wb = bool(lex.get("meta", {}).get("word_boundaries", True))
    return compile_cues(tuple(lex.get(section, {}).get(key, []) or ()), wb)


# --------------------------------------------------------------------------- splitting

_LINE = re.compile(r"[^\n\r]+")
_CAND = re.compile(r"(?:[.!?]+|…+|[。！？]+|\.{3,})[\"”’»)\]』」]*")
_CJK_END = frozenset("。！？")
_NEXT_WORD = re.compile(r"\s*[\"“‘«(\[]*(\S)")


@lru_cache(maxsize=64)
def _split_rules(lang: str) -> tuple[frozenset[str], frozenset[str], bool, bool]:
    lex = lexicon(lang)
    sent = lex.get("sentences", {})
    abbr = frozenset(a.lower().rstrip(".") for a in sent.get("abbreviations", []) if a)
    term = frozenset(a.lower().rstrip(".") for a in sent.get("terminal_abbreviations", []) if a)
    meta = lex.get("meta", {})
    return abbr, term, bool(meta.get("ordinal_dot", False)), bool(meta.get("cased", True))


def _is_boundary(line: str, m: re.Match, rules) -> bool:
    abbr, term, ordinal_dot, cased = rules
    chars = m.group()
    end = m.end()
    if any(c in _CJK_END for c in chars):
        return True
    if end < len(line) and not line[end].isspace():
        return False  # "3.5", "a.m.", "72-NQ/TW."x: no space after the mark
    if end >= len(line):
        return True  # the line ends anyway
    nxt = _NEXT_WORD.match(line, end)
    nch = nxt.group(1) if nxt else ""
    if "!" in chars or "?" in chars:
        return True
    lower_next = bool(nch) and nch.isalpha() and nch.islower()
    if chars.startswith("…") or chars.startswith(".."):
        return not lower_next if cased else True
    # a single full stop
    ms = m.start()
    sp = max(line.rfind(" ", 0, ms), line.rfind("\t", 0, ms), line.rfind("\u00a0", 0, ms))
    tok = line[sp + 1 : ms]
    tok = tok.lstrip("\"“‘«([")
    low = tok.lower()
    if low in term or (low and low.split("-")[-1] in term):
        return bool(nch) and (nch.isupper() or not cased)
    if low in abbr or (low and "." in low and low.rsplit(".", 1)[-1] in abbr and len(low) < 12):
        return False
    if len(tok) == 1 and tok.isalpha() and tok.isupper():
        return False  # initial: "J. Smith"
    if tok and "." in tok and len(tok) <= 8 and re.fullmatch(r"(?:\w{1,4}\.)+\w{1,4}", tok):
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
    rules = _split_rules(_norm_lang(lang))
    out: list[Sentence] = []
    para = -1
    for lm in _LINE.finditer(text):
        line = lm.group()
        if not line.strip():
            continue
        para += 1
        base = lm.start()
        start = 0
        for m in _CAND.finditer(line):
            if m.end() <= start:
                continue
            if _is_boundary(line, m, rules):
                _emit(out, text, base, line, start, m.end(), para)
                start = m.end()
        if start < len(line):
            _emit(out, text, base, line, start, len(line), para)
    return out


def _emit(out: list[Sentence], text: str, base: int, line: str, s: int, e: int, para: int) -> None:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    if e <= s:
        return
    if not any(ch.isalnum() for ch in line[s:e]):
        if out and out[-1].paragraph == para:  # stray punctuation: glue to the previous sentence
            prev = out[-1]
            prev.end = base + e
            prev.text = text[prev.start : prev.end]
        return
    out.append(Sentence(index=len(out), text=text[base + s : base + e], start=base + s, end=base + e, paragraph=para))
