"""Finding a blog's feed from a URL the user typed: the feed itself or a page that leads to it.

Order of search: the URL itself as a feed; the page's `<link rel="alternate">` feeds (posts
feeds in document order before comment feeds); then `/feed/` and `/?feed=rss2` under the page's
own path and under the site root. Every candidate must really parse as a feed.
A URL without a scheme gets "https://" (as browsers do). A `user:password@` in the URL becomes
the `login` of what is found (core/feeds/logins.py): sent to that origin only, never kept in a URL.
"""

from __future__ import annotations

import re
import ssl
import time
import unicodedata
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from blogtui.core.errors import DiscoveryError, FeedError
from blogtui.core.feeds.commands import NEVER_RUN, command_of
from blogtui.core.feeds.fetch import FetchResult, HTTPStatusError, fetch
from blogtui.core.feeds.logins import (
    FeedLogin,
    origin,
    redact,
    refusal,
    split_login,
    strip_userinfo,
    transport_ok,
)
from blogtui.core.feeds.parse import parse_feed

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})
JSON_TYPE = "application/json"
"""JSON Feed 1.1 asks readers to prefer application/feed+json and still accept application/json;
such links (also used for other JSON, e.g. WordPress's REST API) are tried last."""
MAX_CANDIDATES = 8
"""At most this many candidate URLs are fetched after the page itself."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_COMMENT_TITLE = re.compile(
    r"\b(comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|reacties)\b",
    re.IGNORECASE,
)
_COMMENT_URL = re.compile(r"/comments?(/|\.|$)|feed=comments", re.IGNORECASE)
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<link", b"<meta")


@dataclass(frozen=True, slots=True)
class Discovered:
    """A feed found for a URL: the address to subscribe to, its title and its site."""

    feed_url: str
    title: str
    site_url: str
    login: FeedLogin | None = None
    """The login the URL typed carried, when the feed is on that same origin (else None)."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A `<link rel="alternate">` feed a page advertises, its href resolved."""

    url: str
    title: str
    type: str

    @property
    def comments(self) -> bool:
        """True when the link looks like a comments feed rather than the posts feed."""
        return looks_like_comments(self.url, self.title)


def looks_like_comments(url: str, title: str) -> bool:
    """Guess from a feed's URL or title whether it carries comments (WordPress and friends)."""
    parts = urlsplit(url)
    return bool(_COMMENT_TITLE.search(title) or _COMMENT_URL.search(f"{parts.path}?{parts.query}"))


