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


def database_damage(error: Exception, where: Places | None) -> str | None:
    """The message for `error` when it is SQLite reporting damage to `where`'s database
    (which is then marked to be moved aside on the next open), else None."""
    import sys

    sqlite3 = sys.modules.get("sqlite3")  # no sqlite3 loaded: no database error possible
    if where is None or sqlite3 is None or not isinstance(error, sqlite3.DatabaseError):
        return None
    from blogtui.core.store.damage import damage_found

    found = damage_found(where.database, error)
    return None if found is None else found.message


def config_of(where: Places) -> Config:
    """The user's configuration; what it found odd (unknown names, numbers out of range) is
    said on stderr."""
    from blogtui.cli.output import Output

    config = load_config(where.config_file)
    for warning in config.warnings:
        Output().error(f"blogtui: warning: {warning}")
    return config


def find_feed(store: Store, ref: str) -> Feed:
    """A feed by its number (as `blogtui feeds` shows) or its URL."""
    feed = store.get_feed(int(ref)) if ref.isdigit() else store.feed_by_url(ref.strip())
    if feed is None:
        raise BlogtuiError(f"no feed {ref!r}; `blogtui feeds` lists them")
    return feed
