"""The pure part of the comment thread widget: comment text, wrapping, tree entries, dates.

Nothing here touches Textual, so it is cheap to test and safe to run in a thread worker.
Every string that leaves this module has passed the sanitiser (`core.text.clean`).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, chop_cells

from blogtui.core.comments.marks import Marks
from blogtui.core.models import Comment, ThreadState
from blogtui.core.text.html import plain_text
from blogtui.core.text.sanitize import clean, transliterate
from blogtui.ui.display import display, glyph, terminal_encoding

MAX_INDENT = 12
"""Levels drawn as guide lines; deeper comments show their depth as a number."""
MAX_LINES = 200
"""Lines of one comment's text shown; the rest is summarised as "… (N more lines)"."""
MAX_COMMENT_HTML = 200_000
"""Characters of one comment's HTML turned into text."""
MIN_TEXT_WIDTH = 12
"""Text never wraps narrower than this, however deep the comment."""

_SENTINEL = "\ue000"
"""Separates comments in one batched `plain_text` call (removed from the comments first)."""
_BATCH = 800_000
"""Characters of HTML per batched `plain_text` call (it caps its input at 1 MB of text)."""


def _prepare(html: str) -> str:
    """A comment's HTML for one batched `plain_text` call (which turns block tags into line
    breaks). Markup a comment leaves open (a comment, a script) swallows the separators after it;
    `comment_texts` notices the count and renders that batch one comment at a time."""
    return (html or "")[:MAX_COMMENT_HTML].replace(_SENTINEL, "")


def comment_texts(htmls: Sequence[str]) -> list[str]:
    """Comments' HTML as clean plain text, paragraphs kept; few `plain_text` calls for many."""
    out: list[str] = []
    batch: list[str] = []
    size = 0
    for html in [*htmls, None]:
        if html is None or (batch and size + len(html) > _BATCH):
            texts = plain_text(f"\n{_SENTINEL}\n".join(batch)).split(_SENTINEL)
            if len(texts) != len(batch):  # markup left open swallowed a separator
                texts = [plain_text(one) for one in batch]
            out.extend(text.strip("\n ") for text in texts)
            batch, size = [], 0
        if html is not None:
            batch.append(_prepare(html))
            size += len(batch[-1])
    for index, html in enumerate(htmls):
        if len(html or "") > MAX_COMMENT_HTML:
            out[index] += "\n…"
    encoding = terminal_encoding()
    return out if encoding.startswith("utf") else [transliterate(t, encoding) for t in out]


def comment_text(html: str) -> str:
    """One comment's HTML as clean plain text."""
    return comment_texts([html])[0]


def _chop(word: str, width: int) -> list[str]:
    """Split one over-long word into pieces of at most `width` cells."""
    if word.isascii():
        return [word[i : i + width] for i in range(0, len(word), width)]
    return chop_cells(word, width)


@functools.lru_cache(maxsize=64)
def _ascii_wrapper(width: int) -> re.Pattern[str]:
    """Greedy wrap of an ASCII line in one regex: longest run ending at a space, else chop."""
    return re.compile(rf"(\S.{{0,{width - 1}}})(?= |$) *|(\S{{{width}}})")


def _wrap_line(line: str, width: int) -> list[str]:
    """One over-long line (no newline) as wrapped lines."""
    if line.isascii() and " " in line:
        return [a or b for a, b in _ascii_wrapper(width).findall(line)]
    out: list[str] = []
    current: list[str] = []
    used = 0
    for word in line.split():
        size = len(word) if word.isascii() else cell_len(word)
        if used and used + 1 + size <= width:
            current.append(word)
            used += 1 + size
            continue
        if used:
            out.append(" ".join(current))
            current, used = [], 0
        if size <= width:
            current, used = [word], size
        else:
            pieces = _chop(word, width)
            out.extend(pieces[:-1])
            current, used = [pieces[-1]], cell_len(pieces[-1])
    if current:
        out.append(" ".join(current))
    return out


def wrap(text: str, width: int, max_lines: int = MAX_LINES) -> tuple[list[str], int]:
    """Word wrap to `width` cells; returns up to `max_lines` lines and how many more.

    Once `max_lines` is reached, the "more" count is of source lines left (cheap on 1 MB texts).
    """
    width = max(1, width)
    out: list[str] = []
    paragraphs = text.split("\n") if text else []
    for index, raw in enumerate(paragraphs):
        if len(out) >= max_lines:
            return out[:max_lines], len(paragraphs) - index + len(out) - max_lines
        line = raw.replace("\t", "    ").strip()
        if (len(line) if line.isascii() else cell_len(line)) <= width:
            out.append(line)
        else:
            out.extend(_wrap_line(" ".join(line.split()), width))
    if len(out) > max_lines:
        return out[:max_lines], len(out) - max_lines
    return out, 0


