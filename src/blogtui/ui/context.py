"""What screens and widgets get from the app: the services, typed (the App provides them).

Screens and widgets take an `AppContext` in their constructor instead of reaching for
`self.app`, so they never import the App (no import cycle) and their types are checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx
    from textual.binding import Binding

    from blogtui.core.comments.loading import ThreadResult
    from blogtui.core.config import Config
    from blogtui.core.models import Article
    from blogtui.core.paths import Places
    from blogtui.core.store import Store
    from blogtui.ui.services.outbox import Outbox
    from blogtui.ui.services.replies_watch import RepliesWatch


class ThreadLoader(Protocol):
    """Fetches and stores an article's comment thread, from a thread worker (the app's is
    core.comments.loading.load_thread_sync; tests give their own through `build_app`)."""

    def __call__(
        self,
        store: Store,
        article: Article,
        *,
        deadline: float,
        client_factory: Callable[[], httpx.AsyncClient],
    ) -> ThreadResult:
        """The thread as stored after the fetch; its `error` says why a fetch failed."""


class AppContext(Protocol):
    """The app's services, as screens and widgets see them."""

    @property
    def store(self) -> Store:
        """The database (one connection per thread)."""

    @property
    def config(self) -> Config:
        """The settings as they are now."""

    @property
    def places(self) -> Places:
        """Where blogtui keeps its files."""

    @property
    def outbox(self) -> Outbox:
        """The reply sender."""

    @property
    def replies_watch(self) -> RepliesWatch:
        """The replies-to-you announcer."""

    @property
    def thread_loader(self) -> ThreadLoader:
        """Fetches and stores an article's comment thread, from a thread worker."""

    def use_config(self, config: Config) -> None:
        """Use `config` from now on (saving it is the caller's)."""

    def make_client(self) -> httpx.AsyncClient:
        """A new HTTP client for one job (the caller closes it)."""

    def key_of(self, binding: Binding) -> str:
        """The keys that trigger `binding` now, keymap included, as the user types them."""
