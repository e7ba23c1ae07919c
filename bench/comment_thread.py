"""Benchmark CommentThread: first frame after `set_thread` and cursor keys, 100 vs 2,000 comments.

Run `python bench/comment_thread.py`. The thread is stored first (a Store in a temporary
directory, `store_thread`, then `comments_for`, as the reader does), depth at most 8. Measured
headlessly with `App.run_test` at 120x40, as in bench/row_list.py:

* first frame: from calling `set_thread` until a frame showing the first comment is produced
  and serialised to terminal escape codes (target <= 100 ms);
* cursor: `j` key events sent through the driver; "key->frame" is the time from sending to the
  next painted frame (includes up to ~16 ms of Textual's frame timer), "paint" the time spent
  producing that frame (target: median <= 16 ms).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from frames import FrameRecorder, time_presses  # noqa: E402 (bench/ is on sys.path: scripts run from it)
from textual.app import App, ComposeResult  # noqa: E402

from blogtui.core.models import Comment, CommentData, EntryData  # noqa: E402
from blogtui.core.store import Store  # noqa: E402
from blogtui.ui.widgets.comment_thread import CommentThread  # noqa: E402

SIZE = (120, 40)
WORDS = "the bike shop fixed my wheel and the brakes work again thanks for the tip".split()


def stored_thread(count: int, folder: Path) -> tuple[list[Comment], object]:
    """`count` comments (depth <= 8) stored and read back."""
    rng = random.Random(count)
    store = Store(folder / f"bench-{count}.db")
    feed, _ = store.add_feed("https://bench.example/feed")
    store.upsert_articles(feed.id, [EntryData(key="a", title="Bench")])
    article = store.article_ids([feed.id])[0]
    depth: dict[str, int] = {}
    data = []
    for n in range(1, count + 1):
        recent = [k for k in map(str, range(max(1, n - 40), n)) if depth[k] < 8]
        parent = rng.choice(recent) if recent and rng.random() < 0.75 else ""
        depth[str(n)] = depth[parent] + 1 if parent else 0
        paragraphs = ["<p>" + " ".join(rng.choices(WORDS, k=rng.randint(5, 60))) + "</p>"
                      for _ in range(rng.randint(1, 3))]  # fmt: skip
        data.append(CommentData(str(n), parent, f"Reader {n % 97}", "".join(paragraphs),
                                published=1_700_000_000 + n * 60))  # fmt: skip
    store.store_thread(article, data, provider="bench")
    return store.comments_for(article), store.thread_state(article)


class BenchApp(FrameRecorder, App[None]):
    """One CommentThread; records painted frames (see frames.py)."""

    def compose(self) -> ComposeResult:
        yield CommentThread()

    def on_mount(self) -> None:
        self.time_paints(self.screen)


async def run_case(comments: list[Comment], state, presses: int, gap: float) -> dict[str, float]:
    """Open the thread, then press j `presses` times."""
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(CommentThread)
        widget.focus()
        await pilot.pause()
        await asyncio.sleep(0.1)
        app.frame.clear()
        start = time.perf_counter()
        widget.set_thread(comments, state)
        first = await app.wait_frame(comments[0].author) - start
        await asyncio.sleep(0.3)
        latencies, paints = await time_presses(app, "j", presses, gap, character="j")
    return {
        "first_ms": first * 1000,
        "latency_ms": statistics.median(latencies) * 1000,
        "paint_ms": statistics.median(paints) * 1000,
    }


def main() -> None:
    presses = 30 if "--quick" in sys.argv else 100
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (100, 100, 2_000):  # the first run warms up (imports, CSS): not reported
            comments, state = stored_thread(count, Path(folder))
            results[count] = asyncio.run(run_case(comments, state, presses, 0.04))
    print(f"terminal {SIZE[0]}x{SIZE[1]}, headless, {presses} presses of j 40 ms apart; medians")
    print(f"{'':<16}{'100':>10}{'2,000':>10}{'ratio':>8}")
    for key, label in (("first_ms", "first frame ms"), ("latency_ms", "key->frame ms"),
                       ("paint_ms", "paint ms")):  # fmt: skip
        small, large = results[100][key], results[2_000][key]
        print(f"{label:<16}{small:>10.2f}{large:>10.2f}{large / small:>7.2f}x")


if __name__ == "__main__":
    main()
