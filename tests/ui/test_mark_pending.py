"""The article list's pending marks (ui/widgets/read_marks.py): a row is drawn as the last change
made to it says until the store has it; writes run one after another, in order."""

from __future__ import annotations

import threading

import pytest

from blogtui.core.models import ArticleSummary, Feed
from blogtui.ui.widgets.read_marks import (
    PendingMarks,
    SerialWriter,
    counts_read,
    mark_all_question,
)


def row(article_id: int, feed_id: int = 1, *, read: bool = False) -> ArticleSummary:
    return ArticleSummary(article_id, feed_id, f"Über {article_id}", "Jörg", "", None, read, None)


def test_the_last_change_to_a_row_wins_until_it_is_written() -> None:
    marks = PendingMarks()
    assert not marks
    first = marks.mark("read", [1, 2], True)
    marks.mark("starred", [1], True)
    last = marks.mark("read", [1], False)
    shown = marks.apply(row(1))
    assert (shown.read, shown.starred) == (False, True)
    assert marks.apply(row(2)).read and marks.apply(row(3)) == row(3)
    marks.written(first)
    assert marks.apply(row(2)) == row(2)  # written: the store's row is the truth again
    assert marks.apply(row(1)).starred
    marks.written(last)
    assert not marks and marks.apply(row(1, read=True)) == row(1, read=True)


def test_a_feed_marked_read_covers_its_rows_but_not_a_later_unread_mark() -> None:
    marks = PendingMarks()
    marks.mark("read", [1], True)
    feeds = marks.mark_feeds_read([7])
    marks.mark("read", [2], False)
    assert marks.apply(row(2, 7)).read is False  # marked unread after the feed was marked read
    assert marks.apply(row(3, 7)).read is True
    assert marks.apply(row(4, 8)) == row(4, 8)
    everything = marks.mark_feeds_read(None)
    assert marks.apply(row(2, 7)).read and marks.apply(row(4, 8)).read
    marks.written(feeds)
    assert marks.apply(row(4, 8)).read  # the later "all read" is still pending
    marks.written(everything)
    assert not marks


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        PendingMarks().mark("title", [1], True)


def test_the_writer_runs_jobs_in_order_on_one_thread_at_a_time() -> None:
    threads: list[threading.Thread] = []

    def start(drain: object) -> None:
        thread = threading.Thread(target=drain, daemon=True)  # type: ignore[arg-type]
        threads.append(thread)
        thread.start()

    writer = SerialWriter(start)
    gate = threading.Event()
    done: list[int] = []
    writer.submit(lambda: gate.wait(10) and None)
    for number in range(50):
        writer.submit(lambda number=number: done.append(number))  # type: ignore[misc]
    assert writer.busy and len(threads) == 1  # one drain for all while the first job waits
    gate.set()
    threads[0].join(10)
    assert done == list(range(50)) and not writer.busy
    writer.submit(lambda: done.append(50))
    threads[-1].join(10)
    assert len(threads) == 2 and done[-1] == 50


def test_a_failing_job_does_not_stop_the_next_and_its_error_is_raised() -> None:
    drains: list[object] = []
    writer = SerialWriter(drains.append)
    done: list[str] = []

    def fail() -> None:
        raise OSError("disk full")

    writer.submit(fail)
    writer.submit(lambda: done.append("after"))
    assert len(drains) == 1
    with pytest.raises(OSError, match="disk full"):
        drains[0]()  # type: ignore[operator]
    assert done == ["after"] and not writer.busy


def test_counts_read_and_the_question_use_the_feeds_shown() -> None:
    feeds = [
        Feed(1, "https://a.example/", "Äpfel", unread=3),
        Feed(2, "https://b.example/", "B", unread=4),
    ]
    assert [f.unread for f in counts_read(feeds, [2])] == [3, 0]
    assert [f.unread for f in counts_read(feeds, None)] == [0, 0]
    assert [f.unread for f in counts_read(feeds, [])] == [3, 4]
    assert mark_all_question(feeds, None).startswith("Mark 7 unread articles of all articles read?")
    assert mark_all_question(feeds, (1, 2)).startswith("Mark 7 unread articles of the 2 feeds")


def test_flush_runs_what_no_drain_has_taken_yet_and_a_late_drain_finds_nothing() -> None:
    drains: list[object] = []
    writer = SerialWriter(drains.append)  # the drain is "started" later (after a frame)
    done: list[int] = []
    writer.submit(lambda: done.append(1))
    writer.submit(lambda: done.append(2))
    writer.flush()  # the app quits before the drain starts
    assert done == [1, 2] and not writer.busy
    drains[0]()  # type: ignore[operator]
    assert done == [1, 2]


def test_flush_leaves_the_jobs_to_a_running_drain() -> None:
    started: list[threading.Thread] = []
    writer = SerialWriter(lambda d: started.append(threading.Thread(target=d, daemon=True)))
    entered, gate = threading.Event(), threading.Event()
    done: list[str] = []

    def first() -> None:
        entered.set()
        gate.wait(10)

    writer.submit(first)
    started[0].start()
    assert entered.wait(10)
    writer.submit(lambda: done.append("later"))
    writer.flush()  # returns at once: the running drain takes the job
    assert done == []
    gate.set()
    started[0].join(10)
    assert done == ["later"] and not writer.busy
