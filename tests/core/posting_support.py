"""Helpers shared by the posting tests: a store with the demo's posts and drafts to send."""

from __future__ import annotations

from pathlib import Path

from blogtui.core.config import Identity
from blogtui.core.drafts.store import Draft, DraftStore
from blogtui.core.models import Article, EntryData
from blogtui.core.posting import queue_reply
from blogtui.core.store import Store

ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")
OPEN = "night-ride-along-the-river"
BUSY = "why-my-ride-log-cli-took-a-second-to-start"
CLOSED = "winterpause-werkstatt-bis-maerz"


def make_store(tmp_path: Path) -> tuple[Store, DraftStore]:
    """An empty store and drafts directory under `tmp_path`."""
    return Store(tmp_path / "blogtui.db"), DraftStore(tmp_path / "drafts")


def add_article(store: Store, url: str, title: str = "A post", feed: str = "") -> Article:
    """Store one article at `url` (in a feed of its own) and return it."""
    feed_row, _ = store.add_feed(feed or url + "feed/", "Blog")
    store.upsert_articles(feed_row.id, [EntryData(key=url, title=title, link=url)])
    article = store.get_article(store.article_ids([feed_row.id])[0])
    assert article is not None
    return article


def queue(
    store: Store,
    drafts: DraftStore,
    article: Article,
    text: str,
    parent: str = "",
    identity: Identity = ME,
) -> Draft:
    """A saved draft replying to `parent` ("" = the post), queued for sending."""
    draft = drafts.new(blog="demo", article_url=article.link, article_title=article.title,
                       parent_id=parent, identity=identity, text=text)  # fmt: skip
    queue_reply(store, drafts, draft, article.id)
    return draft
