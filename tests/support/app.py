"""Driving blogtui's Textual app in tests: the one settle/wait and a running app.

`running(app)` runs an app headless and settles it (its main screen open, the workers that fill
the panes done); `settle`, `press` and `wait_for` are the only ways a UI test waits.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.main import MainScreen

SIZE = (120, 36)
"""The terminal size a test app gets unless it asks for another."""
WAIT = 30.0
"""Seconds `wait_for` waits by default: generous, for a loaded 2-core machine."""


async def settle(pilot: Pilot[Any]) -> None:
    """Let the main screen open (it follows the first frame), workers finish and their
    messages be handled."""
    await pilot.pause()
    app = pilot.app
    for _ in range(200):
        if not isinstance(app, BlogtuiApp) or app.main_opened:
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys, settling after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def wait_for(
    pilot: Pilot[Any],
    check: Callable[[], object],
    seconds: float = WAIT,
    *,
    then_settle: bool = True,
) -> float:
    """Poll `check` (workers and timers run meanwhile) until it holds, then settle (unless
    `then_settle` is False: a worker the test holds back would keep settling waiting); return
    the seconds it took. Fails after `seconds`."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            pytest.fail(f"not true within {seconds:g} s", pytrace=False)
        await asyncio.sleep(0.02)
        await pilot.pause()
    took = time.monotonic() - start
    if then_settle:
        await settle(pilot)
    return took


@asynccontextmanager
async def running(app: App[Any], size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[Any]]:
    """Run `app` headless at `size`, settled; stop it after the block."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def main_screen(app: App[Any]) -> MainScreen:
    """The main screen, which must be the active one."""
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def record_toasts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the text of every notification any blogtui app shows, in order."""
    shown: list[str] = []
    notify = BlogtuiApp.notify

    def recording(self: BlogtuiApp, message: str, **options: Any) -> None:
        shown.append(message)
        notify(self, message, **options)

    monkeypatch.setattr(BlogtuiApp, "notify", recording)
    return shown
