"""Hacker News discussions against the documented HN Search stand-in (tests/standins/hackernews.py):
finding the story by URL, the nested thread as a tree, deleted and dead comments, big and deep
threads, rate limits, hostile HTML."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standins.hackernews import HackerNewsStandIn, HnStory
from standins.threads import german_thread, pairs, tree_of

from blogtui.core.comments.base import Hints, Target
from blogtui.core.comments.hackernews import HITS_PER_PAGE, HackerNewsProvider, flatten
from blogtui.core.comments.tree import build_tree
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.lookup import stand_in

ARTICLE = "https://blog.example/2024/01/kaese.html"


@pytest.fixture
def hn() -> Iterator[HackerNewsStandIn]:
    server = HackerNewsStandIn()
    try:
        yield server
    finally:
        server.close()


def provider_for(server: HackerNewsStandIn, **options: int) -> HackerNewsProvider:
    return HackerNewsProvider(server.origin, **options)


async def detected(provider: HackerNewsProvider, client: httpx.AsyncClient) -> Target | None:
    """What `detect` finds for the article."""
    article = stand_in(ARTICLE)
    return await provider.detect(client, article, Hints(article))


async def found(provider: HackerNewsProvider, client: httpx.AsyncClient) -> Target:
    """What `detect` finds for the article, which must be something."""
    target = await detected(provider, client)
    assert target is not None
    return target


async def test_story_found_by_url_and_its_tree_equals_the_sites_own(hn, client) -> None:
    story = hn.add(HnStory(39_000_000, ARTICLE, german_thread(300, depth=40)))
    provider = provider_for(hn)
    target = await found(provider, client)
    assert (target.provider, target.ident, target.expected) == ("hackernews", "39000000", 300)
    thread = await provider.fetch(client, target)
    assert pairs(thread.comments) == tree_of(story.items, story.id)
    assert not thread.partial
    first = next(c for c in thread.comments if c.key == "39000001")
    assert first.author == "Jürgen Müßig 1" and "Brötchen" in first.content
    assert first.link == "https://news.ycombinator.com/item?id=39000001"
    assert first.published == 1_700_000_060.0
    [search] = [s for s in hn.seen if s.path == "/api/v1/search"]
    assert search.query["restrictSearchableAttributes"] == ["url"]
    assert search.query["tags"] == ["story"]
    assert search.query["query"] == ["blog.example/2024/01/kaese.html"]
    assert provider.reply_page(target, stand_in(ARTICLE)) == (
        "https://news.ycombinator.com/item?id=39000000"
    )


@pytest.mark.parametrize(
    "submitted",
    [
        "http://blog.example/2024/01/kaese.html",
        "https://www.blog.example/2024/01/kaese.html",
        "https://blog.example/2024/01/kaese.html/",
        "https://BLOG.example:443/2024/01/kaese.html#kommentare",
    ],
)
async def test_url_variants_match(hn, client, submitted) -> None:
    hn.add(HnStory(41, submitted, german_thread(3)))
    stories = await provider_for(hn).stories(client, ARTICLE)
    assert [s.ident for s in stories] == ["41"]


@pytest.mark.parametrize(
    "submitted",
    [
        "https://blog.example/2024/01/kaese.html/antworten",  # the search finds it, a word more
        "https://blog.example/2024/01/kaese.html?seite=2",
        "https://anderes.example/2024/01/kaese.html",
    ],
)
async def test_other_urls_do_not_count(hn, client, submitted) -> None:
    hn.add(HnStory(41, submitted, german_thread(3)))
    assert await provider_for(hn).stories(client, ARTICLE) == []
    assert await detected(provider_for(hn), client) is None


async def test_several_submissions_the_most_discussed_wins(hn, client) -> None:
    hn.add(HnStory(100, ARTICLE, german_thread(4)))
    hn.add(HnStory(200, ARTICLE.replace("https", "http"), german_thread(31)))
    hn.add(HnStory(300, ARTICLE + "/", german_thread(7)))
    provider = provider_for(hn)
    assert len(await provider.stories(client, ARTICLE)) == 3
    target = await found(provider, client)
    assert (target.ident, target.expected) == ("200", 31)


async def test_search_pages_are_followed(hn, client) -> None:
    for number in range(HITS_PER_PAGE + 5):
        hn.add(HnStory(1000 + number, f"{ARTICLE}/teil{number}", []))
    hn.add(HnStory(5000, ARTICLE, german_thread(2)))
    stories = await provider_for(hn).stories(client, ARTICLE)
    assert [s.ident for s in stories] == ["5000"]
    pages = [s.query["page"] for s in hn.seen if s.path == "/api/v1/search"]
    assert pages == [["0"], ["1"]]


async def test_deleted_and_dead_comments_keep_their_place(hn, client) -> None:
    story = hn.add(HnStory(7000, ARTICLE, german_thread(20), deleted={2}, dead={5}))
    provider = provider_for(hn)
    thread = await provider.fetch(client, await found(provider, client))
    by_key = {c.key: c for c in thread.comments}
    assert by_key["7002"].status == by_key["7005"].status == "deleted"
    assert by_key["7002"].content == "" and by_key["7002"].author == ""
    assert by_key["7003"].parent_key == "7002"
    assert pairs(thread.comments) == tree_of(story.items, story.id)


async def test_a_5000_comment_story_is_read_in_one_request_and_bounded(hn, client) -> None:
    story = hn.add(HnStory(8_000_000, ARTICLE, german_thread(5000, depth=150)))
    provider = provider_for(hn)
    target = await found(provider, client)
    thread = await provider.fetch(client, target)
    assert pairs(thread.comments) == tree_of(story.items, story.id)
    assert len([s for s in hn.seen if s.path.startswith("/api/v1/items/")]) == 1
    roots = build_tree(thread.comments)
    assert sum(1 for _ in roots) > 0
    capped = await provider_for(hn, max_comments=4000).fetch(client, target)
    assert capped.partial and len(capped.comments) == 4000


def test_flatten_needs_no_recursion_for_a_deep_chain() -> None:
    story: dict[str, object] = {"id": 1, "children": []}
    node = story
    for number in range(2, 20_002):
        child: dict[str, object] = {"id": number, "author": "a", "text": "t", "children": []}
        node["children"] = [child]
        node = child
    comments, partial = flatten(story)  # type: ignore[arg-type]
    assert len(comments) == 10_000 and partial
    assert comments[-1].parent_key == comments[-2].key


async def test_a_thread_too_deep_for_json_is_an_error_not_a_crash(hn, client) -> None:
    hn.add(HnStory(9000, ARTICLE, german_thread(3000, depth=3000)))
    provider = provider_for(hn)
    target = await found(provider, client)
    with pytest.raises(CommentsUnavailable, match="nested too deeply"):
        await provider.fetch(client, target)


async def test_unknown_story_and_rate_limit_say_so(hn, client) -> None:
    provider = provider_for(hn)
    with pytest.raises(CommentsUnavailable, match="HTTP 404"):
        await provider.fetch(client, Target("hackernews", hn.origin, "12345"))
    hn.too_many, hn.retry_after = 1, "120"
    with pytest.raises(CommentsUnavailable, match="too many requests; try again in 2 min"):
        await provider.stories(client, ARTICLE)


async def test_hostile_html_is_kept_for_the_one_sanitiser_and_shows_safe(hn, client) -> None:
    from blogtui.cli.comments import render
    from blogtui.core.text.sanitize import clean

    hostile = (
        "<p>Hallo <script>alert(1)</script>\x1b[31mrot\x1b]0;titel\x07 \u202eesrever"
        " <i>kursiv</i></p><pre><code>x = 1</code></pre><img src=x onerror=alert(3)>"
    )
    hn.add(HnStory(9100, ARTICLE, german_thread(2), texts={1: hostile}))
    provider = provider_for(hn)
    target = await found(provider, client)
    thread = await provider.fetch(client, target)
    shown = clean(render(thread.comments[0], 0), multiline=True)
    assert "rot" in shown and "kursiv" in shown and "x = 1" in shown
    assert not any(ch in shown for ch in "\x1b\x07\u202e")
    assert "alert" not in shown
