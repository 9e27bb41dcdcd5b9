"""The brief model: milestone statuses, same-event merging, citations, output language."""
from __future__ import annotations

import datetime as dt

import pytest

from briefgen.brief import build_brief, milestone_status
from briefgen.i18n import format_iso
from briefgen.model import (ArticleAnalysis, BackgroundItem, Commitment, Corpus, Group, Milestone,
                            Person, Sentence)
from briefgen.settings import Settings

AS_OF = dt.date(2026, 11, 23)


@pytest.mark.parametrize("date,end,status", [
    ("2026-04", None, "passed"),
    ("2026-11", None, "due"),
    ("2026-11-30", None, "due"),
    ("2026-11-23", None, "due"),
    ("2026-12", None, "upcoming"),
    ("2026", None, "upcoming"),     # the year ends next month
    ("2025", "2026", "upcoming"),
    ("2024", "2025", "passed"),
    ("2027-Q1", None, "upcoming"),
    ("2026-Q2", None, "passed"),
    ("2026-H2", None, "upcoming"),
    ("2026-10-31", None, "passed"),
])
def test_milestone_status(date, end, status):
    assert milestone_status(date, end, AS_OF) == status


def test_dates_keep_their_precision_in_both_languages():
    assert format_iso("2026-04", "en") == "April 2026"
    assert format_iso("2026", "en") == "2026"
    assert format_iso("2026-04-15", "en") == "April 15, 2026"
    assert "2026" in format_iso("2026-04", "vi") and "4" in format_iso("2026-04", "vi")
    assert format_iso("2026-Q2", "en") == "Q2 2026"


def _article(aid, lang, date, sentences, **kw):
    sents = [Sentence(i, s, 0, len(s)) for i, s in enumerate(sentences)]
    return ArticleAnalysis(id=aid, path=f"in/{aid}", title=f"Title {aid}", url=None, language=lang,
                           event_date=date, sentences=sents, partners=["FR"], **kw)


def _corpus():
    de = _article("de.txt", "de", None, ["Es gibt fast 100 Partnerschaften.", "Minister Tran Van Thuan verpflichtet sich.", "Das Amt wird helfen.", "y"],
                  commitments=[Commitment("verpflichtet sich", "Minister Tran Van Thuan verpflichtet sich.", "Tran Van Thuan", sentence=1),
                               Commitment("Das Amt wird helfen", "Das Amt wird helfen.", "Das Amt", sentence=2)],
                  background=[BackgroundItem("Es gibt fast 100 Partnerschaften.", "Es gibt fast 100 Partnerschaften.", sentence=0, score=2.0)],
                  people=[Person("Tran Van Thuan", "stellvertretender Gesundheitsminister", key="thuan tran van")],
                  same_event_as=["vi.txt"])
    vi = _article("vi.txt", "vi", "2025-10-31", ["Hiện có gần 100 cặp đối tác.", "Thứ trưởng Trần Văn Thuấn khẳng định sẽ tạo điều kiện.", "Bộ sẽ hỗ trợ.", "y"],
                  commitments=[Commitment("sẽ tạo điều kiện", "Thứ trưởng Trần Văn Thuấn khẳng định sẽ tạo điều kiện.", "Trần Văn Thuấn", sentence=1),
                               Commitment("Bộ sẽ hỗ trợ", "Bộ sẽ hỗ trợ.", "Bộ", sentence=2)],
                  background=[BackgroundItem("Hiện có gần 100 cặp đối tác.", "Hiện có gần 100 cặp đối tác.", sentence=0, score=2.0)],
                  people=[Person("Trần Văn Thuấn", "Thứ trưởng Bộ Y tế", key="thuan tran van")],
                  same_event_as=["de.txt"])
    other = _article("id.txt", "id", "2025-11-06", ["Penandatanganan di Lyon pada April 2026."],
                     milestones=[Milestone("2026-04", "signing", "Penandatanganan di Lyon", "Penandatanganan di Lyon pada April 2026.", place="Lyon", sentence=0)],
                     people=[Person("Tran Van Thuan", "Wakil Menteri Kesehatan", key="thuan tran van")])
    return Corpus(as_of="2026-11-23", home_country="VN", articles=[de, vi, other],
                  groups=[Group("FR", "France", "country", ["de.txt", "vi.txt", "id.txt"])])


