"""Sending replies and watching for answers, on the main screen.

`queue_draft` puts a saved draft into the outbox and starts a sending pass; `send_outbox` runs
one pass in a thread worker (never two at once: asked while one runs, another follows it).
A timer re-runs it when the next retry is due, and pending replies go out when the app starts.
Each reply's fate is a toast; a posted one shows in the open thread at once, marked as yours.
Where a blog takes no replies from blogtui, the article's comments can be opened in the browser.
After every refresh, new replies to the user's comments are announced (`W` lists them).
A mixin of MainScreen, kept apart so each file stays readable.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from textual import events, on, work
from textual.timer import Timer

from blogtui.core.config import Identity
from blogtui.core.models import Comment
from blogtui.core.watch import replies_to_me
from blogtui.ui import messages
from blogtui.ui.browser import RefusedLink, checked_url
from blogtui.ui.display import display
from blogtui.ui.screens.outbox_text import BROWSER_STATES, SentReply, comments_url, toast

if TYPE_CHECKING:
    from blogtui.core.drafts.store import Draft
    from blogtui.core.posting import SendResult
    from blogtui.ui.screens.main import MainScreen

    _Base = MainScreen
else:
    # A Screen, so Textual's metaclass registers the @on handlers defined here.
    from textual.screen import Screen

    _Base = Screen

FLOOD_WAIT: float | None = None
"""Seconds before resending after "posting too quickly" (tests shorten it); None: the core's
FLOOD_DELAY (core.posting is imported on first use: it pulls in httpx)."""
BUSY_RETRY = 30.0
"""Seconds before trying again when another blogtui holds the outbox."""
LONGEST_WAIT = 3600.0
"""The retry timer never waits longer than this (the due time is read again then)."""


def identity_chooser(app: Any) -> Any:
    """The draft's identity, or the configured one for its blog when the draft has none."""

    def identity_for(draft: Draft) -> Identity:
        if draft.identity.complete:
            return draft.identity
        return app.config.identity_for(urlsplit(draft.article_url).hostname or draft.blog)

    return identity_for


