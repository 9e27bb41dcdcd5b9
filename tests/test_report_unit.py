"""Report logic on hand-built records: periods, membership by article date, changes, overview."""
from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from briefgen.model import ArticleAnalysis, Corpus, Group, InputRecord
from briefgen.report import (
    UNDATED_REASON,
    ReportError,
    assign,
    compute_changes,
    month_period,
    parse_period,
    placement,
    similarity,
)
from briefgen.settings import Settings
from briefgen.writers.json import render as render_json
from test_report_support import make_brief


def test_months_and_ranges():
    p = parse_period("2024-02")
    assert (p.name, p.start, p.end) == ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert parse_period("2026-12").end == dt.date(2026, 12, 31)
    assert parse_period("previous", today=dt.date(2026, 1, 15)).name == "2025-12"
    assert parse_period("previous", today=dt.date(2026, 3, 31)).name == "2026-02"
    assert parse_period("current", today=dt.date(2026, 3, 31)).name == "2026-03"
    r = parse_period(since="2026-11-01", until="2026-11-15")
    assert (r.name, r.kind) == ("2026-11-01_2026-11-15", "range")
    assert parse_period(since="2026-11-01", today=dt.date(2026, 11, 20)).end == dt.date(2026, 11, 20)


@pytest.mark.parametrize("kw, msg", [
    ({"month": "2026-13"}, "not a month"), ({"month": "Nov 2026"}, "not a month"), ({"month": "2026-11", "since": "2026-11-01"}, "not both"),
    ({"since": "2026-11-20", "until": "2026-11-01"}, "before"), ({"until": "2026-11-01"}, "needs --since"), ({}, "which period"),
    ({"since": "2026-02-30"}, "not a date"),
])
def test_bad_periods(kw, msg):
    with pytest.raises(ReportError, match=msg):
        parse_period(**kw)


@pytest.mark.parametrize("date, where", [
    ("2026-11-01", "in"), ("2026-11-30", "in"), ("2026-11", "in"), ("2026-10-31", "before"), ("2026-12-01", "after"),
    ("2026-Q4", "imprecise"), ("2026", "imprecise"), ("2025", "before"), (None, "undated"), ("", "undated"),
    ("soon", "undated"), ("2026-02-30", "undated"), ("2026-Q7", "undated"),
])
def test_placement(date, where):
    assert placement(date, month_period(2026, 11)) == where


def _analysis(id, event_date=None, published=None, partners=()):
    return ArticleAnalysis(id=id, path=f"in/{id}", title=id, url=None, language="en", event_date=event_date,
                           event_date_source="dateline" if event_date else None, published=published, partners=list(partners))


def test_assign_by_article_date_and_every_input_listed():
    arts = [
        _analysis("fr-nov.txt", "2026-11-04", partners=["FR"]),
        _analysis("fr-oct.txt", "2026-10-28", partners=["FR"]),
        _analysis("jp-meta.html", None, published="2026-11-19", partners=["JP"]),  # no date in text: publication date
        _analysis("undated.txt", None, partners=["JP"]),
        _analysis("vague.txt", "2026", partners=["FR"]),
        _analysis("feed.jsonl#1", "2026-11-02", partners=["DE"]),
        _analysis("feed.jsonl#2", "2026-09-02", partners=["DE"]),
    ]
    crashed = ArticleAnalysis(id="crashed.txt", path="in/crashed.txt", title=None, url=None, language="und", published="2026-11-03")
    arts.append(crashed)  # what the pipeline keeps when an article's analysis raised
    inputs = [InputRecord(path=f"in/{a.id}", status="used", sha256="0" * 64, article_ids=[a.id]) for a in arts[:5] + [crashed]]
    inputs.append(InputRecord(path="in/feed.jsonl", status="used", sha256="1" * 64, article_ids=["feed.jsonl#1", "feed.jsonl#2"]))
    inputs.append(InputRecord(path="in/broken.pdf", status="failed", reason="not a PDF (damaged header)", sha256="2" * 64))
    groups = [Group("FR", "France", "country", ["fr-nov.txt", "fr-oct.txt", "vague.txt"]),
              Group("JP", "Japan", "country", ["jp-meta.html", "undated.txt"]),
              Group("DE", "Germany", "country", ["feed.jsonl#1", "feed.jsonl#2"])]
    corpus = Corpus(as_of="2026-11-30", home_country="VN", articles=arts, groups=groups, inputs=inputs)
    sub, records = assign(corpus, month_period(2026, 11))
    by = {r["path"]: r for r in records}
    assert len(records) == len(inputs)
    assert by["in/fr-nov.txt"]["status"] == "used" and by["in/fr-nov.txt"]["article_date"] == "2026-11-04"
    assert by["in/fr-oct.txt"]["status"] == "skipped" and "outside the period" in by["in/fr-oct.txt"]["reason"]
    assert by["in/jp-meta.html"]["status"] == "used" and by["in/jp-meta.html"]["date_source"] == "published"
    assert by["in/undated.txt"] == {**by["in/undated.txt"], "status": "skipped", "reason": UNDATED_REASON, "article_date": None}
    assert by["in/vague.txt"]["status"] == "skipped" and "imprecise date 2026" in by["in/vague.txt"]["reason"]
    assert by["in/feed.jsonl"]["status"] == "used" and [a["placement"] for a in by["in/feed.jsonl"]["articles"]] == ["in", "before"]
    assert by["in/crashed.txt"]["status"] == "failed" and "analysis failed" in by["in/crashed.txt"]["reason"]
    assert by["in/broken.pdf"]["status"] == "failed" and "damaged" in by["in/broken.pdf"]["reason"]
    assert {g.country: g.articles for g in sub.groups} == {"FR": ["fr-nov.txt"], "JP": ["jp-meta.html"], "DE": ["feed.jsonl#1"]}
    assert {a.id for a in sub.articles} == {"fr-nov.txt", "jp-meta.html", "feed.jsonl#1"}


