"""Readers: one per input format, each returning the same ``Article`` record.

Entry points:
  discover(inputs, settings) -> list of (path, display_path) for every file found
  read(path, display_path, settings) -> list[Article]   (raises ReadError with a one-line reason)

Readers never write files and never touch the network. ``read`` enforces the size limit, refuses
anything that is not a regular file (FIFOs and devices would block), and runs the readers that
can be slow (PDF, HTML, DOCX, e-mail) under a per-file time limit.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from pathlib import Path
from typing import Callable

from ..model import Article
from ..settings import Settings


class ReadError(Exception):
    """A file could not be read; the message is one line naming the problem."""

    def __init__(self, message: str):
        one_line = " ".join(str(message).split())
        super().__init__(one_line[:300])


#: extension -> "module:function"; readers are imported only when a file needs them
READERS: dict[str, str] = {
    ".txt": "text:read_text",
    ".md": "text:read_text",
    ".markdown": "text:read_text",
    ".text": "text:read_text",
    ".html": "html:read_html",
    ".htm": "html:read_html",
    ".xhtml": "html:read_html",
    ".docx": "docx:read_docx",
    ".pdf": "pdf:read_pdf",
    ".eml": "eml:read_eml",
    ".json": "feed:read_json",
    ".jsonl": "feed:read_jsonl",
    ".ndjson": "feed:read_jsonl",
    ".rss": "feed:read_xml_feed",
    ".atom": "feed:read_xml_feed",
    ".xml": "feed:read_xml_feed",
}

#: readers run under settings.limits.max_seconds (all of them: even plain text can be made slow,
#: e.g. millions of distinct short lines through the clean-up)
SLOW = {"text", "html", "docx", "pdf", "eml", "feed"}

STDIN = "-"


#: what to do with common formats briefgen does not read
_HINTS = {
    ".doc": "save it as .docx", ".odt": "save it as .docx", ".rtf": "save it as .docx or .txt",
    ".pages": "export it as .docx", ".msg": "save the mail as .eml", ".mht": "save the page as HTML",
    ".mhtml": "save the page as HTML", ".webarchive": "save the page as HTML", ".zip": "unpack it first",
    ".gz": "unpack it first", ".7z": "unpack it first", ".rar": "unpack it first", ".jpg": "images are not read (no OCR)",
    ".jpeg": "images are not read (no OCR)", ".png": "images are not read (no OCR)", ".tif": "images are not read (no OCR)",
    ".tiff": "images are not read (no OCR)", ".xlsx": "spreadsheets are not read", ".pptx": "slides are not read",
}


def _unsupported(ext: str) -> ReadError:
    hint = _HINTS.get(ext)
    return ReadError(f"unsupported file type '{ext or '(no extension)'}'" + (f": {hint}" if hint else ""))


def supported_extensions() -> set[str]:
    return set(READERS)


def _match(rel: str, name: str, globs: tuple[str, ...]) -> bool:
    import fnmatch

    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


class OutsideLink(type(Path())):
    """A symlink found inside an input folder that leads outside it: listed, never followed."""


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _resource_dir(name: str, files: list[str]) -> bool:
    """A browser's "Webpage, complete" resource folder (page_files/ next to page.html), or macOS zip litter."""
    if name == "__MACOSX":
        return True
    for suffix in ("_files", "-Dateien", "_fichiers", "_archivos"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return any(f in files for f in (stem + ".html", stem + ".htm", stem + ".xhtml"))
    return False


def discover(inputs: list[str], settings: Settings) -> list[tuple[Path, str]]:
    """Expand files and folders (recursively, symlink loops safe) into (path, display) pairs.

    Files given by name are always returned (an unsupported or missing one then fails in
    ``read`` with a clear reason, so the manifest lists it). Inside folders every file is
    returned too (an unsupported type is then reported as skipped, nothing vanishes silently)
    except hidden files and folders and the resource folders browsers save next to a page
    ("page_files/" beside "page.html"); include/exclude globs apply to the path relative to the
    folder (or to the bare file name). ``-`` is stdin. Symlinks inside a folder that lead outside it
    are listed but never followed (``read`` refuses them): an unpacked archive cannot smuggle in,
    say, a private key as "article.txt".
    """
    found: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for raw in inputs:
        if raw == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                found.append((Path(STDIN), STDIN))
            continue
        p = Path(raw)
        if p.is_dir():
            visited_dirs: set[tuple[int, int]] = set()
            root_real = os.path.realpath(p)
            for root, dirs, files in os.walk(p, followlinks=True, onerror=lambda e: None):
                try:
                    st = os.stat(root)
                except OSError:
                    dirs[:] = []
                    continue
                if (st.st_dev, st.st_ino) in visited_dirs:
                    dirs[:] = []
                    continue
                visited_dirs.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _resource_dir(d, files))
                for d in list(dirs):  # a symlinked folder leading outside the input folder: not entered
                    dp = Path(root) / d
                    if dp.is_symlink() and not _inside(os.path.realpath(dp), root_real):
                        dirs.remove(d)
                        found.append((OutsideLink(dp), str(dp)))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    fp = Path(root) / name
                    rel = fp.relative_to(p).as_posix()
                    if settings.include and not _match(rel, name, settings.include):
                        continue
                    if settings.exclude and _match(rel, name, settings.exclude):
                        continue
                    key = os.path.realpath(fp)
                    if fp.is_symlink() and not _inside(key, root_real):
                        found.append((OutsideLink(fp), str(fp)))
                        continue
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


