"""Tiny Tiny RSS through its JSON API (`api/`, API level 15 and later).

Every call is a POST of a JSON object (`op`, `sid`, parameters) answered by
`{"seq", "status", "content"}`; status 1 carries `content.error` (NOT_LOGGED_IN, LOGIN_ERROR,
API_DISABLED, INCORRECT_USAGE...). An expired session is logged into again once.

- Feeds: `getCategories` (folder titles) and `getFeeds` with `cat_id` -3 (every real feed).
- New articles: `getHeadlines` of feed -4 (all) with `since_id` (the cursor), `skip` paging and
  `show_content`; the cursor is "since/skip/max" while paging and the highest id seen after.
- Headlines with content are asked with `sanitize` off: blogtui cleans every body itself (the
  one sanitiser), so tt-rss's own DOM pass over each article would be paid twice.
- Id sets: `getHeadlines` of feed -4 in `view_mode` "unread", and of feed -1 (starred), paged.
- Bodies: `getArticle` with a comma-separated id list. Marks: `updateArticle` (field 2 unread,
  field 0 starred; mode 0/1).
- Catch-up: `catchupFeed` marks the whole feed; tt-rss has no timestamp for it (only "older
  than a day/week"), so when the feed has unread articles newer than the time asked for, those
  older are marked by id instead.
- Subscriptions: `subscribeToFeed` (tt-rss fetches the URL itself) and `unsubscribeFeed`.
- Retention: the user's PURGE_OLD_DAYS preference (`getPref`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from blogtui.core.sync.base import (
    Account,
    ArticlePage,
    AuthFailed,
    Field,
    NotLoggedIn,
    RemoteArticle,
    RemoteFeed,
    SyncBackend,
    SyncError,
)
from blogtui.core.sync.http import call, json_of, shown
from blogtui.core.sync.ttrss_parse import (
    SUBSCRIBE_ERRORS,
    api_url,
    article_of,
    error_of,
    listed,
    parse_cursor,
)

LIMIT = 200
"""Most headlines tt-rss gives per getHeadlines call."""
PARALLEL = 4
"""getHeadlines pages asked for at once."""
AHEAD = 2 * PARALLEL
"""Feeds a first pull asks for ahead of the page it returns (PARALLEL calls at a time): the
server's workers never wait for the slowest feed of a page, nor for the store."""
FEED_CAP = 5 * LIMIT
"""Newest articles of one feed a first pull holds at most (memory stays bounded by AHEAD
feeds of FEED_CAP, and a server repeating a page forever is left): the feed's older unread and
starred articles come through the id sets, which that sync then pulls too."""
MARK_BATCH = 500
"""Article ids per updateArticle call."""
MAX_IDS = 1_000_000
"""Headlines an id listing goes through at most: past that, the server is taken to repeat
itself (a sync that would never end), and the account's sync stops with that message."""
NEVER_PURGED_DAYS = 3650.0
"""The window used when the user's tt-rss never purges (PURGE_OLD_DAYS 0)."""


