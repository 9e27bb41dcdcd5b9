"""The ``analyze`` JSON document (schema documented in the README)."""
from __future__ import annotations

from typing import BinaryIO

from .model import Corpus, to_dict


def article_json(a, full: bool = False) -> dict:
    if full:
        from .cache import with_detail

        a = with_detail(a)  # (unpacked for this article only)
    d = {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "url": a.url,
        "language": a.language,
        "published": a.published,
        "event_date": a.event_date,
        "event_date_source": a.event_date_source,
        "date_confidence": round(a.date_confidence, 2),
        "partners": a.partners,
        "organisations": a.organisations,
        "milestones": [
            {"date": m.date, "end_date": m.end_date, "kind": m.kind, "text": m.text, "place": m.place, "evidence": m.evidence}
            for m in a.milestones
        ],
        "commitments": [{"who": c.who, "text": c.text, "evidence": c.evidence} for c in a.commitments],
        "background": [{"text": b.text, "evidence": b.evidence, "dates": b.dates, "figures": b.figures} for b in a.background],
        "figures": [{"value": f.value, "text": f.text, "evidence": f.evidence} for f in a.figures],
        "people": [{"name": p.name, "role": p.role, "roles": p.roles or ([p.role] if p.role else [])} for p in a.people],
        "same_event_as": a.same_event_as,
        "source_format": a.source_format,
    }
    if full:
        d["sentences"] = [{"text": s.text, "class": c} for s, c in zip(a.sentences, a.sentence_classes)]
        d["dates"] = to_dict(a.dates)
        d["countries"] = to_dict(a.countries)
        d["removed"] = to_dict(a.removed)
    return d


def _corpus_fields(c: Corpus, full: bool) -> dict:
    """The document's fields in order; its articles as a generator (made one at a time)."""
    return {
        "as_of": c.as_of,
        "home_country": c.home_country,
        "articles": (article_json(a, full) for a in c.articles),
        "groups": [{"country": g.country, "name": g.name, "kind": g.kind, "articles": g.articles} for g in c.groups if g.kind == "country"],
        "organisations": [{"key": g.country, "name": g.name, "articles": g.articles} for g in c.groups if g.kind == "organisation"],
        "inputs": [to_dict(r) for r in c.inputs],
    }


def corpus_json(c: Corpus, full: bool = False) -> dict:
    doc = _corpus_fields(c, full)
    doc["articles"] = list(doc["articles"])
    return doc


def _dumps(value, level: int) -> bytes:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it at nesting
    ``level``, in UTF-8. orjson encodes; a value it refuses (a lone surrogate, which a JSON
    Lines input can carry as an escape, is not UTF-8) is written by the standard library with
    its non-ASCII characters escaped: still valid JSON with the same value."""
    import orjson

    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        import json

        data = json.dumps(value, indent=2).encode("ascii")
    return data.replace(b"\n", b"\n" + b"  " * level) if level else data


def write_corpus_json(out: BinaryIO, c: Corpus, full: bool = False) -> None:
    """``corpus_json`` as ``json.dumps(..., ensure_ascii=False, indent=2)`` plus a newline
    gives it, byte for byte, written one article at a time: 10,000 articles make ~190 MB of
    JSON, which as one document in memory (its dicts, then the string) took the command's
    memory past 1.5 GB. orjson (C) encodes 3,000 articles in 0.11 s where the standard
    library's encoder, pure Python once it indents, takes 1.9 s."""
    out.write(b"{")
    for k, (key, value) in enumerate(_corpus_fields(c, full).items()):
        out.write((b"," if k else b"") + b"\n  " + _dumps(key, 0) + b": ")
        if key != "articles":
            out.write(_dumps(value, 1))
            continue
        n = 0
        for n, item in enumerate(value, 1):
            out.write((b"[" if n == 1 else b",") + b"\n    " + _dumps(item, 2))
        out.write(b"\n  ]" if n else b"[]")
    out.write(b"\n}\n")


def explain_countries(a, home: str | None) -> str:
    """Why each country was or was not taken for one article: mentions per zone, score, verdict."""
    lines = [f"{a.path}: language {a.language}, home {home or '-'}, partners {', '.join(a.partners) or '-'}"
             + (f", organisations {', '.join(a.organisations)}" if a.organisations else "")]
    for s in a.countries:
        if s.code == home:
            verdict = "home country"
        elif s.code in a.partners or s.code in a.organisations:
            verdict = "TAKEN"
        else:
            verdict = "not taken"
        zones = ", ".join(f"{z} {n}" for z, n in sorted(s.zones.items()))
        lines.append(f"  {s.code:<6} {s.name[:28]:<28} score {s.score:6.2f}  mentions {s.mentions:<3} [{zones}]  {verdict}"
                     + (f" — {s.reason}" if s.reason else ""))
    for r in a.removed:
        lines.append(f"  removed ({r.reason}): {r.text[:100].replace(chr(10), ' / ')}")
    return "\n".join(lines)
