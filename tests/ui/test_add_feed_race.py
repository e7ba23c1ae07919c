"""The add-feed dialog when discovery attempts overlap (issue 14 item 13).

An attempt that is still running when the user submits another URL finishes later in its
thread. Its answer used to reach the dialog anyway: a replaced try's feed closed the dialog and
subscribed to a feed the user had given up on, and a replaced try's failure wrote its error over
the newer try's status. The server holds the slow answers until the test lets them go, and the
loop's thread pool is tracked, so the order is fixed, not timed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from feedserver import FeedServer, Request, Response
from support.app import main_screen, press, settle
from textual.pilot import Pilot

from blogtui.core.store import Store
from blogtui.ui.screens.feed_dialogs import AddFeedScreen

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>http://127.0.0.1/</link>
<description>d</description><item><title>one</title><guid>g-{title}</guid>
<link>http://127.0.0.1/1</link></item></channel></rss>
"""


class Held:
    """A route that answers only once the test releases it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()

    def wait(self) -> None:
        self.reached.set()
        self.release.wait(20)


@pytest.fixture
def servers() -> Iterator[tuple[FeedServer, Held, Held]]:
    server = FeedServer()
    held, later = Held(), Held()
    feed_type = {"Content-Type": "application/rss+xml"}

    def slow(request: Request) -> Response:
        held.wait()
        return Response(200, RSS.format(title="Slow").encode(), feed_type)

    def slow_missing(request: Request) -> Response:
        held.wait()
        return Response(404, b"gone", {"Content-Type": "text/plain"})

    server.route("/fast.xml", Response(200, RSS.format(title="Fast").encode(), feed_type))
    server.route("/slow.xml", slow)
    server.route("/slow-missing", slow_missing)

    def later_feed(request: Request) -> Response:
        later.wait()
        return Response(200, RSS.format(title="Later").encode(), feed_type)

    server.route("/later.xml", later_feed)
    try:
        yield server, held, later
    finally:
        held.release.set()
        later.release.set()
        server.close()


async def _until(pilot: Pilot[None], check: object, seconds: float = 30) -> None:
    """Poll without waiting for workers (one of them is held on purpose)."""
    for _ in range(int(seconds / 0.02)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.02)
        await pilot.pause()
    pytest.fail("condition not reached")


class TrackingExecutor(ThreadPoolExecutor):
    """The loop's default executor (where Textual runs thread workers), six threads as on a
    2-core machine, keeping every job so a test can wait until each has ended."""

    def __init__(self) -> None:
        super().__init__(max_workers=6)
        self.jobs: list[Future[object]] = []

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        job = super().submit(fn, *args, **kwargs)
        self.jobs.append(job)
        return job

    def idle(self) -> bool:
        return all(job.done() for job in self.jobs)


def track_threads() -> TrackingExecutor:
    executor = TrackingExecutor()
    asyncio.get_running_loop().set_default_executor(executor)
    return executor


async def _submit(pilot: Pilot[None], url: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, AddFeedScreen)
    dialog.query_one("#prompt-input").value = url  # type: ignore[attr-defined]
    await pilot.press("enter")


async def test_a_late_success_of_a_replaced_try_is_ignored(
    pilot: Pilot[None], store: Store, servers: tuple[FeedServer, Held, Held]
) -> None:
    """The first try's feed arrives while the second try still runs: it used to close the
    dialog and subscribe to the feed the user had given up on."""
    server, first, second = servers
    app = pilot.app
    threads = track_threads()
    await press(pilot, "a")
    await _submit(pilot, server.url("/slow.xml"))
    await _until(pilot, first.reached.is_set)
    first_try = [job for job in threads.jobs if not job.done()]
    await _submit(pilot, server.url("/later.xml"))
    await _until(pilot, second.reached.is_set)
    first.release.set()  # the replaced try answers now, while the second still waits
    await _until(pilot, lambda: all(job.done() for job in first_try))
    await pilot.pause()
    assert isinstance(app.screen, AddFeedScreen)
    second.release.set()
    await _until(pilot, lambda: store.feed_by_url(server.url("/later.xml")) is not None)
    await _until(pilot, threads.idle)
    await settle(pilot)
    main_screen(app)
    assert store.feed_by_url(server.url("/slow.xml")) is None


async def test_a_late_failure_does_not_overwrite_the_newer_try(
    pilot: Pilot[None],
    servers: tuple[FeedServer, Held],
) -> None:
    server, held, _ = servers
    app = pilot.app
    threads = track_threads()
    await press(pilot, "a")
    dialog = app.screen
    await _submit(pilot, server.url("/slow-missing"))
    await _until(pilot, held.reached.is_set)
    await _submit(pilot, server.url("/missing-too"))
    status = dialog.query_one("#prompt-error")
    await _until(pilot, lambda: "missing-too" in str(status.render()))
    held.release.set()
    await _until(pilot, threads.idle)  # every attempt has ended, its answer dealt with
    await settle(pilot)
    assert isinstance(app.screen, AddFeedScreen)
    shown = str(status.render())
    assert "missing-too" in shown and "slow-missing" not in shown
