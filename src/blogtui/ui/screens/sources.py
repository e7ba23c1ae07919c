"""The comment-source chooser (`S` in the thread), the discussions found (`E`) and the thread
details (`i`): small dialogs over the reader.

Every line is built from sanitised values (`display_text`), never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from blogtui.ui.display import display_text
from blogtui.ui.screens.dialogs import CLOSE, NoAnswerDialog

DISCUSSIONS = "\x00discussions"
"""The chooser's answer for its last line, "Look up discussions elsewhere"."""


@dataclass(frozen=True)
class SourceLine:
    """One line of the chooser: the source's name (its answer) and how it is shown."""

    name: str
    title: str
    """"Comments via WordPress · 34", "Hacker News discussion · 312"."""
    detail: str = ""
    """After the title, dimmed: "shown", "not read yet", its last error."""
    enabled: bool = True


def _prompt(line: SourceLine) -> Text:
    text = display_text(line.title, limit=200)
    if line.detail:
        text.append_text(display_text(f"  ({line.detail})", "dim", limit=200))
    return text


class SourcesScreen(NoAnswerDialog[str]):
    """A list of sources to pick one from (enter); dismisses with its name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        CLOSE,
        Binding("q", "close", "Close", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, title: str, lines: list[SourceLine], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.note = note
        """A line under the list (what failed, which key does what)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog sources"):
            yield Label(Text(self.title_text), classes="dialog-title")
            options = [
                Option(_prompt(line), id=f"source-{index}", disabled=not line.enabled)
                for index, line in enumerate(self.lines)
            ]
            yield OptionList(*options, id="sources-list", markup=False)
            if self.note:
                yield Static(display_text(self.note, "dim", multiline=True), classes="dialog-note")

    def on_mount(self) -> None:
        options = self.query_one("#sources-list", OptionList)
        options.focus()
        first = next((i for i, line in enumerate(self.lines) if line.enabled), None)
        options.highlighted = first

    def action_cursor(self, step: int) -> None:
        """Move the highlight down (1) or up (-1)."""
        options = self.query_one("#sources-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(OptionList.OptionSelected, "#sources-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.lines[event.option_index].name)


class DetailsScreen(NoAnswerDialog[None]):
    """Plain text to read (the thread's details); escape, q or enter close it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,enter,i", "close", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog sources"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(display_text(self.text, multiline=True), id="details-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # arrows and page keys scroll a long text