class TtrssBackend(SyncBackend):
    """A Tiny Tiny RSS user."""

    kind = "ttrss"
    page_size = LIMIT * PARALLEL
    complete_first_pull = True

    def __init__(self, account: Account, password: str) -> None:
        super().__init__(account, password)
        self.endpoint = api_url(account.url)
        self.sid = ""
        self._feed_ids: list[int] | None = None
        """The feeds a first pull goes through (read once per backend)."""
        self._ahead: dict[int, asyncio.Task[list[RemoteArticle]]] = {}
        """A first pull's feeds being read ahead, by feed id."""
        self._gate = asyncio.Semaphore(PARALLEL)
        """Held by each first-pull getHeadlines call."""
        self._capped = False
        """Whether a feed of the first pull had more than FEED_CAP articles."""

    async def login(self, client: httpx.AsyncClient) -> None:
        """Open a session (`sid`)."""
        content = await self._post(
            client, {"op": "login", "user": self.account.user, "password": self.password}
        )
        sid = content.get("session_id") if isinstance(content, dict) else None
        if not isinstance(sid, str) or not sid:
            raise SyncError("tt-rss answered the login without a session")
        self.sid = sid

    async def api(self, client: httpx.AsyncClient, op: str, **params: Any) -> Any:
        """Call `op` in the session (logging in first, and once more when it expired)."""
        if not self.sid:
            await self.login(client)
        for attempt in (1, 2):
            try:
                return await self._post(client, {"op": op, "sid": self.sid, **params})
            except NotLoggedIn:
                if attempt == 2:
                    raise
                await self.login(client)
        raise AssertionError("unreachable")

    async def _post(self, client: httpx.AsyncClient, body: dict[str, Any]) -> Any:
        what = f"tt-rss {body['op']}"
        reply = await call(client, "POST", self.endpoint, what=what, json_body=body)
        if reply.status in (401, 403):
            raise AuthFailed(f"{what}: the web server refused access (HTTP {reply.status})")
        if reply.status != 200:
            raise SyncError(f"{what}: the server answered HTTP {reply.status}")
        data = json_of(reply, what)
        if not isinstance(data, dict) or "content" not in data:
            raise SyncError(f"{what}: the answer is not a tt-rss API answer")
        content = data["content"]
        if data.get("status") != 0:
            error = content.get("error") if isinstance(content, dict) else None
            raise error_of(what, str(error or "unknown error"))
        return content

    async def feeds(self, client: httpx.AsyncClient) -> list[RemoteFeed]:
        """Every real feed with its category's title as the folder."""
        if not self.sid:
            await self.login(client)
        categories, feeds = await asyncio.gather(
            self.api(client, "getCategories", include_empty=True),
            self.api(client, "getFeeds", cat_id=-3),
        )
        self._feed_ids = _real_feeds(feeds)
        titles = {
            str(c.get("id")): str(c.get("title") or "")
            for c in listed(categories, "getCategories")
            if isinstance(c, dict) and isinstance(c.get("id"), int) and c["id"] > 0
        }
        return [
            RemoteFeed(
                id=str(f["id"]),
                url=str(f.get("feed_url") or ""),
                title=str(f.get("title") or ""),
                folder=titles.get(str(f.get("cat_id")), ""),
            )
            for f in listed(feeds, "getFeeds")
            if isinstance(f, dict) and "id" in f
        ]

    async def _headline_ids(
        self, client: httpx.AsyncClient, feed_id: int, mode: str, pages: int = PARALLEL
    ) -> set[str]:
        ids: set[str] = set()
        skip = 0
        while True:
            found = await self._pages(client, skip, pages, feed_id=feed_id, view_mode=mode)
            for rows in found:
                ids.update(str(row["id"]) for row in rows if isinstance(row, dict) and "id" in row)
            if any(len(rows) < LIMIT for rows in found):
                return ids
            skip = _next_skip(skip, pages * LIMIT)

    async def _pages(
        self, client: httpx.AsyncClient, skip: int, pages: int = PARALLEL, **params: Any
    ) -> list[list[Any]]:
        """`pages` pages of headlines from `skip` on, asked for at once (tt-rss spends about
        half a millisecond per headline: its workers share that)."""
        if not self.sid:
            await self.login(client)
        calls = (self._headlines(client, skip=skip + n * LIMIT, **params) for n in range(pages))
        return list(await asyncio.gather(*calls))

    async def _headlines(self, client: httpx.AsyncClient, **params: Any) -> list[Any]:
        rows = await self.api(client, "getHeadlines", limit=LIMIT, **params)
        return listed(rows, "getHeadlines")

    async def unread_ids(self, client: httpx.AsyncClient) -> set[str]:
        """Every unread article (feed -4: all feeds)."""
        return await self._headline_ids(client, -4, "unread")

    async def unread_id_pages(self, client: httpx.AsyncClient) -> AsyncIterator[list[str]]:
        """The unread articles' ids, PARALLEL pages at a time."""
        skip = 0
        while True:
            found = await self._pages(client, skip, feed_id=-4, view_mode="unread")
            yield [str(row["id"]) for rows in found for row in rows
                   if isinstance(row, dict) and "id" in row]  # fmt: skip
            if any(len(rows) < LIMIT for rows in found):
                return
            skip = _next_skip(skip, PARALLEL * LIMIT)

    async def unread_counts(self, client: httpx.AsyncClient) -> dict[str, int] | None:
        """getFeeds' unread count of every real feed."""
        feeds = await self.api(client, "getFeeds", cat_id=-3)
        return {
            str(f["id"]): int(f.get("unread") or 0)
            for f in listed(feeds, "getFeeds")
            if isinstance(f, dict) and "id" in f and str(f.get("unread") or 0).isdigit()
        }

    async def feed_unread_ids(self, client: httpx.AsyncClient, feed_ids: Sequence[str]) -> set[str]:
        """The unread headlines of each of these feeds, PARALLEL feeds at once."""
        ids: set[str] = set()
        for start in range(0, len(feed_ids), PARALLEL):
            batch = [int(f) for f in feed_ids[start : start + PARALLEL] if f.isdigit()]
            for found in await asyncio.gather(
                *(self._headline_ids(client, feed, "unread", pages=1) for feed in batch)
            ):
                ids |= found
        return ids

    async def starred_ids(self, client: httpx.AsyncClient) -> set[str]:
        """Every starred article (feed -1: starred)."""
        return await self._headline_ids(client, -1, "all_articles")

    async def articles(self, client: httpx.AsyncClient, ids: Sequence[str]) -> list[RemoteArticle]:
        """The articles with these ids, LIMIT per getArticle call."""
        found: list[RemoteArticle] = []
        for start in range(0, len(ids), LIMIT):
            rows = await self.api(
                client, "getArticle", article_id=",".join(ids[start : start + LIMIT])
            )
            found.extend(article_of(row) for row in listed(rows, "getArticle"))
        return found

    async def articles_since(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        """New articles with their bodies. A first pull goes feed by feed, PARALLEL feeds at a
        time (cursor "f/<last feed id>/<highest article id>": tt-rss sorts one feed's
        headlines far faster than all of them); later ones page through every feed's articles
        above the highest id seen."""
        if cursor == "" or cursor.startswith("f/"):
            return await self._first_pull(client, cursor)
        since, skip, highest = parse_cursor(cursor)
        pages = await self._pages(
            client,
            skip,
            feed_id=-4,
            view_mode="all_articles",
            since_id=since,
            show_content=True,
            include_attachments=False,
            sanitize=False,
        )
        page = [article_of(row) for rows in pages for row in rows]
        highest = max([highest, *(int(a.id) for a in page if a.id.isdigit())])
        if any(len(rows) < LIMIT for rows in pages):
            return ArticlePage(page, str(highest), more=False)
        return ArticlePage(page, f"{since}/{skip + len(page)}/{highest}", more=True)

    async def _first_pull(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        parts = (cursor or "f/0/0").split("/")
        if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
            parts = ["f", "0", "0"]  # not one of ours: start the first pull again
        _, last, highest = parts
        if self._feed_ids is None:
            self._feed_ids = _real_feeds(await self.api(client, "getFeeds", cat_id=-3))
        ids = [feed for feed in self._feed_ids if feed > int(last)]
        for feed in ids[:AHEAD]:
            if feed not in self._ahead:
                self._ahead[feed] = asyncio.ensure_future(self._feed_articles(client, feed))
        batch = ids[:PARALLEL]
        page = [article for feed in batch for article in await self._ahead.pop(feed)]
        top = max([int(highest), *(int(a.id) for a in page if a.id.isdigit())])
        if len(ids) <= PARALLEL:
            return ArticlePage(page, str(top), more=False)
        return ArticlePage(page, f"f/{batch[-1]}/{top}", more=True)

    async def _feed_articles(self, client: httpx.AsyncClient, feed_id: int) -> list[RemoteArticle]:
        articles: list[RemoteArticle] = []
        while True:
            async with self._gate:
                rows = await self._headlines(
                    client,
                    feed_id=feed_id,
                    view_mode="all_articles",
                    skip=len(articles),
                    show_content=True,
                    include_attachments=False,
                    sanitize=False,
                )
            articles.extend(article_of(row) for row in rows)
            if len(rows) < LIMIT:
                return articles
            if len(articles) >= FEED_CAP:
                self._capped = True
                return articles

    def first_pull_complete(self) -> bool:
        """True unless a feed had more articles than a first pull holds (FEED_CAP)."""
        return not self._capped

    def abandon(self) -> None:
        """Cancel the feeds read ahead (a failed or stopped first pull)."""
        for task in self._ahead.values():
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: its failure was reported by the one awaited
            task.cancel()
        self._ahead.clear()

    async def mark(
        self, client: httpx.AsyncClient, ids: Sequence[str], field: Field, value: bool
    ) -> None:
        """updateArticle in batches: field 2 (unread) or 0 (starred), mode 1 set / 0 clear."""
        code, mode = (2, int(not value)) if field == "read" else (0, int(value))
        for start in range(0, len(ids), MARK_BATCH):
            batch = ",".join(ids[start : start + MARK_BATCH])
            await self.api(client, "updateArticle", article_ids=batch, field=code, mode=mode)

    async def catch_up(self, client: httpx.AsyncClient, feed_id: str, before: float) -> None:
        """catchupFeed when nothing unread in the feed is newer than `before`, else by ids."""
        older: list[str] = []
        newer = False
        skip = 0
        while True:
            rows = await self._headlines(
                client, feed_id=int(feed_id), view_mode="unread", skip=skip
            )
            for row in rows:
                article = article_of(row)
                if article.published and article.published > before:
                    newer = True
                else:
                    older.append(article.id)
            if len(rows) < LIMIT:
                break
            skip = _next_skip(skip, len(rows))
        if not newer:
            await self.api(client, "catchupFeed", feed_id=int(feed_id), is_cat=False, mode="all")
        elif older:
            await self.mark(client, older, "read", True)

    async def subscribe(self, client: httpx.AsyncClient, url: str, folder: str = "") -> str:
        """subscribeToFeed into the category titled `folder` (none when there is none)."""
        category = 0
        if folder:
            categories = await self.api(client, "getCategories", include_empty=True)
            for c in listed(categories, "getCategories"):
                if (
                    isinstance(c, dict)
                    and c.get("title") == folder
                    and isinstance(c.get("id"), int)
                ):
                    category = max(0, c["id"])
        content = await self.api(client, "subscribeToFeed", feed_url=url, category_id=category)
        status = content.get("status") if isinstance(content, dict) else None
        code = status.get("code") if isinstance(status, dict) else None
        if code in (0, 1) and isinstance(status, dict) and "feed_id" in status:
            return str(status["feed_id"])
        raise SyncError(
            SUBSCRIBE_ERRORS.get(code, f"tt-rss did not subscribe (code {shown(code)})")
            if isinstance(code, int)
            else "tt-rss did not subscribe"
        )

    async def unsubscribe(self, client: httpx.AsyncClient, feed_id: str) -> None:
        """unsubscribeFeed; a feed tt-rss no longer has counts as unsubscribed."""
        try:
            await self.api(client, "unsubscribeFeed", feed_id=int(feed_id))
        except SyncError as error:
            if "FEED_NOT_FOUND" not in error.message:
                raise

    async def retention_days(self, client: httpx.AsyncClient) -> float:
        """The user's PURGE_OLD_DAYS (0: never purged)."""
        content = await self.api(client, "getPref", pref_name="PURGE_OLD_DAYS")
        value = content.get("value") if isinstance(content, dict) else None
        try:
            days = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SyncError("tt-rss getPref: PURGE_OLD_DAYS is not a number") from None
        return days if days > 0 else NEVER_PURGED_DAYS


def _next_skip(skip: int, step: int) -> int:
    """The next page's `skip`; SyncError once a listing passes MAX_IDS headlines."""
    if skip + step >= MAX_IDS:
        raise SyncError(
            f"tt-rss getHeadlines: more than {MAX_IDS:,} headlines in one listing;"
            " the server seems to repeat itself"
        )
    return skip + step


def _real_feeds(feeds: Any) -> list[int]:
    """The ids of getFeeds' real feeds, in order."""
    return sorted(
        f["id"] for f in listed(feeds, "getFeeds")
        if isinstance(f, dict) and isinstance(f.get("id"), int) and f["id"] > 0
    )  # fmt: skip


BACKEND = TtrssBackend
"""What core.sync.registry uses for accounts of kind "ttrss"."""
