"""Escaping and the resource sandbox: article text is data in every format, and WeasyPrint loads
nothing but briefgen's own fonts, template and style assets."""
from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brief_fixtures import HOSTILE, HOSTILE_MARKING, hostile_brief, multilingual_brief  # noqa: E402

from briefgen.settings import Settings, asset_dir  # noqa: E402
from briefgen.writers import render  # noqa: E402

S = Settings(as_of="2026-11-23")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fetch_log(monkeypatch):
    """Record every URL WeasyPrint asks the sandboxed fetcher for, and what it answered."""
    from briefgen.writers.pdf import _fetcher_class, _font_config

    _font_config.cache_clear()  # a fresh font configuration fetches the fonts again
    cls = _fetcher_class()
    original = cls.fetch
    calls: list[tuple[str, bool]] = []

    def recording(self, url, headers=None):
        try:
            res = original(self, url, headers)
        except Exception:
            calls.append((url, False))
            raise
        calls.append((url, True))
        return res

    monkeypatch.setattr(cls, "fetch", recording)
    return calls


def _allowed(url: str, roots: list[Path]) -> bool:
    from urllib.parse import unquote, urlparse

    if url.startswith("briefgen-font:"):
        return "/" not in url.split(":", 1)[1]
    if url.startswith("file://"):
        p = Path(unquote(urlparse(url).path)).resolve()
        return any(p.is_relative_to(r.resolve()) for r in roots)
    return False


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_pdf_prints_hostile_text_literally_and_fetches_only_assets(fetch_log):
    data = render("pdf", hostile_brief(), S)
    text = _pdf_text(data)
    squashed = re.sub(r"\s+", "", text)
    for h in HOSTILE:
        assert re.sub(r"\s+", "", h) in squashed, h
    assert "49" not in re.findall(r"\b\d+\b", text[: text.find("Background")])  # {{ 7*7 }} not evaluated
    # the CSS-breaking marking is printed in the header, and the body is still there
    assert re.sub(r"\s+", "", HOSTILE_MARKING.upper()) in squashed
    assert "Background" in text and "Commitments" in text
    roots = [asset_dir("templates"), asset_dir("styles")]
    assert fetch_log, "the fetcher was never used (fonts should come through it)"
    for url, _ in fetch_log:
        assert _allowed(url, roots), url
        assert "passwd" not in url and "127.0.0.1" not in url and "example.org" not in url and "shadow" not in url
    assert b"root:x:0:0" not in data


def test_custom_template_cannot_reach_outside_the_sandbox(tmp_path, fetch_log):
    """Even a template that asks for foreign resources gets only the allowed ones."""
    tpl = tmp_path / "templates"
    shutil.copytree(asset_dir("templates"), tpl)
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: url(secret.png) }")
    page = (tpl / "brief.html.j2").read_text()
    page = page.replace("</head>", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
                        f'<link rel="stylesheet" href="{secret.as_uri()}"></head>')
    page = page.replace('<body class="brief">', '<body class="brief"><img src="file:///etc/passwd" alt="p"><img src="https://example.org/p.png" alt="q">'
                        '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="d">')
    (tpl / "brief.html.j2").write_text(page)
    data = render("pdf", multilingual_brief(cjk=False), S.with_(templates_dir=str(tpl)))
    asked = {u: ok for u, ok in fetch_log}
    assert asked.get("file:///etc/passwd") is False
    assert asked.get("http://127.0.0.1:9/x.css") is False
    assert asked.get("https://example.org/p.png") is False
    assert asked.get(secret.as_uri()) is False
    assert all(ok is False for u, ok in asked.items() if u.startswith("data:"))
    assert all(_allowed(u, [tpl, asset_dir("styles")]) for u, ok in asked.items() if ok)
    assert b"root:x:0:0" not in data


def test_fetcher_refuses_everything_but_assets():
    from briefgen.writers.pdf import _fetcher_class

    styles = asset_dir("styles")
    f = _fetcher_class()((asset_dir("templates"), styles))
    assert f.fetch("briefgen-font:NotoSans-Regular.ttf").read()[:4] in (b"\x00\x01\x00\x00", b"OTTO")
    assert b"--accent" in f.fetch((styles / "brief.css").resolve().as_uri()).read()
    for bad in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.org/", "briefgen-font:../../../etc/passwd",
                "briefgen-font:../__init__.py", (styles / ".." / ".." / "pyproject.toml").as_uri(), "ftp://x/y",
                "data:text/css,body{display:none}", "data:image/svg+xml;base64,PHN2Zy8+"):
        with pytest.raises(ValueError):
            f.fetch(bad)
    # an inline raster logo is self-contained: served from the URI itself
    png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAW9yPZgAAAABJRU5ErkJggg=="
    assert f.fetch(png).read()[:4] == b"\x89PNG"


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.resources: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for k in ("src", "srcset", "data", "poster", "background", "action", "formaction"):
            if a.get(k):
                self.resources.append(a[k])
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"])


def test_html_escapes_and_is_self_contained(tmp_path):
    from PIL import Image

    styles = tmp_path / "styles"
    shutil.copytree(asset_dir("styles"), styles)
    Image.new("RGB", (40, 20), (200, 30, 30)).save(styles / "logo.png")
    html = render("html", hostile_brief(), S.with_(styles_dir=str(styles))).decode()
    p = _Refs()
    p.feed(html)
    assert "script" not in p.tags and "iframe" not in p.tags and "link" not in p.tags
    assert [t for t in p.tags if t == "img"] == ["img"]  # only the logo
    assert all(r.startswith("data:image/png;base64,") for r in p.resources), p.resources
    css = "\n".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    assert "</" not in css  # article text cannot close the style element
    css_code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', css)  # outside CSS strings (the header/footer labels)
    assert "@import" not in css_code and "url(" not in css_code
    assert "Org" in css and "display:none" not in css_code
    # hyperlinks are only in-page citations and the sources' own addresses
    assert all(h.startswith("#src-") or h.startswith("http") for h in p.links)
    assert "&lt;script&gt;" in html and "{{ 7*7 }}" in html and "{% raw %}" in html
    assert '<img src="file:///etc/passwd">' not in html


def test_markdown_escapes_markup():
    md = render("md", hostile_brief(), S).decode()
    raw_tags = re.findall(r"(?<!\\)<(?!https?://)[a-z/]", md)  # unescaped markup (autolinks <https://...> aside)
    assert raw_tags == []
    assert r"\<script\>" in md and r"\{\{ 7\*7 \}\}" in md
    assert "[link](http" not in md  # Markdown link syntax from an article is neutralised
    assert "49" not in md


def test_docx_keeps_hostile_text_as_text():
    from docx import Document

    data = render("docx", hostile_brief(), S)
    d = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    for h in HOSTILE:
        assert h in text, h
    header = "\n".join(p.text for p in d.sections[0].header.paragraphs)
    assert HOSTILE_MARKING in header
    z = zipfile.ZipFile(io.BytesIO(data))
    xml = z.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
    external = re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*>', rels)
    assert all("/hyperlink" in r for r in external)  # no external images, templates or frames
    assert not any("file:" in r for r in external)
