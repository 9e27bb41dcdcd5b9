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
}
SECTIONS = {"smtp", "recipients", "limits", "feed", "mail"}


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
    return data, path


def _formats(value) -> tuple[str, ...]:
    from .writers import WRITERS

    items = value.split(",") if isinstance(value, str) else list(value)
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    bad = [f for f in fmts if f not in WRITERS]
    if bad or not fmts:
        raise ValueError(f"--format: unknown format '{', '.join(bad) or value}' (choose from {', '.join(WRITERS)})")
    return fmts


def load_settings(config: Path | None = None, **options: Any) -> Settings:
    data, path = read_config(Path(config) if config else None)
    kw: dict[str, Any] = {}
    for key, (_, field) in SCHEMA.items():
        if key in data and field:
            kw[field] = data[key]
    for k, v in options.items():
        if v is not None and v is not False:
            kw[k] = str(v) if isinstance(v, Path) else v
        elif k == "quiet" and v is False and "quiet" not in kw:
            pass
    if "formats" in kw:
        kw["formats"] = _formats(kw["formats"])
    if "extra_aliases" in kw:
        aliases = kw["extra_aliases"]
        for alias, code in aliases.items():
            if not isinstance(code, str) or not _CC.match(code):
                raise ValueError(f"config: aliases.{alias} must be an ISO 3166-1 alpha-2 code")
        kw["extra_aliases"] = tuple(sorted((a, c.upper()) for a, c in aliases.items()))
    if "countries_of_interest" in kw:
        kw["countries_of_interest"] = tuple(c.upper() for c in kw["countries_of_interest"])
    if kw.get("home") is not None:
        if not _CC.match(kw["home"]):
            raise ValueError(f"--home: '{kw['home']}' is not an ISO 3166-1 alpha-2 country code")
        kw["home"] = kw["home"].upper()
    if kw.get("as_of") is not None:
        try:
            kw["as_of"] = dt.date.fromisoformat(kw["as_of"]).isoformat()
        except ValueError:
            raise ValueError(f"--as-of: '{kw['as_of']}' is not a date (YYYY-MM-DD)") from None
    if "output_lang" in kw:
        from .i18n import available_languages

        if kw["output_lang"] not in available_languages():
            raise ValueError(f"--lang: no labels for '{kw['output_lang']}' (available: {', '.join(available_languages())})")
    if "pdf_variant" in kw:
        from .writers.pdf import VARIANTS

        if kw["pdf_variant"] not in VARIANTS:
            raise ValueError(f"--pdf-variant: '{kw['pdf_variant']}' (choose from {', '.join(VARIANTS)})")
    if "page_size" in kw and kw["page_size"].lower() not in ("a4", "letter"):
        raise ValueError(f"--page-size: '{kw['page_size']}' (choose A4 or Letter)")
    for d in ("templates_dir", "styles_dir"):
        if kw.get(d) and not Path(kw[d]).is_dir():
            raise ValueError(f"{'--templates' if d == 'templates_dir' else '--styles'}: {kw[d]} is not a folder")
    settings = Settings(**kw)
    object.__setattr__(settings, "_config", data)  # sections (smtp, recipients) for mail and reports
    return settings
