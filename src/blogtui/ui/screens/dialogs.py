"""Modal dialogs: confirm, choose, prompt, help (feed dialogs are in feed_dialogs.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from blogtui.ui.display import display_text

CLOSE = Binding("escape", "close", "Close", show=False)
ResultT = TypeVar("ResultT")
"""What a dialog dismisses with."""


class Dialog(ModalScreen[ResultT]):
    """Base: escape closes with `no_answer()`."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def no_answer(self) -> ResultT:
        """What the dialog dismisses with when closed without an answer."""
        raise NotImplementedError

    def action_close(self) -> None:
        """Close without an answer."""
        self.dismiss(self.no_answer())


class NoAnswerDialog(Dialog[ResultT | None]):
    """A dialog that dismisses with None when closed without an answer."""

    def no_answer(self) -> None:
        """Nothing."""
        return None


class ConfirmScreen(Dialog[bool]):
    """Yes/no; dismisses with True or False. The message is untrusted and shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(display_text(self.message, multiline=True), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(self.yes), id="yes", variant="primary")
                yield Button(Text("Cancel"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def no_answer(self) -> bool:
        """Closing is "no"."""
        return False

    def action_answer(self, answer: bool) -> None:
        """Close with `answer`."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ChoiceScreen(NoAnswerDialog[str]):
    """A question with several answers, one button each (the first focused); dismisses with
    the chosen answer's id, or None (escape, Cancel). The message is shown literally."""

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        """(id, button label) of each answer."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(display_text(self.message, multiline=True), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for index, (answer, label) in enumerate(self.choices):
                    button = Button(Text(label), id=f"choice-{answer}")
                    button.variant = "primary" if index == 0 else "default"
                    yield button
                yield Button(Text("Cancel"), id="choice-cancel")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if answer == "cancel" else answer)


class LinePrompt(NoAnswerDialog[ResultT]):
    """One line of input; `submit` decides what to do with it (the text, stripped)."""

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="dialog-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value.strip())

    def submit(self, value: str) -> None:
        """Act on what was entered."""
        raise NotImplementedError


class PromptScreen(LinePrompt[str]):
    """One line of input; dismisses with the text (stripped) or None."""

    def submit(self, value: str) -> None:
        """Close with what was entered."""
        self.dismiss(value)


def bindings_table(sections: Iterable[tuple[str, list[tuple[str, str]]]]) -> Table:
    """A table of (keys, description) rows per section."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, rows in sections:
        table.add_row(Text(title, style="underline"), Text(""))
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(NoAnswerDialog[None]):
    """Every binding with its keys (as remapped) and description."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", show=False)
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(Text("Keys"), classes="dialog-title")
            with VerticalScroll():
                yield Static(bindings_table(self.sections), id="help-table")
