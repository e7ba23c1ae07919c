"""SVG snapshots of the main screen (wide and narrow), the help and the first launch.

Update only after reading the report: `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from support.app import press, settle
from textual.pilot import Pilot

from blogtui.core.comments.loading import ThreadResult
from blogtui.core.models import Article
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates render in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def offline(store: Store, article: Article, **_: object) -> ThreadResult:
    """Comment threads fail the same way everywhere (the seeded blogs are not reachable)."""
    store.record_thread_error(article.id, "", "offline")
    return ThreadResult(article.id, "", store.comments_for(article.id), error="offline")


@pytest.fixture
def offline_app(make_app: Callable[..., BlogtuiApp]) -> BlogtuiApp:
    """The app on the seeded store, its comment threads `offline`."""
    return make_app(thread_loader=offline)


async def open_first(pilot: Pilot[None]) -> None:
    """Open the first article from the list."""
    await settle(pilot)
    await press(pilot, "tab", "enter")


async def open_help(pilot: Pilot[None]) -> None:
    """Show the help."""
    await settle(pilot)
    await press(pilot, "question_mark")


def test_main_screen_reading(snap_compare, offline_app: BlogtuiApp) -> None:
    assert snap_compare(offline_app, terminal_size=(120, 36), run_before=open_first)


def test_narrow_reader(snap_compare, offline_app: BlogtuiApp) -> None:
    assert snap_compare(offline_app, terminal_size=(80, 30), run_before=open_first)


def test_help(snap_compare, offline_app: BlogtuiApp) -> None:
    assert snap_compare(offline_app, terminal_size=(120, 36), run_before=open_help)


def test_welcome(snap_compare, empty_app: BlogtuiApp) -> None:
    assert snap_compare(empty_app, terminal_size=(120, 36), run_before=settle)


async def open_first_in_list(pilot: Pilot[None]) -> None:
    """Open the first article, the focus staying in the list (wide) or on the reader (narrow)."""
    await settle(pilot)
    await press(pilot, "tab", "enter")
    if pilot.app.size.width < 100:
        await press(pilot, "q")  # back to the list: the narrow layout shows one pane


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
def test_layout(snap_compare, offline_app: BlogtuiApp, size: tuple[int, int]) -> None:
    """Pane widths, the list's columns and the footer at each terminal size."""
    assert snap_compare(offline_app, terminal_size=size, run_before=open_first_in_list)
