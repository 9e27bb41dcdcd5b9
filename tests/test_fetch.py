"""fetch(): pages from a local http.server on 127.0.0.1, saved atomically under slug names."""
from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import pytest

from briefgen import readers
from briefgen.fetch import fetch, slug_for
from briefgen.settings import Limits, Settings

from readers_helpers import VI_PARAS, VI_TITLE, make_pdf

PAGE = (
    "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>" + VI_TITLE + "</title>"
    "<meta property='article:published_time' content='2025-10-31'></head><body><article><h1>" + VI_TITLE
    + "</h1>" + "".join(f"<p>{p}</p>" for p in VI_PARAS) + "</article></body></html>"
).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    pdf = b""

    def log_message(self, *a):  # keep the test output clean
        pass

    def _send(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        path = self.path
        if path.startswith("/tin-tuc/hop-tac-y-te") or path.startswith("/h%E1%BB%A3p-t%C3%A1c"):
            self._send(200, PAGE)
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/big-declared":
            self._send(200, b"x" * 300_000)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, PAGE)
        elif path == "/to-file":
            self._send(302, headers=[("Location", "file:///etc/passwd")])
        elif path == "/to-page":
            self._send(301, headers=[("Location", "/tin-tuc/hop-tac-y-te.html")])
        elif path == "/report.pdf":
            self._send(200, self.pdf, ctype="application/pdf")
        elif path == "/image.png":
            self._send(200, b"\x89PNG....", ctype="image/png")
        elif path == "/empty":
            self._send(200, b"")
        else:
            self._send(404, b"not here")


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client hanging up on /big is expected
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    Handler.pdf = make_pdf(tmp_path_factory.mktemp("pdf") / "r.pdf", VI_TITLE, VI_PARAS).read_bytes()
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


SETTINGS = Settings(limits=Limits(max_seconds=1.5, max_bytes=200_000))


def test_fetch_saves_pages_and_reports_every_url(server, tmp_path):
    out = tmp_path / "pages"
    urls = [
        f"{server}/tin-tuc/hop-tac-y-te.html?id=1&x=a:b",
        f"{server}/report.pdf",
        f"{server}/missing",
        f"{server}/big",
        f"{server}/big-declared",
        f"{server}/slow",
        f"{server}/to-file",
        f"{server}/to-page",
        f"{server}/image.png",
        f"{server}/empty",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "http://127.0.0.1:9/closed-port",
    ]
    t = time.perf_counter()
    recs = fetch(urls, out, SETTINGS)
    elapsed = time.perf_counter() - t
    assert len(recs) == len(urls)
    status = [r.status for r in recs]
    assert status == ["used", "used", "failed", "failed", "failed", "failed", "failed", "used", "failed", "failed",
                      "failed", "failed", "failed"]
    reasons = [r.reason or "" for r in recs]
    assert "HTTP 404" in reasons[2]
    assert "limit" in reasons[3] and "limit" in reasons[4]
    assert "timed out" in reasons[5] or "cannot connect" in reasons[5]
    assert "not allowed" in reasons[6] or "refused" in reasons[6]
    assert "unsupported content type image/png" in reasons[8]
    assert "empty" in reasons[9]
    assert "only http and https" in reasons[10] and "only http and https" in reasons[11]
    assert elapsed < 15
    # only the saved pages are in the folder: no temp files left, nothing elsewhere
    saved = sorted(p.name for p in out.iterdir())
    assert len(saved) == 3 and not any(n.startswith(".part-") for n in saved)
    assert all(Path(r.path).parent == out for r in recs if r.status == "used")
    html_path = Path(recs[0].path)
    assert html_path.suffix == ".html" and Path(recs[1].path).suffix == ".pdf"
    assert all(c.isalnum() or c in "-." for c in html_path.name)
    assert html_path.name.startswith("127-0-0-1-tin-tuc-hop-tac-y-te-")


def test_fetched_page_reads_back_with_its_url(server, tmp_path):
    url = f"{server}/tin-tuc/hop-tac-y-te.html"
    rec = fetch([url], tmp_path, SETTINGS)[0]
    a = readers.read(Path(rec.path), rec.path, SETTINGS)[0]
    assert a.url == url  # from the "saved from url" comment
    assert a.title == VI_TITLE and a.published == "2025-10-31"
    assert VI_PARAS[2] in a.text
    import hashlib

    assert rec.sha256 == hashlib.sha256(Path(rec.path).read_bytes()).hexdigest()


def test_redirected_page_remembers_its_final_address(server, tmp_path):
    rec = fetch([f"{server}/to-page"], tmp_path, SETTINGS)[0]
    a = readers.read(Path(rec.path), rec.path, SETTINGS)[0]
    assert a.url == f"{server}/tin-tuc/hop-tac-y-te.html"


def test_refetch_replaces_atomically(server, tmp_path):
    url = f"{server}/tin-tuc/hop-tac-y-te.html"
    first = fetch([url], tmp_path, SETTINGS)[0]
    before = os.stat(first.path).st_ino
    second = fetch([url], tmp_path, SETTINGS)[0]
    assert first.path == second.path and os.stat(second.path).st_ino != before  # replaced, not rewritten in place
    assert len(list(tmp_path.iterdir())) == 1


def test_slug_names_are_safe_and_unique():
    a = slug_for("https://baodautu.vn/hợp-tác-y-tế?a=1")
    b = slug_for("https://baodautu.vn/hợp-tác-y-tế?a=2")
    assert a != b and a.startswith("baodautu-vn-hop-tac-y-te-") and a.endswith(".html")
    weird = slug_for("http://x/../../etc/passwd%00:?*<>|" + "ü" * 500)
    assert "/" not in weird and ".." not in weird and len(weird) < 110
    assert slug_for("https://例子.中国/新闻") .endswith(".html")


def test_non_ascii_addresses_are_encoded(server, tmp_path):
    from briefgen.fetch import iri_to_uri

    assert iri_to_uri("https://báo.vn/hợp tác?q=Việt Nam") == "https://xn--bo-mia.vn/h%E1%BB%A3p%20t%C3%A1c?q=Vi%E1%BB%87t%20Nam"
    rec = fetch([f"{server}/hợp-tác-y-tế.html"], tmp_path, SETTINGS)[0]
    assert rec.status == "used", rec.reason
    assert Path(rec.path).name.startswith("127-0-0-1-hop-tac-y-te-")
