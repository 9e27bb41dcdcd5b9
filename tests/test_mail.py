"""E-mail: real STARTTLS SMTP server (aiosmtpd) with a throw-away CA, certificate checks on."""
from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest

from briefgen.config import load_settings
from briefgen.mail import MailError, collect, plan, prepare, run_send, smtp_options
from briefgen.model import Corpus, Group
from briefgen.settings import Settings
from test_report_support import SmtpServer, make_brief, make_ca, run_cli

PASSWORD = "s3cret-pw"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    """A report folder as `briefgen report` writes it, from hand-built briefs (real PDFs)."""
    from briefgen.overview import build_overview, write_overview
    from briefgen.pipeline import brief_basename
    from briefgen.report import _record, month_period
    from briefgen.writers import write

    folder = tmp_path_factory.mktemp("reports") / "2026-11"
    s = Settings(as_of="2026-11-30", formats=("pdf", "json"), marking="Internal")
    fr = make_brief("FR", "France", "2026-11-30",
                    commitments=[("AFD", "L'Agence française de développement mobilisera un prêt de 80 millions d'euros.", "fr")],
                    milestones=[("2027-04", "signing", "Signature de l'accord de coopération sanitaire", "Lyon", "upcoming"),
                                ("2026-10-02", "visit", "Visite du vice-ministre à Paris", "Paris", "passed")])
    fr.changes = {"New commitments": ["AFD: L'Agence française de développement mobilisera un prêt de 80 millions d'euros."],
                  "New or moved milestones": [], "Milestones passed": []}
    jp = make_brief("JP", "Japan", "2026-11-30",
                    milestones=[("2027-02", "signing", "Ký hiệp định vay 48 tỷ yên cho tuyến metro số 1", "Tokyo", "upcoming")])
    outputs = []
    for b in (fr, jp):
        for fmt in ("pdf", "json"):
            p = write(fmt, b, folder, brief_basename(b), s)
            outputs.append(_record(p, folder, country=b.country, format=fmt, role="brief"))
    corpus = Corpus(as_of="2026-11-30", home_country="VN", articles=[],
                    groups=[Group("FR", "France", "country", ["a1"]), Group("JP", "Japan", "country", ["a1"])])
    for p in write_overview(build_overview(month_period(2026, 11), corpus, [fr, jp], [], s, None), folder, s):
        outputs.append(_record(p, folder, format=p.suffix[1:], role="overview"))
    (folder / "manifest.json").write_text(json.dumps({"command": "report", "period": {"name": "2026-11", "since": "2026-11-01",
                                                      "until": "2026-11-30"}, "outputs": outputs}), "utf-8")
    return folder


def config(tmp_path: Path, port: int, extra: str = "") -> Path:
    p = tmp_path / "briefgen.toml"
    p.write_text(f"""
organisation = "Ministry of Health"
marking = "Internal"
[smtp]
host = "127.0.0.1"
port = {port}
security = "starttls"
from = "Briefings <reports@example.org>"
[recipients]
FR = ["europe.desk@example.org"]
JP = ["asia.desk@example.org", "tokyo.embassy@example.org"]
default = ["cooperation@example.org"]
{extra}""", "utf-8")
    return p


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def check_message(msg, folder: Path) -> list[str]:
    """multipart/mixed > multipart/alternative (text, html) + application/pdf parts byte-equal to the files."""
    assert msg.get_content_type() == "multipart/mixed"
    parts = list(msg.iter_parts())
    assert parts[0].get_content_type() == "multipart/alternative"
    alt = [p.get_content_type() for p in parts[0].iter_parts()]
    assert alt == ["text/plain", "text/html"]
    names = []
    for p in parts[1:]:
        assert p.get_content_type() == "application/pdf" and p.get_content_disposition() == "attachment"
        name = p.get_filename()
        assert p.get_content() == (folder / name).read_bytes()
        names.append(name)
    return names


