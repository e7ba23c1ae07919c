"""Every key binding blogtui defines, each with an id so `config.keys` can remap it.

`config.keys` maps a binding id to a comma-separated key list, e.g. {"refresh-all": "R,ctrl+r"};
the app hands it to Textual's keymap (`App.set_keymap`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding


def _bind(
    keys: str,
    action: str,
    description: str,
    binding_id: str,
    *,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    return Binding(
        keys, action, description, show=show, id=binding_id, tooltip=description, priority=priority
    )


APP_BINDINGS: list[Binding] = [
    _bind("question_mark", "help", "Help", "help"),
    _bind("ctrl+p", "command_palette", "Commands", "command-palette", show=False),
]
"""Bindings that work on every screen."""

MAIN_BINDINGS: list[Binding] = [
    _bind("q", "back_or_quit", "Back/quit", "quit"),
    _bind("tab,l", "focus_pane(1)", "Next pane", "next-pane", show=False),
    _bind("shift+tab,h", "focus_pane(-1)", "Previous pane", "previous-pane", show=False),
    _bind("n", "next_unread(1)", "Next unread", "next-unread"),
    _bind("N", "next_unread(-1)", "Previous unread", "previous-unread", show=False),
    _bind("m", "toggle_read", "Toggle read", "toggle-read", show=False),
    _bind("F", "toggle_star", "Star/unstar", "toggle-star", show=False),
    _bind("A", "mark_feed_read", "Mark feed read", "mark-feed-read", show=False),
    _bind("R", "refresh_all", "Refresh all", "refresh-all"),
    _bind("r", "refresh_feed", "Refresh feed", "refresh-feed", show=False),
    _bind("a", "add_feed", "Add feed", "add-feed"),
    _bind("d", "remove_feed", "Remove feed", "remove-feed", show=False),
    _bind("e", "rename_feed", "Rename feed", "rename-feed", show=False),
    _bind("i", "feed_details", "Feed details", "feed-details", show=False),
    _bind("slash", "filter", "Filter titles", "filter"),
    _bind("u", "unread_only", "Unread only", "unread-only", show=False),
    _bind("s", "search", "Search", "search"),
    _bind("o", "open_link", "Open in browser", "open-link", show=False),
    _bind("f", "follow_link", "Follow link [n]", "follow-link", show=False),
    _bind("c", "reply", "Reply", "reply"),
    _bind("D", "drafts", "Drafts", "drafts"),
    _bind("W", "replies", "Replies to you", "replies", show=False),
    _bind("P", "store_password", "Blog password", "store-password", show=False),
    # the comment thread (its loading is the reader's: ui/widgets/article_view.py)
    _bind("C", "thread_only", "Comments only", "thread-only", show=False),
    _bind("t", "focus_thread", "Go to comments", "focus-thread", show=False),
    # pane widths (ui/screens/pane_layout.py), remembered in config.toml [layout]
    _bind(
        "left_square_bracket",
        "resize_pane('feeds', -1)",
        "Narrower feeds",
        "feeds-narrower",
        show=False,
    ),
    _bind(
        "right_square_bracket", "resize_pane('feeds', 1)", "Wider feeds", "feeds-wider", show=False
    ),
    _bind(
        "left_curly_bracket",
        "resize_pane('articles', -1)",
        "Narrower list",
        "list-narrower",
        show=False,
    ),
    _bind(
        "right_curly_bracket", "resize_pane('articles', 1)", "Wider list", "list-wider", show=False
    ),
]
"""Bindings of the three-pane main screen; each is also a command in the palette."""

FEED_LIST_BINDINGS: list[Binding] = [
    _bind("j", "cursor_down", "Down", "feeds-down", show=False),
    _bind("k", "cursor_up", "Up", "feeds-up", show=False),
    _bind("g,home", "scroll_home", "First feed", "feeds-top", show=False),
    _bind("G,end", "scroll_end", "Last feed", "feeds-bottom", show=False),
    _bind("U", "undo_mark_read", "Undo mark read", "feeds-undo-read", show=False),
    _bind("Y", "accounts", "Sync accounts", "feeds-accounts", show=False),
]
"""Vim-style movement in the feeds pane (arrows and enter come with Tree), undoing `A`, and the
sync accounts (ui/screens/accounts.py)."""

ARTICLES_BINDINGS: list[Binding] = [
    _bind("S", "sort", "Sort", "sort"),
    _bind("U", "undo_mark_read", "Undo mark read", "undo-read", show=False),
    _bind("escape", "leave_search", "Leave search/filter", "leave-search", show=False),
]
"""The articles pane (list and title filter): sort order, undoing `A`, leaving a search."""

READER_BINDINGS: list[Binding] = [
    _bind("j", "scroll_down", "Scroll down", "reader-down", show=False),
    _bind("k", "scroll_up", "Scroll up", "reader-up", show=False),
    _bind("space", "page_down", "Page down", "reader-page-down", show=False),
    _bind("b", "page_up", "Page up", "reader-page-up", show=False),
    _bind("g", "scroll_home", "Top", "reader-top", show=False),
    _bind("G", "scroll_end", "Bottom", "reader-bottom", show=False),
]
"""Movement in the reader pane."""

THREAD_BINDINGS: list[Binding] = [
    _bind("r", "refresh_thread", "Refresh comments", "thread-refresh"),
    _bind("S", "choose_source", "Source", "thread-source", show=False),
    _bind("E", "discussions", "Discussed elsewhere", "thread-discussions", show=False),
    _bind("i", "thread_details", "Thread details", "thread-details", show=False),
]
"""The comment thread in the reader, on top of CommentThread's own `comments.*` keys: `S`
chooses among the article's comment sources, `E` looks up its discussions (Hacker News,
Lobsters), `i` says which comment systems were found and why (ui/widgets/source_desk.py)."""

COMPOSE_BINDINGS: list[Binding] = [
    _bind("escape", "leave", "Save & leave", "compose.leave"),
    _bind("ctrl+g,greater_than_sign", "quote", "Quote parent", "compose.quote"),
    _bind("ctrl+e", "external_editor", "$EDITOR", "compose.editor", priority=True),
    _bind("ctrl+o", "change_identity", "Identity", "compose.identity", priority=True),
    _bind("ctrl+s", "send", "Send", "compose.send", priority=True),
]
"""The reply editor. `>` quotes only when the editor is not focused (there it types `>`)."""

DRAFTS_BINDINGS: list[Binding] = [
    _bind("escape,q", "close", "Back", "drafts.close"),
    _bind("enter", "resume", "Resume", "drafts.resume"),
    _bind("d", "delete", "Delete", "drafts.delete"),
    _bind("o", "open_article", "Open article", "drafts.open"),
    _bind("s", "send", "Send", "drafts.send"),
    _bind("b", "browser", "Comment in browser", "drafts.browser"),
    _bind("P", "password", "Blog password", "drafts.password", show=False),
    _bind("j", "cursor(1)", "Down", "drafts.down", show=False),
    _bind("k", "cursor(-1)", "Up", "drafts.up", show=False),
]
"""The drafts screen (`D`)."""

REPLIES_BINDINGS: list[Binding] = [
    _bind("escape,q", "close", "Back", "replies.close"),
    _bind("enter", "open", "Open", "replies.open"),
    _bind("r", "refresh", "Check for replies", "replies.refresh"),
    _bind("j", "cursor(1)", "Down", "replies.down", show=False),
    _bind("k", "cursor(-1)", "Up", "replies.up", show=False),
]
"""The replies-to-you screen (`W`)."""


def keymap(remaps: Mapping[str, str], known: Iterable[Binding]) -> tuple[dict[str, str], list[str]]:
    """Split `config.keys` into a Textual keymap of known ids and the list of unknown ids."""
    ids = {binding.id for binding in known if binding.id}
    valid = {str(k): str(v) for k, v in remaps.items() if k in ids and str(v).strip()}
    return valid, sorted(k for k in remaps if k not in ids)
