"""Parsing feed bodies off the event loop: in threads, or in worker processes for big refreshes.

feedparser is pure Python, so threads share one core. A refresh that parses a lot starts a
small pool of "spawn" worker processes (never "fork": the app has threads) once it has parsed
PROCESS_AFTER_BYTES, and keeps using threads until every worker is up, so a small refresh never
waits for a process. If processes cannot start or die, parsing falls back to threads. A job also
leaves out the items a feed sent last time (shield.leave_out), so the event loop never spends
time on a body.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from blogtui.core.parse import ParsedFeed, parse_feed
from blogtui.core.shield import leave_out

Parsed = tuple[ParsedFeed, frozenset[bytes] | None, int]
"""A job's result: the parsed feed, the digests of all its items, how many bytes were parsed."""

log = logging.getLogger(__name__)

PROCESS_AFTER_BYTES = 3 * 2**20
"""Worker processes start once a refresh has parsed this much (about half a second of work)."""
MAX_PROCESSES = 4


def default_processes() -> int:
    """How many parse processes a big refresh may use: none on a single CPU."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return 0 if cpus < 2 else min(cpus, MAX_PROCESSES)


def parse_job(
    body: bytes,
    url: str,
    headers: dict[str, str],
    known: frozenset[bytes] | None,
    parse: Callable[..., ParsedFeed] = parse_feed,
) -> Parsed:
    """Leave out the `known` items, then parse what is left (see shield.leave_out)."""
    body, digests = leave_out(body, known)
    return parse(body, url, headers), digests, len(body)


def _warm_up() -> None:
    """Run in each new worker so that it has imported the parser before the first job."""


def _quiet_worker() -> None:
    """Send a worker's stdout and stderr to /dev/null: nothing may scribble over a TUI."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


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
        self.pool: ProcessPoolExecutor | None = None
        self.starting: list[Future[None]] = []

    def _start_pool(self) -> None:
        try:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=_quiet_worker
            )
            self.starting = [self.pool.submit(_warm_up) for _ in range(self.processes)]
        except (OSError, ValueError, RuntimeError) as error:
            log.warning("parsing in threads: cannot start worker processes: %s", error)
            self.close()
            self.processes = 0

    def _ready_pool(self) -> ProcessPoolExecutor | None:
        """The worker pool when it is up; starts it when this refresh has proved big enough."""
        if self.pool is None and self.processes > 0:
            if self.parsed_bytes >= PROCESS_AFTER_BYTES:
                self._start_pool()
        if self.pool is not None and all(future.done() for future in self.starting):
            return self.pool
        return None

    async def started(self) -> bool:
        """Wait until the workers are up (tests); False when there are none."""
        if self.pool is None:
            return False
        await asyncio.gather(*(asyncio.wrap_future(f) for f in self.starting))
        return True

    async def parse(
        self,
        body: bytes,
        url: str,
        headers: dict[str, str],
        known: frozenset[bytes] | None = None,
    ) -> Parsed:
        """parse_job(body, url, headers, known), off the event loop."""
        pool = self._ready_pool()
        result: Parsed | None = None
        if pool is not None:
            try:
                job = pool.submit(parse_job, body, url, headers, known)
                result = await asyncio.wrap_future(job)
            except (BrokenProcessPool, RuntimeError) as error:
                log.warning("parsing in threads: worker processes failed: %s", error)
                self.close()
                self.processes = 0
        if result is None:
            result = await asyncio.to_thread(parse_job, body, url, headers, known, self.parse_here)
        self.parsed_bytes += result[2]
        return result

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        self.starting = []
