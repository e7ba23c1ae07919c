"""A Google Reader API stand-in, written from FreshRSS's and Miniflux's API documentation.

Paths under `prefix` (FreshRSS serves the API under /api/greader.php, Miniflux at the root):

- `POST /accounts/ClientLogin` (form `Email`, `Passwd`) -> text `SID=…\\nLSID=null\\nAuth=…\\n`;
  a wrong password -> 401 `Unauthorized!`.
- Every `/reader/api/0/...` call needs `Authorization: GoogleLogin auth=<Auth>`; POSTs that
  change something (edit-tag, mark-all-as-read, subscription/edit, quickadd) also need the
  action token `T` from `GET /reader/api/0/token` (57 characters, as FreshRSS makes it). A
  refused session or a stale `T` -> 401 `Unauthorized!` with `X-Reader-Google-Bad-Token: true`
  (Miniflux sends that header on every 401, so clients cannot tell the two apart by it).
- `subscription/list`, `tag/list` (`output=json`), `subscription/edit` (`ac=subscribe` with
  `s=feed/<URL>`, `ac=unsubscribe|edit` with `s=feed/<id>`, `a=user/-/label/<Folder>`, `t`),
  `subscription/quickadd` (`quickadd=<URL>` -> `numResults`, `streamId`, `streamName`).
- `stream/items/ids` (`s`, repeated `xt`, `n` default 20, `c` continuation = the last id sent,
  given whenever a page is full, as FreshRSS does, `r=o` oldest first, `ot`/`nt` in seconds)
  -> `itemRefs` with decimal ids.
- `stream/items/contents` (POST, repeated `i` in long `tag:google.com,2005:reader/item/<16 hex>`,
  short decimal or bare hex form) and `stream/contents/<stream id>` (same paging as ids) ->
  `items` with long-form ids, `categories` holding the read/starred states, `origin.streamId`.
- `edit-tag` (`a`/`r` = `user/-/state/com.google/read|starred`, repeated `i`) -> `OK`.
- `mark-all-as-read` (`s=feed/<id>` or a label or the reading list, `ts` in microseconds when
  it has 16 or more digits, else seconds) marks what was crawled before `ts` -> `OK`.

Item ids are FreshRSS-like: the microsecond time the item was crawled. `garbage` names API paths
(e.g. "subscription/list") answered with a broken JSON body.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from standins.server import Reply, Seen, StandIn

STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
LABEL = "user/-/label/"
LONG_PREFIX = "tag:google.com,2005:reader/item/"


@dataclass
class GFeed:
    """A subscription: numeric id, URL, title, folder ("" = none)."""

    number: int
    url: str
    title: str
    folder: str = ""
    site: str = ""

    @property
    def stream(self) -> str:
        return f"feed/{self.number}"


@dataclass
class GItem:
    """An item: `id` is the crawl time in microseconds (FreshRSS's ids)."""

    id: int
    feed: int
    title: str
    html: str
    link: str
    published: int
    author: str = "Jörg Weißbach"
    read: bool = False
    starred: bool = False


def long_id(number: int) -> str:
    return f"{LONG_PREFIX}{number & 0xFFFFFFFFFFFFFFFF:016x}"


def parse_id(text: str) -> int | None:
    """Long form, bare 16 hex digits or decimal, as Miniflux and FreshRSS accept them."""
    try:
        if text.startswith(LONG_PREFIX):
            return int(text[len(LONG_PREFIX) :], 16)
        if len(text) == 16 and not text.lstrip("-").isdigit():
            return int(text, 16)
        return int(text)
    except ValueError:
        return None


class GReaderStandIn(StandIn):
    """A FreshRSS/Miniflux-like Google Reader API for one user."""

    def __init__(
        self,
        user: str = "lea",
        password: str = "Kennwort-für-Reader-2024",
        prefix: str = "/api/greader.php",
    ) -> None:
        super().__init__()
        self.user = user
        self.password = password
        self.prefix = prefix
        self.feeds: dict[int, GFeed] = {}
        self.items: dict[int, GItem] = {}
        self.session = 1
        """Bumped by `expire_session`: older Auth values are refused."""
        self.token_round = 1
        """Bumped by `expire_token`: older T values are refused."""
        self.garbage: set[str] = set()
        self.down: set[str] = set()
        """API calls (e.g. "edit-tag") answered 503, as FreshRSS's serviceUnavailable()."""
        self.broken_sessions = False
        self.stuck_continuation = False
        """When set, `c` is ignored: every page is the first again, with the same continuation."""
        """When set, ClientLogin still answers but every session it hands out is refused."""
        self.logins = 0
        self.tokens_issued = 0

    # ---------------------------------------------------------------- seeding and knobs

    @property
    def base_url(self) -> str:
        """What a user types as the account URL."""
        return self.origin + self.prefix

    def add_feed(self, url: str, title: str, folder: str = "") -> GFeed:
        number = max(self.feeds, default=0) + 1
        feed = GFeed(number, url, title, folder, url.rsplit("/", 1)[0] + "/")
        self.feeds[number] = feed
        return feed

    def add_item(self, feed: GFeed, n: int, published: int, **state: bool) -> GItem:
        crawl = published * 1_000_000 + n
        item = GItem(
            crawl,
            feed.number,
            f"Folge {n}: Über Umlaute, das ß und „Anführungszeichen“",
            f"<p>Teil {n}: Größe, Maß und Süße – grüße aus Köln.</p>",
            f"{feed.site}artikel-{n}",
            published,
            **state,
        )
        self.items[crawl] = item
        return item

    def auth(self) -> str:
        digest = hashlib.sha1(f"{self.user}:{self.password}:{self.session}".encode()).hexdigest()
        return f"{self.user}/{digest}"

    def token(self) -> str:
        digest = hashlib.sha1(f"{self.auth()}:{self.token_round}".encode()).hexdigest()
        return digest.ljust(57, "Z")

    def expire_session(self) -> None:
        self.session += 1

    def expire_token(self) -> None:
        self.token_round += 1

    # ---------------------------------------------------------------- dispatch

    def answer(self, seen: Seen) -> Reply:
        if not seen.path.startswith(self.prefix):
            return self.text(404, "Not Found")
        path = seen.path[len(self.prefix) :]
        form = parse_qs(seen.body.decode("utf-8"), keep_blank_values=True) if seen.body else {}
        values = {**seen.query, **form}
        if path == "/accounts/ClientLogin" and seen.method == "POST":
            return self.client_login(values)
        if not path.startswith("/reader/api/0/"):
            return self.text(404, "Not Found")
        header = seen.headers.get("authorization")
        if self.broken_sessions or header != f"GoogleLogin auth={self.auth()}":
            return self.unauthorized()
        call = path[len("/reader/api/0/") :]
        if call in self.down:
            return self.text(503, "Service Unavailable!")
        if call in self.garbage:
            return Reply(200, b'{"subscriptions": [{"id": "feed/1", ', self.json_type())
        if call == "token":
            self.tokens_issued += 1
            return self.text(200, self.token() + "\n")
        if seen.method == "POST" and call in EDITS:
            if (values.get("T") or [""])[0] != self.token():
                return self.unauthorized()
            return EDITS[call](self, values)
        if call.startswith("stream/contents/"):
            stream = unquote(seen.path.split("/stream/contents/", 1)[1])
            return self.stream_contents(stream, values)
        handler = READS.get(call)
        if handler is None:
            return self.text(404, "Not Found")
        return handler(self, values)

    @staticmethod
    def json_type() -> dict[str, str]:
        return {"Content-Type": "application/json; charset=UTF-8"}

    @staticmethod
    def text(status: int, body: str, **headers: str) -> Reply:
        plain = {"Content-Type": "text/plain; charset=UTF-8"}
        return Reply(status, body.encode(), {**plain, **headers})

    def unauthorized(self) -> Reply:
        return self.text(401, "Unauthorized!", **{"X-Reader-Google-Bad-Token": "true"})

    def client_login(self, values: dict[str, list[str]]) -> Reply:
        email = (values.get("Email") or [""])[0]
        passwd = (values.get("Passwd") or [""])[0]
        if email != self.user or passwd != self.password:
            return self.text(401, "Unauthorized!")
        self.logins += 1
        auth = self.auth()
        return self.text(200, f"SID={auth}\nLSID=null\nAuth={auth}\n")

    # ---------------------------------------------------------------- reads

    def subscription_list(self, values: dict[str, list[str]]) -> Reply:
        subs = []
        for feed in self.feeds.values():
            categories = []
            if feed.folder:
                categories.append({"id": LABEL + feed.folder, "label": feed.folder})
            subs.append(
                {
                    "id": feed.stream,
                    "title": feed.title,
                    "categories": categories,
                    "url": feed.url,
                    "htmlUrl": feed.site,
                    "iconUrl": "",
                }
            )
        return Reply.json(200, {"subscriptions": subs})

    def tag_list(self, values: dict[str, list[str]]) -> Reply:
        tags: list[dict[str, str]] = [{"id": STARRED}]
        for folder in sorted({f.folder for f in self.feeds.values() if f.folder}):
            tags.append({"id": LABEL + folder, "type": "folder"})
        return Reply.json(200, {"tags": tags})

    def select(self, stream: str, values: dict[str, list[str]]) -> tuple[list[GItem], str]:
        """The items of a stream, filtered and paged as FreshRSS does; the continuation."""
        chosen = list(self.items.values())
        if stream == STARRED:
            chosen = [i for i in chosen if i.starred]
        elif stream == READ:
            chosen = [i for i in chosen if i.read]
        elif stream.startswith("feed/"):
            chosen = [i for i in chosen if f"feed/{i.feed}" == stream]
        elif stream.startswith(LABEL):
            folder = stream[len(LABEL) :]
            chosen = [i for i in chosen if self.feeds[i.feed].folder == folder]
        elif stream != READING_LIST:
            return [], ""
        excluded = values.get("xt", [])
        if READ in excluded:
            chosen = [i for i in chosen if not i.read]
        if STARRED in excluded:
            chosen = [i for i in chosen if not i.starred]
        ot = int((values.get("ot") or ["0"])[0] or 0)
        nt = int((values.get("nt") or ["0"])[0] or 0)
        chosen = [i for i in chosen if i.id >= ot * 1_000_000 and (not nt or i.id < nt * 10**6)]
        oldest_first = (values.get("r") or ["d"])[0] == "o"
        chosen.sort(key=lambda i: i.id, reverse=not oldest_first)
        after = (values.get("c") or [""])[0]
        if after.isdigit() and not self.stuck_continuation:
            mark = int(after)
            chosen = [i for i in chosen if (i.id > mark if oldest_first else i.id < mark)]
        count = max(int((values.get("n") or ["20"])[0] or 20), 1)
        page = chosen[:count]
        # As FreshRSS: a full page always says where to go on (the next one may be empty).
        continuation = str(page[-1].id) if len(page) >= count else ""
        return page, continuation

    def stream_ids(self, values: dict[str, list[str]]) -> Reply:
        stream = (values.get("s") or [READING_LIST])[0]
        page, continuation = self.select(stream, values)
        refs = [
            {"id": str(i.id), "directStreamIds": [f"feed/{i.feed}"], "timestampUsec": str(i.id)}
            for i in page
        ]
        data: dict[str, object] = {"itemRefs": refs}
        if continuation:
            data["continuation"] = continuation
        return Reply.json(200, data)

    def entry(self, item: GItem) -> dict[str, object]:
        feed = self.feeds[item.feed]
        categories = [READING_LIST] + ([LABEL + feed.folder] if feed.folder else [])
        categories += [READ] if item.read else []
        categories += [STARRED] if item.starred else []
        return {
            "id": long_id(item.id),
            "crawlTimeMsec": str(item.id // 1000),
            "timestampUsec": str(item.id),
            "published": item.published,
            "title": item.title,
            "author": item.author,
            "summary": {"content": item.html},
            "alternate": [{"href": item.link, "type": "text/html"}],
            "canonical": [{"href": item.link}],
            "categories": categories,
            "origin": {"streamId": feed.stream, "title": feed.title, "htmlUrl": feed.site},
        }

    def items_contents(self, values: dict[str, list[str]]) -> Reply:
        wanted = [parse_id(i) for i in values.get("i", [])]
        items = [self.entry(self.items[n]) for n in wanted if n is not None and n in self.items]
        return Reply.json(200, {"id": READING_LIST, "items": items})

    def stream_contents(self, stream: str, values: dict[str, list[str]]) -> Reply:
        page, continuation = self.select(stream, values)
        data: dict[str, object] = {"id": stream, "items": [self.entry(i) for i in page]}
        if continuation:
            data["continuation"] = continuation
        return Reply(200, json.dumps(data, ensure_ascii=False).encode(), self.json_type())

    # ---------------------------------------------------------------- edits

    def edit_tag(self, values: dict[str, list[str]]) -> Reply:
        numbers = [parse_id(i) for i in values.get("i", [])]
        if not numbers or None in numbers:
            return self.text(400, "Bad Request!")
        for tags, on in ((values.get("a", []), True), (values.get("r", []), False)):
            for tag in tags:
                for number in numbers:
                    item = self.items.get(number or 0)
                    if item is not None and tag == READ:
                        item.read = on
                    elif item is not None and tag == STARRED:
                        item.starred = on
        return self.text(200, "OK")

    def mark_all_as_read(self, values: dict[str, list[str]]) -> Reply:
        stream = (values.get("s") or [""])[0]
        ts = (values.get("ts") or [""])[0]
        limit = int(ts) if len(ts) >= 16 else int(ts or 0) * 1_000_000 if ts else 2**63
        page, _ = self.select(stream, {"n": [str(len(self.items) + 1)]})
        for item in page:
            if item.id < limit:
                item.read = True
        return self.text(200, "OK")

    def subscription_edit(self, values: dict[str, list[str]]) -> Reply:
        action = (values.get("ac") or [""])[0]
        streams = values.get("s", [])
        add = (values.get("a") or [""])[0]
        title = (values.get("t") or [""])[0]
        folder = add[len(LABEL) :] if add.startswith(LABEL) else ""
        if not streams or action not in ("subscribe", "unsubscribe", "edit"):
            return self.text(400, "Bad Request!")
        if action == "subscribe":
            url = streams[0].removeprefix("feed/")
            if not url.startswith(("http://", "https://")):
                return self.text(400, "Bad Request!")
            self.add_feed(url, title or url, folder)
            return self.text(200, "OK")
        for stream in streams:
            number = stream.removeprefix("feed/")
            if not number.isdigit() or int(number) not in self.feeds:
                return self.text(400, "Bad Request!")
            if action == "unsubscribe":
                del self.feeds[int(number)]
                self.items = {k: v for k, v in self.items.items() if v.feed != int(number)}
            else:
                feed = self.feeds[int(number)]
                feed.folder = folder or feed.folder
                feed.title = title or feed.title
        return self.text(200, "OK")

    def quickadd(self, values: dict[str, list[str]]) -> Reply:
        url = (values.get("quickadd") or [""])[0]
        if not url.startswith(("http://", "https://")):
            return Reply.json(200, {"numResults": 0, "error": "Ungültige Adresse"})
        feed = self.add_feed(url, "Neu abonniert: Grüße")
        data = {"numResults": 1, "query": url, "streamId": feed.stream, "streamName": feed.title}
        return Reply.json(200, data)


READS = {
    "subscription/list": GReaderStandIn.subscription_list,
    "tag/list": GReaderStandIn.tag_list,
    "stream/items/ids": GReaderStandIn.stream_ids,
    "stream/items/contents": GReaderStandIn.items_contents,
}
EDITS = {
    "edit-tag": GReaderStandIn.edit_tag,
    "mark-all-as-read": GReaderStandIn.mark_all_as_read,
    "subscription/edit": GReaderStandIn.subscription_edit,
    "subscription/quickadd": GReaderStandIn.quickadd,
}
