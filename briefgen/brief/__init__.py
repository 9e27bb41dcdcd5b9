"""Brief model: one country group of analysed articles -> one ``Brief`` record.

Everything in a brief comes from a source sentence and carries its citation [n]. Reports of the
same event are merged: an item found in several of them is shown once with every citation.
Structured parts (dates, statuses, milestone types, labels) are in the output language;
extracted sentences stay in their source language with a language tag.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..i18n import format_iso, format_range, gettext, language_name
from ..isodate import interval
from ..model import (
    ArticleAnalysis,
    Brief,
    BriefItem,
    Corpus,
    Group,
    MilestoneRow,
    PersonRow,
    Source,
)
from ..settings import Settings
from .translate import Translator, get_translator

_NUM = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    return {n.replace(".", "").replace(",", "") for n in _NUM.findall(text) if len(n) >= 2}


def _period_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period an ISO value at any precision denotes."""
    bounds = interval(value)
    if bounds is None:
        raise ValueError(f"not an ISO date at any precision: {value!r}")
    return bounds


@lru_cache(maxsize=4096)
def milestone_status(date: str, end_date: str | None, as_of: dt.date) -> str:
    """passed: the period ended before as-of; due: it ends within as-of's month; else upcoming.
    (Memoised: a corpus's thousands of milestones share a few hundred dates.)"""
    _, end = _period_bounds(end_date or date)
    if end < as_of:
        return "passed"
    if (end.year, end.month) == (as_of.year, as_of.month):
        return "due"
    return "upcoming"


_STATUS_LABEL = {
    "upcoming": "upcoming",
    "due": "due this month",
    "passed": "passed",
    "passed-unconfirmed": "passed — no confirmation in sources",
}


def _sort_key_source(a: ArticleAnalysis) -> tuple:
    return (a.event_date or a.published or "9999", a.id)


def _repeats(a: ArticleAnalysis) -> list[bool]:
    """``classify.repeats`` of an analysis: as its analysis kept it (``background_repeats``),
    else (a lent date re-extracted its milestones, or an analysis made before the field)
    computed now."""
    flags = a.background_repeats
    if flags is not None and len(flags) == len(a.background):
        return flags
    from ..analysis.classify import repeats

    return repeats(a)


