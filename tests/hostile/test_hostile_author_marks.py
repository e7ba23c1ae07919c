"""Look-alike authors (issue 12 item 4): "(author)" and "(you)" rest on the identity the provider
gives, never on the name; a name that imitates the post author's or the user's gets a warning.

The rule (`core.comments.marks`) is tested on its own, then end to end: a WordPress REST server
and an RSS comment feed on 127.0.0.1 serve real-shape threads with impostors, which go through
the provider, the store and `ThreadMarks`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from feedserver import FeedServer, Response

from blogtui.core.comments.base import Target
from blogtui.core.comments.comment_feed import CommentFeedProvider
from blogtui.core.comments.identity import email_key
from blogtui.core.comments.marks import (
    HIDDEN,
    LIKE_POST_AUTHOR,
    LIKE_YOU,
    ThreadMarks,
    marks_for,
)
from blogtui.core.comments.wordpress import WordPressProvider
from blogtui.core.models import Comment, EntryData, ThreadState
from blogtui.core.store import Store

AUTHOR = "Jürgen Weiß"
AUTHOR_KEY = "wordpress-user:3"

# Each imitates its base name and shows like it once invisible characters are dropped.
IMPOSTORS = {
    "zero-width space": "Jürgen\u200b Weiß",
    "Cyrillic е": "Jürg\u0435n Weiß",
    "soft hyphen": "Jür\u00adgen Weiß",
    "BOM": "\ufeffJürgen Weiß",
    "word joiner": "Jürgen\u2060 Weiß",
    "Cyrillic і": "Jürgen We\u0456ß",
    "decomposed ü": "Ju\u0308rgen Weiß",
    "double space": "Jürgen  Weiß",
}
S_IMPOSTORS = {  # for a name with an `s`
    "Cyrillic ѕ": "Jürgen Wei\u0455\u0455",
    "Cyrillic ѕ and ZWSP": "Jürgen Wei\u0455\u200bs",
}


def comment(author: str, key: str = "", *, mine: bool = False, number: int = 1) -> Comment:
    return Comment(id=number, article_id=1, key=str(number), parent_key="", author=author,
                   author_url="", published=None, content="", first_seen=0.0, seen=False,
                   mine=mine, author_key=key)  # fmt: skip


@pytest.mark.parametrize("key", ["", "wordpress-user:9", "gravatar:" + "a" * 32, "isso:ab12"])
@pytest.mark.parametrize(
    ("name", "base"),
    [
        *((n, AUTHOR) for n in IMPOSTORS.values()),
        *((n, "Jürgen Weiss") for n in S_IMPOSTORS.values()),
    ],
)
def test_an_impostor_is_never_the_author_and_always_warned(name: str, base: str, key: str) -> None:
    marks = marks_for(comment(name, key), post_author_keys={AUTHOR_KEY}, post_author_names=[base])
    assert not marks.post_author and not marks.me
    assert LIKE_POST_AUTHOR in marks.warning


@pytest.mark.parametrize("name", [*IMPOSTORS.values(), *S_IMPOSTORS.values()])
def test_an_impostor_of_the_user_is_not_you(name: str) -> None:
    base = "Jürgen Weiss" if name in S_IMPOSTORS.values() else AUTHOR
    marks = marks_for(comment(name, "gravatar:" + "b" * 32), post_author_keys=set(),
                      my_names=[base], my_keys={"wordpress-user:5"})  # fmt: skip
    assert not marks.me and LIKE_YOU in marks.warning


@pytest.mark.parametrize("name", ["Jürgen\u200b Weiß", "\ufeffJürgen", "Wei\u00adß", "A\u2060B"])
def test_hidden_characters_are_warned_even_when_the_name_imitates_no_one(name: str) -> None:
    marks = marks_for(comment(name), post_author_keys=set(), post_author_names=["Someone Else"])
    assert marks.warning == HIDDEN


def test_the_real_author_by_id_is_the_author_whatever_the_name() -> None:
    for name in ("admin", "J. W.", AUTHOR, ""):
        marks = marks_for(comment(name, AUTHOR_KEY), post_author_keys={AUTHOR_KEY},
                          post_author_names=[AUTHOR])  # fmt: skip
        assert marks.post_author and not marks.warning and not marks.me


def test_the_same_name_without_identity_is_no_author() -> None:
    # Isso and WordPress RSS feeds: no post author key at all
    for key in ("", "isso:0a1b2c3d4e5f"):
        marks = marks_for(comment(AUTHOR, key), post_author_keys=frozenset(),
                          post_author_names=[AUTHOR])  # fmt: skip
        assert not marks.post_author
        assert marks.warning == LIKE_POST_AUTHOR
    # a guest who typed the author's name (and even the author's email: same avatar hash)
    marks = marks_for(comment(AUTHOR, "gravatar:" + "c" * 64), post_author_keys={AUTHOR_KEY},
                      post_author_names=[AUTHOR])  # fmt: skip
    assert not marks.post_author and marks.warning == LIKE_POST_AUTHOR


def test_you_only_by_your_own_comments_or_your_account() -> None:
    rule = {"post_author_keys": set(), "my_names": ["Kim"], "my_keys": {"wordpress-user:5"}}
    assert marks_for(comment("Kim", mine=True), **rule).me  # type: ignore[arg-type]
    assert marks_for(comment("Kim", "wordpress-user:5"), **rule).me  # type: ignore[arg-type]
    other = marks_for(comment("Kim", "wordpress-user:6"), **rule)  # type: ignore[arg-type]
    assert not other.me and other.warning == LIKE_YOU
    # the user's own guest comment does not make another guest with the same avatar "you"
    guest = "gravatar:" + "d" * 32
    thread = [comment("Kim", guest, mine=True, number=1), comment("Kim", guest, number=2)]
    marks = ThreadMarks(thread, ThreadState(1), my_names=["Kim"])
    assert marks.of(thread[0]).me and not marks.of(thread[1]).me
    assert marks.of(thread[1]).warning == LIKE_YOU


def test_unrelated_names_get_no_marks() -> None:
    marks = marks_for(comment("Anna", "wordpress-user:9"), post_author_keys={AUTHOR_KEY},
                      post_author_names=[AUTHOR], my_names=["Kim"])  # fmt: skip
    assert (marks.post_author, marks.me, marks.warning) == (False, False, "")


# ----------------------------------------------------------------------------- end to end


def avatar(email: str) -> dict[str, str]:
    digest = hashlib.sha256(email.encode()).hexdigest()
    return {
        s: f"https://secure.gravatar.com/avatar/{digest}?s={s}&d=mm&r=g" for s in ("24", "48", "96")
    }


def rest_comment(number: int, author: int, name: str, email: str) -> dict[str, object]:
    """A comment as WordPress's REST API shows it to a visitor (context=view)."""
    return {"id": number, "post": 7, "parent": 0, "author": author, "author_name": name,
            "author_url": "", "date": "2024-03-01T10:00:00", "date_gmt": "2024-03-01T10:00:00",
            "content": {"rendered": f"<p>{number}</p>\n"}, "link": f"http://x/p/#comment-{number}",
            "status": "approved", "type": "comment", "author_avatar_urls": avatar(email),
            "meta": []}  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "blogtui.db")


