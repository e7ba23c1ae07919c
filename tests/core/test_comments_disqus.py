"""Disqus against its documented stand-in (tests/standins/disqus.py): detection from the page,
the tree as Disqus gives it, cursor paging, keys, rate limits, private and missing threads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from standins.disqus import ID_OFFSET, DisqusStandIn, DisqusThread
from standins.threads import german_thread, pairs, tree_of

from blogtui.core.comments import find_thread
from blogtui.core.comments.disqus import MAX_PAGES, DisqusProvider, find_embed
from blogtui.core.comments.loading import NoThread
from blogtui.core.comments.page import parse_page
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in

KEY = "public-key-1"
PAGE = """<html><body><article>Ein Artikel</article><div id="disqus_thread"></div>
<script>var disqus_config = function () {{ this.page.url = '{link}';
this.page.identifier = '{ident}'; }};
(function() {{ var d = document, s = d.createElement('script');
s.src = 'https://blog-de.disqus.com/embed.js'; (d.head || d.body).appendChild(s); }})();</script>
</body></html>"""


@pytest.fixture
def disqus(monkeypatch: pytest.MonkeyPatch) -> Iterator[DisqusStandIn]:
    server = DisqusStandIn(KEY)
    keys = {"value": KEY}
    provider = DisqusProvider(server.api_root, lambda: keys["value"])
    monkeypatch.setitem(PROVIDERS, "disqus", provider)
    server.keys = keys  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.close()


def article_on(server: DisqusStandIn, count: int, **fields: object) -> tuple[Article, DisqusThread]:
    link = f"{server.origin}/2024/01/artikel.html"
    thread = DisqusThread("blog-de", "post-42", link, german_thread(count), **fields)
    server.threads.append(thread)
    server.pages["/2024/01/artikel.html"] = PAGE.format(link=link, ident="post-42")
    article = stand_in(link)
    return article, thread


async def test_tree_equals_disqus_own_tree_over_cursor_pages(disqus, client) -> None:
    article, thread = article_on(disqus, 250)
    found = await find_thread(client, article)
    assert found.provider == "disqus"
    assert pairs(found.thread.comments) == tree_of(thread.items, ID_OFFSET)
    assert not found.thread.partial and found.thread.comments_open is True
    listed = [s for s in disqus.seen if s.path.endswith("listPosts.json")]
    assert [s.query.get("cursor", [""])[0] for s in listed] == ["", "100:0:0", "200:0:0"]
    assert all(
        s.query["limit"] == ["100"] and s.query["thread:ident"] == ["post-42"] for s in listed
    )
    texts = {c.key: c.content for c in found.thread.comments}
    assert "Käse &amp; Brötchen" in texts[str(ID_OFFSET + 12)]
    deepest = {c.key: c.parent_key for c in found.thread.comments}
    chain, key = 0, str(ID_OFFSET + 12)
    while key:
        key, chain = deepest[key], chain + 1
    assert chain == 12


def test_embed_found_by_script_and_variables() -> None:
    page = parse_page(
        PAGE.format(link="https://b.example/p", ident="x 1"), "https://b.example/p", {}
    )
    embed = find_embed(page)
    assert embed is not None and embed.shortname == "blog-de"
    assert embed.thread == ("thread:ident", "x 1")
    old_style = (
        "<script>var disqus_shortname = 'meinblog'; var disqus_url = "
        "'https://b.example/alt';</script>"
    )
    embed = find_embed(parse_page(old_style, "https://b.example/p", {}))
    assert embed is not None and embed.shortname == "meinblog"
    assert embed.thread == ("thread:link", "https://b.example/alt")
    assert find_embed(parse_page("<p>no comments</p>", "https://b.example/p", {})) is None


async def test_no_key_names_the_setting(disqus, client) -> None:
    article, _ = article_on(disqus, 3)
    disqus.keys["value"] = ""
    with pytest.raises(NoThread, match="disqus:api_key"):
        await find_thread(client, article)
    assert not [s for s in disqus.seen if s.path.endswith("listPosts.json")]


async def test_wrong_key_names_the_setting_and_never_shows_the_key(disqus, client) -> None:
    article, _ = article_on(disqus, 3)
    disqus.keys["value"] = "geheimer-falscher-schluessel"
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    assert "disqus:api_key" in caught.value.message
    assert "geheimer" not in caught.value.message


async def test_short_429_is_waited_out_once(disqus, client) -> None:
    article, thread = article_on(disqus, 30)
    disqus.too_many, disqus.retry_after = 1, "1"
    found = await find_thread(client, article)
    assert pairs(found.thread.comments) == tree_of(thread.items, ID_OFFSET)


async def test_long_429_says_when_to_try_again(disqus, client) -> None:
    article, _ = article_on(disqus, 30)
    disqus.too_many, disqus.retry_after = 5, "180"
    with pytest.raises(NoThread, match="rate limit.*try again in 3 min"):
        await find_thread(client, article)


async def test_quota_used_up_on_a_later_page_keeps_the_first_partial(disqus, client) -> None:
    article, _ = article_on(disqus, 250)
    disqus.quota = 2
    found = await find_thread(client, article)
    assert found.thread.partial and len(found.thread.comments) == 200


async def test_quota_used_up_at_once_is_a_rate_limit_message(disqus, client) -> None:
    article, _ = article_on(disqus, 5)
    disqus.quota = 0
    with pytest.raises(NoThread, match="hourly quota"):
        await find_thread(client, article)


async def test_private_thread_says_so(disqus, client) -> None:
    article, _ = article_on(disqus, 5, private=True)
    with pytest.raises(NoThread, match="private"):
        await find_thread(client, article)


async def test_thread_nobody_opened_yet_is_empty(disqus, client) -> None:
    article, thread = article_on(disqus, 5)
    thread.ident = "another"
    found = await find_thread(client, article)
    assert found.provider == "disqus" and found.thread.comments == []


async def test_deleted_posts_marked_closed_thread_said(disqus, client) -> None:
    article, _ = article_on(disqus, 20, deleted={1, 4}, closed=True)
    found = await find_thread(client, article)
    by_key = {c.key: c for c in found.thread.comments}
    assert by_key[str(ID_OFFSET + 1)].status == "deleted"
    assert by_key[str(ID_OFFSET + 1)].content == ""
    assert by_key[str(ID_OFFSET + 2)].parent_key == str(ID_OFFSET + 1)
    assert found.thread.comments_open is False


async def test_huge_thread_stops_at_the_page_cap(disqus, client) -> None:
    article, _ = article_on(disqus, MAX_PAGES * 100 + 150)
    found = await find_thread(client, article)
    assert found.thread.partial and len(found.thread.comments) == MAX_PAGES * 100
    assert len([s for s in disqus.seen if s.path.endswith("listPosts.json")]) == MAX_PAGES


async def test_key_never_sent_over_plain_http_to_a_name(client) -> None:
    provider = DisqusProvider("http://disqus.example.invalid/api/3.0/", lambda: KEY)
    from blogtui.core.comments.base import Target

    target = Target("disqus", provider.api_root, "blog-de\nthread:ident\nx")
    from blogtui.core.errors import CommentsUnavailable

    with pytest.raises(CommentsUnavailable, match="https") as caught:
        await provider.fetch(client, target)
    assert KEY not in caught.value.message


def test_pending_post_is_marked() -> None:
    from blogtui.core.comments.disqus import comment_of

    post = {
        "id": "5",
        "parent": None,
        "message": "<p>wartet</p>",
        "isApproved": False,
        "author": {"name": "Gäst", "isAnonymous": True},
        "createdAt": "2024-01-01T10:00:00",
    }
    comment = comment_of(post)
    assert comment is not None and comment.status == "pending" and comment.author_key == ""


def test_cli_key_stored_then_thread_printed_with_its_source(
    disqus, tmp_path, capsys, monkeypatch
) -> None:
    import io

    from blogtui.cli import main

    home = str(tmp_path / "home")
    article, thread = article_on(disqus, 34, deleted={3})
    hostile = "<p>Hallo<script>alert(1)</script></p>"
    thread.items[5] = type(thread.items[5])(6, 0, "Mallory", hostile)
    disqus.keys["value"] = "stale key the CLI must replace"
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert main(["--home", home, "comment-key", "disqus"]) == 0
    assert KEY not in capsys.readouterr().out
    assert main(["--home", home, "comments", article.link]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[1] == "34 comments via Disqus · reply opens the browser"
    assert "Hallo" in "\n".join(lines) and "alert" not in "\n".join(lines)
    assert any(line.endswith("[deleted]") for line in lines)


def test_cli_without_a_key_names_the_command(disqus, tmp_path, capsys) -> None:
    from blogtui.cli import main

    article, _ = article_on(disqus, 2)
    assert main(["--home", str(tmp_path / "home"), "comments", article.link]) == 2
    assert "blogtui comment-key disqus" in capsys.readouterr().err


async def test_the_blog_remembers_disqus(disqus, client, tmp_path) -> None:
    from blogtui.core.comments.loading import load_thread, site_of
    from blogtui.core.models import EntryData
    from blogtui.core.store import Store

    article, thread = article_on(disqus, 8)
    store = Store(tmp_path / "blogtui.db")
    feed, _ = store.add_feed(f"{disqus.origin}/feed/", "Blog")
    store.upsert_articles(
        feed.id, [EntryData(key=article.link, title="Artikel", link=article.link)]
    )
    [article_id] = store.article_ids([feed.id])
    result = await load_thread(client, store, store.get_article(article_id))
    assert result.ok and result.provider == "disqus" and len(result.comments) == 8
    assert store.blog_provider(site_of(article.link))[0] == "disqus"


async def test_key_read_from_blogtui_credentials(client) -> None:
    from blogtui.core.comments.base import Target
    from blogtui.core.paths import places
    from blogtui.core.posting.credentials import CredentialStore

    server = DisqusStandIn(KEY)
    try:
        article, thread = article_on(server, 3)
        CredentialStore(places().secrets_dir, use_keyring=False).set_entry(
            "disqus:api_key", "", KEY
        )
        provider = DisqusProvider(server.api_root)
        target = Target("disqus", server.api_root, "blog-de\nthread:ident\npost-42")
        fetched = await provider.fetch(client, target)
        assert pairs(fetched.comments) == tree_of(thread.items, ID_OFFSET)
    finally:
        server.close()


async def test_a_cursor_that_comes_back_ends_the_read(disqus, client) -> None:
    article, _ = article_on(disqus, 450)
    disqus.stuck = True
    found = await find_thread(client, article)
    assert found.thread.partial and len(found.thread.comments) == 200
    assert len([s for s in disqus.seen if s.path.endswith("listPosts.json")]) == 2


async def test_reply_goes_to_the_browser_at_the_disqus_section(disqus, client) -> None:
    article, _ = article_on(disqus, 2)
    found = await find_thread(client, article)
    provider = PROVIDERS[found.provider]
    assert provider.reply_mode == "browser"
    assert provider.reply_page(found.target, article) == article.link + "#disqus_thread"


@pytest.mark.parametrize(
    "root", ["https://disqus.example:99999/api/", "ftp://127.0.0.1/api/", "https://[::1/api/"]
)
async def test_a_broken_api_root_is_a_message_without_the_key(client, root) -> None:
    from blogtui.core.comments.base import Target
    from blogtui.core.errors import CommentsUnavailable

    provider = DisqusProvider(root, lambda: KEY)
    with pytest.raises(CommentsUnavailable) as caught:
        await provider.fetch(client, Target("disqus", provider.api_root, "f\nthread:ident\nx"))
    assert KEY not in caught.value.message
