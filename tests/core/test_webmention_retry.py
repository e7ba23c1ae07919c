"""A reply published on the user's site whose Webmention failed: the outbox keeps it "unnotified"
with the post's address and later sends only the Webmention, never publishing it again.

Against loopback stand-ins: the Micropub endpoint (tests/standins/micropub.py) and webmention.io's
receiving endpoint (tests/standins/webmention_io.py), here made to fail its first Webmentions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from posting_support import ME, add_article, make_store
from standins.micropub import MicropubStandIn
from standins.server import Reply, Seen
from standins.webmention_io import WebmentionIoStandIn

from blogtui.core.drafts.file import DraftState
from blogtui.core.posting import send_pending
from blogtui.core.posting.base import Outcome, PostOutcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.micropub import ENTRY, MicropubPoster, poster_for_draft
from blogtui.core.posting.notice import owes_notice
from blogtui.core.posting.outbox import queue_reply
from blogtui.core.posting.resend import NotResendable, confirm_resend
from blogtui.core.posting.select import choose_poster
from blogtui.core.posting.state import ReplyState, state_line

TOKEN = "mp-token-Geheimnis-42"
TEXT = "Grüße aus München: noch einmal über Käse & Brötchen."
START = 1_800_000_000.0


class FailingReceiver(WebmentionIoStandIn):
    """webmention.io's endpoint answering 503 to its first `failures` Webmentions."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def answer(self, seen: Seen) -> Reply:
        if seen.method == "POST" and seen.path.endswith("/webmention") and self.failures > 0:
            self.failures -= 1
            return Reply.json(503, {"error": "Überlastet, bitte später"})
        return super().answer(seen)

    @property
    def received(self) -> list[Seen]:
        """Every Webmention POSTed, answered 503 or taken."""
        return [s for s in self.posts if s.path.endswith("/webmention")]


@pytest.fixture
def site() -> Iterator[MicropubStandIn]:
    server = MicropubStandIn(TOKEN)
    try:
        yield server
    finally:
        server.close()


def receiver(failures: int) -> FailingReceiver:
    server = FailingReceiver(failures)
    server.pages["/2024/03/kaese.html"] = (
        f'<link rel="webmention" href="{server.endpoint("blog.example")}"><p>Artikel</p>'
    )
    return server


@pytest.fixture
def blog() -> Iterator[FailingReceiver]:
    server = receiver(failures=1)
    try:
        yield server
    finally:
        server.close()


class Setup:
    """A store with the article, a queued Webmention reply, and the poster chooser."""

    def __init__(self, site: MicropubStandIn, blog: FailingReceiver, tmp_path: Path) -> None:
        self.store, self.drafts = make_store(tmp_path)
        self.article = add_article(self.store, f"{blog.origin}/2024/03/kaese.html", "Käse")
        credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
        credentials.set_entry(ENTRY, site.endpoint, TOKEN)
        self.draft = self.drafts.new(blog="blog", article_url=self.article.link, identity=ME,
                                     text=TEXT, source="webmention")  # fmt: skip
        queue_reply(self.store, self.drafts, self.draft, self.article.id)
        self.chosen = lambda d, a: choose_poster(self.store, d, credentials)

    async def send(self, client: httpx.AsyncClient, now: float, **options: bool):
        return await send_pending(self.store, self.drafts, client, now=now,
                                  poster_for=self.chosen, **options)  # fmt: skip


async def test_a_failed_webmention_is_retried_alone(site, blog, client, tmp_path) -> None:
    setup = Setup(site, blog, tmp_path)
    [first] = await setup.send(client, START)
    assert (first.state, first.remote_url, first.requests) == (
        ReplyState.UNNOTIFIED, site.post_url(1), 1)  # fmt: skip
    assert first.ok and not first.failed and first.next_attempt == START + 30.0
    assert "HTTP 503" in first.message and "Überlastet" in first.message
    item = setup.store.outbox_item(setup.draft.id)
    assert item is not None and item.state is ReplyState.UNNOTIFIED
    assert (item.remote_id, item.remote_url) == (site.post_url(1), site.post_url(1))
    line = state_line(item.state, item.last_error, item.next_attempt)
    assert line.startswith("published on your site; notifying the blog failed, will retry: ")
    assert setup.drafts.load(setup.draft.id).state == DraftState.QUEUED  # kept, not editable
    assert item.state.pending and not item.state.posted
    assert setup.store.comments_for(setup.article.id, "webmention") == []

    assert await setup.send(client, START + 10.0) == []  # not due yet: nothing happens
    [second] = await setup.send(client, START + 31.0)
    assert (second.state, second.remote_url, second.requests) == (
        ReplyState.POSTED, site.post_url(1), 0)  # fmt: skip
    assert len(site.created) == 1  # published once
    assert [s.path for s in site.posts] == ["/micropub"]
    assert [m.form for m in blog.received] == [
        {"source": site.post_url(1), "target": setup.article.link}] * 2  # fmt: skip
    assert setup.drafts.load(setup.draft.id, sent=True).remote_url == site.post_url(1)
    [mine] = setup.store.comments_for(setup.article.id, "webmention")
    assert mine.key == site.post_url(1)
    assert await setup.send(client, START + 9999.0, include_waiting=True) == []
    assert len(site.created) == 1 and len(blog.received) == 2


