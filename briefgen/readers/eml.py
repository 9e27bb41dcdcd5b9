"""E-mail messages (.eml): an article pasted or forwarded in the body, or attached.

Parsed with the standard library (``policy=default``). The body is the text/plain part (else
text/html, read like a saved page); the forward header block ("---------- Forwarded message
---------", "-----Original Message-----", "Begin forwarded message:", and their German,
French, Spanish and Vietnamese forms) is stripped, as are quote markers and the signature.
Attached .txt/.md/.html/.docx/.pdf files and attached messages are read with their own readers.
Title: the article's own headline, else the forwarded Subject, else the Subject. Published: the
forwarded Date, else the message Date.
"""
from __future__ import annotations

import datetime as _dt
import re
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from ..model import Article, Removed
from ..settings import Settings
from . import ReadError, article_id, read_bytes
from .cleanup import clean_scrape
from .encoding import clean_text, decode_bytes

_ATTACHABLE = {".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf", ".eml"}
_MIN_BODY_WITH_ATTACHMENT = 200

_FWD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Ursprüngliche Nachricht|"
    r"Message transféré|Message d'origine|Mensaje reenviado|Mensaje original|Thư được chuyển tiếp|"
    r"Tin nhắn đã chuyển tiếp|Pesan yang diteruskan|Pesan asli)\s*-{2,}|Begin forwarded message:|"
    r"Anfang der weitergeleiteten Nachricht:|Début du message réexpédié :?|"
    r"_{10,})\s*$",
    re.I,
)
_FWD_HEADER = re.compile(
    r"^\s*\**(From|De|Von|Từ|Dari|Date|Datum|Ngày|Tanggal|Fecha|Sent|Gesendet|Envoyé|Enviado|Đã gửi|Subject|"
    r"Betreff|Objet|Asunto|Tiêu đề|Chủ đề|Subjek|Perihal|To|An|À|Para|Đến|Kepada|Cc|Bcc|Reply-To)\**\s*:\s*(.*)$",
    re.I,
)
_SUBJECT_KEYS = {"subject", "betreff", "objet", "asunto", "tiêu đề", "chủ đề", "subjek", "perihal"}
_DATE_KEYS = {"date", "datum", "ngày", "tanggal", "fecha", "sent", "gesendet", "envoyé", "enviado", "đã gửi"}
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:fwd?|fw|wg|tr|rv|re|aw|sv|vs|rif|i|trả lời|chuyển tiếp)\s*:\s*)+", re.I)
_SIGNATURE = re.compile(r"^(?:-- |--|Sent from my \w+.*|Gửi từ .*|Von meinem \w+ gesendet.*|Envoyé de mon .*)$")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    """Month names of the languages mail clients write forward headers in (CLDR via Babel)."""
    from babel import Locale

    names: dict[str, int] = {}
    for lang in ("en", "de", "fr", "es", "pt", "it", "nl", "id", "pl", "tr"):
        try:
            months = Locale.parse(lang).months["format"]
            for width in ("wide", "abbreviated"):
                for m, name in months[width].items():
                    names.setdefault(name.lower().rstrip("."), m)
        except Exception:  # noqa: BLE001 - a locale without data only costs its names
            continue
    return names


def parse_date(value: str | None) -> str | None:
    """ISO date of a mail Date header or a forwarded 'Date:' line, if it can be read."""
    if not value:
        return None
    value = value.strip()
    try:
        d = parsedate_to_datetime(value)
        if d is not None:
            return d.date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if m:
        y, mo, da = map(int, m.groups())
    else:
        m1 = re.search(r"\b(\d{1,2})\.?\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b", value)  # 3 Nov 2025
        m2 = re.search(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b", value)  # Nov 3, 2025
        m3 = re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", value)  # 03/11/2025 (day first)
        m4 = re.search(r"\b(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]{3,12})\.?,?\s+(?:de\s+)?(\d{4})\b", value)  # 31. Oktober 2025
        m5 = re.search(r"\b(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+(?:năm\s+)?(\d{4})\b", value, re.I)  # vi
        if m5:
            da, mo, y = int(m5.group(1)), int(m5.group(2)), int(m5.group(3))
        elif m1 and m1.group(2).lower() in _MONTHS:
            da, mo, y = int(m1.group(1)), _MONTHS[m1.group(2).lower()], int(m1.group(3))
        elif m4 and m4.group(2).lower() in _month_names():
            da, mo, y = int(m4.group(1)), _month_names()[m4.group(2).lower()], int(m4.group(3))
        elif m2 and m2.group(1).lower() in _MONTHS:
            mo, da, y = _MONTHS[m2.group(1).lower()], int(m2.group(2)), int(m2.group(3))
        elif m3:
            da, mo, y = int(m3.group(1)), int(m3.group(2)), int(m3.group(3))
        else:
            return None
    try:
        return _dt.date(y, mo, da).isoformat()
    except ValueError:
        return None


def strip_forward(text: str) -> tuple[str, dict[str, str], list[Removed]]:
    """Remove forward header blocks, quote markers and the signature; return the headers found."""
    lines = text.replace("\r\n", "\n").split("\n")
    quoted = [ln for ln in lines if ln.strip()]
    if quoted and sum(ln.lstrip().startswith(">") for ln in quoted) > 0.6 * len(quoted):
        lines = [re.sub(r"^\s*(?:>\s?)+", "", ln) for ln in lines]
    headers: dict[str, str] = {}
    removed: list[Removed] = []
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        marker = bool(_FWD_MARKER.match(ln))
        if marker or (_FWD_HEADER.match(ln) and i + 1 < len(lines) and _FWD_HEADER.match(lines[i + 1])):
            note = "\n".join(x.strip() for x in out if x.strip())
            if note and len(note) < 300:  # "FYI, see below" before the forwarded article
                removed.append(Removed(note, "forwarder's note"))
                out = []
            block = [ln] if marker else []
            j = i + 1 if marker else i
            while marker and j < len(lines) and not lines[j].strip() and j - i < 3:
                j += 1
            while j < len(lines) and (m := _FWD_HEADER.match(lines[j])):
                block.append(lines[j])
                key = m.group(1).lower()
                key = "subject" if key in _SUBJECT_KEYS else "date" if key in _DATE_KEYS else key
                headers.setdefault(key, m.group(2).strip())
                j += 1
            removed.append(Removed("\n".join(b.strip() for b in block if b.strip()), "forward header"))
            i = j
            continue
        if _SIGNATURE.match(ln.rstrip()) and i > 0:
            rest = "\n".join(x.strip() for x in lines[i:] if x.strip())
            if len(rest) < 600:  # a signature, not half the article
                removed.append(Removed(rest, "signature"))
                break
        out.append(ln)
        i += 1
    return "\n".join(out), headers, removed


def _leaf_parts(msg):
    """Leaf parts in order; an attached message is one part (its own reader reads inside it)."""
    stack = [msg]
    while stack:
        part = stack.pop(0)
        if part.get_content_type() == "message/rfc822" and part is not msg:
            yield part
            continue
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack[0:0] = payload
            continue
        yield part


def _part_text(part) -> str:
    try:
        content = part.get_content()
        if isinstance(content, bytes):
            content = decode_bytes(content, part.get_content_charset())[0]
        return content
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError):
        payload = part.get_payload(decode=True) or b""
        return decode_bytes(payload, None)[0] if payload else ""


