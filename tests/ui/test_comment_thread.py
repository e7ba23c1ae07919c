"""CommentThread in a standalone app: tree drawing, keys, folds, new markers, hostile text."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from blogtui.core.comments.loading import load_thread_sync
from blogtui.core.comments.marks import ThreadMarks
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.models import Comment, ThreadState
from blogtui.core.store import Store
from blogtui.demo import DemoBlog
from blogtui.ui.widgets.comment_layout import MAX_LINES
from blogtui.ui.widgets.comment_thread import CommentThread
from blogtui.ui.widgets.thread_layout import SHORT_LINES

SIZE = (100, 40)
T0 = 1_700_000_000.0


def comment(
    n: int, parent: int | None = None, author: str = "", text: str = "", **fields: object
) -> Comment:
    """Comment `n` (key "n"), replying to `parent`, published n minutes after T0."""
    values: dict[str, object] = dict(first_seen=T0, seen=False)
    values.update(fields)
    return Comment(
        id=n, article_id=1, key=str(n), parent_key="" if parent is None else str(parent),
        author=author or f"User{n}", author_url="", published=T0 + 60 * n,
        content=text or f"<p>Text of comment {n}.</p>", **values,  # type: ignore[arg-type]
    )  # fmt: skip


def sample() -> list[Comment]:
    """1 ─ 2 ─ 3, 1 ─ 4, 5 ─ 6, 7 (in time order)."""
    return [comment(1), comment(2, 1), comment(3, 2), comment(4, 1), comment(5), comment(6, 5),
            comment(7)]  # fmt: skip


class ThreadApp(App[None]):
    """Just the widget, recording what it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield CommentThread()

    def on_mount(self) -> None:
        self.query_one(CommentThread).focus()

    def on_comment_thread_comment_highlighted(self, message: Message) -> None:
        self.messages.append(message)

    def on_comment_thread_seen_comments(self, message: Message) -> None:
        self.messages.append(message)

    def on_comment_thread_reply_requested(self, message: Message) -> None:
        self.messages.append(message)


def screen_lines(widget: CommentThread) -> list[str]:
    """The visible lines as plain text."""
    height = widget.scrollable_content_region.height
    return ["".join(s.text for s in widget.render_line(y)).rstrip() for y in range(height)]


def cursor(widget: CommentThread) -> str:
    assert widget.cursor_comment is not None
    return widget.cursor_comment.key


async def show(
    pilot, comments: list[Comment], state: ThreadState | None = None, **kw
) -> CommentThread:  # type: ignore[no-untyped-def]  # noqa: E501
    widget = pilot.app.query_one(CommentThread)
    widget.set_thread(comments, state or ThreadState(1), **kw)
    await pilot.pause()
    return widget


async def test_tree_order_indentation_and_guides() -> None:
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, sample())
        lines = screen_lines(widget)
        headers = [line for line in lines if "User" in line]
        assert [h.split("User")[1].split()[0] for h in headers] == list("1234567")
        assert headers[0].startswith("User1 ·")
        assert headers[1].startswith("├─User2")
        assert headers[2].startswith("│ └─User3")
        assert headers[3].startswith("└─User4")
        assert headers[4].startswith("User5")
        assert lines[1] == "│ Text of comment 1."
        assert "│     Text of comment 3." in lines
        assert "    Text of comment 4." in lines


async def test_select_puts_the_cursor_on_a_comment_by_key() -> None:
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, sample())
        assert widget.select("4")
        assert cursor(widget) == "4"
        assert not widget.select("no-such-key")
        assert cursor(widget) == "4"


async def test_navigation_keys() -> None:
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, sample())
        assert cursor(widget) == "1"
        await pilot.press("j", "j")
        assert cursor(widget) == "3"
        await pilot.press("k")
        assert cursor(widget) == "2"
        await pilot.press("J")
        assert cursor(widget) == "4"
        await pilot.press("K")
        assert cursor(widget) == "2"
        await pilot.press("p")
        assert cursor(widget) == "1"
        await pilot.press("J", "J")
        assert cursor(widget) == "7"
        await pilot.press("g")
        assert cursor(widget) == "1"
        await pilot.press("G")
        assert cursor(widget) == "7"
        await pilot.press("c")
        await pilot.pause()
        replies = [m for m in pilot.app.messages if isinstance(m, CommentThread.ReplyRequested)]
        assert [m.comment.key for m in replies] == ["7"]


async def test_fold_and_unfold() -> None:
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, sample())
        await pilot.press("space")
        lines = screen_lines(widget)
        assert any("User1" in line and "[+3 replies]" in line for line in lines)
        assert not any("User2" in line for line in lines)
        await pilot.press("j")
        assert cursor(widget) == "5"
        await pilot.press("Z")
        assert any("User3" in line for line in screen_lines(widget))
        await pilot.press("j", "z")
        assert cursor(widget) == "5"  # the cursor moves up to the shown ancestor
        lines = screen_lines(widget)
        assert any("User5" in line and "[+1 reply]" in line for line in lines)
        assert not any("User6" in line or "User3" in line for line in lines)
        await pilot.press("space")
        lines = screen_lines(widget)
        assert any("User6" in line for line in lines)
        assert not any("User3" in line for line in lines)


