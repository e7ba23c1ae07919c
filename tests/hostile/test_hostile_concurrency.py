"""Crashes and concurrency: kill -9 during `blogtui refresh`, a read-state soak against a refresh
loop in other processes, and a corrupt database file. Real subprocesses, a real server."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer, Request, Response
from hostile_support import rss

from blogtui.core.paths import Places
from blogtui.core.store import Store

FEEDS = 40
ROUNDS = 15
SOAK_SECONDS = 15.0


def _growing_feed(name: str) -> object:
    """A route whose feed gains an item (and a bigger body) with every request."""
    count = [0]

    def answer(request: Request) -> Response:
        count[0] += 1
        items = [
            {
                "title": f"{name} Beitrag {n}",
                "guid": f"{name}-{n}",
                "link": f"http://127.0.0.1/{name}/{n}",
                "description": f"<p>Grüße {n} " + "Text " * 400 + "</p>",
            }
            for n in range(count[0] + 3)
        ]
        return Response(200, rss(f"Blog {name}", items))

    return answer


@pytest.fixture
def many_feeds(feed_server: FeedServer, home: Places) -> Iterator[list[str]]:
    """FEEDS growing feeds, subscribed in the home's database and refreshed once."""
    urls = [feed_server.route(f"/f{i}", _growing_feed(f"f{i}")) for i in range(FEEDS)]
    store = Store(home.database)
    for url in urls:
        store.add_feed(url)
    store.close()
    done = _cli(home, "refresh")
    assert done.returncode == 0, done.stderr
    yield urls


def _env(home: Places) -> dict[str, str]:
    """The environment of a child: BLOGTUI_HOME (set by the `home` fixture) points at `home`."""
    return dict(os.environ)


def _cli(home: Places, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _snapshot(path: Path) -> dict[str, int]:
    """Every article key with its read flag."""
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, read FROM articles"))


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.slow
def test_kill_9_during_refresh_keeps_everything(many_feeds: list[str], home: Places) -> None:
    store = Store(home.database)
    ids = store.article_ids()
    store.set_read(ids[::3], True)
    store.close()
    earlier = _snapshot(home.database)
    assert len(earlier) >= FEEDS * 4
    for round_ in range(ROUNDS):
        process = subprocess.Popen(
            [sys.executable, "-m", "blogtui", "refresh"],
            env=_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5 + 0.07 * round_)  # from start-up to the middle of the writes
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert _integrity(home.database) == "ok", f"round {round_}"
        now = _snapshot(home.database)
        lost = {key: read for key, read in earlier.items() if now.get(key) != read}
        assert not lost, f"round {round_}: articles or read state lost: {list(lost)[:5]}"
        earlier = now
    assert _cli(home, "feeds").returncode == 0


_TOGGLER = textwrap.dedent(
    """
    import json, sys, time
    from blogtui.core.store import Store
    store = Store(sys.argv[1])
    ids = json.loads(sys.argv[2])
    end = time.monotonic() + float(sys.argv[3])
    state, rounds = {}, 0
    while time.monotonic() < end:
        for article_id in ids:
            value = (rounds + article_id) % 2 == 0
            store.set_read([article_id], value)
            state[article_id] = value
            assert store.get_article(article_id).read == value
        rounds += 1
    print(json.dumps({"rounds": rounds, "state": state}))
    """
)


@pytest.mark.slow
def test_read_state_soak_against_a_refresh_loop(many_feeds: list[str], home: Places) -> None:
    import json

    store = Store(home.database)
    ids = store.article_ids()
    store.close()
    halves = [ids[0::2][:40], ids[1::2][:40]]
    togglers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _TOGGLER,
                str(home.database),
                json.dumps(part),
                str(SOAK_SECONDS),
            ],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in halves
    ]
    refreshes, errors = 0, []
    end = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < end and refreshes < 30:
        done = _cli(home, "refresh")
        refreshes += 1
        if done.returncode != 0 or "locked" in done.stdout + done.stderr:
            errors.append(done.stdout[-500:] + done.stderr[-500:])
    results = []
    for toggler in togglers:
        out, err = toggler.communicate(timeout=SOAK_SECONDS + 30)
        assert toggler.returncode == 0, err
        assert "locked" not in err
        results.append(json.loads(out))
    assert not errors, errors[:2]
    assert refreshes >= 2 and all(r["rounds"] >= 5 for r in results), (refreshes, results)
    assert _integrity(home.database) == "ok"
    store = Store(home.database)
    for result in results:
        for article_id, read in result["state"].items():
            article = store.get_article(int(article_id))
            assert article is not None and article.read == read, article_id
    store.close()


def test_corrupt_database_is_moved_aside(home: Places) -> None:
    home.database.parent.mkdir(parents=True, exist_ok=True)
    garbage = b"SQLite format 3\x00" + os.urandom(8192)
    home.database.write_bytes(garbage)
    drafts = home.drafts_dir
    drafts.mkdir(parents=True, exist_ok=True)
    draft = drafts / "keep-me.md"
    draft.write_text("Mein Entwurf über Äpfel\n", encoding="utf-8")
    done = _cli(home, "feeds")
    assert "moved aside" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    aside = [p for p in home.database.parent.iterdir() if ".corrupt-" in p.name and "-" in p.name]
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [garbage]
    assert draft.read_text(encoding="utf-8") == "Mein Entwurf über Äpfel\n"
    assert _integrity(home.database) == "ok"
    again = _cli(home, "feeds")
    assert again.returncode == 0 and "moved aside" not in again.stderr
