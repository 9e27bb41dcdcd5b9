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


def _iter_block_text(document) -> list[tuple[str, str]]:
    """(style name, text) for paragraphs and table cells in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    try:  # style id -> name, once (python-docx's per-paragraph lookup is quadratic)
        for st in document.styles.element.style_lst:
            if st.styleId:
                names[st.styleId] = st.name_val or st.styleId
    except Exception:  # noqa: BLE001 - a broken styles part only costs us the Title style
        pass
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, document)
            try:
                style_id = child.pPr.pStyle.val if child.pPr is not None and child.pPr.pStyle is not None else ""
            except Exception:  # noqa: BLE001 - broken style references
                style_id = ""
            out.append((names.get(style_id, style_id or ""), p.text))
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells = []
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell.text.strip())
                line = " | ".join(c for c in cells if c)
                if line:
                    out.append(("table", line))
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
