"""An article whose analysis crashes is a failed input: one line, manifest entry, exit 1."""
from __future__ import annotations

import json
import shutil

from briefgen import pipeline
from briefgen.settings import Settings
from conftest import SEEDS


def test_crashing_analysis_is_reported_and_the_rest_goes_on(tmp_path, monkeypatch):
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    import briefgen.analysis as analysis

    real = analysis.analyze_article

    def flaky(article, settings, language=None):
        if article.id.startswith("003_"):
            raise RuntimeError("boom")
        return real(article, settings, language)

    monkeypatch.setattr(analysis, "analyze_article", flaky)
    errors: list[str] = []
    c = pipeline.run_analysis([str(inp)], Settings(as_of="2026-11-23", use_cache=False, workers=1), on_error=errors.append)
    assert len(errors) == 1 and "003_a62c33f030ab2bec.txt" in errors[0] and "boom" in errors[0]
    rec = [r for r in c.inputs if r.path.endswith("003_a62c33f030ab2bec.txt")][0]
    assert rec.status == "failed" and "analysis failed" in rec.reason
    assert {g.country for g in c.groups} == {"FR", "GB"}
    assert len(c.articles) == 4
    json.dumps([r.__dict__ for r in c.inputs])  # manifest-ready
