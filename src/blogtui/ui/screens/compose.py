"""Writing a reply: what is answered, a TextArea autosaved as a draft, and who it is from.

Every change goes to core's Autosaver (on disk within a second); the status line says when the
text was saved or why it was not (the text then stays in the editor and saving is retried).
Escape saves and leaves; a blank draft is not kept. `ctrl+s` asks, then hands the saved draft
to the outbox (the screen dismisses with a SendRequest). `ctrl+g` (or `>` when the editor is not
focused, where `>` types itself) quotes the parent; `ctrl+e` edits the text in $VISUAL/$EDITOR.
A draft open in another blogtui is shown read-only.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from blogtui.core.config import Identity
from blogtui.core.drafts.store import (
    Autosaver,
    Draft,
    DraftError,
    DraftLease,
    DraftLocked,
    DraftNotFound,
    DraftStore,
    quote,
)
from blogtui.core.posting.identity import reply_identity
from blogtui.ui.display import display, display_text
from blogtui.ui.editor import edit_text, editor_command
from blogtui.ui.keys import COMPOSE_BINDINGS
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.outbox_text import SendRequest
from blogtui.ui.screens.send_confirm import ask_to_send
from blogtui.ui.widgets.article_view import format_date

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext

AUTOSAVE_DELAY = 0.5
"""Seconds from a change to its save (the promise is: on disk within 1 s)."""


@dataclass(frozen=True)
class ReplyTarget:
    """What a reply answers: the post (`parent_id` "") or one comment of it."""

    blog: str
    article_url: str
    article_title: str = ""
    article_id: int | None = None
    parent_id: str = ""
    parent_author: str = ""
    parent_date: float | None = None
    parent_text: str = ""
    """The parent's plain text (untrusted: sanitised wherever it is shown or quoted)."""

    @classmethod
    def of_draft(cls, draft: Draft, article_id: int | None = None, text: str = "") -> ReplyTarget:
        """The target a saved draft names (its excerpt stands in for the parent's text)."""
        return cls(
            draft.blog, draft.article_url, draft.article_title, article_id, draft.parent_id,
            draft.parent_author, None, text or draft.parent_excerpt,
        )  # fmt: skip


def status_reason(error: DraftError) -> str:
    """The short reason of a failed save, e.g. "No space left on device"."""
    cause = error.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return error.message


class LeaveUnsavedScreen(ConfirmScreen):
    """Asked when leaving while the draft cannot be saved; "Stay" has the focus."""

    def on_mount(self) -> None:
        self.query_one("#no").focus()


