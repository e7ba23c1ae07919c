"""Draft commands: `drafts` (list), `drafts show ID`, `drafts rm ID`.

The draft modules are imported when a command runs, not when the parser is built: `blogtui`
without a command opens the TUI, whose first frame waits for these imports.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING, Any

from blogtui.cli.output import Output
from blogtui.core.paths import Places

if TYPE_CHECKING:
    from blogtui.core.drafts.store import Draft, DraftStore

EXCERPT = 60


def register(subparsers: Any) -> None:
    """Add the `drafts` command and its actions."""
    drafts = subparsers.add_parser("drafts", help="list, show or delete reply drafts")
    actions = drafts.add_subparsers(dest="drafts_action", metavar="ACTION")
    show = actions.add_parser("show", help="print a draft: its header and its text")
    show.add_argument("id", help="the draft's id (see `blogtui drafts`)")
    remove = actions.add_parser("rm", help="delete a draft")
    remove.add_argument("id", help="the draft's id (see `blogtui drafts`)")
    drafts.set_defaults(run=cmd_drafts)


def cmd_drafts(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui drafts [show ID | rm ID]`."""
    action = getattr(args, "drafts_action", None)
    if action == "show":
        return cmd_show(args, where, out)
    if action == "rm":
        return cmd_rm(args, where, out)
    return cmd_list(args, where, out)


def cmd_list(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui drafts`: every draft with its state, age, target and first line."""
    from blogtui.core.drafts.file import draft_age, draft_target
    from blogtui.core.drafts.store import DraftStore, Unreadable
    from blogtui.core.posting.state import draft_state_label

    listing = DraftStore(where.drafts_dir).list()
    if not listing:
        out.line("No drafts.")
        return 0
    replies = _reply_states(where)
    now = time.time()
    for entry in listing:
        if isinstance(entry, Unreadable):
            out.line(f"{entry.id} [unreadable: {entry.reason}]")
            out.block(f"    file kept as it is: {entry.path}")
            continue
        state = draft_state_label(entry.state, replies.get(entry.id))
        out.line(f"{entry.id} [{state}, {draft_age(now - entry.updated)}] {draft_target(entry)}")
        excerpt = entry.first_line
        if len(excerpt) > EXCERPT:
            excerpt = excerpt[: EXCERPT - 1].rstrip() + "…"
        out.block(f"    {excerpt}")
    return 0


def _reply_states(where: Places) -> dict[str, str]:
    """The outbox state of each queued draft ({} when there is no database to read)."""
    if not where.database.exists():
        return {}
    from blogtui.cli.common import open_store

    store = open_store(where)
    try:
        return {item.draft_id: item.state for item in store.outbox()}
    finally:
        store.close()


def _load(store: DraftStore, draft_id: str) -> Draft:
    from blogtui.core.drafts.store import DraftError, DraftNotFound

    try:
        return store.load(draft_id)
    except DraftNotFound:
        raise
    except DraftError as error:
        raise DraftError(
            f"draft {draft_id!r} is unreadable: {error.message}"
            " (the file is kept; `blogtui drafts rm ID` deletes it)"
        ) from error


def cmd_show(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui drafts show ID`: the draft's header and text."""
    from blogtui.core.drafts.file import format_draft
    from blogtui.core.drafts.store import DraftStore

    store = DraftStore(where.drafts_dir)
    draft = _load(store, args.id)
    out.line(f"Id: {draft.id}")
    out.line(f"File: {store.path_of(draft.id)}")
    out.block(format_draft(draft).removesuffix("\n"))
    return 0


def cmd_rm(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui drafts rm ID`: delete a draft."""
    from blogtui.core.drafts.store import DraftStore

    store = DraftStore(where.drafts_dir)
    store.delete(args.id)
    out.line(f"Deleted draft {args.id}")
    return 0
