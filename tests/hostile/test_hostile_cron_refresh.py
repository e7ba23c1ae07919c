"""`blogtui refresh` from cron is polite (issue 12 item 7).

It keeps the reader's one rule (core/feeds/outcome.py `is_due`): a feed answering 429/503 is
not fetched again before its Retry-After (or backoff) time, a feed answering 410 is not fetched
again at all, and `--force` overrides both, saying so. Each command runs as a subprocess against
a real server on 127.0.0.1 that counts the requests it gets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feedserver import Response

RSS = {"Content-Type": "application/rss+xml"}
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cron</title><link>/</link>'
    b"<item><title>One</title><link>/1</link><guid>1</guid></item></channel></rss>"
)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLOGTUI_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def clocks(start: float, end: float, seconds: float) -> set[str]:
    """The HH:MM a wait of `seconds` ends at, for a moment between `start` and `end`."""
    return {time.strftime("%H:%M", time.localtime(moment + seconds)) for moment in (start, end)}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def subscribe(home: Path, feed_server, path: str) -> str:
    url = feed_server.route(path, body=FEED, headers=RSS)
    assert cli(home, "add", url).returncode == 0
    return url


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_holds_until_its_time_and_force_overrides(home, feed_server, status):
    url = subscribe(home, feed_server, "/feed")
    feed_server.route("/feed", status=status, headers={"Retry-After": "120"})
    before = len(feed_server.requests_to("/feed"))
    start = time.time()
    first = cli(home, "refresh")
    second = cli(home, "refresh")
    end = time.time()
    assert len(feed_server.requests_to("/feed")) == before + 1  # the second made no request
    assert first.returncode == 0 and f"waiting: {url}: HTTP {status}" in first.stdout
    assert second.returncode == 0 and "0 failed" in second.stdout
    said = [
        f"skipped: {url}: waiting until {hhmm}" in second.stdout for hhmm in clocks(start, end, 120)
    ]
    assert any(said), second.stdout
    listing = cli(home, "feeds").stdout
    assert any(f"waiting: until {hhmm}" in listing for hhmm in clocks(start, end, 120)), listing
    forced = cli(home, "refresh", "--force")
    assert len(feed_server.requests_to("/feed")) == before + 2
    assert (
        forced.stdout.startswith("--force: ")
        and "1 of them before their retry time and 0 gone" in forced.stdout
    )


def test_backoff_without_retry_after_also_holds(home, feed_server):
    url = subscribe(home, feed_server, "/feed")
    feed_server.route("/feed", status=503)
    before = len(feed_server.requests_to("/feed"))
    start = time.time()
    cli(home, "refresh")
    second = cli(home, "refresh", url)
    end = time.time()
    assert len(feed_server.requests_to("/feed")) == before + 1
    assert any(f"waiting until {hhmm}" in second.stdout for hhmm in clocks(start, end, 300))


def test_gone_is_not_polled_again_and_says_how_to_remove_it(home, feed_server):
    url = subscribe(home, feed_server, "/feed")
    feed_server.route("/feed", Response(410))
    before = len(feed_server.requests_to("/feed"))
    first = cli(home, "refresh")
    again = cli(home, "refresh")
    assert len(feed_server.requests_to("/feed")) == before + 1
    hint = "`blogtui remove 1` unsubscribes"
    for result in (first, again):
        assert result.returncode == 1 and f"gone: {url}: gone (HTTP 410" in result.stdout
        assert hint in result.stdout and "1 gone, 0 failed." in result.stdout
    listing = cli(home, "feeds").stdout
    assert "gone: the server says this feed no longer exists (HTTP 410)" in listing
    assert hint in listing
    feed_server.route("/feed", body=FEED, headers=RSS)
    forced = cli(home, "refresh", "--force")
    assert len(feed_server.requests_to("/feed")) == before + 2
    assert (
        forced.returncode == 0
        and "0 of them before their retry time and 1 gone" in forced.stdout
        and f"gone: {url}" not in forced.stdout
    )