def normalize_url(raw: str) -> str:
    """Return `raw` as an http(s) URL, "https://" prepended when it has no scheme.

    Raises DiscoveryError naming what is wrong.
    """
    text = raw.strip()
    if not text:
        raise DiscoveryError("no URL given")
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise DiscoveryError(f"invalid URL {text!r}: it contains spaces or control characters")
    if who := command_of(text):
        raise DiscoveryError(
            f"{text!r} is a command ({who}); {NEVER_RUN}: give an http or https URL"
        )
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text:
        scheme, colon, rest = text.partition(":")
        if colon and _SCHEME.fullmatch(scheme) and not rest[:1].isdigit():
            raise DiscoveryError(_bad_scheme(scheme))
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError as err:
        raise DiscoveryError(f"invalid URL {text!r}: {err}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise DiscoveryError(_bad_scheme(parts.scheme))
    if not parts.hostname:
        raise DiscoveryError(f"invalid URL {text!r}: no host name")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise DiscoveryError(f"invalid URL {text!r}: bad port number") from None
    try:
        httpx.URL(text).host  # noqa: B018 - raises for a host httpx cannot encode
    except (httpx.InvalidURL, ValueError) as err:
        raise DiscoveryError(f"invalid URL {text!r}: bad host name ({err})") from None
    return text


def _bad_scheme(scheme: str) -> str:
    return f"unsupported scheme {scheme!r}; give an http or https URL"


class _LinkFinder(HTMLParser):
    """Collects `<base href>` and the feed `<link rel="alternate">` tags of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "base" and not self.base and values.get("href"):
            self.base = values["href"]
        if tag != "link" or "alternate" not in values.get("rel", "").lower().split():
            return
        kind = values.get("type", "").split(";")[0].strip().lower()
        if (kind in FEED_TYPES or kind == JSON_TYPE) and values.get("href"):
            self.links.append((values["href"], values.get("title", ""), kind))


def find_feed_links(html: str, page_url: str) -> list[FeedLink]:
    """Return the feeds `html` advertises, hrefs resolved against `<base href>` and `page_url`."""
    finder = _LinkFinder()
    finder.feed(html)
    finder.close()
    base = urljoin(page_url, finder.base) if finder.base else page_url
    links: list[FeedLink] = []
    for href, title, kind in finder.links:
        url = strip_userinfo(urljoin(base, href))
        if urlsplit(url).scheme.lower() in ("http", "https"):
            links.append(FeedLink(url, title, kind))
    return links


def fallback_urls(page_url: str) -> list[str]:
    """Return WordPress-style guesses: `feed/` and `?feed=rss2` under the page's path, then root."""
    parts = urlsplit(page_url)
    root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    path = parts.path
    if path and not path.endswith("/"):
        head, _, last = path.rpartition("/")
        path = head + "/" if "." in last else path + "/"
    bases = [root + path] if path not in ("", "/") else []
    bases.append(root + "/")
    return [url for base in bases for url in (base + "feed/", base + "?feed=rss2")]


def _looks_like_html(result: FetchResult) -> bool:
    if result.media_type in ("text/html", "application/xhtml+xml"):
        return True
    start = result.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in start for marker in _HTML_SNIFF)


def _stored_url(result: FetchResult) -> str:
    """The URL to subscribe to: where permanent redirects lead, else where the fetch began."""
    return result.permanent_url or result.url or result.final_url


def _as_feed(result: FetchResult, site_url: str = "") -> Discovered | str:
    """Return the response as a Discovered feed, or why it does not parse as one."""
    try:
        parsed = parse_feed(result.body, result.final_url or result.url, result.headers)
    except FeedError as err:
        return err.message
    return Discovered(_stored_url(result), parsed.title, parsed.site_url or site_url)


def _refused(reason: str) -> bool:
    """True when a document was refused for what it holds (entities, size, nesting), not for
    failing to be a feed at all."""
    return not reason.startswith("not a feed") or "nested too deeply" in reason


