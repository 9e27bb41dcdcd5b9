"""Generators of real sample files for the reader tests, and of a corpus of hostile files.

Everything is generated into a folder the test gives (tmp_path): no committed binaries.
"""
from __future__ import annotations

import io
import json
import os
import random
import unicodedata
import zipfile
from email.message import EmailMessage
from pathlib import Path

VI_TITLE = "Hợp tác y tế Việt Nam - Pháp bước vào giai đoạn phát triển mới"
VI_PARAS = [
    "Ngày 31/10, Hội Hữu nghị và Hợp tác Việt Nam - Pháp phối hợp với Liên hiệp Các tổ chức hữu nghị Việt Nam "
    "và Trường Đại học Y Hà Nội tổ chức tọa đàm về hợp tác y tế giữa hai nước.",
    "Thứ trưởng Bộ Y tế Trần Văn Thuấn cho biết, hợp tác y tế Việt - Pháp đã phát triển mạnh từ những năm 1990, "
    "đặc biệt trong đào tạo bác sĩ nội trú, chuyển giao kỹ thuật và nghiên cứu khoa học.",
    "Hiện Bộ Y tế Việt Nam và Bộ Y tế Công cộng Pháp đang xúc tiến ký kết Hiệp định hợp tác y tế song phương; "
    "dự thảo sẽ được trình Thủ tướng Chính phủ phê duyệt trong tháng 4/2026.",
]
DE_PARAS = [
    "Das vietnamesische Gesundheitsministerium verpflichtet sich, weiterhin günstige Bedingungen für die "
    "medizinische Zusammenarbeit zwischen Vietnam und Frankreich zu schaffen.",
    "Größere Übereinstimmung herrscht über die Ausbildung von Fachkräften; die Gespräche fanden in Hanoi statt.",
]
FR_PARAS = [
    "Le ministère vietnamien de la Santé et son homologue français préparent la signature d'un accord de "
    "coopération élargi, prévue à Lyon en avril 2026 lors de la conférence « Une seule santé ».",
    "Les élèves médecins étaient très nombreux à l'été dernier ; la coopération s'étend à la pharmacie.",
]
ID_PARAS = [
    "Wakil Menteri Kesehatan Tran Van Thuan menyambut delegasi Prancis yang dipimpin oleh Dr. Georges-Fabrice "
    "Blum di Kementerian Kesehatan pada tanggal 6 November.",
    "Kementerian Kesehatan sedang menyelesaikan Rancangan Perjanjian tentang Kerja Sama Antarpemerintah di "
    "Sektor Kesehatan dengan Prancis.",
]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese the way Windows-1258 does: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in _TONES)
        tones = "".join(c for c in decomposed if c in _TONES)
        out += unicodedata.normalize("NFC", base).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def make_docx(path: Path, title: str | None, paras: list[str], *, title_style: bool = True,
              core_title: bool = True) -> Path:
    import docx

    d = docx.Document()
    if title and core_title:
        d.core_properties.title = title
    if title and title_style:
        d.add_paragraph(title, style="Title")
    for p in paras:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def make_pdf(path: Path, title: str, paras: list[str], lang: str = "vi") -> Path:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>body{{font-family:'DejaVu Sans',sans-serif;font-size:11pt}}</style></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")

    def no_fetch(url, *a, **k):  # the sample must not load anything
        raise ValueError(f"refused {url}")

    HTML(string=html, url_fetcher=no_fetch).write_pdf(str(path))
    return path


