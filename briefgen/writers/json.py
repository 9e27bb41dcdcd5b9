"""JSON brief: the Brief record as plain JSON (stable key order, UTF-8)."""
from __future__ import annotations

import json

from ..model import Brief, to_dict
from ..settings import Settings


def render(brief: Brief, settings: Settings) -> bytes:
    return (json.dumps(to_dict(brief), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
