"""`find_discussions`: every discussion site asked at once, each site's failure its own message,
never an exception; and the normal thread load never asks a discussion site."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standins.hackernews import HackerNewsStandIn, HnStory
from standins.lobsters import LobstersStandIn, LobStory
from standins.threads import german_thread

from blogtui.core.comments.base import Hints, Target
from blogtui.core.comments.discussion_site import same_url, url_key
from blogtui.core.comments.discussions import discussion_sites, find_discussions
from blogtui.core.comments.hackernews import HackerNewsProvider
from blogtui.core.comments.lobsters import LobstersProvider
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in

ARTICLE = "https://blog.example/2024/01/kaese.html"


@pytest.fixture
def sites() -> Iterator[tuple[HackerNewsStandIn, LobstersStandIn]]:
    hn, lobsters = HackerNewsStandIn(), LobstersStandIn()
    try:
        yield hn, lobsters
    finally:
        hn.close()
        lobsters.close()


def providers(hn: HackerNewsStandIn, lobsters: LobstersStandIn) -> list[object]:
    return [HackerNewsProvider(hn.origin), LobstersProvider(lobsters.origin)]


def test_the_registry_has_both_sites_as_discussions_only() -> None:
    assert [site.name for site in discussion_sites()] == ["hackernews", "lobsters"]
    assert PROVIDERS["hackernews"].label == "Hacker News" and PROVIDERS["lobsters"].kind == (
        "discussion"
    )
    assert all(p.reply_mode == "browser" for p in discussion_sites())


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://a.example/p", "http://a.example/p/", True),
        ("https://www.a.example/p", "https://A.EXAMPLE:443/p#x", True),
        ("https://a.example/", "https://a.example", True),
        ("https://a.example/p?x=1", "https://a.example/p", False),
        ("https://a.example:8080/p", "https://a.example/p", False),
        ("https://a.example/p", "https://b.example/p", False),
        ("", "", False),
    ],
)
def test_url_matching(first: str, second: str, same: bool) -> None:
    assert same_url(first, second) is same
    assert url_key("http://[::1") == "http://[::1"  # unparsable: kept, never raised


async def test_both_sites_found_in_the_sites_order(sites, client) -> None:
    hn, lobsters = sites
    hn.add(HnStory(39_000_000, ARTICLE, german_thread(312)))
    hn.add(HnStory(38_000_000, ARTICLE + "/", german_thread(5)))
    lobsters.add(LobStory("abc123", "http://www.blog.example/2024/01/kaese", german_thread(41)))
    found = await find_discussions(client, stand_in(ARTICLE), sites=providers(hn, lobsters))
    assert [(d.label, d.comments, d.url, d.submissions) for d in found] == [
        ("Hacker News", 312, "https://news.ycombinator.com/item?id=39000000", 2),
        ("Lobsters", 41, f"{lobsters.origin}/s/abc123", 1),
    ]
    assert all(d.ok and d.title for d in found)
    hn_found = found[0]
    assert hn_found.target == Target("hackernews", hn.origin, "39000000", expected=312)


async def test_nothing_submitted_nothing_found(sites, client) -> None:
    hn, lobsters = sites
    hn.add(HnStory(1, "https://blog.example/anderes", german_thread(2)))
    assert await find_discussions(client, stand_in(ARTICLE), sites=providers(hn, lobsters)) == []
    assert await find_discussions(client, stand_in(""), sites=providers(hn, lobsters)) == []


async def test_a_site_down_is_its_own_message(sites, client) -> None:
    hn, lobsters = sites
    lobsters.add(LobStory("abc", ARTICLE, german_thread(3)))
    chosen = providers(hn, lobsters)
    hn.close()
    found = await find_discussions(client, stand_in(ARTICLE), sites=chosen)
    assert [(d.provider, d.ok) for d in found] == [("hackernews", False), ("lobsters", True)]
    assert "connect" in found[0].error and not found[0].error.startswith("Hacker News")


async def test_a_slow_site_is_given_up_on_without_holding_the_other(sites, client) -> None:
    hn, lobsters = sites
    hn.latency = 3.0
    lobsters.add(LobStory("abc", ARTICLE, german_thread(3)))
    found = await find_discussions(client, stand_in(ARTICLE), deadline=0.5,
                                   sites=providers(hn, lobsters))  # fmt: skip
    assert found[0].provider == "hackernews" and found[0].error == "no answer in time"
    assert found[1].comments == 3


async def test_garbage_and_throttling_are_messages(sites, client) -> None:
    hn, lobsters = sites
    hn.garbage = b"<html><body>Wartungsarbeiten</body></html>"
    lobsters.throttled = 1
    found = await find_discussions(client, stand_in(ARTICLE), sites=providers(hn, lobsters))
    assert found[0].error == "expected JSON, the site sent text/html"
    assert found[1].error == "too many requests; try again in 30 s"


async def test_a_broken_provider_never_raises(sites, client) -> None:
    class Broken(HackerNewsProvider):
        name, label = "kaputt", "Kaputt"

        async def stories(self, client: httpx.AsyncClient, url: str) -> list:  # type: ignore[type-arg]
            raise KeyError("oops")

    hn, lobsters = sites
    found = await find_discussions(client, stand_in(ARTICLE), sites=[Broken(hn.origin)])
    assert [(d.label, d.error) for d in found] == [("Kaputt", "the lookup failed (KeyError)")]


async def test_a_plain_discussion_provider_is_asked_through_detect(sites, client) -> None:
    from blogtui.core.comments.base import CommentProvider, FetchedThread

    class Elsewhere(CommentProvider):
        name, label, kind = "anderswo", "Anderswo", "discussion"

        async def detect(self, client: httpx.AsyncClient, article: Article,
                         hints: Hints) -> Target | None:  # fmt: skip
            return Target(self.name, "https://anderswo.example", "7", expected=9)

        async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
            return FetchedThread([])

    [found] = await find_discussions(client, stand_in(ARTICLE), sites=[Elsewhere()])
    assert (found.label, found.comments, found.url) == ("Anderswo", 9, ARTICLE)


async def test_the_normal_thread_load_never_asks_a_discussion_site(
    sites, client, monkeypatch
) -> None:
    from blogtui.core.comments.loading import NoThread, find_thread

    hn, _ = sites
    hn.add(HnStory(5, f"{hn.origin}/artikel", german_thread(3)))
    monkeypatch.setitem(PROVIDERS, "hackernews", HackerNewsProvider(hn.origin))
    with pytest.raises(NoThread):
        await find_thread(client, stand_in(f"{hn.origin}/artikel"), deadline=5)
    assert not [s for s in hn.seen if s.path.startswith("/api/")]
