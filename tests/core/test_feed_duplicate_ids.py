"""Several posts of one feed sharing one id by mistake (as other readers' test data has them):
all kept when their links differ, one when they are the same post. Small feeds written here."""

from __future__ import annotations

import json

from support.atom import atom, entry

from blogtui.core.feeds.parse import parse_feed
from blogtui.core.store import Store

URL = "http://blog.example/feed/"


def test_posts_sharing_an_id_by_mistake_are_all_kept():
    body = atom(
        entry("urn:a", "First", "http://blog.example/1")
        + entry("urn:same", "Second", "http://blog.example/2")
        + entry("urn:same", "Third", "http://blog.example/3")
        + entry("urn:same", "Fourth", "http://blog.example/4")
    )
    entries = parse_feed(body, URL).entries
    assert [e.title for e in entries] == ["First", "Second", "Third", "Fourth"]
    assert len({e.key for e in entries}) == 4
    assert entries[0].key == "urn:a"
    assert all(e.guid == "urn:same" for e in entries[1:])


def test_they_are_all_stored_and_stay_single_on_the_next_refresh(tmp_path):
    body = atom(
        entry("urn:same", "Second", "http://blog.example/2")
        + entry("urn:same", "Third", "http://blog.example/3")
    )
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(URL)
    for _ in range(2):
        store.upsert_articles(feed.id, parse_feed(body, URL).entries)
    titles = sorted(store.get_article(i).title for i in store.article_ids([feed.id]))
    assert titles == ["Second", "Third"]
    store.close()


def test_one_post_given_twice_stays_one():
    body = atom(
        entry("urn:same", "Draft", "http://blog.example/2")
        + entry("urn:same", "Final", "http://blog.example/2")
    )
    keys = {e.key for e in parse_feed(body, URL).entries}
    assert keys == {"urn:same"}


def test_a_re_keyed_post_never_takes_another_posts_id():
    body = atom(
        entry("http://blog.example/2", "Owner of the address", "http://blog.example/2")
        + entry("urn:same", "Elsewhere", "http://blog.example/2")
        + entry("urn:same", "Other", "http://blog.example/3")
    )
    keys = [e.key for e in parse_feed(body, URL).entries]
    assert len(set(keys)) == 3 and keys[0] == "http://blog.example/2"


def test_json_feed_items_sharing_an_id_are_all_kept():
    items = [
        {"id": "1", "url": "https://blog.example/a", "title": "A"},
        {"id": "1", "url": "https://blog.example/b", "title": "B"},
    ]
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items}
    entries = parse_feed(json.dumps(document).encode(), URL).entries
    assert [e.title for e in entries] == ["A", "B"] and len({e.key for e in entries}) == 2
