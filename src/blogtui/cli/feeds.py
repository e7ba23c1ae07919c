"""Subscription commands: add, remove, feeds, import, export, refresh."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from blogtui.cli.common import config_of, find_feed, open_store
from blogtui.cli.output import Output
from blogtui.cli.terminal import local_path
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

TITLE_CELLS = 30
"""The least width `feeds` gives a title, however narrow the terminal."""

if TYPE_CHECKING:
    from blogtui.core.config import Config
    from blogtui.core.feeds.discover import Discovered
    from blogtui.core.models import Feed
    from blogtui.core.store import Store


def register(subparsers: Any) -> None:
    """Add this module's commands."""
    add = subparsers.add_parser("add", help="subscribe to a feed or a blog's homepage")
    add.add_argument("url", help="a feed URL or a blog's address (its feed is discovered)")
    add.add_argument("--folder", default="", help="put the feed in FOLDER")
    add.set_defaults(run=cmd_add)
    remove = subparsers.add_parser("remove", help="unsubscribe from a feed")
    remove.add_argument("feed", help="the feed's number (see `blogtui feeds`) or URL")
    remove.set_defaults(run=cmd_remove)
    listing = subparsers.add_parser("feeds", help="list feeds with unread counts and last error")
    listing.set_defaults(run=cmd_feeds)
    imp = subparsers.add_parser("import", help="subscribe to every feed of an OPML file")
    imp.add_argument("file", type=local_path)
    imp.set_defaults(run=cmd_import)
    exp = subparsers.add_parser("export", help="write subscriptions as OPML 2.0")
    exp.add_argument("file", nargs="?", type=local_path, help="where to write (default: stdout)")
    exp.set_defaults(run=cmd_export)
    refresh = subparsers.add_parser("refresh", help="fetch new articles")
    refresh.add_argument("feeds", nargs="*", metavar="FEED", help="numbers or URLs (default: all)")
    refresh.add_argument(
        "--force",
        action="store_true",
        help="also fetch feeds that are gone (HTTP 410) or waiting until a retry time",
    )
    refresh.set_defaults(run=cmd_refresh)


