"""The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux): `GReaderBackend`.

The account URL is the API's root: FreshRSS's `https://host/api/greader.php`, Miniflux's
`https://host`. `POST /accounts/ClientLogin` (Email, Passwd) gives the `Auth` token every call
sends as `Authorization: GoogleLogin auth=…`; POSTs also carry the action token `T` from
`GET /reader/api/0/token` (Miniflux authenticates POSTs by `T` alone).

A 401 is recovered from at most twice per call: a POST first fetches a fresh `T` (a stale token
is answered with 401 and `X-Reader-Google-Bad-Token: true`; Miniflux sends that header on every
401, so the header alone cannot tell), then the session is opened again (`login`); a third 401
raises `NotLoggedIn`.

Item ids: `stream/items/ids` gives short decimal ids, `stream/items/contents` long ones
(`tag:google.com,2005:reader/item/<16 hex>`); both map to the short form (`short_id`), which is
what this backend returns, and edits send the long form (`long_id`), which every server takes.
Id lists are read page by page through `c` continuations (`IDS_PER_PAGE` at a time).
New articles (`articles_since`) come from the reading list oldest first: their ids by
`stream/items/ids` (with `ot`, the crawl time to start from, and `c`), their bodies by
`stream/items/contents` — the two calls every one of these servers implements.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

from blogtui.core.sync.base import (
    ArticlePage,
    AuthFailed,
    Field,
    NotLoggedIn,
    RemoteArticle,
    RemoteFeed,
    SyncBackend,
    SyncError,
)
from blogtui.core.sync.http import Reply, call, json_of, shown

STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
LABEL = "user/-/label/"
LONG_PREFIX = "tag:google.com,2005:reader/item/"
API = "/reader/api/0/"
IDS_PER_PAGE = 1000
"""Ids asked for per `stream/items/ids` page: memory per answer stays small however many."""
MAX_ID_PAGES = 10_000
"""A continuation that never ends is cut here (ten million ids)."""
CONTENTS_PER_CALL = 100
"""Items asked for per `stream/items/contents` call."""
EDITS_PER_CALL = 250
"""Item ids sent per `edit-tag` call."""
TAGS: dict[Field, str] = {"read": READ, "starred": STARRED}


def short_id(text: str) -> str:
    """An item id in its short form (signed 64-bit decimal) from the long, bare hex or short
    form; raises SyncError for anything else."""
    value = text.strip()
    try:
        if value.startswith(LONG_PREFIX):
            number = int(value[len(LONG_PREFIX) :], 16)
        elif len(value) == 16 and not value.lstrip("-").isdigit():
            number = int(value, 16)
        else:
            number = int(value, 10)
    except ValueError:
        raise SyncError(f"Google Reader: {shown(value, 60)} is not an item id") from None
    if not -(2**63) <= number < 2**64:
        raise SyncError(f"Google Reader: {shown(value, 60)} is not an item id")
    return str(number - 2**64 if number >= 2**63 else number)


def long_id(short: str) -> str:
    """The long form of a short (decimal) item id."""
    return f"{LONG_PREFIX}{int(short) & 0xFFFFFFFFFFFFFFFF:016x}"


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _has_state(categories: object, state: str) -> bool:
    """Whether a state like `…/state/com.google/read` is among the categories (any user)."""
    suffix = state[len("user/-") :]
    return isinstance(categories, list) and any(
        isinstance(c, str) and c.startswith("user/") and c.endswith(suffix) for c in categories
    )


def _first_href(links: object) -> str:
    if isinstance(links, list) and links and isinstance(links[0], dict):
        return _text(links[0].get("href"))
    return ""


def _crawled(item: dict[str, Any]) -> float:
    """When the server fetched the item (Unix time), else when it was published."""
    for key, scale in (("timestampUsec", 1e6), ("crawlTimeMsec", 1e3), ("published", 1.0)):
        value = item.get(key)
        if isinstance(value, str) and value.isdigit() or isinstance(value, int | float):
            return float(value) / scale
    return 0.0


def article_of(item: object) -> RemoteArticle | None:
    """One item of a `stream/items/contents` answer; None when it has no usable id."""
    if not isinstance(item, dict):
        return None
    try:
        item_id = short_id(_text(item.get("id")))
    except SyncError:
        return None
    origin = item.get("origin")
    body = item.get("content") or item.get("summary")
    published = item.get("published")
    return RemoteArticle(
        id=item_id,
        feed_id=_text(origin.get("streamId")) if isinstance(origin, dict) else "",
        guid="",
        link=_first_href(item.get("canonical")) or _first_href(item.get("alternate")),
        title=_text(item.get("title")),
        author=_text(item.get("author")),
        html=_text(body.get("content")) if isinstance(body, dict) else "",
        published=float(published) if isinstance(published, int | float) else 0.0,
        unread=not _has_state(item.get("categories"), READ),
        starred=_has_state(item.get("categories"), STARRED),
    )


def folder_of(subscription: dict[str, Any]) -> str:
    """The first folder (label) a subscription is in, "" for none."""
    for category in subscription.get("categories") or []:
        if isinstance(category, dict):
            label = _text(category.get("label"))
            ident = _text(category.get("id"))
            if label or "/label/" in ident:
                return label or ident.split("/label/", 1)[1]
    return ""


class GReaderBackend(SyncBackend):
    """One Google Reader API account."""

    kind = "greader"
    page_size = CONTENTS_PER_CALL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._auth = ""
        self._token = ""

    @property
    def root(self) -> str:
        return self.account.url.strip().rstrip("/")

    async def login(self, client: httpx.AsyncClient) -> None:
        what = "Google Reader login"
        reply = await call(
            client,
            "POST",
            self.root + "/accounts/ClientLogin",
            what=what,
            data={"Email": self.account.user, "Passwd": self.password},
            headers={"Accept": "text/plain, */*"},
        )
        if reply.status in (401, 403):
            raise AuthFailed(
                f"{what}: the server refused the user name or password (FreshRSS and Miniflux "
                "want the API password set in their settings)"
            )
        if reply.status != 200:
            raise SyncError(f"{what}: the server answered HTTP {reply.status}; check the URL")
        fields = dict(line.partition("=")[::2] for line in reply.text.splitlines() if "=" in line)
        auth = fields.get("Auth", "").strip()
        if not auth:
            raise SyncError(f"{what}: the answer has no Auth token; check the URL")
        self._auth, self._token = auth, ""

    async def _fetch_token(self, client: httpx.AsyncClient) -> bool:
        """A fresh action token; False when the session was refused (401)."""
        reply = await call(
            client, "GET", self.root + API + "token", what="Google Reader token",
            headers=self._headers(),
        )  # fmt: skip
        if reply.status == 401:
            return False
        if reply.status != 200 or not reply.text.strip():
            raise SyncError(f"Google Reader token: the server answered HTTP {reply.status}")
        self._token = reply.text.strip()
        return True

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={self._auth}"}

    async def _request(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        what: str,
        params: Mapping[str, Any] | None = None,
        form: Mapping[str, Any] | None = None,
    ) -> Reply:
        """One API call with the session, recovering from 401 as the module says."""
        if not self._auth:
            await self.login(client)
        relogged = False
        for attempt in range(3):
            reply = await self._send(client, method, path, what, params, form)
            if reply is not None and reply.status != 401:
                return reply
            if attempt == 0 and reply is not None and method == "POST":
                self._token = ""  # perhaps only the action token went stale
            elif not relogged:
                relogged = True
                await self.login(client)
            else:
                break
        raise NotLoggedIn(f"{what}: the server refused the session after a new login")

    async def _send(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        what: str,
        params: Mapping[str, Any] | None,
        form: Mapping[str, Any] | None,
    ) -> Reply | None:
        """The request itself; None when fetching the action token was refused (401)."""
        data = None
        if method == "POST":
            if not self._token and not await self._fetch_token(client):
                return None
            data = {**(form or {}), "T": self._token}
        return await call(
            client, method, self.root + API + path, what=what, params=params, data=data,
            headers=self._headers(),
        )  # fmt: skip

    async def _json(
        self, client: httpx.AsyncClient, method: str, path: str, what: str, **kwargs: Any
    ) -> dict[str, Any]:
        reply = await self._request(client, method, path, what, **kwargs)
        if reply.status != 200:
            raise SyncError(f"{what}: the server answered HTTP {reply.status}")
        data = json_of(reply, what)
        if not isinstance(data, dict):
            raise SyncError(f"{what}: the answer is not a JSON object")
        return data

    async def _edit(self, client: httpx.AsyncClient, path: str, what: str, form: Any) -> None:
        reply = await self._request(client, "POST", path, what, form=form)
        if not 200 <= reply.status < 300:
            detail = shown(reply.text, 80)
            raise SyncError(f"{what}: the server answered HTTP {reply.status} {detail}".strip())

    async def feeds(self, client: httpx.AsyncClient) -> list[RemoteFeed]:
        what = "Google Reader subscriptions"
        data = await self._json(client, "GET", "subscription/list", what, params={"output": "json"})
        subscriptions = data.get("subscriptions")
        if not isinstance(subscriptions, list):
            raise SyncError(f"{what}: the answer has no subscription list")
        return [
            RemoteFeed(
                id=_text(sub.get("id")),
                url=_text(sub.get("url")),
                title=_text(sub.get("title")),
                folder=folder_of(sub),
                site_url=_text(sub.get("htmlUrl")),
            )
            for sub in subscriptions
            if isinstance(sub, dict) and _text(sub.get("id"))
        ]

    async def _id_pages(
        self, client: httpx.AsyncClient, params: dict[str, Any], what: str
    ) -> tuple[list[str], str]:
        """One `stream/items/ids` page: short ids and the continuation ("" at the end)."""
        data = await self._json(client, "GET", "stream/items/ids", what, params=params)
        refs = data.get("itemRefs") or []
        if not isinstance(refs, list):
            raise SyncError(f"{what}: the answer has no item list")
        ids = [short_id(_text(ref.get("id"))) for ref in refs if isinstance(ref, dict)]
        return ids, _text(data.get("continuation"))

    async def _all_ids(self, client: httpx.AsyncClient, stream: str, exclude: str = "") -> set[str]:
        what = "Google Reader unread ids" if exclude else "Google Reader starred ids"
        params: dict[str, Any] = {"s": stream, "n": IDS_PER_PAGE, "output": "json"}
        if exclude:
            params["xt"] = exclude
        found: set[str] = set()
        seen_continuations: set[str] = set()
        for _ in range(MAX_ID_PAGES):
            ids, continuation = await self._id_pages(client, params, what)
            found.update(ids)
            if not continuation:
                return found
            if continuation in seen_continuations:
                raise SyncError(f"{what}: the server's continuation does not advance")
            seen_continuations.add(continuation)
            params["c"] = continuation
        raise SyncError(f"{what}: more than {MAX_ID_PAGES * IDS_PER_PAGE} ids")

    async def unread_ids(self, client: httpx.AsyncClient) -> set[str]:
        return await self._all_ids(client, READING_LIST, exclude=READ)

    async def starred_ids(self, client: httpx.AsyncClient) -> set[str]:
        return await self._all_ids(client, STARRED)

    async def _contents(
        self, client: httpx.AsyncClient, ids: Sequence[str]
    ) -> list[tuple[RemoteArticle, float]]:
        what = "Google Reader items"
        found: list[tuple[RemoteArticle, float]] = []
        for batch in _chunks(ids, CONTENTS_PER_CALL):
            form = {"i": [long_id(i) for i in batch], "output": "json"}
            data = await self._json(client, "POST", "stream/items/contents", what, form=form)
            items = data.get("items") or []
            if not isinstance(items, list):
                raise SyncError(f"{what}: the answer has no item list")
            for item in items:
                article = article_of(item)
                if article is not None and isinstance(item, dict):
                    found.append((article, _crawled(item)))
        return found

    async def articles(self, client: httpx.AsyncClient, ids: Sequence[str]) -> list[RemoteArticle]:
        wanted = list(dict.fromkeys(short_id(i) for i in ids))
        return [article for article, _ in await self._contents(client, wanted)]

    async def articles_since(self, client: httpx.AsyncClient, cursor: str) -> ArticlePage:
        """Cursor: `<ot>` (the crawl time to start from, in seconds; "" = everything), or in
        the middle of a walk `<ot>|<continuation>|<newest crawl time so far>`."""
        start, _, rest = cursor.partition("|")
        continuation, _, newest_so_far = rest.partition("|")
        params: dict[str, Any] = {"s": READING_LIST, "r": "o", "n": self.page_size}
        params["output"] = "json"
        if start.isdigit():
            params["ot"] = start
        if continuation:
            params["c"] = continuation
        ids, following = await self._id_pages(client, params, "Google Reader new items")
        pairs = await self._contents(client, ids)
        times = [int(t) for _, t in pairs]
        newest = max([int(n) for n in (start, newest_so_far) if n.isdigit()] + times + [0])
        articles = [article for article, _ in pairs]
        if following and following != continuation:
            return ArticlePage(articles, f"{start}|{following}|{newest}", True)
        return ArticlePage(articles, str(newest) if newest else start, False)

    async def mark(
        self, client: httpx.AsyncClient, ids: Sequence[str], field: Field, value: bool
    ) -> None:
        what = f"Google Reader mark {field}" if value else f"Google Reader mark not {field}"
        for batch in _chunks([long_id(short_id(i)) for i in ids], EDITS_PER_CALL):
            form = {"a" if value else "r": TAGS[field], "i": list(batch)}
            await self._edit(client, "edit-tag", what, form)

    async def catch_up(self, client: httpx.AsyncClient, feed_id: str, before: float) -> None:
        form = {"s": feed_id, "ts": str(int(before * 1_000_000))}
        await self._edit(client, "mark-all-as-read", "Google Reader mark feed read", form)

    async def subscribe(self, client: httpx.AsyncClient, url: str, folder: str = "") -> str:
        what = "Google Reader subscribe"
        data = await self._json(
            client, "POST", "subscription/quickadd", what, form={"quickadd": url}
        )
        stream = _text(data.get("streamId"))
        if not stream or not data.get("numResults"):
            reason = shown(data.get("error") or "no feed found there", 120)
            raise SyncError(f"{what}: the server did not subscribe to {shown(url, 120)} ({reason})")
        stream = f"feed/{stream}" if stream.isdigit() else stream
        if folder:
            form = {"ac": "edit", "s": stream, "a": LABEL + folder}
            await self._edit(client, "subscription/edit", f"{what} (folder)", form)
        return stream

    async def unsubscribe(self, client: httpx.AsyncClient, feed_id: str) -> None:
        form = {"ac": "unsubscribe", "s": feed_id}
        await self._edit(client, "subscription/edit", "Google Reader unsubscribe", form)


BACKEND = GReaderBackend
