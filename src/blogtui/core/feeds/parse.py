"""Parsing a fetched feed body into EntryData with feedparser, after a few safety checks.

feedparser only ever sees a BytesIO (never a str, which it may treat as a URL or a file name).
Documents declaring XML entities are refused before parsing; the character encoding is decided
first (core/feeds/charset.py, RFC 7303 §3). feedparser's HTML sanitising and relative-URI
resolution are off (blogtui renders and sanitises text itself, and resolves links in bodies
with core/feeds/fields.py), which halves feedparser's time; large CDATA blocks of article HTML
are also kept out of feedparser's per-character work (see core/feeds/shield.py) and put back
afterwards. Field rules (titles, authors, text bodies, links) live in core/feeds/fields.py; JSON
Feed documents go to core/feeds/jsonfeed.py.
"""

from __future__ import annotations

import calendar
import codecs
import io
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

import feedparser

from blogtui.core.errors import FeedError
from blogtui.core.feeds import charset, enclosures, fields
from blogtui.core.feeds.fields import stripped
from blogtui.core.feeds.jsonfeed import looks_like_json, parse_json_feed
from blogtui.core.feeds.parsed import MAX_ENTRIES, ParsedFeed
from blogtui.core.feeds.shield import Shield
from blogtui.core.models import EntryData

__all__ = ["MAX_ENTRIES", "ParsedFeed", "api_root", "parse_feed", "scan_prolog"]

_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"""^<\?xml[^>]{0,300}?\?>""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_HTML_ROOTS = frozenset({"html", "head", "body"})


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


def _http_charset(content_type: str) -> str:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else ""


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


@dataclass(frozen=True, slots=True)
class _Run:
    """feedparser's result, the shield it used and how the bytes were read."""

    result: Any
    guard: Shield
    decoded: charset.Decoded


def _run(body: bytes, headers: dict[str, str], shield: bool) -> _Run:
    """feedparser on `body`, decoded first by charset.decode and handed over as UTF-8."""
    decoded = charset.decode(body, _http_charset(headers.get("content-type", "")))
    text = _XML_DECL.sub("", decoded.text.lstrip("\ufeff"), count=1)
    text = '<?xml version="1.0" encoding="utf-8"?>' + text
    guard = Shield()
    data = guard.hide(text) if shield else text
    result = _feedparser(data.encode("utf-8"), "application/xml; charset=utf-8")
    if guard.blocks and _bozo_reason(result):
        guard = Shield()  # a broken document goes through feedparser exactly as it came
        result = _feedparser(text.encode("utf-8"), "application/xml; charset=utf-8")
    return _Run(result, guard, decoded)


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
            return fields.absolute(base, stripped(dict.get(link, "href")))
    return ""


def _id_is_link(entry: Any) -> bool:
    """Whether feedparser took the entry's link from its id (there was no link element)."""
    return bool(dict.get(entry, "guidislink")) and not dict.get(entry, "links")


def _other_links(entry: Any) -> list[str]:
    """The entry's alternate links in order, then its media:player's address."""
    found = [
        stripped(dict.get(link, "href"))
        for link in dict.get(entry, "links") or []
        if isinstance(link, dict) and dict.get(link, "rel") in (None, "", "alternate")
    ]
    player = dict.get(entry, "media_player")
    if isinstance(player, dict):
        found.append(stripped(dict.get(player, "url")))
    return [href for href in found if href]


def _people(holder: Any) -> list[dict[str, object]]:
    """The authors feedparser read for an entry, a source or a feed (dicts only)."""
    if not isinstance(holder, dict):
        return []
    people = [p for p in dict.get(holder, "authors") or [] if isinstance(p, dict)]
    if not people and isinstance(detail := dict.get(holder, "author_detail"), dict):
        people = [detail]
    if not people and isinstance(name := dict.get(holder, "author"), str):
        people = [{"name": name}]
    return [p for p in people if p.get("name") or p.get("email")]


