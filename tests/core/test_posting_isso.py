"""Posting to a real isso server on 127.0.0.1 (fixtures shared with test_comments_isso)."""

from __future__ import annotations

import httpx
from posting_support import ME, add_article, make_store, queue
from test_comments_isso import isso, page_server  # noqa: F401 - fixtures

from blogtui.core.comments import load_thread
from blogtui.core.feeds.client import make_client
from blogtui.core.posting import send_pending


def embed(pages: dict[str, bytes], path: str, server: str, uri: str) -> None:
    pages[path] = (
        f'<html><head><title>Isso-Post</title><script data-isso="{server}"'
        f' src="{server}js/embed.min.js"></script></head>'
        f'<body><section id="isso-thread" data-isso-id="{uri}"></section></body></html>'
    ).encode()


async def test_post_and_reply(isso, page_server, tmp_path):  # noqa: F811
    base, pages = page_server
    embed(pages, "/isso-post/", isso, "/isso-post/")
    store, drafts = make_store(tmp_path)
    article = add_article(store, base + "/isso-post/", title="Isso-Post")
    async with make_client(4) as client:
        assert (await load_thread(client, store, article)).provider == "isso"
        first = queue(store, drafts, article, "Grüße an „Isso“ – äöü!")
        [top] = await send_pending(store, drafts, client)
        assert top.state == "posted" and top.remote_url.endswith(f"#isso-{top.remote_id}")
        queue(store, drafts, article, "Antwort darauf.", parent=top.remote_id)
        [reply] = await send_pending(store, drafts, client)
        assert reply.state == "posted"
    api = httpx.get(isso, params={"uri": "/isso-post/"}, timeout=10).json()
    [thread] = api["replies"]
    assert thread["author"] == ME.name and "„Isso“ – äöü!" in thread["text"]
    assert [r["id"] for r in thread["replies"]] == [int(reply.remote_id)]
    assert drafts.load(first.id, sent=True).remote_id == top.remote_id
    assert {c.key for c in store.comments_for(article.id) if c.mine} == {
        top.remote_id,
        reply.remote_id,
    }


async def test_field_error_is_a_rejection(isso, page_server, tmp_path):  # noqa: F811
    base, pages = page_server
    embed(pages, "/short/", isso, "/short/")
    store, drafts = make_store(tmp_path)
    article = add_article(store, base + "/short/", title="Kurz")
    async with make_client(4) as client:
        await load_thread(client, store, article)
        draft = queue(store, drafts, article, "ok")
        [result] = await send_pending(store, drafts, client)
    assert result.state == "rejected" and "text is too short" in result.message
    assert drafts.load(draft.id).text == "ok"
