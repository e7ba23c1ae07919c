"""Google Reader item ids (long and short forms), paged id lists and the reading list walk,
against the stand-in (tests/standins/greader.py)."""

from __future__ import annotations

import httpx
import pytest
from greader_support import START, backend_for, greader_standin, seed  # noqa: F401
from standins.greader import GReaderStandIn

from blogtui.core.sync.base import SyncError
from blogtui.core.sync.greader import IDS_PER_PAGE, long_id, short_id


def test_long_and_short_ids_map_both_ways() -> None:
    assert short_id("tag:google.com,2005:reader/item/00000000148b9369") == "344691561"
    assert long_id("344691561") == "tag:google.com,2005:reader/item/00000000148b9369"
    assert short_id("000000000000048c") == "1164"
    assert short_id("1709280003000001") == "1709280003000001"
    # Google Reader's own ids used the whole 64 bits: the short form is signed.
    assert short_id("tag:google.com,2005:reader/item/ffffffffffffffff") == "-1"
    assert long_id("-1") == "tag:google.com,2005:reader/item/ffffffffffffffff"
    for text in ("", "tag:google.com,2005:reader/item/zz", "feed/1", "12a"):
        with pytest.raises(SyncError, match="is not an item id"):
            short_id(text)


async def test_ids_from_both_endpoints_are_the_same_short_ids(greader: GReaderStandIn) -> None:
    backend = backend_for(greader)
    async with httpx.AsyncClient() as client:
        unread = await backend.unread_ids(client)
        starred = await backend.starred_ids(client)
        long_forms = [long_id(i) for i in sorted(unread)[:5]]
        articles = await backend.articles(client, long_forms)
    assert unread == {str(i.id) for i in greader.items.values() if not i.read}
    assert starred == {str(i.id) for i in greader.items.values() if i.starred}
    assert sorted(a.id for a in articles) == sorted(unread)[:5]
    contents = next(s for s in greader.seen if s.path.endswith("stream/items/contents"))
    assert contents.method == "POST" and contents.body.decode().count("&i=") + 1 >= 5


async def test_articles_carry_text_state_and_feed(greader: GReaderStandIn) -> None:
    item = next(i for i in greader.items.values() if i.starred)
    async with httpx.AsyncClient() as client:
        (article,) = await backend_for(greader).articles(client, [str(item.id)])
    assert article.id == str(item.id) and article.feed_id == f"feed/{item.feed}"
    assert article.title == item.title and "„Anführungszeichen“" in article.title
    assert article.html == item.html and "Größe, Maß und Süße" in article.html
    assert article.link == item.link and article.author == "Jörg Weißbach"
    assert article.published == item.published
    assert article.starred and article.unread


async def test_an_enormous_unread_list_comes_page_by_page() -> None:
    standin = GReaderStandIn()
    try:
        feeds = seed(standin, per_feed=4_000)
        standin.add_item(feeds[0], 99_999, START, read=True)
        async with httpx.AsyncClient() as client:
            unread = await backend_for(standin).unread_ids(client)
    finally:
        standin.close()
    expected = {str(i.id) for i in standin.items.values() if not i.read}
    assert unread == expected and len(unread) == 11_997
    pages = [s for s in standin.seen if s.path.endswith("stream/items/ids")]
    assert len(pages) == -(-len(expected) // IDS_PER_PAGE)
    assert all(p.query["n"] == [str(IDS_PER_PAGE)] for p in pages)
    assert all(p.query["xt"] == ["user/-/state/com.google/read"] for p in pages)
    assert "c" not in pages[0].query and all("c" in p.query for p in pages[1:])


async def test_a_continuation_that_does_not_advance_stops() -> None:
    standin = GReaderStandIn()
    try:
        seed(standin, per_feed=400)
        standin.stuck_continuation = True
        async with httpx.AsyncClient() as client:
            with pytest.raises(SyncError, match="continuation does not advance"):
                await backend_for(standin).unread_ids(client)
        assert len([s for s in standin.seen if s.path.endswith("items/ids")]) == 2
    finally:
        standin.close()


async def test_the_reading_list_walk_resumes_where_it_stopped(greader: GReaderStandIn) -> None:
    backend = backend_for(greader)
    got: list[str] = []
    cursor, more, pages = "", True, 0
    async with httpx.AsyncClient() as client:
        while more and pages < 10:
            page = await backend.articles_since(client, cursor)
            got.extend(a.id for a in page.articles)
            cursor, more, pages = page.cursor, page.more, pages + 1
        assert pages == 1 and len(got) == 90  # one page of up to 100
        newest = max(greader.items.values(), key=lambda i: i.id)
        fresh = greader.add_item(greader.feeds[3], 500, newest.published + 7200)
        later = await backend.articles_since(client, cursor)
    assert got == sorted(got, key=int) and set(got) == {str(i) for i in greader.items} - {
        str(fresh.id)
    }
    assert str(fresh.id) in {a.id for a in later.articles} and not later.more
    assert len(later.articles) <= 2  # the new item, perhaps the last one again (same second)


async def test_the_walk_pages_with_continuations() -> None:
    standin = GReaderStandIn()
    try:
        seed(standin, per_feed=120)
        backend = backend_for(standin)
        got: list[str] = []
        cursor, more, pages = "", True, 0
        async with httpx.AsyncClient() as client:
            while more and pages < 10:
                page = await backend.articles_since(client, cursor)
                got.extend(a.id for a in page.articles)
                cursor, more, pages = page.cursor, page.more, pages + 1
    finally:
        standin.close()
    assert pages == 4 and len(got) == len(set(got)) == 360
    assert got == sorted(got, key=int)


async def test_a_walk_ending_on_an_empty_page_keeps_the_newest_crawl_time() -> None:
    standin = GReaderStandIn()
    try:
        seed(standin, per_feed=100)
        backend = backend_for(standin)
        sizes: list[int] = []
        cursor, more = "", True
        async with httpx.AsyncClient() as client:
            while more and len(sizes) < 10:
                page = await backend.articles_since(client, cursor)
                sizes.append(len(page.articles))
                cursor, more = page.cursor, page.more
    finally:
        standin.close()
    assert sizes == [100, 100, 100, 0]
    assert cursor == str(max(i.published for i in standin.items.values()))


async def test_the_stand_in_serves_feed_streams_and_tags_as_documented(
    greader: GReaderStandIn,
) -> None:
    """The parts of the stand-in the backend does not use, kept honest: `stream/contents/feed/…`
    pages by continuation, `tag/list` lists the starred state and the folders."""
    api = greader.base_url + "/reader/api/0/"
    headers = {"Authorization": f"GoogleLogin auth={greader.auth()}"}
    async with httpx.AsyncClient(headers=headers) as client:
        first = (await client.get(api + "stream/contents/feed/2", params={"n": 20})).json()
        rest = await client.get(
            api + "stream/contents/feed/2", params={"n": 20, "c": first["continuation"]}
        )
        tags = (await client.get(api + "tag/list", params={"output": "json"})).json()
        refused = await client.get(
            api + "tag/list", headers={"Authorization": "GoogleLogin auth=x"}
        )
    ids = [i["id"] for i in first["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) == 30 and "continuation" not in rest.json()
    assert {i["origin"]["streamId"] for i in first["items"]} == {"feed/2"}
    assert [t["id"] for t in tags["tags"]] == [
        "user/-/state/com.google/starred",
        "user/-/label/Sprache",
        "user/-/label/Technik",
    ]
    assert refused.status_code == 401 and refused.headers["X-Reader-Google-Bad-Token"] == "true"
