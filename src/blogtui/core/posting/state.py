"""The one reply-state type: where a queued reply stands, what that means, how it is worded.

The values are the strings stored in the outbox table (`OutboxItem.state`); the CLI and the TUI
both word a state with `ReplyState.label` and `state_line`.
"""

from __future__ import annotations

import time
from enum import StrEnum


class ReplyState(StrEnum):
    """Where one reply of the outbox stands (see core/posting/outbox.py for the transitions)."""

    QUEUED = "queued"
    """Waiting to be sent (again) once its next attempt has come."""
    SENDING = "sending"
    """A request is (or was, if blogtui died) under way."""
    UNSURE = "unsure"
    """The request may have reached the blog: it is looked for before any resend."""
    DUPLICATE = "duplicate"
    """The blog says it has the reply already; its address is looked up, it is never resent."""
    UNCONFIRMED = "unconfirmed"
    """It may be on the blog (no answer came, and the blog cannot show whether it arrived): it
    is never sent again unless the user asks (`outbox.confirm_resend`)."""
    UNNOTIFIED = "unnotified"
    """Published on the user's own site (its address is `remote_url`), but telling the blog
    failed (a Webmention): only that notice is retried, the reply is never published again."""
    POSTED = "posted"
    """On the blog."""
    HELD = "held"
    """On the blog, awaiting moderation."""
    CLOSED = "closed"
    """The post takes no comments."""
    REJECTED = "rejected"
    """The blog refused the reply."""
    FAILED = "failed"
    """The blog offers no way to post it from blogtui."""

    @property
    def due(self) -> bool:
        """The outbox acts on a reply in this state by itself (sends it, or looks for it)."""
        return self in _DUE

    @property
    def pending(self) -> bool:
        """The reply is in the outbox's hands or waits on the user's word: its draft must not
        change."""
        return self in _DUE or self is ReplyState.UNCONFIRMED

    @property
    def asks_user(self) -> bool:
        """Only the user can move the reply on: send it again (`outbox.confirm_resend`) after
        checking the article in the browser."""
        return self is ReplyState.UNCONFIRMED

    @property
    def final(self) -> bool:
        """Nothing more happens to the reply unless the user queues it again."""
        return not self.pending

    @property
    def posted(self) -> bool:
        """The reply is on the blog (possibly awaiting moderation)."""
        return self in (ReplyState.POSTED, ReplyState.HELD)

    @property
    def needs_browser(self) -> bool:
        """Posting from blogtui is impossible: the browser is offered instead."""
        return self in (ReplyState.CLOSED, ReplyState.FAILED)

    @property
    def label(self) -> str:
        """How the CLI and the TUI name this state."""
        return _LABELS[self]


_DUE = frozenset({ReplyState.QUEUED, ReplyState.SENDING, ReplyState.UNSURE, ReplyState.DUPLICATE,
                  ReplyState.UNNOTIFIED})  # fmt: skip
_LABELS = {
    ReplyState.QUEUED: "queued",
    ReplyState.SENDING: "sending",
    ReplyState.UNSURE: "may have been sent; checking before retrying",
    ReplyState.DUPLICATE: "the blog already has it; looking up its address",
    ReplyState.UNCONFIRMED: "may already be on the blog; not sent again unless you ask",
    ReplyState.UNNOTIFIED: "published on your site; notifying the blog failed, will retry",
    ReplyState.POSTED: "posted",
    ReplyState.HELD: "posted, awaiting moderation",
    ReplyState.CLOSED: "comments are closed",
    ReplyState.REJECTED: "rejected",
    ReplyState.FAILED: "cannot be posted from blogtui",
}


def clock(moment: float | None) -> str:
    """HH:MM:SS of a timestamp ("" for None)."""
    return time.strftime("%H:%M:%S", time.localtime(moment)) if moment else ""


def state_line(
    state: ReplyState | str, message: str = "", next_attempt: float | None = None
) -> str:
    """One outbox state with its reason and retry time, e.g. "queued: too quickly · retry 12:03:00".

    An unknown state string (a newer blogtui's database) is shown as it is."""
    try:
        known: ReplyState | None = ReplyState(state)
    except ValueError:
        known = None
    text = known.label if known is not None else str(state)
    if message and known not in (ReplyState.POSTED, ReplyState.SENDING):
        text += f": {message}"
    if known is not None and known.due and next_attempt:
        text += f" · retry {clock(next_attempt)}"
    return text


def draft_state_label(draft_state: str, reply_state: ReplyState | str | None) -> str:
    """How draft lists (`blogtui drafts`, the TUI's `D`) name a draft's state: once its reply is
    in the outbox, the outbox state's label (one wording with `blogtui send`), else the draft's
    own state ("draft")."""
    if reply_state is None:
        return str(draft_state)
    try:
        return ReplyState(reply_state).label
    except ValueError:
        return str(reply_state)
