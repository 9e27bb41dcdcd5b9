"""Clean-up of plain-text scrapes: keep the article, drop the page furniture around it.

Removes related-news lists, comment counters, markdown image and link lines, table-ish caption
lines, photo credits, breadcrumbs and menus, share buttons, tag lines, repeated captions, the
"Source: URL" line (kept as the article URL) and a trailing byline. Every removal is recorded
with its reason so ``--explain`` can show it. Word lists live in ``data/furniture.toml``; adding
a language means adding words there.

Safety rule: a prose line (a long line that ends like a sentence) is never dropped or cut,
except a question- or exclamation-like headline inside a related-news list that a timestamp line
follows; a prose line ending in a full stop is never dropped. All patterns are anchored or
bounded, and lines longer than ``_MAX_FURNITURE_CHARS`` are never furniture, so a 20 MB
single-line file costs linear time.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..model import Article, Removed

_MAX_FURNITURE_CHARS = 600


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    url: str | None = None
    removed: list[Removed] = field(default_factory=list)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    data = tomllib.loads(resources.files("briefgen.data").joinpath("furniture.toml").read_text("utf-8"))
    related = {h for hs in data["related"].values() for h in hs}
    nav = data.get("navigation", {}).get("words", [])
    share = data.get("share", {}).get("words", [])
    tags = data.get("tags", {}).get("words", [])
    credits = data.get("credits", {}).get("words", [])
    byline = data.get("byline", {}).get("words", [])
    site = data.get("site", {}).get("words", [])
    counter = data.get("counter", {}).get("words", [])
    copyright = data.get("copyright", {}).get("words", [])
    signoff = data.get("credits", {}).get("signoff", [])
    sep = r"[>›»/|·•→]"
    return {
        "related": re.compile(rf"^\s*(?:{_alt(related)})\s*[:：»›>…\.]*\s*$", re.I),
        "comments": re.compile(
            rf"^\s*(?:\(?\s*\d+\s*\)?\s*)?(?:{_alt(data['comments']['words'])})\s*(?:\(\s*\d+\s*\)|[:：]\s*\d+)?\s*$", re.I
        ),
        "source": re.compile(rf"^\s*(?:{_alt(data['source']['words'])})[^:：\n]{{0,40}}[:：]\s*(https?://\S+)\s*$", re.I),
        "photo": re.compile(rf"\s*(?:\(|\b)(?:{_alt(data['photo']['words'])})\s*[:：]\s*[^.:：\n]{{1,60}}\)?\s*$", re.I),
        "breadcrumb": re.compile(rf"^\s*(?:{_alt(nav)})\s*(?:{sep}\s*[^\n>›»/|]{{1,60}}?\s*)*$", re.I),
        "share": re.compile(rf"^\s*(?:(?:{_alt(share)})\s*(?:\(\s*\d+\s*\)|\d+)?\s*(?:\.{{2,3}}|…)?\s*[|·•/,:：]?\s*)+$", re.I),
        "tags": re.compile(rf"^\s*(?:{_alt(tags)})\s*[:：]\s*\S.{{0,300}}$", re.I),
        "related_inline": re.compile(rf"^\s*(?:{_alt(related)})\s*[:：]\s*\S[^\n]{{0,200}}$", re.I),
        "credits": re.compile(rf"^\W{{0,2}}(?:{_alt(credits)})\s*[:：]\s*[^.。\n]{{1,40}}\W{{0,2}}$", re.I),
        "site": re.compile(rf"^\s*(?:[^|•·\n]{{0,40}}[|•·]\s*)*(?:{_alt(site)})\s*(?:[|•·][^|•·\n]{{0,40}})*$", re.I),
        "counter": re.compile(rf"^\s*(?:{_alt(counter)})\s*[:：]?\s*[\d.,\s]{{1,20}}$", re.I),
        "copyright": re.compile(rf"(?:{_alt(copyright)})", re.I),
        "signoff": re.compile(rf"^\s*\(?(?:{_alt(signoff)})\b", re.I),
        "byline": re.compile(rf"^\s*(?:{_alt(byline)})\s+[A-ZÀ-ỸĐ][\w.'-]*(?:\s+[A-ZÀ-ỸĐ][\w.'-]*){{0,3}}\s*$"),
    }


_SEPARATOR = re.compile(r"[|•·]")
_COPYRIGHT_YEAR = re.compile(r"^\W{0,2}copyright\s*(?:\(c\)|\d{4})", re.I)


@lru_cache(maxsize=1)
def _ambiguous_site() -> frozenset[str]:
    data = tomllib.loads(resources.files("briefgen.data").joinpath("furniture.toml").read_text("utf-8"))
    return frozenset(w.lower() for w in data.get("site", {}).get("ambiguous", []))


_IMAGE = re.compile(r"^\s*!\[[^\n]*\]\([^\n]*\)\s*(\|.*)?$|^\s*!\[\]\(\)\s*\|?\s*$|^\s*\[!\[")
_LINK_ONLY = re.compile(r"^\s*[*-]?\s*\[[^\]\n]{1,300}\]\([^)\s]{1,500}\)\s*$")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_STAMP = re.compile(
    r"^\s*(\d{1,2}:\d{2}\s*\|?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s+\d{1,2}:\d{2})\b.{0,80}$"
)
# a short dateline: a numeric date and a clock time ("Thứ hai, 17/11/2025, 14:05 (GMT+7)", "Stand: 12.11.2025 16:40 Uhr")
_DATE_NUM = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_URL_ONLY = re.compile(r"^\s*<?https?://\S+>?\s*$")
_BYLINE = re.compile(r"^\s*[A-ZÀ-ỸĐ][\w.'-]*(?:\s+[A-ZÀ-ỸĐ][\w.'-]*){0,3}\s*$")
# "Home | World | Business | Sport": three or more short items between separators
_MENU = re.compile(r"^\s*[^\s|•·›»][^|•·›»\n]{0,30}(?:\s[|•·›»]\s[^|•·›»\n]{1,30}){2,}\s*$")
_STATEMENT_END = (".", "。", ";", ".”", ".\"", ".»")
_SENTENCE_END = (".", "!", "?", "。", "！", "？", "…", ".”", ".\"", "»", "”", ";")


def is_prose(line: str) -> bool:
    """A line that is article text for sure: several words (or CJK characters) ending like a sentence."""
    s = line.strip()
    if not s.endswith(_SENTENCE_END):
        return False
    if len(s) > 200 or len(s.split()) >= 12:
        return True
    return _cjk_count(s) >= 25


def _list_item(lines: list[str], j: int) -> bool:
    """Can line ``j`` belong to a related-news list: a blank, a timestamp, a headline?"""
    s = lines[j].strip()
    if not s or _STAMP.match(s):
        return True
    if len(s) > 250:
        return False
    if not is_prose(s):
        return True
    if s.endswith(_STATEMENT_END):
        return False  # a statement ending in a full stop is article text, whatever follows
    # a question or exclamation headline is still an item when a timestamp follows it
    k = j + 1
    while k < len(lines) and not lines[k].strip():
        k += 1
    return k < len(lines) and bool(_STAMP.match(lines[k].strip()))


_CJK_CHAR = re.compile("[\u3040-\u9fff\uac00-\ud7af]")


def _cjk_count(s: str) -> int:
    return len(_CJK_CHAR.findall(s))


def _title_candidate(line: str) -> bool:
    s = line.strip()
    if len(s) > 200 or s.endswith((".", ":", ";", ",", "…", "。", "：", "；", "，")):
        return False
    words = len(s.split())
    if words <= 6 and _DATE_NUM.search(s):
        return False  # a dateline ("Hà Nội, ngày 31/10/2025"), not a headline
    if 3 <= words <= 30:
        return True
    return words < 3 and 8 <= _cjk_count(s) <= 80  # Chinese and Japanese headlines have no spaces


def clean_scrape(text: str, *, detect_title: bool = True, tables: bool = False) -> Cleaned:
    """Drop page furniture from a plain text. ``tables=True`` when "a | b | c" lines are real
    table rows (HTML and DOCX readers), so they are not taken for menus or caption tables."""
    pats = _patterns()
    out = Cleaned(text="")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    last_kept = ""
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        s = line.strip()
        if not s:
            kept.append("")
            i += 1
            continue
        if s == last_kept and len(s) <= 200:
            out.removed.append(Removed(s, "repeated caption"))
            i += 1
            continue
        if len(s) > _MAX_FURNITURE_CHARS or is_prose(s):
            kept.append(line)
            last_kept = s
            i += 1
            continue
        if pats["related"].match(s):
            # a list of other stories: headlines and timestamps up to the next prose line
            j = i + 1
            while j < n and _list_item(lines, j):
                j += 1
            if j - i > 1 or j == n:
                block = "\n".join(x.strip() for x in lines[i:j] if x.strip())
                out.removed.append(Removed(block, "related-news list"))
                i = j
                continue
        reason = None
        if pats["comments"].match(s):
            reason = "comment counter"
        elif m := pats["source"].match(s):
            out.url = out.url or m.group(1)
            reason = "source line"
        elif _IMAGE.match(s):
            reason = "image line"
        elif _LINK_ONLY.match(s):
            reason = "link line"
        elif not tables and _TABLE.match(s):
            reason = "caption table line"
        elif _URL_ONLY.match(s):
            out.url = out.url or s.strip("<>")
            reason = "bare URL line"
        elif _STAMP.match(s):
            reason = "timestamp line"
        elif len(s) <= 100 and len(s.split()) <= 10 and _DATE_NUM.search(s) and _CLOCK.search(s) \
                and not s.endswith("."):
            reason = "timestamp line"
        elif pats["breadcrumb"].match(s):
            reason = "navigation line"
        elif pats["share"].match(s):
            reason = "share buttons"
        elif pats["related_inline"].match(s) and len(s.split()) <= 20 and not s.endswith("."):
            reason = "related-news link"
        elif pats["credits"].match(s) or (len(s) <= 150 and pats["signoff"].match(s)):
            reason = "credit line"
        elif len(s) <= 200 and pats["site"].match(s) and (_SEPARATOR.search(s) or s.lower() not in _ambiguous_site()):
            reason = "site menu"
        elif pats["counter"].match(s):
            reason = "visitor counter"
        elif len(s.split()) <= 15 and len(s) <= 150 and (pats["copyright"].search(s) or _COPYRIGHT_YEAR.match(s)):
            reason = "copyright line"
        elif len(s) <= 60 and pats["byline"].match(s):
            reason = "byline"
        elif pats["tags"].match(s) and not is_prose(s):
            reason = "tag line"
        elif not tables and _MENU.match(s) and not is_prose(s):
            reason = "menu line"
        if reason:
            out.removed.append(Removed(s, reason))
            i += 1
            continue
        m = pats["photo"].search(line)
        if m and m.start() == 0 and len(s) <= 80:
            out.removed.append(Removed(s, "photo credit"))
            i += 1
            continue
        if m and m.start() > 0:
            out.removed.append(Removed(line[m.start():].strip(), "photo credit"))
            line = line[: m.start()].rstrip()
        kept.append(line)
        last_kept = line.strip()
        i += 1

    # a short capitalised line at the very end is a byline ("PV", "Mai Thu")
    nonblank = [k for k, ln in enumerate(kept) if ln.strip()]
    if len(nonblank) > 1:
        last = nonblank[-1]
        cand = kept[last].strip()
        if len(cand) <= 40 and len(cand.split()) <= 4 and _BYLINE.match(cand):
            out.removed.append(Removed(cand, "byline"))
            kept[last] = ""
            nonblank.pop()
    if detect_title and len(nonblank) > 1 and _title_candidate(kept[nonblank[0]]):
        out.title = re.sub(r"^#{1,6}\s+", "", kept[nonblank[0]].strip())  # a Markdown heading
        kept[nonblank[0]] = ""
    body = "\n".join(kept)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    out.text = body
    return out


def explain_removed(article: Article) -> str:
    """What the readers dropped from one article and why, for ``--explain``."""
    head = f"{article.path}: "
    if not article.removed:
        return head + "nothing removed"
    lines = [head + f"removed {len(article.removed)} piece(s) of page furniture"]
    for r in article.removed:
        parts = r.text.splitlines() or [""]
        first = parts[0].strip()
        if len(first) > 100:
            first = first[:99] + "…"
        more = f" (+{len(parts) - 1} more lines)" if len(parts) > 1 else ""
        lines.append(f"  - {r.reason}: {first}{more}")
    return "\n".join(lines)
