"""decode: the bytes of a scraped page → text.

Government sites in mainland China serve UTF-8 or GBK/GB18030; Hong Kong and Taiwan mirrors,
and some old CMSs, serve Big5. The order of evidence is: a byte-order mark, the charset the
page declares in its HTML `<meta>`, strict UTF-8, and only then a guess between the Chinese
legacy encodings (charset-normalizer, with GB18030 as the last resort because it accepts
almost any byte string).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from app.ingest.draft import Draft
from app.ingest.record import ParseFailure

# Bounded work: a scraped letter is a few dozen kilobytes; anything past this is not a letter
# page worth parsing in full, and cutting it keeps every later regex linear in a small input.
MAX_BYTES = 1_000_000

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""", re.IGNORECASE)
_LOOKS_HTML = re.compile(r"<\s*(html|body|div|p|head|meta|title|span|table|br)\b", re.IGNORECASE)

# Legacy names sites declare for what is, in practice, a superset encoding.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5-hkscs": "big5hkscs"}

_CHINESE_LEGACY = ("gb18030", "big5")
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess_legacy(raw: bytes) -> str:
    """GB18030 or Big5 for bytes that are not UTF-8: strict decoding first, then a statistical guess."""
    fits = []
    for encoding in _CHINESE_LEGACY:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        fits.append(encoding)
    if len(fits) == 1:
        return fits[0]
    best = charset_normalizer.from_bytes(raw[:20000], cp_isolation=["gb18030", "big5", "utf_8"]).best()
    if best is not None and best.encoding in ("big5", "big5hkscs"):
        return "big5"
    return "gb18030"


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) for the raw bytes; raises ParseFailure for binary content."""
    if not raw.strip():
        raise ParseFailure("not a text document: empty")
    raw = raw[:MAX_BYTES]
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace"), "utf-16"
    if b"\x00" in raw:
        raise ParseFailure("not a text document: contains NUL bytes")
    declared = _declared_charset(raw)
    if declared:
        try:
            return raw.decode(declared), declared
        except UnicodeDecodeError:
            pass  # sites lie about their charset; fall through to the evidence of the bytes
    try:
        # Incremental decoding tolerates a character cut in half by the MAX_BYTES limit.
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=False), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy(raw)
    return raw.decode(encoding, "replace"), encoding


def _is_binary(text: str) -> bool:
    """Control characters (other than whitespace) or replacement characters in quantity mean
    the bytes were not text in any encoding we know: an image, a PDF, a zip."""
    sample = text[:5000]
    if not sample:
        return True
    return len(_NOT_TEXT.findall(sample)) / len(sample) > 0.05


def decode(draft: Draft) -> Draft:
    """Bytes → str. Notes the encoding; rejects binary input with a ParseFailure."""
    text, encoding = decode_bytes(draft.raw)
    if _is_binary(text) or text.startswith("%PDF"):
        raise ParseFailure("not a text document: binary content")
    name = draft.name.lower()
    is_html = name.endswith((".html", ".htm")) or bool(_LOOKS_HTML.search(text[:3000]))
    return draft.replace(text=text, is_html=is_html).note(f"decode: {encoding}{', html' if is_html else ''}")
