"""Hostile and broken input: a generated corpus of >= 40 bad or odd files plus good articles.

Every file goes through readers.discover + readers.read with the network blocked and every
file write recorded: zero uncaught exceptions (a failure is a ReadError with a one-line
message naming the problem), zero files written, good articles read correctly.
"""
from __future__ import annotations

import builtins
import io
import os
import socket
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from briefgen import readers
from briefgen.settings import Limits, Settings

from readers_helpers import CORPUS_LIMITS, build_corpus

CORPUS_SETTINGS = Settings(limits=Limits(**CORPUS_LIMITS))


class Guard:
    """Block the network and record any attempt to open a file for writing."""

    def __init__(self, monkeypatch):
        self.network: list[str] = []
        self.writes: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def no_connect(sock, address, *a, **k):
            self.network.append(repr(address))
            raise OSError("network blocked in tests")

        def no_create_connection(address, *a, **k):
            self.network.append(repr(address))
            raise OSError("network blocked in tests")

        def watched_open(file, mode="r", *a, **k):
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                self.writes.append(str(file))
            return real_open(file, mode, *a, **k)

        def watched_os_open(path, flags, *a, **k):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC):
                self.writes.append(str(path))
            return real_os_open(path, flags, *a, **k)

        monkeypatch.setattr(socket.socket, "connect", no_connect)
        monkeypatch.setattr(socket.socket, "connect_ex", no_connect)
        monkeypatch.setattr(socket, "create_connection", no_create_connection)
        monkeypatch.setattr(builtins, "open", watched_open)
        monkeypatch.setattr(io, "open", watched_open)
        monkeypatch.setattr(os, "open", watched_os_open)


def _snapshot(root: Path) -> dict[str, float]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in filenames:
            p = Path(dirpath) / n
            try:
                out[str(p)] = p.lstat().st_mtime
            except OSError:
                pass
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    expectations = build_corpus(root)
    return root, expectations


def test_hostile_corpus(corpus, monkeypatch, capsys):
    root, expectations = corpus
    bad = [k for k in expectations if not k.startswith("good/") and "/good-" not in k]
    refused = [k for k, (e, _) in expectations.items() if e == "error"]
    assert len(bad) >= 40 and len(refused) >= 35, f"only {len(bad)} bad or odd files generated"
    before = _snapshot(root.parent)
    guard = Guard(monkeypatch)

    t0 = time.perf_counter()
    found = readers.discover([str(root)], CORPUS_SETTINGS)
    rels = [p.relative_to(root).as_posix() for p, _ in found]
    assert len(rels) == len(set(rels)), "discover returned a file twice (symlink loop?)"
    assert set(rels) == set(expectations), set(rels) ^ set(expectations)

    outcomes: dict[str, tuple[str, str]] = {}
    texts: dict[str, str] = {}
    slowest = (0.0, "")
    for path, display in found:
        rel = path.relative_to(root).as_posix()
        t = time.perf_counter()
        try:
            arts = readers.read(path, display, CORPUS_SETTINGS)
        except readers.ReadError as e:
            outcomes[rel] = ("error", str(e))
        except BaseException as e:  # noqa: BLE001 - this is what the test is about
            pytest.fail(f"{rel}: uncaught {type(e).__name__}: {e}")
        else:
            outcomes[rel] = ("ok", "")
            texts[rel] = "\n".join((a.title or "") + "\n" + a.text for a in arts)
            for a in arts:
                assert a.text.strip() and a.path == display and a.sha256
                assert unicodedata.is_normalized("NFC", a.text[:100_000])
                assert "\x00" not in a.text
        slowest = max(slowest, (time.perf_counter() - t, rel))
    elapsed = time.perf_counter() - t0

    for rel, (expected, detail) in expectations.items():
        got, message = outcomes[rel]
        if expected != "any":
            assert got == expected, f"{rel}: expected {expected}, got {got} {message}"
        if got == "error":
            assert "\n" not in message and 0 < len(message) <= 300, rel
            assert "internal error" not in message, f"{rel}: {message}"
            if expected == "error" and detail:
                assert detail.lower() in message.lower(), f"{rel}: {message!r} lacks {detail!r}"
        if got == "ok" and expected == "ok" and detail:
            assert detail in texts[rel], f"{rel}: {detail!r} missing"

    everything = "\n".join(texts.values())
    for leaked in ("SECRET-SCRIPT", "SECRET-NOSCRIPT", "TOP-SECRET-CONTENT", "root:x:0:0", "p{color:red}",
                   "SECRET-ATTACHMENT", "launchURL"):
        assert leaked not in everything
    assert not Path("/tmp/briefgen-zip-slip.txt").exists()
    assert guard.network == [], f"network attempted: {guard.network}"
    assert guard.writes == [], f"files opened for writing: {guard.writes}"
    assert _snapshot(root.parent) == before, "files were created or changed"
    assert elapsed < 60
    n_ok = sum(1 for g, _ in outcomes.values() if g == "ok")
    with capsys.disabled():
        print(f"\n[hostile corpus] {len(outcomes)} files ({len(bad)} bad or odd), {n_ok} read, "
              f"{len(outcomes) - n_ok} refused with a reason, {elapsed:.2f} s total, "
              f"slowest {slowest[1]} {slowest[0]:.2f} s")


