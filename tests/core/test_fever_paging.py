"""FeverBackend's paging rules against a small Fever stand-in whose `since_id` answers come in
any order (as coldsweat's do) or in id order (as Miniflux's and FreshRSS's do)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standins.server import Reply, Seen, StandIn

from blogtui.core.sync.base import Account, AuthFailed, SyncError
from blogtui.core.sync.fever import HOLE_CALLS, ITEMS_PER_CALL, FeverBackend, api_key_of


class FeverStandIn(StandIn):
    """Items 1..count (only every `step`-th id exists: other users' items leave gaps)."""

    def __init__(self, count: int, step: int = 1, highest_first: bool = False) -> None:
        super().__init__()
        self.ids = list(range(step, count * step + 1, step))
        self.highest_first = highest_first
        self.garbage = False

    def answer(self, seen: Seen) -> Reply:
        if self.garbage:
            return Reply(200, b"<html>Wartungsarbeiten</html>", {"Content-Type": "text/html"})
        if seen.form.get("api_key") != api_key_of("lea", "geheim"):
            return Reply.json(200, {"api_version": 3, "auth": 0})
        result: dict[str, object] = {"api_version": 3, "auth": 1}
        if "since_id" in seen.query:
            since = int(seen.query["since_id"][0])
            newer = [i for i in self.ids if i > since]
            chosen = sorted(newer, reverse=self.highest_first)[:ITEMS_PER_CALL]
            result["items"] = [self.item(i) for i in chosen]
        elif "with_ids" in seen.query:
            wanted = {int(i) for i in seen.query["with_ids"][0].split(",")}
            assert len(wanted) <= ITEMS_PER_CALL
            result["items"] = [self.item(i) for i in self.ids if i in wanted]
        return Reply.json(200, result)

    @staticmethod
    def item(number: int) -> dict[str, object]:
        return {"id": number, "feed_id": 1, "title": f"Nr. {number}: Grüße", "html": "<p>ß</p>",
                "url": f"https://example.org/{number}", "is_read": 0, "is_saved": 0,
                "created_on_time": 1_709_280_000 + number, "author": "Jörg"}  # fmt: skip


def backend(standin: StandIn, password: str = "geheim") -> FeverBackend:
    return FeverBackend(Account("f", "fever", standin.origin + "/fever/", "lea"), password)


async def walk(standin: FeverStandIn) -> tuple[list[str], list[str]]:
    """Every article id delivered, and every cursor, over a whole articles_since walk."""
    fever = backend(standin)
    ids: list[str] = []
    cursors: list[str] = []
    cursor, more = "", True
    async with httpx.AsyncClient() as client:
        while more and len(cursors) < 100:
            page = await fever.articles_since(client, cursor)
            assert len(page.articles) <= FeverBackend.page_size
            ids.extend(a.id for a in page.articles)
            cursor, more = page.cursor, page.more
            cursors.append(cursor)
    return ids, cursors


@pytest.fixture
def highest_first() -> Iterator[FeverStandIn]:
    standin = FeverStandIn(730, highest_first=True)
    yield standin
    standin.close()


async def test_an_unordered_server_still_delivers_every_item_once(
    highest_first: FeverStandIn,
) -> None:
    ids, cursors = await walk(highest_first)
    assert sorted(ids, key=int) == [str(i) for i in highest_first.ids]
    assert len(ids) == len(set(ids))
    assert [int(c) for c in cursors] == sorted(int(c) for c in cursors)
    # each page checks at most HOLE_CALLS * 50 ids below the answer's highest
    assert int(cursors[0]) == HOLE_CALLS * ITEMS_PER_CALL


async def test_an_ordered_server_needs_no_extra_calls() -> None:
    standin = FeverStandIn(130)
    try:
        ids, cursors = await walk(standin)
    finally:
        standin.close()
    assert ids == [str(i) for i in standin.ids] and cursors == ["50", "100", "130"]
    assert not [s for s in standin.seen if "with_ids" in s.query]


async def test_gaps_from_other_users_items_are_checked_and_passed() -> None:
    standin = FeverStandIn(120, step=3)
    try:
        ids, _ = await walk(standin)
    finally:
        standin.close()
    assert ids == [str(i) for i in standin.ids]


async def test_auth_zero_and_garbage(highest_first: FeverStandIn) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(AuthFailed, match="refused the user name or password"):
            await backend(highest_first, "falsch").unread_ids(client)
        highest_first.garbage = True
        with pytest.raises(SyncError, match="expected JSON"):
            await backend(highest_first).unread_ids(client)
