"""Posting replies: posters for each kind of blog, credentials, and the outbox that sends.

The UI queues a saved draft with `queue_reply(store, drafts, draft, article_id)` and calls
`send_pending(store, drafts, client)` (or `send_sync` from a thread without a loop) now and
whenever `next_due(store)` comes; each `SendResult` says what became of one reply. A reply that
may be on the blog already ("unconfirmed") is sent again only after
`confirm_resend(store, drafts, draft_id)`, the user's word.

The names below are imported on first use: `blogtui.core.posting.state` and `.identity` (what
screens need to word and confirm a reply) must not pull in httpx and the posters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blogtui.core.lazy import lazy_names

if TYPE_CHECKING:
    from blogtui.core.posting.base import Poster, PostOutcome, ReplyRequest
    from blogtui.core.posting.credentials import (
        Credential,
        CredentialError,
        CredentialStore,
        Secret,
    )
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
    from blogtui.core.posting.resend import NotResendable, confirm_resend
    from blogtui.core.posting.rest import RestPoster
    from blogtui.core.posting.select import choose_poster, poster_chooser

_WHERE = {
    "Poster": "base",
    "PostOutcome": "base",
    "ReplyRequest": "base",
    "Credential": "credentials",
    "CredentialError": "credentials",
    "CredentialStore": "credentials",
    "Secret": "credentials",
    "FormPoster": "form",
    "IssoPoster": "isso",
    "OutboxBusy": "outbox",
    "SendResult": "outbox",
    "next_due": "outbox",
    "queue_reply": "outbox",
    "send_pending": "outbox",
    "send_sync": "outbox",
    "NotResendable": "resend",
    "confirm_resend": "resend",
    "RestPoster": "rest",
    "choose_poster": "select",
    "poster_chooser": "select",
}

__getattr__ = lazy_names(__name__, _WHERE)


__all__ = [
    "Credential",
    "CredentialError",
    "CredentialStore",
    "FormPoster",
    "IssoPoster",
    "NotResendable",
    "OutboxBusy",
    "PostOutcome",
    "Poster",
    "ReplyRequest",
    "RestPoster",
    "Secret",
    "SendResult",
    "choose_poster",
    "confirm_resend",
    "next_due",
    "poster_chooser",
    "queue_reply",
    "send_pending",
    "send_sync",
]
