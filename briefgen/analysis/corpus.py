"""Corpus-level resolution: what can only be known by looking at all articles together.

Home country (unless given), partners and organisations per article, same-event links, dates
lent between reports of one event, and the groups that become briefs.
"""
from __future__ import annotations

from collections import defaultdict

from ..model import ArticleAnalysis, Corpus, Group, InputRecord
from ..settings import Settings


def finish(analyses: list[ArticleAnalysis], settings: Settings, inputs: list[InputRecord] | None = None) -> Corpus:
    from . import countries, dates, events

    home = (settings.home or "").upper() or countries.detect_home(analyses)
    for a in analyses:
        a.partners, a.organisations = countries.choose_partners(a, home)

    links = events.link_same_events(analyses) if len(analyses) > 1 else {}
    by_id = {a.id: a for a in analyses}
    for a in analyses:
        a.same_event_as = sorted(links.get(a.id, []))
    for a in analyses:
        if a.event_date is None:
            donors = [by_id[i] for i in a.same_event_as if by_id[i].event_date and not (by_id[i].event_date_source or "").startswith("lent:")]
            donors.sort(key=lambda d: -d.date_confidence)
            for d in donors:
                if dates.lend_date(a, d):
                    break

    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in analyses:
        for c in a.partners:
            members[("country", c)].append(a.id)
        for o in a.organisations:
            members[("organisation", o)].append(a.id)
    lang = settings.output_lang
    groups = [
        Group(country=code, name=countries.country_name(code, lang), kind=kind, articles=sorted(ids))
        for (kind, code), ids in members.items()
    ]
    if settings.countries_of_interest:
        wanted = {c.upper() for c in settings.countries_of_interest}
        groups = [g for g in groups if g.country in wanted]
    groups.sort(key=lambda g: (g.kind != "country", -len(g.articles), g.country))
    return Corpus(as_of=settings.as_of, home_country=home, articles=analyses, groups=groups, inputs=inputs or [])
