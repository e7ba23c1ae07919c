"""Against the real `webmentions` receiver (PyPI): blogtui discovers its endpoint (a relative URL in
a `Link` header), publishes replies through Micropub (the spec stand-in), sends the Webmentions,
the receiver verifies and stores them, and blogtui reads them back as a tree with likes counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode

import httpx
import pytest
from feedserver import FeedServer
from standins.micropub import MicropubStandIn
from standins.threads import pairs

from blogtui.core.comments.base import Hints
from blogtui.core.comments.webmention import MentionsThread, WebmentionProvider
from blogtui.core.config import Identity
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.fetch import make_client
from blogtui.core.posting.base import Outcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.lookup import stand_in
from blogtui.core.posting.micropub import ENTRY, MicropubPoster, send_webmention

TOKEN = "Bearer-Geheimnis-7"
ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")


@pytest.fixture
def site() -> Iterator[MicropubStandIn]:
    server = MicropubStandIn(TOKEN)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(4) as http:
        yield http


def poster_for(site: MicropubStandIn, tmp_path) -> MicropubPoster:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, site.endpoint, TOKEN)
    return MicropubPoster(lambda: credentials.get_entry(ENTRY))


async def read_back(client, url: str) -> MentionsThread:
    provider = WebmentionProvider()
    article = stand_in(url)
    target = await provider.detect(client, article, Hints(article))
    assert target is not None and not provider.uses_jf2(target.url)
    thread = await provider.fetch(client, target)
    assert isinstance(thread, MentionsThread)
    return thread


async def test_replies_reach_the_receiver_and_read_back_as_a_tree(
    receiver, site, client, tmp_path
) -> None:
    article = receiver.article("kaese-und-broetchen")
    poster = poster_for(site, tmp_path)
    first = await poster.post(client, ReplyRequest(article, "", "Grüße aus München!", ME))
    assert (first.state, first.extra) == (Outcome.POSTED, {"webmention": "sent"})
    second = await poster.post(
        client,
        ReplyRequest(article, first.remote_url, "Straße und Öl: Antwort auf die Antwort.", ME),
    )
    assert (second.state, second.extra) == (Outcome.POSTED, {"webmention": "sent"})
    like = httpx.post(site.endpoint, headers={"Authorization": f"Bearer {TOKEN}"},
                      data={"h": "entry", "like-of": article})  # fmt: skip
    assert like.status_code == 201
    assert await send_webmention(client, like.headers["location"], article) == ""

    stored = receiver.stored(article)
    assert {m["source"]: m["mention_type"] for m in stored} == {
        site.post_url(1): "reply", site.post_url(2): "reply", site.post_url(3): "like"}  # fmt: skip
    own_tree = {
        (m["source"], next((u for u in m["metadata"]["mf2"]["in_reply_to"]
                            if u in (site.post_url(1), site.post_url(2))), ""))
        for m in stored if m["mention_type"] == "reply"
    }  # fmt: skip
    thread = await read_back(client, article)
    assert pairs(thread.comments) == own_tree == {
        (site.post_url(1), ""), (site.post_url(2), site.post_url(1))}  # fmt: skip
    assert thread.reactions == {"like": 1}
    by_key = {c.key: c for c in thread.comments}
    assert by_key[site.post_url(1)].author == "Jörg Müller"
    assert "Grüße aus München!" in by_key[site.post_url(1)].content
    assert by_key[site.post_url(2)].link == site.post_url(2)


async def test_sending_follows_the_article_through_a_redirect(receiver, site, client, tmp_path):
    moved = f"{receiver.origin}/moved/umgezogen"
    outcome = await poster_for(site, tmp_path).post(
        client, ReplyRequest(moved, "", "Auch nach dem Umzug gefunden.", ME)
    )
    assert (outcome.state, outcome.extra) == (Outcome.POSTED, {"webmention": "sent"})
    assert [m["source"] for m in receiver.stored(moved)] == [outcome.remote_url]


async def test_the_receiver_refusing_a_mention_is_reported(receiver, site, client) -> None:
    elsewhere = FeedServer()  # a page on another site that names this receiver as its endpoint
    try:
        html = f'<link rel="webmention" href="{receiver.endpoint}"><p>Fremd</p>'
        foreign = elsewhere.route(
            "/fremd", body=html.encode(), headers={"Content-Type": "text/html"}
        )
        said = await send_webmention(client, f"{site.origin}/posts/1", foreign)
    finally:
        elsewhere.close()
    assert said.startswith('the Webmention endpoint answered HTTP 400: {"error":"Invalid Webm')
    assert said.endswith('Target URL domain does not match server domain"}')


async def test_a_listing_query_the_receiver_refuses_is_one_line(receiver, client) -> None:
    provider = WebmentionProvider()
    article = stand_in(receiver.article("x"))
    target = await provider.detect(client, article, Hints(article))
    assert target is not None
    odd = target.__class__(target.provider, f"{receiver.origin}/alive?{urlencode({'a': 1})}",
                           target.ident)  # fmt: skip
    with pytest.raises(CommentsUnavailable, match="offers no list of them"):
        await provider.fetch(client, odd)
