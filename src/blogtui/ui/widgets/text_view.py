"""A long plain text drawn line by line (Textual's Line API), wrapped off the event loop.

`TextView` is as tall as its wrapped text and sits in a scrolling container (the reader), which
asks it only for the lines on screen. Short texts are wrapped at once; long ones show their
first part at once and are wrapped whole in a thread worker, again after each width change,
so the event loop never lays out a huge text. Lines are plain `Segment`s: never markup.
"""

from __future__ import annotations

import functools
import re
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from textual.geometry import Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import get_current_worker

SYNC_CHARS = 60_000
"""Texts up to this many characters are wrapped on the spot (the first frame shows them)."""
PREVIEW_CHARS = 20_000
"""Characters of a longer text wrapped on the spot and shown until its worker is done."""
_CHECK_EVERY = 2048
"""Paragraphs (or words) wrapped between looks at the cancel flag and GIL hand-overs."""


@dataclass(frozen=True, slots=True)
class Wrapped:
    """A text wrapped to `width` cells; `firsts[p]` is paragraph p's first line."""

    width: int = 0
    lines: list[str] = field(default_factory=list)
    firsts: list[int] = field(default_factory=list)
    complete: bool = True
    """False for a preview (a prefix) or a stale wrap, until the worker's result arrives."""

    def anchor(self, line: int) -> tuple[int, int]:
        """(paragraph, line within it) of wrapped line `line`."""
        paragraph = max(0, bisect_right(self.firsts, line) - 1)
        return paragraph, line - (self.firsts[paragraph] if self.firsts else 0)

    def line_of(self, paragraph: int, offset: int) -> int:
        """The wrapped line nearest to (paragraph, offset), clamped to the text."""
        if not self.lines:
            return 0
        if paragraph >= len(self.firsts):
            return len(self.lines) - 1
        end = self.firsts[paragraph + 1] if paragraph + 1 < len(self.firsts) else len(self.lines)
        return min(self.firsts[paragraph] + offset, end - 1)


@functools.lru_cache(maxsize=64)
def _ascii_wrapper(width: int) -> re.Pattern[str]:
    """Greedy wrap of ASCII text in one regex: longest run ending at a space, else chop."""
    return re.compile(rf"(\S.{{0,{width - 1}}})(?= |$) *|(\S{{{width}}})")


@functools.lru_cache(maxsize=64)
def _long_word(width: int) -> re.Pattern[str]:
    """A word longer than `width`."""
    return re.compile(rf"\S{{{width + 1}}}")


_WORDS = re.compile(r"\S+\s*")
_BREAK_AFTER = "/-?&=_.#:,;"
"""Where a word too long for a line (a URL, mostly) is cut, rather than mid-name."""


