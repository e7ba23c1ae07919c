"""`blogtui sync` killed with SIGKILL mid-sync: the queue is intact and a rerun is correct."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def test_kill_9_during_push_and_pull_loses_nothing_and_doubles_nothing(
    tmp_path: Path, ttrss: TtrssSite, proxy: TtrssProxy
):
    feed = ttrss.add_feed("https://blog1.example.org/feed", "Blog Eins")
    ids = ttrss.add_articles(feed, 1000)
    home = tmp_path / "home"
    code, _, err = finished(
        blogtui(
            home,
            "account",
            "add",
            "ttrss",
            proxy.base_url,
            "--user",
            ttrss.user,
            "--name",
            "home",
            stdin=ttrss.password + "\n",
        )  # fmt: skip
    )
    assert code == 0, err

    # killed while pulling the second batch of new articles (4 pages of 200 at once): the
    # first batch is kept whole, with its cursor
    proxy.faults["getHeadlines"] = "stall@5"
    process = blogtui(home, "sync")
    assert proxy.stalled.wait(60)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    store = Store(places(home).database)
    assert store.article_count() == 800
    assert store.get_account("home").cursor.startswith("0/800/")

    # killed while pushing: the queued marks wait whole
    proxy.faults["getHeadlines"] = ""
    proxy.stalled.clear()
    assert finished(blogtui(home, "sync"))[0] == 0
    assert store.article_count() == 1000
    store.set_read([store.article_ids_by_link([f"https://blog{feed}.example.org/{i}"]).popitem()[1]
                    for i in ids[:30]])  # fmt: skip
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
    assert ttrss.unread_ids() == set(ids[30:])
    assert store.article_count(unread_only=True) == 970