def relative_date(timestamp: float | None, now: float | None = None) -> str:
    """ "now", "5m", "3h", "2d" up to 30 days back, else the date; "" when unknown."""
    if timestamp is None:
        return ""
    now = time.time() if now is None else now
    delta = now - timestamp
    if 0 <= delta < 30 * 86400:
        if delta < 60:
            return "now"
        if delta < 3600:
            return f"{int(delta // 60)}m"
        if delta < 86400:
            return f"{int(delta // 3600)}h"
        return f"{int(delta // 86400)}d"
    try:
        return time.strftime("%Y-%m-%d", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""


@dataclass(eq=False, slots=True)
class Entry:
    """One comment in display (depth-first) order, with its place in the tree."""

    comment: Comment
    depth: int
    parent: int
    """Index of the parent entry, -1 at the top level."""
    orphan: bool
    has_next: bool
    """Whether a later sibling follows (the guide line continues below)."""
    inherited: str
    """Guide columns drawn for the ancestors, levels 1 .. min(depth, MAX_INDENT) - 1."""
    children: int = 0
    """Direct replies."""
    end: int = 0
    """Index after the last entry of this comment's subtree."""
    prev_sibling: int = -1
    next_sibling: int = -1
    new: bool = False
    text: str = ""
    wrapped: tuple[int, list[str], int] | None = field(default=None)
    """Cache: (text width, lines, lines cut) of the last wrap."""


def guides() -> tuple[str, str, str]:
    """Continue, branch and last-branch guide columns, ASCII when the terminal needs it."""
    return (glyph("│ ", "| "), glyph("├─", "+-"), glyph("└─", "`-"))


def build_entries(comments: Sequence[Comment]) -> list[Entry]:
    """The thread as entries in display order; iterative, so any depth is fine."""
    cont, _, _ = guides()
    entries: list[Entry] = []
    child_prefix: list[str] = []  # per entry: the guide string its children inherit
    # Imported here: the blogtui.core.comments package pulls in httpx and feedparser.
    from blogtui.core.comments.tree import build_tree

    stack = [(node, -1, index == 0) for index, node in enumerate(reversed(build_tree(comments)))]
    while stack:
        node, parent, last = stack.pop()
        depth = node.depth
        inherited = child_prefix[parent] if parent >= 0 else ""
        entry = Entry(node.comment, depth, parent, node.orphan, not last, inherited)
        index = len(entries)
        entries.append(entry)
        if 1 <= depth < MAX_INDENT:
            child_prefix.append(inherited + (cont if not last else "  "))
        else:
            child_prefix.append(inherited)
        entry.children = len(node.children)
        kids = node.children
        stack.extend((kid, index, n == 0) for n, kid in enumerate(reversed(kids)))
    _link(entries)
    return entries


def _link(entries: list[Entry]) -> None:
    """Fill in subtree ends and sibling links."""
    sizes = [0] * len(entries)
    for index in range(len(entries) - 1, -1, -1):
        parent = entries[index].parent
        if parent >= 0:
            sizes[parent] += sizes[index] + 1
    last_at: dict[int, int] = {}  # parent index -> last child seen
    for index, entry in enumerate(entries):
        entry.end = index + 1 + sizes[index]
        previous = last_at.get(entry.parent, -1)
        if previous >= 0:
            entry.prev_sibling = previous
            entries[previous].next_sibling = index
        last_at[entry.parent] = index


def header_parts(entry: Entry, marks: Marks, hidden: int | None) -> list[tuple[str, str]]:
    """A comment's header as (text, part) pairs: depth beyond the guides, author and marks,
    age, new, moderation, orphan, and `hidden` replies when folded (None: not folded)."""
    comment = entry.comment
    parts: list[tuple[str, str]] = []
    if entry.depth > MAX_INDENT:
        parts.append((f"⟨{entry.depth}⟩ ", "guide"))
    author = display(comment.author, limit=80) or "(anonymous)"
    parts.append((author, "post-author" if marks.post_author else "author"))
    if marks.post_author:
        parts.append((" (author)", "post-author"))
    if marks.me:
        parts.append((" (you)", "you"))
    if marks.warning:
        parts.append((f" {glyph('⚠', '!')} {marks.warning}", "lookalike"))
    if date := relative_date(comment.published):
        parts.append((f" · {date}", "date"))
    if entry.new:
        parts.append((" new", "new"))
    if comment.status != "approved":
        parts.append((" awaiting moderation", "pending"))
    if entry.orphan:
        parts.append((" (reply to a missing comment)", "orphan"))
    if hidden is not None:
        parts.append((f" [+{hidden} {'reply' if hidden == 1 else 'replies'}]", "folded"))
    return parts


def more_note(more: int, key: str = "") -> str:
    """The line under a comment cut short: how many lines are left out, and the `key` that
    shows them ("" when none does)."""
    lines = "line" if more == 1 else "lines"
    return f"… {more} more {lines} ({key} shows all)" if key else f"… ({more} more {lines})"


def is_new(comment: Comment, last_visit: float | None) -> bool:
    """New since the last visit: unseen and first stored after it (never on a first visit)."""
    return not comment.seen and last_visit is not None and comment.first_seen > last_visit


NO_COMMENTS_FOUND = "no comments found"
"""How core's NoThread begins when the article simply has no comment system to read."""


def no_comments_found(error: str) -> bool:
    """True when a refresh "failed" only because the blog shows no comments at all.

    Core then says "no comments found: …", adding the page's own error in parentheses when
    the article page could not be read; that case stays an error.
    """
    text = (error or "").strip()
    return text.startswith(NO_COMMENTS_FOUND) and not text.endswith(")")


def offers_no_comments(state: ThreadState, count: int) -> bool:
    """True when the article's blog offers no comments to read: no comment source was found
    (whether or not its page could be read) and no comment is stored."""
    return count == 0 and (state.error or "").strip().startswith(NO_COMMENTS_FOUND)


NO_COMMENTS_OFFERED = "This blog offers no comments to read."
"""What an article without any comment source shows where its thread would be."""

NO_REPLY_HERE = (
    "This blog offers no comments to read, and nothing blogtui could post a reply to: a draft"
    " written here could never be sent."
)
"""Why `c` offers the browser instead of a draft."""


def _no_comments_offered(state: ThreadState, reply_key: str) -> list[str]:
    """The lines of a thread whose blog offers no comments: that, why maybe, where to reply."""
    lines = [NO_COMMENTS_OFFERED]
    error = (state.error or "").strip()
    if error.endswith(")") and " (" in error:
        page = error[error.index(" (") + 2 : -1].removeprefix("the article page: ")
        lines.append(f"(Its page could not be read: {clean(page, limit=200)}.)")
    lines.append(f"To comment, press {reply_key}: it offers the article's page in the web browser.")
    return lines


def notices(state: ThreadState, count: int, reply_key: str = "c") -> list[str]:
    """Lines about the thread as a whole (partial, failed refresh, closed, none offered).

    A blog without comments is no failure: it says so, and where a reply (`reply_key`) could go.
    """
    if offers_no_comments(state, count):
        return _no_comments_offered(state, reply_key)
    lines: list[str] = []
    if state.error and not no_comments_found(state.error):
        lines.append(
            f"Could not refresh: {clean(state.error, limit=300)}; showing the stored thread."
        )
    if state.partial and count:
        lines.append(f"Showing the newest {count} comments; this blog's feed cannot give more.")
    if state.comments_open is False and count:
        lines.append("Comments are closed.")
    return lines


def thread_heading(
    count: int, provider: str, *, offered: bool = True, source: str = "", account: bool = False
) -> str:
    """The thread's heading: where it comes from, how many, what a reply does ("Comments via
    Disqus · 34 · reply opens the browser", "Comments via WordPress · 12", "Hacker News
    discussion · 312 · read-only, reply opens the browser"); "Comments (12)" while the source is
    unknown, "Comments: none on this blog" when it offers none. `source` names a further source
    of the article shown instead of the blog's own thread; `account`: replies are posted with
    the user's stored key (an access token, a User API key) rather than in the browser."""
    from blogtui.core.comments.registry import PROVIDERS, source_words  # not at start-up

    if not offered and not count and not source:
        return "Comments: none on this blog"
    where, reply = source_words(source or provider)
    found = PROVIDERS.get(source or provider)
    if account and found is not None:
        from blogtui.core.posting.identity import account_reply_words

        reply = account_reply_words(found.name) or f"reply posts as your {found.label} account"
    elif found is not None and found.kind == "discussion":
        reply = "read-only, " + (reply or "reply opens the browser")
    if source:
        from blogtui.core.comments.sources import source_title

        return " · ".join(part for part in (source_title(source), str(count), reply) if part)
    if not where:
        return f"Comments ({count})"
    return " · ".join(part for part in (f"Comments {where}", str(count), reply) if part)
