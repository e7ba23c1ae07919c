"""Shared fixtures."""

from __future__ import annotations

import os
import webbrowser
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from feedserver import FeedServer
from hypothesis import HealthCheck, settings
from support.tmux import TmuxServer, require_terminal

from blogtui.core.feeds.client import make_client

# --- feed_server: a real HTTP server on 127.0.0.1 (fetch/parse/refresh tests) -----------------
# Owned by the fetch/parse/refresh work; other fixtures go below this block.


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A FeedServer (tests/feedserver.py) on 127.0.0.1:<free port>, stopped after the test.

    Routes are set per test (`feed_server.route("/feed", body=...)`); every request is recorded.
    """
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()


# --- end of feed_server block -----------------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The app's own HTTP client (core.feeds.client.make_client), closed after the test."""
    async with make_client(8) as http:
        yield http


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[TmuxServer]:
    """A private tmux server for the installed blogtui (tests/support/tmux.py), killed after.

    Skips without blogtui and tmux on PATH; under CI=true it fails instead.
    """
    require_terminal()
    server = TmuxServer(f"blogtui-test-{os.getpid()}-{tmp_path.name}", tmp_path)
    try:
        yield server
    finally:
        server.kill()


# --- the machine stays out of the tests ---------------------------------------------------------

settings.register_profile(
    "blogtui",
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("blogtui")
"""No per-example deadline (a loaded 2-core machine is slow); in CI the examples are fixed."""


@pytest.fixture(autouse=True)
def blogtui_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own BLOGTUI_HOME, so the user's real feeds and drafts never enter."""
    home = tmp_path_factory.mktemp("blogtui-home")
    monkeypatch.setenv("BLOGTUI_HOME", str(home))
    return home


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs the app hands to the web browser, in order (none is really opened)."""
    opened: list[str] = []

    def record(url: str, new: int = 0) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", record)
    return opened
