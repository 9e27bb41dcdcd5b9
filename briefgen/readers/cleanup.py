"""Clean-up of plain-text scrapes: keep the article, drop the page furniture around it.

Removes related-news lists, comment counters, markdown image lines, table-ish caption lines,
photo credits, the "Source: URL" line (kept as the article URL) and a trailing byline. Every
removal is recorded with its reason so ``--explain`` can show it. Word lists live in
``data/furniture.toml``; adding a language means adding words there.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..model import Removed


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    url: str | None = None
    removed: list[Removed] = field(default_factory=list)


@lru_cache(maxsize=1)
def _patterns():
    data = tomllib.loads(resources.files("briefgen.data").joinpath("furniture.toml").read_text("utf-8"))
    related = sorted({h for hs in data["related"].values() for h in hs}, key=len, reverse=True)
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    return {
        "related": re.compile(rf"^\s*(?:{alt(related)})\s*[:»›>]*\s*$", re.I),
        "comments": re.compile(rf"^\s*(?:{alt(data['comments']['words'])})\s*\(\s*\d+\s*\)\s*$", re.I),
        "source": re.compile(rf"^\s*(?:{alt(data['source']['words'])})[^:\n]{{0,40}}:\s*(https?://\S+)\s*$", re.I),
        "photo": re.compile(rf"\s*(?:\(|\b)(?:{alt(data['photo']['words'])})\s*:\s*[^.:\n]{{1,60}}\)?\s*$", re.I),
    }


_IMAGE = re.compile(r"^\s*!\[.*\]\(.*\)\s*(\|.*)?$|^\s*!\[\]\(\)\s*\|?\s*$")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_STAMP = re.compile(r"^\s*(\d{1,2}:\d{2}\s*\|?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s+\d{1,2}:\d{2})\b.*$")
_URL_ONLY = re.compile(r"^\s*https?://\S+\s*$")
_BYLINE = re.compile(r"^\s*[A-ZÀ-ỸĐ][\w.'-]*(?:\s+[A-ZÀ-ỸĐ][\w.'-]*){0,3}\s*$")


def _looks_like_prose(line: str) -> bool:
    return len(line) > 200 and line.rstrip().endswith((".", "!", "?", "。"))


def _title_candidate(line: str) -> bool:
    s = line.strip()
    words = s.split()
    return 3 <= len(words) <= 30 and len(s) <= 200 and not s.endswith((".", ":", ";", ","))


def clean_scrape(text: str) -> Cleaned:
    pats = _patterns()
    out = Cleaned(text="")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s:
            kept.append("")
            i += 1
            continue
        if pats["related"].match(s):
            # a list of other stories: drop it up to the next paragraph of real prose
            j = i + 1
            while j < len(lines) and not _looks_like_prose(lines[j]):
                j += 1
            block = "\n".join(x for x in lines[i:j] if x.strip())
            out.removed.append(Removed(block, "related-news list"))
            i = j
            continue
        if pats["comments"].match(s):
            out.removed.append(Removed(s, "comment counter"))
        elif m := pats["source"].match(s):
            out.url = out.url or m.group(1)
            out.removed.append(Removed(s, "source line"))
        elif _IMAGE.match(s):
            out.removed.append(Removed(s, "image line"))
        elif _TABLE.match(s):
            out.removed.append(Removed(s, "caption table line"))
        elif _URL_ONLY.match(s):
            out.url = out.url or s
            out.removed.append(Removed(s, "bare URL line"))
        elif _STAMP.match(s):
            out.removed.append(Removed(s, "timestamp line"))
        else:
            m = pats["photo"].search(line)
            if m and m.start() > 0:
                out.removed.append(Removed(line[m.start():].strip(), "photo credit"))
                line = line[: m.start()].rstrip()
            kept.append(line)
        i += 1

    # a short capitalised line right before the end is a byline ("PV", "Mai Thu")
    nonblank = [k for k, ln in enumerate(kept) if ln.strip()]
    if nonblank:
        last = nonblank[-1]
        if _BYLINE.match(kept[last]) and len(kept[last].split()) <= 4 and len(nonblank) > 1:
            out.removed.append(Removed(kept[last].strip(), "byline"))
            kept[last] = ""
    nonblank = [k for k, ln in enumerate(kept) if ln.strip()]
    if nonblank and _title_candidate(kept[nonblank[0]]):
        out.title = kept[nonblank[0]].strip()
        kept[nonblank[0]] = ""
    body = "\n".join(kept)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    out.text = body
    return out
