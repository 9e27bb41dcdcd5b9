"""Config file: [smtp], [recipients] and [mail] are validated with errors that name the key."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import load_settings, parse_size, recipients_for, valid_address

GOOD = """
home_country = "VN"
output_language = "en"
organisation = "Ministry of Health — International Cooperation Department"
marking = "Internal"
countries_of_interest = ["FR", "JP", "DE"]

[smtp]
host = "smtp.example.org"
port = 587
security = "starttls"
user = "reports@example.org"
password_env = "MOH_SMTP_PASSWORD"
from = "Briefings <reports@example.org>"
max_size = "15MB"

[recipients]
FR = ["europe.desk@example.org", "Lan Nguyen <lan.nguyen@example.org>"]
JP = ["asia.desk@example.org"]
default = ["cooperation@example.org"]

[mail]
subject = "[{marking}] {country_name} — {period}"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "briefgen.toml"
    p.write_text(text, "utf-8")
    return p


def test_good_config_loads_and_maps_recipients(tmp_path):
    s = load_settings(config=write(tmp_path, GOOD))
    assert s.home == "VN" and s.marking == "Internal"
    assert recipients_for(s, "FR") == ["europe.desk@example.org", "Lan Nguyen <lan.nguyen@example.org>"]
    assert recipients_for(s, "fr") == recipients_for(s, "FR")
    assert recipients_for(s, "DE") == ["cooperation@example.org"]  # falls back to default


def test_config_in_working_directory_is_found(tmp_path, monkeypatch):
    write(tmp_path, GOOD)
    monkeypatch.chdir(tmp_path)
    assert load_settings().organisation.startswith("Ministry of Health")


@pytest.mark.parametrize("snippet, key", [
    ('[smtp]\nhots = "x.org"\n', "smtp.hots"),
    ('[smtp]\nport = "587"\n', "smtp.port"),
    ('[smtp]\nport = 70000\n', "smtp.port"),
    ('[smtp]\nsecurity = "ssl"\n', "smtp.security"),
    ('[smtp]\nfrom = "not an address"\n', "smtp.from"),
    ('[smtp]\npassword_env = "MY PASSWORD"\n', "smtp.password_env"),
    ('[smtp]\nmax_size = "twenty megabytes"\n', "smtp.max_size"),
    ('[smtp]\nhost = "smtp example.org"\n', "smtp.host"),
    ('[recipients]\nFR = "a@b"\n', "recipients.FR"),
    ('[recipients]\nFR = ["ok@example.org", "x@example.org\\nBcc: spy@evil.example"]\n', "recipients.FR"),
    ('[recipients]\nFR = ["a@example.org, b@example.org"]\n', "recipients.FR"),
    ('[recipients]\nFR = 3\n', "recipients.FR"),
    ('[recipients]\n"France!" = ["a@example.org"]\n', "recipients.France!"),
    ('[mail]\nsubject = "{country_nam}"\n', "mail.subject"),
    ('[mail]\none_message = "yes"\n', "mail.one_message"),
    ('[mail]\ncolour = "red"\n', "mail.colour"),
    ('homecountry = "VN"\n', "homecountry"),
])
def test_bad_values_name_the_key(tmp_path, snippet, key):
    with pytest.raises(ValueError) as e:
        load_settings(config=write(tmp_path, snippet))
    assert key in str(e.value), str(e.value)


def test_password_in_config_is_refused_with_advice(tmp_path):
    with pytest.raises(ValueError, match="environment variable"):
        load_settings(config=write(tmp_path, '[smtp]\nhost = "x.example.org"\npassword = "hunter2"\n'))


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="not valid TOML"):
        load_settings(config=write(tmp_path, "[smtp\nhost = 1"))
    with pytest.raises(ValueError, match="no such file"):
        load_settings(config=tmp_path / "nope.toml")


@pytest.mark.parametrize("addr, ok", [
    ("desk@example.org", True), ("Lan Nguyễn <lan@example.org>", True), ("first.last+tag@sub.example.co.uk", True),
    ("desk@localhost", False), ("desk@@example.org", False), ("desk@example..org", False), (".desk@example.org", False),
    ("desk@example.org\r\nBcc: x@y.org", False), ("a@example.org; b@example.org", False), ("", False), ("<>", False),
])
def test_address_check(addr, ok):
    assert bool(valid_address(addr)) is ok


