"""Posting commands: `send` (flush the outbox) and `replies` (replies to your comments)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.core.paths import Places

# core.posting's outbox (httpx) and core.drafts are imported by the commands that use them:
# every `blogtui` run, the reader's included, imports this module to build the parser.
if TYPE_CHECKING:
    from blogtui.core.config import Config
    from blogtui.core.drafts.store import DraftStore
    from blogtui.core.models import Article, Comment
    from blogtui.core.posting.outbox import SendResult
    from blogtui.core.posting.state import ReplyState
    from blogtui.core.store import Store

EXCERPT = 70
WAITING = 3
"""`send`'s exit status when a reply still waits (a retry time, a check, or the user's --again)."""


def register(subparsers: Any) -> None:
    """Add the `send` and `replies` commands."""
    send = subparsers.add_parser(
        "send",
        help="send queued replies (the outbox) now, those waiting for their retry time too",
        description="Send the outbox now. A reply that may already be on the blog (no answer"
        " came, and the blog cannot show whether it arrived) is not sent again unless named"
        " with --again. Exit status: 0 all sent or nothing to send, 1 a reply was refused or"
        " cannot be posted, 3 a reply still waits (a retry, a check, or your --again).",
    )
    send.add_argument(
        "--again",
        action="append",
        default=[],
        metavar="DRAFT_ID",
        help="send this reply again although it may already be on the blog (check the article"
        " first); repeatable",
    )
    send.set_defaults(run=cmd_send)
    replies = subparsers.add_parser(
        "replies",
        help="look for replies to your comments and list them",
        description="Re-read the threads of your comments of the last 30 days (the 20 most"
        " recent threads) and list the replies to you not yet read in the reader.",
    )
    replies.add_argument("--all", action="store_true", help="also replies already read")
    replies.add_argument(
        "--offline", action="store_true", help="list what is stored; fetch nothing"
    )
    replies.set_defaults(run=cmd_replies)


def describe(result: SendResult) -> str:
    """One line about one reply: its state in the TUI's words, with the reply's address."""
    from blogtui.core.posting.state import state_line

    if result.remote_url and result.state.posted:
        return f"{result.draft_id} {result.state.label}: {result.remote_url}"
    return f"{result.draft_id} {state_line(result.state, result.message, result.next_attempt)}"


def exit_status(states: Iterable[ReplyState]) -> int:
    """1 when a reply was refused or cannot be posted, else 3 when one still waits, else 0."""
    seen = list(states)
    if any(state.final and not state.posted for state in seen):
        return 1
    return WAITING if any(state.pending for state in seen) else 0


def cmd_send(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui send [--again DRAFT_ID]`: every reply in the outbox now, one line each."""
    from blogtui.core.drafts.store import DraftStore
    from blogtui.core.posting.identity import reply_identity
    from blogtui.core.posting.outbox import send_sync
    from blogtui.core.posting.resend import asking_user, confirm_resend
    from blogtui.core.posting.select import poster_chooser
    from blogtui.core.posting.state import state_line

    store = open_store(where)
    drafts = DraftStore(where.drafts_dir)
    for draft_id in getattr(args, "again", None) or []:
        confirm_resend(store, drafts, draft_id)
    results = send_sync(store, drafts, identity_for=partial(reply_identity, config_of(where)),
                        poster_for=poster_chooser(store, where.secrets_dir),
                        include_waiting=True)  # fmt: skip
    done = {result.draft_id for result in results}
    lines = [(r.draft_id, describe(r), r.state) for r in results]
    for item in asking_user(store, drafts):
        if item.draft_id not in done:  # waits on the user's word: said again, not sent
            text = f"{item.draft_id} {state_line(item.state, item.last_error)}"
            lines.append((item.draft_id, text, item.state))
    if not lines:
        out.line("Nothing to send.")
        return 0
    for draft_id, text, state in lines:
        out.line(text)
        if state.asks_user:
            _resend_hint(drafts, draft_id, out)
    return exit_status(state for _, _, state in lines)


def _resend_hint(drafts: DraftStore, draft_id: str, out: Output) -> None:
    """Where to check an unconfirmed reply, and how to send it again."""
    from blogtui.core.drafts.store import DraftError

    try:
        url = drafts.load(draft_id).article_url
    except DraftError:
        url = ""
    where = f"look for it on {url}; if it is not there, " if url else ""
    out.block(f"    {where}`blogtui send --again {draft_id}` sends it again")


def cmd_replies(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui replies [--all] [--offline]`: re-read the watched threads (unless --offline),
    then list the replies to your comments (unseen ones unless --all)."""
    from blogtui.core.posting.base import sanitise

    store = open_store(where)
    if not getattr(args, "offline", False):
        _, total, failed = check_replies(store, config_of(where), out)
        if failed:
            out.error(f"blogtui: {unread_threads(failed, total)}; showing what is stored")
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


def check_replies(store: Store, config: Config, out: Output) -> tuple[list[Comment], int, int]:
    """Re-read the threads of the user's recent comments (core.comments.replies), with a
    progress bar on a terminal: (the unseen replies that were not there before, threads
    read, threads that could not be read)."""
    from blogtui.core.comments.replies import recent_articles, refresh_watched
    from blogtui.core.feeds.client import make_client

    articles = recent_articles(store)
    if not articles:
        return [], 0, 0
    before = {comment.id for comment in store.replies_to_me(include_seen=True)}
    done = 0

    def progress(article: Article, ok: bool) -> None:
        nonlocal done
        done += 1
        out.progress(done, len(articles), article.title or article.link)

    failed = refresh_watched(
        store,
        deadline=config.fetch_timeout,
        client_factory=lambda: make_client(min(config.concurrency, 8)),
        articles=articles,
        on_done=progress,
    )
    out.end_progress()
    new = [comment for comment in store.replies_to_me() if comment.id not in before]
    return new, len(articles), failed


def unread_threads(failed: int, total: int) -> str:
    """The line about threads of the user's comments that could not be re-read."""
    return f"{failed} of {total} thread(s) you commented on could not be read"
