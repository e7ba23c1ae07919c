"""A parse worker process: parses the feed bodies ParsePool sends it over a pipe.

ParsePool (parsepool.py) runs `python -P -m blogtui.core.feeds.parseworker` with its stdin and
stdout as pipes. The worker moves the pipes to private descriptors and points fds 0-2 at
/dev/null, so nothing it prints can reach a terminal or break the protocol. It sends READY, then
answers one job at a time until its input ends (so a parent that dies leaves no worker behind).

Every message is a frame: an 8-byte big-endian length, then a pickle. A job is
(body, url, headers, known); the answer is ("ok", parse_job's result) or ("error", "Type: text").
parse_job lives here, so that a worker imports the parser but not asyncio and the pool
(core.parsepool re-exports it).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from collections.abc import Callable
from typing import IO, Any

from blogtui.core.errors import FeedError
from blogtui.core.feeds.parse import ParsedFeed, parse_feed
from blogtui.core.feeds.shield import leave_out

Parsed = tuple[ParsedFeed, frozenset[bytes] | None, int]
"""A job's result: the parsed feed, the digests of all its items, how many bytes were parsed."""

READY = "ready"
"""A new worker's first message, once it has imported the parser."""
MAX_FRAME = 256 * 2**20
"""Longer frames are refused: far above any body a refresh reads (max_feed_bytes, 5 MB)."""
_LENGTH = struct.Struct(">Q")


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


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    """Send one pickled message."""
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """Receive one message; EOFError when the stream ends, ValueError for an absurd length."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("end of input")
    (length,) = _LENGTH.unpack(header)
    if length > MAX_FRAME:
        raise ValueError(f"frame of {length} bytes refused")
    payload = stream.read(length)
    if len(payload) < length:
        raise EOFError("truncated frame")
    return pickle.loads(payload)


def answer(job: Any) -> bytes:
    """The pickled answer to one job: ("ok", result) or ("error", "Type: message")."""
    try:
        return pickle.dumps(("ok", parse_job(*job)))
    except Exception as error:
        name = "FeedError" if isinstance(error, FeedError) else type(error).__name__
        return pickle.dumps(("error", f"{name}: {error}"))


def _private_pipes() -> tuple[IO[bytes], IO[bytes]]:
    """The protocol pipes (stdin, stdout) on new descriptors; fds 0, 1 and 2 become /dev/null."""
    jobs, answers = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return os.fdopen(jobs, "rb"), os.fdopen(answers, "wb")


def main() -> int:
    """Serve jobs until the input ends (exit 0); a broken pipe or a bad frame exits 1."""
    jobs, answers = _private_pipes()
    try:
        write_frame(answers, pickle.dumps(READY))
        while True:
            write_frame(answers, answer(read_frame(jobs)))
    except EOFError:
        return 0
    except (OSError, ValueError, pickle.UnpicklingError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
