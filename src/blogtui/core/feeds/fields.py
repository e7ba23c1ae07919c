"""Rules that turn what a feed says into article fields, shared by the XML and JSON parsers.

Titles become plain text by their declared type, plain-text bodies become HTML that shows the
text as it was written, relative links in bodies are resolved against the base in scope, authors
are shown by name with their addresses kept apart, and an item without a title gets one.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from urllib.parse import unquote, urljoin, urlsplit

from blogtui.core.models import EntryData
from blogtui.core.text.sanitize import clean

TITLE_LIMIT = 1000
"""Characters of a title kept."""
AUTHOR_LIMIT = 300
"""Characters of the author names (or addresses) of one article kept."""
FALLBACK_WORDS = 12
"""Words of the text an untitled item is named by."""
FALLBACK_CHARS = 80

HTML_TYPES = frozenset({"html", "text/html", "xhtml", "application/xhtml+xml"})
"""Declared types whose value is markup (Atom §3.1.1: "html" is escaped HTML, "xhtml" a div)."""

_BLOCK_TAG = re.compile(
    r"<(?:br|p|div|li|tr|td|th|h[1-6]|blockquote|pre|hr|dt|dd)\b[^<>]{0,2000}>", re.IGNORECASE
)
_DROPPED = re.compile(
    r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<![^<>]{0,4000}>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,2000}>")
_KNOWN_ELEMENTS = (
    "a|abbr|acronym|address|article|aside|audio|b|bdi|bdo|big|blockquote|br|caption|center|cite"
    "|code|col|dd|del|details|dfn|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|header|hr|i"
    "|iframe|img|ins|kbd|li|mark|nav|ol|p|picture|pre|q|s|samp|section|small|source|span|strike"
    "|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|time|tr|tt|u|ul|var|video"
)
_HTML_HINT = re.compile(
    rf"</?(?:{_KNOWN_ELEMENTS})(?:\s[^<>]{{0,2000}})?/?>|&(?:#\d{{1,7}}|#x[0-9a-f]{{1,6}}|[a-z][a-z0-9]{{1,31}});",
    re.IGNORECASE,
)
_NOT_RELATIVE = r"(?![A-Za-z][A-Za-z0-9+.-]*:|#)"
_RELATIVE_VALUE = re.compile(
    rf'(=\s*)(?:"{_NOT_RELATIVE}([^"<>]+)"|\'{_NOT_RELATIVE}([^\'<>]+)\'|{_NOT_RELATIVE}([^\s"\'<>`=]+))'
)
"""An attribute value that is neither absolute (has a scheme) nor a fragment (scanning for "="
first is several times faster than for the attribute names)."""
_URL_NAME = re.compile(r"\s(?:href|src|poster|cite|longdesc|background)\s*$", re.IGNORECASE)
"""The names of the attributes that hold URLs, right before a "="."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")


def markup_to_text(value: str) -> str:
    """HTML as one line of text: scripts, styles and comments dropped, tags removed, entities
    decoded (in that order, so `&lt;b&gt;` stays the text `<b>`)."""
    value = _DROPPED.sub("", value)
    value = _BLOCK_TAG.sub(" ", value)
    return html.unescape(_TAG.sub("", value))


def plain_title(value: object, kind: str = "text") -> str:
    """A title as plain text by its declared type (Atom §3.1.1: text is shown as is; html and
    xhtml are markup). feedparser types an RSS title as text/html when it holds markup or
    entity references, which RSS titles often carry escaped."""
    text = value if isinstance(value, str) else ""
    if kind.lower() in HTML_TYPES:
        text = markup_to_text(text)
    return clean(text, limit=TITLE_LIMIT)


def looks_like_html(text: str) -> bool:
    """True when `text` holds an HTML element we know or an entity reference."""
    return _HTML_HINT.search(text) is not None


def text_as_html(text: str) -> str:
    """Plain text as HTML that shows it verbatim: escaped, paragraphs and line breaks kept."""
    paragraphs = [part for part in _PARAGRAPHS.split(text.strip("\r\n")) if part.strip()]
    return "".join(
        "<p>" + html.escape(part, quote=False).replace("\r\n", "\n").replace("\n", "<br>\n")
        + "</p>"
        for part in paragraphs
    )  # fmt: skip


def body_html(value: str, kind: str, *, guess: bool = False) -> str:
    """An article body as HTML. A declared plain-text type (Atom §4.1.3 type="text") is text;
    with `guess` (RSS, where descriptions carry no type) a body with no markup at all is text
    too, so its angle brackets and line breaks survive."""
    declared = kind.lower()
    if declared in ("text", "text/plain"):
        return text_as_html(value)
    if guess and declared in ("", "text/html") and not looks_like_html(value):
        return text_as_html(value)
    return value


