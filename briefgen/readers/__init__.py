"""Readers: one per input format, each returning the same ``Article`` record.

Entry points:
  discover(inputs, settings) -> list of (path, display_path) for every file found
  read(path, display_path, settings) -> list[Article]   (raises ReadError with a one-line reason)
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from ..model import Article
from ..settings import Settings


class ReadError(Exception):
    """A file could not be read; the message is one line naming the problem."""


#: extension -> "module:function"; readers are imported only when a file needs them
READERS: dict[str, str] = {
    ".txt": "text:read_text",
    ".md": "text:read_text",
    ".text": "text:read_text",
}


def supported_extensions() -> set[str]:
    return set(READERS)


def discover(inputs: list[str], settings: Settings) -> list[tuple[Path, str]]:
    """Expand files and folders (recursively, symlink loops safe) into (path, display) pairs."""
    import fnmatch

    found: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            visited_dirs: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in visited_dirs:
                    dirs[:] = []
                    continue
                visited_dirs.add((st.st_dev, st.st_ino))
                dirs.sort()
                for name in sorted(files):
                    fp = Path(root) / name
                    rel = fp.relative_to(p).as_posix()
                    if name.startswith("."):
                        continue
                    if settings.include and not any(fnmatch.fnmatch(rel, g) for g in settings.include):
                        continue
                    if any(fnmatch.fnmatch(rel, g) for g in settings.exclude):
                        continue
                    key = os.path.realpath(fp)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append((fp, str(fp)))
        else:
            key = os.path.realpath(p) if p.exists() else raw
            if key in seen:
                continue
            seen.add(key)
            found.append((p, raw))
    return found


def _reader_for(path: Path) -> Callable[[Path, bytes, str, Settings], list[Article]]:
    import importlib

    ext = path.suffix.lower()
    spec = READERS.get(ext)
    if spec is None:
        raise ReadError(f"unsupported file type '{ext or '(none)'}'")
    mod, func = spec.split(":")
    return getattr(importlib.import_module(f".{mod}", __name__), func)


def read(path: Path, display: str, settings: Settings) -> list[Article]:
    """Read one file into one or more articles (feeds and mailboxes give several)."""
    reader = _reader_for(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(f"cannot open: {e.strerror or e}") from None
    if size > settings.limits.max_bytes:
        raise ReadError(f"file is {size} bytes, over the {settings.limits.max_bytes}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise ReadError("file is empty")
    digest = hashlib.sha256(data).hexdigest()
    articles = reader(path, data, display, settings)
    for a in articles:
        a.sha256 = a.sha256 or digest
    return articles