def make_html(path: Path, title: str, paras: list[str], *, date: str | None = "2025-10-31",
              url: str | None = "https://baodautu.vn/hop-tac-y-te-d426011.html", charset: str = "utf-8",
              extra_body: str = "", extra_head: str = "") -> Path:
    meta_date = f'<meta property="article:published_time" content="{date}T08:00:00+07:00">' if date else ""
    canon = f'<link rel="canonical" href="{url}">' if url else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="{charset}"><title>{title} | Báo Đầu Tư</title>'
        f"{canon}{meta_date}{extra_head}</head><body>"
        '<nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a> <a href="/kinh-te">Kinh tế</a></nav>'
        f"<article><h1>{title}</h1>{body}{extra_body}</article>"
        '<aside><h3>Tin liên quan</h3><ul><li><a href="/x">Thành phố Leipzig ký kết hợp tác y tế</a></li>'
        '<li><a href="/y">Tập đoàn Y tế Aoyama – Nhật Bản hợp tác đào tạo</a></li></ul></aside>'
        "<footer>© 2025 Báo Đầu Tư. Bản quyền thuộc về tòa soạn.</footer></body></html>"
    )
    enc = {"windows-1252": "cp1252", "windows-1258": "cp1258"}.get(charset, charset)
    data = to_cp1258(html) if enc == "cp1258" else html.encode(enc, "xmlcharrefreplace")
    path.write_bytes(data)
    return path


def make_forward_eml(path: Path) -> Path:
    m = EmailMessage()
    m["Subject"] = "Fwd: Hợp tác y tế"
    m["From"] = "Phòng Hợp tác quốc tế <htqt@moh.gov.vn>"
    m["To"] = "lanhdao@moh.gov.vn"
    m["Date"] = "Mon, 03 Nov 2025 10:00:00 +0700"
    body = (
        "Kính gửi anh chị, xin chuyển bài báo dưới đây.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Báo Đầu Tư <tin@baodautu.vn>\n"
        "Date: Fri, Oct 31, 2025 at 9:12 AM\n"
        f"Subject: {VI_TITLE}\n"
        "To: <htqt@moh.gov.vn>\n\n"
        + "\n\n".join(VI_PARAS)
        + "\n\nNguồn: https://baodautu.vn/hop-tac-y-te-viet-nam---phap-d426011.html\n\n"
        "-- \nNguyễn Văn An\nPhòng Hợp tác quốc tế\n"
    )
    m.set_content(body)
    path.write_bytes(bytes(m))
    return path


def make_attachment_eml(path: Path, attachments: list[tuple[str, bytes, str, str]], body: str = "Xem tệp đính kèm.",
                        subject: str = "Bài báo về hợp tác y tế") -> Path:
    m = EmailMessage()
    m["Subject"] = subject
    m["From"] = "htqt@moh.gov.vn"
    m["To"] = "lanhdao@moh.gov.vn"
    m["Date"] = "Tue, 04 Nov 2025 08:30:00 +0700"
    m.set_content(body)
    for name, data, maintype, subtype in attachments:
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(m))
    return path


