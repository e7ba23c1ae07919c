"""Posting to the REAL WordPress (`.ci/wordpress.sh`): the form, its refusals, and REST.

Every reply goes to a post this module creates (and deletes with its comments at the end), so
the seeded posts' comment counts are never touched. Flood checks are off for the module except
in the flood test; options are restored afterwards.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.wordpress import wp_option, wp_php

from blogtui.core.comments.wordpress import route
from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import Article, EntryData
from blogtui.core.posting import Credential, RestPoster, Secret, queue_reply, send_pending
from blogtui.core.store import Store

ME = Identity("Jörg Prüfer", "joerg.pruefer@example.org", "")
STAMP = f"{time.time():.0f}"


def php(code: str) -> str:
    return wp_php(code).strip()


@pytest.fixture(scope="module")
def site(wordpress: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The site with a fresh open post of our own and flood checks off."""
    flood = wp_option("blogtui_flood_seconds")
    wp_option("blogtui_flood_seconds", 0)
    post_id = php(
        "echo wp_insert_post(array('post_title' => 'blogtui posting test', 'post_content' =>"
        " 'Hier darf getestet werden.', 'post_status' => 'publish', 'comment_status' => 'open'));"
    )
    assert post_id.isdigit(), post_id
    try:
        yield {**wordpress, "post_id": post_id, "post_url": f"{wordpress['base_url']}/?p={post_id}"}
    finally:
        php(f"wp_delete_post({post_id}, true);")
        if flood == "":
            php("delete_option('blogtui_flood_seconds');")
        else:
            wp_option("blogtui_flood_seconds", flood)


@pytest.fixture
def local(tmp_path, site) -> tuple[Store, DraftStore, Article]:
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(site["feed_url"], "Testblog")
    store.upsert_articles(feed.id, [EntryData(key=site["post_url"], title="blogtui posting test",
                                              link=site["post_url"])])  # fmt: skip
    article = store.get_article(store.article_ids([feed.id])[0])
    return store, DraftStore(tmp_path / "drafts"), article


def queue(local, text: str, parent: str = "", who: Identity = ME) -> str:
    store, drafts, article = local
    draft = drafts.new(blog="wp", article_url=article.link, parent_id=parent, identity=who,
                       text=text)  # fmt: skip
    queue_reply(store, drafts, draft, article.id)
    return draft.id


def comment(site: dict[str, Any], comment_id: str) -> dict[str, Any]:
    raw = php(
        f"$c = get_comment({int(comment_id)}); echo wp_json_encode(array('post' =>"
        " $c->comment_post_ID, 'parent' => $c->comment_parent, 'author' => $c->comment_author,"
        " 'content' => $c->comment_content, 'approved' => $c->comment_approved));"
    )
    return json.loads(raw)


async def test_top_level_and_nested_through_the_form(site, local, client):
    text = f'Grüße – „Anführungszeichen“ & "gerade" äöüß {STAMP}'
    queue(local, text)
    [top] = await send_pending(*local[:2], client)
    assert top.state == "posted", top
    queue(local, f"Antwort: Ähnlich! {STAMP}", parent=top.remote_id)
    [nested] = await send_pending(*local[:2], client)
    assert nested.state == "posted", nested
    first, second = comment(site, top.remote_id), comment(site, nested.remote_id)
    assert (first["post"], first["parent"]) == (site["post_id"], "0")
    assert second["parent"] == top.remote_id and first["author"] == ME.name
    assert html.unescape(first["content"]) == text
    rest = httpx.get(route(site["rest_root"], f"wp/v2/comments/{top.remote_id}"), timeout=10)
    rendered = html.unescape(rest.json()["content"]["rendered"])
    assert "„Anführungszeichen“ & “gerade” äöüß" in rendered  # WordPress curls straight quotes
    store, drafts, article = local
    assert {c.key for c in store.comments_for(article.id) if c.mine} == {
        top.remote_id,
        nested.remote_id,
    }


async def test_duplicate_is_409_and_not_resent(site, local, client):
    text = f"Doppelt hält besser? {STAMP}"
    queue(local, text)
    [first] = await send_pending(*local[:2], client)
    queue(local, text)
    [second] = await send_pending(*local[:2], client)
    assert second.requests == 1 and (second.state, second.remote_id) == ("posted", first.remote_id)
    count = php(
        f"echo count(get_comments(array('post_id' => {site['post_id']}, 'search' =>"
        f" 'Doppelt hält besser? {STAMP}', 'status' => 'all')));"
    )
    assert count == "1"


async def test_closed_post_is_403(site, local, client):
    def close(request: httpx.Request) -> None:
        if request.method == "POST":
            php(f"wp_update_post(array('ID' => {site['post_id']}, 'comment_status' => 'closed'));")

    async def hook(request: httpx.Request) -> None:
        close(request)

    draft_id = queue(local, f"Zu spät {STAMP}")
    try:
        async with httpx.AsyncClient(event_hooks={"request": [hook]}) as closing:
            [result] = await send_pending(*local[:2], closing)
    finally:
        php(f"wp_update_post(array('ID' => {site['post_id']}, 'comment_status' => 'open'));")
    assert result.state == "closed" and "closed" in result.message.lower()
    store, drafts, article = local
    assert store.thread_state(article.id).comments_open is False
    assert drafts.load(draft_id).state == "rejected"


async def test_flood_then_automatic_retry(site, local, client):
    wp_option("blogtui_flood_seconds", 3)
    time.sleep(3.2)  # let any comment other tests just posted from this IP age out of the window
    try:
        queue(local, f"Schnell eins {STAMP}")
        queue(local, f"Schnell zwei {STAMP}")
        first, second = await send_pending(*local[:2], client)
        assert first.state == "posted" and second.state == "queued", second
        assert "quickly" in second.message
        time.sleep(3.5)
        [retried] = await send_pending(*local[:2], client, now=second.next_attempt)
        assert retried.state == "posted", retried
    finally:
        wp_option("blogtui_flood_seconds", 0)


