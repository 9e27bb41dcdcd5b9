"""Milestones: dated future events relative to the article's own date, on the seeds and on
hand-written sentences in several languages (background, border markers, done 'milestones')."""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from briefgen.analysis import dates as D
from briefgen.analysis import milestones as M
from briefgen.model import Article
from briefgen.readers import discover, read
from briefgen.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_LANG = {"000": "id", "001": "de", "002": "vi", "003": "de", "004": "vi"}

_spec = importlib.util.spec_from_file_location("score_dates", ROOT / "scripts" / "score_dates.py")
_scorer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_scorer)
split = _scorer.split  # the project splitter, or a simple fallback while it does not exist


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    s = Settings()
    return {a.id[:3]: a for p, d in discover([str(ROOT / "seeds")], s) for a in read(p, d, s)}


def run(article: Article, lang: str, anchor: str | None = "auto"):
    sents = split(article.text, lang)
    if anchor == "auto":
        anchor = D.article_date(article, sents, lang)[0]
    ds = D.find_dates(article.text, lang, anchor, sents)
    return M.extract(article, sents, ds, lang, anchor), sents


def extract_text(text: str, lang: str, anchor: str | None):
    return run(Article(id="t", path="t", text=text), lang, anchor)[0]


# --------------------------------------------------------------------------- seeds


def test_seed_000_signing_in_lyon(seeds):
    ms, sents = run(seeds["000"], "id")
    assert len(ms) == 1
    m = ms[0]
    assert (m.date, m.kind, m.place, m.place_country) == ("2026-04", "signing", "Lyon", "FR")
    assert "Konferensi Satu Kesehatan yang diselenggarakan di Lyon, Prancis pada bulan April 2026" in m.evidence
    assert m.evidence in seeds["000"].text  # verbatim
    assert m.text in m.evidence and len(m.text.split()) <= 27
    assert m.article_id == seeds["000"].id
    assert sents[m.sentence].text == m.evidence


def test_seed_003_period_end_not_border_marker(seeds):
    ms, _ = run(seeds["003"], "de")
    assert [(m.date, m.kind) for m in ms] == [("2026", "period-end")]
    assert "Kooperationsrichtungen für den Zeitraum 2025-2026" in ms[0].evidence
    assert "1369" not in ms[0].date
    assert ms[0].evidence in seeds["003"].text


@pytest.mark.parametrize("key", ["001", "002", "004"])
def test_seeds_without_milestones(seeds, key):
    ms, _ = run(seeds[key], SEED_LANG[key])
    assert ms == []


def test_seed_001_with_the_date_lent_by_002_still_has_none(seeds):
    # 'bis Ende 2024' and 'Gesundheitskonferenz 2025' are background for an event of 2025-10-31
    ms, _ = run(seeds["001"], "de", "2025-10-31")
    assert ms == []


def test_related_news_dates_never_become_milestones(seeds):
    # 004's related-news list ("... năm 2026", "nhiệm kỳ 2025-2030") was removed by the reader
    text = "\n".join(r.text for r in seeds["004"].removed)
    assert "2026" in text
    ms, _ = run(seeds["004"], "vi")
    assert ms == []


# --------------------------------------------------------------------------- behaviour


def test_past_dates_are_background():
    assert extract_text("Hai bên đã ký kết biên bản ghi nhớ vào tháng 7/2023.", "vi", "2025-11-06") == []
    assert extract_text("The agreement was signed in 1993.", "en", "2025-11-06") == []


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Ein wichtiger Meilenstein wurde im März 2024 mit der Eröffnung des Zentrums erreicht.", "de"),
        ("Cột mốc quan trọng này được đánh dấu bằng việc khánh thành bệnh viện vào năm 2020.", "vi"),
        ("Tonggak sejarah ini dicapai pada tahun 2019 ketika rumah sakit pertama dibuka.", "id"),
        ("This milestone was reached in 2022, when the first clinic opened.", "en"),
        ("Cette étape importante a été franchie en 2023.", "fr"),
        ("Este hito se alcanzó en 2021, cuando se firmó el primer convenio.", "es"),
    ],
)
def test_done_milestone_words_are_not_milestones(text, lang):
    assert extract_text(text, lang, "2025-11-06") == []


def test_relative_dates_against_the_article_date_not_today():
    ms = extract_text("Dự kiến, Thủ tướng sẽ thăm chính thức Pháp vào năm sau.", "vi", "2019-03-01")
    assert [(m.date, m.kind) for m in ms] == [("2020", "visit")]