async def test_new_markers_and_seen_comments() -> None:
    comments = [comment(1, first_seen=50.0), comment(2, 1, first_seen=200.0),
                comment(3, first_seen=200.0, seen=True), comment(4, first_seen=300.0)]  # fmt: skip
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, comments, ThreadState(1, last_visit=100.0))
        assert widget.new_ids == [2, 4]
        new = [line for line in screen_lines(widget) if " new" in line]
        assert len(new) == 2 and "User2" in new[0] and "User4" in new[1]
        await pilot.press("n")
        assert cursor(widget) == "2"
        await pilot.press("n")
        assert cursor(widget) == "4"
        await pilot.pause()
        seen = [m.ids for m in pilot.app.messages if isinstance(m, CommentThread.SeenComments)]
        assert seen == [[2], [4]]
        # A first visit marks nothing new.
        widget = await show(pilot, comments, ThreadState(1))
        assert widget.new_ids == []


async def test_notices_and_empty_states() -> None:
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, sample(), ThreadState(1, partial=True, error="HTTP 500"))
        lines = screen_lines(widget)
        assert lines[0] == "Could not refresh: HTTP 500; showing the stored thread."
        assert lines[1] == "Showing the newest 7 comments; this blog's feed cannot give more."
        widget = await show(pilot, [], ThreadState(1))
        assert screen_lines(widget)[0] == "No comments yet."
        widget = await show(pilot, [], ThreadState(1, comments_open=False))
        assert screen_lines(widget)[0] == "Comments are closed."


async def test_post_author_you_and_markers() -> None:
    comments = [comment(1, author="Hanna", author_key="wordpress-user:2"),
                comment(2, 1, author="Me", mine=True), comment(3, 99, status="hold"),
                comment(4, author="Other"), comment(5, author="Han\u200bna")]  # fmt: skip
    state = ThreadState(1, post_author_key="wordpress-user:2")
    async with ThreadApp().run_test(size=SIZE) as pilot:
        marks = ThreadMarks(comments, state, post_author="Hanna")
        widget = await show(pilot, comments, state, marks=marks)
        lines = screen_lines(widget)
        assert any(line.startswith("Hanna (author)") for line in lines)
        assert any("Me (you)" in line for line in lines)
        impostor = next(line for line in lines if line.startswith("Han") and "(author)" not in line)
        assert "⚠" in impostor and "(author)" not in impostor
        orphan = next(line for line in lines if "User3" in line)
        assert "awaiting moderation" in orphan and "(reply to a missing comment)" in orphan
        style_of = {seg.text: seg.style for seg in widget.render_line(lines.index(
            next(line for line in lines if line.startswith("Hanna"))))}  # fmt: skip
        other = next(i for i, line in enumerate(lines) if line.startswith("Other"))
        other_style = {seg.text: seg.style for seg in widget.render_line(other)}["Other"]
        assert style_of["Hanna"] != other_style


async def test_keep_position_on_refresh() -> None:
    async with ThreadApp().run_test(size=(100, 12)) as pilot:
        widget = await show(pilot, sample())
        await pilot.press("G", "k")
        assert cursor(widget) == "6"
        before = screen_lines(widget)
        row = next(i for i, line in enumerate(before) if "User6" in line)
        refreshed = [comment(0, text="an older one"), *sample(), comment(8, 5)]
        widget.set_thread(refreshed, ThreadState(1), keep_position=True)
        await pilot.pause()
        assert cursor(widget) == "6"
        after = screen_lines(widget)
        assert "User6" in after[row]
        widget.set_thread(refreshed, ThreadState(1))
        await pilot.pause()
        assert cursor(widget) == "0"


HOSTILE = [
    "[@click=app.quit]x[/]",
    "\x1b]0;evil\x07 \x1b[2J [bold red]shout[/]",
    "\u202eevil\u202c right-to-left",
]


async def test_hostile_text_is_literal_and_click_only_selects() -> None:
    comments = [
        comment(n + 1, author=text, text=f"<p>{text}</p>") for n, text in enumerate(HOSTILE)
    ]
    comments.append(comment(9, text="x " * 600_000))  # over 1 MB, one paragraph
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, comments)
        joined = "\n".join(screen_lines(widget))
        assert "[@click=app.quit]x[/]" in joined
        assert "[bold red]shout[/]" in joined and "␛" in joined
        assert "\x1b" not in joined and "\u202e" not in joined
        await pilot.click(CommentThread, offset=(3, 0))
        await pilot.click(CommentThread, offset=(5, 1))
        await pilot.pause()
        assert pilot.app.is_running
        assert cursor(widget) == "1"
        await pilot.press("G")
        widget.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        lines = screen_lines(widget)
        assert any(line.strip().startswith("… ") and "more lines (+ shows all)" in line
                   for line in lines)  # fmt: skip
        last = widget.thread_layout.visible[-1]
        assert widget.thread_layout.block_height(last) == SHORT_LINES + 3
        await pilot.press("plus")  # all of it, up to MAX_LINES
        widget.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        lines = screen_lines(widget)
        assert any(line.strip().startswith("… (") and "more lines)" in line for line in lines)
        assert widget.thread_layout.block_height(last) == MAX_LINES + 3


