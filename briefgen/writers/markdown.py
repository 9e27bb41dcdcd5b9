"""Markdown brief from ``templates/brief.md.j2`` (article text escaped with the |md filter)."""
from __future__ import annotations

from ..model import Brief
from ..settings import Settings
from .templating import render_template


def render(brief: Brief, settings: Settings) -> bytes:
    return render_template("brief.md.j2", settings, autoescape=False, brief=brief).encode("utf-8")
