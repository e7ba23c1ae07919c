"""Posting replies: posters for each kind of blog, credentials, and the outbox that sends.

The UI queues a saved draft with `queue_reply(store, drafts, draft, article_id)` and calls
`send_pending(store, drafts, client)` (or `send_sync` from a thread without a loop) now and
whenever `next_due(store)` comes; each `SendResult` says what became of one reply.
"""

from __future__ import annotations

from blogtui.core.posting.base import Poster, PostOutcome, ReplyRequest
from blogtui.core.posting.credentials import Credential, CredentialError, CredentialStore, Secret
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.isso import IssoPoster
from blogtui.core.posting.outbox import (
    OutboxBusy,
    SendResult,
    next_due,
    queue_reply,
    send_pending,
    send_sync,
)
from blogtui.core.posting.rest import RestPoster
from blogtui.core.posting.select import choose_poster, poster_chooser

__all__ = [
    "Credential",
    "CredentialError",
    "CredentialStore",
    "FormPoster",
    "IssoPoster",
    "OutboxBusy",
    "PostOutcome",
    "Poster",
    "ReplyRequest",
    "RestPoster",
    "Secret",
    "SendResult",
    "choose_poster",
    "next_due",
    "poster_chooser",
    "queue_reply",
    "send_pending",
    "send_sync",
]
