"""E-mail the briefs of a report folder (or given PDF files).

One message per country by default (``one_message=True`` puts every PDF in one message):
``multipart/mixed`` holding a ``multipart/alternative`` text + HTML body rendered from
``templates/email.txt.j2`` and ``templates/email.html.j2`` (country, period, next milestones
and changes, read from the JSON brief next to each PDF), then the PDFs as ``application/pdf``
attachments.

Transport: SMTP with STARTTLS by default (``tls`` = implicit TLS, ``none`` = a trusted local
relay only). Certificates are always verified against the system trust store through
``ssl.create_default_context()``, which honours ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``.
Credentials come from the environment (``BRIEFGEN_SMTP_USER``, ``BRIEFGEN_SMTP_PASSWORD`` or the
variable named by ``smtp.password_env``) or ``smtp.user`` in the config file; never from the
command line. Every message is built and size-checked before the first one is sent.
"""
from __future__ import annotations

import json
import logging
import os
import re
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .config import DEFAULT_MAX_SIZE, config_sections, parse_size, recipients_for, valid_address
from .settings import Settings

log = logging.getLogger("briefgen.mail")

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_BRIEF_NAME = re.compile(r"_([A-Z0-9][A-Z0-9-]{1,15})_[^_/]*-brief\.pdf$")
_CTRL = re.compile(r"[\x00-\x1f\x7f]+")


class MailError(Exception):
    """Usage or configuration problem (exit code 2)."""


class DeliveryError(Exception):
    """The server could not be reached or refused a message (exit code 1)."""


@dataclass
class Attachment:
    path: Path
    role: str  # brief | overview
    country: str | None = None
    country_name: str | None = None
    brief: dict | None = None  # the JSON brief next to the PDF, when present
    period: str | None = None
    sha256: str | None = None  # from the report's manifest: what the file must hold

    @property
    def data(self) -> bytes:
        import hashlib

        data = self.path.read_bytes()
        if self.sha256 and hashlib.sha256(data).hexdigest() != self.sha256:
            raise MailError(f"{self.path}: the file changed since its report's manifest was written; "
                            "run the report again before sending")
        return data


@dataclass
class Outgoing:
    key: str  # country code, "overview" or "all"
    to: list[str]
    subject: str
    attachments: list[Attachment]
    msg: EmailMessage | None = None
    size: int = 0
    error: str | None = None


@dataclass
class SmtpOptions:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    timeout: float = 60.0
    max_size: int = DEFAULT_MAX_SIZE


# --------------------------------------------------------------------------- what to send


def collect(paths: list[str]) -> list[Attachment]:
    """PDFs to send: a report folder (its manifest says which PDFs are briefs and which is the
    overview), a folder of PDFs, or PDF files. JSON, HTML and DOCX copies are never attached."""
    found: list[Attachment] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            manifest = _manifest(path)
            if manifest is not None:
                period = (manifest.get("period") or {}).get("name") if isinstance(manifest.get("period"), dict) else None
                for o in manifest.get("outputs", []):
                    if not isinstance(o, dict) or o.get("format") != "pdf":
                        continue
                    f = (path / str(o.get("path", ""))).resolve()
                    if not f.is_relative_to(path.resolve()) or not f.is_file():
                        raise MailError(f"{path}: manifest lists {o.get('path')} but the file is missing")
                    att = _attachment(f, o.get("role") or "brief", o.get("country"), period)
                    att.sha256 = o.get("sha256")
                    found.append(att)
            else:
                pdfs = sorted(x for x in path.glob("*.pdf") if not x.name.startswith("."))
                found.extend(_attachment(x, None, None, None) for x in pdfs)
        elif path.is_file():
            if path.suffix.lower() != ".pdf":
                raise MailError(f"{path}: not a PDF (give PDF files or a report folder)")
            found.append(_attachment(path, None, None, None))
        else:
            raise MailError(f"{path}: no such file or folder")
    seen, unique = set(), []
    for a in found:
        if a.path.resolve() not in seen:
            seen.add(a.path.resolve())
            unique.append(a)
    if not unique:
        raise MailError(f"nothing to send: no PDF in {', '.join(paths)}")
    return unique


