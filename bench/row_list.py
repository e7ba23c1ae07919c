"""Benchmark RowList against Textual's OptionList with the same rows.

Run `python bench/row_list.py` (add `--quick` for fewer presses). Each case runs in a fresh
subprocess so peak RSS is its own. What is measured, per case, in-process with
`App.run_test` (headless driver, 120x40):

* first frame: from calling `set_rows(ids)` (RowList) or building the prompts and calling
  `add_options` (OptionList: it needs every row up front, so its time includes loading all
  rows in one query and rendering each to `Content`) until a compositor update that shows the
  first row is produced *and serialised to terminal escape codes* (the headless driver skips
  writing, so the bench serialises the update itself to charge that cost).
* cursor: 100 `down` key events sent through the driver as a terminal would; per press, the
  time from sending the key to the next painted frame ("latency", includes waiting for
  Textual's 60 fps frame timer, so ~0-16 ms of it is quantisation), and the time spent
  producing that frame ("paint": Screen._compositor_refresh, i.e. render + serialise).
  The first ~40 presses move the cursor inside the view, the rest also scroll.
* RSS: ru_maxrss at the end, and its growth over the app's RSS before the rows were set.

Rows come from an in-memory SQLite table (id, title, author, read) with a loader that does one
`WHERE id IN (...)` query, like the store's `article_summaries`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from frames import FrameRecorder, time_presses  # noqa: E402 (bench/ is on sys.path: scripts run from it)
from textual.app import App, ComposeResult  # noqa: E402
from textual.content import Content  # noqa: E402
from textual.widgets import OptionList  # noqa: E402

from blogtui.ui.widgets.row_list import RowList  # noqa: E402

SIZE = (120, 40)
FIRST_TITLE = "Article number 0 "


@dataclass(frozen=True, slots=True)
class Row:
    """A list row, shaped like the store's ArticleSummary."""

    id: int
    title: str
    author: str
    read: bool


def make_db(count: int) -> sqlite3.Connection:
    """An in-memory table of `count` articles."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, title TEXT, author TEXT, read INT)")
    db.executemany(
        "INSERT INTO a VALUES (?, ?, ?, ?)",
        (
            (i, f"Article number {i} about [b]markup[/b] and things", f"Author {i % 97}", i % 3)
            for i in range(count)
        ),
    )
    return db


def loader_for(db: sqlite3.Connection):
    """One query per batch of ids, like `article_summaries`."""

    def load(ids: list[int]) -> list[Row]:
        found = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            sql = (
                f"SELECT id, title, author, read FROM a WHERE id IN ({','.join('?' * len(chunk))})"
            )
            for r in db.execute(sql, chunk):
                found[r[0]] = Row(r[0], r[1], r[2], bool(r[3]))
        return [found[i] for i in ids if i in found]

    return load


def render(row: Row, width: int, selected: bool) -> Content:
    """A typical row: unread dot, title, author; plain strings only."""
    return Content.assemble(
        ("  " if row.read else "● ", "bold $accent"),
        (row.title, "" if row.read else "bold"),
        ("  " + row.author, "dim"),
    )


def rss_kb() -> int:
    """Peak RSS of this process in KiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class BenchApp(FrameRecorder, App[None]):
    """One list; records painted frames (see frames.py)."""

    def __init__(self, kind: str, load) -> None:
        super().__init__()
        self.kind = kind
        self.load = load

    def compose(self) -> ComposeResult:
        if self.kind == "rowlist":
            yield RowList(self.load, render)
        else:
            yield OptionList()

    def on_mount(self) -> None:
        self.time_paints(self.screen)


async def run_case(kind: str, count: int, presses: int, gap: float) -> dict[str, float]:
    """Measure one list kind with `count` rows."""
    db = make_db(count)
    load = loader_for(db)
    ids = [row[0] for row in db.execute("SELECT id FROM a ORDER BY id")]
    app = BenchApp(kind, load)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.1)
        app.frame.clear()
        rss_before = rss_kb()
        start = time.perf_counter()
        if kind == "rowlist":
            widget = app.query_one(RowList)
            widget.set_rows(ids)
        else:
            widget = app.query_one(OptionList)
            width = widget.scrollable_content_region.width
            widget.add_options([render(row, width, False) for row in load(ids)])
        first = await app.wait_frame(FIRST_TITLE) - start
        if isinstance(widget, OptionList):
            widget.highlighted = 0
        widget.focus()
        await pilot.pause()
        await asyncio.sleep(0.05)
        latencies, paints = await time_presses(app, "down", presses, gap)
        cursor = widget.cursor if kind == "rowlist" else widget.highlighted
        assert cursor == min(presses, count - 1), cursor
    return {
        "first_ms": first * 1000,
        "latency_ms": statistics.median(latencies) * 1000,
        "paint_ms": statistics.median(paints) * 1000,
        "rss_mb": rss_kb() / 1024,
        "rss_growth_mb": (rss_kb() - rss_before) / 1024,
    }


def run_in_subprocess(kind: str, count: int, presses: int, gap: float) -> dict[str, float]:
    """Run one case in a fresh interpreter (clean peak RSS)."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--case",
            kind,
            str(count),
            "--presses",
            str(presses),
            "--gap",
            str(gap),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs=2, metavar=("KIND", "N"))
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--gap", type=float, default=0.04, help="seconds between presses")
    parser.add_argument("--quick", action="store_true", help="30 presses instead of 100")
    args = parser.parse_args()
    if args.case:
        kind, count = args.case
        print(json.dumps(asyncio.run(run_case(kind, int(count), args.presses, args.gap))))
        return
    presses = 30 if args.quick else args.presses
    print(
        f"terminal {SIZE[0]}x{SIZE[1]}, headless, {presses} cursor presses"
        f" {args.gap * 1000:.0f} ms apart; medians"
    )
    header = f"{'rows':>6} {'list':<10} {'first ms':>9} {'key->frame ms':>14} {'paint ms':>9}"
    print(header + f" {'peak RSS MB':>12} {'RSS growth MB':>14}")
    results: dict[tuple[str, int], dict[str, float]] = {}
    for count in (1_000, 10_000, 50_000):
        for kind in ("rowlist", "optionlist"):
            if kind == "optionlist" and count > 10_000:
                continue
            r = results[kind, count] = run_in_subprocess(kind, count, presses, args.gap)
            print(
                f"{count:>6} {kind:<10} {r['first_ms']:>9.1f} {r['latency_ms']:>14.2f}"
                f" {r['paint_ms']:>9.2f} {r['rss_mb']:>12.1f} {r['rss_growth_mb']:>14.1f}",
                flush=True,
            )
    print("\nratios OptionList / RowList (same N):")
    for count in (1_000, 10_000):
        row, opt = results["rowlist", count], results["optionlist", count]
        print(
            f"{count:>6}  first x{opt['first_ms'] / row['first_ms']:.1f}"
            f"  key->frame x{opt['latency_ms'] / row['latency_ms']:.2f}"
            f"  paint x{opt['paint_ms'] / row['paint_ms']:.2f}"
            f"  RSS growth {opt['rss_growth_mb']:.1f} vs {row['rss_growth_mb']:.1f} MB"
        )
    small, large = results["rowlist", 1_000], results["rowlist", 50_000]
    print(
        "RowList 50k / 1k:"
        f"  first x{large['first_ms'] / small['first_ms']:.2f}"
        f"  key->frame x{large['latency_ms'] / small['latency_ms']:.2f}"
        f"  paint x{large['paint_ms'] / small['paint_ms']:.2f}"
    )


if __name__ == "__main__":
    main()