def build_brief(corpus: Corpus, group: Group, settings: Settings, translator: Translator | None = None,
                by_id: dict[str, ArticleAnalysis] | None = None) -> Brief:
    """``by_id``: the corpus's analyses by id, when the caller builds many briefs from one corpus."""
    lang = settings.output_lang
    tr = translator or get_translator(settings)
    _ = lambda s: gettext(s, lang)  # noqa: E731
    if by_id is None:
        by_id = {a.id: a for a in corpus.articles}
    arts = sorted((by_id[i] for i in group.articles if i in by_id), key=_sort_key_source)
    cite = {a.id: n for n, a in enumerate(arts, 1)}

    # clusters of same-event reports inside this group
    cluster_of: dict[str, int] = {}
    n_clusters = 0
    for a in arts:
        if a.id in cluster_of:
            continue
        cid = n_clusters
        n_clusters += 1
        stack = [a.id]
        while stack:
            x = stack.pop()
            if x in cluster_of or x not in cite:
                continue
            cluster_of[x] = cid
            stack.extend(by_id[x].same_event_as)

    omitted: dict[str, int] = {}

    # an item sorts by its newest source: the rank of that date, latest first (undated last)
    date_of = {cite[a.id]: (a.event_date or a.published or "") for a in arts}
    rank_of_date = {d: r for r, d in enumerate(sorted(set(date_of.values()), key=_neg))}
    rank_of = {c: rank_of_date[d] for c, d in date_of.items()}

    def newest(it: _Candidate) -> int:
        cs = it.citations
        return rank_of[cs[0]] if len(cs) == 1 else rank_of_date[max(date_of[c] for c in cs)]

    def shown(cands: list[_Candidate]) -> list[BriefItem]:
        """Candidates become brief items (and are translated) only once they are kept."""
        return [BriefItem(text=tr.translate(c.text, c.lang, lang), lang=c.lang, citations=c.citations, who=c.who)
                for c in cands]

    # ---- commitments: most important first: best supported (cited by more reports), then
    # most recent; ties keep the sources' order
    commitments = sorted(_merge_items(
        [(a, c.text, c.evidence, c.who, c.sentence, 0.0) for a in arts for c in a.commitments], cite, cluster_of,
    ), key=lambda it: (-len(it.citations), newest(it)))
    commitments, omitted["commitments"] = _trim(commitments, settings.max_items)
    commitments = shown(commitments)

    # ---- background (ranked by the analysis score, figures kept); a statement already shown
    # as a commitment or a milestone of the same article is not repeated here
    bg = _merge_items(
        [(a, b.text, b.evidence, None, b.sentence, b.score)
         for a in arts for b, rep in zip(a.background, _repeats(a)) if not rep],
        cite, cluster_of,
    )
    bg.sort(key=lambda it: (-it.score - 0.5 * (len(it.citations) - 1), newest(it)))
    background, omitted["background"] = _trim(bg, settings.max_items)
    background = shown(background)

    # ---- key figures
    figures: list[BriefItem] = []
    seen_fig: dict[str, BriefItem | None] = {}  # None: a figure past the limit, only counted
    for a in arts:
        for f in a.figures:
            key = f.value + "|" + str(cluster_of.get(a.id))
            if key in seen_fig:
                it = seen_fig[key]
                if it is not None and cite[a.id] not in it.citations:
                    it.citations.append(cite[a.id])
                continue
            if len(figures) < settings.max_items:
                it = BriefItem(text=f.text, lang=a.language, citations=[cite[a.id]], figures=[f.value])
                figures.append(it)
            else:
                it = None
            seen_fig[key] = it
    omitted["figures"] = len(seen_fig) - len(figures)

    # ---- milestones: one row per (date, kind, place); sorted by date
    latest_mention: dict[str, dt.date | None] = {}
    folded_bg: dict[str, str] = {}

    def confirmed_later(m) -> bool:
        """A source dated after the milestone mentions its place in its background: then the
        milestone is reported as having happened (looked up once per place)."""
        place = (m.place or "").casefold()
        if not place:
            return False
        if place not in latest_mention:
            found = None
            for a in arts:
                d = a.event_date or a.published
                if not d or len(d) < 10:
                    continue
                day = dt.date.fromisoformat(d[:10])
                if found is not None and day <= found:
                    continue
                if a.id not in folded_bg:
                    folded_bg[a.id] = "\n".join(b.evidence.casefold() for b in a.background)
                if place in folded_bg[a.id]:
                    found = day
            latest_mention[place] = found
        _, end = _period_bounds(m.end_date or m.date)
        return latest_mention[place] is not None and latest_mention[place] > end

    as_of = settings.as_of_date
    # one row per (date, kind, place): [first milestone, its article, status, citations]
    rows: dict[tuple, list] = {}
    for a in arts:
        for m in a.milestones:
            key = (m.date, m.end_date, m.kind, (m.place or "").casefold())
            if key in rows:
                if cite[a.id] not in rows[key][3]:
                    rows[key][3].append(cite[a.id])
                continue
            rows[key] = [m, a, milestone_status(m.date, m.end_date, as_of), [cite[a.id]]]

    def row_date(r: list) -> str:
        m = r[0]
        return m.date if not m.end_date else f"{m.date}/{m.end_date}"

    kept_rows = sorted(rows.values(), key=lambda r: (row_date(r), r[0].kind))
    # what comes next matters most: due ones, then the soonest upcoming, then the latest passed
    limit = 2 * settings.max_items
    if len(kept_rows) > limit:
        due = [r for r in kept_rows if r[2] == "due"]
        upcoming = [r for r in kept_rows if r[2] == "upcoming"]
        passed = [r for r in kept_rows if r[2] not in ("due", "upcoming")]
        keep = (due + upcoming)[:limit]
        keep += passed[::-1][: max(limit - len(keep), 0)]
        omitted["milestones"] = len(kept_rows) - len(keep)
        kept_rows = sorted(keep, key=lambda r: (row_date(r), r[0].kind))
    milestones = []
    for m, a, status, citations in kept_rows:
        if status == "passed" and not confirmed_later(m):
            status = "passed-unconfirmed"
        milestones.append(MilestoneRow(
            date=m.date if not m.end_date else f"{m.date}/{m.end_date}",
            date_display=format_range(m.date, m.end_date, lang),
            what=tr.translate(m.text, a.language, lang),
            lang=a.language,
            kind=m.kind,
            kind_display=_(m.kind),
            place=_place(m.place, m.place_country, lang),
            status=status,
            status_display=_(_STATUS_LABEL[status]),
            citations=citations,
        ))

    # ---- people: one per identity key, best spelling, all roles
    from ..analysis import people as people_mod

    everyone = []
    for a in arts:
        for p in a.people:
            p.article_id = a.id
            everyone.append(p)
    merged = people_mod.merge(everyone)
    cites_of: dict[str, set[int]] = {}
    for x in everyone:
        cites_of.setdefault(x.key, set()).add(cite[x.article_id])
    person_rows = []
    for p in merged:
        cites = sorted(cites_of.get(p.key, ()))
        roles = _distinct_roles([role_in(r, lang) for r in (p.roles or ([p.role] if p.role else []))])
        person_rows.append(PersonRow(name=p.name, roles=roles, citations=cites))
    person_rows.sort(key=lambda r: (-len(r.citations), r.name))
    # the most cited people first; a long tail of once-mentioned names is cut, and counted
    person_rows, omitted["people"] = _trim(person_rows, max(settings.max_items, 15))

    # ---- an item reported by dozens of sources cites the most recent few and counts the rest,
    # so a citation list never outgrows its line and the sources list stays what is cited
    sections = (commitments, background, figures, milestones, person_rows)
    cap = settings.max_citations  # 0 = cite every source
    if cap > 0:
        for sec in sections:
            for it in sec:
                if len(it.citations) > cap:
                    it.more_citations = len(it.citations) - cap
                    it.citations = sorted(it.citations)[-cap:]

    # ---- sources: only those the shown items cite, renumbered 1..n in date order
    names: dict[str, str] = {}
    for a in arts:
        if a.language not in names:
            names[a.language] = language_name(a.language, lang)
    languages = sorted(set(names.values()))
    used = sorted({c for sec in sections for it in sec for c in it.citations})
    if len(used) < len(arts):
        renum = {old: new for new, old in enumerate(used, 1)}
        for sec in sections:
            for it in sec:
                it.citations = sorted(renum[c] for c in it.citations)
        omitted["sources"] = len(arts) - len(used)
    else:
        renum = {n: n for n in used}
    sources = [
        Source(
            n=renum[cite[a.id]],
            article_id=a.id,
            title=a.title or _first_words(a),
            url=_safe_url(a.url),
            language=a.language,
            language_name=names[a.language],
            date=a.event_date or a.published,
            path=a.path,
        )
        for a in arts if cite[a.id] in renum
    ]

    for k in [k for k, v in omitted.items() if not v]:
        del omitted[k]

    from ..analysis.countries import country_name

    home_name = country_name(corpus.home_country, lang) if corpus.home_country else None
    return Brief(
        country=group.country,
        country_name=group.name,
        subject=_("Cooperation with {name}").format(name=group.name),
        as_of=settings.as_of,
        as_of_display=format_iso(settings.as_of, lang),
        home_country=corpus.home_country,
        home_country_name=home_name,
        output_lang=lang,
        languages=languages,
        sources=sources,
        background=background,
        commitments=commitments,
        milestones=milestones,
        people=person_rows,
        figures=figures,
        omitted=omitted,
        labels=labels(lang, group.kind),
        organisation=settings.organisation,
        marking=settings.marking,
        kind=group.kind,
    )


