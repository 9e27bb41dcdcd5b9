"""Writers on real briefs: the seeds built through the CLI with --format pdf,docx,json,md,html."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_writers_parity import docx_headings, pdf_headings  # noqa: E402
from test_writers_safety import _Refs  # noqa: E402


def _briefs(out: Path) -> list[Path]:
    stems = sorted({p.with_suffix("") for p in out.glob("*-brief.pdf")})
    assert stems, "no briefs built"
    return stems


def test_every_format_written_for_every_brief(seeds_out):
    for stem in _briefs(seeds_out):
        for ext in (".pdf", ".docx", ".html", ".md", ".json"):
            f = stem.with_suffix(ext)
            assert f.is_file() and f.stat().st_size > 500, f
        assert stem.with_suffix(".pdf").stat().st_size < 300_000
        assert stem.with_suffix(".docx").stat().st_size < 300_000


def test_real_briefs_pdf_and_docx_agree(seeds_out):
    for stem in _briefs(seeds_out):
        h_pdf = pdf_headings(stem.with_suffix(".pdf").read_bytes())
        h_docx = docx_headings(stem.with_suffix(".docx").read_bytes())
        assert h_pdf == h_docx, stem.name
        assert [t for lvl, t in h_pdf if lvl == 2][-1] == "Sources"


def test_real_html_is_self_contained(seeds_out):
    for stem in _briefs(seeds_out):
        html = stem.with_suffix(".html").read_text("utf-8")
        p = _Refs()
        p.feed(html)
        assert all(r.startswith("data:") for r in p.resources), (stem.name, p.resources)
        assert "script" not in p.tags and "link" not in p.tags
        assert "@import" not in html and "briefgen-font:" not in html


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) not installed")
def test_real_pdfs_embed_every_font(seeds_out):
    for stem in _briefs(seeds_out):
        lines = subprocess.run(["pdffonts", str(stem.with_suffix(".pdf"))], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines
        for line in lines:
            assert line.split()[-5:-3] == ["yes", "yes"], line
