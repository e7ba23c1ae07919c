"""Replies to the user's own comments: moved to `Store.replies_to_me` and `Store.my_comments`.

A compatibility path for the UI until it calls the store directly; nothing in core/ or cli/
uses it. Delete it with its last caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blogtui.core.models import Comment
    from blogtui.core.store import Store


def replies_to_me(store: Store, *, include_seen: bool = False) -> list[Comment]:
    """`store.replies_to_me(include_seen)`."""
    return store.replies_to_me(include_seen)


def my_comments(store: Store) -> list[Comment]:
    """`store.my_comments()`."""
    return store.my_comments()