def test_similarity_is_script_independent():
    assert similarity("Japan will provide a loan of 48 billion yen", "Japan will provide a loan of 48 billion yen.") > 0.9
    assert similarity("Phía Nhật Bản cam kết tài trợ 1,5 tỷ yên", "phia nhat ban cam ket tai tro 1,5 ty yen") > 0.9
    assert similarity("中国商务部将支持越南企业参展", "中国商务部将支持越南企业参展。") > 0.8
    assert similarity("Germany pledges 45 million euros", "Japan sends twenty engineers to Hanoi") < 0.2


def _prev_json(brief):
    return json.loads(render_json(brief, Settings()))


def test_changes_new_commitments_moved_new_and_passed_milestones():
    prev = make_brief("JP", "Japan", "2026-10-31",
                      commitments=[("Japan", "Japan will provide a new ODA loan of 48 billion yen for Metro Line 1.", "en")],
                      milestones=[("2026-12", "signing", "Signing of the loan agreement for Metro Line 1", "Hanoi", "upcoming"),
                                  ("2026-11-20", "visit", "JICA president visits Hanoi", "Hanoi", "upcoming"),
                                  ("2026-10-05", "conference", "Mekong-Japan forum", None, "passed"),
                                  ("2027-03", "deadline", "Land clearance for the depot completed", None, "upcoming")])
    cur = make_brief("JP", "Japan", "2026-11-30",
                     commitments=[("Japan", "Japan will provide a new ODA loan of 48 billion yen for Metro Line 1", "en"),
                                  ("Japan", "Japan will add a 1.5 billion yen grant for training metro operators.", "en")],
                     milestones=[("2027-02", "signing", "Signing of the loan agreement for Metro Line 1", "Tokyo", "upcoming"),
                                 ("2027-01", "visit", "JICA expert mission to Hanoi", "Hanoi", "upcoming"),
                                 ("2027-03", "deadline", "Land clearance for the depot completed", None, "upcoming")])
    ch = compute_changes(cur, _prev_json(prev))
    assert list(ch) == ["New commitments", "New or moved milestones", "Milestones passed"]
    assert ch["New commitments"] == ["Japan: Japan will add a 1.5 billion yen grant for training metro operators."]
    moved = [l for l in ch["New or moved milestones"] if "moved from" in l]
    assert len(moved) == 1 and "December 2026" in moved[0] and "February 2027" in moved[0]
    assert any("JICA expert mission" in l and "moved" not in l for l in ch["New or moved milestones"])
    assert not any("Land clearance" in l for l in ch["New or moved milestones"])  # unchanged
    assert len(ch["Milestones passed"]) == 1 and "JICA president visits Hanoi" in ch["Milestones passed"][0]


def test_no_previous_no_changes():
    assert compute_changes(make_brief("FR", "France", "2026-11-30"), None) == {}


