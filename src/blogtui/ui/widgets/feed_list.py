"""The feeds pane: "All articles", then feeds, with folders ("a/b" nested) as collapsible groups.

The feed list owns the feeds: it loads them (offering the welcome screen when there are none)
and adds, removes, renames and marks them read in its own workers. The screen hears
`Subscribed` (refresh the new feed) and `Rewritten` (list the articles again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker

from blogtui.core.models import Feed
from blogtui.ui import messages
from blogtui.ui.display import display, display_text
from blogtui.ui.keys import FEED_LIST_BINDINGS

if TYPE_CHECKING:
    from blogtui.core.feeds.discover import Discovered
    from blogtui.ui.context import AppContext

ERROR_MARKER = "!"
"""Shown before a feed whose last fetch failed; `i` tells why."""


@dataclass(frozen=True)
class FeedEntry:
    """What one tree node stands for: all feeds, a folder, or one feed."""

    key: str
    """Stable identity across rebuilds: "all", "folder:<path>" or "feed:<id>"."""
    feed_ids: tuple[int, ...] | None
    """The feeds it covers; None for all."""
    feed: Feed | None = None


def feed_label(feed: Feed) -> Text:
    """A feed's label: error marker, sanitised title, unread count. Never markup."""
    label = Text(end="")
    if feed.last_error or feed.gone:
        label.append(f"{ERROR_MARKER} ", style="bold red")
    label.append_text(display_text(feed.display_title, limit=80))
    if feed.unread:
        label.append(f" {feed.unread}", style="bold")
    return label


def group_label(name: str, unread: int) -> Text:
    """A folder's (or "All articles") label with its unread total."""
    label = display_text(name, "bold", limit=80)
    if unread:
        label.append(f" {unread}", style="bold")
    return label


