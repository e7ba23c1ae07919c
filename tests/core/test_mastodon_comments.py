"""Mastodon replies as an article's comments, against the documented stand-in
(tests/standins/mastodon.py): finding the toot (embeds, links, the creator hint), the tree from
`in_reply_to_id`, limits, each error in words, hostile content made harmless."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from standins.mastodon import BASE, MastodonStandIn
from standins.server import Reply, Seen, StandIn
from standins.threads import german_thread, pairs, tree_of

from blogtui.core.comments.base import Hints
from blogtui.core.comments.fediverse import find_toot
from blogtui.core.comments.loading import NoThread, find_thread
from blogtui.core.comments.mastodon import MAX_REPLIES, TOKEN_CONTEXT_LIMIT, MastodonProvider
from blogtui.core.comments.page import parse_page
from blogtui.core.comments.registry import PROVIDERS, page_systems
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in
from blogtui.core.text.html import html_to_text

TOKEN = "token-1"
PATH = "/2024/01/kaese-und-broetchen.html"


class Blog(StandIn):
    """The blog the article lives on: its pages only."""

    def answer(self, seen: Seen) -> Reply:
        return Reply(404, b"not found", {"Content-Type": "text/plain"})


@pytest.fixture
def instance() -> Iterator[MastodonStandIn]:
    server = MastodonStandIn(TOKEN)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def blog() -> Iterator[Blog]:
    server = Blog()
    try:
        yield server
    finally:
        server.close()


def article_on(blog: Blog, body: str, head: str = "") -> Article:
    blog.pages[PATH] = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    return stand_in(f"{blog.origin}{PATH}", "Käse & Brötchen")


def toot_link(instance: MastodonStandIn, toot_id: str = str(BASE)) -> str:
    return f"<p>Kommentare: <a href='{instance.origin}/@anna/{toot_id}'>auf Mastodon</a></p>"


async def read(client: httpx.AsyncClient, article: Article, token: str = ""):
    provider = MastodonProvider(lambda origin: token)
    target = await provider.detect(client, article, Hints(article))
    assert target is not None
    return target, await provider.fetch(client, target)


# finding the toot ------------------------------------------------------------------------------

S = "https://social.example"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (f"<mastodon-comments host='social.example' user='anna' tootId='{BASE}'>"
         "</mastodon-comments>", (S, str(BASE), "anna", "embed")),
        (f"<div id='comments' data-host='social.example' data-id='{BASE}'></div>",
         (S, str(BASE), "", "embed")),
        (f"<iframe class='mastodon-embed' src='{S}/@anna/{BASE}/embed'></iframe>",
         (S, str(BASE), "anna", "embed")),
        (f"<script>fetch('{S}/api/v1/statuses/{BASE}/context')</script>",
         (S, str(BASE), "", "embed")),
        (f"<script>const cfg = {{host: 'social.example', tootId: '{BASE}'}};</script>",
         (S, str(BASE), "", "embed")),
        (f"<a href='{S}/@anna/{BASE}'>Toot</a>", (S, str(BASE), "anna", "link")),
        (f"<a href='http://social.example/users/anna/statuses/{BASE}'>x</a>",
         (S, str(BASE), "anna", "link")),
        (f"<a href='{S}/@anna/statuses/01HQZ7Y0ABCDEF'>GoToSocial</a>",
         (S, "01HQZ7Y0ABCDEF", "anna", "link")),
        (f"<a href='{S}/notice/AdAbCdE123'>Akkoma</a>", (S, "AdAbCdE123", "", "link")),
    ],
)  # fmt: skip
def test_the_toot_is_found_in_embeds_and_links(html: str, expected: tuple[str, ...]) -> None:
    url = "https://blog.example/artikel"
    page = parse_page(f"<html><body>{html}</body></html>", url, {})
    toot = find_toot(html, url, page.html, page.url, page.script_text)
    assert toot is not None
    assert (toot.origin, toot.status_id, toot.account, toot.found_by) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<a href='https://medium.com/@anna/mein-artikel-3f2a1b'>Medium</a>",
        "<a href='https://social.example/@anna'>mein Profil</a>",
        "<a href='https://social.example/share?text=Artikel'>Teilen</a>",
        "<a href='ftp://social.example/@anna/1234'>ftp</a>",
        "<p>Kein Hinweis auf Mastodon.</p>",
    ],
)
def test_no_toot_where_nothing_points_at_one(html: str) -> None:
    page = parse_page(html, "https://blog.example/a", {})
    assert find_toot(html, "https://blog.example/a", page.html, page.url, page.script_text) is None


def test_the_creator_hint_prefers_the_authors_toot_and_never_invents_one() -> None:
    content = (
        f"<p>Wie <a href='https://other.example/@bernd/111'>Bernd schrieb</a> …</p>"
        f"<p><a href='{S}/@anna/{BASE}'>Diskussion</a></p>"
        f"<p>Nachtrag: <a href='https://third.example/@carla/222'>Carla</a></p>"
    )
    url = "https://blog.example/a"
    hinted = find_toot(content, url, creator="@anna@social.example")
    assert hinted is not None and hinted.status_id == str(BASE)
    unhinted = find_toot(content, url)
    assert unhinted is not None and unhinted.status_id == str(BASE)  # its words invite replies
    plain = content.replace("Diskussion", "hier")
    last = find_toot(plain, url)
    assert last is not None and last.status_id == "222"  # else the article's last one
    hinted = find_toot(plain, url, creator="@anna@social.example")
    assert hinted is not None and hinted.status_id == str(BASE)
    assert find_toot("<p>nichts</p>", url, creator="@anna@social.example") is None


def test_a_link_beyond_the_article_counts_only_when_it_invites_replies() -> None:
    url = "https://blog.example/a"
    sidebar = f"<aside><h3>Neueste Beiträge</h3><a href='{S}/@anna/111'>vor 2 Std.</a></aside>"
    page = parse_page(f"<article><p>Text</p></article>{sidebar}", url, {})
    assert find_toot("<p>Text</p>", url, page.html, page.url) is None
    invited = f"<p>Antworten auf Mastodon: <a href='{S}/@anna/{BASE}'>{S}/@anna/{BASE}</a></p>"
    page = parse_page(f"<article><p>Text</p>{invited}</article>{sidebar}", url, {})
    toot = find_toot("<p>Text</p>", url, page.html, page.url)
    assert toot is not None and toot.status_id == str(BASE)


def test_an_article_that_is_a_toot_carries_its_own_replies() -> None:
    toot = find_toot("<p>Hallo</p>", f"{S}/@anna/{BASE}")
    assert toot is not None and toot.status_id == str(BASE)


def test_the_page_lists_mastodon_among_its_systems_and_loads_stay_with_the_blog() -> None:
    page = parse_page(f"<mastodon-comments host='social.example' tootid='{BASE}'>", S + "/a", {})
    assert page_systems(page) == [f"Mastodon replies ({S}/web/statuses/{BASE}, from its embed)"]
    assert PROVIDERS["mastodon"].kind == "elsewhere"


async def test_a_blog_thread_load_never_reads_mastodon(instance, blog, client) -> None:
    instance.add_thread(german_thread(3))
    article = article_on(blog, toot_link(instance))
    with pytest.raises(NoThread):
        await find_thread(client, article)
    assert not [s for s in instance.seen if s.path.startswith("/api/")]


# reading the thread ----------------------------------------------------------------------------


async def test_tree_equals_the_instances_own_tree(instance, blog, client) -> None:
    items = german_thread(50, depth=12)
    instance.add_thread(items, favourites=7)
    instance.toots[str(BASE + 5)].favourites, instance.toots[str(BASE + 5)].boosts = 3, 1
    article = article_on(blog, toot_link(instance))
    target, thread = await read(client, article)
    assert target.ident == str(BASE) and target.url == f"{instance.origin}/@anna/{BASE}"
    assert pairs(thread.comments) == tree_of(items, BASE)
    assert not thread.partial
    by_key = {c.key: c for c in thread.comments}
    fifth = by_key[str(BASE + 5)]
    assert "Brötchen" in fifth.content and "3 favourites · 1 boost" in fifth.content
    assert fifth.author == items[4].author
    assert fifth.link == f"{instance.origin}/@nutzer5@beispiel.social/{BASE + 5}"
    assert thread.post_author_key == f"mastodon-user:{instance.origin}/@anna".lower()
    assert all("authorization" not in s.headers for s in instance.seen + blog.seen)


async def test_deep_thread_read_whole_with_the_instances_token(instance, blog, client) -> None:
    items = german_thread(300, depth=25)
    instance.add_thread(items)
    article = article_on(blog, toot_link(instance))
    _, thread = await read(client, article, TOKEN)
    assert pairs(thread.comments) == tree_of(items, BASE)
    assert not thread.partial
    api = [s for s in instance.seen if s.path.startswith("/api/")]
    assert api and all(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in api)
    assert all("authorization" not in s.headers for s in blog.seen)


async def test_without_a_token_the_public_limit_marks_the_thread_partial(
    instance, blog, client
) -> None:
    instance.add_thread(german_thread(300, depth=25))
    _, thread = await read(client, article_on(blog, toot_link(instance)))
    assert len(thread.comments) == 60 and thread.partial


async def test_replies_cut_at_the_public_depth_mark_the_thread_partial(
    instance, blog, client
) -> None:
    items = german_thread(30, depth=25)
    instance.add_thread(items)
    _, thread = await read(client, article_on(blog, toot_link(instance)))
    assert len(thread.comments) < 30 and thread.partial
    assert pairs(thread.comments) <= tree_of(items, BASE)
    _, whole = await read(client, article_on(blog, toot_link(instance)), TOKEN)
    assert pairs(whole.comments) == tree_of(items, BASE) and not whole.partial


async def test_the_signed_in_limit_marks_the_thread_partial(instance, blog, client) -> None:
    instance.add_thread(german_thread(TOKEN_CONTEXT_LIMIT + 4, depth=30))
    _, thread = await read(client, article_on(blog, toot_link(instance)), TOKEN)
    assert len(thread.comments) == TOKEN_CONTEXT_LIMIT and thread.partial


async def test_a_huge_context_is_bounded(instance, blog, client) -> None:
    instance.add_thread(german_thread(MAX_REPLIES + 40, depth=30))
    instance.obey_limits = False  # a server that sends everything it has
    _, thread = await read(client, article_on(blog, toot_link(instance)), TOKEN)
    assert len(thread.comments) == MAX_REPLIES and thread.partial


# errors, each in words -------------------------------------------------------------------------


async def message_of(client: httpx.AsyncClient, article: Article, token: str = "") -> str:
    with pytest.raises(CommentsUnavailable) as caught:
        await read(client, article, token)
    return caught.value.message


async def test_an_instance_closed_to_visitors_says_so(instance, blog, client) -> None:
    instance.add_thread(german_thread(3))
    instance.closed = True
    message = await message_of(client, article_on(blog, toot_link(instance)))
    assert "shows toots only to signed-in users (HTTP 401" in message
    assert "This API requires an authenticated user" in message
    assert "comment-key mastodon" in message


async def test_deleted_and_private_toots_say_so(instance, blog, client) -> None:
    instance.add_thread(german_thread(3), visibility="private")
    article = article_on(blog, toot_link(instance))
    assert "deleted or not public (HTTP 404" in await message_of(client, article)
    instance.toots[str(BASE)].visibility = "public"
    instance.deleted.add(str(BASE))
    assert "deleted or not public (HTTP 404" in await message_of(client, article)


async def test_a_rate_limit_says_when_it_resets(instance, blog, client) -> None:
    instance.add_thread(german_thread(3))
    instance.too_many = 1
    message = await message_of(client, article_on(blog, toot_link(instance)))
    assert re.search(r"rate limiting \(300 requests per period\); it resets at \d\d:\d\d UTC"
                     r" \(in [45] min\)", message)  # fmt: skip


async def test_html_instead_of_json_says_so(instance, blog, client) -> None:
    instance.add_thread(german_thread(3))
    instance.html = True
    message = await message_of(client, article_on(blog, toot_link(instance)))
    assert "expected JSON, the server sent text/html" in message
    assert "Mastodon instance 127.0.0.1" in message


async def test_a_refused_token_says_which_setting_and_never_shows_it(
    instance, blog, client
) -> None:
    instance.add_thread(german_thread(3))
    message = await message_of(client, article_on(blog, toot_link(instance)), "falsches-token")
    assert "refused the access token" in message and "comment-key mastodon" in message
    assert "falsches" not in message


# hostile content -------------------------------------------------------------------------------


async def test_hostile_content_is_made_harmless(instance, blog, client) -> None:
    items = german_thread(2)
    instance.add_thread(items)
    toot = instance.toots[str(BASE + 1)]
    toot.name = "Eve\x1b]8;;https://evil.example\x07\u202eKlick\x1b[31m"
    toot.content = "<p>Hallo\x1b[2J<script>alert('x')</script>\u202e</p>"
    toot.spoiler = "Spoiler\x1b[5m"
    toot.media = [
        {"id": "1", "type": "image", "url": "https://files.example/foto.jpg",
         "description": "Ein Foto vom Käse"},
        {"id": "2", "type": "image", "url": "javascript:alert(1)", "description": "böse"},
    ]  # fmt: skip
    _, thread = await read(client, article_on(blog, toot_link(instance)))
    comment = {c.key: c for c in thread.comments}[str(BASE + 1)]
    for text in (comment.author, comment.content):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    shown = html_to_text(comment.content).text
    assert "alert" not in shown and "böse" not in shown
    assert "image: Ein Foto vom Käse" in shown and "https://files.example/foto.jpg" in shown
    assert "CW: Spoiler" in shown


async def test_the_cli_stores_a_token_per_instance_and_the_reader_uses_it(
    instance, blog, client, tmp_path, monkeypatch, capsys
) -> None:
    import io

    from blogtui.cli import main
    from blogtui.core.comments.registry import use_secrets
    from blogtui.core.paths import places

    home = tmp_path / "home"
    items = german_thread(80, depth=25)
    instance.add_thread(items)
    assert main(["--home", str(home), "comment-key", "mastodon"]) == 2
    assert "per instance" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main(["--home", str(home), "comment-key", "mastodon", instance.origin]) == 0
    assert TOKEN not in capsys.readouterr().out
    provider = MastodonProvider()
    monkeypatch.setitem(PROVIDERS, "mastodon", provider)
    use_secrets(places(home).secrets_dir)
    article = article_on(blog, toot_link(instance))
    target = await provider.detect(client, article, Hints(article))
    assert target is not None
    thread = await provider.fetch(client, target)
    assert pairs(thread.comments) == tree_of(items, BASE)


async def test_an_instance_that_is_down_or_slow_says_so(instance, blog, client) -> None:
    from blogtui.core.comments.fetching import reset_deadline, set_deadline

    instance.add_thread(german_thread(3))
    article = article_on(blog, toot_link(instance))
    instance.latency = 1.5
    clock = set_deadline(0.5)
    try:
        assert "no answer in time" in await message_of(client, article)
    finally:
        reset_deadline(clock)
    instance.latency = 0.0
    instance.close()
    assert "connection failed" in await message_of(client, article)


def test_the_cli_refuses_a_plain_http_instance(tmp_path, monkeypatch, capsys) -> None:
    import io

    from blogtui.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("geheim\n"))
    home = str(tmp_path / "home")
    assert main(["--home", home, "comment-key", "mastodon", "http://social.example"]) != 0
    said = capsys.readouterr()
    assert "https" in said.err and "geheim" not in said.err + said.out
