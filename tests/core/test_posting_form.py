"""Posting through the WordPress comment form, against the demo blog on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from posting_support import BUSY, CLOSED, ME, OPEN, add_article, make_store, queue

from blogtui.core.comments import load_thread
from blogtui.core.posting import send_pending
from blogtui.core.posting.form import outcome_of, parse_comment_form
from blogtui.demo import DemoBlog

TEXT = "Schöne Grüße aus Köln – „Anführungszeichen“ & <Spitzklammern> sind heikel."
REPLY = "Danke, Jörg! Ähnlich „gesehen“ – äöü ß."


@pytest.fixture
def blog() -> Iterator[DemoBlog]:
    with DemoBlog() as demo:
        yield demo


def posts(blog: DemoBlog) -> int:
    return sum(line.startswith("POST /wp-comments-post.php") for line in blog.requests)


def rest_comment(blog: DemoBlog, comment_id: str) -> dict:
    url = f"{blog.base_url}/wp-json/wp/v2/comments/{comment_id}"
    return httpx.get(url, timeout=10).json()


async def test_top_level_and_nested_reply_round_trip(blog, client, tmp_path):
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(OPEN))
    first = queue(store, drafts, article, TEXT)
    [result] = await send_pending(store, drafts, client)
    assert (result.state, result.requests) == ("posted", 1), result
    assert result.remote_url.endswith(f"#comment-{result.remote_id}")
    second = queue(store, drafts, article, REPLY, parent=result.remote_id)
    [nested] = await send_pending(store, drafts, client)
    assert nested.state == "posted", nested

    top, child = rest_comment(blog, result.remote_id), rest_comment(blog, nested.remote_id)
    assert top["parent"] == 0 and child["parent"] == int(result.remote_id)
    assert top["author_name"] == ME.name
    assert "„Anführungszeichen“ &amp; &lt;Spitzklammern&gt;" in top["content"]["rendered"]
    assert "Ähnlich „gesehen“ – äöü ß." in child["content"]["rendered"]
    # drafts moved to sent/ with the server's id and URL; the thread shows them as mine
    for draft, sent in ((first, result), (second, nested)):
        archived = drafts.load(draft.id, sent=True)
        assert (archived.remote_id, archived.remote_url) == (sent.remote_id, sent.remote_url)
        assert not drafts.path_of(draft.id).exists()
    mine = {c.key: c for c in store.comments_for(article.id) if c.mine}
    assert set(mine) == {result.remote_id, nested.remote_id}
    assert mine[nested.remote_id].parent_key == result.remote_id
    # a later full refresh keeps them (same keys) and still mine
    refreshed = await load_thread(client, store, article)
    assert refreshed.ok, refreshed.error
    assert {c.key for c in refreshed.comments if c.mine} == set(mine)
    assert store.outbox_item(first.id).state == "posted"


async def test_moderation_holds_the_reply(blog, client, tmp_path):
    blog.moderation = True
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(OPEN))
    queue(store, drafts, article, "Bitte freischalten.")
    [result] = await send_pending(store, drafts, client)
    assert result.state == "held" and result.remote_id
    assert "unapproved=" in result.remote_url
    [stored] = [c for c in store.comments_for(article.id) if c.mine]
    assert stored.status == "hold"
    assert blog.comments(OPEN)[-1]["status"] == "hold"


async def test_duplicate_is_never_resent(blog, client, tmp_path):
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(OPEN))
    queue(store, drafts, article, "Zweimal gesagt.")
    [first] = await send_pending(store, drafts, client)
    again = queue(store, drafts, article, "Zweimal gesagt.")
    before = posts(blog)
    [second] = await send_pending(store, drafts, client)
    assert posts(blog) == before + 1  # one POST, answered 409
    assert (second.state, second.remote_id) == ("posted", first.remote_id)
    assert await send_pending(store, drafts, client) == []
    assert posts(blog) == before + 1
    assert [c["content"] for c in blog.comments(OPEN)].count("Zweimal gesagt.") == 1
    assert drafts.load(again.id, sent=True).remote_id == first.remote_id


async def test_comments_closed_between_page_and_post_is_403(blog, tmp_path):
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(BUSY))

    async def close_on_post(request: httpx.Request) -> None:
        if request.method == "POST":
            blog.set_comments_open(BUSY, False)

    async with httpx.AsyncClient(event_hooks={"request": [close_on_post]}) as client:
        draft = queue(store, drafts, article, "Zu spät.")
        [result] = await send_pending(store, drafts, client)
    assert result.state == "closed" and "closed" in result.message
    assert store.thread_state(article.id).comments_open is False
    assert drafts.load(draft.id).state == "rejected"  # kept, editable again
    assert "POST /wp-comments-post.php" in blog.requests[-1]


async def test_closed_post_without_form_is_not_sent(blog, client, tmp_path):
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(CLOSED))
    draft = queue(store, drafts, article, "Schade.")
    [result] = await send_pending(store, drafts, client)
    assert result.state == "failed" and "no comment form" in result.message
    assert posts(blog) == 0 and drafts.load(draft.id).text == "Schade."


async def test_flood_then_automatic_retry(client, tmp_path):
    with DemoBlog(flood_seconds=1.0) as blog:
        store, drafts = make_store(tmp_path)
        article = add_article(store, blog.post_url(OPEN))
        queue(store, drafts, article, "Erste.")
        queue(store, drafts, article, "Zweite, zu schnell.")
        first, second = await send_pending(store, drafts, client)
        assert first.state == "posted"
        assert second.state == "queued" and "too quickly" in second.message
        assert second.next_attempt is not None and second.next_attempt > time.time()
        assert await send_pending(store, drafts, client) == []  # not due yet
        time.sleep(1.1)
        [retried] = await send_pending(store, drafts, client, now=second.next_attempt)
        assert retried.state == "posted"
        texts = [c["content"] for c in blog.comments(OPEN)]
        assert texts.count("Erste.") == 1 and texts.count("Zweite, zu schnell.") == 1


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        (replace(ME, email="nope"), "Error: Please enter a valid email address."),
        (replace(ME, name=""), "Error: Please fill the required fields."),
    ],
)
async def test_rejection_message_is_shown(blog, client, tmp_path, identity, message):
    store, drafts = make_store(tmp_path)
    article = add_article(store, blog.post_url(OPEN))
    draft = queue(store, drafts, article, "Hallo", identity=identity)
    [result] = await send_pending(store, drafts, client, identity_for=lambda d: d.identity)
    assert (result.state, result.message) == ("rejected", message)
    assert store.outbox_item(draft.id).last_error == message
    assert drafts.load(draft.id).state == "rejected"


def test_every_hidden_field_is_collected_and_echoed(blog):
    page = httpx.get(blog.post_url(OPEN), timeout=10)
    form = parse_comment_form(page.text, str(page.url))
    assert form is not None and form.action == f"{blog.base_url}/wp-comments-post.php"
    assert form.fields["akismet_comment_nonce"] == blog.nonce(34)
    assert form.fields["ak_js"] and form.fields["ak_hp_textarea"] == ""
    assert form.fields["comment_post_ID"] == "34" and form.fields["comment_parent"] == "0"
    assert "wp-comment-cookies-consent" not in form.fields  # unchecked box: not sent


async def test_missing_nonce_is_spam(blog, client, tmp_path):
    response = await client.post(
        f"{blog.base_url}/wp-comments-post.php",
        data={"comment": "x", "author": "A", "email": "a@example.org", "comment_post_ID": "34"},
    )
    outcome = outcome_of(response.status_code, "", response.text, str(response.url))
    assert outcome.state == "rejected" and "spam" in outcome.message


ACTION = "http://b/wp-comments-post.php"


def test_outcome_mapping():
    assert outcome_of(302, "http://b/p/#comment-7", "", ACTION).remote_id == "7"
    held = outcome_of(302, "http://b/p/?unapproved=8&moderation-hash=x#comment-8", "", ACTION)
    assert (held.state, held.remote_id) == ("held", "8")
    assert outcome_of(409, "", "<p>Duplicate</p>", ACTION).state == "duplicate"
    assert outcome_of(429, "", "", ACTION).state == "flood"
    assert outcome_of(403, "", "", ACTION).state == "closed"
    assert outcome_of(200, "", "", ACTION).state == "closed"
    assert outcome_of(502, "", "", ACTION).ambiguous
    assert not outcome_of(503, "", "", ACTION).ambiguous


@pytest.mark.parametrize(
    ("status", "location", "state", "remote_id"),
    [
        (302, "/p/#comment-7", "posted", "7"),  # relative, on the blog's own site
        (303, "http://B:80/p/#comment-7", "posted", "7"),
        (302, "https://b/p/?unapproved=8#comment-8", "held", "8"),  # http -> https upgrade
        (302, "http://blog.example/p/#comment-7", "posted", "7"),  # the article's own site
        (307, "http://b/p/#comment-7", "unavailable", ""),  # repeat the POST there: not taken
        (308, "/wp-comments-post.php", "unavailable", ""),
        (302, "http://b:8080/p/#comment-7", "unavailable", ""),  # another port
        (302, "https://b:8443/p/#comment-7", "unavailable", ""),
        (302, "http://evil.example/p/#comment-7", "unavailable", ""),
        (301, "http://b/p/", "unavailable", ""),  # moved: nothing was taken
        (302, "http://b/thanks/", "unavailable", ""),  # maybe taken: looked for first
        (302, "", "unavailable", ""),
        (300, "http://b/p/#comment-7", "unavailable", ""),
    ],
)
def test_only_wordpress_success_redirects_count(status, location, state, remote_id):
    outcome = outcome_of(status, location, "", ACTION, "http://blog.example/p/")
    assert (outcome.state, outcome.remote_id) == (state, remote_id)
    if state == "unavailable":
        assert (
            outcome.message.startswith("the blog answered with ") and "not sent" in outcome.message
        )
        assert outcome.ambiguous  # the outbox looks for it before saying "not sent"


def test_a_redirect_is_shown_without_userinfo_query_or_controls():
    location = "https://user:s3cret@evil.example:444/steal\x1b]0;x\x07?token=abc#frag"
    outcome = outcome_of(307, location, "", ACTION)
    assert "s3cret" not in outcome.message and "user" not in outcome.message
    assert "token" not in outcome.message and "abc" not in outcome.message
    assert "\x1b" not in outcome.message and "\x07" not in outcome.message
    assert "https://evil.example:444/steal" in outcome.message and "?…" in outcome.message


async def test_replies_to_me_after_a_refresh_and_the_cli(blog, client, tmp_path, capsys):
    import argparse

    from blogtui.cli.output import Output
    from blogtui.cli.posting import cmd_replies, cmd_send
    from blogtui.core.paths import places

    where = places(tmp_path / "home")
    from blogtui.cli.common import open_store
    from blogtui.core.drafts.store import DraftStore

    store, drafts = open_store(where), DraftStore(where.drafts_dir)
    article = add_article(store, blog.post_url(OPEN))
    queue(store, drafts, article, "Meine Frage?")
    args = argparse.Namespace(all=False)
    assert await asyncio.to_thread(cmd_send, args, where, Output()) == 0
    line = capsys.readouterr().out.strip()
    [mine] = [c for c in store.comments_for(article.id) if c.mine]
    assert line.endswith(f"posted: {mine.link}")
    page = httpx.get(blog.post_url(OPEN), timeout=10)
    fields = parse_comment_form(page.text, str(page.url)).fields
    fields.update(comment="Gute Frage!", author="Lea", email="lea@example.org", url="",
                  comment_parent=mine.key)  # fmt: skip
    httpx.post(f"{blog.base_url}/wp-comments-post.php", data=fields, timeout=10)
    assert store.replies_to_me() == []
    await load_thread(client, store, article)
    [reply] = store.replies_to_me()
    assert (reply.author, reply.parent_key) == ("Lea", mine.key)
    assert cmd_replies(args, where, Output()) == 0
    assert "Lea: Gute Frage!" in capsys.readouterr().out
    store.mark_seen([reply.id])
    assert store.replies_to_me() == [] and len(store.replies_to_me(include_seen=True)) == 1
