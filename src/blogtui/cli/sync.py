"""`blogtui account add|list|remove|subscribe` and `blogtui sync` (for cron).

Accounts sync with Tiny Tiny RSS, Fever and Google Reader API servers (core/sync/). The
password is typed without echo at a terminal, else read as the first line of standard input
(an empty line keeps the one stored before); it goes to blogtui's credential store, never to
the database, and only over https or to a loopback address literal.

`blogtui sync` prints one line per account and exits 0 when every account synced, 1 when one
failed (the others still synced), 2 when it could not start (another sync runs).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from blogtui.cli.common import open_store
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

if TYPE_CHECKING:
    from blogtui.core.posting.credentials import CredentialStore
    from blogtui.core.sync.base import Account

KINDS = ("ttrss", "fever", "greader")


def register(subparsers: Any) -> None:
    """Add the `account` and `sync` commands."""
    account = subparsers.add_parser("account", help="feed server accounts to sync with")
    actions = account.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an account (asks for its password)")
    add.add_argument("kind", choices=KINDS, help="the server's API")
    add.add_argument("url", help="the server's address (https, or a loopback address)")
    add.add_argument("--user", required=True, help="your user name there")
    add.add_argument("--name", help="what to call the account (default: the server's host)")
    add.add_argument("--no-check", action="store_true", help="do not log in to check")
    add.set_defaults(run=cmd_add)
    actions.add_parser("list", help="list accounts and their last sync").set_defaults(run=cmd_list)
    remove = actions.add_parser("remove", help="forget an account (asks about its feeds)")
    remove.add_argument("name")
    feeds = remove.add_mutually_exclusive_group()
    feeds.add_argument("--keep-feeds", action="store_true", help="keep its feeds, unsynced")
    feeds.add_argument("--drop-feeds", action="store_true", help="remove its feeds too")
    remove.set_defaults(run=cmd_remove)
    subscribe = actions.add_parser("subscribe", help="subscribe to a feed on the server")
    subscribe.add_argument("name")
    subscribe.add_argument("feed_url")
    subscribe.add_argument("--folder", default="", help="the server's folder (category)")
    subscribe.set_defaults(run=cmd_subscribe)
    sync = subparsers.add_parser("sync", help="sync with feed server accounts (for cron)")
    sync.add_argument("names", nargs="*", metavar="NAME", help="only these accounts")
    sync.add_argument("--allow-mass-read", action="store_true",
                      help="accept a server marking most unread articles read at once")  # fmt: skip
    sync.set_defaults(run=cmd_sync)


def credentials_of(where: Places) -> CredentialStore:
    from blogtui.core.posting.credentials import CredentialStore

    return CredentialStore(where.secrets_dir)


def read_password() -> str:
    """Typed without echo at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password (not shown): ")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_add(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui account add`."""
    from blogtui.core.posting.credentials import CredentialError, check_destination
    from blogtui.core.sync.base import Account

    url = args.url.strip()
    try:
        check_destination(url)
    except CredentialError as error:
        raise BlogtuiError(error.message) from None
    name = (args.name or urlsplit(url).netloc).strip()
    account = Account(name, args.kind, url, args.user)
    store, credentials = open_store(where), credentials_of(where)
    if store.get_account(name) is not None:
        raise BlogtuiError(f"an account called {name} exists; remove it first or use --name")
    password = read_password()
    if not password:
        stored = credentials.get_entry(account.credential_key)
        if stored is None or stored.user != account.user:
            raise BlogtuiError("no password given; nothing stored")
        password = stored.password.reveal()
    if not args.no_check:
        asyncio.run(_check(account, password))
    credentials.set_entry(account.credential_key, account.user, password)
    store.add_account(account)
    out.line(f"added {name} ({args.kind}); `blogtui sync` fetches its feeds")
    if credentials.warning:
        out.error(f"blogtui: {credentials.warning}")
    return 0


async def _check(account: Account, password: str) -> None:
    from blogtui.core.feeds.client import make_client
    from blogtui.core.sync.registry import backend_for

    backend = backend_for(account, password)
    async with make_client(2) as client:
        await backend.login(client)


def cmd_list(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui account list`."""
    import time

    store = open_store(where)
    states = store.account_states()
    if not states:
        out.line("no accounts; add one with `blogtui account add ttrss|fever|greader URL`")
    for state in states:
        account = state.account
        when = "never" if state.last_sync is None else time.strftime(
            "%Y-%m-%d %H:%M", time.localtime(state.last_sync)
        )  # fmt: skip
        feeds = len(store.remote_feeds(account.name))
        queued = store.queued_count(account.name)
        out.row(account.name, account.kind, account.url, account.user)
        plural = "" if feeds == 1 else "s"
        out.line(f"    {feeds} feed{plural}, {queued} changes waiting, last sync {when}")
        if state.last_error:
            out.line(f"    last error: {state.last_error}")
    return 0


def cmd_remove(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui account remove`."""
    store = open_store(where)
    state = store.get_account(args.name)
    if state is None:
        raise BlogtuiError(f"no account called {args.name}")
    drop = args.drop_feeds
    if not (args.keep_feeds or args.drop_feeds):
        count = len(store.remote_feeds(args.name))
        if not sys.stdin.isatty():
            raise BlogtuiError("say --keep-feeds or --drop-feeds for its feeds")
        answer = input(f"Keep its {count} feeds (no longer synced)? [Y/n] ").strip().lower()
        drop = answer in ("n", "no")
    count = store.remove_account(args.name, drop_feeds=drop)
    credentials_of(where).delete_entry(state.account.credential_key)
    out.line(f"removed {args.name}; its {count} feeds were {'removed' if drop else 'kept'}")
    return 0


def cmd_subscribe(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui account subscribe`."""
    from blogtui.core.feeds.client import make_client
    from blogtui.core.sync.engine import subscribe
    from blogtui.core.sync.registry import backend_for
    from blogtui.core.sync.run import password_of

    store = open_store(where)
    state = store.get_account(args.name)
    if state is None:
        raise BlogtuiError(f"no account called {args.name}")
    backend = backend_for(state.account, password_of(credentials_of(where), state.account))

    async def run() -> int:
        async with make_client(2) as client:
            return await subscribe(store, backend, client, args.feed_url, args.folder)

    feed_id = asyncio.run(run())
    out.line(f"subscribed on {args.name}; feed {feed_id} fills at the next `blogtui sync`")
    return 0


def cmd_sync(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui sync`."""
    from blogtui.core.sync.run import sync_accounts

    store = open_store(where)
    names = args.names or None
    reports = asyncio.run(
        sync_accounts(
            store, credentials_of(where), names=names, allow_mass_read=args.allow_mass_read
        )  # fmt: skip
    )
    if not reports:
        out.line("no accounts to sync; add one with `blogtui account add`")
    for report in reports:
        (out.error if report.error else out.line)(report.summary())
    return 1 if any(report.error for report in reports) else 0
