"""Replies to you (`W`): every reply to a comment you posted, newest first, unseen ones marked.

Each entry shows the author, date, article title and an excerpt, all sanitised and never
markup. `r` reloads the threads you commented in from their blogs, then the list; enter
dismisses with the reply's Comment (the main screen opens its article with the cursor on it).
"""

from __future__ import annotations

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

from blogtui.core.models import Comment
from blogtui.core.text.html import html_to_text
from blogtui.ui.display import display_text, glyph
from blogtui.ui.keys import REPLIES_BINDINGS
from blogtui.ui.prompt_text import PromptText
from blogtui.ui.widgets.article_view import format_date

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext

EXCERPT = 160


def reply_prompt(comment: Comment, title: str) -> Text:
    """Two lines: "● author · date · on title", then the excerpt."""
    marker = f"{glyph('●', '*')} new · " if not comment.seen else "  "
    prompt = PromptText().layout(marker, "bold")
    prompt.value(comment.author or "Anonymous", "bold", limit=60)
    when = format_date(comment.published or comment.first_seen)
    prompt.layout(" · ", "dim").value(when, "dim").layout(" · on ", "dim")
    prompt.value(title, "dim", limit=200)
    excerpt = " ".join(html_to_text(comment.content).text.split())
    prompt.line().value(excerpt or "(empty)", limit=EXCERPT)
    return prompt.text


class RepliesScreen(Screen[Comment | None]):
    """The replies to your comments; dismisses with the chosen one or None."""

    BINDINGS: ClassVar[list[BindingType]] = [*REPLIES_BINDINGS]

    reply_list = getters.query_one("#replies-list", OptionList)

    class Listed(Message):
        """The replies, with their articles' titles (read in a worker)."""

        def __init__(self, replies: list[tuple[Comment, str]], note: str = "") -> None:
            super().__init__()
            self.replies = replies
            self.note = note

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.replies: dict[str, Comment] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="replies"):
            yield Label(Text("Replies to you"), id="replies-title")
            yield OptionList(id="replies-list", markup=False)
            yield Label(Text("Loading…"), id="replies-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reply_list.focus()
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="replies")
    def reload(self, fetch: bool = False) -> None:
        """List the stored replies (after reloading the watched threads with `fetch`)."""
        from blogtui.core.comments.replies import refresh_watched

        store = self.context.store
        deadline = self.context.config.fetch_timeout
        make_client = self.context.make_client
        failed = (
            refresh_watched(store, deadline=deadline, client_factory=make_client) if fetch else 0
        )
        found = list(reversed(store.replies_to_me(include_seen=True)))
        titles: dict[int, str] = {}
        for comment in found:
            if comment.article_id not in titles:
                article = store.get_article(comment.article_id)
                titles[comment.article_id] = article.title if article else "(unknown article)"
        note = f"{failed} thread(s) could not be reloaded" if failed else ""
        self.post_message(self.Listed([(c, titles[c.article_id]) for c in found], note))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self.replies = {str(comment.id): comment for comment, _ in message.replies}
        options = [Option(reply_prompt(c, title), id=str(c.id)) for c, title in message.replies]
        self.reply_list.set_options(options)
        if options:
            self.reply_list.highlighted = 0
        unseen = sum(not comment.seen for comment, _ in message.replies)
        count = len(options)
        text = (
            f"{count} repl{'y' if count == 1 else 'ies'}, {unseen} new"
            if count
            else ("No replies to your comments yet.")
        )
        text += f" · {message.note}" if message.note else ""
        self.query_one("#replies-status", Label).update(display_text(text, limit=300))

    @on(OptionList.OptionSelected, "#replies-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the reply under the cursor in its thread."""
        option = self.reply_list.highlighted_option
        if option is not None and option.id in self.replies:
            self.dismiss(self.replies[option.id])

    def action_refresh(self) -> None:
        """Reload the threads you commented in, then the list."""
        self.query_one("#replies-status", Label).update(Text("Checking the blogs…"))
        self.reload(fetch=True)

    def action_cursor(self, step: int) -> None:
        """Move the cursor (j/k)."""
        if step > 0:
            self.reply_list.action_cursor_down()
        else:
            self.reply_list.action_cursor_up()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
