"""The render cache: a brief rendered before (same brief, settings, templates, code and
libraries) is copied, not rendered again; anything that changes the file renders it again.

Counting calls to ``writers.render_file`` (wrapped, still the real writer) shows what a run
really renders. Every test uses its own cache folder (tmp_path), never the user's.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import replace

import pytest

from briefgen import parallel, pipeline, writers
from briefgen.cache import RenderCache, render_key
from briefgen.settings import Settings, asset_dir

from brief_fixtures import multilingual_brief

AS_OF = "2026-11-23"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(d))
    return d


@pytest.fixture
def rendered(monkeypatch):
    """(format, country) of every file actually rendered in this process."""
    calls: list[tuple[str, str]] = []
    real = writers.render_file

    def wrapper(fmt, brief, settings):
        calls.append((fmt, brief.country))
        return real(fmt, brief, settings)

    monkeypatch.setattr(writers, "render_file", wrapper)
    return calls


def _briefs():
    one = multilingual_brief(cjk=False)
    two = replace(multilingual_brief(cjk=False), country="DE", country_name="Germany", subject="Germany")
    return [one, two]


def _write(briefs, out, settings):
    return pipeline.write_briefs(briefs, out, settings)


def _settings(**kw):
    return Settings(as_of=AS_OF, workers=1, formats=("pdf", "docx")).with_(**kw)


def test_second_run_copies_every_file_from_the_cache(tmp_path, cache_dir, rendered):
    s = _settings()
    first = _write(_briefs(), tmp_path / "a", s)
    assert sorted(rendered) == [("docx", "DE"), ("docx", "FR"), ("pdf", "DE"), ("pdf", "FR")]
    assert RenderCache().info()["entries"] == 4
    rendered.clear()
    second = _write(_briefs(), tmp_path / "b", s)
    assert rendered == []
    assert first == second  # same paths, sha256, sizes and page counts
    for rec in first:
        assert (tmp_path / "a" / rec["path"]).read_bytes() == (tmp_path / "b" / rec["path"]).read_bytes()
    assert [r.get("pages") for r in second if r["path"].endswith(".pdf")] == [r["pages"] for r in first if "pages" in r]


def test_only_what_changed_is_rendered_again(tmp_path, cache_dir, rendered):
    s = _settings(formats=("docx",))
    briefs = _briefs()
    _write(briefs, tmp_path / "a", s)
    rendered.clear()
    changed = replace(briefs[1], background=briefs[1].background[1:])  # one brief lost an item
    _write([briefs[0], changed], tmp_path / "b", s)
    assert rendered == [("docx", "DE")]
    rendered.clear()
    _write(briefs, tmp_path / "c", s.with_(page_size="Letter"))  # a rendering setting
    assert sorted(rendered) == [("docx", "DE"), ("docx", "FR")]


def test_edited_styles_render_again(tmp_path, cache_dir, rendered):
    styles = tmp_path / "styles"
    shutil.copytree(asset_dir("styles"), styles)
    s = _settings(formats=("pdf",), styles_dir=str(styles))
    brief = _briefs()[:1]
    _write(brief, tmp_path / "a", s)
    _write(brief, tmp_path / "b", s)
    assert rendered == [("pdf", "FR")]
    css = styles / "brief.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: #7a0000; }\n", encoding="utf-8")
    _write(brief, tmp_path / "c", s)
    assert rendered == [("pdf", "FR"), ("pdf", "FR")]
    assert (tmp_path / "c").joinpath(os.listdir(tmp_path / "c")[0]).read_bytes() != \
        (tmp_path / "a").joinpath(os.listdir(tmp_path / "a")[0]).read_bytes()


def test_no_cache_renders_everything_and_stores_nothing(tmp_path, cache_dir, rendered):
    s = _settings(formats=("docx",), use_cache=False)
    _write(_briefs(), tmp_path / "a", s)
    _write(_briefs(), tmp_path / "b", s)
    assert len(rendered) == 4
    assert RenderCache().info()["entries"] == 0


def test_damaged_entry_is_a_miss_and_is_replaced(tmp_path, cache_dir, rendered):
    s = _settings(formats=("docx",))
    brief = _briefs()[0]
    first = _write([brief], tmp_path / "a", s)
    entry = RenderCache()._path(render_key("docx", brief, s))
    raw = bytearray(entry.read_bytes())
    raw[-10] ^= 0xFF  # one flipped byte in the file's data
    entry.write_bytes(bytes(raw))
    again = _write([brief], tmp_path / "b", s)
    assert len(rendered) == 2 and again == first
    assert RenderCache().get(render_key("docx", brief, s))[0] == (tmp_path / "b" / first[0]["path"]).read_bytes()


def test_a_render_that_warned_is_kept_with_its_warning_which_shows_again(tmp_path, cache_dir, rendered, caplog):
    """A file whose render warned (a character no shipped font covers) is served from the cache
    like any other, and its warning is logged again: the user hears what a fresh render says."""
    brief = multilingual_brief(cjk=False)
    brief.background[0].text += " \U00013000"  # a hieroglyph no shipped font covers
    s = _settings(formats=("pdf",))
    files = []
    for out in ("a", "b"):
        with caplog.at_level(logging.WARNING, logger="briefgen.writers.pdf"):
            files.append(_write([brief], tmp_path / out, s))
    assert len(rendered) == 1 and files[0] == files[1]
    said = [r for r in caplog.records if "not covered" in r.getMessage()]
    assert len(said) == 2 and said[0].getMessage() == said[1].getMessage()
    assert said[1].name == said[0].name and said[1].levelno == logging.WARNING
    assert RenderCache().info()["entries"] == 1


def test_weasyprint_warnings_of_a_cached_file_are_passed_on_again(tmp_path, cache_dir, rendered, caplog):
    """A user's stylesheet with a property WeasyPrint drops: the PDF is cached, and a later run
    (another process: nothing passed on yet) served from the cache still says what was dropped."""
    import shutil

    from briefgen.settings import asset_dir
    from briefgen.writers import pdf

    styles = tmp_path / "styles"
    shutil.copytree(asset_dir("styles"), styles)
    css = styles / "brief.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { colour: #7a0000; }\n", encoding="utf-8")
    s = _settings(formats=("pdf",), styles_dir=str(styles))
    brief = multilingual_brief(cjk=False)
    for out in ("a", "b"):
        pdf._REPORTED.clear()  # as in a new process
        with caplog.at_level(logging.WARNING, logger="briefgen.writers.pdf"):
            _write([brief], tmp_path / out, s)
    assert len(rendered) == 1
    said = [r.getMessage() for r in caplog.records if r.name == "briefgen.writers.pdf"]
    assert len(said) == 2 and all(m.startswith("WeasyPrint: ") and "colour" in m for m in said)


def test_an_entry_whose_warnings_were_altered_is_a_miss(tmp_path):
    c = RenderCache(tmp_path)
    assert c.put("a" * 64, b"%PDF-", {"pages": 1}, {"said": [["briefgen", 30, "careful"]]})
    assert c.get("a" * 64, with_warnings=True) == (b"%PDF-", {"pages": 1}, {"said": [["briefgen", 30, "careful"]]})
    raw = c._path("a" * 64).read_bytes().replace(b"careful", b"CAREFUL")
    c._path("a" * 64).write_bytes(raw)
    assert c.get("a" * 64) is None and c.stats.errors == 1


def test_prune_drops_least_recently_used_first(tmp_path):
    c = RenderCache(tmp_path)
    for i, key in enumerate(("a" * 64, "b" * 64, "c" * 64)):
        assert c.put(key, bytes(1000), {"n": i})
        os.utime(c._path(key), (1_000_000 + i, 1_000_000 + i))
    assert c.get("a" * 64) == (bytes(1000), {"n": 0})  # a hit renews the oldest entry
    assert c.prune(max_bytes=2 * c._path("a" * 64).stat().st_size) == 1
    assert c.get("b" * 64) is None and c.get("a" * 64) is not None and c.get("c" * 64) is not None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_can_write_is_neither_read_nor_written(tmp_path):
    c = RenderCache(tmp_path / "shared")
    assert c.put("d" * 64, b"%PDF-", {})
    assert c.get("d" * 64) is not None
    os.chmod(tmp_path / "shared", 0o777)
    assert RenderCache(tmp_path / "shared").get("d" * 64) is None
    assert not RenderCache(tmp_path / "shared").put("e" * 64, b"%PDF-", {})


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_cache_folders_and_entries_are_private_under_a_group_writable_umask(tmp_path):
    """With umask 002 (a user whose group is their own) ``os.makedirs`` gives parent folders
    0o775, which the trust check refuses: the caches would be written and never read. Every
    level is made 0o700 and every entry 0o600 (a brief may carry a marking)."""
    from briefgen.cache import AnalysisCache
    from briefgen.model import Article

    old = os.umask(0o002)
    try:
        root = tmp_path / "fresh" / "cache"
        c = RenderCache(root)
        assert c.put("f" * 64, b"%PDF-", {"pages": 1})
        assert c.get("f" * 64) == (b"%PDF-", {"pages": 1})
        for d in (tmp_path / "fresh", root, root / "render", c.dir, c._path("f" * 64).parent):
            assert d.stat().st_mode & 0o777 == 0o700, d
        assert c._path("f" * 64).stat().st_mode & 0o777 == 0o600
        s = Settings(as_of=AS_OF, workers=1)
        art = Article(id="a", path="a.txt", text="Hà Nội, 6 November 2026: Vietnam and France signed a health agreement.", title="t")
        first = pipeline.analyze([art], s, cache_dir=root)
        ac = AnalysisCache(root)
        assert ac.trusted() and ac.info()["entries"] == 1
        assert ac.dir.stat().st_mode & 0o777 == 0o700
        assert ac.db_path.stat().st_mode & 0o777 == 0o600
        assert pipeline.analyze([art], s, cache_dir=root) == first
    finally:
        os.umask(old)


def test_the_key_follows_what_shapes_the_file_and_nothing_else():
    brief = multilingual_brief(cjk=False)
    s = _settings()
    key = render_key("pdf", brief, s)
    assert render_key("pdf", brief, s) == key
    assert render_key("docx", brief, s) != key
    for changed in (s.with_(pdf_variant="pdf/a-3u"), s.with_(marking="Secret"), s.with_(author="Desk"),
                    s.with_(page_size="Letter")):
        assert render_key("pdf", brief, changed) != key
    for same in (s.with_(workers=4), s.with_(quiet=True), s.with_(formats=("pdf",))):  # how the run goes
        assert render_key("pdf", brief, same) == key
    assert render_key("pdf", replace(brief, marking="Secret"), s) != key


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the render pool forks (Linux)")
def test_the_render_pool_copies_from_the_cache_too(tmp_path, cache_dir):
    """Workers of the render pool look the files up and store them: on the second run every
    entry is read (its time renewed) and none is added, and the files are the same."""
    s = _settings(workers=2, formats=("docx", "md"))
    tasks = [(fmt, b, pipeline.brief_basename(b)) for b in _briefs() for fmt in s.formats]
    first = parallel.render_many(tasks, tmp_path / "a", s, min_parallel=1)
    entries = RenderCache()._entries()
    assert len(entries) == 2  # the DOCX files; Markdown is cheaper to render than to look up
    for _t, _size, p in entries:
        os.utime(p, (1_000_000, 1_000_000))
    second = parallel.render_many(tasks, tmp_path / "b", s, min_parallel=1)
    assert second == first
    assert sorted(p for _t, _s, p in RenderCache()._entries()) == sorted(p for _t, _s, p in entries)
    assert all(t > 1_000_000 for t, _s, _p in RenderCache()._entries())


def test_cli_cache_info_and_clear_count_rendered_files(tmp_path, cache_dir):
    from typer.testing import CliRunner

    from briefgen.cli import app

    _write(_briefs(), tmp_path / "a", _settings(formats=("docx",)))
    r = CliRunner().invoke(app, ["cache", "info"])
    assert r.exit_code == 0 and "rendered files: 2," in r.output
    r = CliRunner().invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and "and 2 rendered files" in r.output
    assert RenderCache().info()["entries"] == 0


def test_build_through_the_cli_keeps_every_pdf_and_docx(tmp_path):
    """The real command (its small-job helper renders the PDFs): every PDF and DOCX is kept (a
    render with any warning, briefgen's or WeasyPrint's, would not be), and a second build into
    another folder writes the same bytes from the cache."""
    from conftest import SEEDS, run_cli

    env = {"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    for out in ("a", "b"):
        r = run_cli("build", str(SEEDS), "--out", str(tmp_path / out), "--as-of", AS_OF, "-q", env=env)
        assert r.returncode == 0, r.stderr.decode()
    files = sorted(p.name for p in (tmp_path / "a").iterdir() if p.suffix in (".pdf", ".docx"))
    assert len(files) == 6
    assert RenderCache(tmp_path / "cache").info()["entries"] == len(files)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
