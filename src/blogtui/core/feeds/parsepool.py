"""Parsing feed bodies off the event loop: in threads, or in worker processes for big refreshes.

feedparser is pure Python, so threads share one core. A refresh that parses a lot starts a few
worker processes (core/feeds/parseworker.py, fresh interpreters: never a fork, the app has threads)
once it has parsed PROCESS_AFTER_BYTES, and keeps using threads until every worker is up, so a
small refresh never waits for a process. Each worker is fed over its own pipes by one thread of
a small pool, whose blocking I/O leaves the event loop and the GIL free. The workers are plain
subprocesses rather than a ProcessPoolExecutor, whose semaphores start multiprocessing's
resource tracker (another interpreter) and whose "spawn" workers re-import the app's __main__.
If processes cannot start or die, parsing falls back to threads. A job also leaves out the
items a feed sent last time (shield.leave_out), so the event loop never spends time on a body.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import blogtui
from blogtui.core.errors import FeedError
from blogtui.core.feeds.parse import ParsedFeed, parse_feed
from blogtui.core.feeds.parseworker import (
    MAX_FRAME,
    READY,
    Parsed,
    parse_job,
    read_frame,
    write_frame,
)

__all__ = ["PROCESS_AFTER_BYTES", "Parsed", "ParsePool", "default_processes", "parse_job"]

log = logging.getLogger(__name__)

PROCESS_AFTER_BYTES = 3 * 2**20
"""Worker processes start once a refresh has parsed this much (about half a second of work)."""
MAX_PROCESSES = 4
WORKER_ARGS = ["-P", "-m", "blogtui.core.feeds.parseworker"]
"""A worker's command line after sys.executable (-P: the working directory is not imported)."""
STOP_SECONDS = 2.0
"""How long a worker whose input was closed may take to exit before it is killed."""


