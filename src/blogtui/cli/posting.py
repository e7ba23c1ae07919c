"""Posting commands: `send` (flush the outbox) and `replies` (replies to your comments)."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING, Any

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.core.paths import Places

# core.posting's outbox (httpx) and core.drafts are imported by the commands that use them:
# every `blogtui` run, the reader's included, imports this module to build the parser.
if TYPE_CHECKING:
    from blogtui.core.posting.outbox import SendResult

EXCERPT = 70


def register(subparsers: Any) -> None:
    """Add the `send` and `replies` commands."""
    send = subparsers.add_parser("send", help="send queued replies (the outbox) now")
    send.set_defaults(run=cmd_send)
    replies = subparsers.add_parser("replies", help="list replies to your comments")
    replies.add_argument("--all", action="store_true", help="also replies already seen")
    replies.set_defaults(run=cmd_replies)


def describe(result: SendResult) -> str:
    """One line about one reply: its state in the TUI's words, with the reply's address."""
    from blogtui.core.posting.state import state_line

    if result.remote_url and result.state.posted:
        return f"{result.draft_id} {result.state.label}: {result.remote_url}"
    return f"{result.draft_id} {state_line(result.state, result.message, result.next_attempt)}"


def cmd_send(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui send`: one line per reply; exit 1 when any was refused or failed."""
    from blogtui.core.drafts.store import DraftStore
    from blogtui.core.posting.identity import reply_identity
    from blogtui.core.posting.outbox import send_sync
    from blogtui.core.posting.select import poster_chooser

    store = open_store(where)
    drafts = DraftStore(where.drafts_dir)
    results = send_sync(store, drafts, identity_for=partial(reply_identity, config_of(where)),
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

    store = open_store(where)
    found = store.replies_to_me(include_seen=args.all)
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