def absolute(base: str, url: str) -> str:
    """`url` resolved against `base` (RFC 3986 §5.2); absolute URLs come back unchanged."""
    if not url or _SCHEME.match(url):
        return url
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def is_web(url: str) -> bool:
    """Whether `url` is a web (http or https) address."""
    return url.lower().startswith(("http://", "https://"))


def stripped(value: object) -> str:
    """A string feedparser gave, stripped; anything else is ""."""
    return value.strip() if isinstance(value, str) else ""


def web_link(base: str, link: str, others: Sequence[str] = (), *, from_id: bool = False) -> str:
    """The address an article opens at: `link` resolved against `base` when it is a web
    (http/https) address, else the first web address of `others` (the entry's other alternate
    links, its media:player), else `link` as the feed gave it. A link that is only the entry's
    id (feedparser's guess when there is no link element) counts only as an absolute web
    address: a `tag:` or `urn:` id, or a bare number, is no link."""
    if from_id and not is_web(link):
        link = ""
    resolved = absolute(base, link)
    if is_web(resolved):
        return resolved
    for other in others:
        if is_web(candidate := absolute(base, other)):
            return candidate
    return resolved


def resolve_links(body: str, base: str) -> str:
    """`body` with relative href/src/poster/cite/longdesc/background URLs made absolute against
    `base` (the xml:base in scope, else the document's base: RFC 3986 §5.1, XML Base §4.2).
    Absolute URLs and fragment-only links stay as they are; only attributes inside a tag
    (after its "<", before any ">") are touched."""
    if not body or not base.lower().startswith(("http://", "https://")) or "=" not in body:
        return body
    resolved: dict[str, str] = {}

    def attribute(match: re.Match[str]) -> str:
        start = match.start()
        if not _URL_NAME.search(body, max(0, start - 40), start):
            return match.group(0)
        if body.rfind("<", 0, start) <= body.rfind(">", 0, start):
            return match.group(0)  # text that looks like an attribute, outside any tag
        value = next((group for group in match.groups()[1:] if group is not None), "")
        if not value.strip():
            return match.group(0)
        if value not in resolved:
            resolved[value] = html.escape(absolute(base, html.unescape(value.strip())))
        return f'{match.group(1)}"{resolved[value]}"'

    return _RELATIVE_VALUE.sub(attribute, body)


def authors(people: Iterable[Mapping[str, object]]) -> tuple[str, str]:
    """The names ("Ann, Bob") and addresses of `people`, each list without repeats. Someone
    known only by an address is shown by it."""
    names: list[str] = []
    emails: list[str] = []
    for person in people:
        name = clean(person.get("name"), limit=AUTHOR_LIMIT)
        email = clean(person.get("email"), limit=AUTHOR_LIMIT)
        shown = name or email
        if shown and shown not in names:
            names.append(shown)
        if email and email not in emails:
            emails.append(email)
    return clean(", ".join(names), limit=AUTHOR_LIMIT), clean(", ".join(emails), limit=AUTHOR_LIMIT)


def fallback_title(body: str, link: str) -> str:
    """A name for an item without a title: the first words of its text, else its link's path."""
    words = markup_to_text(body[:20_000]).split()
    if words:
        text = " ".join(words[:FALLBACK_WORDS])
        if len(words) > FALLBACK_WORDS:
            text += " …"
        return clean(text, limit=FALLBACK_CHARS)
    try:
        path = unquote(urlsplit(link).path).strip("/")
    except ValueError:
        path = ""
    return clean(path, limit=FALLBACK_CHARS)


def entry_key(guid: str, link: str, title: str, date: str) -> str:
    """An article's identity in its feed: its guid, else its link, else a hash of title and date."""
    if guid:
        return guid
    if link:
        return link
    digest = hashlib.sha1(f"{title}\x1f{date}".encode("utf-8", "replace")).hexdigest()
    return f"sha1:{digest}"


def distinct_keys(entries: Sequence[EntryData]) -> list[EntryData]:
    """`entries` with a guid that several of them share re-keyed by their links when those
    links differ: distinct posts a feed gave one id by mistake are all kept (same id and same
    link is one post given twice, which stays one). A re-keyed entry's key is its link, or its
    guid and link when an entry of another guid has the link as its key."""
    links: dict[str, set[str]] = {}
    for entry in entries:
        links.setdefault(entry.key, set()).add(entry.link)
    shared = {key for key, seen in links.items() if len(seen) > 1}
    if not shared:
        return list(entries)
    taken = set(links) - shared
    distinct: list[EntryData] = []
    for entry in entries:
        if entry.key in shared and entry.link:
            key = entry.link if entry.link not in taken else f"{entry.key} {entry.link}"
            taken.add(key)
            entry = replace(entry, key=key)
        distinct.append(entry)
    return distinct
