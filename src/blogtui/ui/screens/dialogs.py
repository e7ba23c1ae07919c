"""Modal dialogs: add feed (with discovery), confirm, prompt, feed details, help."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar, TypeVar

import httpx
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from blogtui.core.errors import BlogtuiError
from blogtui.core.models import Feed
from blogtui.ui.display import display, display_text
from blogtui.ui.display import display, display_text, format_date

if TYPE_CHECKING:
    from blogtui.core.feeds.discover import Discovered

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


class AddFeedScreen(LinePrompt["Discovered"]):
    """Asks for a URL and finds its feed in a worker; dismisses with a Discovered or None."""

    def __init__(self, client_factory: Callable[[], httpx.AsyncClient]) -> None:
        super().__init__("Add a feed", placeholder="https://example.com/ or a feed URL")
        self.client_factory = client_factory

    def submit(self, value: str) -> None:
        """Start discovery for the URL entered; the dialog stays open until it ends."""
        url = value
        if url:
            self._status(f"Looking for a feed at {url}…")
            self._discover(url)

    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#prompt-error", Static)
        status.set_class(error, "-error")
        status.update(display_text(message, multiline=True, limit=1000))

    @work(thread=True, exclusive=True, exit_on_error=False, group="discover")
    def _discover(self, url: str) -> None:
        """Discovery in a thread with its own loop, so parsing never stalls the UI."""
        from blogtui.core.feeds.discover import discover_feed

        async def run() -> Discovered:
            async with self.client_factory() as client:
                return await discover_feed(client, url)

        try:
            found = asyncio.run(run())
        except BlogtuiError as error:
            self.app.call_from_thread(self._status, error.message, True)
            return
        except Exception as error:  # noqa: BLE001 - any failure is shown, the dialog stays
            self.app.call_from_thread(self._status, f"{type(error).__name__}: {error}", True)
            return
        self.app.call_from_thread(self.dismiss, found)


def feed_details(feed: Feed) -> Text:
    """The fetch state of `feed`, one "name: value" per line, all sanitised."""
    rows = [
        ("Title", feed.display_title),
        ("URL", feed.url),
        ("Site", feed.site_url),
        ("Folder", feed.folder),
        ("Articles", f"{feed.total} ({feed.unread} unread)"),
        ("Last status", "" if feed.last_status is None else str(feed.last_status)),
        ("Last error", feed.last_error or "none"),
        ("Last checked", format_date(feed.last_checked) or "never"),
        ("Next fetch", format_date(feed.next_fetch) or "on the next refresh"),
        ("ETag", feed.etag),
        ("Last-Modified", feed.last_modified),
        ("Gone (410)", "yes" if feed.gone else ""),
    ]
    text = Text(end="")
    for name, value in rows:
        if value:
            text.append(f"{name}: ", style="bold")
            text.append(display(value, limit=2000) + "\n")
    return text


class FeedDetailsScreen(NoAnswerDialog[None]):
    """A feed's URL, fetch status, last error, validators and next fetch time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i,enter", "close", "Close", show=False)
    ]

    def __init__(self, feed: Feed) -> None:
        super().__init__()
        self.feed = feed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Feed details"), classes="dialog-title")
            yield Static(feed_details(self.feed), id="feed-details")


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
