"""A virtual list: keeps row ids only, loads (LRU-cached) and draws just the visible lines.

Nothing here parses markup: strings become plain `Content`, so untrusted text shows literally.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

Row = TypeVar("Row")
RowVisual = Content | Text | Strip | str
RowLoader = Callable[[list[int]], list[Row]]
RowRenderer = Callable[[Row, int, bool], RowVisual]

_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\ufeff]"
)
"""Controls and bidi/format characters: never reach the terminal, whatever a renderer returns."""

_MISSING = object()
"""Cache marker for ids the loader did not return (deleted rows): drawn blank."""


def _row_id(row: object) -> int:
    """Default row key: the row's `id` attribute."""
    return row.id  # type: ignore[attr-defined]


def _unsafe_char(match: re.Match[str]) -> str:
    return "\u241b" if match.group() == "\x1b" else ""


def _safe(segments: Iterable[Segment]) -> list[Segment]:
    """Drop control segments; show ESC as a visible symbol, remove other controls."""
    return [
        Segment(_UNSAFE.sub(_unsafe_char, segment.text), segment.style)
        for segment in segments
        if segment.text and not segment.control
    ]


class RowList(ScrollView, Generic[Row], can_focus=True):
    """A keyboard-first list that draws only the visible rows of a large id sequence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Down", show=False, id="row_list.cursor_down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="row_list.cursor_up"),
        Binding("g,home", "first", "First", show=False, id="row_list.first"),
        Binding("G,end", "last", "Last", show=False, id="row_list.last"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="row_list.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="row_list.page_up"),
        Binding("enter", "select", "Open", id="row_list.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--cursor", "row-list--empty"}

    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        & > .row-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .row-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .row-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """Index of the cursor row in the id sequence."""

    class _RowMessage(Message):
        """Base for messages about one row."""

        def __init__(self, row_list: RowList, row_id: int, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.row_id = row_id
            self.index = index

        @property
        def control(self) -> RowList:
            """The list that sent the message."""
            return self.row_list

    class Highlighted(_RowMessage):
        """The row under the cursor changed."""

    class Selected(_RowMessage):
        """A row was chosen (enter or click)."""

    def __init__(
        self,
        row_loader: RowLoader[Row],
        row_renderer: RowRenderer[Row],
        ids: Sequence[int] = (),
        *,
        row_key: Callable[[Row], int] = _row_id,
        empty_text: str = "Nothing here.",
        cache_size: int = 512,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Make a list; `row_loader` maps ids to rows (any order, missing ids left out)."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.row_loader = row_loader
        self.row_renderer = row_renderer
        self.row_key = row_key
        self.empty_text = empty_text
        self.cache_size = cache_size
        self._ids: Sequence[int] = ids
        self._rows: OrderedDict[int, object] = OrderedDict()
        self._strips: OrderedDict[tuple[int, bool], tuple[Style, int, Strip]] = OrderedDict()
        self._highlighted_id: int | None = None

    @property
    def ids(self) -> Sequence[int]:
        """The row ids, in display order."""
        return self._ids

    @property
    def cursor_id(self) -> int | None:
        """Id of the row under the cursor, `None` when the list is empty."""
        return self._ids[self.cursor] if self._ids else None

    @property
    def cursor_row(self) -> Row | None:
        """The row under the cursor (loaded on demand), `None` if empty or gone."""
        row_id = self.cursor_id
        return None if row_id is None else self.get_row(row_id)

    def get_row(self, row_id: int) -> Row | None:
        """One row through the cache, `None` if the loader does not know it."""
        self._load([row_id])
        row = self._rows.get(row_id, _MISSING)
        return None if row is _MISSING else row  # type: ignore[return-value]

    def set_rows(self, ids: Sequence[int], keep_cursor_on: int | None = None) -> None:
        """Replace the ids; keep the cursor (and its screen line) on `keep_cursor_on` if present.

        With `keep_cursor_on=None` the cursor goes to the top. If that id is gone, the cursor
        keeps its index (clamped), so it lands on a neighbour.
        """
        old_index = self.cursor
        screen_line = old_index - self.scroll_offset.y
        self._ids = ids
        if keep_cursor_on is None:
            index, screen_line = 0, 0
        else:
            try:
                index = ids.index(keep_cursor_on)
            except ValueError:
                index = old_index
        index = max(0, min(index, len(ids) - 1))
        self._update_virtual_size()
        self.set_reactive(RowList.cursor, index)
        self.scroll_to(y=max(0, index - screen_line), animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlighted()

    def refresh_rows(self, ids: Iterable[int] | None = None) -> None:
        """Forget cached rows (`ids`, or all) and repaint; they reload when drawn."""
        if isinstance(ids, Sized) and len(ids) > len(self._rows):
            ids = None  # more ids than rows cached (a whole feed marked read): forget them all
        if ids is None:
            self._rows.clear()
            self._strips.clear()
        else:
            for row_id in ids:
                self._rows.pop(row_id, None)
                self._strips.pop((row_id, False), None)
                self._strips.pop((row_id, True), None)
        self.refresh()

    def _load(self, ids: Iterable[int]) -> None:
        """Load the uncached ones of `ids` in one loader call; trim the LRU cache."""
        rows = self._rows
        missing = [row_id for row_id in ids if row_id not in rows]
        if missing:
            key = self.row_key
            for row in self.row_loader(missing):
                rows[key(row)] = row
            for row_id in missing:
                rows.setdefault(row_id, _MISSING)
        limit = max(self.cache_size, 4 * self.scrollable_content_region.height)
        while len(rows) > limit:
            row_id, _ = rows.popitem(last=False)
            self._strips.pop((row_id, False), None)
            self._strips.pop((row_id, True), None)

    def _load_window(self) -> None:
        """Make sure the visible rows (and a page either side) are cached."""
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        rows = self._rows
        visible = self._ids[top : top + height]
        if any(row_id not in rows for row_id in visible):
            self._load(self._ids[max(0, top - height) : top + 2 * height])
        for row_id in visible:
            if row_id in rows:
                rows.move_to_end(row_id)

    def _update_virtual_size(self) -> None:
        """Virtual height is the row count; width is the view (no horizontal scroll)."""
        size = Size(self.scrollable_content_region.width, len(self._ids))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Load the visible window in one call before lines are drawn."""
        if self._ids:
            self._load_window()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Draw viewport line `y`."""
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if not self._ids:
            if y == 0 and self.empty_text:
                style = self.get_visual_style("row-list--empty")
                return self._to_strip(Content(self.empty_text), width, style)
            return Strip.blank(width, self.visual_style.rich_style)
        if index >= len(self._ids):
            return Strip.blank(width, self.visual_style.rich_style)
        row_id = self._ids[index]
        selected = index == self.cursor
        style = self.get_visual_style("row-list--cursor") if selected else self.visual_style
        key = (row_id, selected)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is style and cached[1] == width:
            return cached[2]
        row = self._rows.get(row_id)
        if row is None:
            self._load([row_id])
            row = self._rows.get(row_id, _MISSING)
        if row is _MISSING:
            return Strip.blank(width, style.rich_style)
        strip = self._to_strip(self.row_renderer(row, width, selected), width, style)  # type: ignore[arg-type]
        self._strips[key] = (style, width, strip)
        if len(self._strips) > max(self.cache_size, 4 * self.scrollable_content_region.height):
            self._strips.popitem(last=False)
        return strip

    def _to_strip(self, visual: RowVisual, width: int, style: Style) -> Strip:
        """One line of exactly `width` cells over `style`; never parses markup."""
        if isinstance(visual, Strip):
            strip = Strip(_safe(visual.apply_style(style.rich_style)))
            return strip.crop_extend(0, width, style.rich_style)
        if isinstance(visual, str):
            content = Content(visual)
        elif isinstance(visual, Text):
            content = Content.from_rich_text(visual)
        else:
            content = visual
        content = content.first_line.truncate(width)
        segments = [
            Segment(text, (style + text_style).rich_style)
            for text, text_style in content.render(style, end="", parse_style=self._get_style)
        ]
        return Strip(_safe(segments)).crop_extend(0, width, style.rich_style)

    def notify_style_update(self) -> None:
        """Theme or focus changed: repaint."""
        self._strips.clear()
        self.refresh()
        super().notify_style_update()

    def _on_resize(self, event: events.Resize) -> None:
        """Width or height changed: resize the virtual area, keep the cursor visible."""
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self.refresh()

    def on_mount(self) -> None:
        """Set up the scroll area and announce the first row."""
        self._update_virtual_size()
        self._post_highlighted()

    def validate_cursor(self, cursor: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(cursor, len(self._ids) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two changed lines, scroll, tell the app."""
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        self._post_highlighted()

    def refresh_line(self, y: int) -> None:
        """Repaint one row, given as an index into the ids."""
        if 0 <= y - self.scroll_offset.y < self.scrollable_content_region.height:
            self.refresh(Region(0, y - self.scroll_offset.y, self.size.width, 1))

    def _scroll_cursor_into_view(self) -> None:
        """Scroll the least needed to show the cursor row."""
        height = self.scrollable_content_region.height
        if not height:
            return
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _post_highlighted(self) -> None:
        """Post `Highlighted` when the id under the cursor changed."""
        row_id = self.cursor_id
        if row_id is not None and row_id != self._highlighted_id:
            self.post_message(self.Highlighted(self, row_id, self.cursor))
        self._highlighted_id = row_id

    def action_move(self, rows: int) -> None:
        """Move the cursor by `rows`."""
        self.cursor += rows

    def action_page(self, pages: int) -> None:
        """Move cursor and view by `pages` screens, keeping the cursor's screen line."""
        height = max(1, self.scrollable_content_region.height)
        screen_line = self.cursor - self.scroll_offset.y
        target = self.validate_cursor(self.cursor + pages * height)
        self.scroll_to(y=max(0, target - screen_line), animate=False, immediate=True)
        self.cursor = target

    def action_first(self) -> None:
        """Go to the first row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Go to the last row."""
        self.cursor = len(self._ids) - 1

    def action_select(self) -> None:
        """Post `Selected` for the cursor row."""
        if (row_id := self.cursor_id) is not None:
            self.post_message(self.Selected(self, row_id, self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        """Click a row: move the cursor there and select it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._ids):
            event.stop()
            self.cursor = index
            self.action_select()
