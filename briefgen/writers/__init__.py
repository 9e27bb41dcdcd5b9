"""Writers: each renders the same ``Brief`` record to one format.

``write(fmt, brief, out_dir, basename, settings) -> Path`` writes atomically (temp file, then
rename) and returns the final path. Writers are imported only when their format is asked for,
so the CLI starts fast.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ..model import Brief
from ..settings import Settings

#: format -> (module, file extension)
WRITERS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", ".pdf"),
    "docx": ("docx", ".docx"),
    "html": ("html", ".html"),
    "md": ("markdown", ".md"),
    "json": ("json", ".json"),
}


def formats() -> list[str]:
    return list(WRITERS)


def render(fmt: str, brief: Brief, settings: Settings) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown format '{fmt}' (choose from {', '.join(WRITERS)})")
    module = importlib.import_module(f".{WRITERS[fmt][0]}", __name__)
    return module.render(brief, settings)


def write(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings) -> Path:
    from ..util import write_bytes_atomic

    data = render(fmt, brief, settings)
    return write_bytes_atomic(Path(out_dir) / (basename + WRITERS[fmt][1]), data)
