"""Helpers shared by the UI tests (imported by name: tests/ui is on sys.path under pytest)."""

from __future__ import annotations

from textual.pilot import Pilot

from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.main import MainScreen

HOSTILE_TITLE = "[@click=app.quit]x[/]"
"""A feed title that would quit the app if it were parsed as markup."""


async def settle(pilot: Pilot[None]) -> None:
    """Let the main screen open (it follows the first frame), workers finish and their
    messages be handled."""
    await pilot.pause()
    app = pilot.app
    for _ in range(200):
        if not isinstance(app, BlogtuiApp) or app.main_opened:
            break
        await pilot.pause(0.01)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press keys, settling after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def main_screen(app: BlogtuiApp) -> MainScreen:
    """The main screen, which must be the active one."""
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


async def wait_for(pilot: Pilot[None], check, seconds: float = 15.0) -> None:
    """Settle until `check()` holds (workers may start further workers); fail after `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"condition not met within {seconds} s"
        await settle(pilot)
        await pilot.pause(0.05)