def _chop(word: str, width: int) -> list[str]:
    """`word`, too long for `width` cells, in pieces that fit: each cut after a separator of
    `_BREAK_AFTER` in its second half where there is one, else at the width."""
    if not word.isascii():
        return chop_cells(word, width)
    pieces = []
    while len(word) > width:
        cut = max(word.rfind(mark, width // 2, width) for mark in _BREAK_AFTER)
        cut = cut + 1 if cut >= 0 else width
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def _wrap_cells(body: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells (wide characters), keeping inner spaces."""
    out: list[str] = []
    current, used = "", 0
    for index, token in enumerate(_WORDS.findall(body)):
        if index % _CHECK_EVERY == _CHECK_EVERY - 1:
            time.sleep(0)  # let the event loop have the GIL (this runs in a worker)
        word = token.rstrip()
        spaces = token[len(word) :]
        size = cell_len(word)
        if used + size <= width:
            current += token
            used += size + cell_len(spaces)
            continue
        if current:
            out.append(current.rstrip())
        if size > width:
            pieces = _chop(word, width)
            out.extend(pieces[:-1])
            word = pieces[-1]
            size = cell_len(word)
        current, used = word + spaces, size + cell_len(spaces)
    if current.rstrip():
        out.append(current.rstrip())
    return out or [""]


def wrap_line(line: str, width: int) -> list[str]:
    """One over-long line as lines of at most `width` cells, indented like the original."""
    body = line.lstrip(" ")
    indent = " " * min(len(line) - len(body), width // 2)
    room = max(1, width - len(indent))
    if not body.isascii() or _long_word(room).search(body):
        pieces = _wrap_cells(body, room)
    elif " " in body:
        pieces = [a or b for a, b in _ascii_wrapper(room).findall(body)]
    else:
        pieces = [body[i : i + room] for i in range(0, len(body), room)]
    return [indent + piece for piece in pieces]


def wrap_text(
    text: str, width: int, *, cancelled: Callable[[], bool] | None = None, complete: bool = True
) -> Wrapped:
    """Wrap `text` to `width` cells, paragraph by paragraph; empty if `cancelled()` turns true."""
    width = max(1, width)
    lines: list[str] = []
    firsts: list[int] = []
    for index, raw in enumerate(text.split("\n")):
        if cancelled is not None and index % _CHECK_EVERY == 0:
            if cancelled():
                return Wrapped(width, [], [], complete=False)
            time.sleep(0)  # let the event loop have the GIL
        firsts.append(len(lines))
        line = (raw.expandtabs(4) if "\t" in raw else raw).rstrip()
        if (len(line) if line.isascii() else cell_len(line)) <= width:
            lines.append(line)
        else:
            lines.extend(wrap_line(line, width))
    return Wrapped(width, lines, firsts, complete=complete)


def preview_of(text: str) -> str:
    """The first part of a long text, cut at a line break where there is one."""
    head = text[:PREVIEW_CHARS]
    cut = head.rfind("\n")
    return head[:cut] if cut > PREVIEW_CHARS // 2 else head


class TextView(Widget):
    """Plain text wrapped to the widget's width; only the lines on screen are drawn."""

    DEFAULT_CSS = """
    TextView {
        height: auto;
    }
    """

    ALLOW_SELECT = True

    class WrapDone(Message, bubble=False):
        """A worker finished wrapping generation `generation` of the text."""

        def __init__(self, generation: int, wrapped: Wrapped) -> None:
            super().__init__()
            self.generation = generation
            self.wrapped = wrapped

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = text
        self._generation = 0
        self._wrapped = Wrapped(complete=False)
        self._pending: tuple[int, int] | None = None
        """(generation, width) a worker is wrapping now."""

    @property
    def text(self) -> str:
        """The whole text."""
        return self._text

    @property
    def lines(self) -> list[str]:
        """The lines shown now (the whole text once `wrapped` is complete)."""
        return self._wrapped.lines

    @property
    def wrapping(self) -> bool:
        """True while a worker wraps the text (a preview or an older wrap is shown)."""
        return self._pending is not None or not self._wrapped.complete

    def set_text(self, text: str, *, keep_position: bool = False) -> None:
        """Show `text`; with `keep_position` keep showing the old lines until it is wrapped
        (a long text), and keep the paragraph at the top of the view where it was."""
        self._text = text
        self._generation += 1
        self._pending = None
        old = self._wrapped
        if keep_position and old.lines:
            self._wrapped = Wrapped(old.width, old.lines, old.firsts, complete=False)
        else:
            self._wrapped = Wrapped(complete=False)
        width = self.size.width
        if width > 0:
            self._ensure(width, keep=keep_position)
        self.refresh(layout=True)

    # ------------------------------------------------------------------ wrapping

    def _ensure(self, width: int, *, keep: bool = True) -> None:
        """Have the text wrapped at `width`: at once when short, else in a worker."""
        current = self._wrapped
        if width <= 0 or (current.width == width and current.complete):
            return
        if len(self._text) <= SYNC_CHARS:
            self._show(wrap_text(self._text, width), keep=keep)
            return
        if self._pending == (self._generation, width):
            return
        if not current.lines or (current.width != width and not current.complete):
            self._show(wrap_text(preview_of(self._text), width, complete=False), keep=keep)
        self._pending = (self._generation, width)
        self.call_later(self._start_worker, self._generation, width)

    def _start_worker(self, generation: int, width: int) -> None:
        if self._pending != (generation, width):
            return
        text = self._text

        def job() -> None:
            worker = get_current_worker()
            wrapped = wrap_text(text, width, cancelled=lambda: worker.is_cancelled)
            if not worker.is_cancelled:
                self.post_message(self.WrapDone(generation, wrapped))

        self.run_worker(job, thread=True, exclusive=True, group="wrap", exit_on_error=False)

    def on_text_view_wrap_done(self, message: TextView.WrapDone) -> None:
        """A worker's wrap arrives: show it if it is still wanted."""
        wanted = (message.generation, message.wrapped.width)
        if self._pending == wanted and message.wrapped.complete:
            self._pending = None
            self._show(message.wrapped, keep=True)

    def _show(self, wrapped: Wrapped, *, keep: bool) -> None:
        """Show `wrapped`; with `keep`, hold the paragraph at the top of the scroller's view."""
        old = self._wrapped
        self._wrapped = wrapped
        self.refresh(layout=len(old.lines) != len(wrapped.lines))
        scroller = self.parent
        if not keep or not isinstance(scroller, Widget) or not old.lines:
            return
        top = round(scroller.scroll_y) - self.virtual_region.y
        if top <= 0:
            return
        if top < len(old.lines):
            paragraph, offset = old.anchor(top)
            target = wrapped.line_of(paragraph, offset)
        else:  # below the text (the comments): keep the distance to its end
            target = len(wrapped.lines) + top - len(old.lines)
        if target != top:
            y = self.virtual_region.y + target
            self.call_after_refresh(scroller.scroll_to, y=y, animate=False, immediate=True)

    # ------------------------------------------------------------------ drawing

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the text wraps to at `width` (the preview's while wrapping)."""
        self._ensure(width)
        return len(self._wrapped.lines)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the wrapped text."""
        width = self.size.width
        self._ensure(width)
        style = self.rich_style
        lines = self._wrapped.lines
        if y >= len(lines) or not lines[y]:
            return Strip.blank(width, style)
        text = lines[y]
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            segments = [Segment(text, style)]
        else:
            start, end = span
            end = len(text) if end < 0 else min(end, len(text))
            start = min(start, end)
            chosen = style + self.screen.get_component_rich_style("screen--selection")
            parts = ((text[:start], style), (text[start:end], chosen), (text[end:], style))
            segments = [Segment(part, part_style) for part, part_style in parts if part]
        return Strip(segments).adjust_cell_length(width, style).apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected part of the shown lines."""
        return selection.extract("\n".join(self._wrapped.lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        """Repaint the selection."""
        self.refresh()
