"""SVG snapshots of the main screen (wide and narrow), the help and the first launch.

Update only after reading the report: `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot
from ui_helpers import settle

from blogtui.core.comments import ThreadResult
from blogtui.core.models import Article
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens import thread as thread_screen


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates render in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def offline_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comment threads fail the same way everywhere (the seeded blogs are not reachable)."""

    def offline(store: object, article: Article, **_: object) -> ThreadResult:
        store.record_thread_error(article.id, "", "offline")  # type: ignore[attr-defined]
        comments = store.comments_for(article.id)  # type: ignore[attr-defined]
        return ThreadResult(article.id, "", comments, error="offline")

    monkeypatch.setattr(thread_screen, "load_thread_sync", offline)


async def ready(pilot: Pilot[None]) -> None:
    """Wait for the workers that fill the panes."""
    await settle(pilot)


async def open_first(pilot: Pilot[None]) -> None:
    """Open the first article from the list."""
    await settle(pilot)
    for key in ("tab", "enter"):
        await pilot.press(key)
        await settle(pilot)


def test_main_screen_reading(snap_compare, make_app: Callable[..., BlogtuiApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=open_first)


def test_narrow_reader(snap_compare, make_app: Callable[..., BlogtuiApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 30), run_before=open_first)


def test_help(snap_compare, make_app: Callable[..., BlogtuiApp]) -> None:
    async def help_open(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=help_open)


def test_welcome(snap_compare, empty_app: BlogtuiApp) -> None:
    assert snap_compare(empty_app, terminal_size=(120, 36), run_before=ready)