def test_same_event_reports_are_merged_with_both_citations():
    c = _corpus()
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23"))
    # sources are numbered by date; the undated German report comes last
    assert [s.article_id for s in b.sources] == ["vi.txt", "id.txt", "de.txt"]
    assert len(b.background) == 1 and b.background[0].citations == [1, 3]
    # the statements naming the same person merge; the ones with nothing in common stay apart
    assert sorted(tuple(c.citations) for c in b.commitments) == [(1,), (1, 3), (3,)]
    assert len(b.people) == 1
    person = b.people[0]
    assert person.name == "Trần Văn Thuấn"  # the best-spelled form
    assert person.citations == [1, 2, 3]
    # "stellvertretender Gesundheitsminister", "Thứ trưởng Bộ Y tế", "Wakil Menteri Kesehatan": one role
    assert person.roles == ["Deputy Minister of Health"]
    assert [m.status for m in b.milestones] == ["passed-unconfirmed"]
    assert b.milestones[0].date_display == "April 2026"


def test_output_language_vi_sets_labels_dates_and_statuses():
    c = _corpus()
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", output_lang="vi"))
    assert b.labels["Background"] == "Bối cảnh"
    assert b.milestones[0].status_display == "đã qua — chưa có nguồn xác nhận"
    assert b.milestones[0].kind_display == "ký kết"
    # extracted sentences stay in their language
    assert b.commitments[0].lang == "vi"


def test_trimming_says_how_many_were_left_out():
    c = _corpus()
    arts = c.articles
    arts[2].background = [BackgroundItem(f"Satz {i}.", f"Satz {i}.", sentence=i + 1, score=float(i)) for i in range(30)]
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_items=5))
    assert len(b.background) == 5
    assert b.omitted["background"] == 26
    assert b.background[0].text == "Satz 29."  # most important first


def test_long_tails_of_people_and_old_milestones_are_cut_and_counted():
    c = _corpus()
    arts = c.articles
    arts[2].people = [Person(f"Person Nummer{i}", None, key=f"p{i}") for i in range(40)]
    arts[2].milestones = [Milestone(f"20{10 + i:02d}", "plan", f"Plan {i}", f"Plan {i}.", sentence=-1) for i in range(20)] + [
        Milestone("2027-03", "visit", "Besuch", "Besuch im März 2027.", sentence=-1)]
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_items=5))
    assert len(b.people) == 15 and b.people[0].name == "Trần Văn Thuấn"  # most cited first
    assert b.omitted["people"] == 26
    assert "2027-03" in [m.date for m in b.milestones]  # upcoming always kept
    assert len(b.milestones) == 10 and b.omitted["milestones"] == 11
    from briefgen.writers import render

    md = render("md", b, Settings(as_of="2026-11-23")).decode()
    assert "Not shown: 26 more" in md and "Not shown: 11 more" in md


def test_roles_are_listed_once_across_inflections_and_wordings():
    from briefgen.brief import _distinct_roles

    roles = _distinct_roles(["stellvertretender Gesundheitsminister", "stellvertretende Gesundheitsminister",
                             "stellvertretende Minister", "Thứ trưởng Bộ Y tế", "Wakil Menteri Kesehatan"])
    assert roles == ["stellvertretender Gesundheitsminister", "Thứ trưởng Bộ Y tế", "Wakil Menteri Kesehatan"]
    # different roles of one person all stay
    assert len(_distinct_roles(["Minister of Health", "Chair of the National Medical Council"])) == 2