class FeedList(Tree[FeedEntry]):
    """Feeds grouped by folder, each with its unread count."""

    BINDINGS: ClassVar[list[BindingType]] = [*FEED_LIST_BINDINGS]

    @dataclass
    class Subscribed(Message):
        """A new feed was subscribed to (it wants a refresh)."""

        feed: Feed

    class Rewritten(Message):
        """Feeds were changed or removed: the article list must be read again."""

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__("Feeds", id=id)
        self.context = context
        self._welcomed = False
        self.show_root = False
        self.guide_depth = 2
        self.feeds: list[Feed] = []
        """The feeds shown, in store order."""
        self._shape: list[tuple[int, str, str]] = []
        self._by_key: dict[str, TreeNode[FeedEntry]] = {}
        self._group_counts: dict[str, int] = {}
        """The unread count each folder (and "all") label shows now."""

    def process_label(self, label: str | Text) -> Text:
        """Labels are built as Text; a plain string is shown literally, never as markup."""
        return label if isinstance(label, Text) else Text(display(label), end="")

    @property
    def current(self) -> FeedEntry | None:
        """The entry under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def current_feed(self) -> Feed | None:
        """The feed under the cursor, if the cursor is on a feed."""
        entry = self.current
        return entry.feed if entry is not None else None

    def show_feeds(self, feeds: list[Feed]) -> None:
        """Show `feeds`, keeping the cursor and the open folders where they were."""
        self.feeds = feeds
        shape = [(feed.id, feed.folder, feed.display_title) for feed in feeds]
        if shape == self._shape and self.root.children:
            self._relabel(feeds)
            return
        self._shape = shape
        current = self.current.key if self.current else "all"
        collapsed = {
            key
            for key, node in self._by_key.items()
            if key.startswith("folder:") and not node.is_expanded
        }
        self.clear()
        self._by_key = {}
        self._group_counts = {}
        self._populate(feeds, collapsed)
        if not self.select_key(current):
            self.select_key("all")

    def labels(self) -> dict[str, str]:
        """Each node's label as plain text, by key ("all", "folder:<path>", "feed:<id>")."""
        return {key: str(node.label) for key, node in self._by_key.items()}

    def select_key(self, key: str) -> bool:
        """Move the cursor to the node with `key`; False when there is none."""
        node = self._by_key.get(key)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        _ = self.last_line  # lays the lines out, so the node knows its line
        self.move_cursor(node)
        return True

    def _populate(self, feeds: list[Feed], collapsed: set[str]) -> None:
        self._by_key["all"] = self.root.add_leaf(
            group_label("All articles", 0), FeedEntry("all", None)
        )
        for feed in sorted(feeds, key=lambda f: bool(f.folder)):
            parent = self._folder_node(feed.folder, collapsed)
            entry = FeedEntry(f"feed:{feed.id}", (feed.id,), feed)
            self._by_key[entry.key] = parent.add_leaf(feed_label(feed), entry)
        self._relabel_groups(feeds)  # feed labels are new already: only the totals are left

    def _folder_node(self, folder: str, collapsed: set[str]) -> TreeNode[FeedEntry]:
        parts = [part.strip() for part in folder.split("/") if part.strip()]
        node = self.root
        for depth in range(len(parts)):
            key = "folder:" + "/".join(parts[: depth + 1])
            if key not in self._by_key:
                label = group_label(parts[depth], 0)
                self._by_key[key] = node.add(label, FeedEntry(key, ()), expand=key not in collapsed)
                self._group_counts[key] = 0
            node = self._by_key[key]
        return node

    def _relabel(self, feeds: list[Feed]) -> None:
        """Update labels and folder contents in place (counts change far more than structure).

        Only labels whose text changes are set again: each set schedules a node repaint.
        """
        by_id = {feed.id: feed for feed in feeds}
        for node in self._by_key.values():
            entry = node.data
            if entry is None or entry.feed is None or entry.feed.id not in by_id:
                continue
            feed, old = by_id[entry.feed.id], entry.feed
            if feed == old:
                continue
            node.data = FeedEntry(entry.key, entry.feed_ids, feed)
            if (feed.display_title, feed.unread, feed.last_error, feed.gone) != (
                old.display_title, old.unread, old.last_error, old.gone
            ):  # fmt: skip
                node.set_label(feed_label(feed))
        self._relabel_groups(feeds)

    def _relabel_groups(self, feeds: list[Feed]) -> None:
        """Set "All articles" and the folders to their unread totals (and folder contents)."""
        unread = {feed.id: feed.unread for feed in feeds}
        for key, node in self._by_key.items():
            entry = node.data
            if entry is None:
                continue
            if key == "all":
                name, total = "All articles", sum(unread.values())
            elif key.startswith("folder:"):
                ids = tuple(self._leaf_ids(node))
                if ids != entry.feed_ids:
                    node.data = FeedEntry(key, ids)
                name = key.removeprefix("folder:").rsplit("/", 1)[-1]
                total = sum(unread.get(i, 0) for i in ids)
            else:
                continue
            if self._group_counts.get(key) != total:
                self._group_counts[key] = total
                node.set_label(group_label(name, total))

    def _leaf_ids(self, node: TreeNode[FeedEntry]) -> list[int]:
        ids: list[int] = []
        for child in node.children:
            if child.data is not None and child.data.feed is not None:
                ids.append(child.data.feed.id)
            ids.extend(self._leaf_ids(child))
        return ids

    # -- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def load(self) -> None:
        """Read the feed list (with counts) from the store."""
        self.post_message(messages.FeedsLoaded(self.context.store.list_feeds()))

    @on(messages.FeedsLoaded)
    def _feeds_loaded(self, message: messages.FeedsLoaded) -> None:
        message.stop()
        self.show_feeds(message.feeds)
        if message.relist:
            self.post_message(self.Rewritten())
        if not message.feeds and not self._welcomed:
            self._welcomed = True
            from blogtui.ui.screens.welcome import WelcomeScreen

            self.app.push_screen(WelcomeScreen(), self._welcome_closed)

    def _welcome_closed(self, add_feed: bool | None) -> None:
        if add_feed:
            self.add_feed()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event)) is not None:
            self.post_message(failed)

    def feed_or_warn(self) -> Feed | None:
        """The feed under the cursor; without one, say so."""
        feed = self.current_feed
        if feed is None:
            self.notify("Put the cursor on a feed first.", severity="warning", markup=False)
        return feed

    # -- add, remove, rename, details, mark read --------------------------------------------

    def add_feed(self) -> None:
        """Ask for a URL, find its feed, subscribe and fetch it."""
        from blogtui.ui.screens.dialogs import AddFeedScreen

        def added(found: Discovered | None) -> None:
            if found is not None:
                self._subscribe(found)

        self.app.push_screen(AddFeedScreen(self.context.make_client), added)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _subscribe(self, found: Discovered) -> None:
        feed, created = self.context.store.add_feed(found.feed_url, found.title, found.site_url)
        self.post_message(messages.FeedAdded(feed, created))

    @on(messages.FeedAdded)
    def _feed_added(self, message: messages.FeedAdded) -> None:
        message.stop()
        title = display(message.feed.display_title, limit=100)
        if not message.created:
            self.notify(f"Already subscribed to {title}.", markup=False)
        else:
            self.notify(f"Subscribed to {title}.", markup=False)
            self.post_message(self.Subscribed(message.feed))
        self.show_feeds([*self.feeds, message.feed])
        self.select_key(f"feed:{message.feed.id}")
        self.load()

    def remove_feed(self) -> None:
        """Unsubscribe from the feed under the cursor, after confirming."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        feed = self.feed_or_warn()
        if feed is None:
            return
        question = f"Remove {feed.display_title} and its {feed.total} articles?\n{feed.url}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.context.store.remove_feed, feed.id)

        self.app.push_screen(ConfirmScreen("Remove feed", question, yes="Remove"), answered)

    def rename_feed(self) -> None:
        """Give the feed under the cursor a title of your own (empty restores its own)."""
        from blogtui.ui.screens.dialogs import PromptScreen

        feed = self.feed_or_warn()
        if feed is None:
            return

        def renamed(title: str | None) -> None:
            if title is not None:
                self._write(self.context.store.rename_feed, feed.id, title)

        prompt = PromptScreen("Rename feed", display(feed.display_title), "its own title")
        self.app.push_screen(prompt, renamed)

    def show_details(self) -> None:
        """Show the fetch state of the feed under the cursor, its last error included."""
        from blogtui.ui.screens.dialogs import FeedDetailsScreen

        feed = self.feed_or_warn()
        if feed is not None:
            self.app.push_screen(FeedDetailsScreen(feed))

    def mark_read(self, feed_ids: tuple[int, ...] | None) -> None:
        """Mark every article of `feed_ids` (None: all feeds) read."""
        for feed_id in [f.id for f in self.feeds] if feed_ids is None else feed_ids:
            self._write(self.context.store.mark_feed_read, feed_id)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _write(self, change: Callable[..., object], *args: object) -> None:
        """Run one store change, then reload the feeds (and with them the article list)."""
        change(*args)
        self.post_message(messages.FeedsLoaded(self.context.store.list_feeds(), relist=True))
