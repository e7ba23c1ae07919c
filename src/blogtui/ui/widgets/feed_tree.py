"""The feeds tree as shown: "All articles", "Starred", then feeds, with folders ("a/b" nested) as
collapsible groups, each line fitted to the pane (title ellipsised, unread count right-aligned).

`FeedTree` shows feeds and keeps the cursor and open folders across updates; the feed list
(feed_list.FeedList) adds loading and the feed actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from blogtui.core.models import Feed
from blogtui.ui.display import display
from blogtui.ui.widgets.feed_labels import (
    STARRED_KEY,
    STARRED_TITLE,
    FeedEntry,
    feed_label,
    fit_label,
    group_label,
)

if TYPE_CHECKING:
    from rich.style import Style


class FeedTree(Tree[FeedEntry]):
    """Feeds grouped by folder, each with its unread count."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__("Feeds", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.feeds: list[Feed] = []
        """The feeds shown, in store order."""
        self._shape: list[tuple[int, str, str]] = []
        self._by_key: dict[str, TreeNode[FeedEntry]] = {}
        self._group_counts: dict[str, int] = {}
        """The unread count each folder (and "all") label shows now ("starred": its total)."""
        self.starred_count = 0
        """How many articles are starred (the "Starred" line's count)."""

    def process_label(self, label: str | Text) -> Text:
        """Labels are built as Text; a plain string is shown literally, never as markup."""
        return label if isinstance(label, Text) else Text(display(label), end="")

    def render_label(self, node: TreeNode[FeedEntry], base_style: Style, style: Style) -> Text:
        """The label fitted to the line: title ellipsised, unread count right-aligned."""
        label = super().render_label(node, base_style, style)
        entry = node.data
        if entry is None:
            return label
        if entry.feed is not None:
            count = entry.feed.unread
        else:
            count = self._group_counts.get(entry.key, 0)
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        indent = self.guide_depth * depth
        return fit_label(label, count, self.scrollable_content_region.width - indent)

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

    def line_of(self, key: str) -> int | None:
        """The tree line of the node with `key` (None when absent or folded away)."""
        node = self._by_key.get(key)
        return None if node is None or node.line < 0 else node.line

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
        self._by_key[STARRED_KEY] = self.root.add_leaf(
            group_label(STARRED_TITLE, self.starred_count), FeedEntry(STARRED_KEY, None)
        )
        self._group_counts[STARRED_KEY] = self.starred_count
        for feed in sorted(feeds, key=lambda f: bool(f.folder)):
            parent = self._folder_node(feed.folder, collapsed)
            entry = FeedEntry(f"feed:{feed.id}", (feed.id,), feed)
            self._by_key[entry.key] = parent.add_leaf(feed_label(feed), entry)
        self._relabel_groups(feeds)  # feed labels are new already: only the totals are left

    def show_starred(self, count: int) -> None:
        """Show `count` starred articles on the "Starred" line."""
        self.starred_count = count
        node = self._by_key.get(STARRED_KEY)
        if node is not None and self._group_counts.get(STARRED_KEY) != count:
            self._group_counts[STARRED_KEY] = count
            node.set_label(group_label(STARRED_TITLE, count))

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

        Only the labels whose text changes are set again, all at once (`_set_labels`).
        """
        by_id = {feed.id: feed for feed in feeds}
        changed: list[tuple[TreeNode[FeedEntry], Text]] = []
        for node in self._by_key.values():
            entry = node.data
            if entry is None or entry.feed is None or entry.feed.id not in by_id:
                continue
            feed = by_id[entry.feed.id]
            if feed == entry.feed:
                continue
            node.data = FeedEntry(entry.key, entry.feed_ids, feed)
            label = feed_label(feed)
            if label != node.label:
                changed.append((node, label))
        self._set_labels(changed)
        self._relabel_groups(feeds)

    def _set_labels(self, changed: list[tuple[TreeNode[FeedEntry], Text]]) -> None:
        """Give each node its new label, then repaint the tree once.

        This is what `TreeNode.set_label` does (Textual 8: the label in `_label`, a change
        count in `_updates`, part of the key of the tree's line cache) but for its repaint of
        the node, a message each: marking 1,000 feeds read spent most of its time in those.
        tests/ui/test_feed_relabel.py checks the lines shown, in and out of view.
        """
        for node, label in changed:
            node._label = self.process_label(label)
            node._updates += 1
        if changed:
            self.refresh()

    def _relabel_groups(self, feeds: list[Feed]) -> None:
        """Set "All articles" and the folders to their unread totals (and folder contents)."""
        unread = {feed.id: feed.unread for feed in feeds}
        changed: list[tuple[TreeNode[FeedEntry], Text]] = []
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
                changed.append((node, group_label(name, total)))
        self._set_labels(changed)

    def _leaf_ids(self, node: TreeNode[FeedEntry]) -> list[int]:
        ids: list[int] = []
        for child in node.children:
            if child.data is not None and child.data.feed is not None:
                ids.append(child.data.feed.id)
            ids.extend(self._leaf_ids(child))
        return ids
