"""Parse worker processes (core/feeds/parseworker.py) and ParsePool's use of them."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import pickle
import signal
import struct
import time

import pytest

from blogtui.core.errors import FeedError
from blogtui.core.feeds import parsepool, parseworker
from blogtui.core.feeds.parse import parse_feed

URL = "http://blog.example/feed"
HTML = b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>"
ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]>'
    b"<rss version='2.0'><channel><title>&a;</title></channel></rss>"
)
NOISY = """
import os, sys
from blogtui.core.feeds import parseworker
real = parseworker.parse_job
def noisy(*job):
    print("noise on stdout", flush=True)
    print("noise on stderr", file=sys.stderr, flush=True)
    os.write(1, b"noise on fd 1\\n")
    os.write(2, b"noise on fd 2\\n")
    return real(*job)
parseworker.parse_job = noisy
sys.exit(parseworker.main())
"""


def rss(*posts: int) -> bytes:
    items = "".join(
        f"<item><title>Post {n}</title><guid>http://blog.example/?p={n}</guid></item>"
        for n in posts
    )
    return f'<rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>'.encode()


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def gone(pid: int) -> bool:
    """True once the process has exited and was reaped (a zombie still has a /proc entry)."""
    return not os.path.exists(f"/proc/{pid}")


@pytest.fixture
def pool(monkeypatch):
    """A ParsePool with two workers starting at its first job; `.in_threads` lists thread jobs."""
    monkeypatch.setattr(parsepool, "PROCESS_AFTER_BYTES", 0)
    in_threads: list[str] = []

    def here(body, url, *args):
        in_threads.append(url)
        return parse_feed(body, url, *args)

    parser = parsepool.ParsePool(2, here)
    parser.in_threads = in_threads
    yield parser
    parser.close()


async def started(parser) -> list:
    """Parse one feed (in a thread), wait for the workers; their Popen objects."""
    await parser.parse(rss(1), "http://blog.example/first", {})
    assert await parser.started()
    return sorted(parser.workers.live, key=lambda process: process.pid)


# --- the protocol -----------------------------------------------------------------------------


def test_frames_round_trip_and_absurd_lengths_are_refused():
    stream = io.BytesIO()
    parseworker.write_frame(stream, pickle.dumps(("ok", [1, 2])))
    stream.seek(0)
    assert parseworker.read_frame(stream) == ("ok", [1, 2])
    with pytest.raises(EOFError):
        parseworker.read_frame(stream)
    with pytest.raises(ValueError, match="refused"):
        parseworker.read_frame(io.BytesIO(struct.pack(">Q", parseworker.MAX_FRAME + 1)))
    with pytest.raises(EOFError):
        parseworker.read_frame(io.BytesIO(struct.pack(">Q", 10) + b"short"))


def test_an_answer_names_the_error():
    assert pickle.loads(parseworker.answer((HTML, URL, {}, None))) == (
        "error",
        "FeedError: not a feed (looks like an HTML page)",
    )
    kind, text = pickle.loads(parseworker.answer(("not bytes",)))
    assert kind == "error" and text.startswith("TypeError: ")
    kind, (feed, digests, size) = pickle.loads(parseworker.answer((rss(1), URL, {}, None)))
    assert kind == "ok" and feed.title == "Blog" and len(digests) == 1 and size == len(rss(1))


def test_a_worker_answers_then_exits_at_the_end_of_its_input():
    process = parsepool.start_worker()
    try:
        assert parseworker.read_frame(process.stdout) == parseworker.READY
        parseworker.write_frame(process.stdin, pickle.dumps((rss(1, 2), URL, {}, None)))
        kind, (feed, _, _) = parseworker.read_frame(process.stdout)
        assert kind == "ok" and [e.title for e in feed.entries] == ["Post 1", "Post 2"]
        assert os.getsid(process.pid) == process.pid  # no terminal of ours
        process.stdin.close()
        assert process.wait(10) == 0
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_a_worker_exits_on_an_absurd_frame():
    process = parsepool.start_worker()
    try:
        assert parseworker.read_frame(process.stdout) == parseworker.READY
        process.stdin.write(struct.pack(">Q", parseworker.MAX_FRAME + 1))
        process.stdin.flush()
        assert process.wait(10) == 1
    finally:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()


# --- ParsePool with workers -------------------------------------------------------------------


@pytest.mark.parametrize("body", [HTML, ENTITIES, b"", b"plain text, no markup"])
async def test_a_feed_failing_in_a_worker_fails_as_in_a_thread(pool, body):
    with pytest.raises(FeedError) as in_thread:
        parsepool.parse_job(body, URL, {}, None)
    await started(pool)
    with pytest.raises(FeedError) as in_worker:
        await pool.parse(body, URL, {})
    assert in_worker.value.message == in_thread.value.message
    assert type(in_worker.value) is FeedError and pool.workers.ready()  # the worker lives on
    assert pool.in_threads == ["http://blog.example/first"]


def test_other_errors_in_a_worker_become_feed_errors():
    assert parsepool.feed_error_of("FeedError: not a feed").message == "not a feed"
    assert parsepool.feed_error_of("RecursionError: too deep").message == "RecursionError: too deep"


@pytest.mark.parametrize("when", ["idle", "busy"])
async def test_a_killed_worker_leaves_its_feeds_to_threads(pool, caplog, when):
    workers = await started(pool)
    big = rss(*range(1000))  # about a tenth of a second each
    jobs = [asyncio.ensure_future(pool.parse(big, f"{URL}/{n}", {})) for n in range(6)]
    if when == "busy":
        await asyncio.sleep(0.05)
    os.kill(workers[0].pid, signal.SIGKILL)
    results = await asyncio.gather(*jobs)
    assert [len(feed.entries) for feed, _, _ in results] == [1000] * 6
    assert "parsing in threads: a worker process failed" in caplog.text
    after, _, _ = await pool.parse(rss(7), f"{URL}/after", {})
    assert after.entries[0].title == "Post 7" and pool.processes == 0
    assert pool.in_threads[-1] == f"{URL}/after"
    wait_until(lambda: all(gone(process.pid) for process in workers))


async def test_no_worker_process_or_descriptor_remains_after_close(pool):
    descriptors = set(os.listdir("/proc/self/fd"))
    workers = await started(pool)
    assert len(workers) == 2 and set(os.listdir("/proc/self/fd")) != descriptors
    await pool.parse(rss(2), URL, {})
    pool.close()
    wait_until(lambda: all(process.returncode is not None for process in workers))
    assert [process.returncode for process in workers] == [0, 0]  # they left at end of input
    assert all(gone(process.pid) for process in workers)
    assert set(os.listdir("/proc/self/fd")) == descriptors


async def test_close_kills_a_worker_that_never_comes_up(pool, monkeypatch):
    monkeypatch.setattr(parsepool, "WORKER_ARGS", ["-c", "import time; time.sleep(60)"])
    await pool.parse(rss(1), URL, {})
    wait_until(lambda: len(pool.workers.live) == 2)
    workers = list(pool.workers.live)
    for n in range(3):  # threads keep parsing while the workers are not up
        assert (await pool.parse(rss(n), URL, {}))[0].entries[0].title == f"Post {n}"
    pool.close()
    wait_until(lambda: all(gone(process.pid) for process in workers))
    assert len(pool.in_threads) == 4


async def test_worker_output_never_reaches_the_parent(pool, monkeypatch, capfd, caplog):
    monkeypatch.setattr(parsepool, "WORKER_ARGS", ["-P", "-c", NOISY])
    workers = await started(pool)
    for n in range(4):
        assert (await pool.parse(rss(n), URL, {}))[0].entries[0].title == f"Post {n}"
    assert pool.workers.ready() and pool.in_threads == ["http://blog.example/first"]
    pool.close()
    wait_until(lambda: all(gone(process.pid) for process in workers))
    out, err = capfd.readouterr()
    assert "noise" not in out and "noise" not in err and "worker" not in caplog.text


@pytest.mark.parametrize(
    "args",
    [
        None,  # start_worker raises
        ["-c", "pass"],  # exits before it is ready
        ["-c", "print('Traceback (most recent call last):')"],  # not a frame
    ],
)
async def test_threads_take_over_when_workers_cannot_start(pool, monkeypatch, caplog, args):
    if args is None:

        def refuse():
            raise OSError("no processes here")

        monkeypatch.setattr(parsepool, "start_worker", refuse)
    else:
        monkeypatch.setattr(parsepool, "WORKER_ARGS", args)
    with caplog.at_level(logging.WARNING):
        await pool.parse(rss(1), URL, {})
        assert not await pool.started()
        feed, _, _ = await pool.parse(rss(2), URL, {})
    assert feed.entries[0].title == "Post 2" and pool.processes == 0
    assert "parsing in threads: " in caplog.text and len(pool.in_threads) == 2
