"""Same event across languages: the seeds and a 10,000-article corpus."""
from __future__ import annotations

import random
import time
from pathlib import Path

from briefgen.analysis import classify, events, people, sentences
from briefgen.model import ArticleAnalysis, DateMention, Figure, Person, Sentence
from briefgen.readers.text import read_text
from briefgen.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LANG = {"000": "id", "001": "de", "002": "vi", "003": "de", "004": "vi"}


def _analysis(prefix: str, with_dates: bool = True) -> ArticleAnalysis:
    path = next((ROOT / "seeds").glob(f"{prefix}_*.txt"))
    art = read_text(path, path.read_bytes(), path.name, Settings())[0]
    lang = LANG[prefix]
    sents = sentences.split(art.text, lang)
    anchor, dm = None, []
    if with_dates:
        try:
            from briefgen.analysis import dates as d

            anchor, _s, _c = d.article_date(art, sents, lang)
            dm = d.find_dates(art.text, lang, anchor, sents)
        except Exception:  # noqa: BLE001 - another module's failure must not hide this one's behaviour
            anchor, dm = None, []
    classes = classify.classify(sents, lang, dm, anchor, set())
    _c, _b, figures = classify.extract(art, sents, classes, lang, dm)
    return ArticleAnalysis(id=art.id, path=art.path, title=art.title, url=art.url, language=lang, event_date=anchor,
                           sentences=sents, dates=dm, figures=figures, people=people.find_people(sents, lang))


def test_seeds_001_and_002_are_one_event_and_000_is_not():
    analyses = [_analysis(p) for p in LANG]
    ids = {p: a.id for p, a in zip(LANG, analyses)}
    links = events.link_same_events(analyses)
    assert links[ids["001"]] == [ids["002"]]
    assert links[ids["002"]] == [ids["001"]]
    assert ids["000"] not in links  # same deputy minister, another meeting a week later
    assert ids["003"] not in links and ids["004"] not in links


def test_seeds_link_without_any_date():
    analyses = [_analysis(p, with_dates=False) for p in LANG]
    for a in analyses:
        a.event_date = None
    links = events.link_same_events(analyses)
    assert sorted(links) == sorted([analyses[1].id, analyses[2].id])


def test_conflicting_event_dates_keep_reports_apart():
    a = _analysis("001", with_dates=False)
    b = _analysis("002", with_dates=False)
    a.event_date, b.event_date = "2025-10-31", "2025-12-20"
    assert events.link_same_events([a, b]) == {}
    a.event_date = "2025-11-01"  # within a few days: same event
    b.event_date = "2025-10-31"
    assert events.link_same_events([a, b]) == {a.id: [b.id], b.id: [a.id]}


def test_empty_and_single():
    assert events.link_same_events([]) == {}
    assert events.link_same_events([_analysis("004", with_dates=False)]) == {}
    bare = [ArticleAnalysis(id=str(i), path="", title=None, url=None, language="en") for i in range(3)]
    assert events.link_same_events(bare) == {}


def _synthetic(n: int, seed: int = 7) -> tuple[list[ArticleAnalysis], set[frozenset[str]]]:
    """n articles: pairs that share an event (people, figures, day) and many unrelated ones that share
    only common names, years and a popular resolution number."""
    rnd = random.Random(seed)
    family = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do"]
    given = ["Van", "Thi", "Minh", "Thanh", "Hong", "Quang", "Duc", "Anh", "Thu", "Lan", "Son", "Hai"]
    out: list[ArticleAnalysis] = []
    truth: set[frozenset[str]] = set()

    def make(idx: int, who: list[str], figs: list[str], day: str) -> ArticleAnalysis:
        sent = Sentence(0, "Resolution 72-NQ/TW in 2025.", 0, 28)
        return ArticleAnalysis(
            id=f"a{idx:05d}", path="", title=None, url=None, language="vi", event_date=day, sentences=[sent],
            people=[Person(name=w, key=people.person_key(w)) for w in who],
            figures=[Figure(value=v, text=v) for v in figs],
            dates=[DateMention(day, 0, 1, day, "day"), DateMention("2025", 0, 1, "2025", "year")],
        )

    i = 0
    while len(out) < n:
        who = [" ".join([rnd.choice(family), rnd.choice(given), rnd.choice(given), f"X{rnd.randrange(10**6)}"]) for _ in range(2)]
        figs = [str(rnd.randrange(10, 5000)) for _ in range(2)]
        day = f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"
        if rnd.random() < 0.3 and len(out) + 2 <= n:
            a, b = make(i, who, figs, day), make(i + 1, list(reversed(who)), figs, day)
            out += [a, b]
            truth.add(frozenset((a.id, b.id)))
            i += 2
        else:
            out.append(make(i, who, figs, day))
            i += 1
    return out, truth


def test_ten_thousand_articles_in_a_few_seconds():
    analyses, truth = _synthetic(10_000)
    t0 = time.perf_counter()
    links = events.link_same_events(analyses)
    seconds = time.perf_counter() - t0
    assert seconds < 5.0, seconds
    found = {frozenset([k, *v]) for k, v in links.items()}
    assert found == truth  # every twin found, nothing else linked