def _manifest(folder: Path) -> dict | None:
    try:
        doc = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _attachment(path: Path, role: str | None, country: str | None, period: str | None) -> Attachment:
    brief = None
    j = path.with_suffix(".json")
    if j.is_file() and j.stat().st_size < 20_000_000:
        try:
            doc = json.loads(j.read_text("utf-8"))
            brief = doc if isinstance(doc, dict) else None
        except (OSError, ValueError):
            brief = None
    if role is None:
        role = "overview" if path.stem.endswith("_overview") else "brief"
    if brief and role == "brief":
        country = country or brief.get("country")
    if country is None and role == "brief":
        m = _BRIEF_NAME.search(path.name)
        country = m.group(1) if m else None
    if role == "overview" and period is None:
        period = path.stem[: -len("_overview")] or None
    if brief and period is None and role == "brief":
        period = brief.get("as_of")
    name = (brief or {}).get("country_name") if role == "brief" else None
    return Attachment(path=path, role=role, country=country, country_name=name or country, brief=brief, period=period)


def _dedupe(addrs) -> list[str]:
    out, seen = [], set()
    for a in addrs:
        key = (valid_address(a) or a).lower()
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def plan(attachments: list[Attachment], settings: Settings, to: list[str], one_message: bool = False) -> list[Outgoing]:
    """Who gets what. Per country: --to plus [recipients] for the country (else 'default');
    the overview: --to plus 'default'; one message: --to plus 'default'."""
    for a in to:
        if not valid_address(a):
            raise MailError(f"--to: not a valid e-mail address: {a!r}")
    default = recipients_for(settings, "default")
    mail_cfg = config_sections(settings).get("mail", {})
    if one_message:
        rcpt = _dedupe(list(to) + default)
        if not rcpt:
            raise MailError("no recipients: give --to or set [recipients] default in the config file")
        return [Outgoing("all", rcpt, _subject(attachments, settings, mail_cfg, "all"), attachments)]
    out: list[Outgoing] = []
    by_key: dict[str, list[Attachment]] = {}
    for a in attachments:
        by_key.setdefault(a.country if a.role == "brief" and a.country else ("overview" if a.role == "overview" else a.path.stem), []).append(a)
    for key, atts in by_key.items():
        rcpt = _dedupe(list(to) + (default if key == "overview" else recipients_for(settings, key)))
        if not rcpt:
            log.warning("no recipients for %s (%s); not sent: add --to or [recipients] %s / default",
                        key, ", ".join(a.path.name for a in atts), key)
            continue
        out.append(Outgoing(key, rcpt, _subject(atts, settings, mail_cfg, key), atts))
    if not out:
        raise MailError("no recipients for any message: give --to or fill [recipients] in the config file")
    return out


def _period_of(atts: list[Attachment]) -> str:
    for a in atts:
        if a.period:
            return a.period
    return ""


def _subject(atts: list[Attachment], settings: Settings, mail_cfg: dict, key: str) -> str:
    from .i18n import gettext

    lang = settings.output_lang
    period = _period_of(atts)
    if key == "all":
        names = [a.country_name for a in atts if a.role == "brief" and a.country_name]
        country_name = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
    elif key == "overview":
        country_name = gettext("Overview", lang)
    else:
        country_name = atts[0].country_name or key
    tpl = mail_cfg.get("subject")
    if tpl:
        s = tpl.format(country=key, country_name=country_name, period=period, marking=settings.marking,
                       organisation=settings.organisation)
    else:
        label = gettext("Overview", lang) if key == "overview" else gettext("Country briefs" if key == "all" else "Country brief", lang)
        s = f"{label}: {country_name}" if key != "overview" else label
        if period:
            s += f" — {period}"
        if settings.marking:
            s = f"[{settings.marking}] {s}"
    return _CTRL.sub(" ", s).strip()[:250]


