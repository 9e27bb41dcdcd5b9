"""Bytes of unknown encoding -> clean NFC text.

Order of trust: a byte-order mark, then UTF-16/32 recognised by their NUL pattern, then strict
UTF-8, then a hint (``<meta charset>`` in HTML, a MIME charset) if it decodes cleanly, then
Windows-1258 when the bytes carry Vietnamese combining tone marks, then charset-normalizer, with
Windows-1252 preferred over other Latin code pages when it reads more plausibly. Mojibake
("TrÆ°á»Ÿng") is repaired with ftfy only when the text looks like mojibake. The result is NFC
(Windows-1258 writes tones as combining marks, so NFC matters for every later comparison).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from . import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: magic numbers of binary formats that are sometimes given a text extension by mistake
_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX?)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0", "an old MS Office file (.doc/.xls)"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)

# C0 controls other than tab, newline, carriage return, form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# half a surrogate pair: a JSON string may escape one ("\ud800"); no UTF-8 writer can encode it
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_C0_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"

# Windows-1258 bytes of the five combining tone marks (grave, acute, tilde, hook, dot below)
_CP1258_TONES = re.compile(rb"[AEIOUYaeiouy\xc2\xca\xd4\xe2\xea\xf4\xc3\xe3\xd5\xf5\xdd\xfd][\xcc\xec\xde\xd2\xf2]")
# đ ư ơ ă (and capitals) in Windows-1258: letters a Western text in Windows-1252 (ð ý õ ã) rarely has together
_CP1258_LETTERS = re.compile(rb"[\xf0\xd0\xfd\xdd\xf5\xd5\xe3\xc3]")

_LATIN_FAMILY = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "cp437", "cp850", "cp852", "cp858", "hp_roman8",
}
_PLAUSIBLE = set(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒ"
    "ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰăîâșțĂÎÂȘȚğışĞİŞ€–—‘’‚“”„…•°«»"
)


#: Vietnamese letters (precomposed, as NFC gives them) beyond Latin-1
_VIETNAMESE = set(unicodedata.normalize("NFC", "ăâđêôơưĂÂĐÊÔƠƯ")) | {chr(c) for c in range(0x1EA0, 0x1EFA)} | set(
    "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵÀÁẢÃẠÈÉẺẼẸÌÍỈĨỊÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ")


def sniff_binary(data: bytes) -> str | None:
    """Name of a binary format the bytes start with, if any."""
    head = data[:8]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def _nul_pattern(data: bytes) -> str | None:
    """UTF-16/32 without a BOM: NUL bytes at regular positions."""
    sample = data[:4000]
    n = len(sample) - len(sample) % 4
    if n < 8 or sample.count(0) < n // 4:
        return None
    q = [sample[i:n:4].count(0) / (n // 4) for i in range(4)]
    if q[2] > 0.95 and q[3] > 0.95 and q[0] < 0.5:
        return "utf-32-le"
    if q[0] > 0.95 and q[1] > 0.95 and q[3] < 0.5:
        return "utf-32-be"
    even = (q[0] + q[2]) / 2
    odd = (q[1] + q[3]) / 2
    if odd > 0.6 and even < 0.2:
        return "utf-16-le"
    if even > 0.6 and odd < 0.2:
        return "utf-16-be"
    return None


_MULTIBYTE = {
    "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_jis_2004",
    "euc_jisx0213", "shift_jis_2004", "shift_jisx0213", "euc_kr", "cp949", "johab", "iso2022_jp", "iso2022_kr",
    "hz", "utf_16", "utf_32",
}


def _latin_script(text: str) -> bool:
    """Are the letters of this decoding mostly Latin (so Windows-1252 is a fair rival)?"""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if c < "\u0250" or "\u1e00" <= c <= "\u1eff")
    return latin >= 0.9 * len(letters)


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are letters a Latin-script text plausibly contains."""
    text = unicodedata.normalize("NFC", text)
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    ok = sum(c in _PLAUSIBLE or c in _VIETNAMESE for c in non_ascii)
    return ok / len(non_ascii)