LABELS = [
    "Country brief", "As of", "Sources", "Languages", "Subject", "Background", "Commitments",
    "Next milestones", "People", "Key figures", "Date", "What", "Where", "Status", "Source", "Name",
    "Role", "Who", "Title", "Language", "Page", "of", "None found in the sources.", "Home country",
    "Prepared by", "no date", "Changes since last period", "Not shown: {n} more",
    "+{n} more sources",
]


def _labels(lang: str) -> dict[str, str]:
    return {k: gettext(k, lang) for k in LABELS}


def labels(lang: str, kind: str = "country") -> dict[str, str]:
    """A brief's labels in ``lang``, with its title for a group of ``kind`` (country | organisation)."""
    return _labels(lang) | {"title": gettext("Country brief" if kind == "country" else "Organisation brief", lang)}


_URL = re.compile(r"^https?://[^\s<>\"'`{}|\\^]+$", re.I)


def _safe_url(url: str | None) -> str | None:
    """Only plain http(s) URLs become links; anything else is dropped from the sources list."""
    return url if url and len(url) < 2000 and _URL.match(url) else None


def _place(place: str | None, country: str | None, lang: str) -> str | None:
    """'Lyon' + FR -> 'Lyon, France' (country named in the output language)."""
    if not place:
        return None
    if country:
        from ..analysis.countries import country_name

        name = country_name(country, lang)
        if name and name.casefold() not in place.casefold():
            return f"{place}, {name}"
    return place