class ComposeScreen(Screen[Draft | SendRequest | None]):
    """The reply editor; dismisses with the kept draft, a SendRequest, or None (nothing kept)."""

    BINDINGS: ClassVar[list[BindingType]] = [*COMPOSE_BINDINGS]

    editor = getters.query_one("#reply-text", TextArea)
    status = getters.query_one("#compose-status", Static)

    @dataclass
    class Saved(Message):
        """The autosaver wrote the draft (posted from its thread)."""

        draft: Draft

    @dataclass
    class SaveFailed(Message):
        """The autosaver could not write the draft (posted from its thread)."""

        error: DraftError

    def __init__(
        self, store: DraftStore, target: ReplyTarget, draft: Draft, context: AppContext
    ) -> None:
        super().__init__()
        self.store = store
        self.context = context
        """The app's services (the settings say who a draft without an identity is from)."""
        self.target = target
        self.draft = draft
        """The draft as opened; `autosaver.draft` is the newest."""
        self.lease: DraftLease | None = None
        self.autosaver: Autosaver | None = None
        self.read_only_reason = ""
        """Why the draft cannot be edited here ("" when it can)."""
        self._open()

    def _open(self) -> None:
        """Take the draft's edit lock and reload it; locked elsewhere means read-only."""
        try:
            self.lease = self.store.open_for_edit(self.draft.id)
        except DraftLocked as error:
            self.read_only_reason = f"{error.message}; shown read-only"
        except DraftError:
            self.lease = None  # e.g. a read-only data dir: edit anyway, saving reports it
        try:
            self.draft = self.store.load(self.draft.id)
        except DraftNotFound:
            pass
        except DraftError:
            self.read_only_reason = self.read_only_reason or "the draft file is unreadable"
        if not self.read_only_reason:
            self.autosaver = Autosaver(
                self.store,
                self.draft,
                delay=AUTOSAVE_DELAY,
                on_saved=self._post_saved,
                on_error=self._post_save_failed,
            )

    # -- layout ------------------------------------------------------------------------------

    def _post_saved(self, saved: Draft) -> None:
        self.post_message(self.Saved(saved))

    def _post_save_failed(self, error: DraftError) -> None:
        self.post_message(self.SaveFailed(error))

    def compose(self) -> ComposeResult:
        with Vertical(id="compose"):
            yield Static(self._heading(), id="compose-heading")
            with VerticalScroll(id="compose-parent", can_focus=True):
                yield Static(display_text(self.target.parent_text, multiline=True, limit=20_000))
            yield Static(self._identity_line(self.draft.identity), id="compose-identity")
            yield TextArea(
                self.draft.text,
                soft_wrap=True,
                read_only=bool(self.read_only_reason),
                id="reply-text",
            )
            yield Static(self._initial_status(), id="compose-status")
        yield Footer()

    def _heading(self) -> Text:
        """ "Reply to <author> · <date> · on <title>" (or "Reply to the post: <title> · …")."""
        target = self.target
        title = display(target.article_title or target.article_url, limit=200)
        author = display(target.parent_author, limit=80)
        when = format_date(target.parent_date)
        if target.parent_id:
            heading = Text(f"Reply to {author or 'a comment'}", style="bold", end="")
            details = [when, f"on {title}"]
        else:
            heading = Text(f"Reply to the post: {title}", style="bold", end="")
            details = [author, when]
        heading.append("".join(f" · {part}" for part in details if part), style="dim")
        return heading

    @staticmethod
    def _identity_line(identity: Identity) -> Text:
        parts = [display(identity.name, limit=80) or "(no name)"]
        parts.append(f"<{display(identity.email, limit=120)}>" if identity.email else "")
        parts.append(display(identity.website, limit=200))
        return Text("From: " + " ".join(p for p in parts if p), end="")

    def _initial_status(self) -> Text:
        if self.read_only_reason:
            return display_text(f"READ-ONLY: {self.read_only_reason}", "bold")
        if self.draft.text:
            return Text(f"resumed draft, saved {self._clock(self.draft.updated)}", end="")
        return Text("new draft: saved as you type", end="")

    @staticmethod
    def _clock(timestamp: float) -> str:
        return time.strftime("%H:%M:%S", time.localtime(timestamp))

    def on_mount(self) -> None:
        self.editor.focus()
        self.editor.move_cursor(self.editor.document.end)
        self.set_class(bool(self.read_only_reason), "-read-only")

    # -- autosave ----------------------------------------------------------------------------

    @on(TextArea.Changed, "#reply-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        saver = self.autosaver
        if saver is not None and event.text_area.text != saver.draft.text:
            saver.update(event.text_area.text)
            if saver.last_error is None:
                self.status.update(Text("editing… (autosaved)", end=""))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.status.remove_class("-error")
        if message.draft.text.strip():
            self.status.update(Text(f"saved {self._clock(message.draft.updated)}", end=""))
        else:
            self.status.update(Text("empty: nothing kept", end=""))

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        reason = display(status_reason(message.error), limit=200)
        text = f"NOT SAVED: {reason} — retrying; your text is safe in the editor"
        self.status.add_class("-error")
        self.status.update(Text(text, end=""))

    # -- actions -----------------------------------------------------------------------------

    def action_quote(self) -> None:
        """Insert the parent's text as a `> ` quote at the cursor."""
        if self.read_only_reason:
            return
        quoted = quote(self.target.parent_text, self.target.parent_author)
        editor = self.editor
        row, column = editor.cursor_location
        if column:
            quoted = "\n" + quoted
        editor.insert(quoted)
        editor.focus()

    def action_change_identity(self) -> None:
        """Change who this reply is from (and optionally the saved default)."""
        from blogtui.ui.screens.identity import IdentityScreen

        if self.autosaver is None:
            return

        def chosen(identity: Identity | None) -> None:
            if identity is not None and self.autosaver is not None:
                self.autosaver.update(
                    name=identity.name, email=identity.email, website=identity.website
                )
                self.query_one("#compose-identity", Static).update(self._identity_line(identity))

        host = self.target.blog
        self.app.push_screen(
            IdentityScreen(self.context, self.autosaver.draft.identity, host), chosen
        )

    def action_external_editor(self) -> None:
        """Edit the text in $VISUAL/$EDITOR on a temporary copy; the TUI is suspended meanwhile."""
        if self.read_only_reason or self.autosaver is None:
            self.notify("This draft is read-only here.", severity="warning", markup=False)
            return
        command = editor_command()
        if command is None:
            self.notify("No editor: set $VISUAL or $EDITOR.", severity="error", markup=False)
            return
        self.autosaver.flush()
        before = self.editor.text
        try:
            after = self._run_editor(command, before)
        except (OSError, SuspendNotSupported, subprocess.SubprocessError) as error:
            text = f"The editor failed ({error}); your text is unchanged."
            self.notify(display(text, limit=300), severity="error", markup=False)
            return
        if after is not None and after != before:
            editor = self.editor
            editor.replace(after, (0, 0), editor.document.end)  # undoable, unlike load_text
            editor.move_cursor(editor.document.end)
        self.editor.focus()

    def _run_editor(self, command: list[str], text: str) -> str | None:
        """Run `command` on a hidden copy of `text` in the drafts dir; the edited text or None."""
        copy_name = f".{self.draft.id}.editing-{secrets.token_hex(4)}.txt"
        with self.app.suspend():
            status, edited = edit_text(command, text, self.store.root, copy_name)
        if status != 0:
            self.notify(
                f"The editor exited with status {status}; text unchanged.",
                severity="warning",
                markup=False,
            )
            return None
        return edited

    def action_leave(self) -> None:
        """Save and leave; when saving fails, ask before leaving (staying is the default)."""
        saver = self.autosaver
        if saver is None or saver.flush():
            self._close_and_dismiss()
            return
        reason = status_reason(saver.last_error) if saver.last_error else "unknown error"
        question = (
            f"The draft cannot be saved: {reason}.\n"
            "Staying keeps your text here and saving is retried. Leaving loses it."
        )

        def answered(leave: bool | None) -> None:
            if leave:
                self._close_and_dismiss()

        dialog = LeaveUnsavedScreen("Draft NOT saved", question, yes="Leave, losing the text")
        self.app.push_screen(dialog, answered)

    def action_send(self) -> None:
        """Save, ask (blog, article, parent, identity), then leave with a SendRequest."""
        saver = self.autosaver
        problem = "This draft is read-only here; it cannot be sent." if saver is None else ""
        if saver is not None and not self.editor.text.strip():
            problem = "Write something first."
        elif saver is not None and not saver.flush():
            problem = "The draft cannot be saved, so it is not sent."
        draft = saver.saved or saver.draft if saver is not None else self.draft
        identity = reply_identity(self.context.config, draft)
        if not problem and not identity.complete and not self._as_account(draft):
            problem = "Say who the reply is from first (ctrl+o)."
        if problem:
            self.notify(problem, severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            kept = self._close() if yes else None
            if kept is not None:
                self.dismiss(SendRequest(kept, self.target.article_id))

        ask_to_send(self, self.context, draft, identity, answered)

    def _as_account(self, draft: Draft) -> bool:
        """The reply goes out as the user's account (a stored key): no name and email needed."""
        from blogtui.core.posting.as_account import posts_as_account

        return posts_as_account(self.context.store, draft, self.context.places.secrets_dir)

    def _close_and_dismiss(self) -> None:
        self.dismiss(self._close())

    def _close(self) -> Draft | None:
        """Flush, stop autosaving, give the lock back; the kept draft or None."""
        saver, self.autosaver = self.autosaver, None
        kept: Draft | None = None
        if saver is not None:
            saver.close()
            if saver.draft.text.strip() and saver.last_error is None:
                kept = saver.saved or saver.draft
        elif self.draft.text.strip():
            kept = self.draft
        if self.lease is not None:
            lease, self.lease = self.lease, None
            lease.release()
            if kept is None and saver is not None and saver.saved is None:
                with suppress(OSError):  # a draft never written: nobody else knows its id
                    lease.lock_path.unlink(missing_ok=True)
        return kept

    def on_unmount(self) -> None:
        """The app is closing with the editor open: save what we can."""
        self._close()