def docx_bytes(title: str, paras: list[str]) -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = title
    for p in paras:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _replace_member(docx_data: bytes, name: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx_data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, new if info.filename == name else src.read(info))
    return buf.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    b'<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    b'<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    b'<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def xxe_document(target: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{target}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        "<w:t>Leak: &xxe;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def _add_member(docx_data: bytes, name: str, data: bytes) -> bytes:
    buf = io.BytesIO(docx_data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr(name, data)
    return buf.getvalue()


def docx_with_external_links(title: str, paras: list[str]) -> bytes:
    """A DOCX whose relationships point outside: a linked image (http), a file:// target, a hyperlink."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    d = docx.Document()
    d.core_properties.title = title
    for p in paras:
        d.add_paragraph(p)
    d.part.relate_to("http://evil.example/tracker.png", RT.IMAGE, is_external=True)
    d.part.relate_to("file:///etc/passwd", RT.HYPERLINK, is_external=True)
    d.part.relate_to("\\\\evil-smb-host\\share\\x.png", RT.IMAGE, is_external=True)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_with_js_and_attachment(src_pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(src_pdf)))
    try:
        from pypdf.actions import JavaScript

        w.add_open_action(JavaScript("app.launchURL('http://evil.example/', true);"))
    except ImportError:  # pypdf < 7
        w.add_js("app.launchURL('http://evil.example/', true);")
    w.add_attachment("payload.txt", b"SECRET-ATTACHMENT")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _pdf_writer_bytes(pages: int = 1, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    if password:
        w.encrypt(user_password=password, owner_password=password + "-owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def encrypted_text_pdf(src_pdf: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(src_pdf)))
    w.encrypt(user_password=password, owner_password=password + "-owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- the hostile corpus

#: corpus settings: small limits so the over-limit cases stay cheap to generate
CORPUS_LIMITS = dict(max_bytes=21_000_000, max_pages=50, max_seconds=20.0, max_unpacked_bytes=40_000_000)


def build_corpus(root: Path, *, huge: bool = True) -> dict[str, tuple[str, str | None]]:
    """Write >= 40 bad or odd files plus good articles under ``root``.

    Returns {relative path: (expectation, detail)} where expectation is "ok" (must read; detail
    is a string the text must contain), "error" (must raise ReadError; detail is a substring of
    the message) or "any" (either, as long as nothing else escapes).
    """
    rng = random.Random(20251031)
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("good", "text", "names", "html", "docx", "pdf", "mail", "feeds", "other"):
        (root / sub).mkdir(exist_ok=True)
    exp: dict[str, tuple[str, str | None]] = {}

    def put(rel: str, data: bytes | str, expectation: str, detail: str | None = None) -> Path:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        exp[rel] = (expectation, detail)
        return p

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    for s in sorted(seeds.glob("*.txt")):
        put(f"good/{s.name}", s.read_bytes(), "ok", None)

    vi_text = VI_TITLE + "\n\n" + "\n\n".join(VI_PARAS)
    # --- plain text: empty, blank, binary, encodings
    put("text/empty.txt", b"", "error", "empty")
    put("text/blank.txt", b"  \n\t\n \r\n   \n", "error", "blank")
    put("text/only-nuls.txt", b"\x00" * 4096, "error", None)
    put("text/binary-junk.txt", bytes(rng.randrange(256) for _ in range(20000)), "error", "binary")
    put("text/png-named-txt.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(3000)), "error", "PNG")
    put("text/nul-sprinkled.txt", VI_PARAS[0].encode()[:40] + b"\x00" + VI_PARAS[0].encode()[40:] + b"\n\n"
        + VI_PARAS[1].encode(), "ok", "Trần Văn Thuấn")
    put("text/utf8-bom.txt", b"\xef\xbb\xbf" + vi_text.encode(), "ok", "Trường Đại học Y Hà Nội")
    put("text/utf16-bom.txt", vi_text.encode("utf-16"), "ok", "Trường Đại học Y Hà Nội")
    put("text/utf16le-nobom.txt", vi_text.encode("utf-16-le"), "ok", "Trường Đại học Y Hà Nội")
    put("text/utf16be-nobom.txt", vi_text.encode("utf-16-be"), "ok", "Trường Đại học Y Hà Nội")
    put("text/utf32-bom.txt", vi_text.encode("utf-32"), "ok", "Trường Đại học Y Hà Nội")
    put("text/windows-1258.txt", to_cp1258(vi_text), "ok", "Trường Đại học Y Hà Nội")
    put("text/windows-1252-de.txt", "\n\n".join(DE_PARAS).encode("cp1252"), "ok", "Größere Übereinstimmung")
    put("text/latin1-fr.txt", "\n\n".join(FR_PARAS).encode("latin-1", "replace"), "ok", "élèves")
    put("text/mojibake.txt", "\n\n".join(VI_PARAS).encode("utf-8").decode("cp1252", "replace").encode("utf-8"),
        "any", None)
    put("text/mojibake-fr.txt", "\n\n".join(FR_PARAS).encode("utf-8").decode("latin-1").encode("utf-8"),
        "ok", "élèves")
    put("text/crlf-and-cr.txt", "\r\n".join(ID_PARAS).replace("\r\n", "\r\n\r\n", 1) + "\r" + DE_PARAS[0],
        "ok", "Kementerian Kesehatan")
    put("text/only-furniture.txt", "Trang chủ > Tin tức > Y tế\nChia sẻ\nTweet\nKomentar (0)\n", "error",
        "furniture")
    put("text/template-syntax.txt", "{{ 7*7 }} and {% include '/etc/passwd' %} and ${7*7} and <%= 7*7 %>\n\n"
        + ID_PARAS[0], "ok", "{{ 7*7 }}")
    put("text/control-chars.txt", "\x1b[31m" + DE_PARAS[0] + "\x07\x08\n\n" + DE_PARAS[1], "ok", "Gesundheitsministerium")
    put("text/zero-width-bidi.md", "\u200b\u202e" + "\n\n".join(FR_PARAS) + "\u2066\u2069", "ok", "Lyon")
    put("text/markdown-images.md", "# " + VI_TITLE + "\n\n![ảnh](https://example.com/a.jpg)\n\n"
        + "\n\n".join(VI_PARAS) + "\n\n[Xem thêm](https://example.com/x)\n", "ok", "Trần Văn Thuấn")
    if huge:
        put("text/huge-single-line.txt", ("Vietnam und Frankreich arbeiten zusammen. " * 480_000)[:20_000_000],
            "ok", "Frankreich")
        put("text/too-big.txt", b"a" * (CORPUS_LIMITS["max_bytes"] + 10), "error", "limit")
    put("text/many-short-lines.txt", "\n".join(rng.choice(["Home", "News", "Share", "x", "ok"])
                                              for _ in range(200_000)), "any", None)
    # --- odd names
    for rel in ["names/with spaces in name.txt", "names/colon:in:name.txt", "names/question?mark.txt",
                "names/Tiếng Việt 中文 ñ.txt", "names/emoji 📰 news.md", "names/" + "long" * 50 + ".txt",
                "names/semi;colon 'quote' \"dq\".txt"]:
        put(rel, "\n\n".join(ID_PARAS), "ok", "Prancis")
    # --- HTML
    make_html(root / "html/good-article.html", VI_TITLE, VI_PARAS)
    exp["html/good-article.html"] = ("ok", "Trần Văn Thuấn")
    hostile_body = (
        '<script>document.write("SECRET-SCRIPT")</script><iframe src="file:///etc/passwd"></iframe>'
        '<img src="https://evil.example/pixel.png"><img src="file:///etc/shadow">'
        '<object data="http://evil.example/x.swf"></object><style>p{color:red}</style>'
        "<p>Mẫu {{ 7*7 }} và {% raw %} được giữ nguyên.</p><noscript>SECRET-NOSCRIPT</noscript>"
    )
    make_html(root / "html/scripts-iframes.html", VI_TITLE, VI_PARAS, extra_body=hostile_body,
              extra_head='<link rel="stylesheet" href="http://evil.example/s.css"><script src="file:///etc/x.js"></script>'
              '<meta http-equiv="refresh" content="0;url=http://evil.example/">')
    exp["html/scripts-iframes.html"] = ("ok", "{{ 7*7 }}")
    make_html(root / "html/windows-1252.html", "Zusammenarbeit im Gesundheitswesen", DE_PARAS,
              charset="windows-1252", url=None, date="2025-11-02")
    exp["html/windows-1252.html"] = ("ok", "Größere Übereinstimmung")
    make_html(root / "html/windows-1258.html", VI_TITLE, VI_PARAS, charset="windows-1258")
    exp["html/windows-1258.html"] = ("ok", "Trần Văn Thuấn")
    put("html/empty-body.html", "<html><head><title>x</title></head><body></body></html>", "error", "no article text")
    put("html/binary.html", bytes(rng.randrange(256) for _ in range(5000)), "error", None)
    put("html/not-markup.htm", "\n\n".join(ID_PARAS), "ok", "Prancis")
    put("text/html-named-txt.txt", make_html(root / "html/tmp-page.html", VI_TITLE, VI_PARAS).read_bytes(), "ok",
        "Trần Văn Thuấn")
    (root / "html/tmp-page.html").unlink()
    put("html/deep-nesting.html", "<html><body>" + "<div>" * 50_000 + "Tief verschachtelt." + "</div>" * 50_000
        + "</body></html>", "any", None)
    put("html/xxe.html", '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>" + DE_PARAS[0] + " &xxe;</p></body></html>", "ok", "Gesundheitsministerium")
    put("html/truncated.html", ("<html><head><title>Abgeschnitten</title></head><body><article><p>"
                                + DE_PARAS[0] + "</p><p>" + DE_PARAS[1])[:-30], "ok", "Gesundheitsministerium")
    # --- DOCX
    good_docx = docx_bytes(VI_TITLE, VI_PARAS)
    make_docx(root / "docx/good-title-style.docx", VI_TITLE, VI_PARAS, core_title=False)
    exp["docx/good-title-style.docx"] = ("ok", "Trần Văn Thuấn")
    put("docx/random-bytes.docx", bytes(rng.randrange(256) for _ in range(8000)), "error", "ZIP")
    put("docx/truncated.docx", good_docx[: len(good_docx) // 2], "error", None)
    put("docx/text-named-docx.docx", "\n\n".join(VI_PARAS), "error", "ZIP")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    put("docx/zip-without-document.docx", zbuf.getvalue(), "error", "word/document.xml")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (CORPUS_LIMITS["max_unpacked_bytes"] + 1_000_000))
    put("docx/zip-bomb.docx", bomb.getvalue(), "error", "zip bomb")
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        for k in range(2500):
            z.writestr(f"junk/{k}.bin", b"")
    put("docx/too-many-members.docx", many.getvalue(), "error", "members")
    put("docx/billion-laughs.docx", _replace_member(good_docx, "word/document.xml", BILLION_LAUGHS), "error",
        "unsafe XML")
    secret = root.parent / "outside-secret.txt"  # not an input: lives next to the corpus
    secret.write_text("TOP-SECRET-CONTENT")
    put("docx/xxe-document.docx", _replace_member(good_docx, "word/document.xml", xxe_document(str(secret))),
        "error", "unsafe XML")
    put("docx/xxe-core.docx", _replace_member(good_docx, "docProps/core.xml", xxe_document(str(secret))),
        "error", "unsafe XML")
    put("docx/broken-xml.docx", _replace_member(good_docx, "word/document.xml", b"<w:document><w:body><w:p>"),
        "error", "XML")
    put("docx/external-links.docx", docx_with_external_links(VI_TITLE, VI_PARAS), "ok", "Trần Văn Thuấn")
    put("docx/zip-slip-names.docx", _add_member(good_docx, "../../../../tmp/briefgen-zip-slip.txt", b"pwned"), "ok",
        "Trần Văn Thuấn")
    make_docx(root / "docx/title-only.docx", "Chỉ có tiêu đề", [], core_title=True)
    exp["docx/title-only.docx"] = ("error", "no text")
    # --- PDF
    good_pdf = make_pdf(root / "pdf/good-vietnamese.pdf", VI_TITLE, VI_PARAS).read_bytes()
    exp["pdf/good-vietnamese.pdf"] = ("ok", "Trần Văn Thuấn")
    put("pdf/truncated.pdf", good_pdf[: len(good_pdf) // 3], "any", None)
    put("pdf/header-then-junk.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(5000)), "error", None)
    put("pdf/text-named-pdf.pdf", "\n\n".join(VI_PARAS), "error", "not a PDF")
    put("pdf/scanned-no-text.pdf", _pdf_writer_bytes(2), "error", "no text layer")
    put("pdf/encrypted.pdf", encrypted_text_pdf(good_pdf, "mật-khẩu"), "error", "encrypted")
    put("pdf/too-many-pages.pdf", _pdf_writer_bytes(CORPUS_LIMITS["max_pages"] + 5), "error", "pages")
    lying = _pdf_writer_bytes(1).replace(b"/Count 1", b"/Count 999999999")
    put("pdf/lying-page-count.pdf", lying, "error", None)
    put("pdf/empty-file.pdf", b"", "error", "empty")
    put("pdf/javascript-and-attachment.pdf", pdf_with_js_and_attachment(good_pdf), "ok", "Trần Văn Thuấn")
    # --- e-mail
    make_forward_eml(root / "mail/forwarded.eml")
    exp["mail/forwarded.eml"] = ("ok", "Trần Văn Thuấn")
    make_attachment_eml(root / "mail/with-docx-and-pdf.eml", [
        ("bài báo.docx", good_docx, "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("ban-in.pdf", good_pdf, "application", "pdf")])
    exp["mail/with-docx-and-pdf.eml"] = ("ok", "Trần Văn Thuấn")
    make_attachment_eml(root / "mail/attached-bomb.eml", [
        ("bomb.docx", _replace_member(good_docx, "word/document.xml", BILLION_LAUGHS), "application", "octet-stream")])
    exp["mail/attached-bomb.eml"] = ("error", "attachment")
    put("mail/headers-only.eml", "From: a@b.vn\nSubject: trống\nDate: Mon, 03 Nov 2025 10:00:00 +0700\n\n", "error",
        None)
    put("mail/not-a-mail.eml", "\n\n".join(VI_PARAS), "error", "not an e-mail")
    put("mail/bad-charset.eml", ("From: a@b.vn\nSubject: =?x-unknown?q?abc?=\nMIME-Version: 1.0\n"
                                 "Content-Type: text/plain; charset=x-unknown-charset\n\n").encode()
        + "\n\n".join(DE_PARAS).encode("cp1252"), "ok", "Gesundheitsministerium")
    put("mail/html-body-with-script.eml", ("From: a@b.vn\nSubject: HTML\nMIME-Version: 1.0\n"
                                           "Content-Type: text/html; charset=utf-8\n\n<html><body><script>"
                                           "alert('SECRET-SCRIPT')</script><p>" + FR_PARAS[0] + "</p><p>"
                                           + FR_PARAS[1] + "</p></body></html>"), "ok", "Lyon")
    # --- feeds
    put("feeds/items.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "title": VI_TITLE, "url": "https://baodautu.vn/a.html", "date_published": "2025-10-31T09:00:00+07:00",
         "content_html": "<p>" + "</p><p>".join(VI_PARAS) + "</p>"},
        {"id": "2", "title": "Leer"}]}, ensure_ascii=False), "ok", "Trần Văn Thuấn")
    put("feeds/invalid.json", '{"items": [ {"title": "x", ', "error", "not valid JSON")
    put("feeds/deeply-nested.json", "[" * 100_000 + "]" * 100_000, "error", None)
    put("feeds/no-text.json", json.dumps([{"title": "only a title"}, {"url": "https://x.y"}]), "error", "no article text")
    put("feeds/scalar.json", "42", "error", "records")
    put("feeds/huge-int.json", json.dumps([{"text": ID_PARAS[0]}])[:-1] + ', {"n": ' + "9" * 5000 + "}]", "any", None)
    put("feeds/mixed.jsonl", "\n".join([json.dumps({"headline": "Kerja sama", "body": ID_PARAS[0],
                                                    "published_at": 1762387200}), "{broken", "",
                                        json.dumps({"title": "Zusammenarbeit", "content": DE_PARAS[0]})]),
        "ok", "Prancis")
    put("feeds/billion-laughs.rss", BILLION_LAUGHS.replace(b"w:document", b"rss"), "error", "unsafe XML")
    put("feeds/xxe.atom", xxe_document(str(secret)).replace(b"w:document", b"feed"), "error", "unsafe XML")
    put("feeds/not-a-feed.xml", "<config><entry>1</entry></config>", "error", "unsupported file type")
    # --- unsupported, special files
    put("other/picture.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "error", "unsupported file type")
    put("other/no-extension", "\n\n".join(VI_PARAS), "error", "unsupported file type")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "other/fifo.txt")
        exp["other/fifo.txt"] = ("error", "not a regular file")
    if hasattr(os, "symlink"):
        os.symlink("..", root / "other/loop")  # a symlink loop: other/loop -> root
        os.symlink(root / "does-not-exist.txt", root / "other/dangling.txt")
        exp["other/dangling.txt"] = ("error", "not found")
        os.symlink(secret, root / "other/innocent-article.txt")  # leads outside the corpus folder
        exp["other/innocent-article.txt"] = ("error", "outside the input folder")
        outside_dir = root.parent / "outside-folder"
        outside_dir.mkdir(exist_ok=True)
        (outside_dir / "private.txt").write_text("TOP-SECRET-CONTENT in a folder outside", encoding="utf-8")
        os.symlink(outside_dir, root / "other/linked-folder")
        exp["other/linked-folder"] = ("error", "outside the input folder")
    return exp


def corpus_inputs(root: Path) -> list[str]:
    return [str(root)]
