"""Marking read on synced feeds never waits on the network (issue 17, Speed).

    python bench/sync_marks.py                 # 1,000 `m` presses + `A`, on both stores
    python bench/sync_marks.py --presses 200

Prints figures; it is not a test. Each case runs on a fresh copy of a generated store
(bench/reader_setup.py, cached in `--cache`) given a ttrss sync account whose server is a
loopback listener that accepts and never answers, and every feed and article mapped to it:

* `m` (toggle read, ui/keys.py) on N articles one after another, headless (App.run_test,
  120x36, frame timing of bench/frames.py): per press, the time from the key until the first
  painted frame after the article list was told to redraw the changed row.
* `A` (mark feed read), on a fresh copy (all unread): on the 1,000-article feed; on "All
  articles" of the 5,000 store (5 synced feeds) `A` asks first: key -> the question's frame,
  then `y` -> the frame after the feed list shows the new counts; and when the store had them.

Which rows `m` acted on: each must be the row the `down` before it moved onto (the cursor when
the key was handled), and the rows read after the presses exactly those. Then: the sync queue's
length (must equal the articles changed; one article is marked twice after the run: last change
wins, still one row), and the listener's accepts (must be 0).
Budget: 16 ms key to repaint.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from frames import press  # noqa: E402 (bench/ on sys.path)
from reader import start_over, timed_app_class  # noqa: E402
from reader_setup import SIZE, make_store  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "blogtui-bench-reader"
BUDGET_MS = 16.0
ACCOUNT = "bench"


class SilentServer:
    """A loopback listener that accepts connections, counts them, and never replies."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepts = 0
        self.held: list[socket.socket] = []
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepts += 1
            self.held.append(conn)  # held open, never answered

    def close(self) -> None:
        self.stopping = True
        self.thread.join()
        for conn in self.held:
            conn.close()
        self.sock.close()


def synced_home(source: Path, work: Path, port: int) -> Path:
    """A copy of `source` whose every feed and article is mapped to a ttrss account on `port`."""
    from blogtui.core.paths import places
    from blogtui.core.store import Store
    from blogtui.core.sync.base import Account

    home = work / source.name
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(source, home)
    store = Store(places(home).database)
    store.add_account(Account(ACCOUNT, "ttrss", f"http://127.0.0.1:{port}/tt-rss/", "bench"))
    with store.applying() as db:
        db.execute(
            "INSERT INTO sync_feeds (account, remote_id, feed_id)"
            " SELECT ?, 'f' || id, id FROM feeds",
            (ACCOUNT,),
        )
        db.execute(
            "INSERT INTO sync_articles (account, remote_id, article_id)"
            " SELECT ?, 'a' || id, id FROM articles",
            (ACCOUNT,),
        )
    assert store.queued_count() == 0
    store.close()
    return home


def stats(latencies: list[float]) -> dict[str, float]:
    """Median, p95 and max in ms."""
    ms = sorted(x * 1000 for x in latencies)
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) > 1 else ms[0]
    return {"n": len(ms), "median": statistics.median(ms), "p95": p95, "max": ms[-1]}


def watch(obj: Any, name: str, flag: dict[str, float]) -> None:
    """Note in `flag["at"]` when `obj.name` is next called (instance patch)."""
    original = getattr(obj, name)

    def noted(*args: Any, **kwargs: Any) -> Any:
        flag["at"] = time.perf_counter()
        return original(*args, **kwargs)

    setattr(obj, name, noted)


async def frame_after(app: Any, flag: dict[str, float], timeout: float = 10) -> float:
    """The time of the first frame painted after `flag["at"]` was set."""
    deadline = time.perf_counter() + timeout
    while True:
        at = await app.wait_frame(timeout=max(0.01, deadline - time.perf_counter()))
        if flag.get("at") and at >= flag["at"]:
            return at


