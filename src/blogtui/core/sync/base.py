"""What every sync backend is: the `SyncBackend` interface and the values it trades in.

A backend speaks one server API (tt-rss, Fever, Google Reader) for one `Account`. It keeps
only its session (a tt-rss `sid`, a Google Reader auth token) between calls; the engine
(`core.sync.engine`) owns every decision about local state. Backends:

- talk only through `core.sync.http.call` (credentials checked for https or a loopback
  literal, no redirects, bounded bodies, every failure a `SyncError`);
- return ids as strings, exactly as the server spells them;
- batch by themselves (`articles`, `mark` take any number of ids);
- log in lazily: any method may be called first, and a backend whose session expired
  (tt-rss `NOT_LOGGED_IN`, HTTP 401) logs in again once before raising `NotLoggedIn`;
- never pass server text on unchecked: the engine cleans strings before storing them,
  but error messages a backend builds go through `core.sync.http.shown`.

Modules: `core/sync/ttrss.py`, `core/sync/fever.py`, `core/sync/greader.py`, each
defining `BACKEND = <its SyncBackend subclass>` (found by `core.sync.accounts.backend_for`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import httpx

from blogtui.core.errors import BlogtuiError

Kind = Literal["ttrss", "fever", "greader"]
"""The APIs blogtui syncs with."""
KINDS: tuple[Kind, ...] = ("ttrss", "fever", "greader")
Field = Literal["read", "starred"]
"""What a mark changes on an article."""

DEFAULT_RETENTION_DAYS = 30.0
"""How far back a server is assumed to keep articles when it does not say (reconcile stops
there)."""


class SyncError(BlogtuiError):
    """A sync with one account failed; `message` is one line fit to show."""

    title = "Sync error"


class NotLoggedIn(SyncError):
    """The server refused the session even after logging in again."""


class AuthFailed(SyncError):
    """The server refused the user name or password (or API access is disabled)."""


@dataclass(frozen=True, slots=True)
class Account:
    """One sync account: its name (unique, chosen by the user), API, server and user.

    The password is never here: it lives in the credential store under `credential_key`.
    """

    name: str
    kind: Kind
    url: str
    user: str

    @property
    def credential_key(self) -> str:
        """Where the password is kept in `core.posting.credentials.CredentialStore`."""
        return f"sync:{self.name}"


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription on the server. `folder` is "" when the feed is in no folder."""

    id: str
    url: str
    title: str = ""
    folder: str = ""
    site_url: str = ""


@dataclass(frozen=True, slots=True)
class RemoteArticle:
    """An article as the server holds it. `published` is a Unix time (0.0 when unknown);
    `html` the body as the server gives it (uncleaned); `guid` "" when the server hides it."""

    id: str
    feed_id: str
    guid: str
    link: str
    title: str
    author: str
    html: str
    published: float
    unread: bool
    starred: bool
    comments_url: str = ""
    """The article's comments page when the server knows it (threads still come from the blog)."""


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """One page of new articles: `cursor` resumes after them, `more` says whether to ask again."""

    articles: list[RemoteArticle]
    cursor: str
    more: bool


class SyncBackend(ABC):
    """One server API for one account. Every method may raise `SyncError` (or a subclass)."""

    kind: ClassVar[Kind]
    """Which API this is."""
    can_subscribe: ClassVar[bool] = True
    """False when the API cannot add or remove subscriptions (Fever)."""
    page_size: ClassVar[int] = 200
    """Most articles one `articles_since` page holds."""
    complete_first_pull: ClassVar[bool] = False
    """True when `articles_since("")` yields every article the server holds, with its state:
    the first sync then skips the unread and starred id sets (it has them already)."""

    def __init__(self, account: Account, password: str) -> None:
        self.account = account
        self.password = password

    @abstractmethod
    async def login(self, client: httpx.AsyncClient) -> None:
        """Open a session; raises `AuthFailed` when the server refuses the credential."""

    @abstractmethod
    async def feeds(self, client: httpx.AsyncClient) -> list[RemoteFeed]:
        """Every subscription with its folder."""

    @abstractmethod
    async def unread_ids(self, client: httpx.AsyncClient) -> set[str]:
        """Ids of every article the server holds as unread."""

    async def unread_id_pages(self, client: httpx.AsyncClient) -> AsyncIterator[list[str]]:
        """The unread ids a page at a time, so memory stays bounded by a page however many
        there are; by default the whole `unread_ids` set as one page."""
        yield list(await self.unread_ids(client))

    async def unread_counts(self, client: httpx.AsyncClient) -> dict[str, int] | None:
        """Unread articles per remote feed id, when the API tells them cheaply; None when it
        does not (the engine then pulls the whole unread id set at every sync)."""
        return None

    async def feed_unread_ids(self, client: httpx.AsyncClient, feed_ids: Sequence[str]) -> set[str]:
        """Ids of the unread articles of these feeds only (asked for only when `unread_counts`
        gives counts)."""
        raise SyncError(f"{self.kind} cannot list the unread articles of one feed")

    @abstractmethod
    async def starred_ids(self, client: httpx.AsyncClient) -> set[str]:
        """Ids of every article the server holds as starred."""

    @abstractmethod
    async def articles(self, client: httpx.AsyncClient, ids: Sequence[str]) -> list[RemoteArticle]:
        """The articles with these ids (batched by the backend; ids the server no longer
        holds are left out). The engine asks for at most a few hundred at a time."""

    @abstractmethod
    async def articles_since(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        """Up to `page_size` articles newer than `cursor` ("" = from the start), oldest first
        where the API allows, and the cursor to resume from."""

    @abstractmethod
    async def mark(
        self, client: httpx.AsyncClient, ids: Sequence[str], field: Field, value: bool
    ) -> None:
        """Set `field` to `value` on these articles (batched by the backend). Returns only
        once the server acknowledged every batch; raises `SyncError` otherwise."""

    @abstractmethod
    async def catch_up(self, client: httpx.AsyncClient, feed_id: str, before: float) -> None:
        """Mark every article of the feed published before `before` (Unix time) read, with the
        server's own mark-feed-read, so articles this client never downloaded are marked too."""

    async def subscribe(self, client: httpx.AsyncClient, url: str, folder: str = "") -> str:
        """Subscribe to `url` (in `folder`, when the API can) and return the new feed id."""
        raise SyncError(f"{self.kind} cannot subscribe to feeds through its API")

    async def unsubscribe(self, client: httpx.AsyncClient, feed_id: str) -> None:
        """Remove the subscription `feed_id`."""
        raise SyncError(f"{self.kind} cannot unsubscribe from feeds through its API")

    def first_pull_complete(self) -> bool:
        """Whether the first pull just read held every article with its state
        (`complete_first_pull`, unless the backend had to leave some out)."""
        return self.complete_first_pull

    def abandon(self) -> None:
        """Drop work started ahead of the pages asked for (the pull stopped early); by default
        there is none."""
        return None

    async def retention_days(self, client: httpx.AsyncClient) -> float:
        """How many days back the server keeps articles (the engine reconciles only inside)."""
        return DEFAULT_RETENTION_DAYS
