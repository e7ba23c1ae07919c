"""Parsing a fetched feed body into EntryData with feedparser, after a few safety checks.

feedparser only ever sees a BytesIO (never a str, which it may treat as a URL or a file name).
Documents declaring XML entities are refused before parsing. HTML sanitising and relative-URI
resolution are off (blogtui renders and sanitises text itself), which halves feedparser's time;
large CDATA blocks of article HTML are also kept out of feedparser's per-character work (see
core/feeds/shield.py) and put back afterwards.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser

from blogtui.core.errors import FeedError
from blogtui.core.feeds.shield import Shield
from blogtui.core.models import EntryData

MAX_ENTRIES = 2000
"""At most this many entries are kept from one feed (the first ones, newest in practice)."""

_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_XML_DECL = re.compile(r"""^<\?xml[^>]{0,300}?\?>""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_HTML_ROOTS = frozenset({"html", "head", "body"})
_UTF8_NAMES = frozenset({"utf-8", "ascii"})


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed: its title and site, its entries, and why it was malformed, if it was."""

    title: str
    site_url: str
    entries: list[EntryData] = field(default_factory=list)
    malformed: str = ""
    """feedparser's complaint about a broken document whose entries were still read."""
    api_root: str = ""
    """The WordPress REST root announced in a `Link: <...>; rel="https://api.w.org/"` header."""


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 are read as windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", "replace"), error.end


codecs.register_error("blogtui.cp1252", _cp1252_fallback)


# --- the prolog ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prolog:
    """What comes before a document's root element."""

    entities: bool = False
    """Whether it declares XML entities (such documents are refused)."""
    doctype: str = ""
    root: str = ""


