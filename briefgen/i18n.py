"""Output language: labels from gettext catalogs, names and dates from CLDR (Babel).

Catalogs are plain .po files under ``briefgen/locale/<lang>/LC_MESSAGES/briefgen.po`` read with
Babel's PO reader (no compile step, nothing to go stale). English is the source language.
Adding an output language means adding one .po file.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=16)
def _catalog(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    res = resources.files("briefgen").joinpath(f"locale/{lang}/LC_MESSAGES/briefgen.po")
    if not res.is_file():
        raise ValueError(f"no catalog for output language '{lang}' (available: {', '.join(available_languages())})")
    with res.open("rb") as f:
        cat = read_po(f)
    return {m.id: m.string for m in cat if m.id and m.string}


def available_languages() -> list[str]:
    base = resources.files("briefgen").joinpath("locale")
    return ["en"] + sorted(p.name for p in base.iterdir() if p.is_dir())


def gettext(msg: str, lang: str) -> str:
    return _catalog(lang).get(msg, msg)


def language_name(code: str, lang: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(lang).languages.get(code) or code
    except Exception:
        return code


def format_iso(value: str | None, lang: str) -> str:
    """Display an ISO date at its own precision: 2026 / April 2026 / 15 April 2026 / Q2 2026."""
    if not value:
        return "—"
    from babel.dates import format_date, format_skeleton
    import datetime as dt

    try:
        if len(value) == 4:
            return value
        if "-Q" in value or "-H" in value:
            y, p = value.split("-")
            return f"{p} {y}"
        if len(value) == 7:
            d = dt.date(int(value[:4]), int(value[5:7]), 1)
            return format_skeleton("yMMMM", d, locale=lang)
        d = dt.date.fromisoformat(value[:10])
        return format_date(d, format="long", locale=lang)
    except Exception:
        return value


def format_range(value: str, end: str | None, lang: str) -> str:
    if end and end != value:
        return f"{format_iso(value, lang)}–{format_iso(end, lang)}"
    return format_iso(value, lang)