def test_weak_anchor_from_background_dates():
    text = "The hospital was founded in 1998. It will open a new oncology wing in 2027."
    assert [(m.date, m.kind) for m in extract_text(text, "en", None)] == [("2027", "launch")]
    text = "Die Klinik wurde 2019 gebaut. Die Klinik wurde im Jahr 2020 erweitert."
    assert extract_text(text, "de", None) == []


def test_no_anchor_and_no_future_cue_gives_nothing():
    assert extract_text("Die Konferenz im Jahr 2027 in Berlin.", "de", None) == []


def test_deadline_and_place_country():
    ms = extract_text("D'ici fin 2026, toutes les provinces devront être raccordées au réseau.", "fr", "2025-11-06")
    assert [(m.date, m.kind) for m in ms] == [("2026", "deadline")]
    ms = extract_text("Kedua menteri dijadwalkan menandatangani nota kesepahaman di Jakarta pada 15 Januari 2026.", "id", "2025-11-06")
    assert [(m.date, m.kind, m.place, m.place_country) for m in ms] == [("2026-01-15", "signing", "Jakarta", "ID")]


def test_german_capitalised_nouns_are_not_places():
    ms = extract_text("Das neue Krankenhaus soll Anfang 2027 in Betrieb gehen.", "de", "2025-10-31")
    assert [(m.date, m.kind, m.place) for m in ms] == [("2027", "launch", None)]


def test_text_is_short_and_verbatim():
    long = ("Khususnya, " + "kerja sama kesehatan yang erat dan efektif " * 8
            + "untuk mendorong penandatanganan pada Konferensi di Lyon pada bulan April 2026, " + "dan seterusnya " * 10 + ".")
    ms = extract_text(long, "id", "2025-11-06")
    assert len(ms) == 1
    assert ms[0].text in long and len(ms[0].text.split()) <= 27
    assert ms[0].text.endswith("April 2026")


@pytest.mark.parametrize("text", ["", "2026", "\x00 2027 \ufeff", "Q2 2026 " * 2000])
def test_bad_input_does_not_crash(text):
    out = extract_text(text, "en", "2025-11-06")
    assert isinstance(out, list)


def test_empty_dates_and_unknown_language():
    assert M.extract(Article(id="x", path="x", text="x"), [], [], "xx", None) == []
    ms = extract_text("2026年4月在北京签署合作协议。", "xx", "2025-01-01")
    assert [m.date for m in ms] == ["2026-04"]


def test_speed(seeds):
    prepared = []
    for k, a in seeds.items():
        lang = SEED_LANG[k]
        sents = split(a.text, lang)
        anchor = D.article_date(a, sents, lang)[0]
        prepared.append((a, sents, D.find_dates(a.text, lang, anchor, sents), lang, anchor))
    for p in prepared:
        M.extract(*p)
    t = time.process_time()
    for _ in range(50):
        for p in prepared:
            M.extract(*p)
    assert (time.process_time() - t) / (50 * len(prepared)) < 0.005


def test_cancelled_dates_and_clause_breaks():
    ms = extract_text("Lễ ký hiệp định vay sẽ được tổ chức vào tháng 2/2026 tại Tokyo, thay vì tháng 12/2025 như kế hoạch ban đầu.", "vi", "2025-11-20")
    assert [(m.date, m.kind, m.place, m.place_country) for m in ms] == [("2026-02", "signing", "Tokyo", "JP")]
    ms = extract_text("The loan will be signed in December 2025, and construction is planned for the first quarter of 2026.", "en", "2025-10-14")
    assert [(m.date, m.kind) for m in ms] == [("2025-12", "signing"), ("2026-Q1", "plan")]
    assert ms[1].text.startswith("and construction")
    # "findet ... statt" is German for "takes place", not "instead of"
    ms = extract_text("Der nächste Gesundheitsdialog findet im Oktober 2026 in Hanoi statt.", "de", "2025-10-14")
    assert [(m.date, m.kind, m.place) for m in ms] == [("2026-10", "conference", "Hanoi")]


def test_this_month_with_future_wording():
    text = "Hội nghị Y học Pháp - Việt lần thứ sáu sẽ diễn ra vào tháng 11 tại Thành phố Hồ Chí Minh."
    ms = extract_text(text, "vi", "2025-11-06")
    assert [(m.date, m.kind, m.place) for m in ms] == [("2025-11", "conference", "Thành phố Hồ Chí Minh")]
    assert extract_text("Hội nghị đã diễn ra vào tháng 11 tại Hà Nội.", "vi", "2025-11-20") == []
    # a year that is running, without future wording, is background
    assert extract_text("Hội nghị Y tế Pháp - Việt năm 2025 quy tụ nhiều chuyên gia.", "vi", "2025-10-31") == []
