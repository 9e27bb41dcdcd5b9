"""Save web pages for later reading: the only place briefgen touches the network.

``fetch(urls, out_dir, settings)`` downloads each http(s) URL with a timeout
(``settings.limits.max_seconds``) and a size cap (``settings.limits.max_bytes``), and writes
it atomically (temp file + ``os.replace``) into ``out_dir`` under a sanitised slug name, with a
"saved from url=" comment so the HTML reader knows the page's address. PDFs are saved as .pdf.
Redirects may only lead to http(s). One failure never stops the rest: every URL gets an
``InputRecord`` (used / failed with the reason).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .model import InputRecord
from .settings import Settings
from .util import write_bytes_atomic

USER_AGENT = "briefgen/0.1 (+https://github.com/briefgen; saves pages for offline reading)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    pass


def slug_for(url: str, ext: str = ".html") -> str:
    """A safe, readable, unique file name for a URL: host-path-words + short hash."""
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.hostname or 'page'} {parts.path}"
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"\.(html?|php|aspx?|jsp)$", "", base.strip())
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:80].strip("-") or "page"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return f"{base}-{digest}{ext}"


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"redirect to a {scheme or 'relative'}: URL refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # no FileHandler / FTPHandler / DataHandler: only http(s) can be opened
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _SafeRedirect(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def iri_to_uri(url: str) -> str:
    """Make an address typed with non-ASCII letters requestable: IDNA host, percent-encoded path."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username:
        netloc = parts.username + (f":{parts.password}" if parts.password else "") + "@" + netloc
    path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = urllib.parse.quote(parts.query, safe="=&%+/?:@!$'()*,;-._~")
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, query, ""))


def download(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """(body, content type, final URL after redirects) of one URL, or FetchError naming the problem."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not '{scheme or url}'")
    limit = settings.limits.max_bytes
    try:
        url = iri_to_uri(url)
    except ValueError as e:
        raise FetchError(f"not a valid URL ({e})") from None
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf;q=0.9,*/*;q=0.5"})
    try:
        with _opener().open(req, timeout=max(1.0, settings.limits.max_seconds)) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"page is {length} bytes, over the {limit}-byte limit")
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"page is over the {limit}-byte limit")
                chunks.append(chunk)
            ctype = (resp.headers.get_content_type() or "").lower()
            final = resp.geturl() or url
    except FetchError:
        raise
    except urllib.error.HTTPError as e:
        raise FetchError(f"HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise FetchError(f"cannot connect ({e.reason})") from None
    except TimeoutError:
        raise FetchError("timed out") from None
    except (OSError, ValueError) as e:
        raise FetchError(f"download failed ({type(e).__name__}: {e})") from None
    return b"".join(chunks), ctype, final


def _mark_saved_from(body: bytes, url: str) -> bytes:
    """Prepend the browsers' 'saved from url' comment (keeps a <?xml?> or BOM first)."""
    safe = url.replace("-->", "%2D%2D%3E")
    mark = f"<!-- saved from url=({len(safe):04d}){safe} -->\n".encode("ascii", "ignore")
    if body.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + mark + body[3:]
    if body.lstrip().startswith(b"<?xml"):
        end = body.find(b"?>")
        if end > 0:
            return body[: end + 2] + b"\n" + mark + body[end + 2 :]
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body  # UTF-16 page: leave the bytes alone
    return mark + body


def fetch(urls: list[str], out_dir: Path, settings: Settings) -> list[InputRecord]:
    """Download each URL into out_dir; one InputRecord per URL, in order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: list[InputRecord] = []
    for url in urls:
        url = url.strip()
        if not url:
            continue
        try:
            body, ctype, final = download(url, settings)
        except FetchError as e:
            records.append(InputRecord(path=url, status="failed", reason=str(e)))
            continue
        if not body.strip():
            records.append(InputRecord(path=url, status="failed", reason="empty page"))
            continue
        if ctype == "application/pdf" or body.startswith(b"%PDF-"):
            ext = ".pdf"
        elif ctype in ("text/plain",):
            ext = ".txt"
        elif ctype in ("application/json", "application/feed+json"):
            ext = ".json"
        elif ctype in ("", "text/html", "application/xhtml+xml") or b"<html" in body[:4096].lower():
            ext = ".html"
            body = _mark_saved_from(body, final)
        else:
            records.append(InputRecord(path=url, status="failed", reason=f"unsupported content type {ctype}"))
            continue
        dest = out_dir / slug_for(url, ext)
        try:
            write_bytes_atomic(dest, body)
        except OSError as e:
            records.append(InputRecord(path=url, status="failed", reason=f"cannot save: {e.strerror or e}"))
            continue
        records.append(InputRecord(
            path=str(dest), status="used", reason=f"fetched from {url}",
            sha256=hashlib.sha256(body).hexdigest(),
        ))
    return records
