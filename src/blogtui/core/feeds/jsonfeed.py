"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read into the same ParsedFeed.

The document is read with the standard json module behind guards: the body is already capped
by the fetch, nesting deeper than Python's recursion limit is refused (RecursionError), every
field is read by type (a wrong type counts as absent and is reported as a malformed note), and
every string is capped. Items get the same identity (`id`, else `url`, else a hash), the same
limits (MAX_ENTRIES) and the same field rules (core/feeds/fields.py) as XML entries.
"""

from __future__ import annotations

import codecs
import html
import json
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from blogtui.core.errors import FeedError
from blogtui.core.feeds import charset, enclosures, fields
from blogtui.core.feeds.logins import strip_userinfo
from blogtui.core.feeds.parsed import MAX_ENTRIES, ParsedFeed
from blogtui.core.models import EntryData

MAX_CONTENT = 2_000_000
"""Characters of content_html / content_text kept (what the reader renders at most)."""
MAX_URL = 4000
"""Longer URLs are ignored."""
MAX_ID = 2000
"""Longer ids are cut (identity stays stable: the same cut every time)."""
VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
"""The `version` URLs of JSON Feed 1.0 and 1.1 (http:// is accepted too)."""


def looks_like_json(body: bytes) -> bool:
    """True when the document starts (after a BOM and whitespace) like JSON ("{" or "[")."""
    return body[:1024].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")[:1] in (b"{", b"[")


class _Problems:
    """The first problem found in a document, and how many there were."""

    def __init__(self) -> None:
        self.first = ""
        self.count = 0

    def add(self, text: str) -> None:
        """Note one problem."""
        self.count += 1
        self.first = self.first or text

    @property
    def note(self) -> str:
        """One line for the feed's `malformed` note ("" when the document was fine)."""
        if not self.count:
            return ""
        more = f" (and {self.count - 1} more problems)" if self.count > 1 else ""
        return self.first + more


def _load(body: bytes, problems: _Problems) -> Any:
    """The JSON value of `body` (UTF-8, RFC 8259 §8.1; stray bytes read as windows-1252)."""
    data = body.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", charset.REPAIR)
        problems.add("not valid UTF-8; read the stray bytes as windows-1252")
    try:
        return json.loads(text)
    except RecursionError:
        raise FeedError("not a feed: JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or an integer too long to convert
        raise FeedError(f"not a feed: bad JSON: {str(error)[:200]}") from None


class _Reader:
    """Typed reads of one JSON object: a wrong type is noted and counts as absent."""

    def __init__(self, problems: _Problems, where: str) -> None:
        self.problems = problems
        self.where = where

    def string(self, value: Any, name: str, limit: int = MAX_CONTENT) -> str:
        """A string field, cut at `limit`; "" when absent or of another type."""
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.add(f"{self.where}{name} is not a string")
            return ""
        return value[:limit]

    def url(self, value: Any, name: str, base: str) -> str:
        """A URL field resolved against `base`; only http(s) URLs are kept."""
        text = self.string(value, name, MAX_URL + 1).strip()
        if not text or len(text) > MAX_URL:
            return ""
        resolved = fields.absolute(base, text)
        return resolved if resolved.lower().startswith(("http://", "https://")) else ""

    def objects(self, value: Any, name: str) -> list[dict[str, Any]]:
        """A list of objects; other members are noted and dropped."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(f"{self.where}{name} is not a list")
            return []
        found = [member for member in value if isinstance(member, dict)]
        if len(found) < len(value):
            self.problems.add(f"{self.where}{name} has members that are not objects")
        return found


def _authors(holder: dict[str, Any], reader: _Reader) -> list[dict[str, object]]:
    """1.1 `authors`, else 1.0 `author`, as name dicts (an author's `url` is not an address)."""
    people = reader.objects(holder.get("authors"), "authors")
    if not people and holder.get("author") is not None:
        people = reader.objects([holder.get("author")], "author")
    return [{"name": reader.string(p.get("name"), "author name", 300)} for p in people]


def _date(value: Any, reader: _Reader, name: str) -> float | None:
    """An RFC 3339 date (spec: date_published, date_modified) as epoch seconds; RFC 822 too."""
    text = reader.string(value, name, 100).strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("z", "Z").replace("t", "T", 1))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            reader.problems.add(f"{reader.where}{name} is not a date")
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def _identity(value: Any, reader: _Reader) -> str:
    """The item's id as a string (1.0: a number is coerced to a string)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return reader.string(value, "id", MAX_ID).strip()


def _number(value: Any) -> float | None:
    """A JSON number, else None (a boolean is no number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _attachments(item: dict[str, Any], reader: _Reader, base: str, body: str) -> str:
    """The item's attachments as a list of links."""
    found: list[enclosures.Attachment] = []
    listed = reader.objects(item.get("attachments"), "attachments")
    for attachment in listed[: enclosures.MAX_ATTACHMENTS]:
        url = reader.url(attachment.get("url"), "attachment url", base)
        if not url:
            continue
        found.append(
            enclosures.Attachment(
                url,
                reader.string(attachment.get("title"), "attachment title", 300),
                reader.string(attachment.get("mime_type"), "mime_type", 100),
                _number(attachment.get("size_in_bytes")),
                _number(attachment.get("duration_in_seconds")),
            )
        )
    return enclosures.attachments_html(found, body)


def _body(item: dict[str, Any], reader: _Reader, base: str, link: str) -> str:
    """content_html, else content_text (as text), else summary; with image, external link and
    attachments around it."""
    body = reader.string(item.get("content_html"), "content_html")
    if not body:
        text = reader.string(item.get("content_text"), "content_text")
        text = text or reader.string(item.get("summary"), "summary")
        body = fields.text_as_html(text)
    body = fields.resolve_links(body, base)
    image = reader.url(item.get("image"), "image", base)
    if image and image not in body:
        body = f'<p><img src="{html.escape(image)}" alt=""></p>{body}'
    external = reader.url(item.get("external_url"), "external_url", base)
    if external and external != link:
        body = f'<p>Link: <a href="{html.escape(external)}">{html.escape(external)}</a></p>{body}'
    return body + _attachments(item, reader, base, body)


def _item(item: dict[str, Any], number: int, problems: _Problems, base: str) -> EntryData:
    reader = _Reader(problems, f"item {number}: ")
    guid = _identity(item.get("id"), reader)
    url = reader.url(item.get("url"), "url", base)
    link = url or reader.url(item.get("external_url"), "external_url", base)
    raw_title = reader.string(item.get("title"), "title", fields.TITLE_LIMIT * 4)
    body = _body(item, reader, base, link)
    published = _date(item.get("date_published"), reader, "date_published")
    updated = _date(item.get("date_modified"), reader, "date_modified")
    names, _ = fields.authors(_authors(item, reader))
    # JSON Feed 1.1: an item without authors has the feed's (the caller fills those in).
    date = reader.string(item.get("date_published") or item.get("date_modified"), "date", 100)
    title = fields.plain_title(raw_title, "text")
    return EntryData(
        key=fields.entry_key(guid, url, raw_title, date),
        title=title or fields.fallback_title(body, link),
        author=names,
        link=link,
        published=published if published is not None else updated,
        updated=updated,
        content=body,
        guid=guid,
    )


def _version(document: dict[str, Any]) -> str:
    version = document.get("version")
    text = version.strip().rstrip("/") if isinstance(version, str) else ""
    text = text.replace("http://", "https://", 1)
    if text not in VERSIONS:
        raise FeedError("not a feed (JSON, but not a JSON Feed: no jsonfeed.org version)")
    return text


def _same_origin(a: str, b: str) -> bool:
    try:
        one, two = urlsplit(a), urlsplit(b)
        return (one.scheme, one.hostname, one.port) == (two.scheme, two.hostname, two.port)
    except ValueError:
        return False


def next_page(current: str, next_url: str, seen: set[str]) -> str:
    """`next_url` (without userinfo) when it may be followed from `current`: http(s), the same
    origin (scheme, host and port), and not a page already read; else ""."""
    next_url = strip_userinfo(next_url)  # a page's userinfo is never sent nor kept
    if not next_url or next_url in seen or not _same_origin(current, next_url):
        return ""
    return next_url


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse a JSON Feed fetched from `url`; raises FeedError when it is not one."""
    problems = _Problems()
    document = _load(body, problems)
    if not isinstance(document, dict):
        raise FeedError("not a feed (JSON, but not a JSON Feed object)")
    _version(document)
    reader = _Reader(problems, "")
    items = document.get("items")
    if not isinstance(items, list):
        problems.add("items is not a list")
        items = []
    entries: list[EntryData] = []
    feed_names, _ = fields.authors(_authors(document, reader))
    for number, item in enumerate(items[:MAX_ENTRIES], start=1):
        if not isinstance(item, dict):
            problems.add(f"item {number} is not an object")
            continue
        entry = _item(item, number, problems, url)
        if not entry.author and feed_names:
            entry = replace(entry, author=feed_names)
        entries.append(entry)
    next_url = reader.url(document.get("next_url"), "next_url", url)
    return ParsedFeed(
        title=fields.plain_title(reader.string(document.get("title"), "title", 4000), "text"),
        site_url=reader.url(document.get("home_page_url"), "home_page_url", url),
        entries=entries,
        malformed=problems.note,
        encoding="utf-8 (JSON, RFC 8259 §8.1)",
        next_url=next_url if _same_origin(url, next_url) else "",
    )
