"""JSON and JSONL feeds: one article per record.

A .json file holds a list of records, or an object with the list under items/articles/entries/
data/results/… (JSON Feed, WordPress REST and most scrapers' exports fit), or one record. A
.jsonl file holds one record per line; broken lines are skipped and reported in the articles'
``meta`` (the file fails only when no record can be read). Field names: ``settings.feed_fields``
maps our names (title, url, published, text, id) to the feed's, tried first; then common
aliases. Dotted names reach into objects ("content.rendered"). HTML in a text field is reduced
to its visible text. Dates become ISO dates (epoch seconds/milliseconds, ISO strings, RFC 2822,
day-first numeric dates).
"""
from __future__ import annotations

import datetime as _dt
import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

from ..model import Article
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
from .encoding import clean_text, decode, without_lone_surrogates

ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "content_text", "body", "article", "article_text", "full_text", "fulltext",
             "maintext", "content_html", "contenthtml", "html", "description", "summary", "abstract"),
    "title": ("title", "headline", "name", "subject"),
    "url": ("url", "link", "href", "permalink", "source_url", "canonical_url", "external_url", "uri", "source"),
    "published": ("published", "date", "date_published", "datepublished", "published_at", "publishedat",
                  "pubdate", "pub_date", "date_publish", "created_at", "created", "timestamp", "time", "updated"),
    "id": ("id", "guid", "uuid", "_id"),
}
_CONTAINERS = ("items", "articles", "entries", "data", "results", "records", "posts", "news", "documents", "docs", "hits")
_HTML_HINT = re.compile(r"<(?:p|div|br|span|a|h[1-6]|ul|li|strong|em|img|figure|table)\b", re.I)
_MAX_RECORDS = 100_000
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")


def _lookup(record: dict, name: str) -> Any:
    cur: Any = record
    for part in name.split("."):
        if not isinstance(cur, dict):
            return None
        if part in cur:
            cur = cur[part]
            continue
        low = {str(k).lower(): k for k in cur}
        if part.lower() not in low:
            return None
        cur = cur[low[part.lower()]]
    return cur


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return without_lone_surrogates(value)  # JSON may escape half a pair: "\ud800"
    if isinstance(value, dict):
        for k in ("rendered", "value", "text", "content", "html", "href", "url"):
            if k in value:
                return _as_text(value[k])
        return None
    if isinstance(value, list):
        parts = [_as_text(v) for v in value[:1000]]
        return "\n\n".join(p for p in parts if p) or None
    return None


def _field(record: dict, ours: str, settings: Settings) -> Any:
    names = [theirs for o, theirs in settings.feed_fields if o == ours] + list(ALIASES[ours])
    for name in names:
        v = _lookup(record, name)
        if v not in (None, "", [], {}):
            return v
    return None


def normalise_date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD, or coarser when only that is given) of a feed's date value."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            v = float(value)
            if v > 1e11:  # milliseconds
                v /= 1000
            if not 0 < v < 4e9:
                return None
            return _dt.datetime.fromtimestamp(v, _dt.timezone.utc).date().isoformat()
        s = str(value).strip()
        if re.fullmatch(r"\d{9,13}", s):
            return normalise_date(int(s))
        if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", s):
            return _dt.date(*map(int, m.groups())).isoformat()
        if m := re.fullmatch(r"(\d{4})-(\d{2})", s):
            y, mo = map(int, m.groups())
            return f"{y:04d}-{mo:02d}" if 1 <= mo <= 12 else None
        if re.fullmatch(r"\d{4}", s):
            return s
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s.*)?", s):
            d, mo, y = map(int, m.groups())
            return _dt.date(y, mo, d).isoformat()
        from .eml import parse_date

        return parse_date(s)
    except (ValueError, OverflowError, OSError):
        return None


def _html_to_text(s: str) -> str:
    from .html import _visible_lines

    return "\n\n".join(_visible_lines(s)) or s


def _records_from(obj: Any) -> list[Any]:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        for key in _CONTAINERS:
            v = obj.get(key)
            if isinstance(v, list):
                return v
            if isinstance(v, dict):
                inner = _records_from(v)
                if inner and inner != [v]:
                    return inner
        for key in ("feed", "channel", "response", "hits"):
            if isinstance(obj.get(key), dict):
                inner = _records_from(obj[key])
                if inner != [obj[key]]:
                    return inner
        return [obj]
    raise ReadError("JSON holds neither records nor a list of records")