def _load(spec: str) -> Callable[[Path, bytes, str, Settings], list[Article]]:
    import importlib

    mod, func = spec.split(":")
    return getattr(importlib.import_module(f".{mod}", __name__), func)


def sniff_format(data: bytes) -> str:
    """Guess the extension of content that came without a name (stdin)."""
    head = data[:4096].lstrip()
    low = head.lower()
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    if (b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low) and b"<html" not in low:
        return ".xml"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<head" in low:
        return ".html"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0].strip()
        if first.endswith(b"}") and b"\n{" in data[:65536]:
            return ".jsonl"
        return ".json"
    if head.startswith(b"["):
        return ".json"
    import re

    if re.match(rb"(?:[A-Za-z-]{2,40}:[^\n]*\r?\n)+", head) and re.search(
        rb"^(?:from|subject|date|mime-version|message-id):", low, re.M
    ) and re.search(rb"^(?:from|subject):", low, re.M):
        return ".eml"
    return ".txt"


def _read_limited(f, limit: int) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"input is over the {limit}-byte limit")
    return data


class _Timeout(BaseException):
    """Raised inside a reader by the alarm; BaseException so readers' `except Exception` miss it."""


def run_with_timeout(fn: Callable[[], list[Article]], seconds: float, what: str) -> list[Article]:
    """Run ``fn`` for at most ``seconds``: SIGALRM in the main thread, else a watchdog thread."""
    if not seconds or seconds <= 0:
        return fn()
    import signal

    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        state = {"done": False, "fired": False}

        def on_alarm(signum, frame):  # noqa: ARG001
            if not state["done"]:  # never raise once the reader has returned (we may be in `finally`)
                state["fired"] = True
                raise _Timeout()

        try:
            previous = signal.signal(signal.SIGALRM, on_alarm)
        except ValueError:  # not allowed here after all: fall through to the thread
            previous = None
        else:
            # the alarm repeats: raised where Python ignores exceptions (a garbage-collector
            # callback, a __del__), the timeout would otherwise be lost and the reader run on
            old_timer = signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 0.05))
            try:
                result = fn()
                state["done"] = True
                if state["fired"]:  # it ran over the limit and an alarm was swallowed on the way
                    raise _Timeout()
                return result
            except _Timeout:
                raise ReadError(f"{what} took longer than the {seconds:g}-second limit") from None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                if old_timer[0] > 0:  # someone else's alarm was pending: give it back
                    signal.setitimer(signal.ITIMER_REAL, old_timer[0])
    # fallback (worker thread, Windows): a daemon thread we stop waiting for
    box: dict[str, object] = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed back to the caller
            box["error"] = e

    t = threading.Thread(target=target, daemon=True, name="briefgen-reader")
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise ReadError(f"{what} took longer than the {seconds:g}-second limit")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def read(path: Path, display: str, settings: Settings, memo=None) -> list[Article]:
    """Read one file into one or more articles (feeds and mail attachments give several).

    ``memo``: where files read before are looked up by content (``cache.ReadMemo``: ``key``,
    ``lookup``, ``store``); standard input is always read."""
    limit = settings.limits.max_bytes
    if str(path) == STDIN:
        data = _read_limited(sys.stdin.buffer, limit)
        ext = sniff_format(data)
    else:
        if isinstance(path, OutsideLink):
            raise ReadError("symlink leading outside the input folder: not followed (give its target by name to read it)")
        path = Path(path)
        ext = path.suffix.lower()
        if ext not in READERS:
            raise _unsupported(ext)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise ReadError("file not found") from None
        except OSError as e:
            raise ReadError(f"cannot open: {e.strerror or e}") from None
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (device, pipe or socket)")
        if st.st_size > limit:
            raise ReadError(f"file is {st.st_size} bytes, over the {limit}-byte limit")
        try:
            with open(path, "rb") as f:
                data = _read_limited(f, limit)
        except OSError as e:
            raise ReadError(f"cannot read: {e.strerror or e}") from None
        if memo is not None:
            digest = hashlib.sha256(data).hexdigest()
            key = memo.key(digest, ext, display)
            articles = memo.lookup(key)
            if articles is None:
                articles = read_bytes(data, ext, path, display, settings, digest=digest)
                memo.store(key, articles)
            return articles
    return read_bytes(data, ext, path, display, settings)