def test_changes_from_a_brief_in_another_script():
    prev = make_brief("CN", "China", "2026-10-31", commitments=[("商务部", "将支持越南企业参加第九届中国国际进口博览会。", "zh")])
    cur = make_brief("CN", "China", "2026-11-30", commitments=[("商务部", "将支持越南企业参加第九届中国国际进口博览会。", "zh"),
                                                             ("越南工贸部", "承诺简化中国绿色能源企业的投资审批程序。", "zh")])
    ch = compute_changes(cur, _prev_json(prev))
    assert ch["New commitments"] == ["越南工贸部: 承诺简化中国绿色能源企业的投资审批程序。"]


def test_overview_fits_one_page_and_says_what_it_left_out(tmp_path, caplog):
    from briefgen.overview import build_overview, write_overview
    from briefgen.pipeline import pdf_pages

    briefs = []
    for code, name in (("FR", "France"), ("JP", "Japan"), ("DE", "Germany"), ("ID", "Indonesia"), ("KR", "South Korea")):
        ms = [(f"2027-{m:02d}", "meeting", f"Joint committee meeting number {m} with {name} on trade, health and training", "Hà Nội", "upcoming")
              for m in range(1, 9)]
        b = make_brief(code, name, "2026-11-30", milestones=ms)
        b.changes = {"New commitments": [f"{name} commitment {i}" for i in range(6)], "New or moved milestones": [], "Milestones passed": ["x"]}
        briefs.append(b)
    corpus = Corpus(as_of="2026-11-30", home_country="VN", articles=[],
                    groups=[Group(b.country, b.country_name, "country", ["a1"]) for b in briefs])
    s = Settings(as_of="2026-11-30", formats=("pdf", "json"))
    ov = build_overview(month_period(2026, 11), corpus, briefs, [{"status": "used"}], s, "2026-10")
    assert len(ov.milestones) == 40
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        paths = write_overview(ov, tmp_path, s)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []  # valid CSS
    names = sorted(p.name for p in paths)
    assert names == ["2026-11_overview.html", "2026-11_overview.json", "2026-11_overview.pdf"]
    assert pdf_pages((tmp_path / "2026-11_overview.pdf").read_bytes()) == 1
    html = (tmp_path / "2026-11_overview.html").read_text("utf-8")
    assert html.count("Joint committee meeting") == 40  # the HTML keeps every row
    data = json.loads((tmp_path / "2026-11_overview.json").read_text("utf-8"))
    assert [c["code"] for c in data["countries"]] == ["FR", "JP", "DE", "ID", "KR"]
    from pypdf import PdfReader

    text = PdfReader(str(tmp_path / "2026-11_overview.pdf")).pages[0].extract_text()
    assert "more not shown" in text and "November 2026" in text


def test_overview_milestones_sorted_by_deadline():
    from briefgen.overview import build_overview

    b = make_brief("DE", "Germany", "2026-11-30", milestones=[
        ("2027", "plan", "Training places filled by the end of 2027", None, "upcoming"),
        ("2027-01-15", "meeting", "Working group meets in Hà Nội", "Hà Nội", "upcoming"),
        ("2027-Q1", "deadline", "Language schools expanded", None, "upcoming"),
        ("2026-12-01/2026-12-03", "visit", "Delegation visit", "Berlin", "upcoming"),
        ("2026-10-01", "visit", "Earlier visit", "Berlin", "passed"),
    ])
    corpus = Corpus(as_of="2026-11-30", home_country="VN", articles=[], groups=[Group("DE", "Germany", "country", ["a1"])])
    ov = build_overview(month_period(2026, 11), corpus, [b], [], Settings(as_of="2026-11-30"), None)
    assert [m.date for m in ov.milestones] == ["2026-12-01/2026-12-03", "2027-01-15", "2027-Q1", "2027"]


@pytest.mark.parametrize("junk", [
    {}, {"commitments": "x", "milestones": {"a": 1}}, {"commitments": [1, None, {"text": 5}], "milestones": [{"date": 7}, {"what": None, "date": "2026-12"}]},
    {"milestones": [{"date": "garbage", "status": "upcoming", "what": "x"}, {"date": "2026-13-45", "status": "due", "what": "y"}]},
])
def test_changes_survive_a_damaged_previous_brief(junk):
    cur = make_brief("JP", "Japan", "2026-11-30", commitments=[("Japan", "A new grant of 1.5 billion yen.", "en")],
                     milestones=[("2027-02", "signing", "Loan signing", "Tokyo", "upcoming")])
    ch = compute_changes(cur, junk)
    assert ch["New commitments"] == ["Japan: A new grant of 1.5 billion yen."]
    assert len(ch["New or moved milestones"]) == 1 and ch["Milestones passed"] == []
