"""End to end on the five sample articles: groups, files, the Lyon milestone, the JSON contract."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path


from conftest import AS_OF, SEEDS, run_cli

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_groups_are_exactly_fr_cn_gb(seeds_analysis, expected):
    groups = {g["country"]: sorted(Path(i).name for i in g["articles"]) for g in seeds_analysis["groups"]}
    assert groups == {k: sorted(v) for k, v in expected["groups"].items()}
    assert seeds_analysis["home_country"] == "VN"
    for art in seeds_analysis["articles"]:
        assert "VN" not in art["partners"]
        assert not {"DE", "JP"} & set(art["partners"])


def test_one_pdf_and_docx_per_country_with_attachable_names(seeds_out):
    names = sorted(p.name for p in seeds_out.iterdir() if p.suffix in (".pdf", ".docx"))
    assert names == sorted(
        f"{AS_OF}_{cc}_{slug}-brief{ext}"
        for cc, slug in (("FR", "france"), ("CN", "china"), ("GB", "united-kingdom"))
        for ext in (".pdf", ".docx")
    )
    manifest = json.loads((seeds_out / "manifest.json").read_text())
    assert {i["status"] for i in manifest["inputs"]} == {"used"}
    assert len(manifest["inputs"]) == 5


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _docx_text(path: Path) -> str:
    from docx import Document

    d = Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_france_brief_has_the_lyon_april_2026_signing(seeds_out):
    brief = json.loads((seeds_out / f"{AS_OF}_FR_france-brief.json").read_text())
    lyon = [m for m in brief["milestones"] if m["place"] and "Lyon" in m["place"]]
    assert len(lyon) == 1
    assert lyon[0]["date"] == "2026-04"  # no day invented
    assert lyon[0]["kind"] == "signing"
    assert lyon[0]["status"] == "passed-unconfirmed"  # passed as of November 2026
    for name, text in (("pdf", _pdf_text(seeds_out / f"{AS_OF}_FR_france-brief.pdf")),
                       ("docx", _docx_text(seeds_out / f"{AS_OF}_FR_france-brief.docx"))):
        flat = " ".join(text.split())
        assert "Lyon" in flat, name
        assert "2026-04" in flat, name
        assert "April 2026" in flat, name


def test_pdf_keeps_vietnamese_diacritics(seeds_out):
    text = " ".join(_pdf_text(seeds_out / f"{AS_OF}_FR_france-brief.pdf").split())
    # the Vietnamese source title of 002 survives the round trip through the PDF
    assert "Hợp tác y tế Việt Nam - Pháp bước vào giai đoạn phát triển mới" in text
    gb = " ".join(_pdf_text(seeds_out / f"{AS_OF}_GB_united-kingdom-brief.pdf").split())
    assert "Đào Hồng Lan" in gb


def test_docx_uses_named_styles(seeds_out):
    from docx import Document

    d = Document(str(seeds_out / f"{AS_OF}_FR_france-brief.docx"))
    styles = [p.style.name for p in d.paragraphs]
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings[:5] == ["Background", "Commitments", "Next milestones", "People", "Sources"]
    assert "Title" in styles and "List Bullet" in styles
    with zipfile.ZipFile(seeds_out / f"{AS_OF}_FR_france-brief.docx") as z:
        assert z.testzip() is None


def test_every_item_is_cited(seeds_out):
    for path in seeds_out.glob("*-brief.json"):
        brief = json.loads(path.read_text())
        n = len(brief["sources"])
        for section in ("background", "commitments", "milestones", "people", "figures"):
            for item in brief[section]:
                assert item["citations"], (path.name, section, item)
                assert all(1 <= c <= n for c in item["citations"])


def test_brief_sections_come_from_the_articles(seeds_out):
    """Nothing canned: every background and commitment text occurs in a source article."""
    sources = "\n".join(" ".join(p.read_text("utf-8").split()) for p in SEEDS.iterdir())
    for path in seeds_out.glob("*-brief.json"):
        brief = json.loads(path.read_text())
        assert brief["commitments"], path.name
        for section in ("background", "commitments"):
            for item in brief[section]:
                assert " ".join(item["text"].split()) in sources, (path.name, item["text"])


def test_analyze_json_contract(seeds_analysis):
    d = seeds_analysis
    assert ISO_DATE.match(d["as_of"]) and d["as_of"] == AS_OF
    assert re.match(r"^[A-Z]{2}$", d["home_country"])
    ids = {a["id"] for a in d["articles"]}
    assert len(d["articles"]) == 5
    for a in d["articles"]:
        assert isinstance(a["id"], str) and isinstance(a["path"], str)
        assert a["title"] is None or isinstance(a["title"], str)
        assert re.match(r"^[a-z]{2}$", a["language"])
        assert a["published"] is None or ISO_DATE.match(a["published"])
        assert a["event_date"] is None or ISO_DATE.match(a["event_date"])
        assert all(re.match(r"^[A-Z]{2}$", c) for c in a["partners"])
        for m in a["milestones"]:
            assert ISO_DATE.match(m["date"]) and m["text"] and m["evidence"]
        for c in a["commitments"]:
            assert c["text"] and c["evidence"]
        for p in a["people"]:
            assert p["name"] and (p["role"] is None or isinstance(p["role"], str))
        assert set(a["same_event_as"]) <= ids
    for g in d["groups"]:
        assert re.match(r"^[A-Z]{2}$", g["country"]) and g["name"] and set(g["articles"]) <= ids
    langs = {Path(a["path"]).name: a["language"] for a in d["articles"]}
    assert langs == {"000_afadc851655be168.txt": "id", "001_2f36633df2a44784.txt": "de",
                     "002_53184386e58433e0.txt": "vi", "003_a62c33f030ab2bec.txt": "de",
                     "004_90430079087268a3.txt": "vi"}


def test_help_shows_examples():
    for args in ([], ["build"], ["analyze"], ["countries"]):
        r = run_cli(*args, "--help")
        assert r.returncode == 0
        assert "Example" in r.stdout.decode()


def test_errors_are_one_line_without_traceback(tmp_path):
    r = run_cli("build", str(tmp_path / "missing-folder"), "--out", str(tmp_path / "o"))
    err = r.stderr.decode()
    assert r.returncode == 2
    assert "Traceback" not in err
    assert "missing-folder" in err
    r = run_cli("build", str(SEEDS), "--out", str(tmp_path / "o"), "--as-of", "2026-13-01")
    assert r.returncode == 2 and "--as-of" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    r = run_cli("build", str(SEEDS), "--out", str(tmp_path / "o"), "--format", "pdf,exe")
    assert r.returncode == 2 and "exe" in r.stderr.decode()


def test_a_bad_file_does_not_stop_the_batch(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    for p in SEEDS.iterdir():
        (inp / p.name).write_bytes(p.read_bytes())
    (inp / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = run_cli("build", str(inp), "--out", str(out), "--as-of", AS_OF, "--format", "json")
    assert r.returncode == 1
    assert "empty.txt" in r.stderr.decode()
    manifest = json.loads((out / "manifest.json").read_text())
    failed = [i for i in manifest["inputs"] if i["status"] == "failed"]
    assert [Path(i["path"]).name for i in failed] == ["empty.txt"]
    assert len(list(out.glob("*-brief.json"))) == 3


def test_usage_errors_fail_before_any_output(tmp_path):
    r = run_cli("analyze", str(SEEDS), "--explain", "no-such-article")
    assert r.returncode == 2 and r.stdout == b"" and "no-such-article" in r.stderr.decode()
    r = run_cli("analyze", str(SEEDS), "--home", "XX")
    assert r.returncode == 2 and "--home" in r.stderr.decode()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_cli("build", str(SEEDS), "--out", str(blocker / "sub"))
    assert r.returncode == 2 and "--out" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_manifest_counts_pdf_pages(seeds_out):
    manifest = json.loads((seeds_out / "manifest.json").read_text())
    pdfs = [o for o in manifest["outputs"] if o["path"].endswith(".pdf")]
    assert pdfs and all(isinstance(o["pages"], int) and 1 <= o["pages"] <= 4 for o in pdfs)
    from briefgen.pipeline import pdf_pages  # the count the writer laid out is the file's count

    assert all(o["pages"] == pdf_pages((seeds_out / o["path"]).read_bytes()) for o in pdfs)


def test_include_and_exclude_globs(tmp_path):
    for p in SEEDS.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    r = run_cli("analyze", str(tmp_path), "--exclude", "00[34]_*", "--as-of", AS_OF)
    ids = sorted(a["id"] for a in json.loads(r.stdout)["articles"])
    assert ids == ["000_afadc851655be168.txt", "001_2f36633df2a44784.txt", "002_53184386e58433e0.txt"]
    r = run_cli("analyze", str(tmp_path), "--include", "004_*", "--as-of", AS_OF)
    assert [g["country"] for g in json.loads(r.stdout)["groups"]] == ["GB"]


def test_country_option_builds_only_the_briefs_asked_for(tmp_path):
    """--country takes an ISO code or a name in any supported language; an unknown one is a
    one-line usage error that lists the partners the input has."""
    out = tmp_path / "out"
    r = run_cli("build", str(SEEDS), "--out", str(out), "--as-of", AS_OF, "--format", "md", "--country", "Pháp", "-c", "gb")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.glob("*.md")) == [f"{AS_OF}_FR_france-brief.md", f"{AS_OF}_GB_united-kingdom-brief.md"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(g["country"] for g in manifest["groups"]) == ["FR", "GB"]
    r = run_cli("build", str(SEEDS), "--out", str(tmp_path / "none"), "--as-of", AS_OF, "--country", "Narnia")
    err = r.stderr.decode() if isinstance(r.stderr, bytes) else r.stderr
    assert r.returncode == 2 and "--country Narnia" in err and "FR (France)" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
