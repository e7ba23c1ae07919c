"""Comment threads: the provider interface (`base`), page scraping (`page`), fetching under a
deadline (`fetching`), one module per provider, the registry of providers, loading a thread
(`loading`), its tree (`tree`) and the replies watch (`replies`).

The names below are imported on first use, so that importing one submodule stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blogtui.core.lazy import lazy_names

if TYPE_CHECKING:
    from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
    from blogtui.core.comments.loading import (
        Found,
        NoThread,
        ThreadResult,
        find_thread,
        load_thread,
        site_of,
    )
    from blogtui.core.comments.registry import PROVIDERS, provider_order, register

_WHERE = {
    "CommentProvider": "base",
    "FetchedThread": "base",
    "Hints": "base",
    "Target": "base",
    "Found": "loading",
    "NoThread": "loading",
    "ThreadResult": "loading",
    "find_thread": "loading",
    "load_thread": "loading",
    "site_of": "loading",
    "PROVIDERS": "registry",
    "provider_order": "registry",
    "register": "registry",
}

__getattr__ = lazy_names(__name__, _WHERE)


__all__ = [
    "PROVIDERS",
    "CommentProvider",
    "FetchedThread",
    "Found",
    "Hints",
    "NoThread",
    "Target",
    "ThreadResult",
    "find_thread",
    "load_thread",
    "provider_order",
    "register",
    "site_of",
]
