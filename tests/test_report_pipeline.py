"""`briefgen report` end to end on seeds/ plus dated fixture articles (tests/data/report/).

The fixtures are press-style articles in English, Vietnamese (HTML with a publication date),
German, French, Indonesian, Spanish and Korean, dated September, October and November 2025
(one undated). The seeds are dated 31 October 2025 (two reports of one event) and 6 November
2025, and two have no usable date.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import os
from pathlib import Path

import pytest

from briefgen.report import UNDATED_REASON
from test_report_support import REPORT_DATA, ROOT, SEEDS, SmtpServer, make_ca, run_cli

FMT = "pdf"  # (+ json, always): keeps the runs short
N_INPUTS = len(list(SEEDS.iterdir())) + len(list(REPORT_DATA.glob("*.txt"))) + len(list(REPORT_DATA.glob("*.html")))


def report(out: Path, *extra: str, inputs=(str(SEEDS), str(REPORT_DATA)), env=None) -> subprocess.CompletedProcess:
    return run_cli("report", *inputs, "--out", str(out), "--home", "VN", "--format", FMT, *extra, env=env)


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def two_months(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    for month in ("2025-10", "2025-11"):
        r = report(out, "--month", month)
        assert r.returncode == 0, r.stderr
        assert f"report {month}: wrote manifest.json" in r.stderr
        # logs: one line per event, UTC time stamp and level first
        assert all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (INFO|WARNING|ERROR) \S", line) for line in r.stderr.splitlines()), r.stderr
    return out


def test_period_folders_hold_briefs_overview_and_manifest(two_months):
    assert sorted(p.name for p in two_months.iterdir()) == ["2025-10", "2025-11"]
    for month in ("2025-10", "2025-11"):
        folder = two_months / month
        m = manifest(folder)
        assert m["command"] == "report" and m["period"]["name"] == month and m["as_of"] == m["period"]["until"]
        # every input is listed, with its hash, status and (when known) its article date
        assert len(m["inputs"]) == N_INPUTS
        for rec in m["inputs"]:
            assert rec["status"] in ("used", "skipped", "failed") and rec["sha256"] == sha(ROOT / rec["path"])
            if rec["status"] == "used":
                assert rec["article_date"][:7] == month, rec
            elif rec["status"] == "skipped":
                assert rec["reason"] == UNDATED_REASON or rec["reason"].startswith(("outside the period", "imprecise date")), rec
                if rec["reason"].startswith("outside"):
                    assert rec["article_date"][:7] != month
        by = {Path(r["path"]).name: r for r in m["inputs"]}
        assert by["undated_ko_hanguk.txt"]["status"] == "skipped" and by["undated_ko_hanguk.txt"]["reason"] == UNDATED_REASON
        assert by["2025-09_es_espana_energia.txt"]["status"] == "skipped"
        assert "outside the period" in by["2025-09_es_espana_energia.txt"]["reason"]
        # every output exists with the recorded hash; one JSON brief per PDF brief; overview on one page
        files = {o["path"]: o for o in m["outputs"]}
        for path, o in files.items():
            assert sha(folder / path) == o["sha256"] and (folder / path).stat().st_size == o["bytes"]
        briefs = [o for o in m["outputs"] if o["role"] == "brief"]
        assert {o["country"] for o in briefs if o["format"] == "pdf"} == {o["country"] for o in briefs if o["format"] == "json"}
        assert {o["country"] for o in briefs} == {g["country"] for g in m["groups"]}
        assert files[f"{month}_overview.pdf"]["pages"] == 1
        assert all(o["pages"] >= 1 for o in briefs if o["format"] == "pdf")
        # nothing but the listed files (and the lock) in the folder; the manifest was written last
        assert sorted(p.name for p in folder.iterdir()) == sorted(list(files) + ["manifest.json", ".lock"])
        assert all((folder / p).stat().st_mtime_ns <= (folder / "manifest.json").stat().st_mtime_ns for p in files)

    oct_, nov = manifest(two_months / "2025-10"), manifest(two_months / "2025-11")
    oct_groups = {g["country"]: g["articles"] for g in oct_["groups"]}
    nov_groups = {g["country"]: g["articles"] for g in nov["groups"]}
    assert {"FR", "JP"} <= set(oct_groups) and "002_53184386e58433e0.txt" in oct_groups["FR"]
    assert {"JP", "DE", "ID"} <= set(nov_groups)
    assert "2025-11_vi_nhat_ban_jica.html" in nov_groups["JP"] and "2025-10_en_japan_jica.html" not in nov_groups["JP"]
    assert oct_["compared_with"] is None and nov["compared_with"] == "2025-10"


def test_changes_since_last_month(two_months):
    nov = two_months / "2025-11"
    jp = json.loads(next(nov.glob("*_JP_*-brief.json")).read_text("utf-8"))
    assert set(jp["changes"]) == {"New commitments", "New or moved milestones", "Milestones passed"}
    assert any("1,5 tỷ yên" in line for line in jp["changes"]["New commitments"])
    assert any("2026" in line for line in jp["changes"]["New or moved milestones"])
    de = json.loads(next(nov.glob("*_DE_*-brief.json")).read_text("utf-8"))
    assert de["changes"] == {}  # no German brief in October: nothing to compare with
    ov = json.loads((nov / "2025-11_overview.json").read_text("utf-8"))
    assert ov["compared_with"] == "2025-10" and "JP" in {c["country"] for c in ov["changes"]}
    from briefgen.report import date_bounds

    ends = [date_bounds(m["date"].split("/")[-1])[1] for m in ov["milestones"]]
    assert ends == sorted(ends)  # by the last day each date stands for: 'end of 2026' after 'January 2026'
    assert all(m["status"] in ("upcoming", "due") for m in ov["milestones"])
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(next(nov.glob("*_JP_*-brief.pdf")))).pages)
    assert "Changes since last period" in text and "New commitments" in text


def test_same_month_twice_is_byte_identical(two_months):
    folder = two_months / "2025-11"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".lock"}
    r = report(two_months, "--month", "2025-11", "--quiet")
    assert r.returncode == 0 and r.stderr == ""  # --quiet: nothing on stderr when all is well
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".lock"}
    assert after.keys() == before.keys()
    assert after["manifest.json"] == before["manifest.json"]
    assert [n for n in before if before[n] != after[n]] == []


def test_corrupt_input_exit_1_and_every_other_brief_written(tmp_path, two_months):
    inputs = tmp_path / "in"
    shutil.copytree(REPORT_DATA, inputs)
    (inputs / "2025-11_broken_scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" + b"\x00" * 300)
    (inputs / "2025-11_broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(64))
    r = report(tmp_path / "out", "--month", "2025-11", inputs=(str(inputs),))
    assert r.returncode == 1, r.stderr
    assert "2025-11_broken_scan.pdf" in r.stderr and "2025-11_broken.docx" in r.stderr
    m = manifest(tmp_path / "out" / "2025-11")
    by = {Path(x["path"]).name: x for x in m["inputs"]}
    for bad in ("2025-11_broken_scan.pdf", "2025-11_broken.docx"):
        assert by[bad]["status"] == "failed" and by[bad]["reason"], by[bad]
    good = manifest(two_months / "2025-11")
    expected = {g["country"] for g in good["groups"]} - {"FR"}  # FR in November comes from a seed, not given here
    got = {o["country"] for o in m["outputs"] if o["role"] == "brief" and o["format"] == "pdf"}
    assert expected <= got and m["counts"]["failed"] == 2


def test_two_concurrent_runs_of_one_month(tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "briefgen", "report", str(REPORT_DATA), "--out", str(out), "--home", "VN",
           "--format", FMT, "--month", "2025-11"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
    assert [rc for _, _, rc in results] == [0, 0], [e for _, e, _ in results]
    assert sum("waited" in err for _, err, _ in results) <= 1
    folder = out / "2025-11"
    m = manifest(folder)  # valid JSON
    for o in m["outputs"]:
        assert sha(folder / o["path"]) == o["sha256"]
    assert not list(folder.glob(".*.part"))
    from pypdf import PdfReader

    for o in m["outputs"]:
        if o["format"] == "pdf":
            assert len(PdfReader(str(folder / o["path"])).pages) == o["pages"]


def test_lock_held_means_exit_2_after_timeout(tmp_path):
    from filelock import FileLock

    folder = tmp_path / "out" / "2025-11"
    folder.mkdir(parents=True)
    with FileLock(str(folder / ".lock")):
        r = report(tmp_path / "out", "--month", "2025-11", "--lock-timeout", "1", inputs=(str(REPORT_DATA),))
    assert r.returncode == 2
    assert "another report for 2025-11 is running" in r.stderr and "gave up after 1 s" in r.stderr
    assert not (folder / "manifest.json").exists()


def test_since_until_folder(tmp_path):
    r = report(tmp_path, "--since", "2025-10-15", "--until", "2025-11-10", inputs=(str(REPORT_DATA),))
    assert r.returncode == 0, r.stderr
    m = manifest(tmp_path / "2025-10-15_2025-11-10")
    used = {Path(x["path"]).name: x["article_date"] for x in m["inputs"] if x["status"] == "used"}
    assert used and all("2025-10-15" <= d <= "2025-11-10" for d in used.values())
    assert "2025-10_en_japan_jica.html" not in used  # 14 October
    assert (tmp_path / "2025-10-15_2025-11-10" / "2025-10-15_2025-11-10_overview.pdf").is_file()


def test_report_send_chains_mail(tmp_path, two_months):
    ca, cert, key = make_ca(tmp_path / "pki")
    cfg = tmp_path / "briefgen.toml"
    with SmtpServer(cert, key, password="pw-123") as srv:
        cfg.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {srv.port}\nfrom = "reports@example.org"\n'
                       f'[recipients]\nJP = ["asia.desk@example.org"]\ndefault = ["cooperation@example.org"]\n', "utf-8")
        out = tmp_path / "out"
        shutil.copytree(two_months / "2025-10", out / "2025-10")
        r = report(out, "--month", "2025-11", "--send", "--config", str(cfg),
                   env={"SSL_CERT_FILE": str(ca), "BRIEFGEN_SMTP_USER": "reports", "BRIEFGEN_SMTP_PASSWORD": "pw-123"})
        assert r.returncode == 0, r.stderr
        received = list(srv.received)
    import email
    import email.policy

    folder = out / "2025-11"
    m = manifest(folder)
    pdfs = {o["path"] for o in m["outputs"] if o["format"] == "pdf"}
    sent = {}
    for rec in received:
        msg = email.message_from_bytes(rec["data"], policy=email.policy.default)
        assert msg.get_content_type() == "multipart/mixed"
        for part in msg.iter_attachments():
            assert part.get_content_type() == "application/pdf"
            assert part.get_content() == (folder / part.get_filename()).read_bytes()
            sent[part.get_filename()] = sorted(rec["to"])
    assert set(sent) == pdfs  # every PDF once, no JSON or HTML attached
    jp = next(n for n in sent if "_JP_" in n)
    assert sent[jp] == ["asia.desk@example.org"]
    assert sent["2025-11_overview.pdf"] == ["cooperation@example.org"]


def test_a_country_that_disappears_loses_its_files(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(REPORT_DATA, inputs)
    out = tmp_path / "out"
    assert report(out, "--month", "2025-11", inputs=(str(inputs),)).returncode == 0
    folder = out / "2025-11"
    de = [p.name for p in folder.glob("*_DE_*")]
    assert de, "the German article should give a German brief"
    (inputs / "2025-11_de_deutschland_fachkraefte.txt").unlink()
    r = report(out, "--month", "2025-11", inputs=(str(inputs),))
    assert r.returncode == 0, r.stderr
    assert not list(folder.glob("*_DE_*")) and "no longer produced" in r.stderr
    m = manifest(folder)
    assert "DE" not in {o.get("country") for o in m["outputs"]}
    assert sorted(p.name for p in folder.iterdir()) == sorted([o["path"] for o in m["outputs"]] + ["manifest.json", ".lock"])


def test_a_month_without_articles_still_gets_an_overview_and_manifest(tmp_path):
    r = report(tmp_path, "--month", "2024-01", inputs=(str(REPORT_DATA / "undated_ko_hanguk.txt"), str(REPORT_DATA / "2025-09_es_espana_energia.txt")))
    assert r.returncode == 0, r.stderr
    m = manifest(tmp_path / "2024-01")
    assert [x["status"] for x in m["inputs"]] == ["skipped", "skipped"]
    assert {o["role"] for o in m["outputs"]} == {"overview"} and m["groups"] == []
    assert "No articles dated in this period." in (tmp_path / "2024-01" / "2024-01_overview.html").read_text("utf-8")


def test_out_that_is_a_file_or_unwritable_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    r = report(tmp_path / "file", "--month", "2025-11", inputs=(str(REPORT_DATA),))
    assert r.returncode == 2 and "exists and is not a folder" in r.stderr
    r = report(tmp_path / "file" / "sub", "--month", "2025-11", inputs=(str(REPORT_DATA),))
    assert r.returncode == 2 and "cannot create" in r.stderr


def test_no_readable_input_leaves_the_existing_report_alone(tmp_path, two_months):
    out = tmp_path / "out"
    shutil.copytree(two_months / "2025-11", out / "2025-11")
    before = {p.name: p.read_bytes() for p in (out / "2025-11").iterdir()}
    r = report(out, "--month", "2025-11", inputs=(str(tmp_path / "no-such-folder"),))
    assert r.returncode == 2 and "no readable articles" in r.stderr
    assert {p.name: p.read_bytes() for p in (out / "2025-11").iterdir()} == before


def test_one_brief_that_cannot_be_rendered_costs_only_its_own_file(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    t = templates / "brief.html.j2"
    # a template bug that hits the German brief only (StrictUndefined: an unknown name raises)
    t.write_text(t.read_text("utf-8").replace('<body class="brief">', '<body class="brief">{% if brief.country == "DE" %}{{ no_such_value.x }}{% endif %}', 1), "utf-8")
    r = report(tmp_path / "out", "--month", "2025-11", "--templates", str(templates), inputs=(str(REPORT_DATA),))
    assert r.returncode == 1, r.stderr
    assert "DE pdf failed" in r.stderr
    m = manifest(tmp_path / "out" / "2025-11")
    assert [(e["country"], e["format"]) for e in m["errors"]] == [("DE", "pdf")]
    got = {(o.get("country"), o["format"]) for o in m["outputs"] if o["role"] == "brief"}
    assert ("DE", "json") in got and ("DE", "pdf") not in got
    assert {("JP", "pdf"), ("ID", "pdf")} <= got


def test_killed_run_leaves_no_half_written_file_and_the_next_run_cleans_up(tmp_path):
    import signal
    import time

    from pypdf import PdfReader

    out = tmp_path / "out"
    folder = out / "2025-11"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "briefgen", "report", str(SEEDS), str(REPORT_DATA), "--out", str(out), "--home", "VN",
           "--format", "pdf,docx", "--month", "2025-11", "--workers", "1"]
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and p.poll() is None and not list(folder.glob("*.pdf")):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert not (folder / "manifest.json").exists() or p.returncode == 0  # killed before the manifest
    for pdf in folder.glob("*.pdf"):  # whatever is there under a final name is complete
        assert len(PdfReader(str(pdf)).pages) >= 1
    r = report(out, "--month", "2025-11")
    assert r.returncode == 0, r.stderr
    assert not list(folder.glob(".*.part"))
    m = manifest(folder)
    assert all(sha(folder / o["path"]) == o["sha256"] for o in m["outputs"])
