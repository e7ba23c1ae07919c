"""The feeds tree relabels in place when only counts or marks change (issue 17, Speed: `y` on
mark-all-read with 1,000 feeds): only the labels whose text changes are set, with one repaint
for all of them, and every line then shows what a tree built afresh shows, in view or not."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal

from blogtui.core.models import Feed
from blogtui.ui.widgets.feed_tree import FeedTree

HEIGHT = 12
"""Lines each tree shows: far fewer than its feeds."""


def feeds(count: int = 60) -> list[Feed]:
    return [
        Feed(
            number,
            f"https://blog{number}.example/feed/",
            f"Grüße {number:03d} – „Köln“ ✓" if number % 3 else f"Blog {number} über Äpfel",
            folder="" if number % 4 == 0 else f"Ordner {number % 2}/Tief" if number % 5 else "Ä",
            unread=number % 7,
        )
        for number in range(1, count + 1)
    ]


class Trees(App[None]):
    """Two trees side by side: one relabelled in place, one built afresh."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FeedTree(id="relabelled")
            yield FeedTree(id="fresh")

    def on_mount(self) -> None:
        for tree in self.query(FeedTree):
            tree.styles.width = 36
            tree.styles.height = HEIGHT


def lines(tree: FeedTree) -> list[str]:
    return [tree.render_line(y).text for y in range(HEIGHT)]


async def shown_everywhere(app: Trees, tree: FeedTree) -> list[str]:
    """Every line of `tree` as painted, page by page from the top."""
    shown: list[str] = []
    for top in range(0, tree.last_line + 1, HEIGHT):
        tree.scroll_to(y=top, animate=False, immediate=True)
        await app.workers.wait_for_complete()
        shown += lines(tree)
    tree.scroll_home(animate=False, immediate=True)
    return shown


def changed(old: list[Feed]) -> list[Feed]:
    """Every count to 0 (mark all read), one feed failing, one refreshed fine."""
    new = [replace(feed, unread=0) for feed in old]
    new[5] = replace(new[5], last_error="HTTP 500", last_status=500, last_checked=1.0)
    new[40] = replace(new[40], last_status=200, last_checked=1.0)
    return new


@pytest.mark.parametrize("scrolled_first", [False, True])
async def test_relabelled_lines_equal_a_fresh_tree_in_and_out_of_view(
    scrolled_first: bool,
) -> None:
    old = feeds()
    app = Trees()
    async with app.run_test(size=(80, HEIGHT + 2)) as pilot:
        relabelled = app.query_one("#relabelled", FeedTree)
        fresh = app.query_one("#fresh", FeedTree)
        relabelled.show_feeds(old)
        await pilot.pause()
        if scrolled_first:  # lines painted (and cached) out of view before the change
            await shown_everywhere(app, relabelled)
        new = changed(old)
        relabelled.show_feeds(new)
        fresh.show_feeds(new)
        await pilot.pause()
        assert relabelled.labels() == fresh.labels()
        assert relabelled.labels()["all"] == "All articles"
        assert relabelled.labels()["feed:6"] == "! Blog 6 über Äpfel"
        assert await shown_everywhere(app, relabelled) == await shown_everywhere(app, fresh)
        again = [replace(feed, unread=feed.id % 5) for feed in new]
        relabelled.show_feeds(again)
        fresh.clear()
        fresh.show_feeds(again)
        await pilot.pause()
        assert await shown_everywhere(app, relabelled) == await shown_everywhere(app, fresh)


async def test_counts_of_many_feeds_change_with_one_repaint_and_unchanged_labels_stay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = feeds(1000)
    app = Trees()
    async with app.run_test(size=(80, HEIGHT + 2)) as pilot:
        tree = app.query_one("#relabelled", FeedTree)
        tree.show_feeds(old)
        await pilot.pause()
        before = {key: tree.labels()[key] for key in ("feed:7", "feed:14")}  # no unread: same
        later: list[object] = []
        repaints: list[object] = []
        monkeypatch.setattr(tree, "call_later", lambda *args, **kw: later.append(args) or True)
        refresh = tree.refresh
        monkeypatch.setattr(
            tree, "refresh", lambda *a, **kw: repaints.append(a) or refresh(*a, **kw)
        )
        tree.show_feeds([replace(feed, unread=0) for feed in old])
        monkeypatch.undo()
        assert later == []  # no repaint queued per node (1,000 messages before the frame)
        assert len(repaints) <= 2  # the feeds' labels, then the groups' (or none changed)
        await pilot.pause()
        assert tree.labels()["all"] == "All articles"
        assert {key: tree.labels()[key] for key in before} == before
        fresh = app.query_one("#fresh", FeedTree)
        fresh.show_feeds([replace(feed, unread=0) for feed in old])
        assert tree.labels() == fresh.labels()
