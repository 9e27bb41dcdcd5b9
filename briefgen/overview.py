"""The overview of a report period: one page for the whole month.

Countries with their article counts and languages, the next milestones across all countries
(sorted by date), and what changed since the previous period. Written as a one-page PDF (rows
are trimmed, with a note, until it fits), a self-contained HTML file and JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .model import Brief, Corpus, to_dict
from .settings import Settings

#: row limits tried in turn until the PDF fits on one page
_LIMITS = ((14, 12, 4), (10, 8, 3), (7, 5, 2), (5, 3, 1), (3, 2, 0))


@dataclass
class CountryRow:
    code: str
    name: str
    kind: str
    articles: int
    languages: list[str]
    upcoming: int
    file: str


@dataclass
class OverviewMilestone:
    date: str
    date_display: str
    country: str
    country_name: str
    what: str
    lang: str
    kind_display: str
    status: str
    status_display: str


@dataclass
class Overview:
    period: str
    period_display: str
    since: str
    until: str
    as_of: str
    output_lang: str
    organisation: str
    marking: str
    home_country_name: str | None
    compared_with: str | None
    countries: list[CountryRow]
    milestones: list[OverviewMilestone]
    changes: list[dict]  # {country, country_name, changes: {kind: [lines]}}
    counts: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)


LABELS = [
    "Monthly overview", "Overview", "Period", "As of", "Countries", "Country", "Articles", "Languages",
    "Upcoming milestones", "Next milestones", "Date", "What", "Status", "Changes since last period",
    "Compared with", "Inputs", "used", "skipped", "undated", "failed", "No articles dated in this period.",
    "None found in the sources.", "{n} more not shown", "Home country", "Prepared by", "Page", "of",
    "first report: nothing to compare with",
]


def period_display(name: str, since: str, until: str, kind: str, lang: str) -> str:
    from .i18n import format_iso

    if kind == "month":
        return format_iso(name, lang)
    return f"{format_iso(since, lang)} – {format_iso(until, lang)}"


def build_overview(period, corpus: Corpus, briefs: list[Brief], input_records: list[dict], settings: Settings,
                   compared_with: str | None) -> Overview:
    from .analysis.countries import country_name
    from .i18n import gettext
    from .pipeline import brief_basename

    lang = settings.output_lang
    counts = {s: sum(1 for r in input_records if r["status"] == s) for s in ("used", "skipped", "failed")}
    counts["undated"] = sum(1 for r in input_records if (r.get("reason") or "").startswith("undated"))
    counts["articles"] = len(corpus.articles)
    by_country = {b.country: b for b in briefs}
    rows = []
    for g in corpus.groups:
        b = by_country.get(g.country)
        if b is None:
            continue
        rows.append(CountryRow(
            code=g.country, name=b.country_name, kind=g.kind, articles=len(g.articles), languages=b.languages,
            upcoming=sum(1 for m in b.milestones if m.status in ("upcoming", "due")),
            file=brief_basename(b) + ".pdf",
        ))
    ms = []
    seen = set()
    for b in briefs:
        for m in b.milestones:
            if m.status not in ("upcoming", "due"):
                continue
            key = (b.country, m.date, m.kind, m.what)
            if key in seen:
                continue
            seen.add(key)
            ms.append(OverviewMilestone(m.date, m.date_display, b.country, b.country_name, m.what, m.lang,
                                        m.kind_display, m.status, m.status_display))
    ms.sort(key=lambda m: (_deadline(m.date), m.date, m.country, m.what))
    changes = [
        {"country": b.country, "country_name": b.country_name, "changes": {k: v for k, v in b.changes.items() if v}}
        for b in briefs if any(b.changes.values())
    ]
    home = corpus.home_country
    return Overview(
        period=period.name,
        period_display=period_display(period.name, period.start.isoformat(), period.end.isoformat(), period.kind, lang),
        since=period.start.isoformat(),
        until=period.end.isoformat(),
        as_of=settings.as_of,
        output_lang=lang,
        organisation=settings.organisation,
        marking=settings.marking,
        home_country_name=country_name(home, lang) if home else None,
        compared_with=compared_with,
        countries=rows,
        milestones=ms,
        changes=changes,
        counts=counts,
        labels={k: gettext(k, lang) for k in LABELS},
    )


def _deadline(date: str) -> str:
    """Sort key: the last day a milestone's date stands for, so 'by the end of 2026' comes after
    'January 2026' (a plain string sort puts every bare year first)."""
    from .report import date_bounds

    end = date.split("/")[-1]
    b = date_bounds(end)
    return b[1].isoformat() if b else end


def _trimmed(ov: Overview, limits: tuple[int, int, int]) -> dict:
    n_ms, n_countries, n_lines = limits
    changes = []
    for c in ov.changes[:n_countries]:
        ch = {}
        for k, lines in c["changes"].items():
            ch[k] = {"shown": lines[:n_lines], "more": max(len(lines) - n_lines, 0)}
        changes.append({**c, "changes": ch})
    return {
        "milestones": ov.milestones[:n_ms],
        "milestones_more": max(len(ov.milestones) - n_ms, 0),
        "changes": changes,
        "changes_more": max(len(ov.changes) - n_countries, 0),
    }


def render_html(ov: Overview, settings: Settings, for_pdf: bool, limits=_LIMITS[0]) -> str:
    from .writers.html import logo_uri, stylesheet
    from .writers.templating import render_template

    css = stylesheet(settings)
    if not for_pdf:
        css = "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))
    return render_template("overview.html.j2", settings, ov=ov, view=_trimmed(ov, limits), css=css,
                           logo=logo_uri(settings))


def render_pdf(ov: Overview, settings: Settings) -> tuple[bytes, int]:
    """A one-page PDF: fewer rows until it fits (the HTML and JSON copies keep everything).
    Rendered like the briefs (writers.pdf): packaged fonts through the sandboxed fetcher and
    reproducible bytes."""
    from .writers import pdf as pdfw

    for limits in _LIMITS:
        html = render_html(ov, settings, True, limits)
        doc = pdfw.layout(html, settings)
        if len(doc.pages) <= 1 or limits is _LIMITS[-1]:
            break
    variant = settings.pdf_variant if settings.pdf_variant in pdfw.VARIANTS else "pdf/ua-1"
    return pdfw.write(doc, html, ov.as_of, variant), len(doc.pages)


def write_overview(ov: Overview, folder: Path, settings: Settings) -> list[Path]:
    from .util import write_bytes_atomic, write_text_atomic

    base = folder / f"{ov.period}_overview"
    paths = []
    if "pdf" in settings.formats:
        data, _ = render_pdf(ov, settings)
        paths.append(write_bytes_atomic(base.with_suffix(".pdf"), data))
    paths.append(write_text_atomic(base.with_suffix(".html"), render_html(ov, settings, False, (10**6, 10**6, 10**6))))
    paths.append(write_text_atomic(base.with_suffix(".json"),
                                   json.dumps(to_dict(ov), ensure_ascii=False, indent=2, sort_keys=True) + "\n"))
    return paths
