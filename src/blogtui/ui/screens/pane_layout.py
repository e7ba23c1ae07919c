"""The main screen's pane widths: shares of the terminal's width, so they follow it.

The feeds pane and the article list each take a share (percent) of the width, the reader the
rest; each keeps a minimum, the reader's first. The shares change with keys (`[`/`]`, `{`/`}`)
or by dragging a pane's right border, and are remembered in config.toml (`[layout]`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.containers import Horizontal
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.timer import Timer

    from blogtui.core.config import Config
    from blogtui.ui.context import AppContext

WIDE_FROM = 100
"""Terminals at least this wide show the three panes side by side (narrower: one at a time)."""

FEEDS_SHARE = 23
"""The feeds pane's default share of the width (percent)."""
LIST_SHARE = 43
"""The article list's default share of the width (percent)."""
STEP = 2
"""Percent a key press moves a border."""
MIN_FEEDS, MIN_LIST, MIN_READER = 16, 30, 30
"""Fewest cells each pane keeps (the reader's minimum wins)."""
MAX_SHARES = 85
"""Most of the width the two left panes may take together (percent)."""


@dataclass(frozen=True)
class Shares:
    """The feeds pane's and the article list's shares of the width, in percent."""

    feeds: int = FEEDS_SHARE
    articles: int = LIST_SHARE

    @classmethod
    def of(cls, config: Config) -> Shares:
        """The shares `config` remembers (defaults where it has none)."""
        return cls(config.feeds_width or FEEDS_SHARE, config.list_width or LIST_SHARE).clamped()

    def clamped(self) -> Shares:
        """Within bounds: each pane at least 5%, both together at most MAX_SHARES."""
        feeds = max(5, min(self.feeds, MAX_SHARES - 10))
        articles = max(10, min(self.articles, MAX_SHARES - feeds))
        return Shares(feeds, articles)

    def moved(self, pane: str, percent: int) -> Shares:
        """The shares with `pane` ("feeds" or "articles") `percent` wider (or narrower)."""
        if pane == "feeds":
            return Shares(self.feeds + percent, self.articles).clamped()
        return Shares(self.feeds, self.articles + percent).clamped()

    def widths(self, total: int) -> tuple[int, int]:
        """Cells for the feeds pane and the article list on a `total`-cell wide screen."""
        feeds = max(MIN_FEEDS, total * self.feeds // 100)
        articles = max(MIN_LIST, total * self.articles // 100)
        over = feeds + articles + MIN_READER - total
        if over > 0:  # the reader keeps its minimum: the list gives way first, then the feeds
            cut = min(over, articles - MIN_LIST)
            articles -= cut
            feeds = max(MIN_FEEDS, feeds - (over - cut))
        return feeds, articles


def share_at(x: int, left: int, total: int) -> int:
    """The share (percent) of a pane starting at cell `left` whose right border is dragged to
    cell `x` of a `total`-cell wide screen."""
    return round((x + 1 - left) * 100 / max(1, total))


class PaneRow(Horizontal):
    """The three panes side by side: sizes the first two by their shares, drags their borders."""

    SAVE_DELAY = 0.5
    """Seconds after the last move before the shares are written to the config."""

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context
        self.shares = Shares.of(context.config)
        """The feeds pane's and the list's shares of the width."""
        self.dragging: str | None = None
        """The pane whose right border the mouse drags, if any."""
        self._save_timer: Timer | None = None

    def _panes(self) -> dict[str, Widget]:
        return dict(zip(("feeds", "articles"), self.children[:2], strict=False))

    def on_mount(self) -> None:
        self.apply_widths(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self.apply_widths(event.size.width)

    def apply_widths(self, total: int) -> None:
        """Size the feeds pane and the list by their shares (narrow layouts: the CSS's)."""
        widths = self.shares.widths(total) if total >= WIDE_FROM else (None, None)
        for widget, width in zip(self._panes().values(), widths, strict=False):
            widget.styles.width = width

    def resize(self, pane: str, step: int) -> None:
        """Make `pane` ("feeds" or "articles") `step` STEPs wider (or narrower)."""
        self.set_shares(self.shares.moved(pane, step * STEP))

    def set_shares(self, shares: Shares) -> None:
        """Use `shares` and remember them in the config (written once the moves settle)."""
        if shares == self.shares:
            return
        self.shares = shares
        self.apply_widths(self.size.width)
        config = self.context.config
        self.context.use_config(
            replace(config, feeds_width=shares.feeds, list_width=shares.articles)
        )
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.SAVE_DELAY, self._save_config)

    def _save_config(self) -> None:
        from blogtui.core.config import save_config

        self._save_timer = None
        task = partial(save_config, self.context.places.config_file, self.context.config)
        self.run_worker(task, thread=True, group="save-config", exit_on_error=False)

    def on_unmount(self) -> None:
        """Leaving before a move was written: write it now."""
        if self._save_timer is not None:
            from blogtui.core.config import save_config

            self._save_timer.stop()
            save_config(self.context.places.config_file, self.context.config)

    def border_at(self, x: int, y: int) -> str | None:
        """The pane whose right border is at screen cell (`x`, `y`), when side by side."""
        if self.size.width < WIDE_FROM:
            return None
        for pane, widget in self._panes().items():
            region = widget.region
            if x == region.right - 1 and region.y <= y < region.bottom:
                return pane
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        pane = self.border_at(event.screen_x, event.screen_y)
        if pane is not None:
            event.stop()
            self.dragging = pane
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        pane = self.dragging
        if pane is None:
            return
        event.stop()
        share = share_at(event.screen_x, self._panes()[pane].region.x, self.size.width)
        if pane == "feeds":
            self.set_shares(Shares(share, self.shares.articles).clamped())
        else:
            self.set_shares(Shares(self.shares.feeds, share).clamped())

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.dragging is not None:
            event.stop()
            self.dragging = None
            self.release_mouse()
