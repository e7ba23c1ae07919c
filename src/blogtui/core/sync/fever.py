"""The Fever API (coldsweat, Miniflux, FreshRSS, Tiny Tiny RSS's plugin): `FeverBackend`.

Every call is a POST to the account's URL with `?api` and the command in the query (`&feeds`,
`&items&since_id=`, `&unread_item_ids`, …) and `api_key` = md5("user:password") in the form
body, where `mark=item|feed`, `as=`, `id=` and `before=` go as well (coldsweat reads them only
from the body; Miniflux and FreshRSS read either). Fever has no sessions: an answer with
`auth: 0` means the user name or password is wrong (`AuthFailed`).

Fever cannot add or remove subscriptions (`can_subscribe` is False): that is done on the
server's own pages (`subscribe` says so; a queued `unsubscribe` is dropped, so the feed comes
back with the next sync while the server has it). Items come 50 per call, as the API
defines; ids are decimal strings.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from blogtui.core.sync.base import (
    ArticlePage,
    AuthFailed,
    Field,
    RemoteArticle,
    RemoteFeed,
    SyncBackend,
    SyncError,
)
from blogtui.core.sync.http import call, json_of, shown

ITEMS_PER_CALL = 50
"""The most items one Fever `items` answer holds (the API's own limit)."""
HOLE_CALLS = 4
"""`with_ids` calls one `articles_since` page may make to fill ids a server skipped."""
MARKS_AT_ONCE = 4
"""Fever marks one item per request: this many requests run at the same time."""
MARK_WORDS: dict[tuple[Field, bool], str] = {
    ("read", True): "read",
    ("read", False): "unread",
    ("starred", True): "saved",
    ("starred", False): "unsaved",
}


def endpoint_of(url: str) -> str:
    """The account URL without its query (`?api` is added to every call)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def api_key_of(user: str, password: str) -> str:
    """Fever's API key: the MD5 of "user:password" (UTF-8), in lowercase hex."""
    return hashlib.md5(f"{user}:{password}".encode()).hexdigest()


def ids_of(value: object, what: str) -> set[str]:
    """A comma-separated id list ("1,2,3", or "" for none) as a set of decimal strings."""
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise SyncError(f"{what}: the server sent no id list")
    ids = {part.strip() for part in value.split(",") if part.strip()}
    if not all(part.isdigit() for part in ids):
        raise SyncError(f"{what}: the id list holds something that is not an id")
    return ids


def _chunks(ids: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _missing(after: int, below: int, known: dict[str, RemoteArticle]) -> Iterator[int]:
    """Ids after `after` and below `below` not among `known`, lowest first."""
    return (n for n in range(after + 1, below) if str(n) not in known)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def article_of(item: object) -> RemoteArticle | None:
    """One Fever item as a RemoteArticle; None when it has no usable id."""
    if not isinstance(item, dict):
        return None
    item_id, feed_id = _text(item.get("id")), _text(item.get("feed_id"))
    if not item_id.isdigit():
        return None
    created = item.get("created_on_time")
    return RemoteArticle(
        id=item_id,
        feed_id=feed_id,
        guid="",
        link=_text(item.get("url")),
        title=_text(item.get("title")),
        author=_text(item.get("author")),
        html=_text(item.get("html")),
        published=float(created) if isinstance(created, int | float) else 0.0,
        unread=not item.get("is_read"),
        starred=bool(item.get("is_saved")),
    )


class FeverBackend(SyncBackend):
    """One Fever account."""

    kind = "fever"
    can_subscribe = False
    page_size = ITEMS_PER_CALL * (1 + HOLE_CALLS)

    @property
    def endpoint(self) -> str:
        return endpoint_of(self.account.url)

    async def _api(
        self,
        client: httpx.AsyncClient,
        what: str,
        query: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """One Fever call; its JSON object, or None when a mark names something the server
        no longer holds (HTTP 404: nothing left to mark)."""
        reply = await call(
            client,
            "POST",
            self.endpoint,
            what=what,
            params={"api": "", **(query or {})},
            data={"api_key": api_key_of(self.account.user, self.password), **(form or {})},
        )
        if reply.status == 404 and form is not None and "mark" in form:
            return None
        if reply.status in (401, 403):
            raise AuthFailed(f"{what}: the Fever server refused the user name or password")
        if reply.status != 200:
            raise SyncError(f"{what}: the Fever server answered HTTP {reply.status}")
        data = json_of(reply, what)
        if not isinstance(data, dict) or "api_version" not in data and "auth" not in data:
            raise SyncError(f"{what}: the answer is not a Fever API answer; check the URL")
        if str(data.get("auth")) != "1":
            raise AuthFailed(
                f"{what}: the Fever server refused the user name or password "
                "(check both, and that the Fever API is enabled for this user)"
            )
        return data

    async def _object(
        self, client: httpx.AsyncClient, what: str, query: dict[str, str]
    ) -> dict[str, Any]:
        data = await self._api(client, what, query)
        if data is None:  # only marks may come back empty
            raise SyncError(f"{what}: the server sent nothing")
        return data

    async def login(self, client: httpx.AsyncClient) -> None:
        await self._object(client, "Fever login", {})

    async def feeds(self, client: httpx.AsyncClient) -> list[RemoteFeed]:
        data = await self._object(client, "Fever feeds", {"feeds": "", "groups": ""})
        feeds, groups = data.get("feeds"), data.get("groups") or []
        if not isinstance(feeds, list) or not isinstance(groups, list):
            raise SyncError("Fever feeds: the answer has no feed list")
        title_of = {
            _text(g.get("id")): _text(g.get("title")) for g in groups if isinstance(g, dict)
        }
        folder_of: dict[str, str] = {}
        for link in data.get("feeds_groups") or []:
            if isinstance(link, dict):
                folder = title_of.get(_text(link.get("group_id")), "")
                for feed_id in _text(link.get("feed_ids")).split(","):
                    folder_of.setdefault(feed_id.strip(), folder)
        result = []
        for feed in feeds:
            if isinstance(feed, dict) and _text(feed.get("id")).isdigit():
                feed_id = _text(feed.get("id"))
                result.append(
                    RemoteFeed(
                        id=feed_id,
                        url=_text(feed.get("url")),
                        title=_text(feed.get("title")),
                        folder=folder_of.get(feed_id, ""),
                        site_url=_text(feed.get("site_url")),
                    )
                )
        return result

    async def unread_ids(self, client: httpx.AsyncClient) -> set[str]:
        data = await self._object(client, "Fever unread ids", {"unread_item_ids": ""})
        return ids_of(data.get("unread_item_ids"), "Fever unread ids")

    async def starred_ids(self, client: httpx.AsyncClient) -> set[str]:
        data = await self._object(client, "Fever saved ids", {"saved_item_ids": ""})
        return ids_of(data.get("saved_item_ids"), "Fever saved ids")

    async def _items(self, client: httpx.AsyncClient, query: dict[str, str]) -> list[RemoteArticle]:
        data = await self._object(client, "Fever items", {"items": "", **query})
        items = data.get("items", [])
        if not isinstance(items, list):
            raise SyncError("Fever items: the answer has no item list")
        return [a for a in map(article_of, items) if a is not None]

    async def articles(self, client: httpx.AsyncClient, ids: Sequence[str]) -> list[RemoteArticle]:
        wanted = sorted({i for i in ids if i.isdigit()}, key=int)
        found: list[RemoteArticle] = []
        for batch in _chunks(wanted, ITEMS_PER_CALL):
            found.extend(await self._items(client, {"with_ids": ",".join(batch)}))
        return found

    async def articles_since(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        """Items with ids above `cursor`, the cursor being an id every item up to which has
        been delivered. Servers need not order `since_id` answers (coldsweat does not): a full
        answer of 50 may skip lower ids, so the ids it skipped below its highest are asked for
        by `with_ids` (at most `HOLE_CALLS` calls; the cursor stops where checking stopped)."""
        since = int(cursor) if cursor.isdigit() else 0
        page = {a.id: a for a in await self._items(client, {"since_id": str(since)})}
        if len(page) < ITEMS_PER_CALL:
            newest = max([since, *(int(i) for i in page)])
            return ArticlePage(sorted(page.values(), key=lambda a: int(a.id)), str(newest), False)
        top = max(int(i) for i in page)
        frontier = since
        for _ in range(HOLE_CALLS):
            holes = list(islice(_missing(frontier, top, page), ITEMS_PER_CALL))
            if not holes:
                frontier = top
                break
            for article in await self._items(client, {"with_ids": ",".join(map(str, holes))}):
                page.setdefault(article.id, article)
            frontier = holes[-1]
        else:
            if not list(islice(_missing(frontier, top, page), 1)):
                frontier = top
        done = sorted((a for a in page.values() if int(a.id) <= frontier), key=lambda a: int(a.id))
        return ArticlePage(done, str(frontier), True)

    async def mark(
        self, client: httpx.AsyncClient, ids: Sequence[str], field: Field, value: bool
    ) -> None:
        word = MARK_WORDS[(field, value)]
        gate = asyncio.Semaphore(MARKS_AT_ONCE)

        async def one(item_id: str) -> None:
            if not item_id.isdigit():
                raise SyncError(f"Fever mark: {shown(item_id, 40)} is not a Fever item id")
            async with gate:
                form = {"mark": "item", "as": word, "id": item_id}
                await self._api(client, f"Fever mark {word}", form=form)

        outcomes = await asyncio.gather(*(one(item_id) for item_id in ids), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def catch_up(self, client: httpx.AsyncClient, feed_id: str, before: float) -> None:
        if not feed_id.isdigit():
            raise SyncError(f"Fever mark feed read: {shown(feed_id, 40)} is not a Fever feed id")
        form = {"mark": "feed", "as": "read", "id": feed_id, "before": str(int(before))}
        await self._api(client, "Fever mark feed read", form=form)

    async def subscribe(self, client: httpx.AsyncClient, url: str, folder: str = "") -> str:
        raise SyncError(
            "Fever cannot add subscriptions through its API: subscribe on the server's own "
            "pages; the next sync brings the feed here"
        )

    async def unsubscribe(self, client: httpx.AsyncClient, feed_id: str) -> None:
        """Fever cannot remove a subscription. A synced feed removed in blogtui queues an
        unsubscription; refusing it would stop every later sync of the account, so it is taken
        as done: the server still lists the feed, and the next sync brings it back."""
        return None


BACKEND = FeverBackend
