"""Which module speaks which API: `backend_for(account, password)`.

Each backend module defines `BACKEND = <its SyncBackend subclass>`; it is imported only when an
account of its kind syncs (start-up stays light).
"""

from __future__ import annotations

import importlib

from blogtui.core.sync.base import KINDS, Account, SyncBackend, SyncError

MODULES = {kind: f"blogtui.core.sync.{kind}" for kind in KINDS}
"""The module of each kind: core/sync/ttrss.py, fever.py, greader.py."""


def backend_for(account: Account, password: str) -> SyncBackend:
    """A backend for `account`; raises SyncError for a kind blogtui cannot speak (yet)."""
    module_name = MODULES.get(account.kind)
    if module_name is None:
        raise SyncError(f"unknown account kind {account.kind!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise SyncError(f"this blogtui cannot sync with {account.kind} yet") from None
    backend_class: type[SyncBackend] = module.BACKEND
    return backend_class(account, password)