# --------------------------------------------------------------------------- messages


def _body_context(o: Outgoing, settings: Settings) -> dict:
    from .i18n import gettext

    lang = settings.output_lang
    items = []
    for a in o.attachments:
        b = a.brief or {}
        ms = [m for m in _as_list(b.get("milestones")) if isinstance(m, dict) and m.get("status") in ("upcoming", "due")]
        if a.role == "overview":  # the overview's milestones span countries: name the country
            ms = [m | {"what": f"{m.get('country_name', '')}: {m.get('what', '')}"} for m in ms]
        changes = b.get("changes") if a.role == "brief" and isinstance(b.get("changes"), dict) else {}
        items.append({
            "role": a.role,
            "country": a.country,
            "country_name": a.country_name or (gettext("Overview", lang) if a.role == "overview" else a.path.stem),
            "file": a.path.name,
            "size_kb": max(1, round(a.path.stat().st_size / 1024)),
            "as_of": b.get("as_of"),
            "milestones": ms[:5],
            "milestones_more": max(len(ms) - 5, 0),
            "changes": {str(k): [str(x) for x in _as_list(v)] for k, v in changes.items() if v},
            "sources": len(_as_list(b.get("sources"))) if a.role == "brief" and b else None,
            "countries": [c for c in _as_list(b.get("countries")) if isinstance(c, dict)] if a.role == "overview" else [],
        })
    labels = {k: gettext(k, lang) for k in (
        "Country brief", "Overview", "Period", "Next milestones", "Countries", "articles", "Changes since last period", "Attached",
        "No upcoming milestones in the sources.", "Sources", "{n} more in the brief", "This message was generated by briefgen.",
    )}
    return {"items": items, "period": _period_of(o.attachments), "organisation": settings.organisation,
            "marking": settings.marking, "labels": labels, "lang": lang, "subject": o.subject}


def _as_list(v) -> list:
    return v if isinstance(v, list) else []


def build_message(o: Outgoing, settings: Settings, sender: str | None, draft: bool = False) -> EmailMessage:
    from email.utils import formatdate, make_msgid

    from .writers.templating import render_template

    ctx = _body_context(o, settings)
    text = render_template("email.txt.j2", settings, autoescape=False, **ctx)
    html = render_template("email.html.j2", settings, autoescape=True, **ctx)
    msg = EmailMessage()
    msg["Subject"] = o.subject
    if sender:
        msg["From"] = sender
    msg["To"] = ", ".join(o.to)
    reply_to = config_sections(settings).get("mail", {}).get("reply_to")
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = (valid_address(sender) or "briefgen.invalid").rsplit("@", 1)[-1] if sender else "briefgen.invalid"
    msg["Message-ID"] = make_msgid("briefgen", domain=domain)
    if draft:
        msg["X-Unsent"] = "1"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    for a in o.attachments:
        msg.add_attachment(a.data, maintype="application", subtype="pdf", filename=a.path.name)
    if msg.get_content_type() != "multipart/mixed":  # never let the PDFs hide inside an alternative
        raise AssertionError(f"message is {msg.get_content_type()}, expected multipart/mixed")
    return msg


