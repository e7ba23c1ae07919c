"""Finding the toot whose replies are an article's comments (Mastodon and compatible servers).

In the order trusted:

1. An embed's attributes: any element (most are custom elements such as `<mastodon-comments
   host="social.example" user="anna" tootId="1099…">`, or `<div data-host=… data-id=…>`) with a
   host attribute (`host`, `data-host`, `instance`, …) and a status id (`tootid`, `toot-id`,
   `data-toot-id`, `data-id`, `status-id`, …), or with a status URL (`data-toot-url`,
   `src` of `<iframe class="mastodon-embed">` …); in inline scripts, a literal
   `https://HOST/api/v1/statuses/ID` or `host: '…'` next to `tootId: '…'`.
2. A link to a status: `https://HOST/@user/ID`, `/@user/statuses/ID` (GoToSocial),
   `/users/user/statuses/ID`, `/notice/ID` (Pleroma, Akkoma), `/web/statuses/ID`. Among
   several, one by the account `<meta name="fediverse:creator" content="@user@host">` names
   wins (a hint only: it never makes a toot up); else the last one whose words (its text,
   title or class, or its paragraph's text before it) invite replies ("Kommentare auf
   Mastodon", "reply to this toot"); else the last one in the article's own text. A link
   elsewhere on the page that invites nothing (a sidebar of recent toots) is not taken.

Hosts without a scheme are https (a loopback literal: http, for tests); plain http links to
other hosts are read over https.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from blogtui.core.posting.credentials import is_loopback_literal

MAX_LINKS = 2000
"""Status links kept per document."""

HOST_KEYS = ("host", "data-host", "data-mastodon-host", "instance", "data-instance",
             "server", "data-server")  # fmt: skip
ID_KEYS = ("tootid", "toot-id", "toot_id", "data-toot-id", "data-tootid", "data-toot",
           "status-id", "statusid", "data-status-id", "data-id")  # fmt: skip
USER_KEYS = ("user", "username", "data-user", "data-username", "account", "data-account")
URL_KEYS = ("data-toot-url", "toot-url", "data-url", "data-mastodon-url", "data-status-url",
            "data-toot-uri", "url", "src", "href")  # fmt: skip
"""Attributes whose value may be a status URL on an embed element."""

_STATUS_PATH = re.compile(
    r"^/(?:web/)?(?:"
    r"@(?P<at>[\w.-]{1,64}(?:@[\w.-]{1,253})?)/(?:(?P<id1>\d{1,20})|statuses/(?P<id2>[0-9A-Za-z]{1,40}))"
    r"|users/(?P<user>[\w.-]{1,64})/statuses/(?P<id3>[0-9A-Za-z]{1,40})"
    r"|(?:notice|statuses)/(?P<id4>[0-9A-Za-z]{1,40})"
    r")(?:/embed)?/?$"
)
_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](?::\d{1,5})?$")
_ID = re.compile(r"^[0-9A-Za-z]{1,40}$")
_API_IN_SCRIPT = re.compile(
    r"(https?)://([A-Za-z0-9.-]{1,253}(?::\d{1,5})?)/api/v1/statuses/([0-9A-Za-z]{1,40})"
)
_HOST_IN_SCRIPT = re.compile(r"""\b(?:host|instance|server)\s*[:=]\s*["']([^"'\s/]{1,260})["']""")
_ID_IN_SCRIPT = re.compile(
    r"""\b(?:toot_?id|tootId|status_?id|statusId)\s*[:=]\s*["']?([0-9A-Za-z]{1,40})["']?"""
)
_INVITING = re.compile(
    r"comment|repl(?:y|ies)|respon|discuss|conversation|mastodon|toot|fediverse|kommentar"
    r"|antwort|diskussion",
    re.IGNORECASE,
)
NEARBY = 120
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "aside", "section", "article", "nav", "header",
                     "footer", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr", "table", "br",
                     "blockquote", "figure", "main", "body"})  # fmt: skip
"""Characters of text before a link (and of its own text) that may invite replies."""
_CREATOR = re.compile(r"^@?([\w.-]{1,64})@([A-Za-z0-9.-]{1,253})$")


@dataclass(frozen=True, slots=True)
class Toot:
    """A status on a fediverse instance: its origin, its id there, the account's name when
    known (`anna`, or `anna@elsewhere` for a remote account seen on `origin`), and what gave it
    away ("embed" or "link")."""

    origin: str
    status_id: str
    account: str = ""
    found_by: str = "link"

    @property
    def web_url(self) -> str:
        """The status's page on its instance."""
        if self.account:
            return f"{self.origin}/@{self.account}/{self.status_id}"
        return f"{self.origin}/web/statuses/{self.status_id}"


def origin_of(host: str, scheme: str = "") -> str:
    """`scheme://host[:port]` for a host as an embed or link gives it; "" when unusable."""
    host = host.strip().strip("/").lower()
    if "://" in host:
        parts = urlsplit(host)
        scheme, host = parts.scheme, parts.netloc
    if not _HOST.match(host) or "@" in host:
        return ""
    bare = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    if is_loopback_literal(bare):
        return f"{scheme or 'http'}://{host}"
    return f"https://{host}" if scheme in ("", "http", "https") else ""


