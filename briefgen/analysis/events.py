"""Same event, across languages: link articles that report one event.

Shared entities are the strongest cheap cross-lingual signal. Every article gets a set of
language-independent keys:

* people (``person_key``: diacritics folded, order-insensitive), weight 3;
* document numbers such as ``72-NQ/TW``, weight 1;
* key figures (numbers >= 3 that are not years, from ``Figure.value``), weight 1.5;
* day-precision dates, weight 2; years, weight 0.5;
* places (folded, spaces removed: "Hà Nội" = "Hanoi"), weight 1.

Candidate pairs come from an inverted index over the keys (blocking): a key shared by more than
``max(50, 2% of the corpus)`` articles is too common to block on and is skipped, so 10,000
articles are linked in about a second. Shared keys are weighted down by how common they are (IDF)
in corpora of 20 articles or more. A pair is linked when its shared weight reaches
``MIN_SHARED`` and covers at least ``MIN_OVERLAP`` of the smaller article's keys, it shares a
person or a day date or a figure, and the event dates (when both are known) are at most
``MAX_DAYS_APART`` days apart. Linked pairs are grouped (union-find) unless a group would join
articles whose event dates conflict.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections import defaultdict

from ..model import ArticleAnalysis
from .people import fold, person_key

MIN_SHARED = 4.0
MIN_OVERLAP = 0.6
MAX_DAYS_APART = 3

_WEIGHTS = {"p": 3.0, "doc": 1.0, "fig": 1.5, "day": 2.0, "year": 0.5, "place": 1.0}
_STRONG = ("p", "day", "fig")
_BLOCKING = ("p", "fig", "doc", "place")
# Both patterns open with the character they start with, the context check right after it, so
# that the regex engine skips straight to digits (a leading lookbehind is tried at every
# character). A number needs "-X" or "/X" after it: texts without one are not scanned.
_DOC = re.compile(r"\d(?<![\w/]\d)\d{0,3}(?:[-/][A-ZĐ]{1,8}){1,3}(?![\w])")  # "72-NQ/TW"
_DOC_SEP = re.compile(r"[-/][A-ZĐ]")
_YEAR = re.compile(r"(?:1(?<!\d1)9|2(?<!\d2)0)\d\d(?!\d)")  # 19xx or 20xx, no digit either side


def keys(a: ArticleAnalysis) -> list[str]:
    """The article's linking keys, ``"kind:value"`` (kinds in ``_WEIGHTS``), in first-seen order.

    A pure function of the analysis: ``analyze_article`` stores it as ``event_keys``, so the
    corpus step links cached or parallel results without rereading sentences and mentions."""
    feats: dict[str, None] = {}
    for p in a.people or []:
        k = p.key or person_key(p.name)
        if k:
            feats["p:" + k] = None
    text = "\n".join(s.text for s in (a.sentences or [])[:400])
    if _DOC_SEP.search(text):
        for m in _DOC.finditer(text):
            feats["doc:" + m.group().upper()] = None
    for f in a.figures or []:
        v = (f.value or "").replace(".", "").replace(",", "").replace(" ", "")
        if v.endswith("+"):
            continue  # "dozens", "hundreds": too vague to link on
        if v.isdigit() and not (1800 <= int(v) <= 2100) and int(v) >= 3:
            feats["fig:" + str(int(v))] = None
    for d in a.dates or []:
        if d.precision == "day" and d.value:
            feats["day:" + d.value] = None
        y = (d.value or "")[:4]
        if y.isdigit():
            feats["year:" + y] = None
    for m in _YEAR.finditer(text):
        feats["year:" + m.group()] = None
    if a.event_date and len(a.event_date) >= 10:
        feats["day:" + a.event_date[:10]] = None
    places = list(a.places or [])
    places += [m.surface for m in a.mentions or []
               if getattr(m, "kind", "") == "place" and getattr(m, "zone", "") != "furniture"]
    for place in places:
        k = fold(place).replace(" ", "").replace("-", "")  # "Hà Nội" = "Hanoi"
        if k:
            feats["place:" + k] = None
    return list(feats)


def _features(a: ArticleAnalysis) -> dict[tuple[str, str], float]:
    ks = a.event_keys if a.event_keys is not None else keys(a)
    out: dict[tuple[str, str], float] = {}
    for k in ks:
        kind, _, value = k.partition(":")
        out[(kind, value)] = _WEIGHTS[kind]
    return out


def _date(value: str | None) -> _dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _conflict(a: _dt.date | None, b: _dt.date | None) -> bool:
    return a is not None and b is not None and abs((a - b).days) > MAX_DAYS_APART


def link_same_events(analyses: list[ArticleAnalysis]) -> dict[str, list[str]]:
    """``{article id: [ids of other articles reporting the same event]}`` for linked articles."""
    n = len(analyses)
    if n < 2:
        return {}
    feats = [_features(a) for a in analyses]
    dates = [_date(a.event_date) for a in analyses]
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for key in f:
            index[key].append(i)
    # a key shared by more than ``cap`` articles is not specific to one event; the cap stops
    # growing at 100 (an event is seldom reported 100 times, however big the archive), else the
    # candidate pairs, up to cap² per key, grow with the square of the archive
    cap = min(max(50, int(0.01 * n)), 100)
    idf_on = n >= 20
    df = {key: len(posting) for key, posting in index.items()}

    def weight(key: tuple[str, str]) -> float:
        w = _WEIGHTS[key[0]]
        if idf_on:
            w *= max(0.0, min(1.0, math.log(n / df[key]) / math.log(n / 2)))
        return w

    wt = {key: weight(key) for key in index}  # once per distinct key, not per article
    totals = [sum([wt[k] for k in f]) for f in feats]
    # candidate pairs come only from rare, specific keys (blocking); dates and years are too common
    candidates: set[tuple[int, int]] = set()
    for key, posting in index.items():
        if key[0] not in _BLOCKING or not 2 <= len(posting) <= cap:
            continue
        for x in range(len(posting)):
            for y in range(x + 1, len(posting)):
                candidates.add((posting[x], posting[y]))
    edges = []
    for i, j in candidates:
        if _conflict(dates[i], dates[j]):
            continue
        fi, fj = (feats[i], feats[j]) if len(feats[i]) <= len(feats[j]) else (feats[j], feats[i])
        common = [k for k in fi if k in fj]
        if not any(k[0] in _STRONG for k in common):
            continue
        s = sum([wt[k] for k in common])
        if s < MIN_SHARED:
            continue
        smaller = min(totals[i], totals[j]) or 1.0
        if s / smaller < MIN_OVERLAP:
            continue
        edges.append((s, i, j))
    edges.sort(reverse=True)

    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _s, i, j in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if any(_conflict(dates[x], dates[y]) for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))

    out: dict[str, list[str]] = {}
    for root, group in members.items():
        if len(group) < 2:
            continue
        ids = [analyses[i].id for i in group]
        for i in group:
            me = analyses[i].id
            out[me] = sorted(x for x in ids if x != me)
    return out
