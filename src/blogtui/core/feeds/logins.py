"""Logins for feeds behind HTTP Basic auth: never in a URL we keep, show or send.

A feed added as `https://user:password@host/feed` is subscribed as `https://host/feed`; the
user name and password go to the credential store (the keyring, else the private file; see
core/posting/credentials.py) under the feed's origin. The login is sent (as an `Authorization`
header, never in the URL) only to that origin, and only over https or to a loopback literal:
never after a redirect elsewhere, never over plain http to another host (that is refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from blogtui.core.errors import FeedError
from blogtui.core.posting.credentials import (
    Credential,
    CredentialStore,
    Secret,
    is_loopback_literal,
)

KEY_PREFIX = "feed-login "
"""Credential-store keys of feed logins: this prefix and the origin (posting keys are bare)."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s\"'<>]*@")
"""`scheme://userinfo@` anywhere in a text (an error message, a log line, a document)."""


def redact(text: str) -> str:
    """`text` with the userinfo of every URL in it removed (`https://u:p@h/` -> `https://h/`)."""
    return _USERINFO.sub(r"\1", text) if "@" in text else text


def origin(url: str) -> str:
    """`scheme://host:port` of `url` (lowercased, default port spelled out); "" if it has none."""
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return ""
    if not host or scheme not in _DEFAULT_PORTS:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS[scheme]}"


def strip_userinfo(url: str) -> str:
    """`url` without `user:password@` (unchanged when it has none or cannot be split)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def with_userinfo(url: str, like: str) -> str:
    """`url` with the userinfo of `like` (for a caller that gave a URL carrying one)."""
    if not url:
        return url
    userinfo = urlsplit(like).netloc.rpartition("@")[0]
    parts = urlsplit(strip_userinfo(url))
    netloc = f"{userinfo}@{parts.netloc}" if userinfo else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True, slots=True)
class FeedLogin:
    """A user name and password for one origin's feeds (shown as "***")."""

    origin: str
    credential: Credential

    def may_send_to(self, url: str) -> bool:
        """True when this login may go with a request for `url`: same origin, safe transport."""
        return bool(self.origin) and origin(url) == self.origin and transport_ok(url)

    def authorization(self) -> str:
        """The `Authorization` header value."""
        return self.credential.authorization()


def transport_ok(url: str) -> bool:
    """True for https, or http to a loopback literal (127.0.0.0/8, ::1; not "localhost")."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme == "https" or (scheme == "http" and is_loopback_literal(parts.hostname or ""))


def refusal(url: str) -> str:
    """Why a login for `url` is not sent, naming what to fix."""
    host = urlsplit(url).hostname or url
    safe = urlunsplit(("https", *urlsplit(strip_userinfo(url))[1:]))
    return (
        f"a feed's login is sent only over https, not over plain http to {host}:"
        f" use {safe} (with its login), or drop user:password@ from the address"
    )


def with_login(headers: dict[str, str], login: FeedLogin | None, url: str) -> dict[str, str]:
    """`headers`, with the login's Authorization when it may go to `url`."""
    if login is None or not login.may_send_to(url):
        return headers
    return {**headers, "Authorization": login.authorization()}


def unauthorized_hint(login: FeedLogin | None, url: str) -> str:
    """What to do about a 401 (which login went, or why none did)."""
    if login is None:
        return "this feed needs a login: add it again as https://USER:PASSWORD@host/path"
    if login.may_send_to(url):
        return "the server refused the login kept for this feed: add it again with the right one"
    return f"the login kept for {login.origin} is not sent to {origin(url) or 'another site'}"


def refuse_plain_http(url: str, login: FeedLogin | None) -> None:
    """Raise FeedError (naming the fix) when `login` is for `url` but may not go over its
    transport (plain http to anything but a loopback literal)."""
    if login is not None and origin(url) == login.origin and not transport_ok(url):
        raise FeedError(refusal(url))


def split_login(url: str) -> tuple[str, FeedLogin | None]:
    """`url` without userinfo, and the login it carried (None when it carried none)."""
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:
        return strip_userinfo(url), None
    clean = strip_userinfo(url)
    if not user and not password:
        return clean, None
    credential = Credential(unquote(user or ""), Secret(unquote(password or "")))
    return clean, FeedLogin(origin(clean), credential)


class FeedLogins:
    """Feed logins per origin in the credential store; in memory when there is no directory."""

    def __init__(self, secrets_dir: Path | None, *, use_keyring: bool = True) -> None:
        self.credentials = (
            CredentialStore(secrets_dir, use_keyring=use_keyring) if secrets_dir else None
        )
        self.memory: dict[str, Credential] = {}

    def get(self, url: str) -> FeedLogin | None:
        """The login kept for `url`'s origin, if any."""
        key = origin(url)
        if not key:
            return None
        if self.credentials is None:
            found = self.memory.get(key)
        else:
            found = self.credentials.get_entry(KEY_PREFIX + key)
        return FeedLogin(key, found) if found is not None else None

    def save(self, login: FeedLogin) -> None:
        """Keep `login` (replacing the one of its origin)."""
        if self.credentials is None:
            self.memory[login.origin] = login.credential
            return
        password = login.credential.password.reveal()
        self.credentials.set_entry(KEY_PREFIX + login.origin, login.credential.user, password)

    def forget(self, url: str) -> None:
        """Drop the login of `url`'s origin."""
        key = origin(url)
        if self.credentials is None:
            self.memory.pop(key, None)
        elif key:
            self.credentials.delete_entry(KEY_PREFIX + key)


def secrets_dir_of(database: Path) -> Path | None:
    """Where the credential file lives for `database`: Places.secrets_dir beside Places.database
    (both in the data directory); None for an in-memory database."""
    return None if str(database) == ":memory:" else database.parent / "secrets"
