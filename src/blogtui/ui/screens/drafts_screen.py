"""Every reply draft (`D`): its target, the parent's excerpt, age and state.

Unreadable draft files are listed as such and kept. Enter resumes a draft, `d` deletes one
after confirming (not while another blogtui edits it), `o` opens its article in the reader,
`s` sends it (after confirming), `b` offers its article's comments in the browser, `P` stores
a blog password. Each draft queued once shows its outbox state (queued, sending, posted,
failed with the server's reason…); one the outbox is working on cannot be resumed or resent.
The screen dismisses with a DraftChoice (resume/open/send/browser) or None.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from blogtui.core.drafts.file import draft_age, draft_target
from blogtui.core.drafts.store import (
    Draft,
    DraftError,
    DraftListing,
    DraftLocked,
    DraftNotFound,
    DraftStore,
    Unreadable,
)
from blogtui.core.models import OutboxItem
from blogtui.core.posting.identity import reply_identity
from blogtui.core.posting.state import draft_state_label, state_line
from blogtui.core.text.sentence import end_sentence
from blogtui.ui.display import display, display_text, glyph
from blogtui.ui.keys import DRAFTS_BINDINGS
from blogtui.ui.prompt_text import PromptText
from blogtui.ui.screens.send_confirm import ask_to_send

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext
    from blogtui.ui.services.outbox import OutboxChange


@dataclass(frozen=True)
class DraftChoice:
    """What the user picked on the drafts screen: "resume", "open", "send" or "browser"."""

    action: str
    draft: Draft


def draft_prompt(entry: DraftListing, now: float, item: OutboxItem | None = None) -> Text:
    """A list entry of two to four lines, all sanitised, never markup; `item`: its outbox row."""
    prompt = PromptText()
    if isinstance(entry, Unreadable):
        prompt.layout(f"{glyph('⚠', '!')} unreadable: ", "bold")
        prompt.value(entry.reason, "bold", limit=300)
        prompt.line().layout("file kept as it is: ", "dim").value(entry.path, "dim")
        return prompt.text
    prompt.layout(f"{glyph('✎', 'D')} ").value(draft_target(entry), "bold", limit=200)
    state = draft_state_label(entry.state, item.state if item is not None else None)
    prompt.layout("  [", "dim").value(f"{state} · {draft_age(now - entry.updated)}", "dim")
    prompt.layout("]", "dim")
    if entry.parent_excerpt:
        prompt.line().layout(f"{glyph('↳', '>')} ", "dim")
        prompt.value(entry.parent_author or "post", "dim", limit=60).layout(": ", "dim")
        prompt.value(entry.parent_excerpt, "dim", limit=140)
    prompt.line().value(entry.first_line or "(empty)", limit=160)
    if item is not None:
        line = state_line(item.state, item.last_error, item.next_attempt)
        refused = item.state.final and not item.state.posted
        style = "bold red" if refused else "italic"
        prompt.line().layout(f"{glyph('➤', '>')} outbox: ", style).value(line, style, limit=300)
    return prompt.text


def _newest_first(entry: DraftListing) -> tuple[bool, float]:
    """Drafts by last change, newest first; unreadable files after them."""
    return isinstance(entry, Unreadable), -getattr(entry, "updated", 0.0)


class DraftsScreen(Screen[DraftChoice | None]):
    """The list of drafts; see the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [*DRAFTS_BINDINGS]

    draft_list = getters.query_one("#drafts-list", OptionList)

    class Listed(Message):
        """The drafts directory was read (in a worker)."""

        def __init__(
            self,
            entries: list[DraftListing],
            error: str = "",
            items: list[OutboxItem] | None = None,
        ) -> None:
            super().__init__()
            self.entries = entries
            self.error = error
            self.items = items or []

    def __init__(self, store: DraftStore, context: AppContext) -> None:
        super().__init__()
        self.store = store
        self.context = context
        """The app's services (the outbox states are shown and followed)."""
        self.entries: dict[str, DraftListing] = {}
        """The listed drafts by option id."""
        self.items: dict[str, OutboxItem] = {}
        """Outbox rows by draft id."""

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts"):
            yield Label(Text("Drafts"), id="drafts-title")
            yield OptionList(id="drafts-list", markup=False)
            yield Label(Text(""), id="drafts-status")
        yield Footer()

    def on_mount(self) -> None:
        self.draft_list.focus()
        self.reload()
        self.context.outbox.changed.subscribe(self, self._outbox_changed)

    def _outbox_changed(self, change: OutboxChange) -> None:
        if change.kind != "queued":
            self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="drafts")
    def reload(self) -> None:
        """Read every draft (readable or not) in a worker."""
        try:
            items = self.context.store.outbox()
            self.post_message(self.Listed(sorted(self.store.list(), key=_newest_first), "", items))
        except DraftError as error:
            self.post_message(self.Listed([], error.message))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        keep = self.current
        now = time.time()
        self.entries = {entry.id: entry for entry in message.entries}
        self.items = {item.draft_id: item for item in message.items}
        options = [
            Option(draft_prompt(e, now, self.items.get(e.id)), id=e.id) for e in message.entries
        ]
        self.draft_list.set_options(options)
        if keep is not None and keep.id in self.entries:
            self.draft_list.highlighted = self.draft_list.get_option_index(keep.id)
        elif options:
            self.draft_list.highlighted = 0
        count = len(options)
        summary = f"{count} draft{'s' if count != 1 else ''}" if count else "No drafts."
        self._show_status(message.error or summary)

    def _show_status(self, text: str) -> None:
        self.query_one("#drafts-status", Label).update(display_text(text, limit=300))

    @property
    def current(self) -> DraftListing | None:
        """The entry under the cursor."""
        option = self.draft_list.highlighted_option
        return None if option is None or option.id is None else self.entries.get(option.id)

    def _readable_or_warn(self) -> Draft | None:
        entry = self.current
        if isinstance(entry, Unreadable):
            text = f"That draft file is unreadable ({entry.reason}); it is kept at {entry.path}."
            self.notify(display(text, limit=500), severity="warning", markup=False)
            return None
        return entry

    # -- actions -----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#drafts-list")
    def _selected(self) -> None:
        self.action_resume()

    def _editable_or_warn(self) -> Draft | None:
        """The readable draft under the cursor, unless the outbox is working on it."""
        draft = self._readable_or_warn()
        item = self.items.get(draft.id) if draft is not None else None
        if item is not None and item.state.pending:
            text = f"This reply is in the outbox ({state_line(item.state)}); it cannot change now."
            self.notify(text, severity="warning", markup=False)
            return None
        return draft

    def action_resume(self) -> None:
        """Continue the draft under the cursor."""
        draft = self._editable_or_warn()
        if draft is not None:
            self.dismiss(DraftChoice("resume", draft))

    def action_send(self) -> None:
        """Send the draft under the cursor (again), after confirming; a reply in the outbox
        goes now (one that may already be on the blog only after asking)."""
        current = self._readable_or_warn()
        item = self.items.get(current.id) if current is not None else None
        if current is not None and item is not None and item.state.asks_user:
            self._ask_resend(current, item)
            return
        if item is not None and item.state.due:
            self.context.outbox.send(now=True)  # the user's word beats the retry timer
            self.notify("Sending it now.", markup=False)
            return
        draft = self._editable_or_warn()
        if draft is None:
            return
        identity = reply_identity(self.context.config, draft)
        if not draft.text.strip() or not (identity.complete or self._as_account(draft)):
            text = "Resume the draft first: it has no text or no sender (name and email)."
            self.notify(text, severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(DraftChoice("send", draft))

        ask_to_send(self, self.context, draft, identity, answered)

    def _as_account(self, draft: Draft) -> bool:
        """The reply goes out as the user's account (a stored key): no name and email needed."""
        from blogtui.core.posting.as_account import posts_as_account

        return posts_as_account(self.context.store, draft, self.context.places.secrets_dir)

    def _ask_resend(self, draft: Draft, item: OutboxItem) -> None:
        """It may be on the blog already: say when it was sent, offer the article, and send it
        again only when the user says so."""
        from blogtui.ui.screens.browser_offer import open_checked
        from blogtui.ui.screens.dialogs import ChoiceScreen

        sent = item.last_error or "sent earlier; whether it arrived is unknown"
        question = (
            f"This reply may already be on the blog — {sent}; send again?\n\n"
            f"Look for it on the article first:\n{draft.article_url}"
        )

        def answered(choice: str | None) -> None:
            if choice == "open":
                open_checked(self, draft.article_url)
                self.app.push_screen(dialog(), answered)  # then: send again, or not
            elif choice == "resend":
                self._resend(draft.id)

        def dialog() -> ChoiceScreen:
            choices = [("open", "Open the article"), ("resend", "Send again")]
            return ChoiceScreen("May already be on the blog", question, choices)

        self.app.push_screen(dialog(), answered)

    def _resend(self, draft_id: str) -> None:
        """The user's word: queue it again (core's confirm_resend), then send."""
        from blogtui.core.posting.resend import NotResendable, confirm_resend

        try:
            confirm_resend(self.context.store, self.store, draft_id)
        except (NotResendable, DraftError) as error:
            text = f"Not sent again: {end_sentence(error.message)}"
            self.notify(display(text, limit=400), severity="error", markup=False)
            return
        self.context.outbox.send()
        self.notify("Sending it again.", markup=False)
        self.reload()

    def action_browser(self) -> None:
        """Offer the draft's article comments in the web browser (where blogtui cannot post)."""
        draft = self._readable_or_warn()
        if draft is not None:
            self.dismiss(DraftChoice("browser", draft))

    def action_password(self) -> None:
        """Store a blog password (Application Password) for the draft's blog."""
        from blogtui.ui.screens.credentials import CredentialsScreen

        entry = self.current
        site = entry.article_url if isinstance(entry, Draft) else ""
        self.app.push_screen(CredentialsScreen(self.context.places.secrets_dir, site))

    def action_open_article(self) -> None:
        """Open the article the draft under the cursor replies to."""
        draft = self._readable_or_warn()
        if draft is not None:
            self.dismiss(DraftChoice("open", draft))

    def action_cursor(self, step: int) -> None:
        """Move the cursor (j/k)."""
        if step > 0:
            self.draft_list.action_cursor_down()
        else:
            self.draft_list.action_cursor_up()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)

    def action_delete(self) -> None:
        """Delete the draft under the cursor after confirming."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        entry = self.current
        if entry is None:
            return
        if isinstance(entry, Unreadable):
            question = f"Delete the unreadable file {entry.path}?\n({entry.reason})"
        else:
            question = f"Delete this draft?\n{draft_target(entry)}\n\n{entry.text[:400]}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(entry.id)

        self.app.push_screen(ConfirmScreen("Delete draft", question, yes="Delete"), answered)

    def _delete(self, draft_id: str) -> None:
        """Delete under the edit lock, so a draft open in another blogtui is refused."""
        try:
            lease = self.store.open_for_edit(draft_id)
        except DraftLocked as error:
            text = f"Not deleted: {end_sentence(error.message)}"
            self.notify(text, severity="error", markup=False)
            return
        except DraftError:
            lease = None
        try:
            self.store.delete(draft_id)
            self.notify("Draft deleted.", markup=False)
        except DraftNotFound:
            pass
        except DraftError as error:
            self.notify(display(error.message, limit=400), severity="error", markup=False)
        finally:
            if lease is not None:
                lease.release()
                lease.lock_path.unlink(missing_ok=True)
        self.reload()
