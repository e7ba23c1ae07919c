"""Hostile blogs against the outbox: a reply POST answered with a redirect elsewhere is never
followed and never booked as sent; a reply whose fate is unknown on a blog that cannot show it
is never posted again unless the user says so.

Every blog here is a real server on 127.0.0.1 (tests/hostile/blogstub.py) that records each
request with its body; time is injected (`now=`), nothing sleeps.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from blogstub import Answer, BlogStub, Received, article_page

from blogtui.core.config import Identity
from blogtui.core.drafts.store import Draft, DraftError, DraftStore
from blogtui.core.models import EntryData
from blogtui.core.posting import queue_reply, send_pending
from blogtui.core.posting.credentials import Credential, Secret
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.outbox import next_due
from blogtui.core.posting.resend import confirm_resend
from blogtui.core.posting.rest import RestPoster
from blogtui.core.posting.state import ReplyState
from blogtui.core.store import Store

ME = Identity("Jörg Müller", "joerg@example.org", "")
TEXT = "Danke für den Beitrag – ein Test, der nur einmal ankommen darf."
HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_JSON = {"Content-Type": "application/json"}
LATER = time.time() + 86400
EVEN_LATER = LATER + 7 * 86400


@pytest.fixture
def stubs() -> Iterator[Callable[[Callable[[Received], Answer]], BlogStub]]:
    """Start blog stubs on 127.0.0.1 (closed afterwards)."""
    started: list[BlogStub] = []

    def start(answer: Callable[[Received], Answer]) -> BlogStub:
        started.append(BlogStub(answer))
        return started[-1]

    yield start
    for stub in started:
        stub.close()


def outbox_with(
    tmp_path: Path, article_url: str, text: str = TEXT
) -> tuple[Store, DraftStore, Draft]:
    """A store with the article, and a draft replying to it queued."""
    store, drafts = Store(tmp_path / "db.sqlite"), DraftStore(tmp_path / "drafts")
    feed, _ = store.add_feed(article_url + "feed/", "Blog")
    store.upsert_articles(feed.id, [EntryData(key=article_url, title="Ein Beitrag",
                                              link=article_url)])  # fmt: skip
    article_id = store.article_ids([feed.id])[0]
    draft = drafts.new(blog="stub", article_url=article_url, article_title="Ein Beitrag",
                       identity=ME, text=text)  # fmt: skip
    queue_reply(store, drafts, draft, article_id)
    return store, drafts, draft


def draft_article(store: Store) -> int:
    """The id of the one article `outbox_with` stored."""
    return store.outbox()[0].article_id or 0


def assert_kept_not_sent(store: Store, drafts: DraftStore, draft: Draft) -> None:
    """The draft is still in drafts/ as written, the outbox says it was not sent."""
    assert drafts.load(draft.id).text == TEXT
    with pytest.raises(DraftError):
        drafts.load(draft.id, sent=True)  # never archived as sent
    item = store.outbox_item(draft.id)
    assert item is not None and item.state is ReplyState.FAILED and item.state.needs_browser
    assert "already" not in item.last_error


# --- item 2: a reply POST answered with a redirect elsewhere ----------------------------------


@pytest.mark.parametrize(
    ("status", "where"),
    [
        (307, "elsewhere"),  # "send this POST there"
        (308, "elsewhere"),
        (307, "here"),  # even on the blog's own site: it asks for the POST to be repeated
        (302, "elsewhere"),  # another port of 127.0.0.1 is another origin
        (303, "elsewhere"),
        (301, "elsewhere"),
        (302, "thanks"),  # its own site, but no comment mark: looked for, not found
    ],
)
async def test_a_redirected_form_post_is_not_sent(stubs, client, tmp_path, status, where):
    other = stubs(lambda request: Answer(200, HTML, b"<p>thanks for the body</p>"))
    targets = {
        "elsewhere": other.url("/wp-comments-post.php#comment-5"),  # a tempting comment mark
        "here": "/post/#comment-5",
        "thanks": "/thanks/",
    }

    def blog(request: Received) -> Answer:
        if request.method == "POST":
            return Answer(status, {"Location": targets[where]})
        return Answer(200, HTML, article_page(base))

    stub = stubs(blog)
    base = stub.base
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/"))
    [result] = await send_pending(store, drafts, client)

    assert result.state is ReplyState.FAILED, result
    assert result.message.startswith("the blog answered with a redirect to "), result.message
    assert result.message.endswith("; not sent") and "already" not in result.message
    shown = targets[where].split("#")[0]
    assert (shown if shown.startswith("http") else base + shown) in result.message
    assert other.received == []  # the reply never went where the blog pointed
    assert len(stub.posts("/wp-comments-post.php")) == 1
    assert TEXT.split()[0].encode() in stub.posts()[0].body
    assert_kept_not_sent(store, drafts, draft)
    assert drafts.load(draft.id).state == "failed"  # editable, queued again by the user
    assert await send_pending(store, drafts, client, now=LATER) == []
    assert len(stub.posts()) == 1 and other.received == []


async def test_a_same_site_redirect_without_a_mark_is_looked_up(stubs, client, tmp_path):
    """A same-site redirect without a comment mark (a plugin's thank-you page) may follow a
    stored reply or a discarded one: the outbox looks, books what it finds as posted, and says
    "not sent" of the rest (never "the blog has it already")."""
    stored: list[bytes] = []

    def blog(request: Received) -> Answer:
        if request.method == "POST":
            if b"speichern" in request.body:
                stored.append(request.body)
            return Answer(302, {"Location": "/danke/"})
        if request.path.startswith("/post/feed/"):
            return Answer(200, {"Content-Type": "application/rss+xml"}, comment_feed(stored))
        return Answer(200, HTML, article_page(base, FEED_LINK.format(base=base)))

    stub = stubs(blog)
    base = stub.base
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/"), "Bitte speichern.")
    kept = drafts.new(blog="stub", article_url=stub.url("/post/"), identity=ME, text=TEXT)
    queue_reply(store, drafts, kept, draft_article(store))
    first, second = await send_pending(store, drafts, client)
    assert (first.state, first.remote_id) == (ReplyState.POSTED, "901"), first
    assert second.state is ReplyState.FAILED, second
    assert second.message == f"the blog answered with a redirect to {base}/danke/; not sent"
    assert_kept_not_sent(store, drafts, kept)
    assert len(stub.posts()) == 2


async def test_a_redirected_rest_post_is_not_a_duplicate(stubs, client, tmp_path):
    other = stubs(lambda request: Answer(201, AS_JSON, b'{"id": 5, "status": "approved"}'))
    duplicate = json.dumps({"code": "comment_duplicate", "message": "Duplicate comment"}).encode()

    def blog(request: Received) -> Answer:
        if request.path.startswith("/post/"):
            head = f'<link rel="https://api.w.org/" href="{base}/wp-json/">'
            return Answer(200, HTML, article_page(base, head))
        if request.path.startswith("/wp-json/wp/v2/users/me"):
            return Answer(200, AS_JSON, b'{"id": 7, "name": "anna"}')
        if request.method == "POST":
            location = other.url("/wp-json/wp/v2/comments")
            return Answer(307, {"Location": location, **AS_JSON}, duplicate)
        return Answer(404, AS_JSON, b'{"code": "rest_no_route"}')

    stub = stubs(blog)
    base = stub.base
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/?p=42"))
    credential = Credential("anna", Secret("abcd efgh ijkl mnop qrst uvwx"))
    [result] = await send_pending(store, drafts, client,
                                  poster_for=lambda d, a: RestPoster(credential))  # fmt: skip
    assert result.state is ReplyState.FAILED and "redirect" in result.message, result
    assert other.received == []
    assert len(stub.posts("/wp-json/wp/v2/comments")) == 1


async def test_a_redirected_isso_post_is_not_sent(stubs, client, tmp_path):
    other = stubs(lambda request: Answer(201, AS_JSON, b'{"id": 5}'))

    def blog(request: Received) -> Answer:
        if request.method == "POST":
            return Answer(308, {"Location": other.url("/isso/new?uri=%2Fpost%2F")})
        if request.path.startswith("/post/"):
            embed = f'<script data-isso="{base}/isso/" src="{base}/isso/js/embed.min.js"></script>'
            page = f"<html><head>{embed}</head><body><section id='isso-thread'></section>"
            return Answer(200, HTML, page.encode() + b"</body></html>")
        return Answer(404, AS_JSON, b"{}")

    stub = stubs(blog)
    base = stub.base
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/"))
    store.remember_blog(base, "isso", f"{base}/isso/")
    [result] = await send_pending(store, drafts, client)
    assert result.state is ReplyState.FAILED, result
    assert f"redirect to {other.base}/isso/new?…; not sent" in result.message
    assert other.received == [] and len(stub.posts("/isso/new")) == 1


# --- item 3: no blind re-posts ------------------------------------------------------------------

FEED_LINK = '<link rel="alternate" type="application/rss+xml" href="{base}/post/feed/">'
BIG_500 = b"<html><body>" + b"<p>Internal Server Error</p>" * 75_000 + b"</body></html>"


def comment_feed(bodies: list[bytes]) -> bytes:
    """An RSS comment feed: one item per stored reply (author and text as posted)."""
    from urllib.parse import parse_qs

    items = []
    for number, body in enumerate(bodies, start=901):
        fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        items.append(
            f"<item><title>von {fields['author']}</title><guid>c-{number}</guid>"
            f"<link>http://x/post/#comment-{number}</link>"
            f"<dc:creator>{fields['author']}</dc:creator>"
            f"<description>{fields['comment']}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Kommentare</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def failing_blog(fault: str, lookup: str) -> Callable[[str], Callable[[Received], Answer]]:
    """A blog whose first reply POST stalls, is dropped unanswered or answered 500 with 2 MB of
    HTML (the reply may be stored all the same); later POSTs succeed. `lookup`: what its pages
    offer to look the reply up: nothing, or an RSS comment feed that does not list it (a held
    or an old comment)."""

    def make(base: str) -> Callable[[Received], Answer]:
        posts: list[bytes] = []

        def answer(request: Received) -> Answer:
            if request.method == "POST":
                posts.append(request.body)
                if len(posts) > 1:
                    return Answer(302, {"Location": f"{base}/post/#comment-{900 + len(posts)}"})
                if fault == "500":
                    return Answer(500, HTML, BIG_500)
                return Answer(stall=fault == "stall", drop=fault == "drop")
            if request.path.startswith("/post/feed/"):
                return Answer(200, {"Content-Type": "application/rss+xml"}, comment_feed([]))
            head = FEED_LINK.format(base=base) if lookup == "rss" else ""
            return Answer(200, HTML, article_page(base, head))

        return answer

    return make


def quick(draft: Draft, article: object) -> FormPoster:
    """The form poster with a one-second deadline (the stalling blog never answers)."""
    return FormPoster(deadline=1.0)


@pytest.mark.parametrize("lookup", ["none", "rss"])
@pytest.mark.parametrize("fault", ["stall", "drop", "500"])
async def test_an_unknown_outcome_is_never_reposted_by_itself(
    stubs, client, tmp_path, fault, lookup
):
    make = failing_blog(fault, lookup)
    stub = stubs(lambda request: handler(request))
    handler = make(stub.base)
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/"))

    [first] = await send_pending(store, drafts, client, poster_for=quick)
    assert first.state is ReplyState.UNSURE and first.requests == 1, first
    sent_at = store.outbox_item(draft.id).updated
    # The retry time comes: the outbox looks, cannot tell, and asks the user.
    [second] = await send_pending(store, drafts, client, poster_for=quick, now=LATER)
    assert (second.state, second.requests) == (ReplyState.UNCONFIRMED, 0), second
    assert second.message.startswith("sent " + time.strftime("%Y-%m-%d %H:%M",
                                                              time.localtime(sent_at)))  # fmt: skip
    cause = {"stall": "timed out", "drop": "the connection failed", "500": "HTTP 500"}[fault]
    assert cause in second.message
    assert not second.state.due and second.state.pending and second.state.asks_user
    # Nothing sends it again by itself: not later, not when asked to send what waits.
    for moment in (LATER + 60, EVEN_LATER):
        assert await send_pending(store, drafts, client, poster_for=quick, now=moment) == []
    assert await send_pending(store, drafts, client, include_waiting=True) == []
    assert next_due(store) is None
    assert len(stub.posts()) == 1
    assert drafts.load(draft.id).text == TEXT
    # The user's word sends it once more.
    confirm_resend(store, drafts, draft.id)
    [third] = await send_pending(store, drafts, client, poster_for=quick)
    assert (third.state, third.requests) == (ReplyState.POSTED, 1), third
    assert len(stub.posts()) == 2


async def test_a_failed_lookup_on_a_verifying_blog_waits_and_never_posts(stubs, client, tmp_path):
    """A blog remembered as WordPress whose thread cannot be read: the reply stays "unsure" and
    is looked for again later, never posted meanwhile. When only a comment feed can be read
    (it shows the latest few comments), its silence proves nothing: the user is asked."""
    feed: list[bool] = []

    def blog(request: Received) -> Answer:
        if request.method == "POST":
            return Answer(500, HTML, BIG_500)
        if request.path.startswith("/post/feed/"):
            return Answer(200, {"Content-Type": "application/rss+xml"}, comment_feed([]))
        return Answer(200, HTML, article_page(base, FEED_LINK.format(base=base) if feed else ""))

    stub = stubs(blog)
    base = stub.base
    store, drafts, draft = outbox_with(tmp_path, stub.url("/post/"))
    store.remember_blog(base, "wordpress", stub.url("/wp-json/"))
    [first] = await send_pending(store, drafts, client)
    assert first.state is ReplyState.UNSURE
    for moment in (LATER, EVEN_LATER):
        [again] = await send_pending(store, drafts, client, now=moment)
        assert (again.state, again.requests) == (ReplyState.UNSURE, 0), again
        assert "cannot check whether it was posted" in again.message
        assert again.next_attempt is not None and again.next_attempt > moment
    feed.append(True)
    [asked] = await send_pending(store, drafts, client, now=EVEN_LATER + 86400)
    assert (asked.state, asked.requests) == (ReplyState.UNCONFIRMED, 0), asked
    assert "comment feed lists only the latest comments" in asked.message
    assert len(stub.posts()) == 1
