"""`blogtui sync` killed with SIGKILL mid-sync: the queue is intact and a rerun is correct."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from proxy import TtrssProxy
from support.ttrss import TtrssSite

from blogtui.core.paths import places
from blogtui.core.store import Store

SRC = Path(__file__).resolve().parents[2] / "src"


def blogtui(home: Path, *args: str, stdin: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "blogtui", "--home", str(home), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    process.stdin = None  # written whole: communicate() has nothing more to send
    return process


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@pytest.fixture
def proxy(ttrss: TtrssSite) -> Iterator[TtrssProxy]:
    proxy = TtrssProxy(ttrss.api_url)
    yield proxy
    proxy.close()


def test_kill_9_during_pull_and_push_loses_nothing_and_doubles_nothing(
    tmp_path: Path, ttrss: TtrssSite, proxy: TtrssProxy
):
    feeds = [ttrss.add_feed(f"https://blog{n}.example.org/feed", f"Blog {n}") for n in range(8)]
    ids = [i for feed in feeds for i in ttrss.add_articles(feed, 125)]
    home = tmp_path / "home"
    add = ("account", "add", "ttrss", proxy.base_url, "--user", ttrss.user, "--name", "home")
    code, _, err = finished(blogtui(home, *add, stdin=ttrss.password + "\n"))
    assert code == 0, err

    # killed while pulling the second batch of feeds (a first pull takes 4 feeds at once):
    # the first batch is kept whole, with its cursor
    proxy.faults["getHeadlines"] = "stall@5"
    process = blogtui(home, "sync")
    assert proxy.stalled.wait(60)
    store = Store(places(home).database)
    deadline = time.monotonic() + 60
    while store.article_count() < 500 and time.monotonic() < deadline:
        time.sleep(0.05)  # the first batch is being stored while the second is asked for
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert store.article_count() == 500
    assert store.get_account("home").cursor == f"f/{sorted(feeds)[3]}/{max(ids[:500])}"

    # killed while pushing: the queued marks wait whole
    proxy.faults.clear()
    proxy.stalled.clear()
    assert finished(blogtui(home, "sync"))[0] == 0
    assert store.article_count() == 1000
    marked = store.article_ids(limit=30)
    store.set_read(marked)
    assert store.queued_count() == 30
    proxy.faults["updateArticle"] = "stall"
    process = blogtui(home, "sync")
    assert proxy.stalled.wait(60)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert store.queued_count() == 30

    proxy.faults.clear()
    proxy.release.set()
    code, out, err = finished(blogtui(home, "sync"))
    assert code == 0, err
    assert "30 changes sent" in out
    assert store.queued_count() == 0 and store.article_count() == 1000
    remote = {int(i) for i in store.remote_ids_of(marked).values()}
    assert ttrss.unread_ids() == set(ids) - remote and len(remote) == 30
    assert store.article_count(unread_only=True) == 970
