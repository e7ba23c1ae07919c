"""Posting commands: `send` (flush the outbox) and `replies` (replies to your comments)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.core.config import Config, Identity
from blogtui.core.paths import Places

# core.posting (httpx), core.drafts and core.watch (the store) are imported by the commands that
# use them: every `blogtui` run, the reader's included, imports this module to build the parser.
if TYPE_CHECKING:
    from blogtui.core.drafts.store import Draft
    from blogtui.core.posting import SendResult

EXCERPT = 70
SHOWN = {
    "posted": "posted",
    "held": "posted, awaiting moderation",
    "queued": "not sent yet, will retry",
    "unsure": "may have been sent; will check before retrying",
    "duplicate": "the blog already has it; will look up its address",
    "closed": "comments are closed",
    "rejected": "rejected",
    "failed": "failed",
}


def register(subparsers: Any) -> None:
    """Add the `send` and `replies` commands."""
    send = subparsers.add_parser("send", help="send queued replies (the outbox) now")
    send.set_defaults(run=cmd_send)
    replies = subparsers.add_parser("replies", help="list replies to your comments")
    replies.add_argument("--all", action="store_true", help="also replies already seen")
    replies.set_defaults(run=cmd_replies)


def identity_chooser(config: Config) -> Any:
    """The draft's identity, or the configured one for its blog when the draft has none."""

    def identity_for(draft: Draft) -> Identity:
        if draft.identity.complete:
            return draft.identity
        return config.identity_for(urlsplit(draft.article_url).hostname or "")

    return identity_for


def describe(result: SendResult) -> str:
    """One line about one reply."""
    text = SHOWN.get(result.state, result.state)
    if result.remote_url and result.state in ("posted", "held"):
        text += f": {result.remote_url}"
    elif result.message:
        text += f": {result.message}"
    return f"{result.draft_id} {text}"


def cmd_send(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui send`: one line per reply; exit 1 when any was refused or failed."""
    from blogtui.core.drafts.store import DraftStore
    from blogtui.core.posting import poster_chooser, send_sync

    store = open_store(where)
    drafts = DraftStore(where.drafts_dir)
    results = send_sync(store, drafts, identity_for=identity_chooser(config_of(where)),
                        poster_for=poster_chooser(store, where.secrets_dir))  # fmt: skip
    if not results:
        out.line("Nothing to send.")
        return 0
    for result in results:
        out.line(describe(result))
    return 1 if any(result.failed for result in results) else 0


def cmd_replies(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui replies`: replies to your comments (unseen ones unless --all)."""
    from blogtui.core.posting.base import sanitise
    from blogtui.core.watch import replies_to_me

    store = open_store(where)
    found = replies_to_me(store, include_seen=args.all)
    if not found:
        out.line("No new replies to your comments.")
        return 0
    for comment in found:
        article = store.get_article(comment.article_id)
        title = sanitise(article.title, 60) if article else "(unknown article)"
        excerpt = sanitise(comment.content, EXCERPT)
        out.line(f"{title} / {sanitise(comment.author, 40) or 'Anonymous'}: {excerpt}")
        if comment.link:
            out.block(f"    {comment.link}")
    return 0
