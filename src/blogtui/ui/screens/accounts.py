"""Sync accounts in the reader: the list with each one's last sync, adding one, removing one.

Adding logs in once (in a worker: the screen never waits on the network) before anything is
stored; the password field is masked, goes to core's CredentialStore and is never shown back.
Only https servers (or a loopback address literal) are accepted. Removing asks whether the
account's feeds stay (no longer synced) or go, then removes it in a worker. `R` syncs
(core/sync/run.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from blogtui.core.errors import BlogtuiError
from blogtui.core.posting.credentials import CredentialStore, check_destination
from blogtui.core.sync.base import KINDS, Account
from blogtui.ui.context import AppContext
from blogtui.ui.display import display_text
from blogtui.ui.screens.dialogs import ChoiceScreen, NoAnswerDialog

KIND_NAMES = {"ttrss": "Tiny Tiny RSS", "fever": "Fever", "greader": "Google Reader API"}


class AccountsScreen(NoAnswerDialog[bool]):
    """Dismisses with True when an account was added or removed, else None."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog credentials accounts"):
            yield Label(Text("Sync accounts"), classes="dialog-title")
            yield Static("", id="accounts-list", classes="dialog-message")
            yield Select([(KIND_NAMES[k], k) for k in KINDS], value="ttrss", id="accounts-kind",
                         allow_blank=False)  # fmt: skip
            yield Input(placeholder="the server's address, https://…", id="accounts-url")
            yield Input(placeholder="your user name there", id="accounts-user")
            yield Input(password=True, placeholder="password (never shown)", id="accounts-password")
            yield Static("", id="accounts-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Add"), id="accounts-add", variant="primary")
                yield Button(Text("Remove…"), id="accounts-remove")
                yield Button(Text("Close"), id="accounts-close")

    def on_mount(self) -> None:
        self.show_accounts()
        self.query_one("#accounts-url", Input).focus()

    def show_accounts(self) -> None:
        """List the accounts with their last sync and last error."""
        lines = []
        for state in self.context.store.account_states():
            account = state.account
            when = "never synced" if state.last_sync is None else time.strftime(
                "synced %Y-%m-%d %H:%M", time.localtime(state.last_sync)
            )  # fmt: skip
            lines.append(f"{account.name} ({KIND_NAMES[account.kind]}, {account.user}): {when}")
            if state.last_error:
                lines.append(f"  last error: {state.last_error}")
        text = "\n".join(lines) or "No accounts yet: add one below; R syncs them."
        self.query_one("#accounts-list", Static).update(display_text(text, multiline=True))

    def _error(self, text: str) -> None:
        error = self.query_one("#accounts-error", Static)
        error.add_class("-error")
        error.update(display_text(text, multiline=True, limit=600))

    @on(Input.Submitted)
    @on(Button.Pressed, "#accounts-add")
    def _submit(self) -> None:
        kind = str(self.query_one("#accounts-kind", Select).value)
        url = self.query_one("#accounts-url", Input).value.strip()
        user = self.query_one("#accounts-user", Input).value.strip()
        password = self.query_one("#accounts-password", Input).value
        if not url or not user or not password:
            self._error("Please fill in the server's address, your user name and the password.")
            return
        name = urlsplit(url).netloc
        try:
            check_destination(url)
            if self.context.store.get_account(name) is not None:
                raise BlogtuiError(f"an account called {name} exists already")
        except BlogtuiError as error:
            self._error(error.message)
            return
        self._error("Logging in…")
        self._add(Account(name, kind, url, user), password)  # type: ignore[arg-type]

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts")
    def _add(self, account: Account, password: str) -> None:
        """Log in once, then keep the password and the account."""
        from blogtui.core.sync.registry import backend_for

        async def check() -> None:
            async with self.context.make_client() as client:
                await backend_for(account, password).login(client)

        try:
            asyncio.run(check())
            credentials = CredentialStore(self.context.places.secrets_dir)
            credentials.set_entry(account.credential_key, account.user, password)
            self.context.store.add_account(account)
        except BlogtuiError as error:
            self.app.call_from_thread(self._error, error.message)
            return
        self.app.call_from_thread(self._added, account)

    def _added(self, account: Account) -> None:
        self.changed = True
        self.query_one("#accounts-password", Input).value = ""
        self.query_one("#accounts-error", Static).update("")
        self.show_accounts()
        self.notify(f"Added {account.name}; R syncs it.", title="Sync accounts", markup=False)

    @on(Button.Pressed, "#accounts-remove")
    def _remove(self) -> None:
        names = [state.account.name for state in self.context.store.account_states()]
        if not names:
            self._error("There is no account to remove.")
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self._ask_feeds(name)

        choices = [(str(index), name) for index, name in enumerate(names)]
        self.app.push_screen(
            ChoiceScreen("Remove an account", "Which account?", choices),
            lambda answer: chosen(None if answer is None else names[int(answer)]),
        )

    def _ask_feeds(self, name: str) -> None:
        count = len(self.context.store.remote_feeds(name))
        message = f"Keep {name}'s {count} feeds (no longer synced), or remove them too?"
        choices = [("keep", "Keep feeds"), ("drop", "Remove feeds")]

        def answered(answer: str | None) -> None:
            if answer is not None:
                self._remove_account(name, answer == "drop")

        self.app.push_screen(ChoiceScreen(f"Remove {name}", message, choices), answered)

    @work(thread=True, exit_on_error=False, group="accounts-remove")
    def _remove_account(self, name: str, drop_feeds: bool) -> None:
        """Forget the account (its feeds too when `drop_feeds`) and its password."""
        store = self.context.store
        try:
            state = store.get_account(name)
            store.remove_account(name, drop_feeds=drop_feeds)
        except sqlite3.Error as error:
            self.app.call_from_thread(self._error, f"{name} was not removed: {error}")
            return
        try:
            if state is not None:
                credentials = CredentialStore(self.context.places.secrets_dir)
                credentials.delete_entry(state.account.credential_key)
        except BlogtuiError as error:
            text = f"{name} was removed, its password not: {error.message}"
            self.app.call_from_thread(self._error, text)
        self.app.call_from_thread(self._removed)

    def _removed(self) -> None:
        self.changed = True
        self.show_accounts()

    @on(Button.Pressed, "#accounts-close")
    def _close(self) -> None:
        self.dismiss(self.changed or None)

    def action_close(self) -> None:
        """Close (escape)."""
        self.dismiss(self.changed or None)
