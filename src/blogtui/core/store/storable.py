"""The store's connection: every string it binds passes `core.text.storable` on the way in.

One adapter point instead of a call in every write: whatever a provider, a feed or a future
writer hands the store, NUL, other C0 controls, noncharacters and lone surrogates never reach
SQLite. Lookups pass the same filter, so a key stored filtered is found by its raw form too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from blogtui.core.text.storable import is_text, storable


def storable_parameters(parameters: Any) -> Any:
    """`parameters` (a sequence or a mapping) with every string made storable."""
    if isinstance(parameters, Mapping):
        return {k: storable(v) if isinstance(v, str) else v for k, v in parameters.items()}
    if is_text("".join([v for v in parameters if isinstance(v, str)])):
        return parameters  # the usual row: one scan of all its text at once
    return tuple(storable(v) if isinstance(v, str) else v for v in parameters)


class StorableConnection(sqlite3.Connection):
    """A connection whose `execute` and `executemany` bind storable text only."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Run one statement with storable parameters."""
        return super().execute(sql, storable_parameters(parameters))

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        """Run one statement per parameter set, each made storable."""
        return super().executemany(sql, (storable_parameters(p) for p in parameters))
