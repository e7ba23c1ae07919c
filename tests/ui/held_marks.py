"""A store that lets a test hold the article list's mark writes back and count them (imported by
name: tests/ui is on sys.path under pytest). It is handed to the app through `make_app(store=…)`,
the app factory's own seam: nothing is patched."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from support.app import running
from textual.pilot import Pilot

from blogtui.core.config import Config
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import build_app

HOLD_LIMIT = 30.0
"""Longest a held write waits (a test that forgets to let go fails instead of hanging)."""


class HeldStore(Store):
    """A Store whose read and star writes wait while `held` and are recorded in `read_writes`
    (the ids of each `set_read` call) and `star_writes`."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self.open = threading.Event()
        self.open.set()
        self.read_writes: list[list[int]] = []
        self.star_writes: list[list[int]] = []

    def hold(self) -> None:
        """From now on, read and star writes wait until `release`."""
        self.open.clear()

    def release(self) -> None:
        """Let the held writes (and every later one) go."""
        self.open.set()

    def _wait(self) -> None:
        if not self.open.wait(HOLD_LIMIT):
            raise TimeoutError("a held write was never released")

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> None:
        ids = list(article_ids)
        self._wait()
        self.read_writes.append(ids)
        super().set_read(ids, read)

    def set_starred(self, article_ids: Iterable[int], starred: bool = True) -> None:
        ids = list(article_ids)
        self._wait()
        self.star_writes.append(ids)
        super().set_starred(ids, starred)


@asynccontextmanager
async def running_on(
    held: HeldStore, home: Places, client_factory: Callable[[], httpx.AsyncClient]
) -> AsyncIterator[Pilot[None]]:
    """The app on `held` (built as the CLI builds it), settled; the writes are let go before it
    exits, so its writer never waits on a test that failed while holding them."""
    async with running(build_app(home, Config(), held, client_factory)) as pilot:
        try:
            yield pilot
        finally:
            held.release()
