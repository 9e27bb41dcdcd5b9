"""Writers: each renders the same ``Brief`` record to one format.

``write(fmt, brief, out_dir, basename, settings) -> Path`` writes atomically (temp file, then
rename) and returns the final path; ``write_record`` does the same and returns the output record
(path, sha256, bytes, and a PDF's page count as the layout knew it, so nothing is read back).
Writers are imported only when their format is asked for, so the CLI starts fast.
"""
from __future__ import annotations

import importlib
import logging
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


def write_record(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings, *, cache=None,
                 **extra) -> dict:
    """Write one file and return its output record (see ``pipeline.output_record``).

    ``cache``: a ``cache.RenderCache``. The file is copied from it when this brief was rendered
    before with the same settings, code and libraries; else rendered and stored in it, unless
    the writer warned about something (a warning is then repeated on every run)."""
    from ..pipeline import output_record
    from ..util import write_bytes_atomic

    if cache is None:
        path, data, info = _write(fmt, brief, out_dir, basename, settings)
        return output_record(path, Path(out_dir), data=data, **info, **extra)
    key = cache.key(fmt, brief, settings)
    got = cache.get(key)
    if got is None:
        with _WarningWatch() as watch:
            data, info = render_file(fmt, brief, settings)
        if not watch.warned:
            cache.put(key, data, info)
    else:
        data, info = got
    path = write_bytes_atomic(Path(out_dir) / (basename + WRITERS[fmt][1]), data)
    return output_record(path, Path(out_dir), data=data, **info, **extra)


class _WarningWatch(logging.Handler):
    """Notes whether anything under the ``briefgen`` logger warned while it was installed."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record):
        self.warned = True

    def __enter__(self):
        logging.getLogger("briefgen").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("briefgen").removeHandler(self)


def _write(fmt: str, brief: Brief, out_dir: Path, basename: str, settings: Settings) -> tuple[Path, bytes, dict]:
    from ..util import write_bytes_atomic

    data, info = render_file(fmt, brief, settings)
    return write_bytes_atomic(Path(out_dir) / (basename + WRITERS[fmt][1]), data), data, info
