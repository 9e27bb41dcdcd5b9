"""Analysis: one article in, one ``ArticleAnalysis`` out; then corpus-level resolution.

``analyze_article`` is a pure function of (article, settings): no global state, no I/O, so it
can be cached by content hash and mapped over processes or a Dask cluster. Cross-article facts
(home country, partners, same-event links, dates lent between reports of one event, groups)
are resolved afterwards by ``corpus.finish``.

Each step lives in its own module with one entry point:

============  ==========================================================================
language      detect(text) -> (iso639-1, confidence); here: detect_language(s)(article(s))
sentences     split(text, lang) -> [Sentence]
countries     find_mentions(article, sentences, lang, settings) -> [CountryMention]
              score(mentions, article, sentences) -> [CountryScore]
              detect_home(analyses) -> code | None; choose_partners(analysis, home)
dates         article_date(article, sentences, lang) -> (iso | None, source | None, conf)
              find_dates(text, lang, anchor, sentences) -> [DateMention]
milestones    extract(article, sentences, dates, lang, anchor) -> [Milestone]
classify      classify(sentences, lang, dates, anchor, milestone_sentences) -> [class]
              extract(article, sentences, classes, lang, dates) -> (commitments, background, figures)
              repeats(analysis) -> [bool]: background items that repeat a commitment/milestone
people        find_people(sentences, lang) -> [Person]
events        keys(analysis) -> [str]; link_same_events(analyses) -> {id: [ids]}
============  ==========================================================================

``slim(analysis)`` drops the detail that neither the corpus step nor the briefs need
(``keeps_sentences`` says when the sentences stay).
"""
from __future__ import annotations

from ..model import Article, ArticleAnalysis
from ..settings import Settings

#: bump when analysis output changes, so cached per-article results are recomputed
ANALYZER_VERSION = "8"


def detect_language(article: Article) -> tuple[str, float]:
    """The article's language: (ISO 639-1 code, confidence), from its title and text."""
    from . import language

    return language.detect(((article.title or "") + "\n" + article.text).strip())


def detect_languages(articles) -> list[tuple[str, float] | None]:
    """``detect_language`` over a batch, one after the other: lingua's models stay in the CPU
    cache (detecting between the other steps costs ~3x as much). None where detection failed
    (``analyze_article`` then tries again and reports the error)."""
    out: list[tuple[str, float] | None] = []
    for a in articles:
        try:
            out.append(detect_language(a))
        except Exception:
            out.append(None)
    return out


def analyze_article(article: Article, settings: Settings, language: tuple[str, float] | None = None) -> ArticleAnalysis:
    """``language``: the article's (code, confidence) if already detected (``detect_languages``)."""
    from . import classify, countries, dates, events, milestones, people, sentences

    lang, lang_conf = language if language is not None else detect_language(article)
    sents = sentences.split(article.text, lang)
    anchor, anchor_source, anchor_conf = dates.article_date(article, sents, lang)
    date_mentions = dates.find_dates(article.text, lang, anchor, sents)
    found_milestones = milestones.extract(article, sents, date_mentions, lang, anchor)
    milestone_sentences = {m.sentence for m in found_milestones}
    classes = classify.classify(sents, lang, date_mentions, anchor, milestone_sentences)
    commitments, background, figures = classify.extract(article, sents, classes, lang, date_mentions)
    mentions = countries.find_mentions(article, sents, lang, settings)
    scores = countries.score(mentions, article, sents)
    result = ArticleAnalysis(
        id=article.id,
        path=article.path,
        title=article.title,
        url=article.url,
        language=lang,
        language_confidence=lang_conf,
        published=article.published,
        event_date=anchor,
        event_date_source=anchor_source,
        date_confidence=anchor_conf,
        countries=scores,
        sentences=sents,
        sentence_classes=classes,
        dates=date_mentions,
        milestones=found_milestones,
        commitments=commitments,
        background=background,
        figures=figures,
        people=people.find_people(sents, lang),
        source_format=article.source_format,
        removed=article.removed,
        mentions=mentions,
        sentence_count=len(sents),
    )
    result.event_keys = events.keys(result)
    result.home_cues = countries.home_cues(result)
    result.background_repeats = classify.repeats(result)
    return result


def slim(a: ArticleAnalysis) -> ArticleAnalysis:
    """Drop what only ``analyze --full`` shows once the corpus step has what it needs from it
    (``event_keys``, ``home_cues``): the country and date mentions, and the sentences unless
    ``keeps_sentences``. Together about half of an analysis's memory."""
    if a.event_keys is not None and a.home_cues is not None:
        a.mentions = []
        a.dates = []
        if not keeps_sentences(a):
            a.sentences = []
        a.detail_dropped = True
    return a


def keeps_sentences(a: ArticleAnalysis) -> bool:
    """Whether a slim analysis still needs its sentences: an undated article may be lent a date
    by another report of its event (its date mentions are then recomputed from them), and an
    untitled one is named by its first sentence. The briefs read the rest from the extracted
    items, which quote their sentences, and ``sentence_count``."""
    return a.event_date is None or not a.title
