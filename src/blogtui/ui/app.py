"""The Textual app: services come in through the constructor; screens do the work.

The app's own (default) screen shows the layout's empty panes for the first frame; the main
screen, whose modules, styles and widgets cost a few hundred milliseconds, is imported and
pushed right after that frame is on the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static

from blogtui.ui import keys
from blogtui.ui.styles import app_stylesheets

if TYPE_CHECKING:
    import httpx

    from blogtui.core.config import Config
    from blogtui.core.paths import Places
    from blogtui.core.store import Store

ClientFactory = Callable[[], "httpx.AsyncClient"]
"""Makes the HTTP client a worker uses (and closes) for one job."""

START_PANES = ("Feeds", "Articles", "Reader")
"""The panes the first frame shows, empty, while the main screen loads."""


def _welcome_screen() -> Screen[bool | None]:
    from blogtui.ui.screens.welcome import WelcomeScreen

    return WelcomeScreen()


class BlogtuiApp(App[None]):
    """blogtui's terminal reader."""

    TITLE = "blogtui"
    BINDINGS = keys.APP_BINDINGS
    SCREENS = {"welcome": _welcome_screen}

    def __init__(
        self,
        store: Store | None,
        config: Config,
        places: Places,
        client_factory: ClientFactory | None = None,
    ) -> None:
        super().__init__(css_path=app_stylesheets())
        self.store: Store = store  # type: ignore[assignment]
        """The database, shared with thread workers (one connection per thread). When None
        is given, `open_main` opens `places.database` after the first frame."""
        self.config = config
        """The settings; the theme choice is written back to `places.config_file`."""
        self.places = places
        self.client_factory = client_factory
        self.main_opened = False
        """Whether the main screen has been pushed (it comes right after the first frame)."""

    def make_client(self) -> httpx.AsyncClient:
        """A new HTTP client for one job, from the injected factory or core.fetch."""
        if self.client_factory is not None:
            return self.client_factory()
        from blogtui.core.feeds.fetch import make_client

        return make_client(self.config.concurrency)

    def compose(self) -> ComposeResult:
        """The first frame: the main screen's panes, empty, with a loading line."""
        with Horizontal(id="start-panes"):
            for title in START_PANES:
                pane = Static(Text("Loading…" if title == "Feeds" else ""), classes="start-pane")
                pane.border_title = title
                yield pane

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.call_after_refresh(self.open_main)

    def on_unmount(self) -> None:
        from blogtui.ui.collector import release_collector

        release_collector()  # the app may not be the process's last (tests, --demo)

    def open_main(self) -> None:
        """Open the store if need be, import the main screen and show it (after the first
        frame, see the module doc). A store that cannot be opened ends the app with why."""
        from blogtui.ui.collector import pause_collector, release_collector

        pause_collector()  # until the main screen shows its first content (ui/collector.py)
        if self.store is None and not self._open_store():
            release_collector()
            return
        from blogtui.ui.screens.main import MainScreen

        self.apply_keymap()
        self.push_screen(MainScreen())
        self.main_opened = True

    def _open_store(self) -> bool:
        from blogtui.core.errors import StoreError
        from blogtui.core.store import Store

        try:
            self.store = Store(self.places.database)
        except StoreError as error:
            self.exit(return_code=2, message=f"blogtui: {error.message}")
            return False
        except OSError as error:  # e.g. a data folder that cannot be created
            reason = f"blogtui: cannot open {self.places.database}: {error}"
            self.exit(return_code=2, message=reason)
            return False
        if note := self.store.recovery_note:
            self.notify(
                f"{note[:1].upper()}{note[1:]}.",
                title="Database recovered",
                severity="warning",
                timeout=30,
                markup=False,
            )
        return True

    def all_bindings(self) -> list[Binding]:
        """Every binding blogtui defines (for the keymap, the help and the tests)."""
        from blogtui.ui.screens.welcome import WelcomeScreen

        return [
            *keys.APP_BINDINGS,
            *keys.MAIN_BINDINGS,
            *keys.FEED_LIST_BINDINGS,
            *keys.READER_BINDINGS,
            *thread_bindings(),
            *list_bindings(),
            *keys.COMPOSE_BINDINGS,
            *keys.DRAFTS_BINDINGS,
            *keys.REPLIES_BINDINGS,
            *WelcomeScreen.BINDINGS,  # type: ignore[list-item]
        ]

    def apply_keymap(self) -> None:
        """Remap bindings from `config.keys`; unknown ids are reported, not fatal."""
        keymap, unknown = keys.keymap(self.config.keys, self.all_bindings())
        self.set_keymap(keymap)
        if unknown:
            names = ", ".join(unknown)
            self.notify(
                f"Unknown key binding ids in config: {names}", severity="warning", markup=False
            )

    def _remember_theme(self, theme: Theme) -> None:
        from dataclasses import replace

        from blogtui.core.config import save_config

        if theme.name != self.config.theme:
            self.config = replace(self.config, theme=theme.name)
            self.run_worker(
                partial(save_config, self.places.config_file, self.config),
                thread=True,
                group="save-config",
                exit_on_error=False,
            )

    def key_of(self, binding: Binding) -> str:
        """The keys that trigger `binding` now, keymap included, as the user types them."""
        keys_text = self._keymap.get(binding.id, binding.key) if binding.id else binding.key
        return ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys_text.split(","))

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(section, [(keys, description)]) for the help screen."""
        sections = [
            ("Everywhere", keys.APP_BINDINGS),
            ("Main screen", keys.MAIN_BINDINGS),
            ("Feeds pane", keys.FEED_LIST_BINDINGS),
            ("Articles pane", list_bindings()),
            ("Reader pane", keys.READER_BINDINGS),
            ("Comment thread", thread_bindings()),
            ("Reply editor", keys.COMPOSE_BINDINGS),
            ("Drafts", keys.DRAFTS_BINDINGS),
            ("Replies to you", keys.REPLIES_BINDINGS),
        ]
        return [
            (title, [(self.key_of(b), b.description) for b in group]) for title, group in sections
        ]

    def action_help(self) -> None:
        """Show every binding with its description."""
        from blogtui.ui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's commands (theme, quit, …) plus every main-screen action."""
        from blogtui.ui.screens.main import MainScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in keys.MAIN_BINDINGS:
                yield SystemCommand(
                    binding.description,
                    f"{binding.tooltip} ({self.key_of(binding)})",
                    partial(screen.run_action, binding.action),
                )
        yield SystemCommand("Help", "List every key binding (?)", self.action_help)


def list_bindings() -> list[Binding]:
    """The article list's bindings (RowList's own)."""
    from blogtui.ui.widgets.article_list import ArticleList

    return [b for b in ArticleList.BINDINGS if isinstance(b, Binding)]


def thread_bindings() -> list[Binding]:
    """The reader's comment thread: its own (`thread-refresh`), then CommentThread's
    (`comments.*`)."""
    from blogtui.ui.widgets.comment_thread import CommentThread

    own = [b for b in CommentThread.BINDINGS if isinstance(b, Binding)]
    return [*keys.THREAD_BINDINGS, *own]


def build_app(
    places: Places,
    config: Config | None = None,
    store: Store | None = None,
    client_factory: ClientFactory | None = None,
) -> BlogtuiApp:
    """Make the app from `places`, loading the config when not given; without a store, the
    app opens `places.database` itself after its first frame."""
    from blogtui.core.config import load_config

    config = load_config(places.config_file) if config is None else config
    return BlogtuiApp(store, config, places, client_factory)
