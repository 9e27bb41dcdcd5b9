"""The ``analyze`` document is written one article at a time (orjson); it must be, byte for byte,
what ``json.dumps(corpus_json(...), ensure_ascii=False, indent=2)`` gives."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import AS_OF, SEEDS, run_cli

from briefgen import pipeline
from briefgen.jsonout import corpus_json, write_corpus_json
from briefgen.model import Corpus
from briefgen.settings import Settings

GOLD = Path(__file__).parent / "data" / "countries" / "gold.jsonl"


def _reference(c: Corpus, full: bool) -> bytes:
    return (json.dumps(corpus_json(c, full=full), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _streamed(c: Corpus, full: bool) -> bytes:
    out = io.BytesIO()
    write_corpus_json(out, c, full=full)
    return out.getvalue()


def _feed(tmp_path: Path) -> Path:
    """The labelled country set (69 articles in 11 languages: vi, en, de, id, fr, es, zh, ja, ko,
    it, pt) as one JSON Lines input."""
    feed = tmp_path / "multilingual.jsonl"
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert len({r["lang"] for r in rows}) >= 10
    feed.write_text("".join(json.dumps({"id": r["id"], "title": r.get("title"), "text": r["text"]}, ensure_ascii=False) + "\n"
                            for r in rows), "utf-8")
    return feed


@pytest.mark.parametrize("full", [False, True])
def test_streamed_document_equals_the_standard_library_encoding(tmp_path, full):
    s = Settings(as_of=AS_OF, workers=1, use_cache=False, quiet=True)
    for inputs in ([str(SEEDS)], [str(_feed(tmp_path))]):
        c = pipeline.run_analysis(inputs, s, detail=full)
        assert len(c.articles) >= 5
        got = _streamed(c, full)
        assert got == _reference(c, full)
        doc = json.loads(got)
        assert [a["id"] for a in doc["articles"]] == [a.id for a in c.articles]


def test_an_empty_corpus_too():
    c = Corpus(as_of=AS_OF, home_country=None, articles=[], groups=[])
    got = _streamed(c, False)
    assert got == _reference(c, False)
    assert json.loads(got)["articles"] == []


def test_a_lone_surrogate_in_a_json_lines_input_becomes_a_replacement_character(tmp_path):
    """A JSON string may escape half a surrogate pair ("\ud800"); no UTF-8 writer (nor a PDF or
    DOCX) can hold it. The reader replaces it with U+FFFD, in the text and in every other field,
    and the article is analysed like any other (it once failed with UnicodeEncodeError)."""
    feed = tmp_path / "odd.jsonl"
    good = "Việt Nam và Pháp ký thỏa thuận hợp tác y tế tại Hà Nội ngày 12/3/2026."
    feed.write_text(
        json.dumps({"title": "Tiêu đề \ud800 lạ", "text": good + " Thêm \udc00 ký tự.", "url": "https://example.org/a\ud800b"}) + "\n"
        + json.dumps({"title": "Bình thường", "text": good}, ensure_ascii=False) + "\n",
        "utf-8",
    )
    r = run_cli("analyze", str(feed), "--as-of", AS_OF, "-q", "--no-cache")
    assert r.returncode == 0, r.stderr.decode()
    assert b"analysis failed" not in r.stderr
    arts = json.loads(r.stdout)["articles"]
    assert [a["title"] for a in arts] == ["Tiêu đề \ufffd lạ", "Bình thường"]
    assert arts[0]["url"] == "https://example.org/a\ufffdb"
    assert arts[0]["language"] == arts[1]["language"] == "vi"


def test_a_value_orjson_refuses_is_written_escaped_by_the_standard_library():
    from briefgen.jsonout import _dumps

    value = {"title": "half \ud800 pair", "n": [1, 2]}
    data = _dumps(value, 2)
    assert json.loads(data) == value
    assert data.decode("ascii")  # escaped, so any UTF-8 reader takes it
    assert _dumps({"title": "Hà Nội"}, 0) == json.dumps({"title": "Hà Nội"}, ensure_ascii=False, indent=2).encode("utf-8")


@pytest.mark.parametrize("cached", [False, True])
def test_full_document_with_the_detail_unpacked_only_as_each_article_is_written(tmp_path, cached):
    """``analyze --full`` keeps each analysis's country and date mentions and sentences packed
    (``detail="later"``) until it writes that article: the same bytes as with every analysis
    full from the start, from the pool or from the cache, lent dates included (the corpus step
    recomputed those dates; unpacking the rest must not undo it). The corpus stays slim."""
    import sys

    from briefgen import parallel

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import synth

    synth.generate(tmp_path / "in", 60, seed=5)  # enough for the worker pool
    for p in SEEDS.glob("*.txt"):  # the seeds lend a date between two reports of one event
        (tmp_path / "in" / p.name).write_bytes(p.read_bytes())
    inputs = [str(tmp_path / "in")]
    s = Settings(as_of=AS_OF, workers=2, use_cache=cached, quiet=True)
    if cached:
        pipeline.run_analysis(inputs, s, detail=False)  # fills the cache (which keeps everything)
    later = pipeline.run_analysis(inputs, s, detail="later")
    full = pipeline.run_analysis(inputs, s.with_(use_cache=False), detail=True)
    assert len(later.articles) >= parallel.MIN_PARALLEL
    assert sum(a.detail_packed is not None for a in later.articles) >= len(later.articles) - 2
    assert not any(a.mentions for a in later.articles)
    lent = [a for a in later.articles if (a.event_date_source or "").startswith("lent:")]
    assert lent and any(a.dates for a in lent)
    assert _streamed(later, True) == _streamed(full, True) == _reference(full, True)
    assert not any(a.mentions for a in later.articles)  # written, not unpacked into the corpus