def test_a_brief_lists_only_the_sources_its_items_cite():
    c = _corpus()
    extra = [_article(f"x{i}.txt", "en", f"2025-01-{i + 1:02d}", ["Nothing relevant here."]) for i in range(20)]
    c.articles.extend(extra)
    c.groups[0].articles.extend(a.id for a in extra)
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23"))
    assert len(b.sources) == 3 and b.omitted["sources"] == 20
    assert [s.n for s in b.sources] == [1, 2, 3]
    cited = {n for sec in (b.background, b.commitments, b.milestones, b.people) for it in sec for n in it.citations}
    assert cited == {1, 2, 3}
    assert {s.article_id for s in b.sources} == {"de.txt", "vi.txt", "id.txt"}
    from briefgen.writers import render

    md = render("md", b, Settings(as_of="2026-11-23")).decode()
    assert "**Sources:** 23" in md and "Not shown: 20 more" in md


def test_ten_thousand_articles_make_a_brief_of_a_few_pages():
    """Trimmed to the best-supported, most recent items, and only the sources they cite."""
    arts = [_article(f"a{i}.txt", "en", f"2025-{i % 12 + 1:02d}-01", [f"The ministry will fund {i} clinics."],
                     commitments=[Commitment(f"will fund {i} clinics", f"The ministry will fund {i} clinics.", "The ministry", sentence=0)],
                     background=[BackgroundItem(f"There are {i} clinics.", f"There are {i} clinics.", sentence=0, score=1.0)])
            for i in range(10_000)]
    c = Corpus(as_of="2026-11-23", home_country="VN", articles=arts, groups=[Group("FR", "France", "country", [a.id for a in arts])])
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23"))
    assert len(b.commitments) == 12 and b.omitted["commitments"] == 9_988
    assert len(b.sources) <= 24
    # most recent first among equally supported commitments
    dates = [b.sources[it.citations[0] - 1].date for it in b.commitments]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2025-12-01"


def test_many_upcoming_milestones_keep_the_soonest():
    c = _corpus()
    c.articles[2].milestones = [Milestone(f"{2027 + i // 12}-{i % 12 + 1:02d}", "visit", f"Visit {i}", f"Visit {i}.", sentence=-1)
                                for i in range(40)]
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_items=5))
    assert len(b.milestones) == 10 and b.omitted["milestones"] == 30
    assert [m.date for m in b.milestones][:2] == ["2027-01", "2027-02"]


def test_every_format_says_how_many_commitments_were_left_out():
    c = _corpus()
    c.articles[2].commitments = [Commitment(f"Zusage {i}", f"Zusage {i}.", "Amt", sentence=-1) for i in range(9)]
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_items=5))
    n = b.omitted["commitments"]
    from briefgen.writers import render

    for fmt in ("md", "html"):
        assert f"Not shown: {n} more" in render(fmt, b, Settings(as_of="2026-11-23")).decode()


def test_a_person_in_hundreds_of_reports_cites_the_latest_few_and_counts_the_rest():
    """Without a cap a citation list of 300 numbers overflows its table cell and every source
    ends up in the sources list."""
    arts = [_article(f"r{i:03d}.txt", "en", f"2026-{i % 10 + 1:02d}-{i % 28 + 1:02d}",
                     ["Minister Lan Phạm met the delegation."], people=[Person("Lan Phạm", "Minister", key="lan pham")])
            for i in range(300)]
    c = Corpus(as_of="2026-11-23", home_country="VN", articles=arts, groups=[Group("FR", "France", "country", [a.id for a in arts])])
    b = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_citations=4))
    [row] = b.people
    assert row.citations == [1, 2, 3, 4] and row.more_citations == 296
    assert len(b.sources) == 4 and b.omitted["sources"] == 296
    # the cited ones are the most recent reports
    latest = sorted(arts, key=lambda a: (a.event_date, a.id))[-4:]
    assert [s.article_id for s in b.sources] == [a.id for a in latest]
    from briefgen.writers import render

    s = Settings(as_of="2026-11-23")
    assert "[1][2][3][4] +296 more sources" in render("md", b, s).decode()
    html = render("html", b, s).decode()
    assert "+296 more sources" in html and "[5]" not in html
    vi = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_citations=4, output_lang="vi"))
    assert "+296 nguồn khác" in render("md", vi, s).decode()
    unlimited = build_brief(c, c.groups[0], Settings(as_of="2026-11-23", max_citations=0))
    assert len(unlimited.people[0].citations) == 300 and unlimited.people[0].more_citations == 0


