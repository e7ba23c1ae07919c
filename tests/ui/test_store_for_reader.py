"""Store methods the reader needs: sort orders, mark-all-read and its undo, data_version."""

from __future__ import annotations

from blogtui.core.models import EntryData
from blogtui.core.store import Store


def _entries(store: Store) -> tuple[int, int]:
    a, _ = store.add_feed("https://a.example/feed", "Zeta feed")
    b, _ = store.add_feed("https://b.example/feed", "Alpha feed")
    store.upsert_articles(a.id, [EntryData(key="1", title="banana", published=3.0),
                                 EntryData(key="2", title="Apple", published=1.0)])  # fmt: skip
    store.upsert_articles(b.id, [EntryData(key="3", title="cherry", published=2.0)])
    return a.id, b.id


def _titles(store: Store, ids: list[int]) -> list[str]:
    return [row.title for row in store.article_summaries(ids)]


def test_article_ids_sort_orders() -> None:
    store = Store(":memory:")
    _entries(store)
    assert _titles(store, store.article_ids()) == ["banana", "cherry", "Apple"]
    assert _titles(store, store.article_ids(order="title")) == ["Apple", "banana", "cherry"]
    assert _titles(store, store.article_ids(order="feed")) == ["cherry", "banana", "Apple"]
    first = store.article_ids(order="title")[0]
    store.set_read([first])
    assert _titles(store, store.article_ids(order="unread")) == ["banana", "cherry", "Apple"]
    assert _titles(store, store.article_ids(order="title", limit=1)) == ["Apple"]


def test_mark_all_read_is_undone_once() -> None:
    store = Store(":memory:")
    a, b = _entries(store)
    store.set_read(store.article_ids([b]))  # read before: stays read after the undo
    marked = store.mark_all_read(None)
    assert len(marked) == 2 and store.article_ids(unread_only=True) == []
    assert sorted(store.undo_mark_all_read()) == sorted(marked)
    assert sorted(store.article_ids(unread_only=True)) == sorted(store.article_ids([a]))
    assert store.undo_mark_all_read() == []
    assert store.mark_all_read([b]) == []


def test_data_version_changes_with_another_connections_commit(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "db.sqlite"
    reader, writer = Store(path), Store(path)
    before = reader.data_version()
    assert reader.data_version() == before
    writer.add_feed("https://c.example/feed", "C")
    assert reader.data_version() != before
    reader.close()
    writer.close()