def read_bytes(data: bytes, ext: str, path: Path, display: str, settings: Settings, *, depth: int = 0,
               digest: str | None = None) -> list[Article]:
    """Read content already in memory (used by ``read`` and for e-mail attachments);
    ``digest``: the sha256 of ``data`` (hex) if the caller has it."""
    if depth > 3:
        raise ReadError("attachments nested too deeply")
    spec = READERS.get(ext)
    if spec is None:
        raise _unsupported(ext)
    if spec.startswith("text:") and sniff_format(data) in (".html", ".pdf", ".docx"):
        spec = READERS[sniff_format(data)]  # a saved page or document under a .txt name
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise ReadError("file is empty" if not data else "file is blank")
    reader = _load(spec)
    digest = digest or hashlib.sha256(data).hexdigest()
    module = spec.split(":")[0]

    def call() -> list[Article]:
        try:
            return reader(path, data, display, settings)
        except ReadError:
            raise
        except RecursionError:
            raise ReadError("structure nested too deeply to read") from None
        except MemoryError:
            raise ReadError("out of memory while reading") from None
        except Exception as e:  # a library choked on broken input: still one clear line
            raise ReadError(f"unreadable {module} file (internal error: {type(e).__name__}: {e})") from None

    if module in SLOW and depth == 0:
        articles = run_with_timeout(call, settings.limits.max_seconds, f"reading this {module.upper()} file")
    else:
        articles = call()
    if not articles:
        raise ReadError("no article text found")
    for a in articles:
        a.sha256 = a.sha256 or digest
        if len(a.text) > settings.limits.max_text_chars:
            a.meta["truncated_from_chars"] = len(a.text)
            a.text = a.text[: settings.limits.max_text_chars]
    return articles


def article_id(display: str, n: int | None = None) -> str:
    name = "stdin" if display == STDIN else Path(display).name
    return name if n is None else f"{name}#{n}"
