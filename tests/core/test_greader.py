"""GReaderBackend against the Google Reader API stand-in (tests/standins/greader.py, written from
FreshRSS's and Miniflux's documentation): login, tokens, 401 recovery, edits, subscriptions."""

from __future__ import annotations

import httpx
import pytest
from greader_support import backend_for, greader_standin  # noqa: F401
from standins.greader import READ, STARRED, GReaderStandIn, long_id

from blogtui.core.sync.base import Account, AuthFailed, NotLoggedIn, SyncError
from blogtui.core.sync.greader import GReaderBackend
from blogtui.core.sync.registry import backend_for as registry_backend


def api_calls(standin: GReaderStandIn, call: str) -> list[str]:
    return [s.method for s in standin.seen if s.path.endswith("/reader/api/0/" + call)]


async def test_login_then_feeds_with_their_folders(greader: GReaderStandIn) -> None:
    async with httpx.AsyncClient() as client:
        feeds = await backend_for(greader).feeds(client)
    assert [(f.id, f.title, f.folder) for f in feeds] == [
        ("feed/1", "Über Typografie", "Sprache"),
        ("feed/2", "Technik-Tagebuch", "Technik"),
        ("feed/3", "Kleines Küchenblog", ""),
    ]
    assert feeds[0].url == "https://typografie.example.org/feed.xml"
    assert feeds[0].site_url == "https://typografie.example.org/"
    login = greader.seen[0]
    assert login.path == "/api/greader.php/accounts/ClientLogin" and login.method == "POST"
    assert login.form == {"Email": "lea", "Passwd": greader.password}
    assert greader.seen[1].headers["authorization"] == f"GoogleLogin auth={greader.auth()}"


async def test_a_wrong_password_is_refused_clearly(greader: GReaderStandIn) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(AuthFailed) as raised:
            await backend_for(greader, password="Falsches-Kennwort").feeds(client)
    assert "refused the user name or password" in raised.value.message
    assert "Falsches" not in raised.value.message


async def test_a_stale_action_token_is_fetched_again_once(greader: GReaderStandIn) -> None:
    item = next(i for i in greader.items.values() if not i.read)
    backend = backend_for(greader)
    async with httpx.AsyncClient() as client:
        await backend.mark(client, [str(item.id)], "read", True)
        greader.expire_token()
        await backend.mark(client, [str(item.id)], "read", False)
    assert not item.read
    assert greader.tokens_issued == 2 and greader.logins == 1
    refused = [s for s in greader.seen if s.path.endswith("edit-tag")]
    assert [s.form["T"] for s in refused][1] != greader.token()
    assert refused[-1].form["T"] == greader.token()


async def test_an_expired_session_logs_in_again_once(greader: GReaderStandIn) -> None:
    backend = backend_for(greader)
    async with httpx.AsyncClient() as client:
        await backend.feeds(client)
        greader.expire_session()
        feeds = await backend.feeds(client)
        greader.expire_session()
        await backend.mark(client, [str(next(iter(greader.items)))], "starred", True)
    assert len(feeds) == 3 and greader.logins == 3


async def test_a_session_refused_after_a_new_login_is_not_logged_in(
    greader: GReaderStandIn,
) -> None:
    greader.broken_sessions = True
    async with httpx.AsyncClient() as client:
        with pytest.raises(NotLoggedIn, match="refused the session"):
            await backend_for(greader).unread_ids(client)
        with pytest.raises(NotLoggedIn):
            await backend_for(greader).mark(client, ["1"], "read", True)
    assert greader.logins == 4


async def test_edit_tag_both_ways_with_long_ids(greader: GReaderStandIn) -> None:
    unread = [i for i in greader.items.values() if not i.read and not i.starred][:3]
    ids = [str(i.id) for i in unread]
    backend = backend_for(greader)
    async with httpx.AsyncClient() as client:
        await backend.mark(client, ids, "read", True)
        assert all(i.read for i in unread)
        await backend.mark(client, ids[:1], "read", False)
        await backend.mark(client, ids, "starred", True)
        await backend.mark(client, ids[1:], "starred", False)
    assert [(i.read, i.starred) for i in unread] == [(False, True), (True, False), (True, False)]
    edits = [s.form for s in greader.seen if s.path.endswith("edit-tag")]
    assert edits[0]["a"] == READ and edits[1]["r"] == READ
    assert edits[2]["a"] == STARRED and edits[3]["r"] == STARRED
    sent = [s for s in greader.seen if s.path.endswith("edit-tag")][0]
    assert sent.body.decode().count("i=") == 3
    assert edits[0]["i"] == long_id(unread[0].id)


async def test_mark_all_as_read_sends_ts_in_microseconds(greader: GReaderStandIn) -> None:
    feed_items = sorted((i for i in greader.items.values() if i.feed == 2), key=lambda i: i.id)
    before = feed_items[10].published
    async with httpx.AsyncClient() as client:
        await backend_for(greader).catch_up(client, "feed/2", before)
    sent = next(s for s in greader.seen if s.path.endswith("mark-all-as-read"))
    assert sent.form["s"] == "feed/2" and sent.form["ts"] == str(before * 1_000_000)
    assert len(sent.form["ts"]) == 16
    assert all(i.read for i in feed_items[:10]) and not any(i.read for i in feed_items[10:])
    others = [i for i in greader.items.values() if i.feed != 2 and i.read]
    assert len(others) == 2  # only the seeded read items of the other feeds


async def test_subscribe_into_a_folder_and_unsubscribe(greader: GReaderStandIn) -> None:
    backend = backend_for(greader)
    async with httpx.AsyncClient() as client:
        stream = await backend.subscribe(client, "https://neu.example.org/feed", "Küche & Café")
        feeds = await backend.feeds(client)
        assert (stream, "Küche & Café") in {(f.id, f.folder) for f in feeds}
        await backend.unsubscribe(client, "feed/1")
        assert "feed/1" not in {f.id for f in await backend.feeds(client)}
        with pytest.raises(SyncError, match="did not subscribe"):
            await backend.subscribe(client, "kein-link")
        with pytest.raises(SyncError, match="HTTP 400"):
            await backend.unsubscribe(client, "feed/99")
    edit = next(s for s in greader.seen if s.path.endswith("subscription/edit"))
    assert edit.form == {
        "ac": "edit",
        "s": stream,
        "a": "user/-/label/Küche & Café",
        "T": edit.form["T"],
    }
    assert GReaderBackend.can_subscribe


async def test_garbage_json_is_a_sync_error(greader: GReaderStandIn) -> None:
    greader.garbage.add("subscription/list")
    async with httpx.AsyncClient() as client:
        with pytest.raises(SyncError, match="expected JSON"):
            await backend_for(greader).feeds(client)


async def test_a_server_that_is_down_is_named_clearly(greader: GReaderStandIn) -> None:
    backend = backend_for(greader)
    greader.close()
    async with httpx.AsyncClient() as client:
        with pytest.raises(SyncError, match="cannot reach the server"):
            await backend.feeds(client)


def test_the_registry_picks_greader(greader: GReaderStandIn) -> None:
    account = Account("leser", "greader", greader.base_url, "lea")
    assert isinstance(registry_backend(account, "x"), GReaderBackend)
