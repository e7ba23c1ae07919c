"""What the UI says about sending: the send confirmation, outbox states, the toast per reply.

Shared by the reply editor, the drafts screen and the outbox mixin (ui/screens/sending.py).
Everything here is plain text; callers show it with `markup=False` or `display_text`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from blogtui.core.config import Config, Identity

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from blogtui.core.drafts.store import Draft
    from blogtui.core.posting import SendResult

SHOWN = {
    "queued": "queued",
    "sending": "sending",
    "unsure": "may have been sent; checking before retrying",
    "duplicate": "the blog already has it; looking up its address",
    "posted": "posted",
    "held": "posted, awaiting moderation",
    "closed": "comments are closed",
    "rejected": "rejected",
    "failed": "cannot be posted from blogtui",
}
"""Each outbox state as the UI names it."""
PENDING = frozenset({"queued", "sending", "unsure", "duplicate"})
"""States in which the outbox still works on a reply (its draft must not change)."""
BROWSER_STATES = frozenset({"closed", "failed"})
"""States where posting from blogtui is impossible: the browser is offered instead."""


@dataclass(frozen=True)
class SendRequest:
    """The user confirmed sending `draft` (saved, its edit lock given back)."""

    draft: Draft
    article_id: int | None = None


@dataclass(frozen=True)
class SentReply:
    """One reply's result of a sending pass, with what the UI needs to talk about it."""

    result: SendResult
    article_id: int | None
    title: str
    article_url: str


def reply_identity(config: Config | None, draft: Draft) -> Identity:
    """Who `draft` goes out as: its own identity, else the configured one for its blog."""
    if draft.identity.complete:
        return draft.identity
    return config.identity_for(draft.blog) if config is not None else draft.identity


def send_summary(draft: Draft, identity: Identity) -> str:
    """The send confirmation: blog, article, parent author, identity and the text's start."""
    parent = (draft.parent_author or "a comment") if draft.parent_id else "the post itself"
    who = f"{identity.name} <{identity.email}>" if identity.email else identity.name
    text = draft.text.strip()
    lines = [
        f"Blog: {draft.blog or urlsplit(draft.article_url).hostname or '(unknown)'}",
        f"Article: {draft.article_title or draft.article_url}",
        f"In reply to: {parent}",
        f"From: {who}" + (f" · {identity.website}" if identity.website else ""),
        "",
        text[:300] + ("…" if len(text) > 300 else ""),
    ]
    return "\n".join(lines)


def comments_url(article_url: str) -> str:
    """The article's comment section (its URL with `#comments`)."""
    return urlunsplit(urlsplit(article_url.strip())._replace(fragment="comments"))


def clock(moment: float | None) -> str:
    """HH:MM:SS of a timestamp ("" for None)."""
    return time.strftime("%H:%M:%S", time.localtime(moment)) if moment else ""


def state_line(state: str, message: str = "", next_attempt: float | None = None) -> str:
    """One outbox state with its reason and retry time, e.g. "queued: too quickly · retry 12:03"."""
    text = SHOWN.get(state, state)
    if message and state not in ("posted", "sending"):
        text += f": {message}"
    if state in PENDING and next_attempt:
        text += f" · retry {clock(next_attempt)}"
    return text


def toast(report: SentReply) -> tuple[str, SeverityLevel]:
    """(text, severity) of the notification about one sent (or not sent) reply."""
    result, title = report.result, f"“{report.title}”"
    if result.state == "posted":
        return f"Reply posted on {title}.", "information"
    if result.state == "held":
        return f"Reply posted on {title}; it is awaiting moderation.", "information"
    if result.state in PENDING:
        reason = result.message or "not sent yet"
        when = f" Retrying at {clock(result.next_attempt)}." if result.next_attempt else ""
        return f"Reply to {title} not sent yet: {reason}.{when}", "warning"
    if result.state == "rejected":
        text = f"The blog refused the reply to {title}: {result.message or 'no reason given'}."
        return text + " It is kept in your drafts (D) to edit and send again.", "error"
    reason = result.message or SHOWN.get(result.state, result.state)
    return f"Cannot post the reply to {title}: {reason}. It is kept in your drafts (D).", "error"