class Sending(_Base):
    """The outbox runner, its toasts and timer, the browser offer and the replies watch."""

    _outbox_running = False
    _outbox_again = False
    _outbox_timer: Timer | None = None
    _select_comment: tuple[int, str] | None = None
    """(article id, comment key) to put the thread cursor on once that thread shows."""
    _told_replies: frozenset[int] = frozenset()
    """Replies already announced in this session."""

    @on(events.Mount)
    def _send_on_start(self) -> None:
        self.send_outbox()

    # -- queueing ----------------------------------------------------------------------------

    def queue_draft(self, draft: Draft, article_id: int | None = None) -> None:
        """Put the saved `draft` into the outbox, then send."""
        self._queue(draft, article_id)

    @work(thread=True, exit_on_error=False, group="queue")
    def _queue(self, draft: Draft, article_id: int | None) -> None:
        from blogtui.core.drafts.store import DraftError
        from blogtui.core.posting import queue_reply

        store = self.blogtui.store
        title = draft.article_title or draft.article_url
        if article_id is None:
            article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
        try:
            before = store.outbox_item(draft.id)
            queue_reply(store, self.drafts, draft, article_id)
            if before is not None and before.state == "closed":  # comments may be open again
                store.update_reply(draft.id, state="queued", last_error="", next_attempt=None)
        except DraftError as error:
            self.post_message(messages.ReplyQueued(draft.id, title, error.message))
            return
        self.post_message(messages.ReplyQueued(draft.id, title))

    @on(messages.ReplyQueued)
    def _reply_queued(self, message: messages.ReplyQueued) -> None:
        title = display(message.title, limit=120)
        if message.error:
            text = f"The reply to “{title}” was not queued: {display(message.error, limit=300)}"
            self.notify(text, title="Not queued", severity="error", markup=False)
            return
        self.notify(f"Reply to “{title}” queued for sending.", markup=False)
        self.mark_drafts()
        self.send_outbox()

    # -- sending -----------------------------------------------------------------------------

    def send_outbox(self) -> None:
        """Start a sending pass now, or right after the one running."""
        if self._outbox_running:
            self._outbox_again = True
            return
        self._outbox_running = True
        self._send_pass()

    @work(thread=True, exclusive=True, exit_on_error=False, group="outbox")
    def _send_pass(self) -> None:
        """Send every due reply (core's send_pending, on a loop of this thread's own)."""
        from blogtui.core.posting import OutboxBusy, next_due
        from blogtui.core.posting.outbox import DUE_STATES

        app, store = self.blogtui, self.blogtui.store
        reports: list[SentReply] = []
        busy = ""
        try:
            now = time.time()
            due = [i for i in store.outbox(DUE_STATES) if (i.next_attempt or 0.0) <= now]
            if due:
                self.post_message(messages.OutboxSending(len(due)))
                reports = [self._report(r) for r in asyncio.run(self._send_all(app, store))]
        except OutboxBusy as error:
            busy = error.message
        except Exception as error:  # noqa: BLE001 - shown; the outbox keeps every reply
            text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.post_message(messages.WorkFailed("Sending failed", text))
        finally:
            try:
                due_at = time.time() + BUSY_RETRY if busy else next_due(store)
            except Exception:  # noqa: BLE001
                due_at = time.time() + BUSY_RETRY
            self.post_message(messages.OutboxSent(reports, due_at, busy))

    async def _send_all(self, app: Any, store: Any) -> list[SendResult]:
        from blogtui.core.posting import poster_chooser, send_pending
        from blogtui.core.posting.outbox import FLOOD_DELAY

        flood_wait = FLOOD_DELAY if FLOOD_WAIT is None else FLOOD_WAIT
        async with app.make_client() as client:
            return await send_pending(
                store, self.drafts, client, identity_for=identity_chooser(app),
                poster_for=poster_chooser(store, app.places.secrets_dir), flood_delay=flood_wait,
            )  # fmt: skip

    def _report(self, result: SendResult) -> SentReply:
        """A result with its article (id, title, URL) for the toast and the thread reload."""
        from blogtui.core.drafts.store import DraftError

        item = self.blogtui.store.outbox_item(result.draft_id)
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

    @on(messages.OutboxSending)
    def _outbox_sending(self, message: messages.OutboxSending) -> None:
        count = message.count
        self.notify(f"Sending {count} repl{'y' if count == 1 else 'ies'}…", markup=False)
        self._reload_drafts_screen()

    @on(messages.OutboxSent)
    def _outbox_sent(self, message: messages.OutboxSent) -> None:
        self._outbox_running = False
        offered = False
        for report in message.reports:
            text, severity = toast(report)
            self.notify(display(text, limit=600), severity=severity, markup=False)  # type: ignore[arg-type]
            result = report.result
            if result.state in ("posted", "held") and report.article_id is not None:
                self._show_posted(report.article_id, result.remote_id)
            elif result.state in BROWSER_STATES and not offered and report.article_url:
                offered = self.offer_browser(report.article_url, text)
        if message.busy:
            text = "Another blogtui is sending replies; trying again in a moment."
            self.notify(text, severity="warning", markup=False)
        self._schedule(message.due)
        self.mark_drafts()
        self._reload_drafts_screen()
        if self._outbox_again:
            self._outbox_again = False
            self.send_outbox()

    def _schedule(self, due: float | None) -> None:
        """Re-run the sender when the next reply is due (one timer at a time)."""
        if self._outbox_timer is not None:
            self._outbox_timer.stop()
            self._outbox_timer = None
        if due is not None:
            wait = min(max(due - time.time() + 0.1, 1.0), LONGEST_WAIT)
            self._outbox_timer = self.set_timer(wait, self.send_outbox, name="outbox-retry")

    def _reload_drafts_screen(self) -> None:
        from blogtui.ui.screens.drafts_screen import DraftsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, DraftsScreen):
                screen.reload()

    # -- the posted reply in its thread ------------------------------------------------------

    def _show_posted(self, article_id: int, key: str) -> None:
        """Reload the open article's thread from the store, cursor on the new reply."""
        article = self.reader.article
        if article is not None and article.id == article_id:
            self._select_comment = (article_id, key)
            self._stored_thread(article_id)
        self.article_list.refresh_rows([article_id])

    @work(thread=True, exit_on_error=False, group="outbox-thread")
    def _stored_thread(self, article_id: int) -> None:
        store = self.blogtui.store
        comments, state = store.comments_for(article_id), store.thread_state(article_id)
        self.post_message(messages.ThreadLoaded(article_id, comments, state, True))

    @on(messages.ThreadLoaded)
    def _thread_shown(self, message: messages.ThreadLoaded) -> None:
        """After Threads has shown it: select a wanted comment; check for replies to you."""
        wanted, article = self._select_comment, self.reader.article
        if wanted is not None and article is not None and wanted[0] == message.article_id:
            thread = self.reader.thread
            keys = [entry.comment.key for entry in thread.thread_layout.entries]
            if wanted[1] in keys:
                thread._move_to(keys.index(wanted[1]))  # noqa: SLF001 - no public "select"
                thread.focus()
            if message.refreshed:
                self._select_comment = None
        if message.refreshed:
            self.check_replies()

    # -- the browser instead -----------------------------------------------------------------

    def offer_browser(self, article_url: str, reason: str) -> bool:
        """Say plainly why blogtui cannot post, and offer the comments in the browser."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        try:
            safe = checked_url(comments_url(article_url))
        except RefusedLink as refusal:
            self.notify(str(refusal), title="Link refused", severity="error", markup=False)
            return False
        if self.app.screen is not self:
            return False  # not over the editor or a dialog: `b` on the drafts screen offers it
        question = f"{reason}\n\nComment in the web browser instead? This opens:\n{safe}"

        def answered(yes: object) -> None:
            if yes is True:
                self._open_browser(safe)

        dialog = ConfirmScreen("Cannot post from blogtui", question, yes="Open in browser")
        self.app.push_screen(dialog, answered)
        return True

    # -- replies to you ----------------------------------------------------------------------

    @on(messages.RefreshFinished)
    def _watch_after_refresh(self) -> None:
        self.check_replies(fetch=True)

    def check_replies(self, fetch: bool = False) -> None:
        """Look for unseen replies to your comments (`fetch`: reload their threads first)."""
        self._check_replies(fetch)

    @work(thread=True, exit_on_error=False, group="watch")
    def _check_replies(self, fetch: bool) -> None:
        from blogtui.ui.screens.replies_screen import refresh_watched

        store = self.blogtui.store
        if fetch:
            refresh_watched(self.blogtui)
        self.post_message(messages.RepliesChecked(replies_to_me(store)))

    @on(messages.RepliesChecked)
    def _replies_checked(self, message: messages.RepliesChecked) -> None:
        fresh = [c for c in message.replies if c.id not in self._told_replies]
        self._told_replies = self._told_replies | {c.id for c in message.replies}
        if fresh:
            self.notify(self._replies_text(fresh), title="Replies to you", markup=False)

    @staticmethod
    def _replies_text(fresh: list[Comment]) -> str:
        names = sorted({display(c.author, limit=40) or "Anonymous" for c in fresh})
        count = len(fresh)
        who = ", ".join(names[:3]) + (" and others" if len(names) > 3 else "")
        return f"{count} new repl{'y' if count == 1 else 'ies'} to you from {who}. Press W."

    def action_replies(self) -> None:
        """List replies to your comments; enter opens one in its thread."""
        from blogtui.ui.screens.replies_screen import RepliesScreen

        def chosen(comment: Comment | None) -> None:
            if comment is not None:
                self._select_comment = (comment.article_id, comment.key)
                self.open_article(comment.article_id)
                self.focus_pane("reader")

        self.app.push_screen(RepliesScreen(), chosen)

    def action_store_password(self) -> None:
        """Store an Application Password for the blog of the open (or highlighted) article."""
        from blogtui.ui.screens.credentials import CredentialsScreen

        article = self.reader.article
        site = article.link if article is not None else ""
        if not site and self.article_list.cursor_row is not None:
            site = getattr(self.article_list.cursor_row, "link", "")
        self.app.push_screen(CredentialsScreen(self.blogtui.places.secrets_dir, site))
