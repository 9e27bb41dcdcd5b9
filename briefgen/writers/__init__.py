"""Writers: each renders the same ``Brief`` record to one format.

``write(fmt, brief, out_dir, basename, settings) -> Path`` writes atomically (temp file, then
rename) and returns the final path; ``write_record`` does the same and returns the output record
(path, sha256, bytes, and a PDF's page count as the layout knew it, so nothing is read back).
Writers are imported only when their format is asked for, so the CLI starts fast.
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


def _module(fmt: str):
    if fmt not in WRITERS:
        raise ValueError(f"unknown format '{fmt}' (choose from {', '.join(WRITERS)})")
    return importlib.import_module(f".{WRITERS[fmt][0]}", __name__)


def render(fmt: str, brief: Brief, settings: Settings) -> bytes:
    return _module(fmt).render(brief, settings)


def render_file(fmt: str, brief: Brief, settings: Settings) -> tuple[bytes, dict]:
    """(bytes, what the writer knows of them): the PDF writer adds its page count."""
    module = _module(fmt)
    with_info = getattr(module, "render_with_info", None)
    return with_info(brief, settings) if with_info else (module.render(brief, settings), {})


def write(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings) -> Path:
    return _write(fmt, brief, out_dir, basename, settings)[0]


def write_record(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings, *,
                 rendered: tuple[bytes, dict] | None = None, **extra) -> dict:
    """Write one file and return its output record (see ``pipeline.output_record``).
    ``rendered``: the (bytes, info) ``render_file`` gave before (e.g. kept in the render cache)."""
    from ..pipeline import output_record

    path, data, info = _write(fmt, brief, out_dir, basename, settings, rendered)
    return output_record(path, Path(out_dir), data=data, **info, **extra)


def _write(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings,
           rendered: tuple[bytes, dict] | None = None) -> tuple[Path, bytes, dict]:
    from ..util import write_bytes_atomic

    data, info = rendered if rendered is not None else render_file(fmt, brief, settings)
    return write_bytes_atomic(Path(out_dir) / (basename + WRITERS[fmt][1]), data), data, info
