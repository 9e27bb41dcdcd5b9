"""Jinja2 environment shared by the HTML/PDF, Markdown and e-mail writers.

Templates come from ``templates/`` (or ``--templates DIR``); article text is always data passed
to a template, never template source, and HTML output is autoescaped, so ``<script>`` or
``{{ 7*7 }}`` inside an article prints literally.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..settings import Settings, asset_dir


def nfc(s) -> str:
    return unicodedata.normalize("NFC", str(s)) if s is not None else ""


def normalised(obj):
    """A copy of a Brief (or any dataclass / list / dict of strings) with every string in NFC.

    Vietnamese text often arrives decomposed (base letter + combining marks), which some fonts
    and Word render with misplaced diacritics; every writer works on the NFC copy.
    """
    return map_strings(obj, nfc)


def map_strings(obj, fn):
    """Apply ``fn`` to every string inside a dataclass / list / tuple / dict (returns a copy)."""
    import dataclasses

    if isinstance(obj, str):
        return fn(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: map_strings(getattr(obj, f.name), fn) for f in dataclasses.fields(obj) if f.init})
    if isinstance(obj, list):
        return [map_strings(x, fn) for x in obj]
    if isinstance(obj, tuple):
        return tuple(map_strings(x, fn) for x in obj)
    if isinstance(obj, dict):
        return {map_strings(k, fn): map_strings(v, fn) for k, v in obj.items()}
    return obj


def css_string(s) -> str:
    """Quote a value for use inside a CSS string (header/footer labels)."""
    s = nfc(s)
    return '"' + re.sub(r'[\\"\n\r<>]', lambda m: "\\%X " % ord(m.group()), s) + '"'


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(s) -> str:
    return _MD_SPECIAL.sub(r"\\\1", nfc(s))


@lru_cache(maxsize=8)
def _env(templates_dir: str, autoescape: bool):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    # a --templates folder may hold only the templates it changes; the rest come from the package
    dirs = [templates_dir] + ([str(asset_dir("templates"))] if Path(templates_dir) != asset_dir("templates") else [])
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(d) for d in dirs]),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(nfc=nfc, css_string=css_string, md=md_escape)
    return env


def render_template(name: str, settings: Settings, autoescape: bool = True, **context) -> str:
    context.setdefault("settings", settings)
    env = _env(str(asset_dir("templates", settings.templates_dir)), autoescape)
    return nfc(env.get_template(name).render(**context))
