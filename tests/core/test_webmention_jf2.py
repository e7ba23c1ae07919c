"""Webmentions read from webmention.io's jf2 API (its documented stand-in,
tests/standins/webmention_io.py): the tree as the mentions' in-reply-to give it, paging, likes
and reposts counted, private mentions left out; and the pure parsing of both listings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from standins.threads import german_thread, pairs
from standins.webmention_io import Mentions, WebmentionIoStandIn

from blogtui.core.comments.base import Hints
from blogtui.core.comments.webmention import (
    MentionsThread,
    WebmentionProvider,
    mention_of_jf2,
    mention_of_listing,
    thread_of,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.lookup import stand_in

PAGE = '<html><head><link rel="webmention" href="{endpoint}"></head><body>Artikel</body></html>'


@pytest.fixture
def service() -> Iterator[WebmentionIoStandIn]:
    server = WebmentionIoStandIn()
    try:
        yield server
    finally:
        server.close()


def provider_for(service: WebmentionIoStandIn) -> WebmentionProvider:
    return WebmentionProvider(service.api, frozenset({service.origin}))


def article_on(service: WebmentionIoStandIn, mentions: Mentions) -> str:
    path = "/2024/03/kaese.html"
    service.pages[path] = PAGE.format(endpoint=service.endpoint("blog.example"))
    link = f"{service.origin}{path}"
    mentions.target = link
    service.mentions.append(mentions)
    return link


def source_tree(mentions: Mentions) -> set[tuple[str, str]]:
    """The tree as the mentions say it: a reply's parent is the mention its in-reply-to names
    (a reply to a private mention, which is not shown, stands at the top level)."""
    hidden = set(mentions.private)
    return {
        (Mentions.url(i.number), Mentions.url(i.parent) if i.parent not in hidden | {0} else "")
        for i in mentions.replies
        if i.number not in hidden
    }


async def read(client, service, link) -> MentionsThread:
    provider = provider_for(service)
    target = await provider.detect(client, stand_in(link), Hints(stand_in(link)))
    assert target is not None and target.url == service.endpoint("blog.example")
    assert provider.uses_jf2(target.url)
    thread = await provider.fetch(client, target)
    assert isinstance(thread, MentionsThread)
    return thread


async def test_tree_equals_the_mentions_own_tree_over_pages(service, client) -> None:
    mentions = Mentions("", german_thread(230), likes=7, reposts=3)
    link = article_on(service, mentions)
    thread = await read(client, service, link)
    assert pairs(thread.comments) == source_tree(mentions)
    assert thread.reactions == {"like": 7, "repost": 3}
    assert thread.note == "Webmentions: 7 likes, 3 reposts"
    assert not thread.partial
    asked = [s for s in service.seen if s.path == "/api/mentions.jf2"]
    assert [s.query["page"] for s in asked] == [["0"], ["1"], ["2"]]
    assert all(s.query["per-page"] == ["100"] and s.query["target[]"] == [link] for s in asked)
    by_key = {c.key: c for c in thread.comments}
    deep = by_key[Mentions.url(12)]
    assert "Käse &amp; Brötchen" in deep.content and deep.author == "Jürgen Müßig 12"
    assert deep.link == Mentions.url(12) and deep.published is not None
    chain, key = 0, deep.key
    while key:
        key, chain = by_key[key].parent_key, chain + 1
    assert chain == 12


async def test_private_mentions_are_not_shown(service, client) -> None:
    mentions = Mentions("", german_thread(5, depth=2), private=[4])
    link = article_on(service, mentions)
    thread = await read(client, service, link)
    assert Mentions.url(4) not in {c.key for c in thread.comments}
    assert pairs(thread.comments) == source_tree(mentions)


async def test_a_page_without_an_endpoint_has_no_webmentions(service, client) -> None:
    service.pages["/plain.html"] = "<html><body>Nichts</body></html>"
    link = f"{service.origin}/plain.html"
    assert await provider_for(service).detect(client, stand_in(link), Hints(stand_in(link))) is None


async def test_an_api_error_is_one_line(service, client) -> None:
    provider = provider_for(service)
    link = article_on(service, Mentions("", german_thread(2)))
    target = await provider.detect(client, stand_in(link), Hints(stand_in(link)))
    assert target is not None
    broken = WebmentionProvider(f"{service.origin}/missing.jf2", frozenset({service.origin}))
    with pytest.raises(CommentsUnavailable, match="webmention.io: the server answered HTTP 404"):
        await broken.fetch(client, target)


def test_jf2_entry_fields() -> None:
    entry = {"type": "entry", "author": {"name": "Ada Ärger", "url": "https://ada.example/"},
             "url": "https://ada.example/n/1", "published": "2024-03-01T10:00:00+01:00",
             "wm-property": "in-reply-to", "in-reply-to": "https://blog.example/p",
             "content": {"text": "Zeile eins\nZeile <zwei>"}}  # fmt: skip
    mention = mention_of_jf2(entry)
    assert mention is not None
    assert mention.content == "<p>Zeile eins<br />Zeile &lt;zwei&gt;</p>"
    assert mention.author == "Ada Ärger" and mention.published == 1709283600.0
    assert mention_of_jf2({"url": "javascript:alert(1)"}) is None
    assert mention_of_jf2("nonsense") is None


def test_listing_entry_of_the_webmentions_receiver() -> None:
    entry = {"source": "https://bob.example/r/2", "target": "https://blog.example/p",
             "content": "<p>Hallo</p>", "author_name": "Bob", "mention_type": "reply",
             "published": "2024-03-02T08:00:00", "status": "confirmed",
             "metadata": {"mf2": {"in_reply_to": [{"type": ["h-cite"], "properties": {
                 "url": ["https://ada.example/n/1"]}}, "https://blog.example/p"]}}}  # fmt: skip
    mention = mention_of_listing(entry)
    assert mention is not None and mention.kind == "in-reply-to"
    assert mention.in_reply_to == ("https://ada.example/n/1", "https://blog.example/p")
    assert mention_of_listing({**entry, "status": "pending"}) is None
    like = mention_of_listing({**entry, "mention_type": "like", "source": "https://c.example/l"})
    first = mention_of_jf2({"url": "https://ada.example/n/1", "wm-property": "in-reply-to"})
    assert like is not None and first is not None
    thread = thread_of([first, mention, like])
    assert pairs(thread.comments) == {
        ("https://ada.example/n/1", ""),
        ("https://bob.example/r/2", "https://ada.example/n/1"),
    }
    assert thread.reactions == {"like": 1} and thread.note == "Webmentions: 1 like"


async def test_more_than_5000_mentions_are_read_partially(service, client) -> None:
    mentions = Mentions("", german_thread(5050))
    link = article_on(service, mentions)
    thread = await read(client, service, link)
    assert thread.partial and len(thread.comments) == 5000
    assert len([s for s in service.seen if s.path == "/api/mentions.jf2"]) == 50


async def test_an_api_answering_html_says_so(service, client) -> None:
    link = article_on(service, Mentions("", german_thread(2)))
    service.pages["/wartung.html"] = "<html><body>Wartungsarbeiten</body></html>"
    provider = WebmentionProvider(f"{service.origin}/wartung.html", frozenset({service.origin}))
    target = await provider.detect(client, stand_in(link), Hints(stand_in(link)))
    assert target is not None
    with pytest.raises(CommentsUnavailable, match="expected JSON, the server sent text/html"):
        await provider.fetch(client, target)
