"""Reading threads from the REAL Waline (`.ci/waline.sh`): detection on a loopback article page,
a German thread nested 12 deep seeded through Waline's own API, paging, a server that is down."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from standins.threads import german_thread
from waline_support import STAMP, closed_port, seed, server_tree

from blogtui.core.comments import waline as waline_module
from blogtui.core.comments.base import Hints
from blogtui.core.comments.loading import find_thread
from blogtui.core.comments.page import parse_page
from blogtui.core.comments.registry import page_systems
from blogtui.core.comments.waline import WalineProvider, WalineTarget, find_embed
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.lookup import stand_in


def expected_tree(items, ids: dict[int, str]) -> set[tuple[str, str]]:
    """The seeded tree as (Waline id, parent's Waline id) pairs."""
    return {(ids[i.number], ids[i.parent] if i.parent else "") for i in items}


async def test_detects_the_client_and_its_path_on_the_article_page(blog, client):
    custom = blog.article("eigener-pfad", path="/beiträge/grüße/")
    plain = blog.article("Gr%C3%BC%C3%9Fe%3F")
    for url, path in ((custom, "/beiträge/grüße/"), (plain, f"/{STAMP}/Grüße%3F/")):
        article = stand_in(url)
        target = await WalineProvider().detect(client, article, Hints(article))
        assert isinstance(target, WalineTarget)
        assert (target.provider, target.url, target.ident) == ("waline", blog.waline, path)
        assert target.api_root == blog.waline and target.page == url


async def test_page_systems_names_waline_and_other_pages_are_not_waline(blog):
    page = parse_page(
        "<script src='https://unpkg.com/@waline/client@v2/dist/waline.js'></script><script>"
        "Waline.init({el: '#c', serverURL: 'https://kommentare.example/', path: '/a/'});"
        "</script>",
        "https://blog.example/a/",
        {},
    )
    assert page_systems(page) == ["Waline (https://kommentare.example, path '/a/')"]
    valine = parse_page(
        "<script>new Valine({el: '#c', appId: 'x', serverURLs: 'https://x.example'})</script>",
        "https://blog.example/b/",
        {},
    )
    assert find_embed(valine) is None
    assert find_embed(parse_page("<p>serverURL: 'https://x.example'</p>", "https://b/", {})) is None


async def test_reads_a_german_thread_nested_twelve_deep_as_the_server_has_it(blog, client):
    url = blog.article("verschachtelt")
    path = urlsplit(url).path
    items = german_thread(60, depth=12)
    ids = seed(blog.waline, path, items)
    found = await find_thread(client, stand_in(url))
    assert found.provider == "waline"
    got = {(c.key, c.parent_key) for c in found.thread.comments}
    assert got == expected_tree(items, ids) == server_tree(blog.waline, path)
    assert not found.thread.partial
    by_key = {c.key: c for c in found.thread.comments}
    deepest = by_key[ids[12]]
    assert deepest.author == items[11].author
    assert "Kommentar Nr. 12 über Käse &amp; Brötchen" in deepest.content
    assert deepest.link == f"{url}#{ids[12]}" and deepest.status == "approved"
    assert deepest.published is not None and deepest.published > 1.7e9


async def test_pages_are_all_read_and_a_too_long_thread_is_partial(blog, client, monkeypatch):
    url = blog.article("seiten")
    path = urlsplit(url).path
    items = german_thread(45, depth=5)
    ids = seed(blog.waline, path, items)
    roots = sum(1 for i in items if not i.parent)
    monkeypatch.setattr(waline_module, "PAGE_SIZE", 4)  # `roots` top-level comments: many pages
    provider = WalineProvider(concurrency=2)
    article = stand_in(url)
    target = await provider.detect(client, article, Hints(article))
    assert target is not None
    thread = await provider.fetch(client, target)
    assert {(c.key, c.parent_key) for c in thread.comments} == expected_tree(items, ids)
    assert len(thread.comments) == 45 and roots > 4 * 3 and not thread.partial
    monkeypatch.setattr(waline_module, "MAX_PAGES", 3)
    cut = await provider.fetch(client, target)
    assert cut.partial and 0 < len(cut.comments) < 45


async def test_a_thread_nobody_commented_on_is_empty(blog, client):
    found = await find_thread(client, stand_in(blog.article("leer")))
    assert (found.provider, found.thread.comments, found.thread.partial) == ("waline", [], False)


async def test_a_server_that_is_down_gives_a_clear_message(blog, client):
    down = f"http://127.0.0.1:{closed_port()}"
    url = blog.article("aus", waline=down)
    article = stand_in(url)
    target = await WalineProvider().detect(client, article, Hints(article))
    assert target is not None and target.url == down
    with pytest.raises(CommentsUnavailable) as caught:
        await WalineProvider().fetch(client, target)
    assert caught.value.message == "the Waline server: connection failed (ConnectError)"


def test_blogtui_comments_prints_the_thread_and_says_it_is_waline(blog, tmp_path):
    url = blog.article("kommandozeile")
    items = german_thread(6, depth=4)
    seed(blog.waline, urlsplit(url).path, items)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(tmp_path / "home"), "comments", url],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "6 comments via Waline"
    assert "Kommentar Nr. 4 über Käse & Brötchen." in done.stdout
    assert "      Jürgen Müßig 4 · " in done.stdout  # three levels down
