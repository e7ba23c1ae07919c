"""Helpers shared by the UI tests (imported by name: tests/ui is on sys.path under pytest)."""

from __future__ import annotations

from textual.pilot import Pilot

from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.demo import DemoBlog
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


class DemoSite:
    """The demo blog and a store subscribed to it (tests add how they build their app)."""

    def __init__(self, blog: DemoBlog, store: Store, home: Places) -> None:
        self.blog, self.store, self.home = blog, store, home

    def article_id(self, post: int) -> int:
        """The stored article of a demo post."""
        link = self.blog.post_url(post)
        return self.store.article_ids_by_link([link])[link]

    def comment(self, post: int, text: str, parent: int = 0, author: str = "Zoë Gast") -> None:
        """Post a comment through the blog's form handler, as another reader's browser would."""
        form = {
            "comment_post_ID": str(post), "author": author, "email": "zoe@example.org",
            "url": "", "comment": text, "comment_parent": str(parent),
            "akismet_comment_nonce": self.blog.nonce(post), "ak_js": "1",
        }  # fmt: skip
        assert self.blog.submit(form).status == 302