async def run_case(home: Path, scope_downs: int, presses: int, gap: float, confirm: bool) -> dict:
    """`m` on `presses` articles of the scope `scope_downs` below "All articles" (the first
    feed is 2 down: "Starred" comes first), then `A`."""
    from blogtui.core.config import load_config
    from blogtui.core.paths import places
    from blogtui.core.store import Store

    where = places(home)
    store = Store(where.database)
    app = timed_app_class()(store, load_config(where.config_file), where)
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(400):
            await pilot.pause(0.02)
            if start_over(app.screen):
                break
        screen = app.screen
        await asyncio.sleep(0.3)
        for _ in range(scope_downs):
            press(app, "down")
            await asyncio.sleep(0.5)
        article_list = screen.query_one("#articles")
        article_list.focus()
        await asyncio.sleep(0.3)
        rows: dict[str, float] = {}
        watch(article_list, "refresh_rows", rows)
        acted_on: list[int | None] = []  # the row under the cursor when each `m` was handled
        toggle = article_list.toggle_read

        def noted_toggle() -> None:
            acted_on.append(article_list.cursor)
            toggle()

        article_list.toggle_read = noted_toggle
        if presses:  # (a) `m` on `presses` articles
            latencies, downs, cursors = [], [], []
            for i in range(presses):
                if i:  # onto the next article (not after the last: the list may end there)
                    sent = press(app, "down")
                    downs.append(await app.wait_frame() - sent)
                    await asyncio.sleep(gap)
                rows.clear()
                cursors.append(article_list.cursor)
                sent = press(app, "m")
                latencies.append(await frame_after(app, rows) - sent)
            result["m"] = stats(latencies)
            # The cursor when `m` was sent: a frame painted before `down` was handled (e.g. the
            # last write's repaint) lets the bench send `m` early; `m` still comes after `down`.
            result["off_cursor"] = sum(c != i for i, c in enumerate(cursors))
            result["wrong_row"] = sum(c != i for i, c in enumerate(acted_on))
            first_ids = set(article_list.ids[:presses])
            result["down"] = stats(downs)
            await asyncio.sleep(0.5)  # the last row's write settles
            result["queue_after_m"] = store.queued_count(ACCOUNT)
            read_ids = {row[0] for row in store.db.execute("SELECT id FROM articles WHERE read")}
            result["read_after_m"] = len(read_ids)
            result["read_exactly_moved_onto"] = read_ids == first_ids
            # Last change wins: one article marked unread again keeps one row, with value 0.
            rows.clear()
            press(app, "m")
            await frame_after(app, rows)
            await asyncio.sleep(0.3)
            again = store.db.execute(
                "SELECT count(*), min(value) FROM sync_queue WHERE article_id IN"
                " (SELECT id FROM articles WHERE read = 0)"
            ).fetchone()
            result["queue_after_remark"] = store.queued_count(ACCOUNT)
            result["remarked_rows_value0"] = again[0] if again[1] == 0 else -1
        else:  # (b) `A` on the scope, all unread
            # A: mark the scope read.
            unread_before = store.db.execute(
                "SELECT count(*) FROM articles WHERE read = 0"
            ).fetchone()[0]
            owner = screen.feed_list
            shown: dict[str, float] = {}
            watch(owner, "show_feeds", shown)
            written: dict[str, float] = {}
            mark_all = store.mark_all_read

            def noted_mark_all(*args: Any) -> Any:
                marked = mark_all(*args)
                written["at"] = time.perf_counter()
                return marked

            store.mark_all_read = noted_mark_all  # type: ignore[method-assign]
            sent = press(app, "A")
            if confirm:
                result["A_question_ms"] = (await app.wait_frame("Mark read") - sent) * 1000
                await asyncio.sleep(0.2)
                sent = press(app, "y")
            result["A_ms"] = (await frame_after(app, shown, timeout=20) - sent) * 1000
            await asyncio.sleep(0.5)
            result["A_written_ms"] = (written.get("at", float("nan")) - sent) * 1000
            result["A_marked"] = unread_before
            result["queue_after_A"] = store.queued_count(ACCOUNT)
            result["unread_after_A"] = store.db.execute(
                "SELECT count(*) FROM articles WHERE read = 0"
            ).fetchone()[0]
            result["catchups"] = store.db.execute("SELECT count(*) FROM sync_catchups").fetchone()[
                0
            ]
    return result


