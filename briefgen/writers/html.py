"""HTML brief from ``templates/brief.html.j2`` and ``styles/brief.css``.

``render`` gives a self-contained HTML file (CSS inlined, logo as a data: URI, system fonts, no
external reference of any kind);
``render_for_pdf`` gives the same document for WeasyPrint, whose fonts are the packaged Noto
files, loaded through the sandboxed URL fetcher in ``pdf.py``.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from ..model import Brief
from ..settings import Settings, asset_dir
from .templating import map_strings, normalised, render_template

_LOGO_NAMES = ("logo.svg", "logo.png", "logo.jpg")


def stylesheet(settings: Settings) -> str:
    """brief.css from --styles DIR, or the packaged one when the folder has none (a folder with
    only a logo or a reference.docx is a valid re-brand)."""
    path = asset_dir("styles", settings.styles_dir) / "brief.css"
    if not path.is_file():
        path = asset_dir("styles") / "brief.css"
    css = path.read_text("utf-8")
    if settings.page_size.lower() != "a4":
        css += f"\n@page {{ size: {'letter' if settings.page_size.lower() == 'letter' else 'A4'}; }}\n"
    return css


def logo_path(settings: Settings) -> Path | None:
    styles = asset_dir("styles", settings.styles_dir)
    for name in _LOGO_NAMES:
        p = styles / name
        if p.is_file() and p.stat().st_size < 2_000_000:
            return p
    return None


def logo_uri(settings: Settings, for_pdf: bool = False) -> str | None:
    """The logo as a data: URI (browser copy) or a file URL inside the styles folder (PDF,
    served by the sandboxed fetcher)."""
    p = logo_path(settings)
    if p is None:
        return None
    if for_pdf:
        return p.resolve().as_uri()
    mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode("ascii")


_CJK = re.compile("[\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def has_cjk(brief: Brief) -> bool:
    found = []
    map_strings(brief, lambda s: found.append(True) if _CJK.search(s) else None)
    return bool(found)


def keywords(brief: Brief) -> list[str]:
    return [brief.country_name, brief.country, "briefing"] + ([brief.home_country_name] if brief.home_country_name else [])


def render_html(brief: Brief, settings: Settings, for_pdf: bool, cjk: bool | None = None) -> str:
    """``cjk``: whether the PDF needs the CJK font (the PDF writer decides from font coverage;
    None = any CJK character in the brief)."""
    brief = normalised(brief)
    css = stylesheet(settings)
    if not for_pdf:
        # the browser copy has no access to packaged fonts: drop the @font-face rules
        css = "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))
    elif not (has_cjk(brief) if cjk is None else cjk):
        # a rule marked "/* if-cjk */" (the large CJK font) is loaded only when the brief needs it
        css = "\n".join(line for line in css.splitlines() if "/* if-cjk */" not in line)
    return render_template(
        "brief.html.j2", settings, brief=brief, css=css, logo=logo_uri(settings, for_pdf), keywords=keywords(brief),
        for_pdf=for_pdf,
    )


def render(brief: Brief, settings: Settings) -> bytes:
    return render_html(brief, settings, for_pdf=False).encode("utf-8")


FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
