"""Moving through a comment thread: the CommentThread's cursor and folding actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.app import App

    from blogtui.ui.widgets.thread_layout import ThreadLayout


def _bind(keys: str, action: str, description: str, name: str, show: bool = False) -> Binding:
    return Binding(keys, action, description, show=show, id=f"comments.{name}")


COMMENT_BINDINGS: list[BindingType] = [
    _bind("j,down", "move(1)", "Next comment", "next"),
    _bind("k,up", "move(-1)", "Previous comment", "previous"),
    _bind("J", "sibling(1)", "Next sibling", "next_sibling"),
    _bind("K", "sibling(-1)", "Previous sibling", "previous_sibling"),
    _bind("p", "parent", "Parent", "parent"),
    _bind("n", "next_new", "Next new comment", "next_new", show=True),
    _bind("space", "toggle_fold", "Fold/unfold replies", "toggle", show=True),
    _bind("z", "fold_all", "Fold all", "fold_all"),
    _bind("Z", "unfold_all", "Unfold all", "unfold_all"),
    _bind("g,home", "first", "First comment", "first"),
    _bind("G,end", "last", "Last comment", "last"),
    _bind("c", "reply", "Reply", "reply", show=True),
    _bind("plus", "more", "Show all of a long comment", "more"),
]
"""The thread's keys; each id is `comments.<name>`, remappable through `config.keys`."""


class CommentNavigation:
    """Cursor actions over a thread layout; mixed into CommentThread, which draws and scrolls."""

    thread_layout: ThreadLayout
    _cursor: int
    _reported: set[int]

    if TYPE_CHECKING:
        app: App[object]

        def _move_to(self, index: int) -> None: ...

        def _refold(self, folded: set[int]) -> None: ...

    def select(self, key: str) -> bool:
        """Put the cursor on the comment with `key`; False when the thread has none."""
        keys = [entry.comment.key for entry in self.thread_layout.entries]
        if key not in keys:
            return False
        self._move_to(keys.index(key))
        return True

    def action_move(self, step: int) -> None:
        """Next (1) or previous (-1) shown comment."""
        pos = self.thread_layout.position(self._cursor)
        if pos >= 0:
            self._move_to(
                self.thread_layout.visible[
                    max(0, min(pos + step, len(self.thread_layout.visible) - 1))
                ]
            )

    def action_sibling(self, step: int) -> None:
        """Next (1) or previous (-1) comment with the same parent."""
        if self._cursor >= 0:
            entry = self.thread_layout.entries[self._cursor]
            target = entry.next_sibling if step > 0 else entry.prev_sibling
            if target >= 0:
                self._move_to(target)

    def action_parent(self) -> None:
        """The comment this one replies to."""
        if self._cursor >= 0 and (parent := self.thread_layout.entries[self._cursor].parent) >= 0:
            self._move_to(parent)

    def action_next_new(self) -> None:
        """The next new comment not yet read (wrapping around), unfolding as needed."""
        count = len(self.thread_layout.entries)
        for step in range(1, count + 1):
            index = (self._cursor + step) % count
            entry = self.thread_layout.entries[index]
            if entry.new and entry.comment.id not in self._reported:
                self._move_to(index)
                return
        self.app.bell()

    def action_toggle_fold(self) -> None:
        """Fold or unfold the replies below the cursor comment."""
        if self._cursor >= 0 and self.thread_layout.entries[self._cursor].children:
            self._refold(self.thread_layout.folded ^ {self._cursor})

    def action_fold_all(self) -> None:
        """Fold every comment that has replies."""
        self._refold({i for i, entry in enumerate(self.thread_layout.entries) if entry.children})

    def action_unfold_all(self) -> None:
        """Unfold everything."""
        self._refold(set())

    def action_more(self) -> None:
        """Show all of the cursor comment's text when it is cut short, or cut it short again."""
        layout, index = self.thread_layout, self._cursor
        if index >= 0 and (index in layout.expanded or layout.can_expand(index)):
            layout.expanded ^= {index}
            self._refold(layout.folded)
        else:
            self.app.bell()

    def action_first(self) -> None:
        """The first comment."""
        if self.thread_layout.visible:
            self._move_to(self.thread_layout.visible[0])

    def action_last(self) -> None:
        """The last shown comment."""
        if self.thread_layout.visible:
            self._move_to(self.thread_layout.visible[-1])
