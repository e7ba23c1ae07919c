"""What the UI says about sending: the send confirmation and the toast per reply.

Shared by the reply editor, the drafts screen, the main screen and the outbox service
(ui/services/outbox.py). States are worded by core.posting.state (`ReplyState.label`,
`state_line`), as in the CLI. Everything here is plain text; callers show it with
`markup=False` or `display_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from blogtui.core.config import Identity
from blogtui.core.posting.state import ReplyState, clock

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from blogtui.core.drafts.store import Draft
    from blogtui.core.posting import SendResult


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


def toast(report: SentReply) -> tuple[str, SeverityLevel]:
    """(text, severity) of the notification about one sent (or not sent) reply."""
    result, title = report.result, f"“{report.title}”"
    if result.state is ReplyState.POSTED:
        return f"Reply posted on {title}.", "information"
    if result.state is ReplyState.HELD:
        return f"Reply posted on {title}; it is awaiting moderation.", "information"
    if result.state.pending:
        reason = result.message or "not sent yet"
        when = f" Retrying at {clock(result.next_attempt)}." if result.next_attempt else ""
        return f"Reply to {title} not sent yet: {reason}.{when}", "warning"
    if result.state is ReplyState.REJECTED:
        text = f"The blog refused the reply to {title}: {result.message or 'no reason given'}."
        return text + " It is kept in your drafts (D) to edit and send again.", "error"
    reason = result.message or result.state.label
    return f"Cannot post the reply to {title}: {reason}. It is kept in your drafts (D).", "error"
