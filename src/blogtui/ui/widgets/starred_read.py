"""`A` in the "Starred" list: mark the starred articles read, and only them, after asking.

They are marked as one change of the article list's own marks (`ArticleList.mark_read`): the rows
show read at once, one store write marks them all (a synced article's change is queued for its
server in that write; no feed is caught up on the server, as only the starred are read), in the
order of the keys, so an `m` typed later still wins. `U` does not undo it (it undoes the last
mark-all-read of a feed, a folder or all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    from blogtui.core.store import Store
    from blogtui.ui.widgets.article_list import ArticleList


def unread_starred(article_list: ArticleList, store: Store) -> list[int]:
    """The starred articles shown unread (the store's, through the marks not yet written)."""
    rows = store.article_summaries(store.article_ids(starred_only=True))
    return [row.id for row in article_list.marks.apply_all(rows) if not row.read]


def starred_question(count: int) -> str:
    """What `A` asks before marking `count` starred articles read."""
    many = "s" if count != 1 else ""
    return (
        f"Mark {count} unread starred article{many} read?\n"
        "(Only the starred ones; U does not undo this, m marks one unread again.)"
    )


def ask_mark_starred_read(asker: Widget, article_list: ArticleList, store: Store) -> None:
    """Ask (through `asker`'s app) whether to mark the unread starred articles read; if so,
    mark them. Without any, say so."""
    from blogtui.ui.screens.dialogs import ConfirmScreen

    unread = unread_starred(article_list, store)
    if not unread:
        asker.notify("No unread starred articles.", markup=False)
        return

    confirm = ConfirmScreen("Mark starred read", starred_question(len(unread)), yes="Mark read")
    asker.app.push_screen(confirm, lambda yes: article_list.mark_read(unread) if yes else None)
