"""FeverBackend against a real coldsweat 0.10 (Fever API server from PyPI, `.ci/coldsweat.sh`)."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from blogtui.core.sync.base import Account, AuthFailed, SyncError
from blogtui.core.sync.fever import FeverBackend, api_key_of
from blogtui.core.sync.registry import backend_for


def backend(site: dict[str, Any], password: str | None = None, url: str = "") -> FeverBackend:
    account = Account("fever-test", "fever", url or site["fever_url"], site["email"])
    return FeverBackend(account, site["password"] if password is None else password)


def all_ids(site: dict[str, Any]) -> set[str]:
    return {str(e["id"]) for feed in site["feeds"] for e in feed["entries"]}


def entries_of(site: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return next(feed["entries"] for feed in site["feeds"] if feed["key"] == key)


def feed_id(site: dict[str, Any], key: str) -> str:
    return str(next(feed["id"] for feed in site["feeds"] if feed["key"] == key))


async def test_the_api_key_is_the_md5_of_user_and_password(coldsweat: dict[str, Any]) -> None:
    assert api_key_of(coldsweat["email"], coldsweat["password"]) == coldsweat["api_key"]
    async with httpx.AsyncClient() as client:
        await backend(coldsweat).login(client)


async def test_a_wrong_password_is_refused_with_a_clear_message(coldsweat: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(AuthFailed) as raised:
            await backend(coldsweat, password="falsches-Passwort-123").login(client)
    assert "refused the user name or password" in raised.value.message
    assert "falsches" not in raised.value.message
    assert api_key_of(coldsweat["email"], "falsches-Passwort-123") not in raised.value.message


async def test_a_server_that_is_down_is_named_clearly(coldsweat: dict[str, Any]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient() as client:
        with pytest.raises(SyncError) as raised:
            await backend(coldsweat, url=f"http://127.0.0.1:{port}/fever/").feeds(client)
    assert raised.value.message.startswith("Fever feeds: cannot reach the server")
    assert coldsweat["password"] not in raised.value.message


async def test_a_url_that_is_not_fever_says_so(coldsweat: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(SyncError) as raised:
            await backend(coldsweat, url=coldsweat["base_url"] + "/nothing-here").login(client)
    assert "HTTP 404" in raised.value.message


async def test_feeds_come_with_their_groups(coldsweat: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        feeds = await backend(coldsweat).feeds(client)
    got = {(f.id, f.title, f.folder, f.url) for f in feeds}
    want = {
        (str(f["id"]), f["title"], f["group"] or "Default", f["url"]) for f in coldsweat["feeds"]
    }
    assert got == want
    assert {f.site_url for f in feeds} == {
        f"https://{k}.example.org/" for k in ("typografie", "technik", "kueche")
    }


async def test_articles_since_delivers_every_item_once_though_coldsweat_answers_unordered(
    coldsweat: dict[str, Any],
) -> None:
    fever = backend(coldsweat)
    seen: list[str] = []
    sizes: list[int] = []
    cursor, more = "", True
    async with httpx.AsyncClient() as client:
        while more:
            page = await fever.articles_since(client, cursor)
            seen.extend(a.id for a in page.articles)
            sizes.append(len(page.articles))
            cursor, more = page.cursor, page.more
            assert len(sizes) < 10
    # coldsweat's since_id answer is 50 items in no id order (it skips lower ids): the
    # backend fills those in by with_ids before moving its cursor past them.
    assert 50 < sizes[0] <= FeverBackend.page_size
    assert len(seen) == len(set(seen)) == coldsweat["total_items"]
    assert set(seen) == all_ids(coldsweat)
    assert seen == sorted(seen, key=int)
    async with httpx.AsyncClient() as client:
        later = await fever.articles_since(client, cursor)
    assert later.articles == [] and not later.more and later.cursor == cursor


async def test_articles_by_id_in_batches_keep_german_text(coldsweat: dict[str, Any]) -> None:
    wanted = [str(e["id"]) for e in entries_of(coldsweat, "typografie")]
    assert len(wanted) > 50
    async with httpx.AsyncClient() as client:
        got = await backend(coldsweat).articles(client, wanted)
    assert sorted(a.id for a in got) == sorted(wanted)
    first = next(a for a in got if a.id == wanted[0])
    seeded = entries_of(coldsweat, "typografie")[0]
    assert first.title == seeded["title"] and "„Grüße“" in first.title
    assert first.link == seeded["link"]
    assert first.author == "Jörg Weißbach"
    assert "Größe, Maß und Süße" in first.html
    assert first.published == seeded["created_on_time"]
    assert first.feed_id == feed_id(coldsweat, "typografie")
    assert first.unread and first.starred  # seeded as saved


async def test_unread_and_saved_ids_are_the_seeds(coldsweat: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        fever = backend(coldsweat)
        unread = await fever.unread_ids(client)
        starred = await fever.starred_ids(client)
    assert unread == all_ids(coldsweat) - {str(i) for i in coldsweat["read_ids"]}
    assert starred == {str(i) for i in coldsweat["saved_ids"]}


async def test_marks_go_both_ways(coldsweat: dict[str, Any]) -> None:
    fever = backend(coldsweat)
    to_read = [str(e["id"]) for e in entries_of(coldsweat, "technik")[:7]]
    back = str(coldsweat["read_ids"][0])
    async with httpx.AsyncClient() as client:
        await fever.mark(client, to_read, "read", True)
        await fever.mark(client, [back], "read", False)
        await fever.mark(client, to_read[:2], "starred", True)
        await fever.mark(client, [str(coldsweat["saved_ids"][0])], "starred", False)
        unread = await fever.unread_ids(client)
        starred = await fever.starred_ids(client)
    assert not set(to_read) & unread
    assert back in unread
    assert starred == {to_read[0], to_read[1], str(coldsweat["saved_ids"][1])}


async def test_a_mark_for_an_item_the_server_dropped_is_done(coldsweat: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        await backend(coldsweat).mark(client, ["987654"], "read", True)


async def test_mark_feed_read_marks_only_what_came_before(coldsweat: dict[str, Any]) -> None:
    entries = entries_of(coldsweat, "technik")
    before = entries[5]["created_on_time"]
    async with httpx.AsyncClient() as client:
        fever = backend(coldsweat)
        await fever.catch_up(client, feed_id(coldsweat, "technik"), before)
        unread = await fever.unread_ids(client)
    technik = [str(e["id"]) for e in entries]
    assert not set(technik[:5]) & unread
    assert set(technik[5:]) <= unread
    others = all_ids(coldsweat) - set(technik) - {str(i) for i in coldsweat["read_ids"]}
    assert others <= unread


async def test_fever_cannot_subscribe_and_says_so(coldsweat: dict[str, Any]) -> None:
    fever = backend(coldsweat)
    assert FeverBackend.can_subscribe is False
    async with httpx.AsyncClient() as client:
        with pytest.raises(SyncError, match="Fever cannot add subscriptions"):
            await fever.subscribe(client, "https://neu.example.org/feed.xml")
        await fever.unsubscribe(client, feed_id(coldsweat, "kueche"))  # taken, nothing sent
        assert feed_id(coldsweat, "kueche") in {f.id for f in await fever.feeds(client)}


def test_the_registry_picks_fever_for_a_fever_account(coldsweat: dict[str, Any]) -> None:
    account = Account("meins", "fever", coldsweat["fever_url"], coldsweat["email"])
    assert isinstance(backend_for(account, "x"), FeverBackend)
