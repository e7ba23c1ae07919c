"""The outbox: replies leave it only when a server has confirmed them."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from blogtui.core.models import OutboxItem
from blogtui.core.posting.state import ReplyState
from blogtui.core.store.base import StoreBase

OUTBOX_COLUMNS = (
    "id, draft_id, article_id, parent_key, state, attempts, last_error, next_attempt, remote_id,"
    " remote_url, created, updated"
)

_QUEUED_AGAIN = (ReplyState.FAILED, ReplyState.REJECTED, ReplyState.QUEUED)
"""Queueing a reply again in one of the first two states makes it the third."""


class OutboxMixin(StoreBase):
    """Queued replies."""

    def enqueue_reply(self, draft_id: str, article_id: int | None, parent_key: str) -> OutboxItem:
        """Queue a draft for sending; queueing the same draft again keeps its row."""
        now = time.time()
        with self.write() as db:
            db.execute(
                "INSERT INTO outbox (draft_id, article_id, parent_key, created, updated)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (draft_id) DO UPDATE SET"
                " state = CASE WHEN state IN (?, ?) THEN ? ELSE state END,"
                " updated = excluded.updated",
                (draft_id, article_id, parent_key, now, now, *_QUEUED_AGAIN),
            )
        item = self.outbox_item(draft_id)
        assert item is not None
        return item

    def outbox_item(self, draft_id: str) -> OutboxItem | None:
        """The outbox row of a draft."""
        row = self.db.execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE draft_id = ?", (draft_id,)
        ).fetchone()
        return _item(row) if row else None

    def outbox(self, states: Iterable[ReplyState] = ()) -> list[OutboxItem]:
        """Outbox rows, oldest first, optionally only in `states`."""
        wanted = tuple(states)
        clause = f"WHERE state IN ({','.join('?' * len(wanted))})" if wanted else ""
        rows = self.db.execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox {clause} ORDER BY created, id", wanted
        )
        return [_item(row) for row in rows]

    def update_reply(self, draft_id: str, **changes: Any) -> None:
        """Change fields of an outbox row: state, last_error, next_attempt, remote_*, attempts."""
        allowed = {"state", "last_error", "next_attempt", "remote_id", "remote_url", "attempts"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown outbox fields: {sorted(unknown)}")
        changes["updated"] = time.time()
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.write() as db:
            db.execute(
                f"UPDATE outbox SET {assignments} WHERE draft_id = ?",
                (*changes.values(), draft_id),
            )


def _item(row: Sequence[Any]) -> OutboxItem:
    """The OutboxItem of a row selected with OUTBOX_COLUMNS."""
    return OutboxItem(
        id=row[0],
        draft_id=row[1],
        article_id=row[2],
        parent_key=row[3],
        state=ReplyState(row[4]),
        attempts=row[5],
        last_error=row[6],
        next_attempt=row[7],
        remote_id=row[8],
        remote_url=row[9],
        created=row[10],
        updated=row[11],
    )
