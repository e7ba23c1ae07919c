"""Storing a WordPress Application Password for a blog (replies then go through its REST API).

The password field is masked and nothing stored is ever shown back; saving goes through core's
CredentialStore (the keyring, else a private file: the dialog says which). Only https sites (or
a literal loopback address) are accepted, as core would refuse to send credentials elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from blogtui.core.posting import CredentialError, CredentialStore
from blogtui.core.posting.credentials import check_destination, site_key
from blogtui.core.text.sentence import end_sentence
from blogtui.ui.display import display, display_text
from blogtui.ui.screens.dialogs import NoAnswerDialog


class CredentialsScreen(NoAnswerDialog[bool]):
    """Site, user and Application Password; dismisses with True when stored, else None."""

    def __init__(self, secrets_dir: Path, site: str = "") -> None:
        super().__init__()
        self.secrets_dir = secrets_dir
        self.site = site_key(site)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog credentials"):
            yield Label(Text("Blog account (WordPress Application Password)"),
                        classes="dialog-title")  # fmt: skip
            yield Label(Text("Blog address (https://…)"))
            yield Input(
                self.site, placeholder="the blog's address, https://…", id="credentials-site"
            )
            yield Label(Text("User name"))
            yield Input(placeholder="your login name", id="credentials-user")
            yield Label(Text("Application Password (from your profile page; never shown)"))
            yield Input(
                password=True, placeholder="from your WordPress profile", id="credentials-password"
            )
            yield Static("", id="credentials-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Save"), id="credentials-save", variant="primary")
                yield Button(Text("Cancel"), id="credentials-cancel")

    def on_mount(self) -> None:
        target = "#credentials-user" if self.site else "#credentials-site"
        self.query_one(target, Input).focus()

    def _error(self, text: str) -> None:
        error = self.query_one("#credentials-error", Static)
        error.add_class("-error")
        error.update(display_text(text, multiline=True, limit=600))

    @on(Input.Submitted)
    @on(Button.Pressed, "#credentials-save")
    def _submit(self) -> None:
        site = site_key(self.query_one("#credentials-site", Input).value.strip())
        user = self.query_one("#credentials-user", Input).value.strip()
        password = self.query_one("#credentials-password", Input).value
        if not site or not user or not password.strip():
            self._error("Please fill in the blog address, the user name and the password.")
            return
        try:
            check_destination(site)
            store = CredentialStore(self.secrets_dir)
            store.set(site, user, password)
        except CredentialError as error:
            self._error(error.message)
            return
        self.query_one("#credentials-password", Input).value = ""
        note = f" Note: {end_sentence(store.warning)}" if store.warning else ""
        text = f"Stored the account for {display(site, limit=120)}.{note}"
        self.notify(text, title="Blog account", markup=False)
        self.dismiss(True)

    @on(Button.Pressed, "#credentials-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
