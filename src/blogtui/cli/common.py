"""What the CLI commands share: opening the store and loading the config.

The store (sqlite3) and the models are imported when a command runs, not when the parser is
built: `blogtui` without a command opens the TUI, whose first frame waits for these imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blogtui.core.config import Config, load_config
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

if TYPE_CHECKING:
    from blogtui.core.models import Feed
    from blogtui.core.store import Store


def open_store(where: Places) -> Store:
    """Open (creating and migrating) the database, telling the user about a recovery."""
    from blogtui.core.store import Store

    store = Store(where.database)
    if store.recovery_note:
        import sys

        print(f"blogtui: {store.recovery_note}", file=sys.stderr)
    return store


def config_of(where: Places) -> Config:
    """The user's configuration."""
    return load_config(where.config_file)


def find_feed(store: Store, ref: str) -> Feed:
    """A feed by its number (as `blogtui feeds` shows) or its URL."""
    feed = store.get_feed(int(ref)) if ref.isdigit() else store.feed_by_url(ref.strip())
    if feed is None:
        raise BlogtuiError(f"no feed {ref!r}; `blogtui feeds` lists them")
    return feed
