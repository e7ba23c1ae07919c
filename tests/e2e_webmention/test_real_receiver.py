"""Against real IndieWeb software from PyPI: blogtui publishes replies through django-indieweb's
Micropub endpoint, discovers the article's endpoint (a relative URL in the `Link` header the
`webmentions` receiver adds), sends the Webmentions, the receiver verifies and stores them, and
blogtui reads them back as a tree with likes counted. A lost create answer is looked up with
`q=source` before anything is sent again.
"""

from __future__ import annotations

import httpx
import pytest
from feedserver import FeedServer
from standins.threads import pairs

from blogtui.core.comments.base import Hints, Target
from blogtui.core.comments.webmention import MentionsThread, WebmentionProvider
from blogtui.core.config import Identity
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.base import Outcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.lookup import stand_in
from blogtui.core.posting.micropub import ENTRY, MicropubPoster, send_webmention

ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")


def poster_for(site, tmp_path, **options) -> MicropubPoster:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, site.endpoint, site.token)
    return MicropubPoster(lambda: credentials.get_entry(ENTRY), **options)


async def read_back(client, url: str) -> MentionsThread:
    provider = WebmentionProvider()
    article = stand_in(url)
    target = await provider.detect(client, article, Hints(article))
    assert target is not None and not provider.uses_jf2(target.url)
    thread = await provider.fetch(client, target)
    assert isinstance(thread, MentionsThread)
    return thread


def source_of(site, url: str) -> dict[str, list[object]]:
    """The post's properties as the Micropub endpoint itself gives them (`q=source&url=`)."""
    answer = httpx.get(site.endpoint, params={"q": "source", "url": url},
                       headers={"Authorization": f"Bearer {site.token}"})  # fmt: skip
    answer.raise_for_status()
    return answer.json()["properties"]


async def test_replies_reach_the_receiver_and_read_back_as_a_tree(
    receiver, micropub, client, tmp_path
) -> None:
    article = receiver.article("kaese-und-broetchen")
    poster = poster_for(micropub, tmp_path)
    first = await poster.post(client, ReplyRequest(article, "", "Grüße aus München!", ME))
    assert (first.state, first.extra) == (Outcome.POSTED, {"webmention": "sent"})
    assert source_of(micropub, first.remote_url)["in-reply-to"] == [article]
    answer = ReplyRequest(article, first.remote_url, "Straße und Öl: Antwort auf die Antwort.", ME)
    second = await poster.post(client, answer)
    assert (second.state, second.extra) == (Outcome.POSTED, {"webmention": "sent"})
    assert source_of(micropub, second.remote_url)["in-reply-to"] == [first.remote_url, article]
    like = httpx.post(micropub.endpoint, headers={"Authorization": f"Bearer {micropub.token}"},
                      data={"h": "entry", "like-of": article})  # fmt: skip
    assert like.status_code == 201
    assert await send_webmention(client, like.headers["location"], article) == ""

    stored = receiver.stored(article)
    liked = like.headers["location"]
    assert {m["source"]: m["mention_type"] for m in stored} == {
        first.remote_url: "reply", second.remote_url: "reply", liked: "like"}  # fmt: skip
    own_tree = {
        (m["source"], next((u for u in m["metadata"]["mf2"]["in_reply_to"]
                            if u in (first.remote_url, second.remote_url)), ""))
        for m in stored if m["mention_type"] == "reply"
    }  # fmt: skip
    thread = await read_back(client, article)
    assert pairs(thread.comments) == own_tree == {
        (first.remote_url, ""), (second.remote_url, first.remote_url)}  # fmt: skip
    assert thread.reactions == {"like": 1} and thread.note == "Webmentions: 1 like"
    by_key = {c.key: c for c in thread.comments}
    assert by_key[first.remote_url].author == "Jörg Müller"
    assert "Grüße aus München!" in by_key[first.remote_url].content
    assert by_key[second.remote_url].link == second.remote_url


async def test_a_create_in_doubt_is_looked_up_not_posted_again(
    receiver, micropub, client, tmp_path
) -> None:
    article = receiver.article("zweifel")
    reply = ReplyRequest(article, "", "Ist das angekommen? Grüße, Jörg", ME)
    first = await poster_for(micropub, tmp_path).post(client, reply)
    again = await poster_for(micropub, tmp_path, unsure=True).post(client, reply)
    assert (again.state, again.remote_url) == (Outcome.POSTED, first.remote_url)
    assert "found on your site" in again.message and again.extra == {"webmention": "sent"}
    assert [m["source"] for m in receiver.stored(article)] == [first.remote_url]


async def test_a_token_that_may_not_look_up_leaves_it_to_the_user(
    receiver, micropub_create_only, client, tmp_path
) -> None:
    article = receiver.article("nur-erstellen")
    reply = ReplyRequest(article, "", "Nur erstellen darf ich.", ME)
    outcome = await poster_for(micropub_create_only, tmp_path, unsure=True).post(client, reply)
    assert outcome.state is Outcome.UNAVAILABLE and "cannot list its posts" in outcome.message
    assert receiver.stored(article) == []


async def test_a_refused_token_is_reported(receiver, micropub, client, tmp_path) -> None:
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, micropub.endpoint, "not-the-token")
    wrong = MicropubPoster(lambda: credentials.get_entry(ENTRY))
    article = receiver.article("falsch")
    outcome = await wrong.post(client, ReplyRequest(article, "", "Hallo", ME))
    assert outcome.state is Outcome.REJECTED
    assert outcome.message.startswith("your Micropub endpoint refused the token")
    assert "not-the-token" not in outcome.message


async def test_sending_follows_the_article_through_a_redirect(
    receiver, micropub, client, tmp_path
) -> None:
    moved = f"{receiver.origin}/moved/umgezogen"
    outcome = await poster_for(micropub, tmp_path).post(
        client, ReplyRequest(moved, "", "Auch nach dem Umzug gefunden.", ME)
    )
    assert (outcome.state, outcome.extra) == (Outcome.POSTED, {"webmention": "sent"})
    assert [m["source"] for m in receiver.stored(moved)] == [outcome.remote_url]


async def test_the_receiver_refusing_a_mention_is_reported(receiver, micropub, client) -> None:
    elsewhere = FeedServer()  # a page on another site that names this receiver as its endpoint
    try:
        html = f'<link rel="webmention" href="{receiver.endpoint}"><p>Fremd</p>'
        foreign = elsewhere.route(
            "/fremd", body=html.encode(), headers={"Content-Type": "text/html"}
        )
        said = await send_webmention(client, f"{micropub.origin}/posts/1", foreign)
    finally:
        elsewhere.close()
    assert said.startswith('the Webmention endpoint answered HTTP 400: {"error":"Invalid Webm')
    assert said.endswith('Target URL domain does not match server domain"}')


async def test_an_endpoint_without_a_listing_is_one_line(receiver, client) -> None:
    provider = WebmentionProvider()
    article = receiver.article("x")
    no_listing = Target(provider.name, f"{receiver.origin}/alive", article)
    with pytest.raises(CommentsUnavailable, match="offers no list of them"):
        await provider.fetch(client, no_listing)
