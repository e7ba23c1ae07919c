"""Which character encoding an XML feed is read in, decided once, before feedparser sees it.

RFC 7303 §3 (which obsoletes RFC 3023's rules) orders the evidence: a byte order mark is
authoritative (§3.3), then the charset parameter of the Content-Type (§3.2), then the XML
declaration, then what the first bytes show (XML 1.0 §4.3.3 and Appendix F), else UTF-8.
Evidence that cannot be true is passed over, as feedparser does with its fallbacks: a UTF-16 or
UTF-32 charset for a document whose first bytes are 8-bit text, a charset Python does not know.
When the winner fails on the bytes, the others are tried in feedparser's order (declared, UTF-8,
windows-1252, ISO-8859-2); UTF-8 with a few stray bytes reads those as windows-1252.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_XML_ENCODING = re.compile(r"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
_WIDE = ("utf-16", "utf-32", "ucs-2", "ucs-4", "ucs2", "ucs4", "utf16", "utf32", "unicode")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFFED = (
    (b"\0\0\0<", "utf-32-be"),
    (b"<\0\0\0", "utf-32-le"),
    (b"\0<\0?", "utf-16-be"),
    (b"<\0?\0", "utf-16-le"),
)
REPAIR = "blogtui.cp1252"
"""The decode error handler that reads bytes which are not UTF-8 as windows-1252."""
_ALIASES = {"gb2312": "gb18030", "ascii": "utf-8", "us-ascii": "utf-8"}
"""GB2312 is read as its superset gb18030 (as feedparser does), ASCII as its superset UTF-8."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A document as text and how it was read."""

    text: str
    encoding: str
    """The codec that won ("utf-8", "windows-1252", "utf-16-le", ...)."""
    source: str
    """What decided it: "byte order mark", "HTTP charset", "XML declaration", ..."""
    note: str = ""
    """Set when bytes were invalid in the declared encoding (the document was repaired)."""

    @property
    def description(self) -> str:
        """The encoding and its source, for the feed details: "utf-8 (XML declaration)"."""
        return f"{self.encoding} ({self.source})"


def _codec(name: str) -> str:
    """Python's codec for a charset name, or "" when Python does not know it."""
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    return {"cp1252": "windows-1252", "iso8859-1": "iso-8859-1"}.get(codec, codec)


def _wide(codec: str) -> bool:
    return codec.startswith(_WIDE)


def _bom(body: bytes) -> tuple[str, int]:
    for mark, codec in _BOMS:
        if body.startswith(mark):
            if codec == "utf-16-le" and body[2:4] == b"\0\0":
                continue  # that is UTF-32-LE's mark, handled above
            return codec, len(mark)
    return "", 0


def _sniff(body: bytes) -> str:
    """The UTF-16/32 family the first bytes show without a BOM (XML 1.0 Appendix F), or ""."""
    for start, codec in _SNIFFED:
        if body.startswith(start):
            return codec
    return ""


def _declared(body: bytes, family: str) -> str:
    """The encoding named by the XML declaration, read in `family` (or as ASCII)."""
    head = body[:512]
    try:
        text = head.decode(family, "ignore") if family else head.decode("latin-1")
    except LookupError:
        return ""
    match = _XML_ENCODING.match(text.lstrip("\ufeff"))
    return match.group(1) if match else ""


def _candidates(body: bytes, http_charset: str) -> tuple[list[tuple[str, str]], int]:
    """(codec, source) pairs in order of authority, and how many bytes of BOM to skip."""
    bom, skip = _bom(body)
    family = bom or _sniff(body)
    eight_bit = not family or family == "utf-8"
    declared = _codec(_declared(body[skip:], family if family != "utf-8" else ""))
    header = _codec(http_charset) if http_charset else ""
    if header in ("utf-16", "utf-32") and family.startswith(header):
        header = family  # "utf-16" without a byte order: the one the first bytes show
    ordered: list[tuple[str, str]] = []
    if bom:
        ordered.append((bom, "byte order mark"))
    if header and not (eight_bit and _wide(header)):
        ordered.append((header, "HTTP charset"))
    if declared and not (eight_bit and _wide(declared)):
        if family and _wide(declared) and not bom:
            declared = family  # "utf-16" declared, the byte order shown by the first bytes
        ordered.append((declared, "XML declaration"))
    if family:
        ordered.append((family, "first bytes"))
    ordered.append(("utf-8", "XML default"))
    if header and eight_bit and _wide(header):
        first, why = ordered[0]
        ordered[0] = (first, f"{why}; the HTTP charset {http_charset.strip()} cannot be right")
    return ordered, skip


def decode(body: bytes, http_charset: str = "") -> Decoded:
    """`body` as text, read in the encoding RFC 7303 §3 picks (see the module docstring)."""
    ordered, skip = _candidates(body, http_charset)
    data = body[skip:]
    winner, source = ordered[0]
    for codec, why in ordered:
        try:
            return Decoded(data.decode(codec), codec, why, _note(winner, codec))
        except (UnicodeDecodeError, LookupError):
            continue
    if any(codec == "utf-8" for codec, _ in ordered[:-1]) or winner == "utf-8":
        text = data.decode("utf-8", REPAIR)
        note = "not valid UTF-8; read the stray bytes as windows-1252"
        return Decoded(text, "utf-8", source if winner == "utf-8" else "fallback", note)
    for codec in ("windows-1252", "iso-8859-2"):
        try:
            return Decoded(data.decode(codec), codec, "fallback", _note(winner, codec))
        except UnicodeDecodeError:
            continue
    return Decoded(data.decode("latin-1"), "iso-8859-1", "fallback", _note(winner, "iso-8859-1"))


def _note(winner: str, used: str) -> str:
    if winner == used:
        return ""
    return f"declared as {winner} but not valid {winner}; read as {used}"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 are read as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", "replace"), error.end


codecs.register_error(REPAIR, _cp1252_fallback)