async def test_ten_thousand_deep_chain() -> None:
    chain = [comment(n, n - 1 if n > 1 else None, text="deep") for n in range(1, 10_001)]
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, chain)
        await pilot.press("G")
        assert cursor(widget) == "10000"
        lines = screen_lines(widget)
        header = next(line for line in lines if "User10000" in line)
        assert "⟨9999⟩" in header and len(header) < 60
        await pilot.press("p", "z", "Z")
        assert widget.cursor_comment is not None


async def test_two_thousand_comments_open() -> None:
    comments = [comment(n, None if n % 5 == 1 else n - 1 - (n % 3)) for n in range(1, 2001)]
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, comments)
        assert len(widget.comments) == 2000
        await pilot.press("G")
        assert cursor(widget) == widget.comments[-1].key
        assert any(widget.comments[-1].author in line for line in screen_lines(widget))


@pytest.fixture
def demo_thread(tmp_path: Path) -> tuple[list[Comment], ThreadState, str]:
    """The demo blog's biggest thread, loaded and stored the way the reader does it."""
    store = Store(tmp_path / "blogtui.db")
    try:
        with DemoBlog() as blog:
            response = httpx.get(blog.feed_url)
            parsed = parse_feed(response.content, blog.feed_url, dict(response.headers))
            feed, _ = store.add_feed(blog.feed_url)
            store.upsert_articles(feed.id, parsed.entries)
            articles = [store.get_article(i) for i in store.article_ids([feed.id])]
            results = [(load_thread_sync(store, a, deadline=20), a) for a in articles if a]
        result, article = max(results, key=lambda pair: len(pair[0].comments))
        assert result.ok and result.provider == "wordpress"
        return result.comments, store.thread_state(article.id), article.author
    finally:
        store.close()


async def test_demo_blog_thread(demo_thread: tuple[list[Comment], ThreadState, str]) -> None:
    comments, state, author = demo_thread
    assert len(comments) >= 40
    async with ThreadApp().run_test(size=SIZE) as pilot:
        marks = ThreadMarks(comments, state, post_author=author)
        widget = await show(pilot, comments, state, marks=marks)
        entries = widget.thread_layout.entries
        assert len(entries) == len(comments)
        assert max(entry.depth for entry in entries) >= 4
        assert any(f"{author} (author)" in line for line in screen_lines(widget))
        for _ in range(len(comments)):
            await pilot.press("j")
        assert cursor(widget) == entries[-1].comment.key


async def test_a_long_comment_is_cut_short_until_plus_shows_it_all() -> None:
    long_text = "".join(f"<p>Zeile {n}</p>" for n in range(1, 41))  # 40 paragraphs
    comments = [comment(1, text=long_text), comment(2)]
    async with ThreadApp().run_test(size=(100, 80)) as pilot:
        widget = await show(pilot, comments)
        lines = screen_lines(widget)
        shown = [line for line in lines if line.startswith("│ Zeile") or line.startswith("  Zeile")]
        assert len(shown) < 40 and "Zeile 40" not in "\n".join(lines)
        note = f"… {79 - SHORT_LINES} more lines (+ shows all)"  # 40 paragraphs: 79 lines
        assert note in [line.strip() for line in lines]
        await pilot.press("plus")
        lines = screen_lines(widget)
        assert "Zeile 40" in "\n".join(lines) and not any("more lines" in line for line in lines)
        widget.set_thread(comments, ThreadState(1), keep_position=True)  # a refresh keeps it
        await pilot.pause()
        assert "Zeile 40" in "\n".join(screen_lines(widget))
        await pilot.press("plus")  # short again
        assert "Zeile 40" not in "\n".join(screen_lines(widget))
        await pilot.press("j", "plus")  # a short comment: nothing to show
        assert widget.thread_layout.expanded == set()


async def test_links_and_italics_add_no_spaces() -> None:
    text = '<p>Siehe <a href="https://x.example/">hier</a>, und <em>so</em>. (<i>ja</i>)</p>'
    async with ThreadApp().run_test(size=SIZE) as pilot:
        widget = await show(pilot, [comment(1, text=text)])
        assert "Siehe hier, und so. (ja)" in [line.strip() for line in screen_lines(widget)]