def test_send_over_starttls_with_verified_certificate(report_dir, pki, tmp_path):
    ca, cert, key = pki
    with SmtpServer(cert, key, password=PASSWORD) as srv:
        r = run_cli("send", str(report_dir), "--config", str(config(tmp_path, srv.port)), "--to", "minister.office@example.org",
                    env={"SSL_CERT_FILE": str(ca), "BRIEFGEN_SMTP_USER": "reports", "BRIEFGEN_SMTP_PASSWORD": PASSWORD})
        assert r.returncode == 0, r.stderr
        assert srv.logins == [("reports", PASSWORD)]
        got = {tuple(sorted(m["to"])): m for m in srv.received}
    assert all(m["tls"] for m in got.values())
    assert sorted(got) == [("asia.desk@example.org", "minister.office@example.org", "tokyo.embassy@example.org"),
                           ("cooperation@example.org", "minister.office@example.org"),
                           ("europe.desk@example.org", "minister.office@example.org")]
    fr = parse(got[("europe.desk@example.org", "minister.office@example.org")]["data"])
    assert fr["Subject"] == "[Internal] Country brief: France — 2026-11"
    assert check_message(fr, report_dir) == ["2026-11-30_FR_france-brief.pdf"]
    text = fr.get_body(("plain",)).get_content()
    assert "Signature de l'accord de coopération sanitaire" in text and "Lyon" in text
    assert "Visite du vice-ministre" not in text  # passed: not a next milestone
    assert "80 millions d'euros" in text  # the changes since last period
    html = fr.get_body(("html",)).get_content()
    assert "<h2" in html and "Signature de l&#39;accord" in html
    jp = parse(got[("asia.desk@example.org", "minister.office@example.org", "tokyo.embassy@example.org")]["data"])
    assert check_message(jp, report_dir) == ["2026-11-30_JP_japan-brief.pdf"]
    assert "Ký hiệp định vay 48 tỷ yên" in jp.get_body(("plain",)).get_content()
    ov = parse(got[("cooperation@example.org", "minister.office@example.org")]["data"])
    assert check_message(ov, report_dir) == ["2026-11_overview.pdf"]
    assert "PASSWORD" not in r.stderr and PASSWORD not in r.stderr


def test_unknown_ca_fails_verification(report_dir, pki, tmp_path):
    ca, cert, key = pki
    other_ca, _, _ = make_ca(tmp_path / "other")  # a CA that did not sign the server's certificate
    with SmtpServer(cert, key, password=PASSWORD) as srv:
        r = run_cli("send", str(report_dir), "--config", str(config(tmp_path, srv.port)),
                    env={"SSL_CERT_FILE": str(other_ca), "BRIEFGEN_SMTP_USER": "reports", "BRIEFGEN_SMTP_PASSWORD": PASSWORD})
        assert srv.received == [] and srv.logins == []
    assert r.returncode == 1
    assert "certificate" in r.stderr and "could not be verified" in r.stderr and "SSL_CERT_FILE" in r.stderr


def test_one_message_with_every_pdf(report_dir, pki, tmp_path, monkeypatch):
    ca, cert, key = pki
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    monkeypatch.setenv("BRIEFGEN_SMTP_USER", "reports")
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", PASSWORD)
    with SmtpServer(cert, key, password=PASSWORD) as srv:
        s = load_settings(config=config(tmp_path, srv.port))
        assert run_send([str(report_dir)], s, ["desk@example.org"], one_message=True) == 0
    assert len(srv.received) == 1 and sorted(srv.received[0]["to"]) == ["cooperation@example.org", "desk@example.org"]
    names = check_message(parse(srv.received[0]["data"]), report_dir)
    assert sorted(names) == ["2026-11-30_FR_france-brief.pdf", "2026-11-30_JP_japan-brief.pdf", "2026-11_overview.pdf"]


