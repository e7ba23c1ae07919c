"""Replying to Mastodon replies from the user's own account, against two stand-in instances
(tests/standins/mastodon.py): the toot's instance and the user's, which resolves the status by
URL (`/api/v2/search?resolve=true`) and posts with an Idempotency-Key per draft. The token goes
to the user's instance only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest
from posting_support import ME, add_article, make_store
from standins.mastodon import BASE, MastodonStandIn, stamp
from standins.threads import german_thread
from test_mastodon_comments import PATH, Blog, read, toot_link

from blogtui.core.comments.base import Hints
from blogtui.core.comments.mastodon import MastodonProvider
from blogtui.core.posting import queue_reply, send_pending
from blogtui.core.posting.base import Outcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialError, CredentialStore
from blogtui.core.posting.mastodon import (
    Account,
    MastodonPoster,
    outcome_of,
    save_account,
    stored_account,
)
from blogtui.core.posting.select import choose_poster, posts_with_account

HOME_TOKEN = "token-heim"
TEXT = "Grüße aus Köln – „schön“ geschrieben, danke für den Artikel!"


@pytest.fixture
def servers() -> Iterator[tuple[MastodonStandIn, MastodonStandIn, Blog]]:
    host, home, blog = MastodonStandIn("token-1"), MastodonStandIn(HOME_TOKEN), Blog()
    home.peers = [host]
    host.add_thread(german_thread(6))
    blog.pages[PATH] = f"<html><body><article>{toot_link(host)}</article></body></html>"
    try:
        yield host, home, blog
    finally:
        for server in (host, home):
            if server.hold is not None:
                server.hold.set()
        for server in (host, home, blog):
            server.close()


def request(blog: Blog, parent: str = "", text: str = TEXT) -> ReplyRequest:
    return ReplyRequest(f"{blog.origin}{PATH}", parent, text, ME, article_title="Käse")


def poster(instance: str, token: str = HOME_TOKEN, draft: str = "d-1", deadline: float = 30.0):
    account = Account(instance, token, "unlisted")
    return MastodonPoster(lambda: account, draft, deadline=deadline)


def form(seen) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(seen.body.decode(), keep_blank_values=True).items()}


async def test_a_reply_from_another_instance_is_resolved_posted_and_federated(
    servers, client
) -> None:
    host, home, blog = servers
    outcome = await poster(home.origin).post(client, request(blog, str(BASE + 2)))
    assert outcome.state is Outcome.POSTED and outcome.remote_id in home.toots
    [search] = [s for s in home.seen if s.path == "/api/v2/search"]
    assert search.query["q"] == [f"{host.origin}/users/nutzer2/statuses/{BASE + 2}"]
    assert search.query["resolve"] == ["true"] and search.query["type"] == ["statuses"]
    [sent] = home.posts
    local = next(t.id for t in home.toots.values() if t.remote.endswith(f"/{BASE + 2}"))
    assert form(sent) == {"status": f"@nutzer2@beispiel.social {TEXT}",
                          "in_reply_to_id": local, "visibility": "unlisted"}  # fmt: skip
    assert sent.headers["idempotency-key"] == "blogtui-draft-d-1"
    assert all(s.headers.get("authorization") == f"Bearer {HOME_TOKEN}" for s in home.seen)
    assert all("authorization" not in s.headers for s in host.seen + blog.seen)
    _, thread = await read(client, stand_in_article(blog))
    mine = [c for c in thread.comments if "Köln" in c.content]
    assert [c.parent_key for c in mine] == [str(BASE + 2)]


def stand_in_article(blog: Blog):
    from blogtui.core.posting.lookup import stand_in

    return stand_in(f"{blog.origin}{PATH}")


async def test_on_the_toots_own_instance_no_search_is_needed(servers, client) -> None:
    host, _, blog = servers
    outcome = await poster(host.origin, "token-1").post(client, request(blog))
    assert outcome.state is Outcome.POSTED
    assert not [s for s in host.seen if s.path == "/api/v2/search"]
    [sent] = host.posts
    assert form(sent)["in_reply_to_id"] == str(BASE)
    assert form(sent)["status"] == f"@anna@127.0.0.1 {TEXT}"
    assert all("authorization" not in s.headers for s in blog.seen)


async def test_a_text_naming_the_author_gets_no_second_mention(servers, client) -> None:
    host, _, blog = servers
    text = f"@anna Danke! {TEXT}"
    await poster(host.origin, "token-1").post(client, request(blog, text=text))
    assert form(host.posts[0])["status"] == text


async def test_a_retry_after_a_timeout_posts_one_status(servers, client) -> None:
    _, home, blog = servers
    home.hold = threading.Event()
    first = await poster(home.origin, deadline=1.0).post(client, request(blog, str(BASE + 1)))
    assert first.state is Outcome.FAILED and first.ambiguous and "timed out" in first.message
    home.hold.set()
    second = await poster(home.origin).post(client, request(blog, str(BASE + 1)))
    assert second.state is Outcome.POSTED
    assert [t.id for t in home.toots.values() if t.user == "joerg"] == [second.remote_id]
    assert {s.headers["idempotency-key"] for s in home.posts} == {"blogtui-draft-d-1"}
    assert len(home.posts) == 2


async def test_a_refused_token_names_the_setting_and_never_itself(servers, client) -> None:
    _, home, blog = servers
    outcome = await poster(home.origin, "falsches-token").post(client, request(blog))
    assert outcome.state is Outcome.REJECTED and "comment-key mastodon" in outcome.message
    assert "falsches" not in outcome.message and not home.posts


async def test_a_token_without_read_search_names_that_scope_and_posts_nothing(
    servers, client
) -> None:
    _, home, blog = servers
    home.scopes = {"read:statuses", "read:accounts", "write:statuses"}
    outcome = await poster(home.origin).post(client, request(blog, str(BASE + 2)))
    assert outcome.state is Outcome.REJECTED and "read:search" in outcome.message
    assert "comment-key mastodon" in outcome.message and HOME_TOKEN not in outcome.message
    assert not home.posts


async def test_validation_errors_are_the_instances_words(servers, client) -> None:
    host, _, blog = servers
    outcome = await poster(host.origin, "token-1").post(client, request(blog, text="ä" * 600))
    assert outcome.state is Outcome.REJECTED
    assert outcome.message == "Validation failed: Text character limit of 500 exceeded"


async def test_a_deleted_parent_and_a_rate_limit_say_so(servers, client) -> None:
    host, home, blog = servers
    host.deleted.add(str(BASE + 3))
    gone = await poster(home.origin).post(client, request(blog, str(BASE + 3)))
    assert gone.state is Outcome.UNAVAILABLE and "deleted or not public" in gone.message
    home.too_many = 1
    limited = await poster(home.origin).post(client, request(blog, str(BASE + 2)))
    assert limited.state is Outcome.FLOOD and "resets at" in limited.message
    assert limited.retry_after is not None and 200 < limited.retry_after <= 240
    assert not home.posts


def test_a_429_answer_to_the_post_waits_until_the_reset() -> None:
    reset = stamp(time.time() + 120)
    answer = httpx.Response(429, json={"error": "Too many requests"},
                            headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                                     "X-RateLimit-Reset": reset})  # fmt: skip
    outcome = outcome_of(answer)
    assert outcome.state is Outcome.FLOOD and 90 < (outcome.retry_after or 0) <= 120
    unauthorised = outcome_of(httpx.Response(401, json={"error": "The access token is invalid"}))
    assert unauthorised.state is Outcome.REJECTED
    assert "The access token is invalid" in unauthorised.message
    assert outcome_of(httpx.Response(503)).state is Outcome.FAILED


async def test_no_account_or_an_unsafe_instance_sends_nothing(servers, client) -> None:
    host, _, blog = servers
    nothing = await MastodonPoster(lambda: None, "d-1").post(client, request(blog))
    assert nothing.state is Outcome.UNAVAILABLE and "comment-key mastodon" in nothing.message
    plain = await poster("http://social.example").post(client, request(blog))
    assert plain.state is Outcome.UNAVAILABLE and "https" in plain.message
    assert not host.posts and not host.seen


def test_the_account_is_stored_per_instance_https_only(tmp_path) -> None:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    assert stored_account(credentials) is None
    with pytest.raises(CredentialError):
        save_account(credentials, "http://social.example", "t", "public")
    save_account(credentials, "https://Social.Example/", "geheim", "private")
    assert stored_account(credentials) == Account("https://social.example", "geheim", "private")
    save_account(credentials, "https://zweite.example", "anders", "laut")
    assert stored_account(credentials) == Account("https://zweite.example", "anders", "public")


async def test_the_outbox_sends_a_mastodon_draft_with_the_stored_account(
    servers, client, tmp_path
) -> None:
    _, home, blog = servers
    store, drafts = make_store(tmp_path)
    article = add_article(store, f"{blog.origin}{PATH}", title="Käse")
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    save_account(credentials, home.origin, HOME_TOKEN, "unlisted")
    assert posts_with_account("mastodon", [], tmp_path / "secrets")
    draft = drafts.new(blog="demo", article_url=article.link, article_title=article.title,
                       parent_id=str(BASE + 4), identity=ME, text=TEXT,
                       source="mastodon")  # fmt: skip
    assert isinstance(choose_poster(store, draft, credentials), MastodonPoster)
    queue_reply(store, drafts, draft, article.id)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "posted" and result.remote_id in home.toots
    assert home.posts[0].headers["idempotency-key"] == f"blogtui-draft-{draft.id}"


async def test_the_reader_finds_the_toot_the_poster_answers(servers, client) -> None:
    host, _, blog = servers
    article = stand_in_article(blog)
    toot = await MastodonProvider().find(client, article, Hints(article))
    assert toot is not None and (toot.origin, toot.status_id) == (host.origin, str(BASE))
