"""Replying the IndieWeb way against loopback servers: the Micropub stand-in written from the W3C
spec (tests/standins/micropub.py) publishes, webmention.io's stand-in receives the Webmention.
A create that timed out is looked up (q=source) before anything is sent again, or the user is
asked; it is never posted twice."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs

import httpx
import pytest
from posting_support import ME, add_article, make_store
from standins.micropub import MicropubStandIn
from standins.webmention_io import WebmentionIoStandIn

from blogtui.core.posting import send_pending
from blogtui.core.posting.base import Outcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.micropub import ENTRY, MicropubPoster, poster_for_draft
from blogtui.core.posting.outbox import queue_reply
from blogtui.core.posting.select import choose_poster

TOKEN = "mp-token-Geheimnis-42"
TEXT = "Grüße aus München: ein schöner Artikel über Käse & Brötchen."
LATER = 4_000_000_000.0


@pytest.fixture
def site() -> Iterator[MicropubStandIn]:
    server = MicropubStandIn(TOKEN)
    try:
        yield server
    finally:
        if server.hold is not None:
            server.hold.set()
        server.close()


@pytest.fixture
def blog() -> Iterator[WebmentionIoStandIn]:
    server = WebmentionIoStandIn()
    server.pages["/2024/03/kaese.html"] = (
        f'<link rel="webmention" href="{server.endpoint("blog.example")}"><p>Artikel</p>'
    )
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client_small() as http:
        yield http


def make_client_small() -> httpx.AsyncClient:
    from blogtui.core.feeds.client import make_client

    return make_client(4)


def credentials_for(site: MicropubStandIn, tmp_path) -> CredentialStore:
    store = CredentialStore(tmp_path / "secrets", use_keyring=False)
    store.set_entry(ENTRY, site.endpoint, TOKEN)
    return store


def poster(site, tmp_path, **options) -> MicropubPoster:
    credentials = credentials_for(site, tmp_path)
    return MicropubPoster(lambda: credentials.get_entry(ENTRY), **options)


def article_url(blog: WebmentionIoStandIn) -> str:
    return f"{blog.origin}/2024/03/kaese.html"


def form_of(site: MicropubStandIn, index: int = 0) -> dict[str, list[str]]:
    return parse_qs(site.posts[index].body.decode("utf-8"))


async def test_reply_is_published_then_the_article_is_told(site, blog, client, tmp_path) -> None:
    reply = ReplyRequest(article_url(blog), "", TEXT, ME)
    outcome = await poster(site, tmp_path).post(client, reply)
    assert (outcome.state, outcome.remote_url) == (Outcome.POSTED, site.post_url(1))
    assert outcome.remote_id == site.post_url(1) and outcome.extra == {"webmention": "sent"}
    sent = site.posts[0]
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form_of(site) == {"h": ["entry"], "content": [TEXT], "in-reply-to": [reply.article_url]}
    [mention] = blog.posts
    assert mention.path == "/blog.example/webmention"
    assert mention.form == {"source": site.post_url(1), "target": reply.article_url}
    assert TOKEN not in str(mention.headers) and "authorization" not in mention.headers


async def test_a_reply_to_a_mention_replies_to_it_and_the_article(site, blog, client, tmp_path):
    parent = "https://ada.example/notes/7"
    reply = ReplyRequest(article_url(blog), parent, TEXT, ME)
    outcome = await poster(site, tmp_path).post(client, reply)
    assert outcome.state is Outcome.POSTED
    assert site.posts[0].headers["content-type"] == "application/json"
    assert json.loads(site.posts[0].body) == {
        "type": ["h-entry"],
        "properties": {"content": [TEXT], "in-reply-to": [parent, reply.article_url]},
    }
    assert site.created[0]["in-reply-to"] == [parent, reply.article_url]


async def test_refused_token_is_rejected_without_showing_it(site, blog, client, tmp_path) -> None:
    site.token = "another"
    outcome = await poster(site, tmp_path).post(
        client, ReplyRequest(article_url(blog), "", TEXT, ME)
    )
    assert outcome.state is Outcome.REJECTED and "refused the token" in outcome.message
    assert "unauthorized" in outcome.message and TOKEN not in outcome.message
    assert blog.posts == []


async def test_without_endpoint_and_token_it_says_how_to_store_them(client, tmp_path) -> None:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    nothing = MicropubPoster(lambda: credentials.get_entry(ENTRY))
    outcome = await nothing.post(client, ReplyRequest("https://blog.example/p", "", TEXT, ME))
    assert outcome.state is Outcome.UNAVAILABLE
    assert "blogtui comment-key micropub ENDPOINT_URL" in outcome.message


async def test_a_token_with_odd_characters_is_not_sent(site, blog, client, tmp_path) -> None:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, site.endpoint, "Grüße\r\nX-Evil: 1")
    odd = MicropubPoster(lambda: credentials.get_entry(ENTRY))
    outcome = await odd.post(client, ReplyRequest(article_url(blog), "", TEXT, ME))
    assert outcome.state is Outcome.UNAVAILABLE and "characters no token has" in outcome.message
    assert site.seen == []


async def test_token_never_goes_over_plain_http_to_a_name(client, tmp_path) -> None:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, "http://me.example/micropub", TOKEN)
    plain = MicropubPoster(lambda: credentials.get_entry(ENTRY))
    outcome = await plain.post(client, ReplyRequest("https://blog.example/p", "", TEXT, ME))
    assert outcome.state is Outcome.UNAVAILABLE and "only over https" in outcome.message


async def test_accepted_with_location_counts_as_published(site, blog, client, tmp_path) -> None:
    site.accepted = True
    outcome = await poster(site, tmp_path).post(
        client, ReplyRequest(article_url(blog), "", TEXT, ME)
    )
    assert (outcome.state, outcome.remote_url) == (Outcome.POSTED, site.post_url(1))


async def test_a_timed_out_create_is_ambiguous(site, blog, client, tmp_path) -> None:
    site.hold = threading.Event()
    slow = poster(site, tmp_path, timeout=0.5)
    outcome = await slow.post(client, ReplyRequest(article_url(blog), "", TEXT, ME))
    assert outcome.state is Outcome.FAILED and outcome.ambiguous
    assert "timed out" in outcome.message and len(site.created) == 1
    assert blog.posts == []


async def test_unsure_reply_found_on_the_site_is_not_created_again(site, blog, client, tmp_path):
    reply = ReplyRequest(article_url(blog), "", TEXT, ME)
    await poster(site, tmp_path).post(client, reply)
    again = await poster(site, tmp_path, unsure=True).post(client, reply)
    assert (again.state, again.remote_url) == (Outcome.POSTED, site.post_url(1))
    assert "found on your site" in again.message
    assert len(site.created) == 1 and len(site.posts) == 1
    assert [s.query.get("q") for s in site.seen if s.method == "GET"] == [["source"]]
    assert len(blog.posts) == 2  # the Webmention is sent again: receivers take it twice


async def test_unsure_reply_not_on_the_site_is_created(site, blog, client, tmp_path) -> None:
    other = ReplyRequest(article_url(blog), "", "Etwas ganz anderes.", ME)
    await poster(site, tmp_path).post(client, other)
    reply = ReplyRequest(article_url(blog), "", TEXT, ME)
    outcome = await poster(site, tmp_path, unsure=True).post(client, reply)
    assert (outcome.state, outcome.remote_url) == (Outcome.POSTED, site.post_url(2))
    assert len(site.created) == 2


async def test_unsure_without_q_source_asks_the_user(site, blog, client, tmp_path) -> None:
    site.supports_source = False
    reply = ReplyRequest(article_url(blog), "", TEXT, ME)
    outcome = await poster(site, tmp_path, unsure=True).post(client, reply)
    assert outcome.state is Outcome.UNAVAILABLE and not outcome.ambiguous
    assert "cannot list its posts (q=source)" in outcome.message
    assert "blogtui send --again" in outcome.message
    assert site.posts == [] and blog.posts == []


async def test_outbox_sends_a_webmention_draft_once(site, blog, client, tmp_path) -> None:
    store, drafts = make_store(tmp_path)
    article = add_article(store, article_url(blog), "Käse")
    credentials = credentials_for(site, tmp_path)
    draft = drafts.new(blog="blog", article_url=article.link, identity=ME, text=TEXT,
                       source="webmention")  # fmt: skip
    queue_reply(store, drafts, draft, article.id)
    assert isinstance(choose_poster(store, draft, credentials), MicropubPoster)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert (result.state, result.remote_url, result.requests) == ("posted", site.post_url(1), 1)
    assert drafts.load(draft.id, sent=True).remote_url == site.post_url(1)


async def test_outbox_never_posts_a_timed_out_create_twice(site, blog, client, tmp_path) -> None:
    store, drafts = make_store(tmp_path)
    article = add_article(store, article_url(blog), "Käse")
    credentials = credentials_for(site, tmp_path)
    draft = drafts.new(blog="blog", article_url=article.link, identity=ME, text=TEXT,
                       source="webmention")  # fmt: skip
    queue_reply(store, drafts, draft, article.id)
    site.hold = threading.Event()
    slow = lambda d, a: poster_for_draft(store, d.id, credentials, timeout=0.5)  # noqa: E731
    [first] = await send_pending(store, drafts, client, poster_for=slow)
    assert first.state == "unsure" and "timed out" in first.message
    site.hold.set()
    assert poster_for_draft(store, draft.id, credentials).unsure
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=slow)
    assert (second.state, second.requests) == ("unconfirmed", 0)
    assert len(site.created) == 1
