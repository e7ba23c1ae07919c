"""Shown over the main screen on first launch, while there are no feeds."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

WELCOME = """\
blogtui reads blogs and their comment threads, from the terminal.

You have no feeds yet. To get started:

  a                      add a feed: type a blog's address, blogtui finds its feed
  blogtui import FILE    (in your shell) import the feeds of an OPML file
  blogtui --demo         (in your shell) try blogtui on a local demo blog

Once there are feeds: R refreshes them all, ? lists every key, ctrl+p every command.
"""


class WelcomeScreen(Screen[bool]):
    """First-launch help; dismisses with True when the user chose to add a feed."""

    BINDINGS = [
        Binding("a", "add_feed", "Add feed", id="welcome-add-feed"),
        Binding("q", "app.quit", "Quit", id="welcome-quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static(Text("Welcome to blogtui", style="bold"), id="welcome-title")
            yield Static(Text(WELCOME), id="welcome-text")
        yield Footer()

    def action_add_feed(self) -> None:
        """Leave, asking the main screen to add a feed."""
        self.dismiss(True)
