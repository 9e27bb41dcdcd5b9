"""The clean-up scorer on the labelled furniture set: a regression fails CI."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("score_cleanup", ROOT / "scripts" / "score_cleanup.py")
score_cleanup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score_cleanup)


@pytest.mark.parametrize("name", ["furniture.jsonl", "furniture_heldout.jsonl"])
def test_cleanup_scores(name):
    res = score_cleanup.score(ROOT / "tests" / "data" / "cleanup" / name)
    assert res["pages"] >= 7 and res["furniture_lines"] >= 30
    assert res["article_lines_lost"] == 0, res["misses"]  # the article survives whole
    assert res["f1"] >= 0.95, res["misses"]
    assert res["precision"] >= 0.98, res["misses"]
    assert res["title_accuracy"] >= 0.85, res["misses"]
