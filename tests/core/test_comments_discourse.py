"""Discourse embeds against the documented stand-in (tests/standins/discourse.py): detection
(`DiscourseEmbed`, topicId or the embed page), the tree from `reply_to_post_number`, chunks read
concurrently under a cap, deleted and small-action posts, private topics, rate limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from standins.discourse import DiscourseStandIn, Topic
from standins.threads import german_thread, pairs, tree_of

from blogtui.core.comments import find_thread
from blogtui.core.comments.discourse import CHUNK, MAX_POSTS, DiscourseProvider, find_embed
from blogtui.core.comments.loading import NoThread
from blogtui.core.comments.page import parse_page
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in

KEY = "user-api-key-1"
PAGE = """<html><body><article>Ein Artikel</article><div id='discourse-comments'></div>
<script type="text/javascript">
  DiscourseEmbed = {{ discourseUrl: '{forum}',
                     discourseEmbedUrl: '{link}'{topic} }};
  (function() {{ var d = document.createElement('script'); d.type = 'text/javascript';
    d.async = true; d.src = DiscourseEmbed.discourseUrl + 'javascripts/embed.js';
    (document.getElementsByTagName('head')[0]).appendChild(d); }})();
</script></body></html>"""


@pytest.fixture
def forum(monkeypatch: pytest.MonkeyPatch) -> Iterator[DiscourseStandIn]:
    server = DiscourseStandIn(KEY)
    keys: dict[str, str] = {}
    provider = DiscourseProvider(concurrency=3, user_api_key=lambda site: keys.get("value", ""))
    monkeypatch.setitem(PROVIDERS, "discourse", provider)
    server.keys = keys  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.close()


def article_on(server: DiscourseStandIn, count: int, *, with_id: bool = True,
               **fields: object) -> tuple[Article, Topic]:  # fmt: skip
    link = f"{server.origin}/2024/01/artikel.html"
    topic = Topic(4711, link, german_thread(count, depth=25), **fields)
    server.topics[topic.id] = topic
    extra = ",\n topicId: 4711" if with_id else ""
    server.pages["/2024/01/artikel.html"] = PAGE.format(forum=server.forum, link=link, topic=extra)
    article = stand_in(link)
    return article, topic


async def test_tree_equals_the_topic_own_tree_chunks_concurrent_capped(forum, client) -> None:
    article, topic = article_on(forum, 300)
    forum.latency = 0.05  # each answer takes a while, so chunks in flight overlap
    found = await find_thread(client, article)
    assert found.provider == "discourse"
    assert pairs(found.thread.comments) == tree_of(topic.items, 1)
    chunks = [s for s in forum.seen if s.path.endswith("/posts.json")]
    assert len(chunks) == -(-(301 - CHUNK) // CHUNK)
    assert all(len(s.query["post_ids[]"]) <= CHUNK for s in chunks)
    assert 2 <= forum.most_active <= 3
    texts = {c.key: c.content for c in found.thread.comments}
    assert "Brötchen" in texts["26"] and found.thread.comments_open is True
    assert not found.thread.partial


async def test_topic_found_through_the_embed_page(forum, client) -> None:
    article, topic = article_on(forum, 12, with_id=False)
    found = await find_thread(client, article)
    assert found.provider == "discourse" and found.target.ident == "4711"
    embed = [s for s in forum.seen if s.path.endswith("/embed/comments")]
    assert embed and embed[0].headers["referer"] == article.link


def test_embed_settings_read_from_the_page() -> None:
    html = PAGE.format(
        forum="https://forum.example/", link="https://b.example/p", topic=",topicId: 9"
    )
    embed = find_embed(parse_page(html, "https://b.example/p", {}))
    assert embed is not None
    assert (embed.forum, embed.embed_url, embed.topic_id) == (
        "https://forum.example/",
        "https://b.example/p",
        "9",
    )
    assert find_embed(parse_page("<p>nichts</p>", "https://b.example/p", {})) is None


async def test_deleted_marked_small_actions_dropped(forum, client) -> None:
    article, topic = article_on(forum, 30, deleted={2}, small_actions={30}, closed=True)
    found = await find_thread(client, article)
    by_key = {c.key: c for c in found.thread.comments}
    assert by_key["3"].status == "deleted"
    assert by_key["4"].parent_key == "3"
    assert "31" not in by_key and "1" not in by_key
    assert found.thread.comments_open is False


async def test_private_topic_names_the_key_setting(forum, client) -> None:
    article, _ = article_on(forum, 5, private=True)
    with pytest.raises(NoThread, match="discourse:user_api_key:"):
        await find_thread(client, article)


async def test_private_topic_read_with_the_user_api_key(forum, client) -> None:
    article, topic = article_on(forum, 45, private=True)
    forum.keys["value"] = KEY
    found = await find_thread(client, article)
    assert pairs(found.thread.comments) == tree_of(topic.items, 1)
    api = [s for s in forum.seen if s.path.startswith("/forum/t/")]
    assert all(s.headers.get("user-api-key") == KEY for s in api)


async def test_wrong_user_api_key_says_which_setting(forum, client) -> None:
    article, _ = article_on(forum, 5, private=True)
    forum.keys["value"] = "falscher-schluessel"
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    assert "refused the User API key" in caught.value.message
    assert "falscher" not in caught.value.message


async def test_rate_limit_says_when(forum, client) -> None:
    article, _ = article_on(forum, 5)
    forum.too_many = 1
    with pytest.raises(NoThread, match="rate limiting; try again in 2 min"):
        await find_thread(client, article)


async def test_huge_topic_bounded(forum, client) -> None:
    article, _ = article_on(forum, MAX_POSTS + 40)
    found = await find_thread(client, article)
    assert found.thread.partial
    assert len(found.thread.comments) == MAX_POSTS - 1


def test_a_page_with_two_systems_lists_both_in_the_order_tried() -> None:
    from blogtui.core.comments.registry import page_systems, provider_order

    html = PAGE.format(forum="https://forum.example/", link="https://b.example/p", topic="") + (
        "<script src='https://blog-de.disqus.com/embed.js'></script>"
    )
    systems = page_systems(parse_page(html, "https://b.example/p", {}))
    assert systems == ["Disqus (forum 'blog-de')", "Discourse (https://forum.example/)"]
    order = provider_order()
    assert order.index("disqus") < order.index("discourse") < order.index("wordpress")


async def test_reply_goes_to_the_topic_in_the_browser(forum, client) -> None:
    article, _ = article_on(forum, 2)
    found = await find_thread(client, article)
    provider = PROVIDERS[found.provider]
    assert provider.reply_mode == "browser"
    assert provider.reply_page(found.target, article) == f"{forum.forum}t/4711"


async def test_key_stored_per_forum_by_the_cli_reads_a_private_topic(
    forum, client, tmp_path, monkeypatch, capsys
) -> None:
    import io

    from blogtui.cli import main
    from blogtui.core.comments.registry import use_secrets
    from blogtui.core.paths import places

    home = tmp_path / "home"
    article, topic = article_on(forum, 7, private=True)
    assert main(["--home", str(home), "comment-key", "discourse"]) == 2
    assert "address" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert main(["--home", str(home), "comment-key", "discourse", forum.forum]) == 0
    use_secrets(places(home).secrets_dir)
    found = await find_thread(client, article)
    assert pairs(found.thread.comments) == tree_of(topic.items, 1)
