"""Typed records shared by every stage.

Data flows one way: readers produce ``Article``; analysis turns one article into an
``ArticleAnalysis`` (a pure function of article + settings, so it can be cached and
mapped in parallel) and then resolves cross-article facts (home country, partners,
same-event links, lent dates) into a ``Corpus``; ``brief`` turns a country group into a
``Brief``; writers render a ``Brief``. No stage reaches into another's internals: they
exchange only these records.

Dates are ISO 8601 strings at the precision the text gives: ``2026``, ``2026-04``,
``2026-04-15``; quarters and halves as ``2026-Q2`` / ``2026-H1``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from operator import attrgetter
from typing import Any


def to_dict(obj: Any) -> Any:
    """Plain-JSON view of any record (dataclasses, lists, dicts)."""
    if is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def _pickled_as_tuple(cls):
    """Pickle a slotted record as its class and a tuple of its field values (rebuilt through
    ``__init__``) instead of the default, a dict of slot names per object. Analyses travel
    from the workers and into the cache by the ten thousand, a few hundred records each:
    this halves the time to pickle them and cuts a quarter of the bytes."""
    names = [f.name for f in fields(cls)]
    get = attrgetter(*names)
    if len(names) == 1:
        def __reduce__(self):
            return cls, (get(self),)
    else:
        def __reduce__(self):
            return cls, get(self)
    cls.__reduce__ = __reduce__
    return cls


# --------------------------------------------------------------------------- readers


@_pickled_as_tuple
@dataclass(slots=True)
class Removed:
    """A piece of page furniture a reader or the clean-up dropped, and why."""

    text: str
    reason: str  # e.g. "related-news list", "comment counter", "image line"


@dataclass
class Article:
    """One input article, as every reader returns it."""

    id: str  # stable id: the file name (relative to the folder it was found under)
    path: str  # the path as given or found under a given folder
    text: str  # main text, NFC, page furniture removed
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date from metadata (HTML meta, JSON field)
    source_format: str = "txt"  # txt, md, html, docx, pdf, eml, json, jsonl
    removed: list[Removed] = field(default_factory=list)  # furniture, kept for --explain
    sha256: str = ""  # of the raw input bytes
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputRecord:
    """What happened to one input file: for manifest.json and the error lines."""

    path: str
    status: str  # "used" | "skipped" | "failed"
    reason: str | None = None
    sha256: str | None = None
    article_ids: list[str] = field(default_factory=list)
    article_date: str | None = None


# --------------------------------------------------------------------------- analysis


@_pickled_as_tuple
@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    start: int  # character offsets in Article.text
    end: int
    paragraph: int = 0


@_pickled_as_tuple
@dataclass(slots=True)
class DateMention:
    text: str  # the surface string
    start: int
    end: int
    value: str  # ISO at the precision given: 2026 / 2026-04 / 2026-04-15 / 2026-Q2 / 2026-H1
    precision: str  # "year" | "half" | "quarter" | "month" | "day"
    end_value: str | None = None  # ranges: "2025-2026" -> value 2025, end_value 2026
    relative: bool = False  # resolved against an anchor ("next April", "năm sau")
    sentence: int | None = None


@_pickled_as_tuple
@dataclass(slots=True)
class CountryMention:
    code: str  # ISO 3166-1 alpha-2, or an organisation key such as "WHO"
    surface: str
    start: int
    end: int
    zone: str  # "title" | "lead" | "body" | "furniture"
    kind: str = "name"  # name, adjective, compound, place, agency, organisation


@_pickled_as_tuple
@dataclass(slots=True)
class CountryScore:
    code: str
    name: str
    score: float
    mentions: int
    zones: dict[str, int] = field(default_factory=dict)
    is_partner: bool = False
    is_organisation: bool = False
    reason: str = ""


@_pickled_as_tuple
@dataclass(slots=True)
class Milestone:
    date: str  # ISO at the precision given
    kind: str  # signing, conference, visit, deadline, launch, period-end, anniversary, plan
    text: str  # what (a phrase from the sentence)
    evidence: str  # the sentence, verbatim
    article_id: str = ""
    end_date: str | None = None
    place: str | None = None
    place_country: str | None = None
    sentence: int = -1


@_pickled_as_tuple
@dataclass(slots=True)
class Commitment:
    text: str
    evidence: str
    who: str | None = None
    article_id: str = ""
    sentence: int = -1


@_pickled_as_tuple
@dataclass(slots=True)
class Figure:
    value: str  # "114"
    text: str  # "114 pabrik yang diinvestasikan oleh perusahaan Prancis"
    evidence: str = ""
    article_id: str = ""
    sentence: int = -1


@_pickled_as_tuple
@dataclass(slots=True)
class BackgroundItem:
    text: str
    evidence: str
    article_id: str = ""
    sentence: int = -1
    dates: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    score: float = 0.0


@_pickled_as_tuple
@dataclass(slots=True)
class Person:
    name: str
    role: str | None = None
    key: str = ""  # diacritic-folded, order-insensitive identity key
    article_id: str = ""
    roles: list[str] = field(default_factory=list)


@_pickled_as_tuple
@dataclass(slots=True)
class ArticleAnalysis:
    """Everything analysis says about one article. Pure function of (article, settings)."""

    id: str
    path: str
    title: str | None
    url: str | None
    language: str  # ISO 639-1
    language_confidence: float = 0.0
    published: str | None = None
    event_date: str | None = None
    event_date_source: str | None = None  # meta, dateline, url, context, lent:<id>
    date_confidence: float = 0.0
    countries: list[CountryScore] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    sentence_classes: list[str] = field(default_factory=list)  # parallel to sentences
    dates: list[DateMention] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    background: list[BackgroundItem] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    same_event_as: list[str] = field(default_factory=list)
    source_format: str = "txt"
    removed: list[Removed] = field(default_factory=list)
    mentions: list[CountryMention] = field(default_factory=list)
    error: str | None = None  # set when analysis failed: the article is left out of the briefs
    # what the corpus step needs, kept when the detail above is dropped (see ``slim``):
    event_keys: list[str] | None = None  # same-event linking keys, "kind:value"
    home_cues: dict[str, int] | None = None  # country -> cues that it is the article's home
    sentence_count: int = 0  # len(sentences) as analysed; kept when ``slim`` drops the sentences
    # per background item: does it repeat a commitment or milestone of this article
    # (``classify.repeats``)? None when not known (a lent date re-extracted the milestones)
    background_repeats: list[bool] | None = None
    # the detail ``slim`` drops, still as ``cache.pack`` made it: ``analyze --full`` unpacks it
    # only as it writes the article (``cache.with_detail``), so 10,000 analyses do not all hold it
    detail_packed: bytes | None = None
    # set by ``slim`` once it has dropped the detail: ``cache.pack`` then stores the analysis as
    # one without it, whatever it is asked, so a slim analysis is never cached as a whole one
    detail_dropped: bool = False


@dataclass
class Group:
    country: str  # ISO alpha-2 or organisation key
    name: str
    kind: str  # "country" | "organisation"
    articles: list[str]


@dataclass
class Corpus:
    as_of: str
    home_country: str | None
    articles: list[ArticleAnalysis]
    groups: list[Group]
    inputs: list[InputRecord] = field(default_factory=list)


# --------------------------------------------------------------------------- brief


@dataclass
class Source:
    n: int
    article_id: str
    title: str
    url: str | None
    language: str
    language_name: str
    date: str | None
    path: str


@dataclass
class BriefItem:
    text: str
    lang: str  # language of the text (extracted sentences stay in their language)
    citations: list[int]
    who: str | None = None
    figures: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    more_citations: int = 0  # further sources saying the same, not listed (see Settings.max_citations)


@dataclass
class MilestoneRow:
    date: str
    date_display: str
    what: str
    lang: str
    kind: str
    kind_display: str
    place: str | None
    status: str  # upcoming | due | passed | passed-unconfirmed
    status_display: str
    citations: list[int]
    more_citations: int = 0


@dataclass
class PersonRow:
    name: str
    roles: list[str]
    citations: list[int]
    more_citations: int = 0


@dataclass
class Brief:
    country: str
    country_name: str  # in the output language
    subject: str
    as_of: str
    as_of_display: str
    home_country: str | None
    home_country_name: str | None
    output_lang: str
    languages: list[str]  # display names of the source languages
    sources: list[Source]
    background: list[BriefItem]
    commitments: list[BriefItem]
    milestones: list[MilestoneRow]
    people: list[PersonRow]
    figures: list[BriefItem] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    organisation: str = ""
    marking: str = ""
    kind: str = "country"
    changes: dict[str, list[str]] = field(default_factory=dict)  # what changed since last period


__all__ = [name for name in dir() if name[0].isupper()] + ["to_dict", "asdict"]
