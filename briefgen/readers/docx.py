"""Word documents (.docx) through python-docx, after safety checks on the ZIP and its XML.

Before python-docx opens anything: the file must be a ZIP with at most ``_MAX_MEMBERS``
members whose declared uncompressed size stays under ``settings.limits.max_unpacked_bytes``
(zip bombs), with no absurd compression ratio, and no XML part may declare a DTD or entities
(billion laughs, external entities); word/document.xml and docProps/core.xml are also parsed
with defusedxml. Title: core properties, else the first paragraph in the Title style.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..model import Article
from ..settings import Settings
from . import ReadError, article_id
from .cleanup import clean_scrape
from .encoding import clean_text

_MAX_MEMBERS = 2000
_MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def check_zip(data: bytes, settings: Settings, required: str = "word/document.xml") -> zipfile.ZipFile:
    """Open a ZIP safely or raise ReadError naming the problem."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise ReadError("not a valid DOCX: the ZIP container is broken or truncated") from None
    except (ValueError, NotImplementedError, OSError, EOFError) as e:
        raise ReadError(f"not a valid DOCX: {e}") from None
    if len(infos) > _MAX_MEMBERS:
        raise ReadError(f"DOCX has {len(infos)} ZIP members, over the limit of {_MAX_MEMBERS} (zip bomb?)")
    total = sum(i.file_size for i in infos)
    if total > settings.limits.max_unpacked_bytes:
        raise ReadError(
            f"DOCX unpacks to {total} bytes, over the {settings.limits.max_unpacked_bytes}-byte limit (zip bomb?)"
        )
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > _MAX_RATIO * max(i.compress_size, 1):
            raise ReadError(f"DOCX member {i.filename} is compressed {i.file_size // max(i.compress_size, 1)}:1 (zip bomb?)")
    names = {i.filename for i in infos}
    if required not in names:
        raise ReadError(f"not a Word document: no {required} inside the ZIP")
    for i in infos:
        if i.filename.endswith((".xml", ".rels")):
            try:
                part = zf.read(i)
            except Exception as e:  # noqa: BLE001 - corrupt member (CRC, truncated)
                raise ReadError(f"DOCX member {i.filename} is corrupt ({type(e).__name__})") from None
            if _DTD.search(part[:65536]) or (len(part) > 65536 and _DTD.search(part)):
                raise ReadError(f"unsafe XML in {i.filename}: DTD or entity declarations (XML bomb or external entity)")
    return zf


def _defused_parse(zf: zipfile.ZipFile, name: str) -> None:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        part = zf.read(name)
    except KeyError:
        return
    try:
        DET.fromstring(part, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise ReadError(f"unsafe XML in {name}: {type(e).__name__} (XML bomb or external entity)") from None
    except Exception as e:  # noqa: BLE001 - ParseError and friends
        raise ReadError(f"broken XML in {name}: {str(e)[:120]}") from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {_W + "del", _W + "instrText", _W + "delText", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
         _W + "footnoteReference", _W + "endnoteReference", _W + "commentReference"}


def _p_text(p) -> str:
    """Text of a paragraph as Word shows it: inserted (tracked) text in, deleted text and field
    codes out, fallback copies of text boxes skipped, tabs and line breaks kept."""
    parts: list[str] = []
    stack = [p]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        stack.extend(reversed(list(el)))
    return "".join(parts)


def _iter_block_text(document) -> list[tuple[str, str]]:
    """(style name, text) for paragraphs and table rows in body order, inside content controls too."""
    out: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    try:  # style id -> name, once (python-docx's per-paragraph lookup is quadratic)
        for st in document.styles.element.style_lst:
            if st.styleId:
                names[st.styleId] = st.name_val or st.styleId
    except Exception:  # noqa: BLE001 - a broken styles part only costs us the Title style
        pass

    def walk(container) -> None:
        for child in container:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == _W + "p":
                ps = child.find(f"{_W}pPr/{_W}pStyle")
                style_id = ps.get(_W + "val", "") if ps is not None else ""
                out.append((names.get(style_id, style_id), _p_text(child)))
            elif tag == _W + "tbl":
                for row in child.iter(_W + "tr"):
                    cells = []
                    for tc in row.findall(_W + "tc"):
                        cell = " ".join(t for t in (_p_text(p).strip() for p in tc.iter(_W + "p")) if t)
                        if cell:
                            cells.append(cell)
                    if cells:
                        out.append(("table", " | ".join(cells)))
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"):
                walk(child)

    walk(document.element.body)
    return out


def read_docx(path: Path, data: bytes, display: str, settings: Settings) -> list[Article]:
    zf = check_zip(data, settings)
    _defused_parse(zf, "word/document.xml")
    _defused_parse(zf, "docProps/core.xml")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except ReadError:
        raise
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds on broken packages
        raise ReadError(f"not a readable DOCX ({type(e).__name__}: {str(e)[:120]})") from None
    title = None
    published = None
    author = None
    try:
        cp = document.core_properties
        title = (cp.title or "").strip() or None
        author = (cp.author or "").strip() or None
        created = cp.created
    except Exception:  # noqa: BLE001 - malformed core properties are not fatal
        created = None
    blocks = _iter_block_text(document)
    lines: list[str] = []
    for style, text in blocks:
        t = text.strip()
        if not t:
            lines.append("")
            continue
        if title is None and style.lower() in ("title", "titel", "titre", "título", "tiêu đề"):
            title = t
            continue
        if title and not lines and " ".join(t.split()) == " ".join(title.split()):
            continue  # the headline repeated as the first paragraph
        lines.append(t)
        lines.append("")  # paragraphs are separated by a blank line
    text = clean_text("\n".join(lines))
    cleaned = clean_scrape(text, detect_title=title is None, tables=True)
    if not cleaned.text.strip():
        raise ReadError("no text in the document")
    meta = {"author": author}
    if created is not None:
        try:
            meta["created"] = created.date().isoformat()
        except Exception:  # noqa: BLE001
            pass
    return [
        Article(
            id=article_id(display),
            path=display,
            text=cleaned.text,
            title=clean_text(title) if title else cleaned.title,
            url=cleaned.url,
            published=published,
            source_format="docx",
            removed=cleaned.removed,
            meta=meta,
        )
    ]
