"""Blogger against its documented stand-in (tests/standins/blogger.py): the tree from the
`related` links (never flat), start-index paging, removed comments, no-reply addresses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from standins.blogger import ID_OFFSET, BloggerPost, BloggerStandIn
from standins.threads import german_thread, tree_of

from blogtui.core.comments import find_thread
from blogtui.core.comments.base import Hints
from blogtui.core.comments.blogger import PAGE_SIZE, BloggerProvider, is_blogger_feed
from blogtui.core.comments.identity import email_key
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in


def serve(post: BloggerPost) -> Iterator[BloggerStandIn]:
    server = BloggerStandIn(post)
    try:
        yield server
    finally:
        server.close()


def article_of(server: BloggerStandIn, **fields: object) -> Article:
    link = f"{server.origin}/2024/01/artikel.html"
    return replace(stand_in(link), replies_feed=server.feed, **fields)


async def test_tree_from_related_links_over_pages(client) -> None:
    items = german_thread(450, depth=30)
    for server in serve(BloggerPost(items)):
        found = await find_thread(client, article_of(server))
        assert found.provider == "blogger"
        assert {(c.key, c.parent_key) for c in found.thread.comments} == tree_of(items, ID_OFFSET)
        starts = [s.query["start-index"][0] for s in server.seen if "start-index" in s.query]
        assert starts == ["1", str(1 + PAGE_SIZE), str(1 + 2 * PAGE_SIZE)]
        first = next(c for c in found.thread.comments if c.key == str(ID_OFFSET + 3))
        assert first.author.startswith("Jürgen Müßig") and "Brötchen" in first.content
        assert first.author_key.startswith("blogger-profile:")
        assert first.author_key != email_key("noreply@blogger.com")


async def test_removed_comments_hidden_or_kept_as_placeholders(client) -> None:
    items = german_thread(20, depth=5)
    leaf = max(i.number for i in items if all(j.parent != i.number for j in items))
    for server in serve(BloggerPost(items, removed={2, leaf})):
        found = await find_thread(client, article_of(server))
        by_key = {c.key: c for c in found.thread.comments}
        assert str(ID_OFFSET + leaf) not in by_key
        placeholder = by_key[str(ID_OFFSET + 2)]
        assert placeholder.status == "removed" and placeholder.content == ""
        assert by_key[str(ID_OFFSET + 3)].parent_key == str(ID_OFFSET + 2)


def test_blogger_feed_urls() -> None:
    assert is_blogger_feed("https://x.blogspot.com/feeds/7700/comments/default")
    assert is_blogger_feed("https://www.blogger.com/feeds/4400/7700/comments/default")
    assert not is_blogger_feed("https://example.org/2024/01/post/feed/atom/")


async def test_atom_threading_leaves_blogger_feeds_to_blogger(client) -> None:
    items = german_thread(6)
    for server in serve(BloggerPost(items)):
        found = await find_thread(client, article_of(server), preferred="atom")
        assert found.provider == "blogger"
        assert any(c.parent_key for c in found.thread.comments)


async def test_detected_from_the_page_link(client) -> None:
    items = german_thread(4)
    for server in serve(BloggerPost(items)):
        server.pages["/2024/01/artikel.html"] = (
            "<html><head><link rel='alternate' type='application/atom+xml' title='Kommentare'"
            f" href='{server.feed}'></head><body>Artikel</body></html>"
        )
        article = replace(article_of(server), replies_feed="")
        target = await BloggerProvider().detect(client, article, Hints(article))
        assert target is not None and target.url == server.feed


async def test_reply_opens_the_post_comment_form(client) -> None:
    for server in serve(BloggerPost(german_thread(2))):
        article = article_of(server)
        found = await find_thread(client, article)
        provider = BloggerProvider()
        assert found.provider == provider.name and provider.reply_mode == "browser"
        assert provider.reply_page(found.target, article) == article.link + "#comment-form"


async def test_fewer_comments_than_the_post_claims_is_partial(client) -> None:
    items = german_thread(5)
    for server in serve(BloggerPost(items)):
        found = await find_thread(client, article_of(server, comment_count=9))
        assert found.provider == "blogger" and found.thread.partial
        found = await find_thread(client, article_of(server, comment_count=5))
        assert not found.thread.partial