def test_one_role_named_in_many_languages_is_shown_once_in_the_output_language():
    titles = ["Deputy Minister", "vice-ministre", "Thứ trưởng", "Wakil Menteri", "viceministro", "Vizeminister"]
    arts = [_article(f"r{i}.txt", "en", f"2026-0{i + 1}-01", ["x"], people=[Person("Lan Phạm", t, key="lan pham")])
            for i, t in enumerate(titles)]
    arts.append(_article("r9.txt", "en", "2026-09-01", ["x"],
                         people=[Person("Lan Phạm", "Chair of the National Medical Council", key="lan pham")]))
    c = Corpus(as_of="2026-11-23", home_country="VN", articles=arts, groups=[Group("FR", "France", "country", [a.id for a in arts])])
    assert build_brief(c, c.groups[0], Settings(as_of="2026-11-23")).people[0].roles == [
        "Deputy Minister", "Chair of the National Medical Council"]
    assert build_brief(c, c.groups[0], Settings(as_of="2026-11-23", output_lang="vi")).people[0].roles == [
        "Thứ trưởng", "Chair of the National Medical Council"]
    # a role with more words than a known title is shown as written
    from briefgen.brief import role_in

    assert role_in("Thứ trưởng Bộ Công Thương", "en") == "Thứ trưởng Bộ Công Thương"
    assert role_in("Wakil Menteri Kesehatan", "en") == "Deputy Minister of Health"


def test_background_that_repeats_a_commitment_or_milestone_is_not_shown_again():
    """``classify.repeats``: a background statement inside (or around) one of its article's
    commitments or milestones, whatever the case and spacing, is not background again. The
    analysis keeps the answer; a lent date (new milestones) clears it and the brief asks again."""
    from briefgen.analysis.classify import repeats
    from briefgen.brief import _repeats

    a = ArticleAnalysis(id="x.txt", path="x.txt", title="T", url=None, language="en", event_date="2026-11-01")
    a.commitments = [Commitment(text="France will train 500 doctors", evidence="e", sentence=2)]
    a.milestones = [Milestone(date="2027-04", kind="signing", text="The agreement will be signed in Lyon", evidence="e",
                              sentence=4)]
    a.background = [
        BackgroundItem("FRANCE  will train\n500 doctors", "e", sentence=2),       # the commitment itself
        BackgroundItem("Since 2020, France will train 500 doctors a year", "e", sentence=3),  # contains it
        BackgroundItem("signed in Lyon", "e", sentence=4),                      # inside the milestone
        BackgroundItem("Trade reached 5 billion USD last year", "e", sentence=5),
    ]
    assert repeats(a) == [True, True, True, False]
    assert _repeats(a) == [True, True, True, False]  # no kept answer: computed
    a.background_repeats = [False, False, False, True]  # a kept answer is used as it is
    assert _repeats(a) == [False, False, False, True]
    a.background_repeats = [True]  # one that does not fit the items is not
    assert _repeats(a) == [True, True, True, False]


def test_analysis_keeps_which_background_repeats_and_a_lent_date_clears_it():
    from briefgen.analysis import analyze_article, classify, dates
    from briefgen.model import Article

    text = ("HANOI, 6 November 2026 - Vietnam and France signed a memorandum on health cooperation in 1993. "
            "The French embassy pledged to train 500 Vietnamese doctors by 2028. "
            "Since 1993, the two countries have trained 2,000 doctors together.")
    a = analyze_article(Article(id="a", path="a.txt", text=text, title="Vietnam and France"), Settings(as_of="2026-11-23"))
    assert a.background and a.background_repeats == classify.repeats(a)
    undated = analyze_article(Article(id="b", path="b.txt", text="The minister will visit Lyon next April. "
                                      "The French embassy pledged to train 500 doctors.", title="Visit"),
                              Settings(as_of="2026-11-23"))
    assert undated.event_date is None and undated.background_repeats is not None
    assert dates.lend_date(undated, a)
    assert undated.background_repeats is None  # its milestones were made again against the lent date