def _looks_vietnamese_1258(data: bytes) -> bool:
    sample = data[:200_000]
    tones = len(_CP1258_TONES.findall(sample))
    letters = len(_CP1258_LETTERS.findall(sample))
    return tones >= 3 and letters >= 2 and (tones + letters) * 100 >= len(sample)


def _normalise_name(enc: str) -> str:
    try:
        return codecs.lookup(enc).name.replace("-", "_")
    except LookupError:
        return enc


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode to text; returns (text, encoding). Raises ReadError for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    enc = _nul_pattern(data)
    if enc:
        return data.decode(enc, errors="replace"), enc
    if not data:
        return "", "utf-8"
    what = sniff_binary(data)
    if what:
        raise ReadError(f"binary data: looks like {what}, not text")
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _C0_BYTES))  # one pass, not one per byte value
    if controls > max(8, len(sample) // 50):
        raise ReadError("binary data, not text (many control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if hint:
        try:
            name = _normalise_name(codecs.lookup(hint).name)
            # a page mislabelled Latin-1/Windows-1252 that is really Vietnamese Windows-1258
            if not (name in ("cp1252", "latin_1", "iso8859_1", "iso8859_15") and _looks_vietnamese_1258(data)):
                return data.decode(hint), name
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    if _looks_vietnamese_1258(data):
        try:
            return data.decode("cp1258"), "cp1258"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        # mostly-valid UTF-8 with a few broken bytes is more likely than an exotic code page
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") * 20 < len(text):
            return text, "utf-8 (with replacements)"
        raise ReadError("binary data, not text (no character encoding fits the bytes)")
    enc = _normalise_name(best.encoding)
    non_ascii = sum(1 for b in data[:65536] if b >= 0x80)
    if enc in _MULTIBYTE and non_ascii < 16:
        # a handful of accented letters is not enough evidence for a CJK code page
        for single in (("cp1258",) if _CP1258_TONES.search(data) else ()) + ("cp1252",):
            try:
                return data.decode(single), single
            except UnicodeDecodeError:
                continue
    if enc != "cp1252" and (enc in _LATIN_FAMILY or _latin_script(str(best)[:20000])):
        try:
            alt = data.decode("cp1252")
        except UnicodeDecodeError:
            alt = None
        if alt is not None:
            chosen = data.decode(enc, errors="replace")
            p_alt, p_chosen = _plausibility(alt[:200_000]), _plausibility(chosen[:200_000])
            if p_alt > p_chosen or (p_alt == p_chosen and enc != "cp1258"):
                return alt, "cp1252"
            return chosen, enc
    try:
        return data.decode(enc, errors="replace"), enc
    except LookupError:
        return str(best), enc


# UTF-8 read as a single-byte code page: a lead byte (Â..ô) followed by a continuation byte shown
# as Latin-1 or Windows-1252 (€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ and U+0080..U+00BF). Cheap pre-check.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def looks_like_mojibake(text: str) -> bool:
    sample = text[:200_000]
    if not _MOJIBAKE_HINT.search(sample):
        return False
    import ftfy.badness

    return ftfy.badness.is_bad(sample)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-Latin-1 and similar, conservatively (nothing else is changed)."""
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
        replace_lossy_sequences=False, decode_inconsistent_utf8=True, fix_c1_controls=False,
        fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_surrogates=True, remove_control_chars=False, normalization=None, explain=False,
    )
    return ftfy.fix_text(text, config)


def without_lone_surrogates(text: str) -> str:
    """``text`` with each half of a surrogate pair replaced by U+FFFD (a JSON string may escape
    one; no UTF-8 writer, PDF or DOCX can hold it)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def clean_text(text: str) -> str:
    """Drop NULs and stray control characters, replace lone surrogates with U+FFFD, repair safe
    mojibake, normalise to NFC."""
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = without_lone_surrogates(text)
    if "\x0c" in text:  # form feed: a page break, i.e. a paragraph break
        text = text.replace("\x0c", "\n")
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if looks_like_mojibake(text):
        text = fix_mojibake(text)
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, hint: str | None = None) -> str:
    """Decode bytes of unknown encoding to clean NFC text."""
    text, _enc = decode_bytes(data, hint)
    return clean_text(text)