def cmd_add(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui add URL`."""
    from blogtui.core.feeds.client import make_client
    from blogtui.core.feeds.discover import discover_feed

    config = config_of(where)

    async def discover() -> Discovered:
        async with make_client(config.concurrency) as client:
            return await discover_feed(client, args.url, deadline=config.fetch_timeout)

    found = asyncio.run(discover())
    store = open_store(where)
    feed, created = store.add_feed(
        found.feed_url, found.title, found.site_url, args.folder, login=found.login
    )
    login = " (its login is kept in the credential store)" if found.login else ""
    if not created:
        out.line(f"Already subscribed: {feed.display_title} <{feed.url}>{login}")
        return 0
    out.line(f"Added: {found.title or found.feed_url} <{found.feed_url}>{login}")
    return _refresh(store, [feed], config, out)


def cmd_remove(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui remove FEED`."""
    store = open_store(where)
    feed = find_feed(store, args.feed)
    store.remove_feed(feed.id)
    out.line(f"Removed: {feed.display_title} <{feed.url}>")
    return 0


def cmd_feeds(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui feeds`: each feed, and the word of its last refresh unless that was fine."""
    from blogtui.core.feeds.outcome import Outcome, feed_state

    store = open_store(where)
    feeds = store.list_feeds()
    if not feeds:
        out.line("No feeds yet. Add one with `blogtui add URL` or `blogtui import FILE.opml`.")
        return 0
    logins = store.login_feed_ids()
    id_width = max(len(str(feed.id)) for feed in feeds)
    unread_width = max(len(str(feed.unread)) for feed in feeds)
    total_width = max(len(str(feed.total)) for feed in feeds)
    indent = id_width + 2 + unread_width + 1 + total_width + 2
    title_width = max(TITLE_CELLS, _terminal_columns() - indent)
    for feed in feeds:
        folder = f"{feed.folder}/" if feed.folder else ""
        counts = f"{feed.unread:>{unread_width}}/{feed.total:<{total_width}}"
        title = out.cell(folder + feed.display_title, title_width)
        out.row(f"{feed.id:>{id_width}}", counts, title)
        login = "  (with a login)" if feed.id in logins else ""
        out.row(out.cell(feed.url) + login, indent=indent)
        word, detail = feed_state(feed)
        if word is Outcome.GONE:
            detail = f"{detail}; {_remove_hint(feed.id)}"
        if word is not None and word not in (Outcome.OK, Outcome.UNCHANGED):
            out.row(out.cell(f"{word}: {detail}" if detail else str(word)), indent=indent)
    return 0


def _terminal_columns() -> int:
    """The terminal's width ($COLUMNS, else the terminal's, else 100 when not a terminal)."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _remove_hint(feed_id: int) -> str:
    """What to do about a gone feed."""
    return f"not fetched again unless `refresh --force`; `blogtui remove {feed_id}` unsubscribes"


def cmd_import(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui import FILE.opml`."""
    from blogtui.core.feeds.opml import MAX_OPML_BYTES, OpmlError, read_opml

    try:
        with args.file.open("rb") as handle:  # never more than the limit (/dev/zero, a pipe)
            data = handle.read(MAX_OPML_BYTES + 1)
    except OSError as error:
        raise BlogtuiError(f"cannot read {args.file}: {error.strerror or error}") from error
    try:
        document = read_opml(data)
    except OpmlError as error:
        raise OpmlError(f"{args.file}: {error.message}") from None
    entries = document.feeds
    store = open_store(where)
    added = 0
    for entry in entries:
        _, created = store.add_feed(entry.url, entry.title, entry.site_url, entry.folder)
        added += created
    out.line(f"Imported {added} new feed(s); {len(entries) - added} already subscribed.")
    if document.skipped:
        lines = [f"Skipped {len(document.skipped)} outline(s) that blogtui will not fetch:"]
        for skipped in document.skipped:
            named = f"{skipped.title} ({skipped.url})" if skipped.title else skipped.url
            lines.append(f"  {named}: {skipped.reason}")
        out.block("\n".join(lines))
    return 0


def cmd_export(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui export [FILE]`."""
    from blogtui.core.feeds.opml import OpmlFeed, write_opml

    store = open_store(where)
    logins = store.login_feed_ids()
    document = write_opml(
        OpmlFeed(f.url, f.title, f.folder, f.site_url, needs_login=f.id in logins)
        for f in store.list_feeds()
    )
    if args.file is None:
        out.stdout.flush()
        binary = getattr(out.stdout, "buffer", None)
        if binary is None:
            out.stdout.write(document)
        else:  # the document says it is UTF-8, whatever the terminal's locale
            binary.write(document.encode("utf-8"))
        (binary or out.stdout).flush()
        return 0
    try:
        args.file.write_text(document, encoding="utf-8")
    except OSError as error:
        raise BlogtuiError(f"cannot write {args.file}: {error.strerror or error}") from error
    out.line(f"Wrote {len(store.list_feeds())} feed(s) to {args.file}")
    return 0


def cmd_refresh(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui refresh [FEED...]`."""
    store = open_store(where)
    config = config_of(where)
    feeds = [find_feed(store, ref) for ref in args.feeds] if args.feeds else store.list_feeds()
    if not feeds:
        out.line("No feeds to refresh. Add one with `blogtui add URL`.")
        return 0
    if args.force:
        _say_forced(feeds, out)
    status = _refresh(store, feeds, config, out, force=args.force)
    if not args.feeds:
        _say_replies(store, config, out)
    return status


def _say_replies(store: Store, config: Config, out: Output) -> None:
    """After a full refresh: re-read the threads of the user's recent comments and say how
    many new replies came (nothing when there are none and every thread was read)."""
    from blogtui.cli.posting import check_replies, unread_threads

    new, total, failed = check_replies(store, config, out)
    if new:
        noun = "reply" if len(new) == 1 else "replies"
        out.line(f"{len(new)} new {noun} to your comments; `blogtui replies` lists them.")
    if failed:
        out.line(f"{unread_threads(failed, total)}.")


def _say_forced(feeds: list[Feed], out: Output) -> None:
    import time

    from blogtui.core.feeds.outcome import is_due

    now = time.time()
    held = [feed for feed in feeds if not is_due(feed, now)]
    gone = sum(feed.gone for feed in held)
    out.line(
        f"--force: fetching {len(feeds)} feed(s), {len(held) - gone} of them before their"
        f" retry time and {gone} gone (HTTP 410)."
    )


def _refresh(
    store: Store, feeds: list[Feed], config: Config, out: Output, *, force: bool = False
) -> int:
    """Refresh `feeds`: one line per feed (word: URL: detail), the totals, the exit status
    (core/feeds/outcome.py has the table of words and statuses). Feeds that are gone or
    waiting are skipped unless `force`, by the reader's own rule (`is_due`)."""
    from blogtui.core.feeds.outcome import FeedOutcome, Outcome
    from blogtui.core.feeds.refresh import refresh_sync

    done = 0
    quiet = (Outcome.OK, Outcome.UNCHANGED)

    def progress(outcome: FeedOutcome) -> None:
        nonlocal done
        done += 1
        word = outcome.word
        if word not in quiet or not out.is_tty:
            out.end_progress()
            detail = outcome.detail
            if word is Outcome.GONE:
                detail = f"{detail}; {_remove_hint(outcome.feed_id)}"
            elif word is Outcome.SKIPPED and not outcome.error:  # error: why never (synced)
                detail = f"{detail} (`refresh --force` fetches it now)"
            out.line(f"{word}: {outcome.url}: {detail}" if detail else f"{word}: {outcome.url}")
        out.progress(done, len(feeds), outcome.url)

    summary = refresh_sync(store, feeds, config, on_progress=progress, force=force)
    out.end_progress()
    out.line(f"Refreshed {len(feeds)} feed(s): {summary.describe()}.")
    return summary.exit_status
