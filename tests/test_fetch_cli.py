"""The `briefgen fetch` command against a local http.server: files saved, exit codes, one line per failure."""
from __future__ import annotations

import subprocess
import sys

from test_fetch import server  # noqa: F401 - the module-scoped local server fixture


def run(*args, cwd, input=None):
    return subprocess.run([sys.executable, "-m", "briefgen", "fetch", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=120)


def test_fetch_command_saves_pages_and_exits_1_on_failures(server, tmp_path):  # noqa: F811
    out = tmp_path / "pages"
    ok = f"{server}/tin-tuc/hop-tac-y-te.html"
    p = run(ok, f"{server}/report.pdf", f"{server}/missing", "file:///etc/passwd", "--out", str(out), cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    saved = sorted(x.suffix for x in out.iterdir())
    assert saved == [".html", ".pdf"]
    assert f"{server}/missing: HTTP 404" in p.stderr
    assert "file:///etc/passwd: only http and https URLs are fetched" in p.stderr
    assert "2 of 4 page(s) saved" in p.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == ["pages"]  # nothing else written
    # the saved folder builds like any other input folder
    b = subprocess.run([sys.executable, "-m", "briefgen", "analyze", str(out), "--as-of", "2026-11-23"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert b.returncode == 0, b.stderr
    assert ok in b.stdout  # the page URL came back from the "saved from url" comment


def test_fetch_command_reads_urls_from_a_file_and_stdin(server, tmp_path):  # noqa: F811
    lst = tmp_path / "urls.txt"
    lst.write_text(f"# pages for the November brief\n{server}/tin-tuc/hop-tac-y-te.html\n\n", encoding="utf-8")
    p = run("--from", str(lst), "--out", str(tmp_path / "a"), "--quiet", cwd=tmp_path)
    assert p.returncode == 0 and p.stderr == ""
    assert len(list((tmp_path / "a").iterdir())) == 1
    q = run("--from", "-", "--out", str(tmp_path / "b"), input=f"{server}/report.pdf\n", cwd=tmp_path)
    assert q.returncode == 0, q.stderr
    assert [x.suffix for x in (tmp_path / "b").iterdir()] == [".pdf"]


def test_fetch_command_without_urls_is_a_usage_error(tmp_path):
    p = run("--out", str(tmp_path / "x"), cwd=tmp_path)
    assert p.returncode == 2 and "no URLs given" in p.stderr
    assert not (tmp_path / "x").exists()