def default_processes() -> int:
    """How many parse processes a big refresh may use: none on a single CPU."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return 0 if cpus < 2 else min(cpus, MAX_PROCESSES)


def start_worker() -> subprocess.Popen[bytes]:
    """Start one worker process, importing this very blogtui package; it sends READY when up.

    It gets a session of its own: no terminal signals (Ctrl-C is the parent's to handle) and no
    controlling terminal to write to.
    """
    env = dict(os.environ)
    package_dir = str(Path(blogtui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_dir, env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, *WORKER_ARGS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        env=env,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Close a worker's pipes (it exits at the end of its input) and reap it; kill if it lingers."""
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:  # a job was still buffered for a dead worker
            pass
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def feed_error_of(text: str) -> FeedError:
    """The FeedError a thread would have raised, from a worker's "Type: message"."""
    name, _, message = text.partition(": ")
    return FeedError(message if name == "FeedError" else text)


class _Workers:
    """A set of worker processes and one thread per worker to feed it.

    A worker's pipes are only touched by the thread holding it (a worker taken from `idle`).
    Once closed (by ParsePool.close or by a worker that died), the threads answer None: the job
    is for a thread of the event loop's executor.
    """

    def __init__(self, count: int) -> None:
        self.threads = ThreadPoolExecutor(count, thread_name_prefix="blogtui-parse")
        self.idle: queue.SimpleQueue[subprocess.Popen[bytes]] = queue.SimpleQueue()
        self.live: set[subprocess.Popen[bytes]] = set()
        """Every worker not yet being stopped (changed under `lock`, so a kill never misses)."""
        self.lock = threading.Lock()
        self.closed = False
        with self.lock:  # a start that fails at once closes the pool only after this
            self.starting: list[Future[None]] = [
                self.threads.submit(self._start) for _ in range(count)
            ]

    def ready(self) -> bool:
        """True once every worker is up (and none has failed)."""
        return not self.closed and all(future.done() for future in self.starting)

    def _start(self) -> None:
        try:
            process = start_worker()
        except Exception as error:  # OSError, or an unusable sys.executable
            self._fail(f"cannot start worker processes: {error}")
            return
        with self.lock:
            self.live.add(process)
            if self.closed:
                process.kill()
        try:
            said = read_frame(process.stdout)  # type: ignore[arg-type]
        except Exception as error:  # it exited (say, blogtui is not importable there)
            said = error
        if said == READY:
            self._release(process)
        else:
            self._retire(process)
            self._fail(f"a worker process did not start: {said!r}")

    def call(self, job: tuple[Any, ...]) -> Parsed | None:
        """parse_job(*job) in an idle worker (in a pool thread); None when workers cannot."""
        try:
            payload = pickle.dumps(job)
        except Exception:
            return None
        if len(payload) > MAX_FRAME:
            return None
        try:
            process = self.idle.get_nowait()
        except queue.Empty:  # closed
            return None
        try:
            write_frame(process.stdin, payload)  # type: ignore[arg-type]
            kind, value = read_frame(process.stdout)  # type: ignore[arg-type]
            if kind not in ("ok", "error"):
                raise ValueError(f"unexpected answer {kind!r}")
        except Exception as error:  # EOF, broken pipe, a bad frame: the worker is gone
            self._retire(process)
            self._fail(f"a worker process failed: {error!r}")
            return None
        self._release(process)
        if kind == "error":
            raise feed_error_of(value)
        return cast(Parsed, value)

    def _release(self, process: subprocess.Popen[bytes]) -> None:
        """Put a worker back in `idle`, or stop it when the workers were closed meanwhile."""
        with self.lock:
            if not self.closed:
                self.idle.put(process)
                return
        self._retire(process)

    def _retire(self, process: subprocess.Popen[bytes]) -> None:
        with self.lock:
            self.live.discard(process)
        _stop(process)

    def _fail(self, reason: str) -> None:
        if self.close():
            log.warning("parsing in threads: %s", reason)

    def close(self) -> bool:
        """Stop the workers (False if they were already); returns at once.

        Idle workers are stopped by a daemon thread; busy ones are killed and then stopped by
        the thread holding them, whose job goes to a thread of the parent instead.
        """
        with self.lock:
            if self.closed:
                return False
            self.closed = True
            idle = []
            while not self.idle.empty():
                idle.append(self.idle.get_nowait())
            for process in self.live.difference(idle):
                process.kill()
            self.live.difference_update(idle)
        self.threads.shutdown(wait=False)
        if idle:
            threading.Thread(target=_stop_all, args=(idle,), daemon=True).start()
        return True


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        _stop(process)


class ParsePool:
    """Runs parse_feed in threads, or in worker processes once a refresh proves big enough.

    Processes start only after PROCESS_AFTER_BYTES of bodies were parsed in this refresh, and
    threads keep parsing until every worker has started, so a small refresh never waits for one.
    """

    def __init__(self, processes: int, parse: Callable[..., ParsedFeed] = parse_feed) -> None:
        self.processes = processes
        self.parse_here = parse
        """What threads run (workers always run parse_feed itself)."""
        self.parsed_bytes = 0
        self.workers: _Workers | None = None

    def _ready_workers(self) -> _Workers | None:
        """The workers when they are up; starts them when this refresh has proved big enough."""
        if self.workers is None and self.processes > 0:
            if self.parsed_bytes >= PROCESS_AFTER_BYTES:
                try:
                    self.workers = _Workers(self.processes)
                except RuntimeError as error:  # no thread to feed them
                    log.warning("parsing in threads: cannot start worker processes: %s", error)
                    self.processes = 0
        workers = self.workers
        if workers is not None and workers.closed:  # one failed: threads from now on
            self.workers = None
            self.processes = 0
        return workers if workers is not None and workers.ready() else None

    async def started(self) -> bool:
        """Wait until the workers are up (tests); False when there are none."""
        workers = self.workers
        if workers is None:
            return False
        await asyncio.gather(*(asyncio.wrap_future(f) for f in workers.starting))
        return not workers.closed

    async def parse(
        self,
        body: bytes,
        url: str,
        headers: dict[str, str],
        known: frozenset[bytes] | None = None,
    ) -> Parsed:
        """parse_job(body, url, headers, known), off the event loop."""
        workers = self._ready_workers()
        result: Parsed | None = None
        if workers is not None:
            try:
                job = workers.threads.submit(workers.call, (body, url, headers, known))
            except RuntimeError:  # shut down since: a worker just failed
                pass
            else:
                result = await asyncio.wrap_future(job)
        if result is None:
            result = await asyncio.to_thread(parse_job, body, url, headers, known, self.parse_here)
        self.parsed_bytes += result[2]
        return result

    def close(self) -> None:
        """Stop the worker processes, if any were started (without waiting for them)."""
        if self.workers is not None:
            self.workers.close()
            self.workers = None