async def test_a_notice_that_keeps_failing_is_never_published_again(site, client, tmp_path) -> None:
    blog = receiver(failures=3)
    try:
        setup = Setup(site, blog, tmp_path)
        [first] = await setup.send(client, START)
        [second] = await setup.send(client, START, include_waiting=True)  # the user: send now
        assert first.state is second.state is ReplyState.UNNOTIFIED
        assert second.next_attempt == START + 60.0  # backing off
        with pytest.raises(NotResendable, match="published on your site"):
            confirm_resend(setup.store, setup.drafts, setup.draft.id)
        setup.store.enqueue_reply(setup.draft.id, setup.article.id, "")  # queued again: kept
        assert setup.store.outbox_item(setup.draft.id).state is ReplyState.UNNOTIFIED
        [third] = await setup.send(client, START + 3600.0)
        [fourth] = await setup.send(client, START + 9000.0)
        assert (third.state, fourth.state) == (ReplyState.UNNOTIFIED, ReplyState.POSTED)
        assert len(site.created) == 1 and len(blog.received) == 4
    finally:
        blog.close()


async def test_a_deleted_draft_says_the_reply_is_on_the_site(site, blog, client, tmp_path):
    setup = Setup(site, blog, tmp_path)
    await setup.send(client, START)
    setup.drafts.delete(setup.draft.id)
    [result] = await setup.send(client, START + 60.0)
    assert result.state is ReplyState.FAILED
    assert result.message == (f"the draft file is gone; published on your site"
                              f" ({site.post_url(1)}) but the blog was not told")  # fmt: skip
    assert len(site.created) == 1 and len(blog.received) == 1


async def test_a_webmention_found_unsure_and_failing_is_owed_too(site, blog, client, tmp_path):
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(ENTRY, site.endpoint, TOKEN)
    reply = ReplyRequest(f"{blog.origin}/2024/03/kaese.html", "", TEXT, ME)
    blog.failures = 0
    await MicropubPoster(lambda: credentials.get_entry(ENTRY)).post(client, reply)
    blog.failures = 1
    again = await MicropubPoster(lambda: credentials.get_entry(ENTRY), unsure=True).post(
        client, reply
    )
    assert owes_notice(again) and again.remote_url == site.post_url(1)
    assert again.message.startswith("found on your site; the Webmention endpoint answered HTTP 503")
    assert len(site.created) == 1


async def test_notify_sends_only_the_webmention_without_the_token(site, blog, client, tmp_path):
    blog.failures = 0
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    poster = MicropubPoster(lambda: credentials.get_entry(ENTRY))  # no credential stored at all
    reply = ReplyRequest(f"{blog.origin}/2024/03/kaese.html", "", TEXT, ME)
    outcome = await poster.notify(client, reply, "https://joerg.example.org/notes/1")
    assert (outcome.state, outcome.remote_url, outcome.extra) == (
        Outcome.POSTED, "https://joerg.example.org/notes/1", {"webmention": "sent"})  # fmt: skip
    assert site.seen == [] and not owes_notice(outcome)
    [mention] = blog.received
    assert "authorization" not in mention.headers


def test_owes_notice_only_for_a_stored_reply_with_an_address() -> None:
    owed = {"webmention": "failed", "owed": "webmention"}
    assert owes_notice(PostOutcome(Outcome.POSTED, "u", "u", extra=owed))
    assert not owes_notice(PostOutcome(Outcome.POSTED, "u", "u", extra={"webmention": "sent"}))
    assert not owes_notice(PostOutcome(Outcome.FAILED, "u", "u", extra=owed))
    assert not owes_notice(PostOutcome(Outcome.POSTED, extra=owed))


def test_the_toast_says_published_and_not_told() -> None:
    from blogtui.core.posting.outbox import SendResult
    from blogtui.ui.screens.outbox_text import SentReply, toast

    result = SendResult("d1", ReplyState.UNNOTIFIED, "the Webmention endpoint answered HTTP 503",
                        "https://joerg.example.org/notes/1", "https://joerg.example.org/notes/1",
                        next_attempt=START)  # fmt: skip
    text, severity = toast(SentReply(result, None, "Käse", "https://blog.example/kaese"))
    assert severity == "warning"
    assert text.startswith("Reply to “Käse” published on your site; notifying the blog failed:"
                           " the Webmention endpoint answered HTTP 503. Retrying at ")  # fmt: skip


def test_the_poster_for_an_unnotified_draft_is_not_unsure(site, blog, tmp_path) -> None:
    setup = Setup(site, blog, tmp_path)
    setup.store.update_reply(setup.draft.id, state=ReplyState.UNNOTIFIED)
    assert not poster_for_draft(setup.store, setup.draft.id, None).unsure
