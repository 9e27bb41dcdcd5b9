"""Small shared helpers: safe file names, atomic writes, text folding, list slicing."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path


def chunks(items: list, size: int) -> list[list]:
    """``items`` in consecutive lists of ``size`` (the last may be shorter)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


_EXTRA_FOLD = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "þ": "th", "ð": "d"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case and diacritics folded, for comparing names across spellings:
    'Trần Văn Thuấn' -> 'tran van thuan', 'Łódź' -> 'lodz'. Other scripts are kept (NFC)."""
    if text.isascii():
        return text.lower()
    s = unicodedata.normalize("NFD", text.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s.translate(_EXTRA_FOLD))


def slugify(text: str, upper: bool = False, max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: letters, digits and single hyphens, never empty."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", fold(text)).strip("-")[:max_len].strip("-") or "x"
    return s.upper() if upper else s


@contextmanager
def atomic_write(path: Path, mode: str = "wb", durable: bool = True, file_mode: int = 0o644):
    """Write to a temp file in the same folder, then rename: readers never see half a file.
    ``durable`` also flushes to disk before the rename (documents, manifests); caches skip it.
    ``file_mode``: the permissions of the result (caches keep theirs to the user: 0o600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, file_mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes_atomic(path: Path, data: bytes, durable: bool = True, file_mode: int = 0o644) -> Path:
    with atomic_write(path, "wb", durable, file_mode) as f:
        f.write(data)
    return Path(path)


def private_makedirs(path: Path) -> None:
    """Create a folder and its missing parents for this user alone (0o700 at every level, which
    a umask only narrows: ``os.makedirs`` would give the parents the umask's 0o775)."""
    path = Path(path)
    missing = []
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for p in reversed(missing):
        try:
            os.mkdir(p, 0o700)
        except FileExistsError:
            pass


def write_text_atomic(path: Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


def _private(p: Path) -> bool:
    try:
        uid = os.getuid()
    except AttributeError:  # pragma: no cover - Windows: per-user profile folders
        return True
    try:
        st = p.stat()
    except OSError:
        return False
    return st.st_uid == uid and not st.st_mode & 0o022


def private_dir(path: Path) -> bool:
    """True when a folder belongs to this user and no one else can write into it."""
    return _private(Path(path))


def private_file(path: Path) -> bool:
    """True when a cache file may be unpickled: it and its folder belong to this user and no one
    else can write them (a pickle from a shared or world-writable folder could run code)."""
    return _private(Path(path)) and _private(Path(path).parent)