class _Clock:
    """The time left of one discovery's overall deadline."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; raises DiscoveryError when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise DiscoveryError(
                f"gave up looking for a feed at {self.url} after {self.seconds:g} s"
            )
        return left


async def discover_feed(
    client: httpx.AsyncClient, url: str, *, deadline: float = 30.0
) -> Discovered:
    """Find the feed for `url`: the URL itself when it is a feed, else one its page leads to.

    Raises DiscoveryError with one line naming the cause.
    """
    try:
        page_url, login = split_login(normalize_url(url))
    except DiscoveryError as err:
        raise DiscoveryError(redact(err.message)) from None
    if login is not None and not transport_ok(page_url):
        raise DiscoveryError(refusal(page_url))
    try:
        found = await _discover(client, page_url, _Clock(page_url, deadline), login)
    except DiscoveryError as err:
        hint = _plain_http_hint(url, page_url, err)
        if hint:
            raise DiscoveryError(f"{err.message}; {hint}") from err
        raise
    if login is None or origin(found.feed_url) != login.origin:
        return found
    return replace(found, login=login)


def _plain_http_hint(typed: str, page_url: str, err: DiscoveryError) -> str:
    """For an address typed without a scheme (so tried as https) whose TLS handshake failed:
    the same address over plain http to try ("" otherwise)."""
    if typed.strip().lower().startswith(("http://", "https://")):
        return ""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, ssl.SSLError) or "SSL" in str(cause) or "TLS" in str(cause):
            return f"the server may not speak https: try {'http://' + page_url[len('https://') :]}"
        cause = cause.__cause__ or cause.__context__
    return ""


async def _discover(
    client: httpx.AsyncClient, page_url: str, clock: _Clock, login: FeedLogin | None
) -> Discovered:
    try:
        page = await _get(client, page_url, clock, login)
    except FeedError as err:
        raise DiscoveryError(_failure(err, page_url)) from err
    found = _as_feed(page)
    if isinstance(found, Discovered):
        return found
    if _refused(found):
        raise DiscoveryError(f"{page_url} is a feed blogtui refuses: {found}")
    if not _looks_like_html(page):
        kind = page.media_type or "an unknown kind of document"
        detail = found.removeprefix("not a feed").strip(" :()")
        raise DiscoveryError(
            f"{page_url} is not a feed or a web page (the server sent {kind})"
            + (f": {detail}" if detail else "")
        )
    base = page.final_url or page.url or page_url
    links = find_feed_links(page.text, base)
    return await _search(client, page_url, base, links, clock, login)


async def _get(
    client: httpx.AsyncClient, url: str, clock: _Clock, login: FeedLogin | None = None
) -> FetchResult:
    """Fetch `url` within the time left; any answer but 2xx raises FeedError."""
    result = await fetch(client, url, deadline=clock.left(), login=login)
    if not 200 <= result.status < 300:
        raise HTTPStatusError(result.status)
    return result


def _failure(err: FeedError, url: str) -> str:
    """One line saying why fetching `url` failed, naming the host when it could not be reached."""
    cause = err.__cause__
    if isinstance(cause, httpx.ConnectError):
        try:
            host = cause.request.url.host
        except RuntimeError:
            host = urlsplit(url).hostname or url
        return f"cannot connect to {host}: {err.message.removeprefix('cannot connect: ')}"
    if isinstance(cause, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return err.message
    return f"cannot fetch {url}: {err.message}"


def _candidates(page_url: str, base: str, links: list[FeedLink]) -> list[str]:
    """Posts links, WordPress guesses, comment links, then plain JSON links; unique, the page
    excluded."""
    feeds = [link for link in links if link.type != JSON_TYPE]
    posts = [link.url for link in feeds if not link.comments]
    comments = [link.url for link in feeds if link.comments]
    json_links = [link.url for link in links if link.type == JSON_TYPE]
    seen = {page_url, base}
    ordered: list[str] = []
    for candidate in [*posts, *fallback_urls(base), *comments, *json_links]:
        if candidate not in seen:
            seen.add(candidate)
            ordered.append(candidate)
    return ordered[:MAX_CANDIDATES]


async def _search(
    client: httpx.AsyncClient,
    page_url: str,
    base: str,
    links: list[FeedLink],
    clock: _Clock,
    login: FeedLogin | None,
) -> Discovered:
    """Try the candidates in order; a comments feed is kept only when nothing better turns up."""
    advertised = {link.url for link in links if link.type != JSON_TYPE}
    reserve: Discovered | None = None
    failure = ""
    for candidate in _candidates(page_url, base, links):
        named = "the page links to" if candidate in advertised else "blogtui tried"
        try:
            result = await _get(client, candidate, clock, login)
        except FeedError as err:
            if not failure and (candidate in advertised or not isinstance(err, HTTPStatusError)):
                failure = f"{named} {candidate}, which failed: {err.message}"
            continue
        found = _as_feed(result, site_url=base)
        if not isinstance(found, Discovered):
            if not failure and _refused(found):
                failure = f"{named} {candidate}, which was refused: {found}"
            elif not failure and candidate in advertised:
                failure = f"the page links to {candidate}, which is not a feed"
            continue
        if not looks_like_comments(found.feed_url, found.title):
            return found
        reserve = reserve or found
    if reserve is not None:
        return reserve
    if failure:
        raise DiscoveryError(f"no feed found at {page_url}: {failure}")
    raise DiscoveryError(
        f"no feed found at {page_url} (looked for <link rel=alternate>, /feed/, /?feed=rss2)"
    )
