"""Helpers for the report and mail tests: hand-built briefs, a throw-away CA, a real SMTP server.

(No tests here; pytest collects the module because of its name and finds nothing to run.)
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from briefgen.brief import _labels
from briefgen.model import Brief, BriefItem, MilestoneRow, Source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REPORT_DATA = ROOT / "tests" / "data" / "report"


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd or ROOT, env=e, capture_output=True,
                          text=True, timeout=timeout)


def make_brief(country: str, name: str, as_of: str, commitments=(), milestones=(), lang: str = "en") -> Brief:
    """A small brief; commitments are (who, text, lang), milestones (date, kind, what, place, status)."""
    from briefgen.i18n import format_range

    ms = []
    for date, kind, what, place, status in milestones:
        start, _, end = date.partition("/")
        ms.append(MilestoneRow(date=date, date_display=format_range(start, end or None, lang), what=what, lang="en",
                               kind=kind, kind_display=kind.capitalize(), place=place, status=status,
                               status_display=status, citations=[1]))
    return Brief(
        country=country, country_name=name, subject=f"Cooperation with {name}", as_of=as_of, as_of_display=as_of,
        home_country="VN", home_country_name="Vietnam", output_lang=lang, languages=["English"],
        sources=[Source(1, "a1", f"{name} and Vietnam", None, "en", "English", as_of, "x.txt")],
        background=[], commitments=[BriefItem(text=t, lang=l, citations=[1], who=w) for w, t, l in commitments],
        milestones=ms, people=[], labels=_labels(lang) | {"title": "Country brief"},
    )


def make_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1/localhost signed by it (openssl)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert, ext = (folder / n for n in ("ca.key", "ca.pem", "srv.key", "srv.csr", "srv.pem", "ext.cnf"))

    def ssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", "/CN=briefgen throw-away test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
                   "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
    ssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(cert),
        "-days", "2", "-extfile", str(ext))
    return ca, cert, key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 with STARTTLS required and AUTH LOGIN/PLAIN (one user)."""

    def __init__(self, cert: Path, key: Path, user: str = "reports", password: str = "s3cret-pw", mode: str = "starttls"):
        import ssl

        self.mode = mode  # starttls | tls (implicit, like port 465) | none (a plain local relay, no AUTH)
        self.received: list[dict] = []
        self.logins: list[tuple[str, str]] = []
        self.port = free_port()
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(str(cert), str(key))
        self.user, self.password = user, password

    def __enter__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.received.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                       "data": envelope.original_content or envelope.content,
                                       "tls": session.ssl is not None or outer.mode == "tls"})
                return "250 OK"

        def auth(server, session, envelope, mechanism, auth_data):
            login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
            pw = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
            outer.logins.append((login, pw))
            ok = login == outer.user and pw == outer.password
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

        if self.mode == "starttls":
            kw = dict(tls_context=self.ctx, require_starttls=True, authenticator=auth, auth_require_tls=True)
        elif self.mode == "tls":
            kw = dict(ssl_context=self.ctx, authenticator=auth, auth_require_tls=False)
        else:
            kw = {}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kw)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
