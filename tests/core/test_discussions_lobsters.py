"""Lobsters discussions against the stand-in written from the site's source
(tests/standins/lobsters.py): finding stories by URL, the flat thread as a tree, gone comments,
merged stories, big threads, throttling, hostile HTML."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standins.lobsters import LobstersStandIn, LobStory
from standins.threads import german_thread, pairs

from blogtui.core.comments.base import Hints, Target
from blogtui.core.comments.lobsters import LobstersProvider
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.lookup import stand_in

ARTICLE = "https://blog.example/2024/01/kaese/"


@pytest.fixture
def lobsters() -> Iterator[LobstersStandIn]:
    server = LobstersStandIn()
    try:
        yield server
    finally:
        server.close()


def own_tree(story: LobStory) -> set[tuple[str, str]]:
    """The stand-in's own tree, as (short id, parent short id) pairs."""
    return {(story.key(item.number), story.key(item.parent)) for item in story.items}


async def detected(provider: LobstersProvider, client: httpx.AsyncClient) -> Target | None:
    article = stand_in(ARTICLE)
    return await provider.detect(client, article, Hints(article))


async def found(provider: LobstersProvider, client: httpx.AsyncClient) -> Target:
    target = await detected(provider, client)
    assert target is not None
    return target


async def test_story_found_by_url_and_its_tree_equals_the_sites_own(lobsters, client) -> None:
    story = lobsters.add(LobStory("abc123", ARTICLE, german_thread(250, depth=60),
                                  user_is_author=True))  # fmt: skip
    provider = LobstersProvider(lobsters.origin)
    target = await found(provider, client)
    assert (target.provider, target.ident, target.expected) == ("lobsters", "abc123", 250)
    thread = await provider.fetch(client, target)
    assert pairs(thread.comments) == own_tree(story)
    assert not thread.partial
    first = next(c for c in thread.comments if c.key == "cabc1231")
    assert first.author == "nutzer_1" and "Brötchen" in first.content
    assert first.published == 1_700_000_060.0
    assert first.link == f"{lobsters.origin}/s/abc123#c_cabc1231"
    assert thread.post_author_key == "lobsters-user:grüner_hummer"
    [lookup] = [s for s in lobsters.seen if s.path == "/stories/url/all.json"]
    assert lookup.query["url"] == [ARTICLE]
    assert provider.reply_page(target, stand_in(ARTICLE)) == f"{lobsters.origin}/s/abc123"


@pytest.mark.parametrize(
    "submitted",
    [
        "http://blog.example/2024/01/kaese",
        "https://www.blog.example/2024/01/kaese/",
        "https://blog.example/2024/01/kaese/#kommentare",
    ],
)
async def test_url_variants_match(lobsters, client, submitted) -> None:
    lobsters.add(LobStory("xyz", submitted, german_thread(2)))
    stories = await LobstersProvider(lobsters.origin).stories(client, ARTICLE)
    assert [s.ident for s in stories] == ["xyz"]


async def test_no_submission_no_discussion(lobsters, client) -> None:
    lobsters.add(LobStory("xyz", "https://blog.example/2024/01/anderes/", german_thread(2)))
    assert await detected(LobstersProvider(lobsters.origin), client) is None


async def test_the_most_discussed_submission_wins(lobsters, client) -> None:
    lobsters.add(LobStory("alt", ARTICLE, german_thread(40)))
    lobsters.add(LobStory("neu", ARTICLE, german_thread(3)))
    provider = LobstersProvider(lobsters.origin)
    assert [s.ident for s in await provider.stories(client, ARTICLE)] == ["neu", "alt"]
    target = await found(provider, client)
    assert (target.ident, target.expected) == ("alt", 40)


async def test_gone_comments_keep_their_place(lobsters, client) -> None:
    story = lobsters.add(LobStory("gone", ARTICLE, german_thread(15), deleted={2},
                                  moderated={4}))  # fmt: skip
    provider = LobstersProvider(lobsters.origin)
    thread = await provider.fetch(client, await found(provider, client))
    by_key = {c.key: c for c in thread.comments}
    assert by_key["cgone2"].status == "deleted" and by_key["cgone2"].content == ""
    assert by_key["cgone4"].status == "removed" and "Off-topic" in by_key["cgone4"].content
    assert pairs(thread.comments) == own_tree(story)
    assert thread.post_author_key == ""


async def test_a_merged_story_is_read_where_it_was_merged(lobsters, client) -> None:
    lobsters.add(LobStory("old", ARTICLE, german_thread(2), merged_into="main"))
    story = lobsters.add(LobStory("main", "https://b.example/x", german_thread(9)))
    provider = LobstersProvider(lobsters.origin)
    thread = await provider.fetch(client, Target("lobsters", lobsters.origin, "old"))
    assert pairs(thread.comments) == own_tree(story)


async def test_a_5000_comment_story_is_bounded(lobsters, client) -> None:
    story = lobsters.add(LobStory("big", ARTICLE, german_thread(5000, depth=300)))
    target = await found(LobstersProvider(lobsters.origin), client)
    thread = await LobstersProvider(lobsters.origin).fetch(client, target)
    assert pairs(thread.comments) == own_tree(story) and not thread.partial
    capped = await LobstersProvider(lobsters.origin, max_comments=1000).fetch(client, target)
    assert capped.partial and len(capped.comments) == 1000
    assert len([s for s in lobsters.seen if s.path == "/s/big.json"]) == 2


async def test_unknown_story_throttling_and_garbage_say_so(lobsters, client) -> None:
    provider = LobstersProvider(lobsters.origin)
    with pytest.raises(CommentsUnavailable, match="HTTP 404"):
        await provider.fetch(client, Target("lobsters", lobsters.origin, "nope"))
    lobsters.throttled = 1
    with pytest.raises(CommentsUnavailable, match="too many requests; try again in 30 s"):
        await provider.stories(client, ARTICLE)
    lobsters.garbage = b'{"short_id": "abc", "comments": [{'
    with pytest.raises(CommentsUnavailable, match="expected JSON"):
        await provider.stories(client, ARTICLE)
    lobsters.garbage = b'{"stories": []}'
    with pytest.raises(CommentsUnavailable, match="not a list"):
        await provider.stories(client, ARTICLE)


async def test_hostile_html_shows_safe(lobsters, client) -> None:
    from blogtui.cli.comments import render
    from blogtui.core.text.sanitize import clean

    hostile = "<p>Grüße <script>alert(1)</script>\x1b[2J\u2066weg\u2069 <b>fett</b></p>"
    lobsters.add(LobStory("evil", ARTICLE, german_thread(2), texts={1: hostile}))
    provider = LobstersProvider(lobsters.origin)
    thread = await provider.fetch(client, await found(provider, client))
    shown = clean(render(thread.comments[0], 0), multiline=True)
    assert "Grüße" in shown and "fett" in shown
    assert not any(ch in shown for ch in "\x1b\u2066\u2069") and "alert" not in shown