def _header(msg, name: str) -> str | None:
    try:
        v = msg.get(name)
        return str(v) if v is not None else None
    except Exception:  # noqa: BLE001 - malformed header
        return None


def read_eml(path: Path, data: bytes, display: str, settings: Settings, depth: int = 0) -> list[Article]:
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as e:  # noqa: BLE001
        raise ReadError(f"not a readable e-mail ({type(e).__name__})") from None
    known = {k.lower() for k in msg.keys()}
    if not known & {"from", "subject", "date", "to", "message-id", "mime-version", "content-type"}:
        raise ReadError("not an e-mail: no mail headers (From, Subject, Date…) found")
    subject = _header(msg, "subject")
    subject = clean_text(_SUBJECT_PREFIX.sub("", subject)).strip() if subject else None
    mail_date = parse_date(_header(msg, "date"))
    name = article_id(display)
    articles: list[Article] = []
    attachment_errors: list[str] = []

    # attachments (including attached messages)
    for part in _leaf_parts(msg):
        filename = part.get_filename()
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            try:
                payload = inner.as_bytes(policy=policy.default) if hasattr(inner, "as_bytes") else b""
            except Exception:  # noqa: BLE001
                payload = b""
            ext = ".eml"
            filename = filename or "forwarded.eml"
        elif filename and part.get_content_disposition() in ("attachment", "inline"):
            ext = Path(filename).suffix.lower()
            if ext not in _ATTACHABLE:
                continue
            try:
                payload = part.get_payload(decode=True) or b""
            except Exception:  # noqa: BLE001
                payload = b""
        else:
            continue
        safe_name = re.sub(r"[\x00-\x1f/\\]", "_", filename)[:120]
        try:
            got = read_bytes(payload, ext, Path(safe_name), f"{display}#{safe_name}", settings, depth=depth + 1)
        except ReadError as e:
            attachment_errors.append(f"attachment {safe_name}: {e}")
            continue
        for k, a in enumerate(got):
            a.id = f"{name}#{safe_name}" if len(got) == 1 else f"{name}#{safe_name}#{k + 1}"
            a.path = display
            a.title = a.title or subject
            a.published = a.published or mail_date
            a.meta["attachment"] = safe_name
            a.meta["container_format"] = "eml"
        articles.extend(got)

    # the body
    body_part = None
    try:
        body_part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        body_part = None
    if body_part is not None and not body_part.get_filename():
        raw = _part_text(body_part)
        fmt_removed: list[Removed] = []
        if body_part.get_content_type() == "text/html":
            from .html import read_html

            try:
                html_art = read_html(path, raw.encode("utf-8"), display, settings)[0]
                raw = ((html_art.title + "\n\n") if html_art.title else "") + html_art.text
                fmt_removed = html_art.removed
            except ReadError:
                raw = ""
        text, fwd, removed = strip_forward(clean_text(raw))
        cleaned = clean_scrape(text)
        body_len = len(cleaned.text.strip())
        note_only = body_len < _MIN_BODY_WITH_ATTACHMENT and (articles or attachment_errors)
        if body_len and not note_only:
            fwd_subject = _SUBJECT_PREFIX.sub("", fwd.get("subject", "")).strip() or None
            articles.insert(0, Article(
                id=name,
                path=display,
                text=cleaned.text,
                title=cleaned.title or fwd_subject or subject,
                url=cleaned.url,
                published=parse_date(fwd.get("date")) or mail_date,
                source_format="eml",
                removed=fmt_removed + removed + cleaned.removed,
                meta={"from": _header(msg, "from"), "subject": subject,
                      "forwarded_from": fwd.get("from") or fwd.get("von") or fwd.get("de")},
            ))
    if not articles:
        if attachment_errors:
            raise ReadError("; ".join(attachment_errors))
        raise ReadError("e-mail has no article text (empty body and no readable attachment)")
    if attachment_errors:
        articles[0].meta["attachment_errors"] = attachment_errors
    return articles
