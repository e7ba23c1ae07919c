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
from blogtui.core.text.sentence import end_sentence, quoted

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


@dataclass(frozen=True)
class Account:
    """The blog account a reply is posted as (a stored WordPress Application Password)."""

    user: str
    name: str
    """The name WordPress shows on its comments ("" when it could not be asked)."""


def send_summary(
    draft: Draft, identity: Identity, account: Account | None = None, sender: str = ""
) -> str:
    """The send confirmation: blog, article, parent author, sender and the text's start. Posted
    as a blog `account`, the sender is the account's name as the blog shows it; posted with the
    user's key for the thread's service, it is that account (`sender`: "your GitHub account",
    `core.posting.as_account.reply_account`)."""
    parent = (draft.parent_author or "a comment") if draft.parent_id else "the post itself"
    who = f"{identity.name} <{identity.email}>" if identity.email else identity.name
    if sender:
        who = sender
    elif account is not None:
        named = account.name or "(its name could not be read)"
        who = f"{named} · your account “{account.user}” on this blog"
    text = draft.text.strip()
    lines = [
        f"Blog: {draft.blog or urlsplit(draft.article_url).hostname or '(unknown)'}",
        f"Article: {draft.article_title or draft.article_url}",
        f"In reply to: {parent}",
        f"From: {who}"
        + (f" · {identity.website}" if identity.website and not (account or sender) else ""),
        "",
        text[:300] + ("…" if len(text) > 300 else ""),
    ]
    return "\n".join(lines)


def comments_url(article_url: str) -> str:
    """The article's comment section (its URL with `#comments`)."""
    return urlunsplit(urlsplit(article_url.strip())._replace(fragment="comments"))


DUPLICATE = "duplicate: the blog already has this comment"
"""How a "duplicate" answer (HTTP 409, WordPress's comment_duplicate) is worded."""


def toast(report: SentReply) -> tuple[str, SeverityLevel]:
    """(text, severity) of the notification about one sent (or not sent) reply."""
    result, title = report.result, quoted(report.title)
    when = f" Retrying at {clock(result.next_attempt)}." if result.next_attempt else ""
    if result.state is ReplyState.POSTED:
        return f"Reply posted on {title}.", "information"
    if result.state is ReplyState.HELD:
        return f"Reply posted on {title}; it is awaiting moderation.", "information"
    if result.state.asks_user:
        return unconfirmed_text(title, result.message), "warning"
    if result.state is ReplyState.DUPLICATE:
        text = f"Reply to {title} not sent again: {DUPLICATE}; looking up its address."
        said = result.message
        if said and DUPLICATE not in said and not said.startswith("the blog says"):
            text += f" The blog said: {end_sentence(said)}"
        return text + when, "warning"
    if result.state is ReplyState.UNNOTIFIED:  # on the user's site; the blog not told yet
        reason = end_sentence(result.message or "no reason given")
        text = f"Reply to {title} published on your site; notifying the blog failed: {reason}"
        return text + when, "warning"
    if result.state.pending:
        reason = end_sentence(result.message or "not sent yet")
        return f"Reply to {title} not sent yet: {reason}{when}", "warning"
    if result.state is ReplyState.REJECTED:
        reason = end_sentence(result.message or "no reason given")
        text = f"The blog refused the reply to {title}: {reason}"
        return text + " It is kept in your drafts (D) to edit and send again.", "error"
    reason = end_sentence(result.message or result.state.label)
    return f"Cannot post the reply to {title}: {reason} It is kept in your drafts (D).", "error"


def unconfirmed_text(title: str, message: str) -> str:
    """Why a reply waits on the user's word: it may be on the blog (when it was sent and why
    that is unknown are in `message`); it is never sent again unless the user says so."""
    why = f": {end_sentence(message)}" if message else "."
    return (
        f"The reply to {title} may already be on the blog{why} It is not sent again unless"
        " you say so: look at the article, then send it again from your drafts (D)."
    )
