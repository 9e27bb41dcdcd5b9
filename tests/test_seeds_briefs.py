"""What a careful analyst expects in the three seed briefs (see shared acceptance expectations)."""
from __future__ import annotations

import json

from conftest import AS_OF


def _brief(seeds_out, cc, slug):
    return json.loads((seeds_out / f"{AS_OF}_{cc}_{slug}-brief.json").read_text("utf-8"))


def _flat(brief, section):
    return " ".join(" ".join(it["text"].split()) for it in brief[section])


def test_france_brief_merges_the_two_reports_of_one_seminar(seeds_out):
    fr = _brief(seeds_out, "FR", "france")
    by_id = {s["article_id"]: s["n"] for s in fr["sources"]}
    de, vi = by_id["001_2f36633df2a44784.txt"], by_id["002_53184386e58433e0.txt"]
    merged = [it for sec in ("background", "figures", "commitments") for it in fr[sec]
              if de in it["citations"] and vi in it["citations"]]
    assert merged, "no item cites both reports of the seminar"
    # the ~100 partnerships are shown once, citing both reports
    hundred = [it for it in fr["figures"] + fr["background"] if "100" in it["text"]]
    assert hundred and any({de, vi} <= set(it["citations"]) for it in hundred)


def test_france_brief_people_and_figures(seeds_out):
    fr = _brief(seeds_out, "FR", "france")
    thuan = [p for p in fr["people"] if p["name"] in ("Trần Văn Thuấn", "Tran Van Thuan")]
    assert len(thuan) == 1 and thuan[0]["name"] == "Trần Văn Thuấn"
    assert len(thuan[0]["citations"]) == 3
    text = _flat(fr, "background") + " " + _flat(fr, "figures")
    assert "114" in text and "260" in text


def test_france_brief_commitments(seeds_out, expected):
    fr = _brief(seeds_out, "FR", "france")
    shown = " ".join(" ".join(it.get("text", "").split()) for it in fr["commitments"])
    wanted = [c["evidence"] for art in expected["articles"] if art["file"] in
              ("000_afadc851655be168.txt", "001_2f36633df2a44784.txt", "002_53184386e58433e0.txt") for c in art["commitments"]]
    missing = [w for w in wanted if " ".join(w.split())[:60] not in shown]
    assert len(wanted) == 6 and not missing, missing


def test_uk_brief_has_no_germany_or_japan_content(seeds_out):
    gb = _brief(seeds_out, "GB", "united-kingdom")
    blob = json.dumps(gb, ensure_ascii=False)
    for word in ("Leipzig", "Đức", "Aoyama", "Nhật Bản", "Bạch Mai", "Thái Nguyên"):
        assert word not in blob
    assert any("McNair" in p["name"] for p in gb["people"])
    assert gb["milestones"] == []  # the dates in the related-news lists are not milestones


def test_china_brief_shows_the_2025_2026_directions_as_commitments(seeds_out):
    cn = _brief(seeds_out, "CN", "china")
    assert any("2025-2026" in it["text"] and "einigten sich" in it["text"] for it in cn["commitments"])
    assert any("Guangxi" in (it.get("who") or "") for it in cn["commitments"])
    assert [m["date"] for m in cn["milestones"]] == ["2026"]
    assert "1369" not in json.dumps(cn["milestones"])