class _Document:
    """One feedparser result and what every entry needs from it."""

    def __init__(self, run: _Run, url: str, base: str) -> None:
        self.url = url
        """Where the document was fetched from (after redirects): identities use it."""
        self.base = base
        """The document's base URI: its Content-Location, else `url`."""
        self.guard = run.guard
        version = str(run.result.get("version") or "")
        self.atom = version.startswith("atom")
        self.feed_authors = _people(run.result.get("feed")) if self.atom else []

    def authors(self, entry: Any) -> tuple[str, str]:
        """Names and addresses; an Atom entry without authors takes its source's, else the
        feed's (RFC 4287 §4.2.1)."""
        people = _people(entry)
        if not people and self.atom:
            people = _people(dict.get(entry, "source")) or self.feed_authors
        names, emails = fields.authors(people)
        return self.guard.restore(names), self.guard.restore(emails)

    def body(self, entry: Any) -> str:
        """The entry's content (else its summary) as HTML with its links made absolute."""
        # The first content with a value (an Atom content with src= has none), else the summary.
        contents = [c for c in dict.get(entry, "content") or [] if isinstance(c, dict)]
        filled = [c for c in contents if isinstance(c.get("value"), str) and c["value"].strip()]
        detail = filled[0] if filled else dict.get(entry, "summary_detail") or {}
        if not isinstance(detail, dict):
            detail = {}
        value = detail.get("value")
        if not isinstance(value, str):
            value = dict.get(entry, "summary")
        value = self.guard.restore(value if isinstance(value, str) else "")
        kind = str(detail.get("type") or "")
        value = fields.body_html(value, kind, guess=not self.atom)
        # xml:base in scope as feedparser tracked it, resolved against the document's URL.
        base = fields.absolute(self.base, str(detail.get("base") or "")) or self.base
        value = fields.resolve_links(value, base)
        found = enclosures.of_entry(entry, self.base, self.guard.restore)
        return value + enclosures.attachments_html(found, value)

    def entry(self, entry: Any) -> EntryData:
        """One entry as EntryData."""
        guid = stripped(dict.get(entry, "id"))
        raw_title = self.guard.restore(stripped(dict.get(entry, "title")))
        title_type = dict.get(dict.get(entry, "title_detail") or {}, "type") or "text"
        raw_link = stripped(dict.get(entry, "link"))
        link = fields.web_link(self.base, raw_link, _other_links(entry), from_id=_id_is_link(entry))
        content = self.body(entry)
        published = _epoch(dict.get(entry, "published_parsed"))
        updated = _epoch(dict.get(entry, "updated_parsed"))
        comments = stripped(dict.get(entry, "comments"))
        comment_feed = stripped(_first(entry, "wfw_commentrss", "wfw_commentRSS"))
        author, author_email = self.authors(entry)
        date = str(_first(entry, "published", "updated") or "")
        title = fields.plain_title(raw_title, str(title_type))
        return EntryData(
            key=fields.entry_key(guid, fields.absolute(self.url, raw_link), raw_title, date),
            title=title or fields.fallback_title(content, link),
            author=author,
            author_email=author_email,
            link=link,
            published=published if published is not None else updated,
            updated=updated,
            content=content,
            guid=guid,
            comment_count=_count(_first(entry, "slash_comments", "thr_total")),
            comments_url=fields.absolute(self.base, comments),
            comment_feed=fields.absolute(self.base, comment_feed),
            replies_feed=_replies_feed(entry, self.base),
        )


def document_base(url: str, headers: dict[str, str]) -> str:
    """The base URI of a fetched document: its Content-Location resolved against `url`, else
    `url` (RFC 3986 §5.1.2-5.1.3: the encapsulating entity's base, else the retrieval URI)."""
    location = headers.get("content-location", "").strip()
    if not location or len(location) > 4000:
        return url
    resolved = fields.absolute(url, location)
    return resolved if resolved.lower().startswith(("http://", "https://")) else url


def api_root(headers: dict[str, str], url: str) -> str:
    """The WordPress REST API root from a `Link` header, resolved against `url`, or ""."""
    for match in _LINK.finditer(headers.get("link", "")):
        rels = re.findall(r"""rel\s*=\s*["']?([^"';]+)""", match.group(2))
        if any("https://api.w.org/" in rel.split() for rel in rels):
            return str(urljoin(url, str(match.group(1)).strip()))
    return ""


def parse_feed(
    body: bytes, url: str, headers: dict[str, str] | None = None, *, shield: bool = True
) -> ParsedFeed:
    """Parse a feed body fetched from `url` (after redirects); raises FeedError when it is not
    a feed. RSS, Atom, RDF and JSON Feed (core/feeds/jsonfeed.py) are read.

    `headers` are the response's (lowercased names). A malformed feed whose entries could still
    be read is returned with `malformed` saying what was wrong.
    """
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    if looks_like_json(body):
        parsed = parse_json_feed(body, url)
        entries = fields.distinct_keys(parsed.entries)
        return replace(parsed, entries=entries, api_root=api_root(headers, url))
    _check_document(body)
    run = _run(body, headers, shield)
    result = run.result
    reason = _bozo_reason(result)
    entries = result.get("entries") or []
    info = result.get("feed") or {}
    if not entries and not info:
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed")
    if not entries and not result.get("version"):
        raise FeedError(f"not a feed: {reason}" if reason else "not a feed (unknown format)")
    base = document_base(url, headers)
    document = _Document(run, url, base)
    title_type = dict.get(dict.get(info, "title_detail") or {}, "type") or "text"
    return ParsedFeed(
        title=fields.plain_title(run.guard.restore(stripped(dict.get(info, "title"))), title_type),
        site_url=fields.absolute(base, stripped(dict.get(info, "link"))),
        entries=fields.distinct_keys([document.entry(entry) for entry in entries[:MAX_ENTRIES]]),
        malformed=reason or run.decoded.note,
        api_root=api_root(headers, url),
        encoding=run.decoded.description,
    )