@lru_cache(maxsize=4096)
def _neg(iso: str) -> tuple:
    """Sort key that puts later ISO dates first (undated last)."""
    return tuple(-ord(ch) for ch in iso) if iso else (1,)


def _first_words(a: ArticleAnalysis, n: int = 12) -> str:
    """A stand-in title for an untitled article: the start of its first real sentence
    (captions and other noise skipped)."""
    classes = a.sentence_classes or []
    for i, sent in enumerate(a.sentences):
        if i < len(classes) and classes[i] == "noise":
            continue
        words = sent.text.split()
        if len(words) < 4:
            continue
        return " ".join(words[:n]) + ("…" if len(words) > n else "")
    return a.id


@lru_cache(maxsize=1)
def _role_titles() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(folded title -> concept, concept -> {language: title shown}) from ``data/roles.toml``."""
    import tomllib
    from importlib import resources

    from ..analysis.people import role_key

    data = tomllib.loads(resources.files("briefgen.data").joinpath("roles.toml").read_text(encoding="utf-8"))
    index: dict[str, str] = {}
    shown: dict[str, dict[str, str]] = {}
    for concept, by_lang in data.items():
        shown[concept] = {lg: titles[0] for lg, titles in by_lang.items() if titles}
        for titles in by_lang.values():
            for t in titles:
                index.setdefault(role_key(t), concept)
    return index, shown


def role_in(role: str, lang: str) -> str:
    """A role that is exactly a known title ("Thứ trưởng", "Vizeminister") in the output
    language ("Deputy Minister"); any other role as written."""
    from ..analysis.people import role_key

    index, shown = _role_titles()
    concept = index.get(role_key(role))
    return shown[concept].get(lang, role) if concept else role


def _role_key(role: str) -> str:
    """Fold case, diacritics and inflection endings: 'stellvertretende Gesundheitsminister' and
    'stellvertretender Gesundheitsminister' are one role."""
    from ..util import fold

    return " ".join(w[:-1] if len(w) > 4 and w[-1] in "nrs" else w for w in re.findall(r"\w+", fold(role)))


def _distinct_roles(roles: list[str]) -> list[str]:
    """Every role once: inflected variants ('Präsident'/'Präsidentin', 'stellvertretende
    Minister'/'stellvertretender Gesundheitsminister') collapse into the longer form."""
    kept: list[tuple[list[str], str]] = []
    for r in sorted(roles, key=lambda x: -len(x)):
        words = _role_key(r).split()
        if not words:
            continue
        stems = {w[:6] for w in words}
        dup = False
        for other, _ in kept:
            contained = all(any(w[:6] in o for o in other) for w in words)
            ostems = {o[:6] for o in other}
            if contained or len(stems & ostems) / len(stems | ostems) >= 0.6:
                dup = True
                break
        if not dup:
            kept.append((words, r))
    order = {r: i for i, r in enumerate(roles)}
    return sorted((r for _, r in kept), key=lambda r: order[r])


def _trim(items: list, limit: int) -> tuple[list, int]:
    if len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def _anchors(evidence: str, a: ArticleAnalysis) -> set[str]:
    """What a statement can be recognised by in another language: its numbers and the people
    it names (diacritics folded)."""
    from ..util import fold

    words = set(re.findall(r"\w+", fold(evidence)))
    found = {"#" + n for n in _numbers(evidence)}
    for p in a.people:
        toks = (p.key or "").split()
        if len(toks) >= 2 and all(t in words for t in toks):
            found.add("@" + p.key)
    return found


class _Candidate:
    """A statement before it is kept or trimmed: brief items are made only for the kept ones."""

    __slots__ = ("text", "lang", "who", "citations", "score")

    def __init__(self, text: str, lang: str, who: str | None, citation: int, score: float):
        self.text, self.lang, self.who, self.citations, self.score = text, lang, who, [citation], score


def _merge_items(raw, cite, cluster_of) -> list[_Candidate]:
    """One item per statement; a statement also made in another report of the same event is
    shown once with both citations. Two statements are taken as one only when they share what
    identifies them across languages (the same numbers, the same people), sit at a similar place
    in their reports, and neither is already matched to that report; when unsure, both stay."""
    items: list[_Candidate] = []
    meta: list[dict | None] = []  # None: an item that nothing can merge into
    by_cluster: dict[int, list[int]] = {}  # candidates are only items of the same event
    size: dict[int, int] = {}
    for cid in cluster_of.values():
        size[cid] = size.get(cid, 0) + 1
    for a, text, evidence, who, sent_idx, score in raw:
        cl = cluster_of.get(a.id, -1)
        if size.get(cl, 0) <= 1:  # the only report of its event: nothing to merge with
            items.append(_Candidate(text, a.language, who, cite[a.id], score))
            meta.append(None)
            continue
        n_sent = max(a.sentence_count or len(a.sentences), 1)  # a slim analysis may have dropped them
        pos = sent_idx / n_sent if sent_idx >= 0 else -1.0
        anchors = _anchors(evidence, a)
        best, best_key = None, None
        if anchors and cl >= 0 and pos >= 0:
            for k in by_cluster.get(cl, ()):
                m = meta[k]
                if a.id in m["articles"] or m["pos"] < 0 or not m["anchors"]:
                    continue
                shared = anchors & m["anchors"]
                jac = len(shared) / len(anchors | m["anchors"])
                drift = abs(pos - m["pos"])
                if not shared or jac < 0.5 or drift > 0.2:
                    continue
                key = (jac, -drift)
                if best_key is None or key > best_key:
                    best, best_key = k, key
        if best is not None:
            meta[best]["articles"].add(a.id)
            if cite[a.id] not in items[best].citations:
                items[best].citations.append(cite[a.id])
                items[best].citations.sort()
            continue
        by_cluster.setdefault(cl, []).append(len(items))
        items.append(_Candidate(text, a.language, who, cite[a.id], score))
        meta.append({"cluster": cl, "pos": pos, "anchors": anchors, "articles": {a.id}})
    return items