async def test_moderation_holds(site, local, client):
    wp_option("comment_moderation", 1)
    try:
        queue(local, f"Bitte prüfen {STAMP}")
        [result] = await send_pending(*local[:2], client)
    finally:
        wp_option("comment_moderation", 0)
    assert result.state == "held" and result.remote_id
    assert comment(site, result.remote_id)["approved"] == "0"


async def test_rejection_message(site, local, client):
    queue(local, f"Ohne Adresse {STAMP}", who=Identity("Niemand", "", ""))
    [result] = await send_pending(*local[:2], client, identity_for=lambda d: d.identity)
    assert result.state == "rejected"
    assert result.message == "Error: Please fill the required fields."


async def test_rest_with_an_application_password(site, local, client):
    credential = Credential(site["app_user"], Secret(site["app_password"]))
    queue(local, f"Über REST „gesendet“ {STAMP}")
    [result] = await send_pending(
        *local[:2], client, poster_for=lambda d, a: RestPoster(credential)
    )
    assert result.state == "posted", result
    stored = comment(site, result.remote_id)
    assert stored["author"] == site["app_user_display_name"]
    assert stored["content"] == f"Über REST „gesendet“ {STAMP}"
    wrong = Credential(site["app_user"], Secret("xxxx xxxx xxxx xxxx xxxx xxxx"))
    queue(local, f"Falsches Passwort {STAMP}")
    [refused] = await send_pending(*local[:2], client, poster_for=lambda d, a: RestPoster(wrong))
    assert refused.state == "rejected" and "application passwords" in refused.message


# --- faults between blogtui and the real WordPress (issue 12: redirects, blind re-posts) --------

LATER = time.time() + 86400
BIG_500 = b"<html><body>" + b"<p>Internal Server Error</p>" * 75_000 + b"</body></html>"
ELSEWHERE = "http://127.0.0.2:9/wp-comments-post.php"
"""Where the faulty front points a redirect: nothing may ever be sent there."""


class Faulty(httpx.AsyncBaseTransport):
    """In front of the real WordPress: breaks the next comment POST as a fault proxy would.

    "500-after" / "timeout-after": WordPress gets and stores the reply, blogtui gets a 500 with
    2 MB of HTML / no answer in time. "redirect-before": a 307 elsewhere, WordPress never sees it.
    """

    def __init__(self, mode: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.mode = mode
        self.posts = 0
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.method != "POST" or not request.url.path.endswith("/wp-comments-post.php"):
            return await self.inner.handle_async_request(request)
        self.posts += 1
        mode, self.mode = self.mode, "pass"
        if mode == "redirect-before":
            return httpx.Response(307, headers={"Location": ELSEWHERE})
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if mode == "500-after":
            return httpx.Response(500, headers={"Content-Type": "text/html"}, content=BIG_500)
        if mode == "timeout-after":
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def on_blog(site: dict[str, Any], text: str) -> int:
    """How many comments (published or held) of the test post carry `text`."""
    return int(
        php(
            f"echo count(get_comments(array('post_id' => {site['post_id']}, 'search' =>"
            f" {json.dumps(text)}, 'status' => 'all')));"
        )
    )


@pytest.mark.parametrize("mode", ["500-after", "timeout-after"])
async def test_a_lost_answer_is_looked_up_not_reposted(site, local, mode):
    text = f"Antwort verloren ({mode}) {STAMP}"
    queue(local, text)
    front = Faulty(mode)
    async with httpx.AsyncClient(transport=front) as faulty:
        [first] = await send_pending(*local[:2], faulty)
        assert first.state == "unsure", first
        [second] = await send_pending(*local[:2], faulty, now=LATER)
    assert (second.state, second.requests) == ("posted", 0), second
    assert front.posts == 1 and on_blog(site, text) == 1
    assert comment(site, second.remote_id)["content"] == text


async def test_a_held_reply_with_a_lost_answer_is_never_doubled(site, local):
    """The public REST API does not list a held reply, so it is posted again once, and
    WordPress refuses that as a duplicate: the reply is on the blog exactly once."""
    text = f"Gehalten und verloren {STAMP}"
    wp_option("comment_moderation", 1)
    try:
        queue(local, text)
        front = Faulty("500-after")
        async with httpx.AsyncClient(transport=front) as faulty:
            [first] = await send_pending(*local[:2], faulty)
            assert first.state == "unsure", first
            [second] = await send_pending(*local[:2], faulty, now=LATER)
            assert (second.state, second.requests) == ("duplicate", 1), second
            [third] = await send_pending(*local[:2], faulty, now=LATER + 7 * 86400)
            assert (third.state, third.requests) == ("duplicate", 0), third
    finally:
        wp_option("comment_moderation", 0)
    assert front.posts == 2 and on_blog(site, text) == 1


async def test_a_redirected_post_is_not_sent_nor_a_duplicate(site, local):
    text = f"Umgeleitet {STAMP}"
    draft_id = queue(local, text)
    front = Faulty("redirect-before")
    async with httpx.AsyncClient(transport=front) as faulty:
        [result] = await send_pending(*local[:2], faulty)
    assert result.state == "failed", result
    assert result.message == f"the blog answered with a redirect to {ELSEWHERE}; not sent"
    assert "127.0.0.2" not in front.hosts and front.posts == 1 and on_blog(site, text) == 0
    store, drafts, article = local
    assert drafts.load(draft_id).text == text  # kept, to send again or post in the browser
