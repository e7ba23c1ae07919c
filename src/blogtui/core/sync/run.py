"""Sync every account (or some): what `blogtui sync` and the TUI's refresh call.

Each account syncs on its own: its failure is its report's `error` (and remembered in the
store), never another account's. Passwords come from the credential store only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from blogtui.core.feeds.client import make_client
from blogtui.core.posting.credentials import CredentialError, CredentialStore
from blogtui.core.sync.base import Account, SyncError
from blogtui.core.sync.engine import Sync, SyncReport, sync_lock
from blogtui.core.sync.registry import backend_for

if TYPE_CHECKING:
    from blogtui.core.store import Store

log = logging.getLogger(__name__)


def password_of(credentials: CredentialStore, account: Account) -> str:
    """The account's stored password; SyncError when none is stored."""
    try:
        credential = credentials.get_entry(account.credential_key)
    except CredentialError as error:
        raise SyncError(error.message) from None
    if credential is None:
        raise SyncError(
            f"no password stored for {account.name}; run `blogtui account add` for it again"
        )
    return credential.password.reveal()


async def sync_one(
    store: Store,
    credentials: CredentialStore,
    account: Account,
    client: httpx.AsyncClient,
    *,
    allow_mass_read: bool = False,
) -> SyncReport:
    """Sync one account; never raises for the account's own failures."""
    try:
        backend = backend_for(account, password_of(credentials, account))
        report = await Sync(store, backend, client, allow_mass_read=allow_mass_read).run()
    except SyncError as error:
        report = SyncReport(account.name, error=error.message)
    except Exception as error:  # a bug must not stop the other accounts
        log.exception("sync of %s failed", account.name)
        report = SyncReport(account.name, error=f"internal error ({type(error).__name__})")
    await asyncio.get_running_loop().run_in_executor(
        None, store.record_sync, account.name, report.error
    )
    return report


async def sync_accounts(
    store: Store,
    credentials: CredentialStore,
    *,
    names: Sequence[str] | None = None,
    client: httpx.AsyncClient | None = None,
    allow_mass_read: bool = False,
) -> list[SyncReport]:
    """Sync the accounts called `names` (None: all), one after another, under the database's
    sync lock (raises SyncError when another sync holds it)."""
    accounts = [s.account for s in store.account_states()]
    if names is not None:
        unknown = set(names) - {a.name for a in accounts}
        if unknown:
            raise SyncError(f"no account called {', '.join(sorted(unknown))}")
        accounts = [a for a in accounts if a.name in names]
    with sync_lock(store.path):
        # plain http goes only to loopback (credentials' rule): no CA bundle needed for it
        tls = any(not a.url.lower().startswith("http://") for a in accounts)
        http = client or make_client(4, tls=tls)
        try:
            return [
                await sync_one(store, credentials, a, http, allow_mass_read=allow_mass_read)
                for a in accounts
            ]
        finally:
            if client is None:
                await http.aclose()


async def sync_if_any(
    store: Store, secrets_dir: Path, client: httpx.AsyncClient
) -> list[SyncReport]:
    """The TUI's refresh: sync every account when there are any; a sync already running
    (cron) comes back as one report with its error."""
    if not store.account_states():
        return []
    try:
        return await sync_accounts(store, CredentialStore(secrets_dir), client=client)
    except SyncError as error:
        return [SyncReport("sync", error=error.message)]
