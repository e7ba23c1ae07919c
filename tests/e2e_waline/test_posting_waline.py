"""Replying through the REAL Waline (`.ci/waline.sh`) with the outbox: anonymous replies at the
top level and deep in a thread, a lost answer looked up and never posted twice, a reply the
server has already, and a server that is down."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from standins.threads import german_thread
from waline_support import (
    LATER,
    ME,
    Faulty,
    Local,
    closed_port,
    on_server,
    post_comment,
    seed,
    server_tree,
)

from blogtui.core.comments.loading import load_thread
from blogtui.core.posting import send_pending
from blogtui.core.posting.select import choose_poster
from blogtui.core.posting.waline import WalinePoster


@pytest.fixture
async def local(tmp_path, blog, client) -> Local:
    """The article read once, so that the store remembers its blog speaks Waline."""
    here = Local(tmp_path, blog.article(f"posten-{tmp_path.name[-12:]}"))
    result = await load_thread(client, here.store, here.article)
    assert (result.provider, result.error) == ("waline", "")
    return here


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


async def test_a_server_that_is_down_gives_a_clear_message_and_nothing_is_unsure(
    blog, tmp_path, client
):
    down = Local(tmp_path, blog.article("aus-posten", waline=f"http://127.0.0.1:{closed_port()}"))
    down.store.remember_blog(f"http://{urlsplit(down.url).netloc}", "waline")
    down.queue("Kommt nicht an")
    [result] = await send_pending(down.store, down.drafts, client)
    assert result.state == "queued" and result.next_attempt is not None, result
    assert result.message == "the Waline server: connection failed (ConnectError)"


async def test_a_reply_to_a_comment_that_is_gone_is_refused_and_not_sent(local):
    local.queue("Antwort ins Leere", parent="999999")
    front = Faulty("pass")
    async with httpx.AsyncClient(transport=front) as counting:
        [result] = await send_pending(local.store, local.drafts, counting)
    assert (result.state, result.message) == ("rejected", "the comment replied to is gone")
    assert front.posts == 0
