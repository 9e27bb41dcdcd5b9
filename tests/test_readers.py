"""Round trips: a real sample of each format, made by the test, read back with its metadata."""
from __future__ import annotations

import io
import json
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from briefgen import readers
from briefgen.model import Article
from briefgen.readers.encoding import decode, decode_bytes
from briefgen.settings import Limits, Settings

from readers_helpers import (
    DE_PARAS, FR_PARAS, ID_PARAS, VI_PARAS, VI_TITLE, docx_bytes, make_attachment_eml, make_docx,
    make_forward_eml, make_html, make_pdf, to_cp1258,
)

S = Settings()


def read1(path: Path) -> Article:
    arts = readers.read(path, str(path), S)
    assert len(arts) == 1
    return arts[0]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --------------------------------------------------------------------------- plain text and encodings


@pytest.mark.parametrize("name,encode", [
    ("utf8.txt", lambda t: t.encode("utf-8")),
    ("utf8-bom.txt", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    ("utf16.txt", lambda t: t.encode("utf-16")),
    ("utf16le.txt", lambda t: t.encode("utf-16-le")),
    ("utf16be.txt", lambda t: t.encode("utf-16-be")),
    ("utf32.txt", lambda t: t.encode("utf-32")),
    ("utf32le.txt", lambda t: t.encode("utf-32-le")),
    ("cp1258.txt", to_cp1258),
    ("nfd.txt", lambda t: unicodedata.normalize("NFD", t).encode("utf-8")),
])
def test_vietnamese_text_in_every_encoding(tmp_path, name, encode):
    text = VI_TITLE + "\n\n" + "\n\n".join(VI_PARAS)
    p = tmp_path / name
    p.write_bytes(encode(text))
    a = read1(p)
    assert a.title == VI_TITLE
    assert a.text == "\n\n".join(VI_PARAS)  # exact, NFC, nothing lost
    assert a.source_format == "txt"
    assert a.meta["encoding"] == {"cp1258.txt": "cp1258", "utf16.txt": "utf-16-le", "utf32.txt": "utf-32-le"}.get(
        name, a.meta["encoding"])


def test_windows_1258_is_really_combining_and_comes_back_nfc():
    raw = to_cp1258("Trần Văn Thuấn")
    assert raw.decode("cp1258") != "Trần Văn Thuấn"  # decoded naively it is not NFC
    assert decode(raw) == "Trần Văn Thuấn"
    assert decode_bytes(to_cp1258(" ".join(VI_PARAS)))[1] == "cp1258"


@pytest.mark.parametrize("paras,enc,word", [
    (DE_PARAS, "cp1252", "Größere Übereinstimmung"),
    (FR_PARAS, "cp1252", "élèves médecins"),
    (FR_PARAS, "latin-1", "préparent"),
    (["Współpraca między Polską a Wietnamem rozwija się dynamicznie, szczególnie w dziedzinie zdrowia. "
      "Zażółć gęślą jaźń, powiedział minister."], "cp1250", "Współpraca między Polską"),
    (["Министерство здравоохранения Вьетнама и Франции подписали соглашение о сотрудничестве."], "cp1251",
     "Министерство здравоохранения"),
    (["中华人民共和国国家卫生健康委员会与越南卫生部签署了卫生合作协议，双方将加强医疗人才培养。"], "gb18030", "卫生合作协议"),
    (["日本とベトナムの保健省は協力協定に署名しました。両国は医療人材の育成を強化します。"], "shift_jis", "協力協定"),
    (["Però il ministro può già annunciare che così la cooperazione crescerà; l'università di Hanoi è pronta. "
      "Perché no? Più medici verranno formati, così si dice, e la città sarà coinvolta."], "cp1252", "Però il ministro può"),
    (["O ministério não divulgou as informações sobre a cooperação; as negociações são longas e difíceis. "
      "Então, as nações irmãs vão às reuniões."], "cp1252", "informações sobre a cooperação"),
])
def test_legacy_encodings(paras, enc, word):
    text = "\n\n".join(paras)
    data = text.encode(enc, "replace")
    assert word in decode(data)


def test_mojibake_is_repaired_only_when_it_is_mojibake():
    broken = "Thứ trưởng Bộ Y tế Trần Văn Thuấn phát biểu.".encode("utf-8").decode("cp1252", "replace")
    assert decode(broken.encode("utf-8")) == "Thứ trưởng Bộ Y tế Trần Văn Thuấn phát biểu."
    fine = "Le café « crème » coûte 3 €; naïve façade — déjà vu."
    assert decode(fine.encode("utf-8")) == fine
    fr = "Les élèves étaient très contents de l'été.".encode("utf-8").decode("latin-1")
    assert decode(fr.encode("utf-8")) == "Les élèves étaient très contents de l'été."


def test_binary_is_refused_with_a_reason():
    with pytest.raises(readers.ReadError, match="binary"):
        decode(bytes(range(256)) * 40)
    with pytest.raises(readers.ReadError, match="PDF"):
        decode(b"%PDF-1.7 binary")


# --------------------------------------------------------------------------- HTML


def test_html_round_trip(tmp_path):
    p = make_html(tmp_path / "page.html", VI_TITLE, VI_PARAS)
    a = read1(p)
    assert a.source_format == "html"
    assert a.title == VI_TITLE
    assert a.url == "https://baodautu.vn/hop-tac-y-te-d426011.html"
    assert a.published == "2025-10-31"
    for para in VI_PARAS:
        assert para in a.text
    assert "Leipzig" not in a.text and "Bản quyền" not in a.text and "Trang chủ" not in a.text
    assert not a.text.startswith(VI_TITLE)  # the headline is the title, not repeated in the text
    reasons = {r.reason for r in a.removed}
    assert "outside the main text (page furniture)" in reasons
    assert any("Leipzig" in r.text for r in a.removed)


def test_html_og_url_and_saved_from_comment(tmp_path):
    p = make_html(tmp_path / "og.html", VI_TITLE, VI_PARAS, url=None,
                  extra_head='<meta property="og:url" content="https://nhandan.vn/og-post919604.html">')
    assert read1(p).url == "https://nhandan.vn/og-post919604.html"
    q = tmp_path / "saved.htm"
    q.write_bytes(b"<!-- saved from url=(0036)https://songv.langson.gov.vn/a.html -->\n"
                  + make_html(tmp_path / "x.html", VI_TITLE, VI_PARAS, url=None).read_bytes())
    assert read1(q).url == "https://songv.langson.gov.vn/a.html"


def test_html_meta_charset_hint(tmp_path):
    p = make_html(tmp_path / "de.html", "Zusammenarbeit", DE_PARAS, charset="windows-1252", date="2025-11-02")
    a = read1(p)
    assert "Größere Übereinstimmung" in a.text and a.published == "2025-11-02"
    q = make_html(tmp_path / "vi.html", VI_TITLE, VI_PARAS, charset="windows-1258")
    b = read1(q)
    assert VI_PARAS[1] in b.text and b.title == VI_TITLE


def test_html_without_metadata_and_short(tmp_path):
    p = tmp_path / "short.html"
    p.write_text("<html><body><p>" + ID_PARAS[0] + "</p></body></html>", encoding="utf-8")
    a = read1(p)
    assert ID_PARAS[0] in a.text and a.published is None and a.url is None


def test_html_saved_pages_of_three_site_layouts(tmp_path, monkeypatch):
    """The benchmark's saved pages (an <article> page with Open Graph tags, a <div> layout with the
    lead in a box of its own and the date in JSON-LD, an old table portal with <br> paragraphs
    and the date only in the URL), in seven languages: each gives its whole article, its title
    and its day, and none of the menu, cookie notice, related list or footer."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import synth

    pages = synth.generate_pages(tmp_path, 28)
    langs = set()
    for p, want in pages:
        a = read1(p)
        html = p.read_text("utf-8")
        langs.add(p.stem.split("_")[1])
        assert a.title == want["title"], p.name
        assert want["lead"] in a.text.splitlines(), p.name
        assert a.published == want["published"], p.name
        assert not any(f in a.text for f in synth.PAGE_FURNITURE), p.name
        related = html[html.index('<aside class="related">'):html.index("</aside>")]
        for item in related.split("<li>")[1:]:
            assert item[item.index(">") + 1:item.index("</a>")] not in a.text, (p.name, item)
        menu = html[html.index('<ul class="menu">'):html.index("</nav>")]
        assert not any(f">{w}</a>" in menu and f"\n{w}\n" in f"\n{a.text}\n" for w in synth.NAV), p.name
    assert langs == set(synth.T)


# --------------------------------------------------------------------------- DOCX


def test_docx_round_trip_core_title(tmp_path):
    p = make_docx(tmp_path / "a.docx", VI_TITLE, VI_PARAS, title_style=False)
    a = read1(p)
    assert a.source_format == "docx" and a.title == VI_TITLE
    assert a.text == "\n\n".join(VI_PARAS)


def test_docx_title_style_and_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Zusammenarbeit im Gesundheitswesen", style="Title")
    for para in DE_PARAS:
        d.add_paragraph(para)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Partner", "Zeitraum"
    t.cell(1, 0).text, t.cell(1, 1).text = "Guangxi", "2025-2026"
    p = tmp_path / "t.docx"
    d.save(str(p))
    a = read1(p)
    assert a.title == "Zusammenarbeit im Gesundheitswesen"
    assert DE_PARAS[0] in a.text and "Guangxi | 2025-2026" in a.text
    assert not a.text.startswith("Zusammenarbeit im Gesundheitswesen")


# --------------------------------------------------------------------------- PDF


def test_pdf_round_trip_vietnamese(tmp_path):
    p = make_pdf(tmp_path / "vi.pdf", VI_TITLE, VI_PARAS)
    a = read1(p)
    assert a.source_format == "pdf" and a.title == VI_TITLE
    assert unicodedata.is_normalized("NFC", a.text)
    for para in VI_PARAS:  # lines re-joined into the original paragraphs
        assert para in a.text, para
    assert a.meta["pages"] == 1


def test_pdf_limits_and_password(tmp_path):
    from readers_helpers import _pdf_writer_bytes, encrypted_text_pdf

    p = tmp_path / "many.pdf"
    p.write_bytes(_pdf_writer_bytes(12))
    with pytest.raises(readers.ReadError, match="12 pages, over the limit of 10"):
        readers.read(p, str(p), Settings(limits=Limits(max_pages=10)))
    good = make_pdf(tmp_path / "g.pdf", "Titre", FR_PARAS, lang="fr").read_bytes()
    e = tmp_path / "enc.pdf"
    e.write_bytes(encrypted_text_pdf(good, "secret"))
    with pytest.raises(readers.ReadError, match="encrypted PDF"):
        read1(e)
    blank = tmp_path / "scan.pdf"
    blank.write_bytes(_pdf_writer_bytes(1))
    with pytest.raises(readers.ReadError, match=r"no text layer \(scanned PDF\?\)"):
        read1(blank)


# --------------------------------------------------------------------------- e-mail


def test_eml_forwarded_article(tmp_path):
    a = read1(make_forward_eml(tmp_path / "fwd.eml"))
    assert a.source_format == "eml"
    assert a.title == VI_TITLE  # the forwarded Subject (the mail's own is "Fwd: Hợp tác y tế")
    assert a.published == "2025-10-31"  # the forwarded Date, not the forwarding day
    assert a.url == "https://baodautu.vn/hop-tac-y-te-viet-nam---phap-d426011.html"
    assert a.text == "\n\n".join(VI_PARAS)
    reasons = [r.reason for r in a.removed]
    assert "forward header" in reasons and "signature" in reasons and "forwarder's note" in reasons


def test_eml_attachments(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", VI_TITLE, VI_PARAS).read_bytes()
    html = make_html(tmp_path / "a.html", "Zusammenarbeit", DE_PARAS, date="2025-11-02").read_bytes()
    p = make_attachment_eml(tmp_path / "att.eml", [
        ("bài báo.docx", docx_bytes("Kerja sama kesehatan", ID_PARAS), "application", "octet-stream"),
        ("ban in.pdf", pdf, "application", "pdf"),
        ("trang.html", html, "text", "html"),
        ("anh.jpg", b"\xff\xd8\xff\xe0", "image", "jpeg"),
    ])
    arts = readers.read(p, "att.eml", S)
    by_fmt = {a.source_format: a for a in arts}
    assert set(by_fmt) == {"docx", "pdf", "html"}  # the note-only body is not an article
    assert by_fmt["docx"].title == "Kerja sama kesehatan" and ID_PARAS[1] in by_fmt["docx"].text
    assert by_fmt["docx"].published == "2025-11-04"  # the mail's Date as fallback
    assert by_fmt["html"].published == "2025-11-02"  # the page's own date wins
    assert len({a.id for a in arts}) == 3 and all(a.id.startswith("att.eml#") for a in arts)


def test_eml_plain_article_in_body_subject_as_title(tmp_path):
    from email.message import EmailMessage

    m = EmailMessage()
    m["Subject"] = "WG: Zusammenarbeit mit Vietnam"
    m["From"] = "a@b.de"
    m["Date"] = "Wed, 05 Nov 2025 12:00:00 +0100"
    m.set_content("\n\n".join(DE_PARAS))
    p = tmp_path / "plain.eml"
    p.write_bytes(bytes(m))
    a = read1(p)
    assert a.title == "Zusammenarbeit mit Vietnam" and a.published == "2025-11-05"
    assert a.text == "\n\n".join(DE_PARAS)


# --------------------------------------------------------------------------- feeds


def test_json_feed_round_trip(tmp_path):
    p = tmp_path / "feed.json"
    p.write_text(json.dumps({"items": [
        {"id": "a1", "title": "Kerja sama", "link": "https://x.id/a", "date": "2025-11-06", "body": ID_PARAS[0]},
        {"headline": "Santé", "content": {"rendered": "<p>" + FR_PARAS[0] + "</p>"}, "pubDate": "Thu, 06 Nov 2025 10:00:00 GMT"},
        {"title": "ohne Text"},
    ]}, ensure_ascii=False), encoding="utf-8")
    arts = readers.read(p, "feed.json", S)
    assert [a.id for a in arts] == ["feed.json#1", "feed.json#2"]
    assert arts[0].title == "Kerja sama" and arts[0].url == "https://x.id/a" and arts[0].published == "2025-11-06"
    assert arts[0].text == ID_PARAS[0] and arts[0].meta["feed_id"] == "a1"
    assert arts[1].title == "Santé" and arts[1].text == FR_PARAS[0] and arts[1].published == "2025-11-06"
    assert arts[0].meta["feed_problems"] == ["record 3: no article text"]


def test_jsonl_feed_with_configured_fields(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [
        {"kop": "Hợp tác", "inhoud": VI_PARAS[0], "wanneer": 1761868800000, "adres": "https://nhandan.vn/x"},
        "not json at all",
        {"kop": "Zweite", "inhoud": DE_PARAS[0], "wanneer": "31/10/2025"},
    ]
    p.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    s = S.with_(feed_fields=(("title", "kop"), ("text", "inhoud"), ("published", "wanneer"), ("url", "adres")))
    arts = readers.read(p, "feed.jsonl", s)
    assert [a.title for a in arts] == ["Hợp tác", "Zweite"]
    assert arts[0].published == "2025-10-31" and arts[1].published == "2025-10-31"
    assert arts[0].url == "https://nhandan.vn/x" and arts[0].source_format == "jsonl"
    assert arts[0].id == "feed.jsonl#1" and arts[1].id == "feed.jsonl#3"
    assert any("line 2" in x for x in arts[0].meta["feed_problems"])
    with pytest.raises(readers.ReadError, match="no readable article"):
        readers.read(p, "feed.jsonl", S)  # without the mapping no field is known


# --------------------------------------------------------------------------- discover and stdin


def test_discover_globs_hidden_and_symlink_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.txt").write_text("x")
    (tmp_path / "a/y.html").write_text("y")
    (tmp_path / "a/.hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config.txt").write_text("g")
    (tmp_path / "a/sub").mkdir()
    (tmp_path / "a/sub/z.txt").write_text("z")
    (tmp_path / "a/sub/up").symlink_to(tmp_path / "a")  # loop
    (tmp_path / "a/link.txt").symlink_to(tmp_path / "a/x.txt")  # same file twice
    found = readers.discover([str(tmp_path)], S)
    rels = sorted(p.relative_to(tmp_path).as_posix() for p, _ in found)
    assert rels == ["a/link.txt", "a/sub/z.txt", "a/y.html"] or rels == ["a/sub/z.txt", "a/x.txt", "a/y.html"]
    only_txt = readers.discover([str(tmp_path)], S.with_(include=("*.txt",), exclude=("sub/*", "a/sub/*")))
    assert all(p.suffix == ".txt" and "sub" not in p.parts for p, _ in only_txt)
    # a file named twice, and a missing one, are listed once each
    x = str(tmp_path / "a/x.txt")
    assert [d for _, d in readers.discover([x, x, str(tmp_path / "missing.txt")], S)] == [x, str(tmp_path / "missing.txt")]


@pytest.mark.parametrize("payload,fmt", [
    ("\n\n".join(ID_PARAS).encode(), "txt"),
    (("<html><head><title>T</title></head><body><p>" + DE_PARAS[0] + "</p></body></html>").encode(), "html"),
    (json.dumps([{"title": "x", "text": FR_PARAS[0]}]).encode(), "json"),
    ((json.dumps({"text": FR_PARAS[0]}) + "\n" + json.dumps({"text": FR_PARAS[1]})).encode(), "jsonl"),
    (("From: a@b.vn\nSubject: Tin\nDate: Mon, 03 Nov 2025 10:00:00 +0700\n\n" + VI_PARAS[0]).encode(), "eml"),
])
def test_stdin_is_sniffed(monkeypatch, payload, fmt):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    found = readers.discover(["-"], S)
    assert found == [(Path("-"), "-")]
    arts = readers.read(Path("-"), "-", S)
    assert arts[0].source_format == fmt and arts[0].id.startswith("stdin")


def test_stdin_size_limit(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a" * 2000)))
    with pytest.raises(readers.ReadError, match="limit"):
        readers.read(Path("-"), "-", S.with_(limits=Limits(max_bytes=1000)))


def test_text_over_max_chars_is_truncated_and_noted(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("\n\n".join(f"{i}. {DE_PARAS[0]}" for i in range(200)), encoding="utf-8")
    a = readers.read(p, str(p), S.with_(limits=Limits(max_text_chars=1000)))[0]
    assert len(a.text) == 1000 and a.meta["truncated_from_chars"] > 1000


def test_html_news_page_keeps_tables_and_drops_comments(tmp_path):
    page = (
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Kooperation - Zeitung</title>"
        "<link rel='canonical' href='https://zeitung.example/politik/vietnam-frankreich-a123.html'></head><body>"
        "<header><ul><li>Politik</li><li>Wirtschaft</li><li>Kultur</li></ul></header>"
        "<div class='breadcrumb'><a href='/'>Startseite</a> › Politik</div><main><article>"
        "<h1>Vietnam und Frankreich vertiefen Gesundheitskooperation</h1>"
        "<time datetime='2025-10-31T10:15:00+01:00'>31.10.2025</time>"
        + "".join(f"<p>{p}</p>" for p in DE_PARAS)
        + "<div class='related'><h3>Lesen Sie auch</h3><ul><li><a href='/x'>Leipzig schließt Partnerschaft</a></li></ul></div>"
        "<table><tr><th>Jahr</th><th>Ereignis</th><th>Ort</th></tr><tr><td>1993</td><td>Erstes Abkommen</td><td>Paris</td></tr>"
        "<tr><td>2026</td><td>Geplante Unterzeichnung</td><td>Lyon</td></tr></table>"
        "<p>Die Unterzeichnung ist für April 2026 in Lyon geplant, sagte der Minister am Freitag in Hanoi.</p>"
        "</article><section class='comments'><h3>Kommentare (2)</h3><div class='comment'>Gute Sache! – Leser123</div>"
        "</section></main><footer>© 2025 Zeitung · Impressum</footer></body></html>"
    )
    p = tmp_path / "news.html"
    p.write_text(page, encoding="utf-8")
    a = read1(p)
    assert a.title == "Vietnam und Frankreich vertiefen Gesundheitskooperation"
    assert a.published == "2025-10-31"
    assert "1993 | Erstes Abkommen | Paris" in a.text and "2026 | Geplante Unterzeichnung | Lyon" in a.text
    assert "Leser123" not in a.text and "Impressum" not in a.text and "Startseite" not in a.text
    for para in DE_PARAS:
        assert para in a.text


def test_discover_skips_saved_page_resources(tmp_path):
    make_html(tmp_path / "bai bao.html", VI_TITLE, VI_PARAS)
    res = tmp_path / "bai bao_files"
    res.mkdir()
    (res / "ads.htm").write_text("<html><body><p>Quảng cáo</p></body></html>")
    (res / "app.js").write_text("alert(1)")
    (tmp_path / "notes_files").mkdir()  # no notes.html beside it: a normal folder
    (tmp_path / "notes_files/n.txt").write_text(ID_PARAS[0])
    rels = sorted(p.relative_to(tmp_path).as_posix() for p, _ in readers.discover([str(tmp_path)], S))
    assert rels == ["bai bao.html", "notes_files/n.txt"]


def test_content_beats_a_wrong_extension(tmp_path):
    page = make_html(tmp_path / "p.html", VI_TITLE, VI_PARAS).read_bytes()
    t = tmp_path / "saved-page.txt"
    t.write_bytes(page)
    a = read1(t)
    assert a.source_format == "html" and a.title == VI_TITLE and "<p>" not in a.text
    h = tmp_path / "plain.html"
    h.write_text("\n\n".join(ID_PARAS), encoding="utf-8")
    b = read1(h)
    assert b.text == "\n\n".join(ID_PARAS) and b.meta["note"].startswith("no HTML markup")
    pdf = make_pdf(tmp_path / "x.pdf", "Titre", FR_PARAS, lang="fr").read_bytes()
    (tmp_path / "report.txt").write_bytes(pdf)
    assert read1(tmp_path / "report.txt").source_format == "pdf"


def test_eml_forwarded_as_attachment_and_outlook_forward(tmp_path):
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["Subject"] = "Kerja sama kesehatan Vietnam-Prancis"
    inner["From"] = "redaksi@berita.id"
    inner["Date"] = "Thu, 06 Nov 2025 16:00:00 +0700"
    inner.set_content("\n\n".join(ID_PARAS))
    outer = EmailMessage()
    outer["Subject"] = "FW: berita"
    outer["From"] = "a@b.vn"
    outer["Date"] = "Fri, 07 Nov 2025 08:00:00 +0700"
    outer.set_content("Xem thư đính kèm.")
    outer.add_attachment(inner)  # message/rfc822
    p = tmp_path / "attached-message.eml"
    p.write_bytes(bytes(outer))
    arts = readers.read(p, "attached-message.eml", S)
    assert len(arts) == 1
    assert arts[0].title == "Kerja sama kesehatan Vietnam-Prancis" and arts[0].published == "2025-11-06"
    assert arts[0].text == "\n\n".join(ID_PARAS)

    outlook = EmailMessage()
    outlook["Subject"] = "WG: Artikel"
    outlook["From"] = "x@y.de"
    outlook["Date"] = "Mon, 10 Nov 2025 09:00:00 +0100"
    outlook.set_content(
        "Zur Info.\n\n________________________________\nVon: Redaktion <r@zeitung.de>\n"
        "Gesendet: Freitag, 31. Oktober 2025 10:15\nAn: x@y.de\nBetreff: Vietnam und Frankreich vertiefen Zusammenarbeit\n\n"
        + "\n\n".join(DE_PARAS) + "\n\nMit freundlichen Grüßen\n")
    q = tmp_path / "outlook.eml"
    q.write_bytes(bytes(outlook))
    b = read1(q)
    assert b.title == "Vietnam und Frankreich vertiefen Zusammenarbeit"
    assert b.published == "2025-10-31"  # "Gesendet: Freitag, 31. Oktober 2025 10:15"
    assert b.text.startswith(DE_PARAS[0]) and "Zur Info" not in b.text and "Betreff" not in b.text


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Báo</title>
<item><title>Hợp tác y tế Việt - Pháp</title><link>https://baodautu.vn/a-d426011.html</link>
<pubDate>Fri, 31 Oct 2025 09:12:00 +0700</pubDate><guid>d426011</guid><description>Tóm tắt ngắn.</description>
<content:encoded><![CDATA[<p>{p0}</p><p>{p1}</p>]]></content:encoded></item>
<item><title>Chỉ có tiêu đề</title><link>https://baodautu.vn/b.html</link></item>
</channel></rss>""".format(p0=VI_PARAS[0], p1=VI_PARAS[1])

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Zeitung</title>
<entry><title>Zusammenarbeit</title><link rel="alternate" href="https://zeitung.example/a"/><id>urn:a</id>
<published>2025-11-02T10:00:00Z</published><content type="html">&lt;p&gt;{p}&lt;/p&gt;</content></entry></feed>""".format(
    p=DE_PARAS[0])


def test_rss_and_atom_feeds(tmp_path):
    r = tmp_path / "news.rss"
    r.write_text(RSS, encoding="utf-8")
    arts = readers.read(r, "news.rss", S)
    assert len(arts) == 1 and arts[0].source_format == "rss"
    a = arts[0]
    assert a.title == "Hợp tác y tế Việt - Pháp" and a.url == "https://baodautu.vn/a-d426011.html"
    assert a.published == "2025-10-31" and a.text == VI_PARAS[0] + "\n\n" + VI_PARAS[1]
    t = tmp_path / "feed.xml"
    t.write_text(ATOM, encoding="utf-8")
    b = readers.read(t, "feed.xml", S)[0]
    assert (b.source_format, b.title, b.url, b.published, b.text) == (
        "atom", "Zusammenarbeit", "https://zeitung.example/a", "2025-11-02", DE_PARAS[0])
    bomb = tmp_path / "bomb.rss"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss>&b;</rss>')
    with pytest.raises(readers.ReadError, match="unsafe XML feed"):
        read1(bomb)
    other = tmp_path / "config.xml"
    other.write_text("<config><a>1</a></config>")
    with pytest.raises(readers.ReadError, match="^unsupported file type '.xml'"):
        read1(other)



VI_SENTENCES = [x.strip() + "." for p in VI_PARAS for x in p.split(".") if len(x.split()) > 3]
DE_FR_SENTENCES = [x.strip() + "." for p in DE_PARAS + FR_PARAS for x in p.split(".") if len(x.split()) > 3]


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(VI_SENTENCES), min_size=1, max_size=12))
def test_vietnamese_round_trips_in_cp1258_utf16_utf8(sentences):
    text = unicodedata.normalize("NFC", " ".join(sentences))
    assert decode(to_cp1258(text)) == text
    assert decode(text.encode("utf-16")) == text
    assert decode(text.encode("utf-16-le")) == text
    assert decode(unicodedata.normalize("NFD", text).encode("utf-8")) == text


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(DE_FR_SENTENCES), min_size=1, max_size=12))
def test_western_round_trips_in_cp1252(sentences):
    text = " ".join(sentences)
    assert decode(text.encode("cp1252", "replace")) == text.encode("cp1252", "replace").decode("cp1252")


@pytest.mark.parametrize("text", ["Das ist für dich.", "Bộ trưởng.", "Café.", "Hà Nội"])
def test_short_texts_are_not_taken_for_cjk(text):
    data = to_cp1258(text) if "ộ" in text or "ư" in text or "Hà" in text else text.encode("cp1252")
    out = decode(data)
    assert all(not ("\u3040" <= c <= "\u9fff") for c in out), out


def test_unsupported_types_are_named_with_a_hint(tmp_path):
    for name, hint in (("old.doc", "save it as .docx"), ("mail.msg", "save the mail as .eml"), ("x.bin", None)):
        p = tmp_path / name
        p.write_bytes(b"\xd0\xcf\x11\xe0 data")
        with pytest.raises(readers.ReadError) as e:
            read1(p)
        assert str(e.value).startswith(f"unsupported file type '{p.suffix}'")
        assert (hint in str(e.value)) if hint else str(e.value).endswith("'")


def test_symlinks_out_of_the_folder_are_listed_not_followed(tmp_path):
    inside = tmp_path / "inbox"
    inside.mkdir()
    (inside / "a.txt").write_text(ID_PARAS[0], encoding="utf-8")
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----", encoding="utf-8")
    (inside / "article.txt").symlink_to(secret)
    (inside / "same.txt").symlink_to(inside / "a.txt")  # inside: fine, deduplicated
    found = readers.discover([str(inside)], S)
    names = sorted(p.name for p, _ in found)
    assert names == ["a.txt", "article.txt"]
    link = next(p for p, _ in found if p.name == "article.txt")
    with pytest.raises(readers.ReadError, match="outside the input folder"):
        readers.read(link, str(link), S)
    # named explicitly, the user asked for it: read
    assert readers.read(inside / "article.txt", "article.txt", S)[0].text.startswith("-----BEGIN")


def test_pdf_running_headers_page_numbers_and_sentences_across_pages(tmp_path):
    from weasyprint import HTML

    paras = [f"{i + 1}. " + VI_PARAS[i % 3] + " " + DE_PARAS[i % 2] for i in range(30)]
    html = ("<html lang='vi'><head><meta charset='utf-8'><title>Báo cáo hợp tác</title><style>"
            "@page { size: A5; margin: 2cm; @top-center { content: 'Bộ Y tế – Báo cáo hợp tác quốc tế 2025' }"
            " @bottom-center { content: 'Trang ' counter(page) ' / ' counter(pages) } }"
            "body { font-family: 'DejaVu Sans'; font-size: 10pt }</style></head><body>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>")
    p = tmp_path / "report.pdf"
    HTML(string=html, url_fetcher=lambda *a, **k: (_ for _ in ()).throw(ValueError("no"))).write_pdf(str(p))
    a = read1(p)
    assert a.meta["pages"] >= 4
    assert "Báo cáo hợp tác quốc tế 2025" not in a.text and "Trang 2 /" not in a.text
    for para in paras:  # every paragraph whole, even those broken across two pages
        assert para in a.text, para[:40]
    reasons = {r.reason for r in a.removed}
    assert {"running header or footer", "page numbers"} <= reasons


def test_docx_tracked_changes_content_controls_and_text_boxes(tmp_path):
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    d = docx.Document()
    d.core_properties.title = "Sửa đổi"
    p = d.add_paragraph("Bộ Y tế ")

    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, qn(tag))
        for k, v in attrs.items():
            el.set(qn(k), v)
        if text is not None:
            el.text = text
        return el

    ins = sub(p._p, "w:ins", **{"w:id": "1", "w:author": "A"})
    sub(sub(ins, "w:r"), "w:t", "đã ký kết hiệp định.")
    dele = sub(p._p, "w:del", **{"w:id": "2", "w:author": "A"})
    sub(sub(dele, "w:r"), "w:delText", "KHÔNG")
    fld = sub(p._p, "w:r")
    sub(fld, "w:instrText", ' HYPERLINK "http://evil.example" ')
    body = d.element.body
    sdt = sub(body, "w:sdt")
    sp = sub(sub(sdt, "w:sdtContent"), "w:p")
    sub(sub(sp, "w:r"), "w:t", "Nội dung trong khung điều khiển.")
    sect = body.find(qn("w:sectPr"))
    body.remove(sect)
    body.append(sect)
    path = tmp_path / "changes.docx"
    d.save(str(path))
    a = read1(path)
    assert a.text == "Bộ Y tế đã ký kết hiệp định.\n\nNội dung trong khung điều khiển."
    assert "KHÔNG" not in a.text and "HYPERLINK" not in a.text


def test_html_mislabelled_latin1_but_vietnamese_windows_1258(tmp_path):
    page = make_html(tmp_path / "p.html", VI_TITLE, VI_PARAS, charset="windows-1258").read_bytes()
    p = tmp_path / "wrong-label.html"
    p.write_bytes(page.replace(b'charset="windows-1258"', b'charset="iso-8859-1"'))
    a = read1(p)
    assert a.title == VI_TITLE and VI_PARAS[1] in a.text


def test_feed_entities_and_escaped_html(tmp_path):
    p = tmp_path / "escaped.json"
    p.write_text(json.dumps([
        {"title": "Santé &amp; coopération", "content": "&lt;p&gt;" + FR_PARAS[0] + "&lt;/p&gt;&lt;p&gt;Fin.&lt;/p&gt;"},
        {"title": "Été", "text": "Les élèves l&#8217;ont dit : " + FR_PARAS[1]},
    ], ensure_ascii=False), encoding="utf-8")
    a, b = readers.read(p, "escaped.json", S)
    assert a.title == "Santé & coopération" and a.text.startswith(FR_PARAS[0]) and "<p>" not in a.text
    assert b.text.startswith("Les élèves l’ont dit")


def test_eml_attached_message_with_its_own_attachment_is_read_once(tmp_path):
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["Subject"] = "Bài báo"
    inner["From"] = "a@b.vn"
    inner.set_content("Xem tệp.")
    inner.add_attachment(docx_bytes("Kerja sama", ID_PARAS), maintype="application", subtype="octet-stream",
                         filename="bai.docx")
    outer = EmailMessage()
    outer["Subject"] = "FW: Bài báo"
    outer["From"] = "c@d.vn"
    outer.set_content("Chuyển tiếp.")
    outer.add_attachment(inner)
    p = tmp_path / "nested.eml"
    p.write_bytes(bytes(outer))
    arts = readers.read(p, "nested.eml", S)
    assert len(arts) == 1 and arts[0].source_format == "docx" and arts[0].title == "Kerja sama"