async def test_wordpress_impostors_through_the_store(feed_server: FeedServer, store: Store) -> None:
    real = "juergen@example.org"
    items = [rest_comment(1, 3, AUTHOR, real), rest_comment(2, 3, "admin", real)]
    items += [
        rest_comment(10 + i, 0, name, "x@example.net") for i, name in enumerate(IMPOSTORS.values())
    ]
    items.append(rest_comment(30, 0, AUTHOR, real))  # a guest who typed the author's name and email
    root = feed_server.url("/wp-json/")
    page = WordPressProvider.page_url(root, "7", 1).removeprefix(feed_server.url(""))
    headers = {"Content-Type": "application/json", "X-WP-TotalPages": "1"}
    feed_server.route(page, Response(200, json.dumps(items).encode(), headers))
    post = {"comment_status": "open", "author": 3}
    feed_server.route("/wp-json/wp/v2/posts/7?_fields=comment_status%2Cauthor",
                      Response(200, json.dumps(post).encode(), headers))  # fmt: skip
    async with httpx.AsyncClient() as client:
        thread = await WordPressProvider().fetch(client, Target("wordpress", root, "7"))
    assert thread.post_author_key == AUTHOR_KEY
    feed, _ = store.add_feed(feed_server.url("/feed"))
    article_id = _article(store, feed.id)
    store.store_thread(article_id, thread.comments, provider="wordpress",
                       post_author_key=thread.post_author_key)  # fmt: skip
    stored = store.comments_for(article_id)
    marks = ThreadMarks(stored, store.thread_state(article_id), post_author=AUTHOR)
    authors = {c.key for c in stored if marks.of(c).post_author}
    assert authors == {"1", "2"}
    warned = {c.key for c in stored if LIKE_POST_AUTHOR in marks.of(c).warning}
    assert warned == {str(10 + i) for i in range(len(IMPOSTORS))} | {"30"}


def _article(store: Store, feed_id: int) -> int:
    store.upsert_articles(feed_id, [EntryData(key="p", title="P", author=AUTHOR, link="http://x/p/",
                                              author_email="Juergen@Example.org")])  # fmt: skip
    return store.article_ids([feed_id])[0]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Comments on: P</title>{items}</channel></rss>"""
ITEM = """<item><title>c</title><link>http://x/p/#comment-{id}</link><author>{author}</author>
<guid isPermaLink="false">http://x/?p=7#comment-{id}</guid><description>hi</description></item>"""


async def test_feed_addresses_decide_the_author_and_stay_hidden(
    feed_server: FeedServer, store: Store
) -> None:
    people = {1: f"juergen@example.org ({AUTHOR})", 2: f"impostor@example.net ({AUTHOR})",
              3: "juergen@example.org (J.)", 4: f"noreply@blogger.com ({IMPOSTORS['BOM']})",
              5: "only@example.org"}  # fmt: skip
    body = RSS.format(items="".join(ITEM.format(id=i, author=a) for i, a in people.items()))
    url = feed_server.route("/c/", status=200, body=body.encode(),
                            headers={"Content-Type": "application/rss+xml"})  # fmt: skip
    async with httpx.AsyncClient() as client:
        thread = await CommentFeedProvider().fetch(client, Target("rss", url))
    feed, _ = store.add_feed(feed_server.url("/feed"))
    article_id = _article(store, feed.id)
    store.store_thread(article_id, thread.comments, provider="rss")
    article = store.get_article(article_id)
    assert article is not None
    stored = {c.key: c for c in store.comments_for(article_id)}
    marks = ThreadMarks(stored.values(), store.thread_state(article_id), post_author=article.author,
                        post_author_email=article.author_email)  # fmt: skip
    assert {k for k, c in stored.items() if marks.of(c).post_author} == {"1", "3"}
    assert marks.of(stored["2"]).warning == LIKE_POST_AUTHOR
    assert marks.of(stored["4"]).warning == f"{LIKE_POST_AUTHOR}, {HIDDEN}"
    assert stored["5"].author == "" and stored["5"].author_key == email_key("only@example.org")
    db_text = json.dumps([list(row) for row in store.db.execute("SELECT * FROM comments")])
    assert "@example" not in db_text and "juergen" not in db_text.lower()
    assert not marks.of(replace(stored["1"], author_key="")).post_author
