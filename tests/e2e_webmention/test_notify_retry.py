"""Against the real servers: the reply is published through django-indieweb's Micropub endpoint
while the blog (the `webmentions` receiver) is down, so its Webmention fails. The outbox keeps
the reply "unnotified" with the post's address; once the blog is back, the next pass sends the
Webmention alone: the receiver gets exactly one, the Micropub endpoint holds exactly one post.
"""

from __future__ import annotations

import httpx

from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.posting import send_pending
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.micropub import ENTRY
from blogtui.core.posting.outbox import queue_reply
from blogtui.core.posting.select import choose_poster
from blogtui.core.posting.state import ReplyState, state_line
from blogtui.core.store import Store

ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")
TEXT = "Später angekommen: Grüße aus München, Jörg"
START = 1_800_000_000.0


def posts_replying_to(site, article: str) -> list[str]:
    """The URLs of the posts on the user's site replying to `article` (`q=source` listing)."""
    answer = httpx.get(site.endpoint, params={"q": "source", "limit": "100"},
                       headers={"Authorization": f"Bearer {site.token}"})  # fmt: skip
    answer.raise_for_status()
    items = answer.json()["items"]
    return [i["properties"]["url"][0] for i in items
            if article in i["properties"].get("in-reply-to", [])]  # fmt: skip


async def test_the_webmention_alone_is_sent_once_the_blog_is_back(
    restartable, micropub, client, tmp_path
) -> None:
    blog = restartable.receiver
    article = blog.article("spaeter-angekommen")
    store, drafts = Store(tmp_path / "blogtui.db"), DraftStore(tmp_path / "drafts")
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, micropub.endpoint, micropub.token)
    draft = drafts.new(blog="blog", article_url=article, identity=ME, text=TEXT,
                       source="webmention")  # fmt: skip
    queue_reply(store, drafts, draft, None)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731

    [first] = await send_pending(store, drafts, client, now=START, poster_for=chosen)
    assert first.state is ReplyState.UNNOTIFIED and first.requests == 1
    [post] = posts_replying_to(micropub, article)
    assert first.remote_url == post
    item = store.outbox_item(draft.id)
    assert item is not None and (item.state, item.remote_url) == (ReplyState.UNNOTIFIED, post)
    line = state_line(item.state, item.last_error, item.next_attempt)
    assert line.startswith("published on your site; notifying the blog failed, will retry: ")
    assert "the Webmention was not sent" in line

    restartable.start()  # the blog is back
    [second] = await send_pending(store, drafts, client, now=START + 31.0, poster_for=chosen)
    assert (second.state, second.remote_url, second.requests) == (ReplyState.POSTED, post, 0)
    assert restartable.posts_received() == 1
    assert [(m["source"], m["mention_type"]) for m in blog.stored(article)] == [(post, "reply")]
    assert posts_replying_to(micropub, article) == [post]
    assert drafts.load(draft.id, sent=True).remote_url == post
    assert await send_pending(store, drafts, client, now=START + 9999.0, poster_for=chosen,
                              include_waiting=True) == []  # fmt: skip
    assert restartable.posts_received() == 1 and posts_replying_to(micropub, article) == [post]
