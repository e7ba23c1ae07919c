"""The Textual app: services come in through the constructor; screens compose widgets.

The app's own (default) screen shows the layout's empty panes for the first frame; the main
screen, whose modules, styles and widgets cost a few hundred milliseconds, is imported and
pushed right after that frame is on the terminal. The app owns the services that outlive
screens (ui/services: the outbox that sends replies, the replies-to-you watch); their workers
post to the app, which hands each message to its service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static

from blogtui.ui import keys
from blogtui.ui.styles import app_stylesheets

if TYPE_CHECKING:
    import httpx
    from textual.worker import Worker

    from blogtui.core.comments.loading import ThreadResult
    from blogtui.core.config import Config
    from blogtui.core.models import Article
    from blogtui.core.paths import Places
    from blogtui.core.store import Store
    from blogtui.ui.context import ThreadLoader
    from blogtui.ui.first_content import FirstContent
    from blogtui.ui.services.outbox import Outbox
    from blogtui.ui.services.replies_watch import RepliesWatch

ClientFactory = Callable[[], "httpx.AsyncClient"]
"""Makes the HTTP client a worker uses (and closes) for one job."""

START_PANES = ("Feeds", "Articles", "Reader")
"""The panes the first frame shows, empty, while the main screen loads."""


def load_thread(
    store: Store, article: Article, *, deadline: float, client_factory: ClientFactory
) -> ThreadResult:
    """The comment loader the app uses unless one is injected (imported on first use: it pulls
    in httpx and the comment providers)."""
    from blogtui.core.comments.loading import load_thread_sync

    return load_thread_sync(store, article, deadline=deadline, client_factory=client_factory)


def _welcome_screen() -> Screen[bool]:
    from blogtui.ui.screens.welcome import WelcomeScreen

    return WelcomeScreen()


class BlogtuiApp(App[None]):
    """blogtui's terminal reader."""

    TITLE = "blogtui"
    BINDINGS: ClassVar[list[BindingType]] = [*keys.APP_BINDINGS]
    SCREENS = {"welcome": _welcome_screen}

    def __init__(
        self,
        store: Store | None,
        config: Config,
        places: Places,
        client_factory: ClientFactory | None = None,
        *,
        thread_loader: ThreadLoader | None = None,
        flood_wait: float | None = None,
    ) -> None:
        super().__init__(css_path=app_stylesheets())
        self._store = store
        self.config = config
        """The settings; the theme choice is written back to `places.config_file`."""
        self.places = places
        self.client_factory = client_factory
        self.thread_loader: ThreadLoader = thread_loader or load_thread
        """Fetches and stores a comment thread (from a thread worker)."""
        self.flood_wait = flood_wait
        """Seconds before resending after "posting too quickly"; None: the core's delay."""
        self._outbox: Outbox | None = None
        self._replies_watch: RepliesWatch | None = None
        self.main_opened = False
        """Whether the main screen has been pushed (it comes right after the first frame)."""

    @property
    def has_store(self) -> bool:
        """Whether the database is open (it is opened after the first frame unless given)."""
        return self._store is not None

    @property
    def store(self) -> Store:
        """The database, shared with thread workers (one connection per thread)."""
        if self._store is None:
            raise RuntimeError("the store opens after the first frame")
        return self._store

    @property
    def outbox(self) -> Outbox:
        """The reply sender (made with the main screen)."""
        if self._outbox is None:
            raise RuntimeError("the outbox starts with the main screen")
        return self._outbox

    @property
    def replies_watch(self) -> RepliesWatch:
        """The replies-to-you announcer (made with the main screen)."""
        if self._replies_watch is None:
            raise RuntimeError("the replies watch starts with the main screen")
        return self._replies_watch

    def use_config(self, config: Config) -> None:
        """Use `config` from now on (saving it is the caller's)."""
        self.config = config

    def make_client(self) -> httpx.AsyncClient:
        """A new HTTP client for one job, from the injected factory or core.fetch."""
        if self.client_factory is not None:
            return self.client_factory()
        from blogtui.core.feeds.client import make_client

        return make_client(self.config.concurrency)

    def compose(self) -> ComposeResult:
        """The first frame: the main screen's panes, empty, with a loading line."""
        narrow = self.size.width < 100  # as the main screen's layout: one pane below 100
        with Horizontal(id="start-panes", classes="-narrow" if narrow else ""):
            for title in START_PANES:
                text = Text("Loading…" if title == "Feeds" else "", "dim")
                pane = Static(text, classes="start-pane")
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
        if self._store is None and not self._open_store():
            release_collector()
            return
        from blogtui.ui.first_content import show_first

        panes = list(self.screen.query(".start-pane").results(Static))
        first = show_first(panes, self.store, self.config.sort)
        self.call_after_refresh(self.push_main, first)  # once that content is on the terminal

    def push_main(self, first: FirstContent | None) -> None:
        from blogtui.ui.screens.main import MainScreen

        self._start_services(self.store)
        self.apply_keymap()
        self.push_screen(MainScreen(self, first))
        self.main_opened = True
        self.outbox.send()  # replies left pending go out now

    def _start_services(self, store: Store) -> None:
        from blogtui.core.drafts.store import DraftStore
        from blogtui.ui.services.outbox import Outbox
        from blogtui.ui.services.replies_watch import RepliesWatch

        self._outbox = Outbox(
            self, store, DraftStore(self.places.drafts_dir),
            config=lambda: self.config, make_client=self.make_client,
            secrets_dir=self.places.secrets_dir, flood_wait=self.flood_wait,
        )  # fmt: skip
        self._replies_watch = RepliesWatch(self, store, self._refresh_watched)

    def _refresh_watched(self) -> int:
        from blogtui.core.comments.replies import refresh_watched

        deadline = self.config.fetch_timeout
        return refresh_watched(self.store, deadline=deadline, client_factory=self.make_client)

    # The services' workers post here; each message goes to its service. (Handlers by name, so
    # the services are imported only when the main screen opens.)

    def on_outbox_queued(self, message: Outbox.Queued) -> None:
        """A draft was queued (or not): the outbox says so and sends."""
        self.outbox.queued(message)

    def on_outbox_sending(self, message: Outbox.Sending) -> None:
        """A sending pass started."""
        self.outbox.sending(message)

    def on_outbox_sent(self, message: Outbox.Sent) -> None:
        """A sending pass ended."""
        self.outbox.sent(message)

    def on_replies_watch_checked(self, message: RepliesWatch.Checked) -> None:
        """The replies to you were read."""
        self.replies_watch.checked(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A service's worker that failed unexpectedly is shown as an error."""
        from blogtui.ui.display import display
        from blogtui.ui.messages import worker_failed

        failed = worker_failed(event, self.places.database)
        if failed is not None and event.worker.group in ("queue", "outbox", "watch"):
            title, text = display(failed.title, limit=80), display(failed.message, limit=500)
            self.notify(text, title=title, severity="error", markup=False)

    def _open_store(self) -> bool:
        from blogtui.core.errors import StoreError
        from blogtui.core.store import Store

        try:
            self._store = Store(self.places.database)
        except StoreError as error:
            self.exit(return_code=2, message=f"blogtui: {error.message}")
            return False
        except OSError as error:  # e.g. a data folder that cannot be created
            reason = f"blogtui: cannot open {self.places.database}: {error}"
            self.exit(return_code=2, message=reason)
            return False
        if note := self._store.recovery_note:
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
            *keys.ARTICLES_BINDINGS,
            *keys.READER_BINDINGS,
            *thread_bindings(),
            *list_bindings(),
            *keys.COMPOSE_BINDINGS,
            *keys.DRAFTS_BINDINGS,
            *keys.REPLIES_BINDINGS,
            *[b for b in WelcomeScreen.BINDINGS if isinstance(b, Binding)],
        ]

    def apply_keymap(self) -> None:
        """Remap bindings from `config.keys`; unknown ids are reported, not fatal."""
        keymap, unknown = keys.keymap(self.config.keys, self.all_bindings())
        self.set_keymap(keymap)
        self._warn_config(unknown)

    def _warn_config(self, unknown_ids: list[str]) -> None:
        """Notify what config.toml holds that is not used: what loading it found, binding ids
        and a theme that do not exist (each naming the file and the known names)."""
        from blogtui.core.config import unknown_name
        from blogtui.ui.display import display

        path, config = self.places.config_file, self.config
        ids = sorted({binding.id for binding in self.all_bindings() if binding.id})
        warnings = [*config.warnings]
        for name in unknown_ids:
            warnings.append(
                unknown_name(path, "[keys]", name, ids, "binding id") + "; ? lists them"
            )
        if config.theme and config.theme not in self.available_themes:
            themes = sorted(self.available_themes)
            warnings.append(unknown_name(path, "[general]", config.theme, themes, "theme"))
        for warning in warnings:
            self.notify(display(warning), title="config.toml", severity="warning", timeout=20,
                        markup=False)  # fmt: skip

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

    def help_sections(self, ids: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
        """(section, [(keys, description)]) for the help screen; with `ids`, each description
        ends with its binding's id in parentheses (what `[keys]` in config.toml remaps)."""
        sections = [
            ("Everywhere", keys.APP_BINDINGS),
            ("Main screen", keys.MAIN_BINDINGS),
            ("Feeds pane", keys.FEED_LIST_BINDINGS),
            ("Articles pane", [*keys.ARTICLES_BINDINGS, *list_bindings()]),
            ("Reader pane", keys.READER_BINDINGS),
            ("Comment thread", thread_bindings()),
            ("Reply editor", keys.COMPOSE_BINDINGS),
            ("Drafts", keys.DRAFTS_BINDINGS),
            ("Replies to you", keys.REPLIES_BINDINGS),
        ]
        return [
            (title, [(self.key_of(b), _described(b, ids)) for b in group])
            for title, group in sections
        ]

    def action_help(self) -> None:
        """Show every binding with its description."""
        from blogtui.ui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(ids=True)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette, each command once: Textual's (theme, screenshot, …) but "Keys" and, on
        the main screen, "Quit", which our "Help" and "Back/quit" cover; then every main-screen
        action."""
        from blogtui.ui.screens.main import MainScreen

        covered = {"Keys", "Quit"} if isinstance(screen, MainScreen) else {"Keys"}
        yield from (c for c in super().get_system_commands(screen) if c.title not in covered)
        if isinstance(screen, MainScreen):
            for binding in [*keys.MAIN_BINDINGS, *keys.ARTICLES_BINDINGS]:
                yield SystemCommand(
                    binding.description,
                    f"{binding.tooltip} ({self.key_of(binding)})",
                    partial(screen.run_action, binding.action),
                )
        yield SystemCommand("Help", "List every key binding (?)", self.action_help)


def _described(binding: Binding, with_id: bool) -> str:
    """A binding's description, ending in `(its-id)` when asked."""
    return (
        f"{binding.description} ({binding.id})" if with_id and binding.id else binding.description
    )


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
    *,
    thread_loader: ThreadLoader | None = None,
    flood_wait: float | None = None,
) -> BlogtuiApp:
    """Make the app from `places`, loading the config when not given; without a store, the
    app opens `places.database` itself after its first frame. `client_factory` makes the
    HTTP clients, `thread_loader` loads comment threads, `flood_wait` is the pause after
    "posting too quickly" (defaults: the core's)."""
    from blogtui.core.config import load_config

    config = load_config(places.config_file) if config is None else config
    return BlogtuiApp(
        store, config, places, client_factory, thread_loader=thread_loader, flood_wait=flood_wait
    )
