"""The ``analyze`` JSON document (schema documented in the README)."""
from __future__ import annotations

from .model import Corpus, to_dict


def article_json(a, full: bool = False) -> dict:
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


def corpus_json(c: Corpus, full: bool = False) -> dict:
    return {
        "as_of": c.as_of,
        "home_country": c.home_country,
        "articles": [article_json(a, full) for a in c.articles],
        "groups": [{"country": g.country, "name": g.name, "kind": g.kind, "articles": g.articles} for g in c.groups if g.kind == "country"],
        "organisations": [{"key": g.country, "name": g.name, "articles": g.articles} for g in c.groups if g.kind == "organisation"],
        "inputs": [to_dict(r) for r in c.inputs],
    }


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
