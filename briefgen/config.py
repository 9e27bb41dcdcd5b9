"""Configuration: ``briefgen.toml`` in the working folder (or ``--config PATH``) plus options.

Command-line options win over the file; the file wins over defaults. Unknown keys and wrong
types are errors that name the key, so a typo never passes silently.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from .settings import Settings

_CC = re.compile(r"^[A-Za-z]{2}$")

#: key -> (type, Settings field or None when handled elsewhere)
SCHEMA: dict[str, tuple[type | tuple[type, ...], str | None]] = {
    "home_country": (str, "home"),
    "output_language": (str, "output_lang"),
    "organisation": (str, "organisation"),
    "marking": (str, "marking"),
    "author": (str, "author"),
    "formats": (list, "formats"),
    "templates": (str, "templates_dir"),
    "styles": (str, "styles_dir"),
    "page_size": (str, "page_size"),
    "pdf_variant": (str, "pdf_variant"),
    "countries_of_interest": (list, "countries_of_interest"),
    "aliases": (dict, "extra_aliases"),
    "workers": (int, "workers"),
    "max_items": (int, "max_items"),
    "max_citations": (int, "max_citations"),
}
SECTIONS = {"smtp", "recipients", "limits", "feed", "mail"}

#: [smtp] key -> type; the password itself is never in the file, only the name of the variable
SMTP_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "host": str,
    "port": int,
    "security": str,
    "user": str,
    "password_env": str,
    "from": str,
    "max_size": (int, str),
    "timeout": (int, float),
}
SMTP_SECURITY = ("starttls", "tls", "none")
#: [mail] key -> type
MAIL_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "one_message": bool,
    "subject": str,
    "reply_to": str,
}
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
#: [feed] keys: our article field -> the name of that field in a JSON/JSONL feed
FEED_FIELDS = ("title", "url", "published", "text", "id")

# a deliberately strict address check: local part of RFC 5322 atext and dots, a domain of
# LDH labels with at least one dot (or an address literal is refused: nobody needs one here)
_ADDR = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RECIPIENT_KEY = re.compile(r"^(?:default|[A-Za-z]{2}|[A-Z][A-Z0-9_-]{1,15})$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(i?[bB])?\s*$")


def valid_address(value: str) -> str | None:
    """The bare address if ``value`` is 'a@b.org' or 'Name <a@b.org>', else None."""
    from email.utils import parseaddr

    if not isinstance(value, str) or any(c in value for c in "\r\n,;") or len(value) > 320:
        return None
    value = value.strip()
    if "<" in value or ">" in value:
        name, addr = parseaddr(value)
        if not addr or not value.endswith(">"):
            return None
    else:
        addr = value
    return addr if _ADDR.match(addr) else None


def parse_size(value: int | str, what: str = "--max-size") -> int:
    """Bytes from 20000000, '20MB', '20 MiB', '512k'. Units are powers of 1024."""
    if isinstance(value, bool):
        raise ValueError(f"{what}: must be a size such as 20MB")
    if isinstance(value, int):
        n = value
    else:
        m = _SIZE.match(str(value))
        if not m:
            raise ValueError(f"{what}: '{value}' is not a size (examples: 20MB, 512k, 1048576)")
        n = int(float(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()])
    if n <= 0:
        raise ValueError(f"{what}: must be more than 0 bytes")
    return n


def validate_sections(data: dict[str, Any], where: str = "config") -> None:
    """Check [smtp], [recipients] and [mail]; every error names the key."""
    smtp = data.get("smtp", {})
    if "password" in smtp:
        raise ValueError(
            f"{where}: smtp.password is not allowed: put the password in an environment variable "
            "(BRIEFGEN_SMTP_PASSWORD, or the one named by smtp.password_env)"
        )
    for key, value in smtp.items():
        if key not in SMTP_SCHEMA:
            raise ValueError(f"{where}: unknown key 'smtp.{key}' (known: {', '.join(SMTP_SCHEMA)})")
        typ = SMTP_SCHEMA[key]
        if not isinstance(value, typ) or isinstance(value, bool):
            raise ValueError(f"{where}: 'smtp.{key}' must be {_typename(typ)}, not {type(value).__name__}")
    if "port" in smtp and not 1 <= smtp["port"] <= 65535:
        raise ValueError(f"{where}: 'smtp.port' must be between 1 and 65535, not {smtp['port']}")
    if "security" in smtp and smtp["security"] not in SMTP_SECURITY:
        raise ValueError(f"{where}: 'smtp.security' must be one of {', '.join(SMTP_SECURITY)}, not '{smtp['security']}'")
    if "host" in smtp and (not smtp["host"].strip() or any(c.isspace() for c in smtp["host"])):
        raise ValueError(f"{where}: 'smtp.host' must be a host name, not '{smtp['host']}'")
    if "password_env" in smtp and not _ENV_NAME.match(smtp["password_env"]):
        raise ValueError(f"{where}: 'smtp.password_env' must be the NAME of an environment variable, not '{smtp['password_env']}'")
    if "from" in smtp and not valid_address(smtp["from"]):
        raise ValueError(f"{where}: 'smtp.from' is not a valid e-mail address: '{smtp['from']}'")
    if "max_size" in smtp:
        parse_size(smtp["max_size"], f"{where}: 'smtp.max_size'")
    if "timeout" in smtp and smtp["timeout"] <= 0:
        raise ValueError(f"{where}: 'smtp.timeout' must be more than 0 seconds")

    for key, value in data.get("recipients", {}).items():
        if not _RECIPIENT_KEY.match(key):
            raise ValueError(f"{where}: 'recipients.{key}' must be a country code (FR), an organisation key (ASEAN) or 'default'")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ValueError(f"{where}: 'recipients.{key}' must be a list of e-mail addresses, not {type(value).__name__}")
        for addr in value:
            if not valid_address(addr):
                raise ValueError(f"{where}: 'recipients.{key}' has an invalid e-mail address: {addr!r}")

    for key, value in data.get("mail", {}).items():
        if key not in MAIL_SCHEMA:
            raise ValueError(f"{where}: unknown key 'mail.{key}' (known: {', '.join(MAIL_SCHEMA)})")
        if not isinstance(value, MAIL_SCHEMA[key]):
            raise ValueError(f"{where}: 'mail.{key}' must be {_typename(MAIL_SCHEMA[key])}, not {type(value).__name__}")
    if "reply_to" in data.get("mail", {}) and not valid_address(data["mail"]["reply_to"]):
        raise ValueError(f"{where}: 'mail.reply_to' is not a valid e-mail address: '{data['mail']['reply_to']}'")
    if "subject" in data.get("mail", {}):
        try:
            data["mail"]["subject"].format(country="X", country_name="X", period="X", marking="X", organisation="X")
        except (KeyError, IndexError, ValueError) as e:
            raise ValueError(f"{where}: 'mail.subject' has an unknown placeholder ({e}); use {{country}}, "
                             "{country_name}, {period}, {marking}, {organisation}") from None


def _typename(typ) -> str:
    if isinstance(typ, tuple):
        return " or ".join(t.__name__ for t in typ)
    return typ.__name__


def recipients_for(settings: Settings, key: str) -> list[str]:
    """Addresses for a country (or organisation) from [recipients], falling back to 'default'."""
    rec = config_sections(settings).get("recipients", {})
    value = rec.get(key.upper(), rec.get(key, rec.get("default", [])))
    return [value] if isinstance(value, str) else list(value)


def config_sections(settings: Settings) -> dict[str, Any]:
    return getattr(settings, "_config", {}) or {}


def read_config(path: Path | None) -> tuple[dict[str, Any], Path | None]:
    if path is None:
        default = Path("briefgen.toml")
        if not default.is_file():
            return {}, None
        path = default
    if not path.is_file():
        raise ValueError(f"config {path}: no such file")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"config {path}: not valid TOML ({e})") from None
    except UnicodeDecodeError:
        raise ValueError(f"config {path}: not UTF-8 text") from None
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ValueError(f"config {path}: [{key}] must be a table")
            continue
        if key not in SCHEMA:
            raise ValueError(f"config {path}: unknown key '{key}'")
        typ = SCHEMA[key][0]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise ValueError(f"config {path}: '{key}' must be {getattr(typ, '__name__', typ)}, not {type(value).__name__}")
    validate_sections(data, f"config {path}")
    return data, path


def _formats(value) -> tuple[str, ...]:
    from .writers import WRITERS

    items = value.split(",") if isinstance(value, str) else list(value)
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    bad = [f for f in fmts if f not in WRITERS]
    if bad or not fmts:
        raise ValueError(f"--format: unknown format '{', '.join(bad) or value}' (choose from {', '.join(WRITERS)})")
    return fmts


#: Settings field -> command-line option, for error messages
_OPTION = {"home": "--home", "output_lang": "--lang", "formats": "--format", "templates_dir": "--templates",
           "styles_dir": "--styles", "page_size": "--page-size", "pdf_variant": "--pdf-variant", "as_of": "--as-of"}
_KEY = {field: key for key, (_, field) in SCHEMA.items() if field}
_ORG_KEY = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")


def _is_country(code: str) -> bool:
    """A real ISO 3166-1 alpha-2 code (CLDR knows a name for it), not 'XX' or a region."""
    import pycountry

    return pycountry.countries.get(alpha_2=code.upper()) is not None


def load_settings(config: Path | None = None, **options: Any) -> Settings:
    data, path = read_config(Path(config) if config else None)
    kw: dict[str, Any] = {}
    from_file: set[str] = set()
    for key, (_, field) in SCHEMA.items():
        if key in data and field:
            kw[field] = data[key]
            from_file.add(field)
    for k, v in options.items():
        if v is not None and v is not False:
            kw[k] = str(v) if isinstance(v, Path) else v
            from_file.discard(k)

    def where(field: str) -> str:
        """Name the place a bad value came from: the option, or the config file and key."""
        if field in from_file:
            return f"config {path}: '{_KEY.get(field, field)}'"
        return _OPTION.get(field, field)

    if "formats" in kw:
        try:
            kw["formats"] = _formats(kw["formats"])
        except ValueError as e:
            raise ValueError(str(e).replace("--format", where("formats"), 1)) from None
    if "extra_aliases" in kw:
        aliases = kw["extra_aliases"]
        for alias, code in aliases.items():
            if not isinstance(code, str) or not _CC.match(code):
                raise ValueError(f"config {path}: 'aliases.{alias}' must be an ISO 3166-1 alpha-2 code, not {code!r}")
        kw["extra_aliases"] = tuple(sorted((a, c.upper()) for a, c in aliases.items()))
    if "countries_of_interest" in kw:
        for c in kw["countries_of_interest"]:
            if not isinstance(c, str) or not (_CC.match(c) or _ORG_KEY.match(c)):
                raise ValueError(f"{where('countries_of_interest')} must list ISO 3166-1 alpha-2 codes (or organisation keys such as ASEAN), not {c!r}")
        kw["countries_of_interest"] = tuple(c.upper() for c in kw["countries_of_interest"])
    if kw.get("home") is not None:
        if not isinstance(kw["home"], str) or not _CC.match(kw["home"]) or not _is_country(kw["home"]):
            raise ValueError(f"{where('home')}: '{kw['home']}' is not an ISO 3166-1 alpha-2 country code")
        kw["home"] = kw["home"].upper()
    if kw.get("as_of") is not None:
        try:
            kw["as_of"] = dt.date.fromisoformat(kw["as_of"]).isoformat()
        except ValueError:
            raise ValueError(f"--as-of: '{kw['as_of']}' is not a date (YYYY-MM-DD)") from None
    if "output_lang" in kw:
        from .i18n import available_languages

        if kw["output_lang"] not in available_languages():
            raise ValueError(f"{where('output_lang')}: no labels for '{kw['output_lang']}' (available: {', '.join(available_languages())})")
    if "pdf_variant" in kw:
        from .writers.pdf import VARIANTS

        if kw["pdf_variant"] not in VARIANTS:
            raise ValueError(f"{where('pdf_variant')}: '{kw['pdf_variant']}' (choose from {', '.join(VARIANTS)})")
    if "page_size" in kw and kw["page_size"].lower() not in ("a4", "letter"):
        raise ValueError(f"{where('page_size')}: '{kw['page_size']}' (choose A4 or Letter)")
    for d in ("templates_dir", "styles_dir"):
        if kw.get(d) and d in from_file and path is not None and not Path(kw[d]).expanduser().is_absolute():
            kw[d] = str((path.parent / Path(kw[d]).expanduser()).resolve())  # relative to the config file
        if kw.get(d) and not Path(kw[d]).expanduser().is_dir():
            raise ValueError(f"{where(d)}: {kw[d]} is not a folder")
    feed = data.get("feed", {})
    if feed:
        for k, v in feed.items():
            if k not in FEED_FIELDS:
                raise ValueError(f"config {path}: unknown key 'feed.{k}' (known: {', '.join(FEED_FIELDS)})")
            if not isinstance(v, str) or not v.strip():
                raise ValueError(f"config {path}: 'feed.{k}' must be the name of a field in your feed, not {v!r}")
        kw["feed_fields"] = tuple(sorted((k, v) for k, v in feed.items()))
    limits = data.get("limits", {})
    if limits:
        from dataclasses import fields as _fields, replace as _replace

        from .settings import Limits

        known = {f.name: f.type for f in _fields(Limits)}
        for k, v in limits.items():
            if k not in known:
                raise ValueError(f"config {path}: unknown key 'limits.{k}' (known: {', '.join(known)})")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise ValueError(f"config {path}: 'limits.{k}' must be a number more than 0, not {v!r}")
        kw["limits"] = _replace(Limits(), **{k: (float(v) if k == "max_seconds" else int(v)) for k, v in limits.items()})
    for key in ("workers", "max_items", "max_citations"):
        if key in kw and kw[key] < 0:
            raise ValueError(f"config {path}: '{key}' must be 0 or more")
    settings = Settings(**kw)
    object.__setattr__(settings, "_config", data)  # sections (smtp, recipients) for mail and reports
    return settings
