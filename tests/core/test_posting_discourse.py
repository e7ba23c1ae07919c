"""Replying to a Discourse topic with the user's User API key (`POST /posts.json`), against the
documented stand-in (tests/standins/discourse.py): exactly one POST, look-first after a timeout,
no key means the browser, 422 and 429 answers said plainly."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from posting_support import add_article, make_store, queue
from standins.discourse import DiscourseStandIn, Topic
from standins.threads import german_thread
from test_comments_discourse import PAGE

from blogtui.core.comments import load_thread
from blogtui.core.comments.discourse import DiscourseProvider, key_entry
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.posting import send_pending
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.discourse import DiscoursePoster
from blogtui.core.posting.select import choose_poster

KEY = "user-api-key-1"
LATER = time.time() + 10 * 86400
TEXT = "Grüße aus Köln – „schön“ geschrieben, danke für den Artikel!"


@pytest.fixture
def forum(monkeypatch: pytest.MonkeyPatch) -> Iterator[DiscourseStandIn]:
    server = DiscourseStandIn(KEY)
    monkeypatch.setitem(PROVIDERS, "discourse", DiscourseProvider(user_api_key=lambda f: ""))
    try:
        yield server
    finally:
        if server.hold is not None:
            server.hold.set()
        server.close()


async def blog(forum: DiscourseStandIn, client: httpx.AsyncClient, tmp_path, count: int = 5):
    link = f"{forum.origin}/2024/01/artikel.html"
    topic = Topic(4711, link, german_thread(count))
    forum.topics[topic.id] = topic
    extra = ",\n topicId: 4711"
    forum.pages["/2024/01/artikel.html"] = PAGE.format(forum=forum.forum, link=link, topic=extra)
    store, drafts = make_store(tmp_path)
    article = add_article(store, link, title="Ein Artikel")
    assert (await load_thread(client, store, article)).provider == "discourse"
    return store, drafts, article, topic


def poster(key: str = KEY, deadline: float = 30.0):
    return lambda draft, article: DiscoursePoster(lambda site: key, deadline)


async def test_reply_is_created_once_under_its_parent(forum, client, tmp_path) -> None:
    store, drafts, article, topic = await blog(forum, client, tmp_path)
    draft = queue(store, drafts, article, TEXT, parent="4")
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert (result.state, result.requests) == ("posted", 1)
    [sent] = forum.posts
    assert sent.path == "/forum/posts.json" and sent.headers["user-api-key"] == KEY
    assert json.loads(sent.body) == {"topic_id": 4711, "raw": TEXT, "reply_to_post_number": 4}
    assert result.remote_id == "7"
    assert result.remote_url == f"{forum.forum}t/{topic.slug}/4711/7"
    assert drafts.load(draft.id, sent=True).remote_id == "7"
    mine = [c for c in store.comments_for(article.id) if c.mine]
    assert [(c.key, c.parent_key) for c in mine] == [("7", "4")]


async def test_timeout_after_sending_is_found_not_resent(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT, parent="3")
    forum.hold = threading.Event()
    [first] = await send_pending(store, drafts, client, poster_for=poster(deadline=1.0))
    assert first.state == "unsure" and "timed out" in first.message
    forum.hold.set()
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=poster())
    assert (second.state, second.requests, second.remote_id) == ("posted", 0, "7")
    assert len(forum.posts) == 1


async def test_without_a_key_the_browser_is_offered(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "failed" and result.state.needs_browser
    assert "comment-key discourse" in result.message and not forum.posts


async def test_stored_key_is_chosen_and_used(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(key_entry(forum.forum), "discourse", KEY)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "posted"
    assert [s.headers["user-api-key"] for s in forum.posts] == [KEY]


async def test_wrong_key_names_the_setting_never_the_key(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT)
    [result] = await send_pending(store, drafts, client, poster_for=poster("falscher-schluessel"))
    assert result.state == "rejected" and "comment-key discourse" in result.message
    assert "falscher" not in result.message


async def test_too_short_is_rejected_with_the_forums_reason(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    draft = queue(store, drafts, article, "Zu kurz.")
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert result.state == "rejected" and "Body is too short" in result.message
    assert drafts.load(draft.id).text == "Zu kurz."


async def test_closed_topic_is_closed(forum, client, tmp_path) -> None:
    store, drafts, article, topic = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT)
    topic.closed = True
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert result.state == "closed"


async def test_rate_limit_waits_as_asked(forum, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(forum, client, tmp_path)
    queue(store, drafts, article, TEXT)
    forum.too_many = 1  # the topic is named on the page: the POST is the first API call
    before = time.time()
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert result.state == "queued" and "too many times" in result.message
    assert result.next_attempt is not None and result.next_attempt >= before + 90


def test_a_forums_key_lets_its_threads_take_replies(tmp_path) -> None:
    from blogtui.core.posting.select import posts_with_account

    secrets = tmp_path / "secrets"
    links = [
        "https://forum.example/t/kommentare/4711/2",
        "https://forum.example/t/kommentare/4711/3",
    ]
    assert not posts_with_account("discourse", links, secrets)
    CredentialStore(secrets).set_entry(key_entry("https://forum.example/"), "discourse", KEY)
    assert posts_with_account("discourse", links, secrets)
    assert not posts_with_account("discourse", ["https://other.example/t/x/1/2"], secrets)
    assert not posts_with_account("blogger", links, secrets)