def test_good_articles_in_corpus_read_correctly(corpus):
    root, _ = corpus
    arts = readers.read(root / "html/scripts-iframes.html", "html/scripts-iframes.html", CORPUS_SETTINGS)
    a = arts[0]
    assert a.published == "2025-10-31" and a.url == "https://baodautu.vn/hop-tac-y-te-d426011.html"
    assert "Mẫu {{ 7*7 }} và {% raw %} được giữ nguyên." in a.text
    assert "evil.example" not in a.text and "Leipzig" not in a.text
    mail = readers.read(root / "mail/with-docx-and-pdf.eml", "with-docx-and-pdf.eml", CORPUS_SETTINGS)
    assert sorted(x.source_format for x in mail) == ["docx", "pdf"]
    assert len({x.id for x in mail}) == 2


def test_fifo_does_not_block(corpus):
    root, _ = corpus
    fifo = root / "other/fifo.txt"
    if not fifo.exists():
        pytest.skip("no FIFOs on this system")
    t = time.perf_counter()
    with pytest.raises(readers.ReadError, match="not a regular file"):
        readers.read(fifo, str(fifo), CORPUS_SETTINGS)
    assert time.perf_counter() - t < 1


def _spin():
    while True:
        pass


def test_timeout_guard_main_thread():
    t = time.perf_counter()
    with pytest.raises(readers.ReadError, match="longer than the 0.3-second limit"):
        readers.run_with_timeout(_spin, 0.3, "reading this PDF file")
    assert time.perf_counter() - t < 2
    assert readers.run_with_timeout(lambda: [1], 1.0, "x") == [1]


def test_timeout_guard_worker_thread():
    box = {}

    def work():
        try:
            readers.run_with_timeout(lambda: time.sleep(5) or [], 0.3, "reading this HTML file")
        except readers.ReadError as e:
            box["error"] = str(e)

    t = time.perf_counter()
    th = threading.Thread(target=work)
    th.start()
    th.join(3)
    assert "0.3-second limit" in box.get("error", "")
    assert time.perf_counter() - t < 2


def test_reader_errors_pass_through_timeout_guard():
    def boom():
        raise readers.ReadError("broken thing")

    with pytest.raises(readers.ReadError, match="broken thing"):
        readers.run_with_timeout(boom, 1.0, "x")


def test_read_error_is_one_line():
    e = readers.ReadError("first line\nsecond line\r\n third")
    assert str(e) == "first line second line third"


EXTS = sorted(readers.READERS)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"{\"items\":", b"From: a\n\n", b"\xff\xfe"]).flatmap(
        lambda head: st.binary(max_size=2000).map(lambda tail: head + tail)),
), ext=st.sampled_from(EXTS))
def test_readers_raise_only_read_error(data, ext):
    s = Settings(limits=Limits(max_seconds=10))
    try:
        arts = readers.read_bytes(data, ext, Path("x" + ext), "x" + ext, s)
    except readers.ReadError as e:
        assert "\n" not in str(e) and "internal error" not in str(e), str(e)
    else:
        for a in arts:
            assert a.text.strip()
            assert unicodedata.is_normalized("NFC", a.text)


TAGS = ["div", "p", "span", "article", "script", "style", "iframe", "table", "tr", "td", "ul", "li", "h1", "a",
        "noscript", "template", "svg", "math", "form", "select", "textarea", "title", "base", "meta", "link"]
html_tree = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    lambda children: st.tuples(st.sampled_from(TAGS), st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}>" + "".join(t[1]) + (f"</{t[0]}>" if t[0] not in ("meta", "link", "base") else "")),
    max_leaves=30,
)


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=html_tree, head=st.sampled_from(["", "<meta charset='utf-8'>", "<meta charset='windows-1258'>",
                                             "<meta charset='no-such-charset'>", "<base href='file:///'>"]))
def test_html_reader_on_random_trees(body, head):
    data = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode("utf-8", "surrogatepass")
    try:
        arts = readers.read_bytes(data, ".html", Path("r.html"), "r.html", Settings())
    except readers.ReadError as e:
        assert "internal error" not in str(e), str(e)
    else:
        assert arts[0].text.strip() and unicodedata.is_normalized("NFC", arts[0].text)


def test_slow_html_is_stopped_at_the_time_limit(tmp_path):
    p = tmp_path / "slow.html"
    p.write_text("<html><body>" + "<div><p>Tief verschachtelt, sehr langsam.</p>" * 20_000 + "</div>" * 20_000
                 + "</body></html>", encoding="utf-8")
    s = Settings(limits=Limits(max_seconds=0.05))
    t = time.perf_counter()
    with pytest.raises(readers.ReadError, match=r"took longer than the 0.05-second limit"):
        readers.read(p, str(p), s)
    assert time.perf_counter() - t < 10


def test_even_plain_text_is_under_the_time_limit(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_text("\n".join(f"Zeile {i} ohne Punkt" for i in range(400_000)), encoding="utf-8")
    with pytest.raises(readers.ReadError, match="longer than the 0.2-second limit"):
        readers.read(p, str(p), Settings(limits=Limits(max_seconds=0.2)))
