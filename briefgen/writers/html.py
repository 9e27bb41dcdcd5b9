"""HTML brief from ``templates/brief.html.j2`` and ``styles/brief.css``.

``render`` gives a self-contained HTML file (CSS inlined, logo as a data: URI, system fonts);
``render_for_pdf`` gives the same document for WeasyPrint, whose fonts are the packaged Noto
files, loaded through the sandboxed URL fetcher in ``pdf.py``.
"""
from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from ..model import Brief
from ..settings import Settings, asset_dir
from .templating import render_template

_LOGO_NAMES = ("logo.svg", "logo.png", "logo.jpg")


def stylesheet(settings: Settings) -> str:
    css = (asset_dir("styles", settings.styles_dir) / "brief.css").read_text("utf-8")
    if settings.page_size.lower() != "a4":
        css += f"\n@page {{ size: {'letter' if settings.page_size.lower() == 'letter' else 'A4'}; }}\n"
    return css


def logo_uri(settings: Settings) -> str | None:
    styles = asset_dir("styles", settings.styles_dir)
    for name in _LOGO_NAMES:
        p = styles / name
        if p.is_file() and p.stat().st_size < 2_000_000:
            mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
            return f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode("ascii")
    return None


def keywords(brief: Brief) -> list[str]:
    return [brief.country_name, brief.country, "briefing"] + ([brief.home_country_name] if brief.home_country_name else [])


def render_html(brief: Brief, settings: Settings, for_pdf: bool) -> str:
    css = stylesheet(settings)
    if not for_pdf:
        # the browser copy has no access to packaged fonts: drop the @font-face rules
        css = "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))
    return render_template(
        "brief.html.j2", settings, brief=brief, css=css, logo=logo_uri(settings), keywords=keywords(brief)
    )


def render(brief: Brief, settings: Settings) -> bytes:
    return render_html(brief, settings, for_pdf=False).encode("utf-8")


FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
