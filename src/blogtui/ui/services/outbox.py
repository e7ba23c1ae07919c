"""Sending replies: an app-lifetime service the App owns; screens listen to its `changed` signal.

`queue` puts a saved draft into the outbox and starts a sending pass; `send` runs one pass in a
thread worker (never two at once: asked while one runs, another follows it). A timer re-runs it
when the next retry is due. Each reply's fate is a toast. Screens hear of every change through
`changed` (the main screen shows a posted reply in its thread and offers the browser where
blogtui cannot post; the drafts screen reloads); nothing looks for screens.

Workers only post messages (to the app, which hands them to `queued`, `sending` and `sent`);
those methods own the service's state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Literal

from textual.message import Message
from textual.signal import Signal

from blogtui.core.text.sentence import end_sentence, quoted
from blogtui.ui.display import display
from blogtui.ui.messages import WorkFailed
from blogtui.ui.screens.outbox_text import SentReply, toast

if TYPE_CHECKING:
    from pathlib import Path

    import httpx
    from textual.app import App
    from textual.timer import Timer

    from blogtui.core.config import Config
    from blogtui.core.drafts.store import Draft, DraftStore
    from blogtui.core.posting import SendResult
    from blogtui.core.store import Store

BUSY_RETRY = 30.0
"""Seconds before trying again when another blogtui holds the outbox."""
LONGEST_WAIT = 3600.0
"""The retry timer never waits longer than this (the due time is read again then)."""


@dataclass(frozen=True)
class OutboxChange:
    """What listeners hear: a reply was queued, a pass started, or a pass ended (`reports`)."""

    kind: Literal["queued", "sending", "sent"]
    reports: tuple[SentReply, ...] = ()


class Outbox:
    """The outbox runner, its toasts and its retry timer."""

    @dataclass
    class Queued(Message):
        """A draft was put into the outbox (or could not be: `error`)."""

        draft_id: str
        title: str
        error: str = ""

    @dataclass
    class Sending(Message):
        """A sending pass starts with these many due replies."""

        count: int

    @dataclass
    class Sent(Message):
        """A pass ended: one report per reply, when the next is due, or why it did not run."""

        reports: list[SentReply] = field(default_factory=list)
        due: float | None = None
        busy: str = ""
        """Set when another blogtui held the outbox (nothing was sent)."""

    def __init__(
        self,
        app: App[None],
        store: Store,
        drafts: DraftStore,
        *,
        config: Callable[[], Config],
        make_client: Callable[[], httpx.AsyncClient],
        secrets_dir: Path,
        flood_wait: float | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.drafts = drafts
        self.config = config
        """The settings as they are now (the app may replace them)."""
        self.make_client = make_client
        self.secrets_dir = secrets_dir
        self.flood_wait = flood_wait
        """Seconds before resending after "posting too quickly"; None: the core's FLOOD_DELAY."""
        self.changed: Signal[OutboxChange] = Signal(app, "outbox-changed")
        """Published on the app's loop after every change."""
        self._running = False
        self._again = False
        self.account_names: dict[tuple[str, str], str] = {}
        """(site, user) -> the name the blog shows for that account (ui/screens/send_confirm)."""
        self._waiting = False
        """The next pass sends what waits for its retry time too (the user asked)."""
        self._timer: Timer | None = None

    # -- queueing ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a sending pass is under way."""
        return self._running

    def queue(self, draft: Draft, article_id: int | None = None) -> None:
        """Put the saved `draft` into the outbox, then send."""
        self.app.run_worker(
            partial(self._queue, draft, article_id),
            thread=True, exit_on_error=False, group="queue",
        )  # fmt: skip

    def _queue(self, draft: Draft, article_id: int | None) -> None:
        from blogtui.core.drafts.store import DraftError
        from blogtui.core.posting import queue_reply
        from blogtui.core.posting.state import ReplyState

        store = self.store
        title = draft.article_title or draft.article_url
        if article_id is None:
            article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
        try:
            before = store.outbox_item(draft.id)
            queue_reply(store, self.drafts, draft, article_id)
            if before is not None and before.state is ReplyState.CLOSED:  # may be open again
                store.update_reply(
                    draft.id, state=ReplyState.QUEUED, last_error="", next_attempt=None
                )
        except DraftError as error:
            self.app.post_message(self.Queued(draft.id, title, error.message))
            return
        self.app.post_message(self.Queued(draft.id, title))

    def queued(self, message: Queued) -> None:
        """Say whether the draft was queued; send it."""
        title = quoted(display(message.title, limit=120))
        if message.error:
            why = end_sentence(display(message.error, limit=300))
            text = f"The reply to {title} was not queued: {why}"
            self.app.notify(text, title="Not queued", severity="error", markup=False)
            return
        self.app.notify(f"Reply to {title} queued for sending.", markup=False)
        self.changed.publish(OutboxChange("queued"))
        self.send()

    # -- sending -----------------------------------------------------------------------------

    def send(self, now: bool = False) -> None:
        """Start a sending pass now, or right after the one running. `now`: the user asked to
        send what waits for its retry time too ("unconfirmed" replies never: they need
        `resend.confirm_resend` first)."""
        self._waiting = self._waiting or now
        if self._running:
            self._again = True
            return
        self._running = True
        waiting, self._waiting = self._waiting, False
        self.app.run_worker(
            partial(self._send_pass, waiting),
            thread=True, exclusive=True, exit_on_error=False, group="outbox",
        )  # fmt: skip

    def _send_pass(self, waiting: bool = False) -> None:
        """Send every due reply (core's send_pending, on a loop of this thread's own); with
        `waiting`, also those waiting for their retry time."""
        from blogtui.core.posting import OutboxBusy, next_due
        from blogtui.core.posting.outbox import DUE_STATES

        store = self.store
        reports: list[SentReply] = []
        busy = ""
        try:
            now = time.time()
            due = [i for i in store.outbox(DUE_STATES) if waiting or (i.next_attempt or 0.0) <= now]
            if due:
                self.app.post_message(self.Sending(len(due)))
                reports = [self._report(r) for r in asyncio.run(self._send_all(waiting))]
        except OutboxBusy as error:
            busy = error.message
        except Exception as error:  # noqa: BLE001 - shown; the outbox keeps every reply
            text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.app.post_message(WorkFailed("Sending failed", text))
        finally:
            try:
                due_at = time.time() + BUSY_RETRY if busy else next_due(store)
            except Exception:  # noqa: BLE001
                due_at = time.time() + BUSY_RETRY
            self.app.post_message(self.Sent(reports, due_at, busy))

    async def _send_all(self, waiting: bool = False) -> list[SendResult]:
        from blogtui.core.posting import poster_chooser, send_pending
        from blogtui.core.posting.identity import reply_identity
        from blogtui.core.posting.outbox import FLOOD_DELAY

        config = self.config()
        flood_wait = FLOOD_DELAY if self.flood_wait is None else self.flood_wait
        async with self.make_client() as client:
            return await send_pending(
                self.store, self.drafts, client,
                identity_for=partial(reply_identity, config),
                poster_for=poster_chooser(self.store, self.secrets_dir), flood_delay=flood_wait,
                include_waiting=waiting,
            )  # fmt: skip

    def _report(self, result: SendResult) -> SentReply:
        """A result with its article (id, title, URL) for the toast and the thread reload."""
        from blogtui.core.drafts.store import DraftError

        item = self.store.outbox_item(result.draft_id)
        draft: Draft | None = None
        for sent in (False, True):
            try:
                draft = self.drafts.load(result.draft_id, sent=sent)
                break
            except DraftError:
                continue
        title = (draft.article_title or draft.article_url) if draft else result.draft_id
        url = draft.article_url if draft else ""
        return SentReply(result, item.article_id if item else None, title, url)

    def sending(self, message: Sending) -> None:
        """A pass started: say how many replies go out."""
        count = message.count
        self.app.notify(f"Sending {count} repl{'y' if count == 1 else 'ies'}…", markup=False)
        self.changed.publish(OutboxChange("sending"))

    def sent(self, message: Sent) -> None:
        """A pass ended: a toast per reply, the retry timer, a pass asked for meanwhile."""
        self._running = False
        for report in message.reports:
            text, severity = toast(report)
            self.app.notify(display(text, limit=600), severity=severity, markup=False)
        if message.busy:
            text = "Another blogtui is sending replies; trying again in a moment."
            self.app.notify(text, severity="warning", markup=False)
        self._schedule(message.due)
        self.changed.publish(OutboxChange("sent", tuple(message.reports)))
        if self._again:
            self._again = False
            self.send()

    def _schedule(self, due: float | None) -> None:
        """Re-run the sender when the next reply is due (one timer at a time)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if due is not None:
            wait = min(max(due - time.time() + 0.1, 1.0), LONGEST_WAIT)
            self._timer = self.app.set_timer(wait, self.send, name="outbox-retry")
