"""An article's comment thread as a tree, drawn line by line (Textual's Line API).

Each comment is a block: a header (author, age, markers), its wrapped text, a spacer line, all
indented by depth behind │ ├ └ guides. Only visible lines are drawn; texts are extracted and
wrapped per comment on first need and cached, so opening and moving stay cheap at any size.
Comment text is plain `Segment` text: never parsed as markup, so hostile text shows literally.

"New" means: unseen, and first stored after the previous visit (`ThreadState.last_visit`, as it
was before this visit). Nothing is new on a first visit. A refresh with `keep_position=True`
keeps that baseline and the markers already shown, so the screen may call `visit_thread` at once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from blogtui.core.comments.marks import ThreadMarks
from blogtui.core.models import Comment, ThreadState
from blogtui.ui.widgets.comment_layout import (
    Entry,
    guides,
    header_parts,
    is_new,
    more_note,
    notices,
    offers_no_comments,
)
from blogtui.ui.widgets.comment_navigation import COMMENT_BINDINGS, CommentNavigation
from blogtui.ui.widgets.thread_layout import ThreadLayout

_PARTS = ("guide", "author", "post-author", "you", "lookalike", "date", "new", "pending", "orphan",
          "notice", "empty", "folded", "cursor")  # fmt: skip


class CommentThread(CommentNavigation, ScrollView, can_focus=True):
    """A comment thread with a cursor on one comment; see the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = COMMENT_BINDINGS

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"comment-thread--{part}" for part in _PARTS}

    DEFAULT_CSS = """
    CommentThread {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
        & > .comment-thread--guide { color: $text-muted; }
        & > .comment-thread--author { text-style: bold; }
        & > .comment-thread--post-author { color: $accent; text-style: bold; }
        & > .comment-thread--you { color: $success; text-style: bold; }
        & > .comment-thread--lookalike { color: $text-error; text-style: bold; }
        & > .comment-thread--date { color: $text-muted; }
        & > .comment-thread--new { color: $text-warning; text-style: bold; }
        & > .comment-thread--pending { color: $text-error; text-style: italic; }
        & > .comment-thread--orphan { color: $text-muted; text-style: italic; }
        & > .comment-thread--notice { color: $text-warning; }
        & > .comment-thread--empty { color: $text-muted; text-style: italic; }
        & > .comment-thread--folded { color: $text-accent; }
        & > .comment-thread--cursor { background: $block-cursor-blurred-background; }
        &:focus > .comment-thread--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """

    class _CommentMessage(Message):
        """Base of the messages about one comment."""

        def __init__(self, thread: CommentThread, comment: Comment) -> None:
            super().__init__()
            self.thread = thread
            self.comment = comment

        @property
        def control(self) -> CommentThread:
            """The thread widget that sent it."""
            return self.thread

    class SeenComments(Message):
        """New comments were shown under the cursor: the screen marks them seen (`ids`)."""

        def __init__(self, thread: CommentThread, ids: list[int]) -> None:
            super().__init__()
            self.thread = thread
            self.ids = ids

        @property
        def control(self) -> CommentThread:
            """The thread widget that sent it."""
            return self.thread

    class CommentHighlighted(_CommentMessage):
        """The comment under the cursor changed."""

    class ReplyRequested(_CommentMessage):
        """The user asked to reply to `comment` (key c)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """An empty thread; fill it with `set_thread`."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.thread_layout = ThreadLayout()
        """The layout: entries, folds, block positions."""
        self._state = ThreadState(0)
        self._marks = ThreadMarks((), self._state)
        self._cursor = -1
        self._baseline: float | None = None
        self._new_keys: set[str] = set()
        self._reported: set[int] = set()
        self._strips: dict[tuple[int, int, bool], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._highlighted: Comment | None = None
        self._refiner: Timer | None = None
        self.more_key = "+"
        """The show-more key as the "… N more lines" note names it."""
        self.reply_key = "c"
        """The reply key as the notices name it."""

    @property
    def comments(self) -> list[Comment]:
        """The comments in display order."""
        return [entry.comment for entry in self.thread_layout.entries]

    @property
    def cursor_comment(self) -> Comment | None:
        """The comment under the cursor, None when the thread is empty."""
        return self.thread_layout.entries[self._cursor].comment if self._cursor >= 0 else None

    @property
    def state(self) -> ThreadState:
        """What is known about the thread shown (as given to `set_thread`)."""
        return self._state

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` with no comment under the cursor is not the thread's: it goes to the reader."""
        return self.cursor_comment is not None if action == "reply" else True

    @property
    def new_ids(self) -> list[int]:
        """Ids of the comments marked new, in display order."""
        return [e.comment.id for e in self.thread_layout.entries if e.new]

    def set_thread(
        self,
        comments: list[Comment],
        state: ThreadState,
        *,
        marks: ThreadMarks | None = None,
        keep_position: bool = False,
    ) -> None:
        """Show `comments`; with `keep_position` keep the cursor comment, folds and scroll line."""
        layout = self.thread_layout
        old = self.cursor_comment.key if keep_position and self.cursor_comment else None
        folded = {layout.entries[i].comment.key for i in layout.folded} if keep_position else set()
        whole = {layout.entries[i].comment.key for i in layout.expanded} if keep_position else set()
        screen_line = layout.line_of(self._cursor) - round(self.scroll_y) if old else 0
        if keep_position:
            self._baseline = self._baseline if self._baseline is not None else state.last_visit
        else:
            self._baseline, self._new_keys, self._reported = state.last_visit, set(), set()
        self._state, self._marks = state, marks or ThreadMarks(comments, state)
        layout.load(comments, folded, whole)
        for entry in layout.entries:
            key = entry.comment.key
            if key in self._new_keys or is_new(entry.comment, self._baseline):
                entry.new = True
                self._new_keys.add(key)
        keys = {e.comment.key: i for i, e in enumerate(layout.entries)} if old else {}
        self._cursor = keys.get(old, 0) if old else (0 if layout.entries else -1)
        self._relayout()
        if old and self._cursor >= 0:
            self._cursor = layout.nearest_visible(self._cursor)
            target = max(0, layout.line_of(self._cursor) - screen_line)
            self.scroll_to(y=target, animate=False, immediate=True)
        else:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self._announce(user=False)

    def _relayout(self) -> None:
        """Lay out at the current width (not before the widget has one)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        count = len(self.thread_layout.entries)
        self.thread_layout.relayout(width, notices(self._state, count, self.reply_key))
        self._strips.clear()
        self._update_size()
        if self._refiner is None and not self.thread_layout.done:
            self._refiner = self.set_timer(0.05, self._refine_step)

    def _update_size(self) -> None:
        size = Size(self.thread_layout.width, self.thread_layout.total)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def _refine_step(self) -> None:
        """Background layout: make some more blocks exact, then come back."""
        self._refiner = None
        self.thread_layout.refine(256)
        self._update_size()
        if not self.thread_layout.done:
            self._refiner = self.set_timer(0.01, self._refine_step)

    def _ensure_layout(self) -> None:
        """Re-wrap after a width change, keeping the cursor comment on its screen line."""
        if self.scrollable_content_region.width != self.thread_layout.width:
            keep = self.thread_layout.line_of(self._cursor) - round(self.scroll_y)
            self._relayout()
            if self._cursor >= 0 and self.thread_layout.width > 0:
                y = max(0, self.thread_layout.line_of(self._cursor) - keep)
                self.scroll_to(y=y, animate=False, immediate=True)

    # ------------------------------------------------------------------ drawing

    def _style(self, part: str) -> Style:
        """A component's partial style ("base": the widget's own), cached until restyled."""
        style = self._styles.get(part)
        if style is None:
            if part == "base":
                style = self._styles[part] = self.rich_style
            else:
                name = f"comment-thread--{part}"
                style = self._styles[part] = self.get_component_rich_style(name, partial=True)
        return style

    def notify_style_update(self) -> None:
        """Theme or focus changed: forget styles and strips, repaint."""
        self._styles.clear()
        self._strips.clear()
        self.refresh()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Draw viewport line `y`."""
        self._ensure_layout()
        layout, base = self.thread_layout, self._style("base")
        width, line = max(0, layout.width), round(self.scroll_y) + y
        text, part = "", "notice"
        offered_none = offers_no_comments(self._state, len(layout.entries))
        if line < len(layout.notice_lines):
            text = layout.notice_lines[line]
        elif not layout.entries and line == len(layout.notice_lines) and not offered_none:
            closed = self._state.comments_open is False
            text, part = ("Comments are closed." if closed else "No comments yet."), "empty"
        if text or not layout.entries:
            segments = [Segment(text, base + self._style(part))]
            return Strip(segments).adjust_cell_length(width, base)
        total = layout.total
        index, offset = layout.locate(line)
        if layout.total != total:
            self.call_later(self._update_size)
        if index < 0:
            return Strip.blank(width, base)
        key = (index, offset, index == self._cursor)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4096:
                self._strips.clear()
            strip = self._strips[key] = self._draw(index, offset, key[2], width)
        return strip

    def _draw(self, index: int, offset: int, selected: bool, width: int) -> Strip:
        """Line `offset` of comment block `index`."""
        entry = self.thread_layout.entries[index]
        base = self._style("base")
        cursor = self._style("cursor") if selected else Style()
        cont, branch, last = guides()
        guide = base + self._style("guide")
        if offset == 0:
            prefix = entry.inherited + ((branch if entry.has_next else last) if entry.depth else "")
            segments = [Segment(prefix, guide), *self._header(entry, index, base + cursor)]
        else:
            own = (cont if entry.has_next else "  ") if entry.depth else ""
            kids = cont if entry.children and index not in self.thread_layout.folded else "  "
            segments = [Segment(entry.inherited + own + kids, guide)]
            lines, more = self.thread_layout.lines(index)
            if offset - 1 < len(lines):
                segments.append(Segment(lines[offset - 1], base + cursor))
            elif more and offset - 1 == len(lines):
                note = more_note(
                    more, self.more_key if self.thread_layout.can_expand(index) else ""
                )
                segments.append(Segment(note, base + self._style("date") + cursor))
        return Strip(segments).adjust_cell_length(width, base + cursor if selected else base)

    def _header(self, entry: Entry, index: int, style: Style) -> list[Segment]:
        hidden = entry.end - index - 1 if index in self.thread_layout.folded else None
        parts = header_parts(entry, self._marks.of(entry.comment), hidden)
        return [Segment(text, style + self._style(part)) for text, part in parts]

    # ------------------------------------------------------------------ cursor

    def _move_to(self, index: int) -> None:
        """Put the cursor on entry `index` (unfolding ancestors), scroll, announce."""
        if not self.thread_layout.entries:
            return
        index = max(0, min(index, len(self.thread_layout.entries) - 1))
        parent, unfolded = self.thread_layout.entries[index].parent, False
        while parent >= 0:
            if parent in self.thread_layout.folded:
                self.thread_layout.folded.discard(parent)
                unfolded = True
            parent = self.thread_layout.entries[parent].parent
        if unfolded:
            self._relayout()
        self._cursor = index
        self._scroll_to_cursor()
        self.refresh()
        self._announce(user=True)

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if self._cursor < 0 or height <= 0:
            return
        top = self.thread_layout.line_of(self._cursor)
        bottom = top + self.thread_layout.block_height(self._cursor) - 2
        if self._cursor == self.thread_layout.visible[0]:
            top = 0  # show the notices above the first comment
        scroll = round(self.scroll_y)
        if top < scroll:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom >= scroll + height:
            self.scroll_to(y=min(top, bottom - height + 1), animate=False, immediate=True)

    def _announce(self, *, user: bool) -> None:
        comment = self.cursor_comment
        if comment is None:
            return
        if comment is not self._highlighted:
            self._highlighted = comment
            self.post_message(self.CommentHighlighted(self, comment))
        if (user or self.has_focus) and self.thread_layout.entries[self._cursor].new:
            if comment.id not in self._reported:
                self._reported.add(comment.id)
                self.post_message(self.SeenComments(self, [comment.id]))

    def _on_focus(self, event: events.Focus) -> None:
        self._announce(user=True)

    def _refold(self, folded: set[int]) -> None:
        keep = self.thread_layout.line_of(self._cursor) - round(self.scroll_y)
        self.thread_layout.folded = folded
        self._relayout()
        if self._cursor >= 0:
            self._cursor = self.thread_layout.nearest_visible(self._cursor)
            y = max(0, self.thread_layout.line_of(self._cursor) - keep)
            self.scroll_to(y=y, animate=False, immediate=True)
            self._scroll_to_cursor()
        self.refresh()
        self._announce(user=True)

    # ------------------------------------------------------------------ actions

    def action_reply(self) -> None:
        """Ask the screen to start a reply to the cursor comment."""
        if (comment := self.cursor_comment) is not None:
            self.post_message(self.ReplyRequested(self, comment))

    # ------------------------------------------------------------------ events

    def _on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()
        self._scroll_to_cursor()
        self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        """Click a comment: put the cursor on it (nothing else: no text is ever a link)."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index, _ = self.thread_layout.locate(round(self.scroll_y) + offset.y)
        if index >= 0:
            event.stop()
            self._move_to(index)
