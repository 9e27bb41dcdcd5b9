"""The saved-web-page reader on its labelled pages: a regression fails CI."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("score_html", ROOT / "scripts" / "score_html.py")
score_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score_html)


@pytest.mark.parametrize("name", ["html_pages.jsonl", "html_pages_heldout.jsonl"])
def test_html_reader_scores(name):
    res = score_html.score(ROOT / "tests" / "data" / "readers" / name)
    assert res["pages"] >= 5
    assert res["sentence_recall"] == 1.0, res["misses"]  # the article survives whole
    assert res["paragraphs_intact"] >= 0.95, res["misses"]
    assert res["furniture_leak_rate"] <= 0.05, res["misses"]
    assert res["title_accuracy"] >= 0.9 and res["published_accuracy"] >= 0.9 and res["url_accuracy"] >= 0.9, res["misses"]
