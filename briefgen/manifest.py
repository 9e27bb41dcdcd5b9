"""manifest.json: every input seen (used / skipped / failed) and every output written."""
from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .model import InputRecord, to_dict
from .settings import Settings
from .util import write_text_atomic


def write_manifest(out_dir: Path, inputs: list[InputRecord], outputs: list[dict], settings: Settings,
                   command: str, groups=None, extra: dict | None = None) -> Path:
    counts = {s: sum(1 for r in inputs if r.status == s) for s in ("used", "skipped", "failed")}
    doc = {
        "tool": "briefgen",
        "version": __version__,
        "command": command,
        "as_of": settings.as_of,
        "formats": list(settings.formats),
        "counts": counts,
        "inputs": [to_dict(r) for r in inputs],
        "outputs": sorted(outputs, key=lambda o: o["path"]),
    }
    if groups is not None:
        doc["groups"] = [{"country": g.country, "name": g.name, "kind": g.kind, "articles": g.articles} for g in groups]
    if extra:
        doc.update(extra)
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(out_dir / "manifest.json", json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