def test_sizes():
    assert parse_size("20MB") == 20 * 1024 * 1024
    assert parse_size("512k") == 512 * 1024
    assert parse_size(1000) == 1000
    for bad in ("0", "-1", "lots", True):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_example_config_is_valid():
    root = Path(__file__).resolve().parent.parent
    s = load_settings(config=root / "examples" / "briefgen.toml")
    assert s.home == "VN" and ("Hexagone", "FR") in s.extra_aliases
    assert recipients_for(s, "JP") == ["asia.desk@example.org", "Lan Nguyen <lan.nguyen@example.org>"]
    assert recipients_for(s, "KR") == ["cooperation@example.org"]


def test_systemd_and_cron_examples_run_the_report_command():
    root = Path(__file__).resolve().parent.parent
    service = (root / "examples" / "systemd" / "briefgen-report.service").read_text("utf-8")
    timer = (root / "examples" / "systemd" / "briefgen-report.timer").read_text("utf-8")
    cron = (root / "examples" / "crontab").read_text("utf-8")
    assert "Type=oneshot" in service and "briefgen report" in service and "--month previous" in service
    assert "OnCalendar=*-*-01 06:00:00" in timer and "Persistent=true" in timer
    line = next(l for l in cron.splitlines() if l and not l.startswith("#"))
    assert line.split()[:5] == ["0", "6", "1", "*", "*"] and "--month previous" in line
    assert "PASSWORD=" not in service + cron  # secrets come from an environment file


@pytest.mark.parametrize("snippet, key", [
    ('output_language = "xx"\n', "'output_language'"),
    ('formats = ["pdf", "odt"]\n', "'formats'"),
    ('home_country = "Vietnam"\n', "'home_country'"),
    ('countries_of_interest = ["France"]\n', "'countries_of_interest'"),
    ('page_size = "A3"\n', "'page_size'"),
    ('templates = "no/such/folder"\n', "'templates'"),
    ('[aliases]\nHexagone = "France"\n', "'aliases.Hexagone'"),
    ('max_items = -1\n', "'max_items'"),
])
def test_bad_top_level_values_name_the_config_key(tmp_path, snippet, key):
    with pytest.raises(ValueError) as e:
        load_settings(config=write(tmp_path, snippet))
    assert key in str(e.value) and "briefgen.toml" in str(e.value), str(e.value)


def test_option_errors_name_the_option_and_options_win(tmp_path):
    with pytest.raises(ValueError, match="^--lang"):
        load_settings(config=write(tmp_path, 'output_language = "en"\n'), output_lang="xx")
    assert load_settings(config=write(tmp_path, 'output_language = "xx"\n'), output_lang="en").output_lang == "en"


def test_template_folder_is_relative_to_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "etc" / "mytemplates").mkdir(parents=True)
    cfg = tmp_path / "etc" / "briefgen.toml"
    cfg.write_text('templates = "mytemplates"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings(config=cfg).templates_dir == str((tmp_path / "etc" / "mytemplates").resolve())


def test_feed_and_limits_sections(tmp_path):
    s = load_settings(config=write(tmp_path, '[feed]\ntitle = "kop"\ntext = "inhoud"\n[limits]\nmax_pages = 50\nmax_seconds = 5\n'))
    assert s.feed_fields == (("text", "inhoud"), ("title", "kop"))
    assert s.limits.max_pages == 50 and s.limits.max_seconds == 5.0 and s.limits.max_bytes == 25 * 1024 * 1024
    for snippet, key in (('[feed]\nheadline = "x"\n', "feed.headline"), ('[feed]\ntitle = 3\n', "feed.title"),
                         ('[limits]\nmax_pages = 0\n', "limits.max_pages"), ('[limits]\nmax_pagez = 3\n', "limits.max_pagez")):
        with pytest.raises(ValueError, match=key.replace(".", r"\.")):
            load_settings(config=write(tmp_path, snippet))


def test_derived_settings_keep_the_config_sections(tmp_path, monkeypatch):
    from briefgen.config import load_settings

    cfg = tmp_path / "briefgen.toml"
    cfg.write_text('[smtp]\nhost = "127.0.0.1"\nfrom = "a@example.org"\n', "utf-8")
    s = load_settings(config=cfg).with_(workers=1, include=("*.txt",))
    assert s._config["smtp"]["from"] == "a@example.org"