def test_wrong_password_is_a_delivery_failure(report_dir, pki, tmp_path):
    ca, cert, key = pki
    with SmtpServer(cert, key, password=PASSWORD) as srv:
        r = run_cli("send", str(report_dir), "--config", str(config(tmp_path, srv.port)),
                    env={"SSL_CERT_FILE": str(ca), "BRIEFGEN_SMTP_USER": "reports", "BRIEFGEN_SMTP_PASSWORD": "wrong"})
        assert srv.received == []
    assert r.returncode == 1 and "login" in r.stderr and "wrong" not in r.stderr


def test_dry_run_and_eml_drafts(report_dir, tmp_path):
    r = run_cli("send", str(report_dir), "--config", str(config(tmp_path, 1)), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("To: ") == 3 and "2026-11-30_FR_france-brief.pdf" in r.stdout and ".json" not in r.stdout
    r = run_cli("send", str(report_dir / "2026-11-30_JP_japan-brief.pdf"), "--to", "desk@example.org", "--eml", str(tmp_path / "drafts"))
    assert r.returncode == 0, r.stderr
    emls = sorted((tmp_path / "drafts").iterdir())
    assert [p.name for p in emls] == ["2026-11-30_JP.eml"]
    msg = parse(emls[0].read_bytes())
    assert msg["X-Unsent"] == "1" and msg["To"] == "desk@example.org"
    assert check_message(msg, report_dir) == ["2026-11-30_JP_japan-brief.pdf"]


def test_size_limit_is_checked_before_sending(report_dir, tmp_path):
    r = run_cli("send", str(report_dir), "--to", "desk@example.org", "--max-size", "20k", "--smtp-host", "127.0.0.1",
                "--smtp-port", "9", "--from", "me@example.org")
    assert r.returncode == 2
    assert "over the size limit of 20 KB" in r.stderr and "--max-size" in r.stderr


def test_usage_errors(report_dir, tmp_path):
    r = run_cli("send", str(report_dir), "--to", "desk@example.org\nBcc: spy@evil.example", "--dry-run")
    assert r.returncode == 2 and "not a valid e-mail address" in r.stderr
    r = run_cli("send", str(report_dir), "--dry-run")  # no --to and no [recipients]
    assert r.returncode == 2 and "no recipients" in r.stderr
    r = run_cli("send", str(report_dir / "2026-11-30_FR_france-brief.json"), "--to", "a@example.org", "--dry-run")
    assert r.returncode == 2 and "not a PDF" in r.stderr
    r = run_cli("send", str(report_dir), "--to", "a@example.org", "--smtp-security", "ssl3", "--dry-run")
    assert r.returncode == 2 and "--smtp-security" in r.stderr
    r = run_cli("send", str(report_dir), "--to", "a@example.org", "--password", "x")
    assert r.returncode == 2 and "--password" in r.stderr  # no such option: credentials never on the command line


def test_user_without_password_and_plain_text_password(report_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_SMTP_USER", "reports")
    monkeypatch.delenv("BRIEFGEN_SMTP_PASSWORD", raising=False)
    s = Settings()
    with pytest.raises(MailError, match="BRIEFGEN_SMTP_PASSWORD"):
        smtp_options(s)
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "pw")
    from briefgen.mail import send

    opts = smtp_options(s, host="smtp.example.org", security="none", sender="me@example.org")
    with pytest.raises(MailError, match="without encryption"):
        send([], opts)


def test_password_env_names_the_variable(tmp_path, monkeypatch):
    p = tmp_path / "c.toml"
    p.write_text('[smtp]\nuser = "reports@example.org"\npassword_env = "MOH_SMTP_PW"\n', "utf-8")
    monkeypatch.delenv("BRIEFGEN_SMTP_USER", raising=False)
    monkeypatch.setenv("MOH_SMTP_PW", "from-env")
    opts = smtp_options(load_settings(config=p))
    assert (opts.user, opts.password, opts.sender, opts.port) == ("reports@example.org", "from-env", "reports@example.org", 587)


def test_plan_without_config_uses_filenames_and_json(report_dir):
    atts = collect([str(report_dir)])
    assert sorted((a.role, a.country) for a in atts) == [("brief", "FR"), ("brief", "JP"), ("overview", None)]
    out = plan(atts, Settings(), ["desk@example.org"])
    prepare(out, Settings(), "me@example.org", 20 * 1024 * 1024)
    assert sorted(o.key for o in out) == ["FR", "JP", "overview"]
    assert all(o.size > sum(a.path.stat().st_size for a in o.attachments) for o in out)


def test_implicit_tls(report_dir, pki, tmp_path):
    ca, cert, key = pki
    with SmtpServer(cert, key, password=PASSWORD, mode="tls") as srv:
        r = run_cli("send", str(report_dir / "2026-11-30_JP_japan-brief.pdf"), "--to", "desk@example.org",
                    "--smtp-host", "127.0.0.1", "--smtp-port", str(srv.port), "--smtp-security", "tls", "--from", "me@example.org",
                    env={"SSL_CERT_FILE": str(ca), "BRIEFGEN_SMTP_USER": "reports", "BRIEFGEN_SMTP_PASSWORD": PASSWORD})
        assert r.returncode == 0, r.stderr
        assert srv.logins == [("reports", PASSWORD)] and len(srv.received) == 1
    assert check_message(parse(srv.received[0]["data"]), report_dir) == ["2026-11-30_JP_japan-brief.pdf"]


def test_starttls_is_required_unless_security_none(report_dir, pki, tmp_path):
    ca, cert, key = pki
    with SmtpServer(cert, key, mode="none") as srv:  # a relay that offers no STARTTLS
        args = ("send", str(report_dir / "2026-11-30_FR_france-brief.pdf"), "--to", "desk@example.org",
                "--smtp-host", "127.0.0.1", "--smtp-port", str(srv.port), "--from", "me@example.org")
        env = {"SSL_CERT_FILE": str(ca), "BRIEFGEN_SMTP_USER": "", "BRIEFGEN_SMTP_PASSWORD": ""}
        r = run_cli(*args, env=env)
        assert r.returncode == 1 and "does not offer STARTTLS" in r.stderr and srv.received == []
        r = run_cli(*args, "--smtp-security", "none", env=env)  # explicitly a trusted local relay
        assert r.returncode == 0, r.stderr
        assert len(srv.received) == 1


def test_send_refuses_a_pdf_that_changed_after_the_manifest(report_dir, tmp_path):
    import shutil

    folder = tmp_path / "2026-11"
    shutil.copytree(report_dir, folder)
    pdf = folder / "2026-11-30_FR_france-brief.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% appended\n")
    r = run_cli("send", str(folder), "--to", "desk@example.org", "--dry-run")
    assert r.returncode == 2 and "changed since its report's manifest" in r.stderr


def test_send_waits_for_a_running_report(report_dir, tmp_path):
    import shutil

    from filelock import FileLock

    folder = tmp_path / "2026-11"
    shutil.copytree(report_dir, folder)
    (folder / ".lock").touch()
    s = Settings()
    with FileLock(str(folder / ".lock")):
        with pytest.raises(MailError, match="a report run holds"):
            run_send([str(folder)], s, ["desk@example.org"], dry_run=True, lock_timeout=0.5)
    import io

    buf = io.StringIO()
    assert run_send([str(folder)], s, ["desk@example.org"], dry_run=True, out=buf) == 0 and "To: desk@example.org" in buf.getvalue()


def test_one_message_from_the_config_file(report_dir, tmp_path):
    import io

    cfg = tmp_path / "c.toml"
    cfg.write_text('[mail]\none_message = true\nsubject = "Briefs {period}"\n[recipients]\ndefault = ["cooperation@example.org"]\n', "utf-8")
    buf = io.StringIO()
    assert run_send([str(report_dir)], load_settings(config=cfg), [], dry_run=True, out=buf) == 0
    text = buf.getvalue()
    assert text.count("To: ") == 1 and "Subject: Briefs 2026-11" in text and text.count("  attach ") == 3
