"""Replying through the REAL Waline (`.ci/waline.sh`) with the outbox: anonymous replies at the
top level and deep in a thread, a lost answer looked up and never posted twice, a reply the
server has already, and a server that is down."""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import post_comment, seed, server_tree
from standins.threads import german_thread

from blogtui.core.comments.loading import load_thread
from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import Article, EntryData
from blogtui.core.posting import queue_reply, send_pending
from blogtui.core.posting.select import choose_poster
from blogtui.core.posting.waline import WalinePoster
from blogtui.core.store import Store

ME = Identity("Jörg Prüfer", "joerg.pruefer@example.org", "https://joerg.example/")
LATER = time.time() + 86400


class Local:
    """A store with the article, its drafts, and the thread path on the Waline server."""

    def __init__(self, tmp_path, url: str) -> None:
        self.store = Store(tmp_path / "db.sqlite")
        feed, _ = self.store.add_feed(url + "feed.xml", "Testblog")
        entry = EntryData(key=url, title="Ein Artikel", link=url)
        self.store.upsert_articles(feed.id, [entry])
        article = self.store.get_article(self.store.article_ids([feed.id])[0])
        assert article is not None
        self.article: Article = article
        self.drafts = DraftStore(tmp_path / "drafts")
        self.url, self.path = url, urlsplit(url).path

    def queue(self, text: str, parent: str = "", who: Identity = ME) -> str:
        draft = self.drafts.new(blog="waline", article_url=self.url, parent_id=parent,
                                identity=who, text=text)  # fmt: skip
        queue_reply(self.store, self.drafts, draft, self.article.id)
        return draft.id


@pytest.fixture
async def local(tmp_path, blog, client) -> Local:
    """The article read once, so that the store remembers its blog speaks Waline."""
    here = Local(tmp_path, blog.article(f"posten-{tmp_path.name[-12:]}"))
    result = await load_thread(client, here.store, here.article)
    assert (result.provider, result.error) == ("waline", "")
    return here


def raw_items(waline: str, path: str) -> list[dict[str, Any]]:
    """Every comment object of `path` as Waline lists it."""
    data = httpx.get(f"{waline}/api/comment", params={"path": path, "pageSize": 100}).json()
    return [c for root in data["data"]["data"] for c in [root, *root["children"]]]


def on_server(waline: str, path: str, text: str) -> list[dict[str, Any]]:
    return [c for c in raw_items(waline, path) if c.get("orig") == text]


async def test_the_remembered_provider_picks_the_waline_poster(local):
    draft = local.drafts.load(local.queue("Nur zur Auswahl"))
    assert isinstance(choose_poster(local.store, draft), WalinePoster)


async def test_top_level_and_nested_replies_are_posted_where_they_belong(blog, local, client):
    items = german_thread(20, depth=8)
    ids = seed(blog.waline, local.path, items)
    text = f"Grüße aus Köln – „Anführungszeichen“ & Käse {local.path}"
    local.queue(text)
    [top] = await send_pending(local.store, local.drafts, client)
    assert (top.state, top.requests) == ("posted", 1), top
    assert top.remote_url == f"{local.url}#{top.remote_id}"
    deep = f"Antwort ganz unten, äöüß {local.path}"
    local.queue(deep, parent=ids[8])
    [nested] = await send_pending(local.store, local.drafts, client)
    assert nested.state == "posted", nested
    tree = server_tree(blog.waline, local.path)
    assert (top.remote_id, "") in tree and (nested.remote_id, ids[8]) in tree
    [mine] = on_server(blog.waline, local.path, deep)
    assert (mine["nick"], mine["link"], str(mine["rid"])) == (ME.name, ME.website, ids[1])
    assert "mail" not in mine  # Waline shows the address to nobody but its admin
    stored = {c.key: c for c in local.store.comments_for(local.article.id)}
    assert stored[nested.remote_id].parent_key == ids[8]


class Faulty(httpx.AsyncBaseTransport):
    """In front of the real Waline: the next comment POST reaches it and is stored, but its
    answer is lost (a 502 from a proxy, a timeout, a dropped connection). Counts POSTs."""

    def __init__(self, mode: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.mode = mode
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST":
            return await self.inner.handle_async_request(request)
        self.posts += 1
        mode, self.mode = self.mode, "pass"
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if mode == "502-after":
            return httpx.Response(502, headers={"Content-Type": "text/html"}, content=b"<h1>502")
        if mode == "timeout-after":
            raise httpx.ReadTimeout("timed out", request=request)
        if mode == "dropped-after":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("mode", ["502-after", "timeout-after", "dropped-after"])
async def test_a_lost_answer_is_looked_up_and_never_posted_twice(blog, local, mode):
    text = f"Antwort verloren ({mode}), Größe {local.path}"
    local.queue(text)
    front = Faulty(mode)
    async with httpx.AsyncClient(transport=front) as faulty:
        [first] = await send_pending(local.store, local.drafts, faulty)
        assert first.state == "unsure", first
        [second] = await send_pending(local.store, local.drafts, faulty, now=LATER)
    assert (second.state, second.requests) == ("posted", 0), second
    [mine] = on_server(blog.waline, local.path, text)
    assert front.posts == 1 and second.remote_id == str(mine["objectId"])


async def test_a_reply_the_server_has_already_is_not_sent_again(blog, local):
    text = f"Schon da, weiß ich {local.path}"
    made = post_comment(blog.waline, {"comment": text, "nick": ME.name, "mail": ME.email,
                                      "link": ME.website, "url": local.path})  # fmt: skip
    local.queue(text)
    front = Faulty("pass")
    async with httpx.AsyncClient(transport=front) as counting:
        [result] = await send_pending(local.store, local.drafts, counting)
    assert (result.state, result.remote_id) == ("posted", str(made["objectId"])), result
    assert front.posts == 0 and len(on_server(blog.waline, local.path, text)) == 1


async def test_waline_itself_refuses_the_same_reply_twice_and_it_is_settled(blog, local, client):
    text = f"Doppelt hält nicht besser {local.path}"
    first = post_comment(blog.waline, {"comment": text, "nick": ME.name, "mail": ME.email,
                                       "link": ME.website, "url": local.path})  # fmt: skip
    again = httpx.post(f"{blog.waline}/api/comment?lang=en", json={
        "comment": text, "nick": ME.name, "mail": ME.email, "link": ME.website,
        "url": local.path, "pid": first["objectId"], "rid": first["objectId"]}).json()  # fmt: skip
    assert again == {"errno": 1000, "errmsg": "Duplicate Content"}
    local.queue(text, parent=str(first["objectId"]))  # the same text as a reply: Waline says no
    [result] = await send_pending(local.store, local.drafts, client)
    assert result.state == "duplicate" and result.requests == 1, result
    assert len(on_server(blog.waline, local.path, text)) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_server_that_is_down_gives_a_clear_message_and_nothing_is_unsure(
    blog, tmp_path, client
):
    down = Local(tmp_path, blog.article("aus-posten", waline=f"http://127.0.0.1:{closed_port()}"))
    down.store.remember_blog(f"http://{urlsplit(down.url).netloc}", "waline")
    down.queue("Kommt nicht an")
    [result] = await send_pending(down.store, down.drafts, client)
    assert result.state == "queued" and result.next_attempt is not None, result
    assert result.message == "the Waline server: connection failed (ConnectError)"
