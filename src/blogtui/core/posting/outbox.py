"""Sending queued replies: exactly once, never losing one.

Outbox states (`OutboxItem.state`):

- queued: waiting to be sent (again) once `next_attempt` has come; `last_error` says why not yet.
- sending: a request is (or was, if blogtui died) under way. Set BEFORE the request goes out.
- unsure: the request may have reached the server (connection dropped, timeout after sending).
- posted / held: the server stored it (held: awaiting moderation); `remote_id`, `remote_url` set.
- unnotified: published on the user's own site (`remote_url`), the blog not told yet (its
  Webmention failed): a pass sends only that notice (`core.posting.notice`), never the reply.
- duplicate: the server says it already has the reply but its id is not known yet; it is never
  resent, only looked up again later.
- unconfirmed: it may be on the blog, and the blog cannot show whether it is (see below). It is
  never sent again by itself: the user is asked, and `resend.confirm_resend` is their answer.
- closed: the post takes no comments; rejected: the server refused it (`last_error` says why);
  failed: this blog offers no way to post it. The draft is kept; re-queueing sends it again.

An item found "sending" (a crash mid-send) or "unsure" is first looked for on the server (the
thread is read, the reply matched by parent, author and text). Found, it is posted. It is resent
only when its absence is verified (`lookup.VERIFYING`: WordPress REST, Isso); where the thread
cannot be read, or only from a comment feed that shows the latest few comments, it becomes
"unconfirmed". A poster that finds its own replies (`lookup.FindsSent`: Mastodon, on the user's
instance) is asked instead: what it cannot read stays "unsure" and is looked up again.
A reply POST is never followed through a redirect: a redirect other than
WordPress's to the new comment means "not sent" ("failed", the browser is offered) unless the
reply is found in the thread.
A draft moves to `sent/` only with the server's comment id and URL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import httpx

from blogtui.core.config import Identity
from blogtui.core.drafts.atomic import acquire_lock, release_lock
from blogtui.core.drafts.file import Draft, DraftError, DraftNotFound, DraftState
from blogtui.core.drafts.store import DraftStore
from blogtui.core.errors import BlogtuiError
from blogtui.core.models import CommentData, OutboxItem
from blogtui.core.posting.base import Outcome, Poster, PostOutcome
from blogtui.core.posting.job import Job, mine, outcome_of, reply_request
from blogtui.core.posting.lookup import VERIFYING, Lookup, LookupFailed, can_verify, find_reply
from blogtui.core.posting.notice import notify_again, owes_notice
from blogtui.core.posting.select import PosterFor, choose_poster
from blogtui.core.posting.state import ReplyState

if TYPE_CHECKING:
    from blogtui.core.store import Store

DUE_STATES = tuple(state for state in ReplyState if state.due)
STORED = tuple(state for state in ReplyState if state.posted)
FLOOD_DELAY = 20.0
"""Seconds to wait after a flood answer without Retry-After (WordPress's window is 15 s)."""
BACKOFF_BASE = 30.0
BACKOFF_MAX = 3600.0
LOCK_NAME = ".outbox.lock"

IdentityFor = Callable[[Draft], Identity]


class OutboxBusy(BlogtuiError):
    """Another blogtui is sending the outbox right now."""

    title = "Outbox busy"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What one pass did with one outbox item: its new state and why."""

    draft_id: str
    state: ReplyState
    message: str = ""
    remote_id: str = ""
    remote_url: str = ""
    next_attempt: float | None = None
    requests: int = 0
    """How many times the reply was POSTed in this pass (0 or 1)."""

    @property
    def ok(self) -> bool:
        """True when the reply is on the server (or waiting its turn)."""
        return self.state.posted or self.state.pending

    @property
    def failed(self) -> bool:
        """True when the user has to act (edit, re-queue or give up)."""
        return self.state.final and not self.state.posted


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt after `attempts` failed ones (honouring Retry-After)."""
    delay = min(BACKOFF_BASE * 2.0 ** max(attempts - 1, 0), BACKOFF_MAX)
    return max(delay, retry_after or 0.0)


def queue_reply(
    store: Store, drafts: DraftStore, draft: Draft, article_id: int | None
) -> OutboxItem:
    """Queue a saved draft for sending (marks the draft file "queued")."""
    drafts.save(replace(draft, state=DraftState.QUEUED))
    return store.enqueue_reply(draft.id, article_id, draft.parent_id)


def next_due(store: Store) -> float | None:
    """When the next queued reply is due (now for one without a time), or None."""
    times = [item.next_attempt or 0.0 for item in store.outbox(DUE_STATES)]
    return min(times) if times else None


async def send_pending(
    store: Store,
    drafts: DraftStore,
    client: httpx.AsyncClient,
    *,
    now: float | None = None,
    identity_for: IdentityFor | None = None,
    poster_for: PosterFor | None = None,
    flood_delay: float = FLOOD_DELAY,
    include_waiting: bool = False,
) -> list[SendResult]:
    """Send every due reply once, one after another; raises OutboxBusy if another process is.

    `include_waiting`: also the replies waiting for their retry time (the user asked to send
    now). "unconfirmed" replies are never among them: `resend.confirm_resend` first."""
    lock = _lock(drafts)
    try:
        _finish_archives(store, drafts)
        moment = time.time() if now is None else now
        items = [i for i in store.outbox(DUE_STATES) if include_waiting or _due(i, moment)]
        sender = _Sender(store, drafts, client, identity_for, poster_for, flood_delay)
        return [await sender.run(item, moment) for item in items]
    finally:
        release_lock(lock)


def send_sync(
    store: Store,
    drafts: DraftStore,
    *,
    identity_for: IdentityFor | None = None,
    poster_for: PosterFor | None = None,
    include_waiting: bool = False,
) -> list[SendResult]:
    """`send_pending` for callers without an event loop, with a client of its own."""
    from blogtui.core.feeds.client import make_client

    async def run() -> list[SendResult]:
        async with make_client(4) as client:
            return await send_pending(store, drafts, client, identity_for=identity_for,
                                      poster_for=poster_for,
                                      include_waiting=include_waiting)  # fmt: skip

    return asyncio.run(run())


def _lock(drafts: DraftStore) -> int:
    try:
        return acquire_lock(drafts.root / LOCK_NAME)
    except DraftError as error:
        raise OutboxBusy("another blogtui is sending replies right now; try again later") from error


def _due(item: OutboxItem, now: float) -> bool:
    return item.state is ReplyState.SENDING or item.next_attempt is None or item.next_attempt <= now


def _finish_archives(store: Store, drafts: DraftStore) -> None:
    """Archive drafts whose reply is confirmed but whose file was not moved (a crash between)."""
    for item in store.outbox(STORED):
        if item.remote_id and drafts.path_of(item.draft_id).exists():
            try:
                drafts.archive(item.draft_id, item.remote_id, item.remote_url)
            except DraftError:
                continue


class _Sender:
    """Works through outbox items with shared settings."""

    def __init__(self, store: Store, drafts: DraftStore, client: httpx.AsyncClient,
                 identity_for: IdentityFor | None, poster_for: PosterFor | None,
                 flood_delay: float) -> None:  # fmt: skip
        self.store, self.drafts, self.client = store, drafts, client
        self.identity_for = identity_for or (lambda draft: draft.identity)
        self.poster_for = poster_for or (lambda draft, article: choose_poster(store, draft))
        self.flood_delay = flood_delay

    async def run(self, item: OutboxItem, now: float) -> SendResult:
        """Handle one item: look first when needed, then post at most once."""
        job = self._job(item, now)
        if isinstance(job, SendResult):
            return job
        if item.state is ReplyState.UNNOTIFIED:  # published on the user's site already
            return await self._notify(job)
        if item.state is not ReplyState.QUEUED:
            looked = await self._look(job, item.state)
            if looked is not None:
                return looked
        return await self._post(job)

    def _job(self, item: OutboxItem, now: float) -> Job | SendResult:
        try:
            draft = self.drafts.load(item.draft_id)
        except DraftNotFound:
            return self._gone(item)
        except DraftError as error:
            return self._set(item, ReplyState.FAILED, f"the draft cannot be read: {error.message}")
        article = self.store.get_article(item.article_id) if item.article_id else None
        who = self.identity_for(draft)
        identity = who if who.complete or not draft.identity.complete else draft.identity
        return Job(item, draft, article, identity, now)

    def _gone(self, item: OutboxItem) -> SendResult:
        """The draft file is not in drafts/: already archived (a crash after), or deleted."""
        try:
            sent = self.drafts.load(item.draft_id, sent=True)
        except DraftError:
            told = f"published on your site ({item.remote_url}) but the blog was not told"
            unnotified = item.state is ReplyState.UNNOTIFIED
            return self._set(item, ReplyState.FAILED, f"the draft file is gone; "
                             f"{told if unnotified else 'nothing was sent'}")  # fmt: skip
        if sent.remote_id:
            self.store.update_reply(item.draft_id, state=ReplyState.POSTED,
                                    remote_id=sent.remote_id, remote_url=sent.remote_url,
                                    last_error="")  # fmt: skip
            return SendResult(item.draft_id, ReplyState.POSTED, "", sent.remote_id, sent.remote_url)
        return self._set(item, ReplyState.FAILED, "the draft was archived without a comment id")

    async def _look(self, job: Job, state: ReplyState) -> SendResult | None:
        """Look for the reply; a result when the item is settled, None to post it (again):
        only when its absence is verified."""
        lookup = await self._lookup(job)
        if isinstance(lookup, str):
            verified = can_verify(self.store, job.where, self._poster(job))
            if state is ReplyState.DUPLICATE or verified:
                keep = ReplyState.UNSURE if state is ReplyState.SENDING else state
                return self._retry(job, keep, f"cannot check whether it was posted: {lookup}")
            return self._unconfirmed(job, state, f"its comments cannot be read ({lookup})")
        if lookup.found is not None:
            return self._stored(job, outcome_of(lookup.found), lookup.found)
        if state is ReplyState.DUPLICATE:
            return self._retry(job, state, "the blog says it has this reply already;"
                               " it is not resent and will be looked up again")  # fmt: skip
        if not lookup.complete:
            return self._unconfirmed(job, state, _unverified(lookup))
        return None

    async def _lookup(self, job: Job) -> Lookup | str:
        """The reply looked for on the blog, or why its thread could not be read."""
        try:
            return await find_reply(self.client, self.store, job.where, job.sought,
                                    self._poster(job))  # fmt: skip
        except LookupFailed as error:
            return str(error)

    def _poster(self, job: Job) -> Poster | None:
        """The draft's poster, for a lookup (it may find its own replies), None when unknown."""
        try:
            return self.poster_for(job.draft, job.article)
        except BlogtuiError:
            return None

    def _unconfirmed(self, job: Job, state: ReplyState, why: str) -> SendResult:
        """Ask the user: say when it was sent and that it may be on the blog already."""
        item = job.item  # as read at the start of the pass: `updated` is when it was sent
        before = "blogtui stopped while sending it" if state is ReplyState.SENDING else ""
        cause = before or item.last_error
        sent = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.updated))
        message = f"sent {sent}" + (f" ({cause})" if cause else "") + f"; {why}"
        return self._set(item, ReplyState.UNCONFIRMED, message)

    async def _post(self, job: Job) -> SendResult:
        item, draft = job.item, job.draft
        try:
            poster = self.poster_for(draft, job.article)
        except BlogtuiError as error:
            return self._set(item, ReplyState.FAILED, error.message)
        sending = ReplyState.SENDING
        self.store.update_reply(item.draft_id, state=sending, attempts=item.attempts + 1)
        job.item = replace(item, attempts=item.attempts + 1, state=sending)
        try:
            outcome = await poster.post(self.client, reply_request(job))
        except BlogtuiError as error:
            outcome = PostOutcome(Outcome.FAILED, message=error.message, ambiguous=True)
        return await self._apply(job, outcome, requests=1)

    async def _notify(self, job: Job) -> SendResult:
        """Only tell the blog about the reply published at `remote_url` (no SENDING: sending
        a notice twice publishes nothing twice)."""
        item = job.item = replace(job.item, attempts=job.item.attempts + 1)
        self.store.update_reply(item.draft_id, attempts=item.attempts)
        choose = lambda: self.poster_for(job.draft, job.article)  # noqa: E731
        outcome = await notify_again(choose, self.client, reply_request(job), item.remote_url)
        return self._stored(job, outcome, None)

    async def _apply(self, job: Job, outcome: PostOutcome, requests: int) -> SendResult:
        state, message = outcome.state, outcome.message
        if outcome.stored and outcome.remote_id:
            result = self._stored(job, outcome, None)
        elif outcome.stored or state is Outcome.DUPLICATE:
            duplicate = ReplyState.DUPLICATE
            result = await self._look(job, duplicate) or self._retry(job, duplicate, message)
        elif state is Outcome.FLOOD:
            delay = max(outcome.retry_after or 0.0, self.flood_delay)
            result = self._retry(job, ReplyState.QUEUED, message or "posting too quickly", delay)
        elif state is Outcome.UNAVAILABLE and outcome.ambiguous:  # a redirect: look first
            lookup = await self._lookup(job)
            found = None if isinstance(lookup, str) else lookup.found
            stored = self._stored(job, outcome_of(found), found) if found else None
            result = stored or self._refused(job, outcome)
        elif state is Outcome.FAILED:
            keep = ReplyState.UNSURE if outcome.ambiguous else ReplyState.QUEUED
            delay = backoff(job.item.attempts, outcome.retry_after)
            result = self._retry(job, keep, message, delay)
        else:
            result = self._refused(job, outcome)
        return replace(result, requests=requests)

    def _refused(self, job: Job, outcome: PostOutcome) -> SendResult:
        """closed / rejected / unavailable: the draft is kept (editable again)."""
        unavailable = outcome.state is Outcome.UNAVAILABLE
        state = ReplyState.FAILED if unavailable else ReplyState(outcome.state)
        if state is ReplyState.CLOSED and job.article is not None:
            self.store.set_comments_open(job.article.id, False)
        failed = state is ReplyState.FAILED
        self._mark_draft(job.draft, DraftState.FAILED if failed else DraftState.REJECTED)
        return self._set(job.item, state, outcome.message or state)

    def _stored(self, job: Job, outcome: PostOutcome, found: CommentData | None) -> SendResult:
        """The server has it: record it, put it into the thread as mine, archive the draft."""
        item, state = job.item, ReplyState(outcome.state)
        if owes_notice(outcome):  # on the user's site; only the notice is retried
            return self._retry(job, ReplyState.UNNOTIFIED, outcome.message,
                               remote_id=outcome.remote_id,
                               remote_url=outcome.remote_url)  # fmt: skip
        url = outcome.remote_url or (found.link if found else "")
        self.store.update_reply(item.draft_id, state=state, remote_id=outcome.remote_id,
                                remote_url=url, last_error="", next_attempt=None)  # fmt: skip
        if job.article is not None:
            comment = found or mine(job, outcome.remote_id, url, held=state is ReplyState.HELD)
            self.store.add_comment(job.article.id, comment, source=job.draft.source)
            self.store.mark_mine(job.article.id, comment.key, source=job.draft.source)
        message = outcome.message
        try:
            self.drafts.archive(item.draft_id, outcome.remote_id, url)
        except DraftError as error:
            message = f"posted; the draft could not be archived: {error.message}"
        return SendResult(item.draft_id, state, message, outcome.remote_id, url)

    def _retry(self, job: Job, state: ReplyState, message: str, delay: float | None = None,
               remote_id: str = "", remote_url: str = "") -> SendResult:  # fmt: skip
        """Try again later; `remote_*`: where the reply is published already (unnotified)."""
        wait = backoff(job.item.attempts) if delay is None else delay
        when, found = job.now + wait, {"remote_id": remote_id, "remote_url": remote_url}
        self.store.update_reply(job.item.draft_id, state=state, last_error=message,
                                next_attempt=when, **(found if remote_url else {}))  # fmt: skip
        return SendResult(job.item.draft_id, state, message, remote_id, remote_url, when)

    def _set(self, item: OutboxItem, state: ReplyState, message: str) -> SendResult:
        self.store.update_reply(item.draft_id, state=state, last_error=message, next_attempt=None)
        return SendResult(item.draft_id, state, message)

    def _mark_draft(self, draft: Draft, state: DraftState) -> None:
        try:
            self.drafts.save(replace(draft, state=state))
        except DraftError:
            pass


def _unverified(lookup: Lookup) -> str:
    """Why a reply not found may be on the blog all the same."""
    if lookup.why:
        return lookup.why
    if lookup.provider in VERIFYING:
        return "its thread is too long to read whole, so blogtui cannot tell"
    return "its comment feed lists only the latest comments, so blogtui cannot tell"