def prepare(outgoing: list[Outgoing], settings: Settings, sender: str | None, max_size: int, draft: bool = False) -> None:
    """Build every message and check every size before anything is sent."""
    too_big = []
    for o in outgoing:
        o.msg = build_message(o, settings, sender, draft)
        o.size = len(o.msg.as_bytes())
        if o.size > max_size:
            too_big.append(o)
    if too_big:
        o = too_big[0]
        raise MailError(
            f"message for {o.key} is {_mb(o.size)} with {len(o.attachments)} PDF(s), over the size limit of {_mb(max_size)} "
            f"(--max-size / smtp.max_size); send it as one message per country, or raise the limit if your server allows"
            + (f"; {len(too_big) - 1} other message(s) also too big" if len(too_big) > 1 else "")
        )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def describe(outgoing: list[Outgoing]) -> str:
    lines = []
    for o in outgoing:
        lines.append(f"To: {', '.join(o.to)}")
        lines.append(f"Subject: {o.subject}")
        for a in o.attachments:
            lines.append(f"  attach {a.path} ({_mb(a.path.stat().st_size)})")
        lines.append(f"  size {_mb(o.size)} ({o.size} bytes)")
        lines.append("")
    return "\n".join(lines)


def write_eml(outgoing: list[Outgoing], folder: Path) -> list[Path]:
    from .util import slugify, write_bytes_atomic

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for o in outgoing:
        period = _period_of(o.attachments)
        name = f"{slugify(period) + '_' if period else ''}{slugify(o.key, upper=o.key not in ('overview', 'all'))}.eml"
        paths.append(write_bytes_atomic(folder / name, o.msg.as_bytes()))
    return paths


# --------------------------------------------------------------------------- transport


def smtp_options(settings: Settings, host: str | None = None, port: int | None = None, security: str | None = None,
                 sender: str | None = None, max_size: str | int | None = None, need_login: bool = True) -> SmtpOptions:
    """Command line > config file > defaults; credentials from the environment or config only."""
    cfg = config_sections(settings).get("smtp", {})
    security = (security or cfg.get("security") or "starttls").lower()
    if security not in DEFAULT_PORTS:
        raise MailError(f"--smtp-security: '{security}' (choose starttls, tls or none)")
    port = port or cfg.get("port") or DEFAULT_PORTS[security]
    if not 1 <= int(port) <= 65535:
        raise MailError(f"--smtp-port: {port} is not a port number")
    user = os.environ.get("BRIEFGEN_SMTP_USER") or cfg.get("user")
    pw_env = cfg.get("password_env") or "BRIEFGEN_SMTP_PASSWORD"
    password = os.environ.get(pw_env) or (os.environ.get("BRIEFGEN_SMTP_PASSWORD") if pw_env != "BRIEFGEN_SMTP_PASSWORD" else None)
    if need_login and user and not password:
        raise MailError(f"SMTP user '{user}' is set but no password: set the environment variable {pw_env}")
    sender = sender or cfg.get("from") or (user if user and valid_address(user) else None)
    if sender and not valid_address(sender):
        raise MailError(f"--from: not a valid e-mail address: {sender!r}")
    size = parse_size(max_size) if max_size is not None else parse_size(cfg.get("max_size", DEFAULT_MAX_SIZE), "smtp.max_size")
    return SmtpOptions(host=host or cfg.get("host") or "localhost", port=int(port), security=security, user=user,
                       password=password, sender=sender, timeout=float(cfg.get("timeout", 60)), max_size=size)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send(outgoing: list[Outgoing], opts: SmtpOptions) -> list[Outgoing]:
    """Send every prepared message over one connection; returns the ones that failed (with .error)."""
    import smtplib

    if not opts.sender:
        raise MailError("no sender address: set smtp.from in the config file or give --from")
    if opts.user and opts.security == "none" and not _is_loopback(opts.host):
        raise MailError(f"refusing to send the SMTP password to {opts.host} without encryption; use --smtp-security starttls or tls")
    ctx = ssl.create_default_context()  # system trust store; honours SSL_CERT_FILE / SSL_CERT_DIR
    where = f"{opts.host}:{opts.port}"
    try:
        if opts.security == "tls":
            conn = smtplib.SMTP_SSL(opts.host, opts.port, timeout=opts.timeout, context=ctx)
        else:
            conn = smtplib.SMTP(opts.host, opts.port, timeout=opts.timeout)
        with conn:
            conn.ehlo()
            if opts.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise DeliveryError(f"{where} does not offer STARTTLS; not sending in clear text "
                                        "(use --smtp-security none only for a trusted local relay)")
                conn.starttls(context=ctx)
                conn.ehlo()
            log.info("mail: connected to %s (%s)", where, opts.security)
            if opts.user:
                conn.login(opts.user, opts.password or "")
            failed = []
            for o in outgoing:
                try:
                    refused = conn.send_message(o.msg, from_addr=valid_address(opts.sender), to_addrs=[valid_address(a) or a for a in o.to])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as e:
                    o.error = f"refused by {where}: {_smtp_text(e)}"
                    failed.append(o)
                    log.error("mail: %s: %s", o.key, o.error)
                    continue
                if refused:
                    o.error = "refused recipients: " + ", ".join(refused)
                    failed.append(o)
                    log.error("mail: %s: %s", o.key, o.error)
                log.info("mail: sent %s to %s (%d PDF(s), %s)", o.key, ", ".join(o.to), len(o.attachments), _mb(o.size))
            return failed
    except ssl.SSLCertVerificationError as e:
        raise DeliveryError(f"TLS certificate of {where} could not be verified ({e.verify_message}); if the server "
                            "uses a private CA, point SSL_CERT_FILE at its certificate") from None
    except smtplib.SMTPAuthenticationError as e:
        raise DeliveryError(f"login to {where} refused: {_smtp_text(e)}") from None
    except (smtplib.SMTPException, OSError) as e:
        raise DeliveryError(f"could not send through {where}: {type(e).__name__}: {_smtp_text(e)}") from None