def line(label: str, s: dict[str, float]) -> str:
    verdict = "MET" if s["p95"] <= BUDGET_MS else "MISSED"
    return (f"  {label:<34} n={s['n']:<5} median {s['median']:6.1f}  p95 {s['p95']:6.1f}"
            f"  max {s['max']:6.1f} ms  (p95 <= {BUDGET_MS:.0f}: {verdict})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where stores are kept")
    parser.add_argument("--presses", type=int, default=1000, help="`m` presses per case")
    parser.add_argument("--gap", type=float, default=0.0, help="seconds between presses")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    cases = {
        "feed of 1,000 (1 synced feed)": (make_store(args.cache, "feed-1k", 1, 1000), 2, False),
        "All articles, 5,000 (5 synced feeds)": (
            make_store(args.cache, "feeds5-a1k", 5, 1000, folders=1), 0, True),
    }  # fmt: skip
    print(f"blogtui sync marks bench; headless {SIZE[0]}x{SIZE[1]};"
          f" load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    server = SilentServer()
    work = Path(tempfile.mkdtemp(prefix="blogtui-sync-marks-"))
    try:
        for name, (source, downs, confirm) in cases.items():
            home = synced_home(source, work, server.port)
            r = asyncio.run(run_case(home, downs, args.presses, args.gap, confirm))
            home = synced_home(source, work, server.port)  # (b) on a fresh copy: all unread
            r |= asyncio.run(run_case(home, downs, 0, args.gap, confirm))
            print(f"\n{name}; ttrss account at 127.0.0.1:{server.port} (never answers)")
            print(line("m key -> repaint of the row", r["m"]))
            print(line("(reference: down key -> frame)", r["down"]))
            q = r["queue_after_m"]
            print(f"  m sent before its down was handled (bench timing): {r['off_cursor']};"
                  f" m that acted on another row than the one moved onto: {r['wrong_row']}"
                  f" -> {'OK' if not r['wrong_row'] else 'WRONG'}")  # fmt: skip
            print(f"  read after the m presses: exactly the rows moved onto ->"
                  f" {'OK' if r['read_exactly_moved_onto'] else 'WRONG'}")  # fmt: skip
            print(f"  queue after {args.presses} m: {q} (read now {r['read_after_m']})"
                  f" -> {'OK' if q == args.presses == r['read_after_m'] else 'WRONG'}")  # fmt: skip
            ok = r["queue_after_remark"] == q and r["remarked_rows_value0"] == 1
            print(f"  one article marked unread again: queue {r['queue_after_remark']},"
                  f" its row unread -> {'OK (last change wins)' if ok else 'WRONG'}")  # fmt: skip
            if confirm:
                print(f"  A key -> question shown: {r['A_question_ms']:.1f} ms")
            label = "y -> feed counts repainted" if confirm else "A key -> feed counts repainted"
            verdict = "MET" if r["A_ms"] <= BUDGET_MS else "MISSED"
            stored = f"stored {r['A_written_ms']:.1f} ms after the key, in the background"
            print(f"  {label}: {r['A_ms']:.1f} ms ({r['A_marked']} articles) -> {verdict};"
                  f" {stored}")  # fmt: skip
            changed = r["A_marked"]
            verdict = "OK" if r["queue_after_A"] == changed and not r["unread_after_A"] else "WRONG"
            print(f"  queue after A: {r['queue_after_A']} (changed: {changed}) -> {verdict};"
                  f" catch-ups queued: {r['catchups']}")  # fmt: skip
            print(f"  connections the listener accepted so far: {server.accepts}"
                  f" -> {'OK' if not server.accepts else 'NETWORK TOUCHED'}")  # fmt: skip
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
