"""Who a reply is from: name, email and website, asked for on the first reply.

The identity is checked with core's `validate_identity` and saved to config.toml, as the
default for every blog or (with the checkbox) for this blog only. The dialog dismisses with the
Identity, or None when cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from blogtui.core.config import Identity, save_config, with_identity
from blogtui.core.drafts.store import validate_identity
from blogtui.ui.display import display, display_text
from blogtui.ui.screens.dialogs import NoAnswerDialog

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext

FIELDS = (
    ("name", "Name (shown with your reply)", "your name"),
    ("email", "Email (required by most blogs, usually not shown)", "your email address"),
    ("website", "Website (optional)", "optional: your site's address"),
)
"""(field, label, placeholder): a placeholder is a hint, never something that looks typed."""
COMPACT_BELOW = 30
"""Terminal rows under which the dialog drops the input borders and gaps (Save stays on screen
at 60x20)."""


class IdentityScreen(NoAnswerDialog[Identity]):
    """Name, email and website for replies; dismisses with an Identity or None."""

    def __init__(self, context: AppContext, identity: Identity, host: str = "") -> None:
        super().__init__()
        self.context = context
        self.identity = identity
        self.host = host.lower()
        """The blog the reply goes to ("" when unknown: then only the default is offered)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog identity"):
            yield Label(Text("Who is replying?"), classes="dialog-title")
            for field, label, placeholder in FIELDS:
                yield Label(Text(label))
                value = getattr(self.identity, field)
                yield Input(value, placeholder=placeholder, id=f"identity-{field}")
            if self.host:
                only_here = f"Use only on {display(self.host, limit=80)} (else: for every blog)"
                yield Checkbox(Text(only_here), value=False, id="identity-this-blog")
            yield Static("", id="identity-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Save"), id="identity-save", variant="primary")
                yield Button(Text("Cancel"), id="identity-cancel")

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Compact (borderless inputs and buttons, no gaps) on a short terminal."""
        compact = self.app.size.height < COMPACT_BELOW
        self.query_one(".dialog").set_class(compact, "-compact")
        for entry in self.query(Input):
            entry.compact = compact
        for button in self.query(Button):
            button.compact = compact
        for box in self.query(Checkbox):
            box.compact = compact

    def on_mount(self) -> None:
        self._fit()
        for field, _, _ in FIELDS:
            entry = self.query_one(f"#identity-{field}", Input)
            if not entry.value.strip():
                entry.focus()
                return
        self.query_one("#identity-name", Input).focus()

    @property
    def entered(self) -> Identity:
        """The identity as typed (stripped)."""
        values = {f: self.query_one(f"#identity-{f}", Input).value.strip() for f, _, _ in FIELDS}
        return Identity(**values)

    @property
    def this_blog_only(self) -> bool:
        """True when the identity is for this blog only."""
        boxes = self.query("#identity-this-blog").results(Checkbox)
        return any(box.value for box in boxes)

    @on(Input.Submitted)
    @on(Button.Pressed, "#identity-save")
    def _submit(self) -> None:
        identity = self.entered
        problems = validate_identity(identity)
        if problems:
            error = self.query_one("#identity-error", Static)
            error.add_class("-error")
            error.update(display_text("Please fix: " + "; ".join(problems), multiline=True))
            return
        self._remember(identity)
        self.dismiss(identity)

    @on(Button.Pressed, "#identity-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _remember(self, identity: Identity) -> None:
        """Use `identity` from now on and write it to config.toml (a failure is only shown)."""
        config_file = self.context.places.config_file
        host = self.host if self.this_blog_only else ""
        updated = with_identity(self.context.config, identity, host)
        self.context.use_config(updated)
        try:
            save_config(config_file, updated)
        except OSError as error:
            reason = error.strerror or str(error)
            self.notify(
                display(f"Identity used, but not saved to {config_file}: {reason}", limit=400),
                severity="warning",
                markup=False,
            )