def _articles(records: list[tuple[int, Any]], display: str, settings: Settings, fmt: str,
              problems: list[str]) -> list[Article]:
    name = article_id(display)
    out: list[Article] = []
    for n, rec in records[:_MAX_RECORDS]:
        if not isinstance(rec, dict):
            problems.append(f"record {n}: not an object")
            continue
        text = _as_text(_field(rec, "text", settings))
        if not text or not text.strip():
            problems.append(f"record {n}: no article text")
            continue
        if _ENTITY.search(text[:5000]) and not _HTML_HINT.search(text[:5000]):
            text = html_lib.unescape(text)  # "&lt;p&gt;…" or "l&#8217;été" in a plain field
        if _HTML_HINT.search(text[:5000]):
            text = _html_to_text(text)
        title = _as_text(_field(rec, "title", settings))
        title = " ".join(clean_text(html_lib.unescape(title)).split()) if title else None
        if title and _HTML_HINT.search(title):
            title = " ".join(_html_to_text(title).split())
        cleaned = clean_scrape(clean_text(text), detect_title=not title)
        if not cleaned.text.strip():
            problems.append(f"record {n}: no article text after removing page furniture")
            continue
        url = _as_text(_field(rec, "url", settings))
        url = url.strip() if url and re.match(r"https?://\S+$", url.strip()) else None
        raw_date = _field(rec, "published", settings)
        rid = _as_text(_field(rec, "id", settings))
        meta: dict[str, Any] = {"record": n}
        if rid:
            meta["feed_id"] = rid[:200]
        if raw_date is not None and normalise_date(raw_date) is None:
            meta["unparsed_date"] = str(raw_date)[:100]
        out.append(Article(
            id=f"{name}#{n}",
            path=display,
            text=cleaned.text,
            title=title or cleaned.title,
            url=url or cleaned.url,
            published=normalise_date(raw_date),
            source_format=fmt,
            removed=cleaned.removed,
            meta=meta,
        ))
    if len(records) > _MAX_RECORDS:
        problems.append(f"only the first {_MAX_RECORDS} of {len(records)} records were read")
    if not out:
        detail = "; ".join(problems[:3]) or "no records"
        raise ReadError(f"no readable article in the feed ({detail})")
    if problems:
        for a in out:
            a.meta["feed_problems"] = problems[:50]
    return out


def _value_error(e: ValueError) -> str:
    if "digits" in str(e):
        return "a number with thousands of digits"
    return str(e)[:80]


def read_json(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    text = decode(data)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        if "\n{" in text[:100_000] and text.lstrip().startswith("{"):
            return read_jsonl(path, data, display, settings)
        raise ReadError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except ValueError as e:
        raise ReadError(f"not valid JSON ({_value_error(e)})") from None
    records = _records_from(obj)
    problems: list[str] = []
    return _articles(list(enumerate(records, start=1)), display, settings, "json", problems)


def read_jsonl(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    text = decode(data)
    records: list[tuple[int, Any]] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((n, json.loads(line)))
        except ValueError as e:
            problems.append(f"line {n}: not valid JSON ({_value_error(e)})")
        if len(records) > _MAX_RECORDS:
            break
    return _articles(records, display, settings, "jsonl", problems)


# --------------------------------------------------------------------------- RSS and Atom

_NS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_NS_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_ATOM = "{http://www.w3.org/2005/Atom}"


def _xml_text(el) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext()).strip()
    return text or None


def read_xml_feed(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    """RSS 2.0, RSS 1.0 (RDF) and Atom feeds, parsed with defusedxml (no DTDs, no entities)."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise ReadError(f"unsafe XML feed: {type(e).__name__} (XML bomb or external entity)") from None
    except Exception as e:  # noqa: BLE001 - ParseError
        raise ReadError(f"not a valid RSS or Atom feed ({str(e)[:100]})") from None
    tag = root.tag.rsplit("}", 1)[-1].lower()
    records: list[dict] = []
    if tag in ("rss", "rdf"):
        items = root.iter("item") if tag == "rss" else (e for e in root.iter() if e.tag.endswith("}item"))
        for it in items:
            def child(name: str):
                for e in it:
                    if e.tag == name or e.tag.endswith("}" + name):
                        return e
                return None
            records.append({
                "title": _xml_text(child("title")),
                "url": _xml_text(child("link")),
                "published": _xml_text(child("pubDate")) or _xml_text(it.find(_NS_DC_DATE)),
                "text": _xml_text(it.find(_NS_CONTENT)) or _xml_text(child("description")),
                "id": _xml_text(child("guid")),
            })
    elif tag == "feed":
        for entry in root.iter(_ATOM + "entry"):
            link = None
            for ln in entry.findall(_ATOM + "link"):
                if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
                    link = ln.get("href")
                    break
            records.append({
                "title": _xml_text(entry.find(_ATOM + "title")),
                "url": link,
                "published": _xml_text(entry.find(_ATOM + "published")) or _xml_text(entry.find(_ATOM + "updated")),
                "text": _xml_text(entry.find(_ATOM + "content")) or _xml_text(entry.find(_ATOM + "summary")),
                "id": _xml_text(entry.find(_ATOM + "id")),
            })
    else:
        raise ReadError(f"unsupported file type '{Path(display).suffix or '.xml'}' (XML, but not an RSS or Atom feed)")
    plain = settings.with_(feed_fields=())  # our own field names
    fmt = "atom" if tag == "feed" else "rss"
    return _articles(list(enumerate(records, start=1)), display, plain, fmt, [])