def _smtp_text(e: Exception) -> str:
    msg = getattr(e, "smtp_error", None)
    if isinstance(msg, bytes):
        msg = msg.decode("utf-8", "replace")
    return (msg or str(e) or type(e).__name__).splitlines()[0]


@contextmanager
def _report_locks(paths: list[str], timeout: float):
    """Hold the lock of every report folder given (the one `briefgen report` takes) while the
    messages are built, so a report being re-run is read before or after, never during."""
    from filelock import FileLock, Timeout

    held = []
    try:
        for p in paths:
            lock = Path(p) / ".lock"
            if Path(p).is_dir() and lock.exists():
                fl = FileLock(str(lock), timeout=timeout)
                try:
                    fl.acquire()
                except Timeout:
                    raise MailError(f"{p}: a report run holds {lock}; gave up after {timeout:g} s") from None
                held.append(fl)
        yield
    finally:
        for fl in reversed(held):
            fl.release()


def run_send(paths: list[str], settings: Settings, to: list[str], *, one_message: bool = False, dry_run: bool = False,
             eml: Path | None = None, host: str | None = None, port: int | None = None, security: str | None = None,
             sender: str | None = None, max_size: str | int | None = None, out=None, lock_timeout: float = 600.0) -> int:
    """The ``send`` command: returns the exit code (0 all sent; 1 some not delivered)."""
    import sys

    out = out or sys.stdout
    opts = smtp_options(settings, host, port, security, sender, max_size, need_login=not (dry_run or eml))
    one_message = one_message or bool(config_sections(settings).get("mail", {}).get("one_message"))
    with _report_locks(paths, lock_timeout):  # a report being rewritten is not read half-way
        attachments = collect(paths)
        outgoing = plan(attachments, settings, to, one_message)
        prepare(outgoing, settings, opts.sender, opts.max_size, draft=bool(eml))
    if dry_run:
        out.write(describe(outgoing))
        log.info("mail: dry run, %d message(s) not sent", len(outgoing))
        return 0
    if eml:
        for p in write_eml(outgoing, Path(eml)):
            log.info("mail: wrote draft %s", p)
        return 0
    try:
        failed = send(outgoing, opts)
    except DeliveryError as e:
        log.error("mail: %s", e)
        return 1
    return 1 if failed else 0