def toot_of_url(url: str) -> Toot | None:
    """The status a URL points at, or None when it is no status URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    match = _STATUS_PATH.match(parts.path)
    origin = origin_of(parts.netloc, parts.scheme.lower()) if match else ""
    if not match or not origin:
        return None
    groups = match.groupdict()
    status = next(groups[n] for n in ("id1", "id2", "id3", "id4") if groups[n])
    return Toot(origin, status, groups["at"] or groups["user"] or "", "link")


def creator_of(value: str) -> tuple[str, str] | None:
    """(user, host) of a `fediverse:creator` value ("@anna@social.example"), lowercased."""
    match = _CREATOR.match(value.strip())
    return (match.group(1).lower(), match.group(2).lower()) if match else None


def _by_creator(toot: Toot, creator: tuple[str, str]) -> bool:
    user, host = creator
    account = toot.account.lower()
    return account in (user, f"{user}@{host}")


class _TootParser(HTMLParser):
    """Collects embed attributes and status links of an HTML document, and which links invite
    replies (their words, or the text just before them, speak of comments or Mastodon)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.embeds: list[Toot] = []
        self.links: list[Toot] = []
        self.invited: list[Toot] = []
        self.recent = ""
        self.open: tuple[Toot, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "").strip()[:2000] for name, value in attrs}
        if tag in _BLOCKS:
            self.recent = ""  # words before a link count only within its own paragraph
        if embed := _embed_of(tag, values):
            self.embeds.append(embed)
        elif tag == "a" and values.get("href") and len(self.links) < MAX_LINKS:
            if found := toot_of_url(_joined(self.base, values["href"])):
                self.links.append(found)
                words = " ".join(values.get(k, "") for k in ("class", "id", "rel", "title"))
                self.open = (found, f"{self.recent} {words}")

    def handle_data(self, data: str) -> None:
        self.recent = (self.recent + data)[-NEARBY:]
        if self.open is not None:
            self.open = (self.open[0], self.open[1] + data[:NEARBY])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open is not None:
            toot, words = self.open
            self.open, self.recent = None, ""
            if _INVITING.search(words):
                self.invited.append(toot)


def _joined(base: str, href: str) -> str:
    if "://" in href or not base:
        return href
    try:
        parts = urlsplit(base)
    except ValueError:
        return href
    return f"{parts.scheme}://{parts.netloc}{href}" if href.startswith("/") else href


def _embed_of(tag: str, values: dict[str, str]) -> Toot | None:
    """The toot an element's attributes name, or None."""
    host = next((values[k] for k in HOST_KEYS if values.get(k)), "")
    status = next((values[k] for k in ID_KEYS if values.get(k)), "")
    if host and status and _ID.match(status) and (origin := origin_of(host)):
        user = next((values[k] for k in USER_KEYS if values.get(k)), "").lstrip("@")
        return Toot(origin, status, user if re.fullmatch(r"[\w.-]{1,64}", user) else "", "embed")
    marked = any(word in tag for word in ("mastodon", "toot", "fediverse")) or any(
        word in " ".join(values.get(k, "") for k in ("class", "id")).lower()
        for word in ("mastodon", "toot", "fediverse")
    )
    for key in URL_KEYS:
        value = values.get(key, "")
        if value and (key.startswith(("data-", "toot")) or marked):
            if found := toot_of_url(value):
                return Toot(found.origin, found.status_id, found.account, "embed")
    return None


def _script_toot(script_text: str) -> Toot | None:
    """A toot an inline script names literally (its API URL, or a host next to a toot id)."""
    if match := _API_IN_SCRIPT.search(script_text):
        origin = origin_of(match.group(2), match.group(1))
        if origin:
            return Toot(origin, match.group(3), "", "embed")
    host, status = _HOST_IN_SCRIPT.search(script_text), _ID_IN_SCRIPT.search(script_text)
    if host and status and (origin := origin_of(host.group(1))):
        return Toot(origin, status.group(1), "", "embed")
    return None


@dataclass(frozen=True, slots=True)
class Scanned:
    """What one HTML document shows: embeds, status links, and the links that invite replies."""

    embeds: list[Toot]
    links: list[Toot]
    invited: list[Toot]


def scan(html: str, base: str) -> Scanned:
    """The embeds and status links of an HTML document, in document order."""
    parser = _TootParser(base)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken document just yields fewer toots
        pass
    return Scanned(parser.embeds, parser.links, parser.invited)


def find_toot(content: str, article_url: str, page_html: str = "", page_url: str = "",
              script_text: str = "", creator: str = "") -> Toot | None:  # fmt: skip
    """The toot carrying the article's replies, or None when nothing points at one (an
    article that is itself a toot, as in an account's feed, carries its own)."""
    if (itself := toot_of_url(article_url)) is not None:
        return itself
    empty = Scanned([], [], [])
    page = scan(page_html, page_url) if page_html else empty
    text = scan(content, article_url) if content else empty
    if embeds := page.embeds + text.embeds:
        return embeds[0]
    if scripted := _script_toot(script_text):
        return scripted
    hint = creator_of(creator) if creator else None
    links = text.links + page.links
    if hint is not None and (own := [t for t in links if _by_creator(t, hint)]):
        return own[-1]
    # A link on the page beyond the article's text (a sidebar of recent toots) counts only when
    # its words invite replies; one in the article's own text counts anyway.
    found = text.invited or page.invited or text.links
    return found[-1] if found else None