def _head_text(body: bytes) -> str:
    """The document as text, good enough to read its markup before the root element."""
    if body[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return body.decode("utf-32", "replace")
    if body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return body.decode("utf-16", "replace")
    if body[:4] == b"<\0?\0":
        return body.decode("utf-16-le", "replace")
    if body[:4] == b"\0<\0?":
        return body.decode("utf-16-be", "replace")
    return body.decode("latin-1")


def _declaration_end(text: str, start: int) -> int:
    """Where a `<!...>` declaration (a DOCTYPE with its internal subset) ends."""
    i, depth, quote = start + 2, 0, ""
    while i < len(text):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = len(text) if end < 0 else end + 3
            continue
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif char == ">" and depth == 0:
            return i + 1
        i += 1
    return len(text)


def scan_prolog(text: str) -> Prolog:
    """Read the markup before the root element: entity declarations, DOCTYPE name, root name."""
    i, doctype = 0, ""
    while (start := text.find("<", i)) >= 0:
        if text.startswith("<!--", start) or text.startswith("<?", start):
            close = "-->" if text.startswith("<!--", start) else "?>"
            end = text.find(close, start + 2)
            if end < 0:
                return Prolog(doctype=doctype)
            i = end + len(close)
        elif text.startswith("<!", start):
            end = _declaration_end(text, start)
            declaration = text[start:end]
            if _ENTITY.search(declaration):
                return Prolog(entities=True)
            if declaration[2:9].upper() == "DOCTYPE" and (name := _NAME.search(declaration, 9)):
                doctype = doctype or name.group(0)
            i = end
        else:
            name = _NAME.match(text, start + 1)
            return Prolog(doctype=doctype, root=name.group(0) if name else "")
    return Prolog(doctype=doctype)


def _check_document(body: bytes) -> None:
    """Refuse empty bodies, entity declarations and HTML pages."""
    if not body.strip():
        raise FeedError("empty document")
    prolog = scan_prolog(_head_text(body))
    if prolog.entities:
        raise FeedError("document declares XML entities")
    local = prolog.root.rpartition(":")[2].lower()
    if local in _HTML_ROOTS or prolog.doctype.lower() == "html":
        raise FeedError("not a feed (looks like an HTML page)")


# --- character sets -----------------------------------------------------------------------------


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def _http_charset(content_type: str) -> str:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else ""


def _as_utf8_text(body: bytes, http_charset: str) -> tuple[str | None, str]:
    """The body as text when it is (or claims to be) UTF-8, plus a note when bytes were repaired.

    Documents declaring another charset, or with a UTF-16/32 byte order, return None: feedparser
    decodes those. Bytes that are not UTF-8 in a UTF-8 document are read as windows-1252, so both
    a whole windows-1252 document sent as UTF-8 and one stray byte keep their umlauts.
    """
    if body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or body[:1] == b"\0":
        return None, ""
    match = _XML_ENCODING.match(body.removeprefix(codecs.BOM_UTF8))
    xml_charset = match.group(1).decode("ascii") if match else ""
    declared = {_codec(name) for name in (http_charset, xml_charset) if name}
    if declared - _UTF8_NAMES:
        return None, ""
    body = body.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8"), ""
    except UnicodeDecodeError:
        text = body.decode("utf-8", "blogtui.cp1252")
        return text, "not valid UTF-8; read the stray bytes as windows-1252"


# --- feedparser ---------------------------------------------------------------------------------


def _feedparser(body: bytes, content_type: str) -> Any:
    """feedparser on a byte stream; no Content-Location, so no relative guid takes the feed's
    URL into an article's identity (links are resolved afterwards, see `_absolute`)."""
    headers = {"content-type": content_type}
    return feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _bozo_reason(result: Any) -> str:
    """feedparser's complaint about the document, or "" (media-type quibbles are ignored)."""
    if not result.get("bozo"):
        return ""
    error = result.get("bozo_exception")
    if error is None or isinstance(error, feedparser.NonXMLContentType):
        return ""
    text = str(error).strip() or type(error).__name__
    text = re.sub(r"^<unknown>:(\d+):(\d+): ", r"line \1, column \2: ", text)
    return text.splitlines()[0][:200] if text else type(error).__name__


def _run(body: bytes, headers: dict[str, str], shield: bool) -> tuple[Any, Shield, str]:
    """feedparser's result for `body`, the shield it used and a note about repaired bytes."""
    http_charset = _http_charset(headers.get("content-type", ""))
    content_type = f"application/xml; charset={http_charset}" if http_charset else "application/xml"
    text, note = _as_utf8_text(body, http_charset)
    guard = Shield()
    if text is None:
        return _feedparser(body, content_type), guard, note
    data = text
    if shield:
        data = guard.hide(text)
    if note:
        data = _XML_DECL.sub("", data, count=1)
        data = '<?xml version="1.0" encoding="utf-8"?>' + data
    result = _feedparser(data.encode("utf-8"), "application/xml; charset=utf-8")
    if guard.blocks and _bozo_reason(result):
        guard = Shield()  # a broken document goes through feedparser exactly as it came
        result = _feedparser(text.encode("utf-8"), "application/xml; charset=utf-8")
    return result, guard, note


# --- entries ------------------------------------------------------------------------------------


def _epoch(parsed: Any) -> float | None:
    if not parsed:
        return None
    try:
        return float(calendar.timegm(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


def _count(value: Any) -> int | None:
    try:
        count = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return count if count >= 0 else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _absolute(base: str, url: str) -> str:
    """`url` resolved against `base` (feedparser has already resolved most links)."""
    if not url or url.startswith(("https://", "http://")):
        return url
    return urljoin(base, url)


def _first(entry: Any, *keys: str) -> Any:
    """The first of `keys` that `entry` has (read as a plain dict: no feedparser aliases)."""
    for key in keys:
        value = dict.get(entry, key)
        if value is not None and value != "":
            return value
    return None


def _replies_feed(entry: Any, base: str) -> str:
    for link in dict.get(entry, "links") or []:
        if dict.get(link, "rel") == "replies" and dict.get(link, "type") == "application/atom+xml":
            return _absolute(base, _text(dict.get(link, "href")))
    return ""


def _key(guid: str, link: str, title: str, entry: Any) -> str:
    if guid:
        return guid
    if link:
        return link
    date = _first(entry, "published", "updated") or ""
    digest = hashlib.sha1(f"{title}\x1f{date}".encode("utf-8", "replace")).hexdigest()
    return f"sha1:{digest}"


def _entry(entry: Any, url: str, guard: Shield) -> EntryData:
    guid = _text(dict.get(entry, "id"))
    title = guard.restore(_text(dict.get(entry, "title")))
    link = _absolute(url, _text(dict.get(entry, "link")))
    contents = dict.get(entry, "content") or []
    content = dict.get(contents[0], "value", "") if contents else dict.get(entry, "summary", "")
    published = _epoch(dict.get(entry, "published_parsed"))
    updated = _epoch(dict.get(entry, "updated_parsed"))
    comments = _text(dict.get(entry, "comments"))
    comment_feed = _text(_first(entry, "wfw_commentrss", "wfw_commentRSS"))
    return EntryData(
        key=_key(guid, link, title, entry),
        title=title,
        author=guard.restore(_text(dict.get(entry, "author"))),
        link=link,
        published=published if published is not None else updated,
        updated=updated,
        content=guard.restore(content if isinstance(content, str) else ""),
        guid=guid,
        comment_count=_count(_first(entry, "slash_comments", "thr_total")),
        comments_url=_absolute(url, comments),
        comment_feed=_absolute(url, comment_feed),
        replies_feed=_replies_feed(entry, url),
    )


def api_root(headers: dict[str, str], url: str) -> str:
    """The WordPress REST API root from a `Link` header, resolved against `url`, or ""."""
    for match in _LINK.finditer(headers.get("link", "")):
        rels = re.findall(r"""rel\s*=\s*["']?([^"';]+)""", match.group(2))
        if any("https://api.w.org/" in rel.split() for rel in rels):
            return urljoin(url, match.group(1).strip())
    return ""


def parse_feed(
    body: bytes, url: str, headers: dict[str, str] | None = None, *, shield: bool = True
) -> ParsedFeed:
    """Parse a feed body fetched from `url`; raises FeedError when it is not a feed.

    `headers` are the response's (lowercased names). A malformed feed whose entries could still
    be read is returned with `malformed` saying what was wrong.
    """
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    _check_document(body)
    result, guard, note = _run(body, headers, shield)
    reason = _bozo_reason(result)
    entries = result.get("entries") or []
    info = result.get("feed") or {}
    if not entries and not info:
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed")
    if not entries and not result.get("version"):
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed (unknown format)")
    return ParsedFeed(
        title=guard.restore(_text(dict.get(info, "title"))),
        site_url=_absolute(url, _text(dict.get(info, "link"))),
        entries=[_entry(entry, url, guard) for entry in entries[:MAX_ENTRIES]],
        malformed=reason or note,
        api_root=api_root(headers, url),
    )
