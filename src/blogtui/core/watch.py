"""Replies to the user's own comments.

Comments the user posted are marked `mine` in the stored threads (the outbox does it at once).
After a thread refresh, a stored comment whose parent is one of the user's, that the user did
not write and has not seen yet, is a reply to watch for.
"""

from __future__ import annotations

from typing import Any

from blogtui.core.models import Comment
from blogtui.core.store.comments import COMMENT_COLUMNS

_COLUMNS = ", ".join(f"c.{name.strip()}" for name in COMMENT_COLUMNS.split(","))


def replies_to_me(store: Any, *, include_seen: bool = False) -> list[Comment]:
    """Unseen (or, with `include_seen`, all) replies to the user's comments, oldest first."""
    seen = "" if include_seen else " AND c.seen = 0"
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM comments c JOIN comments p ON p.article_id = c.article_id"
        " AND p.key = c.parent_key AND p.mine = 1"
        f" WHERE c.mine = 0 AND c.deleted = 0 AND c.parent_key != ''{seen}"
        " ORDER BY coalesce(c.published, c.first_seen), c.id"
    )
    return [Comment(*row[:9], bool(row[9]), row[10], bool(row[11]), row[12]) for row in rows]


def my_comments(store: Any) -> list[Comment]:
    """Every comment the user posted, oldest first."""
    rows = store.db.execute(
        f"SELECT {COMMENT_COLUMNS} FROM comments WHERE mine = 1 AND deleted = 0"
        " ORDER BY coalesce(published, first_seen), id"
    )
    return [Comment(*row[:9], bool(row[9]), row[10], bool(row[11]), row[12]) for row in rows]
