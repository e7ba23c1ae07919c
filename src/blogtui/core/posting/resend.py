"""The user's word on a reply in the outbox: send it (again) now.

The outbox never sends an "unconfirmed" reply again by itself (it may be on the blog already);
the CLI's `blogtui send --again DRAFT_ID` and the TUI call `confirm_resend` when the user says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from blogtui.core.drafts.file import DraftState
from blogtui.core.drafts.store import DraftStore
from blogtui.core.errors import BlogtuiError
from blogtui.core.models import OutboxItem
from blogtui.core.posting.state import ReplyState

if TYPE_CHECKING:
    from blogtui.core.store import Store

RESENDABLE = (ReplyState.UNCONFIRMED, ReplyState.UNSURE, ReplyState.QUEUED, ReplyState.FAILED,
              ReplyState.REJECTED, ReplyState.CLOSED)  # fmt: skip
"""States `confirm_resend` sends again from: the reply is not known to be on the blog."""


class NotResendable(BlogtuiError):
    """The reply asked to be sent again is not in the outbox, or is on the blog already."""

    title = "Not sent again"


def asking_user(store: Store, drafts: DraftStore) -> list[OutboxItem]:
    """Replies waiting on the user's word ("unconfirmed"), oldest first; one whose draft was
    deleted meanwhile is not asked about (deleting it was the answer)."""
    waiting = store.outbox([ReplyState.UNCONFIRMED])
    return [item for item in waiting if drafts.path_of(item.draft_id).exists()]


def confirm_resend(store: Store, drafts: DraftStore, draft_id: str) -> OutboxItem:
    """The user's word: send this reply (again) on the next pass, without looking first.

    The answer to "unconfirmed" (it may be on the blog already), and a way to send again what
    failed or waits for its retry time. Raises NotResendable for a reply not in the outbox or
    known to be on the blog (posted, held, duplicate, being sent), DraftError without its draft.
    """
    item = store.outbox_item(draft_id)
    if item is None:
        raise NotResendable(f"{draft_id} is not in the outbox")
    if item.state not in RESENDABLE:
        raise NotResendable(f"{draft_id} is not sent again: {item.state.label}")
    draft = drafts.load(draft_id)
    if draft.state is not DraftState.QUEUED:
        drafts.save(replace(draft, state=DraftState.QUEUED))
    store.update_reply(draft_id, state=ReplyState.QUEUED, last_error="", next_attempt=None)
    return replace(item, state=ReplyState.QUEUED, last_error="", next_attempt=None)
