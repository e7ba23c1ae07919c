"""Reader benchmark: start-up, opening a big feed, cursor keys and memory, against targets.

    python bench/reader.py                 # everything, 5 runs per start-up case
    python bench/reader.py --runs 7 --only start
    python bench/reader.py --only open,cursor,memory
    python bench/reader.py --sizes small --runs 1 --presses 3   # every case on small stores

Prints figures; it is not a test. Stores are generated once with the Store API into
`--cache` (default /tmp/blogtui-bench-reader) and reused. The sizes below are `--sizes full`
(the default), which the targets are about; `--sizes small` runs the same cases on 20 feeds of
5 and of 50 articles each and on feeds of 100 and 500 articles, a smoke run whose figures say
nothing against the targets (tests/test_bench_smoke.py). What is measured:

* start: in a real terminal (a private tmux server, 120x36), the time from launching a
  program in a pane until the pane shows its first screen, polling `capture-pane` every ~5 ms.
  `blogtui` (with BLOGTUI_HOME on a generated store; marker: its first frame, the layout's
  empty panes saying "Loading…", or the feed list's "All articles") is measured against
  a bare Textual app (Header, Static, Footer) in the same run, alternating, 1000 feeds with 1k
  and with 100k articles. Also timed: until the feed list shows a feed ("feeds") and until the
  article list shows its first row ("rows"); first content is the later of the two. Targets,
  each run against the bare run before it: first frame <= 1.15x bare, first content <= 1.5x
  the bare app's first frame, flat in N.
* open: headless `App.run_test` (120x36) on a store whose one feed holds N articles (1k, 50k),
  and on the 100k store a folder of 50k, once start-up is over (the whole "All articles" list
  has arrived): move the feed cursor onto the feed or folder, time until a frame that shows
  the list's first rows and its full count has been produced and serialised to escape codes.
  Target: <= 100 ms, flat in N. Also printed ("all ids"): when every id of the list has
  arrived behind that first page (until then the list scrolls through the first 200 rows).
* cursor: in that open list, `down` keys sent through the driver; per press the time until the
  next painted frame (includes up to one 60 fps frame tick) and the time spent painting it.
  Target: median <= 16 ms, flat from 1k to 50k.
* memory: blogtui in tmux on the 50k-article feed store (and on the 100k store, opening a
  folder of 50k), after the list shows: VmHWM / VmRSS from /proc. Target: <= 90 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from frames import press, time_presses  # noqa: E402 (bench/ on sys.path)
from reader_setup import SIZE, SIZES, Sizes, Tmux, count_label, make_store  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "blogtui-bench-reader"
BARE_MARKER = "BARE-APP-READY"
FIRST_FRAME = "Loading…|All articles"
"""blogtui's first frame: the empty panes with "Loading…", or already the feed list."""
START_RATIO_TARGET = 1.15
CONTENT_RATIO_TARGET = 1.5
"""First content (the feed list with counts and the first article rows) against the bare app's
first frame."""
FEEDS_SHOWN = "Bench feed 0"
"""The feed list shows feeds (a pane too narrow for the whole title cuts it with "…")."""
ROWS_SHOWN = "Post 0"
"""The article list shows rows."""
OPEN_TARGET_MS = 100.0
CURSOR_TARGET_MS = 16.0
RSS_TARGET_MB = 90.0

BARE_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    def compose(self):
        yield Header()
        yield Static("{BARE_MARKER}")
        yield Footer()


Bare().run()
'''


def blogtui_command(home: Path) -> str:
    """The shell command that starts the reader on `home`: the console script installed next to
    this Python (as the bare app runs on this Python directly), not a version manager's shim
    found on PATH first (pyenv's adds 80-150 ms of shell before Python starts)."""
    script = Path(sys.executable).parent / "blogtui"
    exe = str(script) if script.is_file() else shutil.which("blogtui")
    return f"env BLOGTUI_HOME={home} {exe or f'{sys.executable} -m blogtui'}"


def many_store(cache: Path, sizes: Sizes) -> Path:
    """The large start-up store (full sizes: 1000 feeds of 100 articles, in two folders)."""
    label = count_label(sizes.feeds * sizes.many)
    return make_store(cache, f"feeds{sizes.feeds}-a{label}", sizes.feeds, sizes.many)


def bench_start(cache: Path, runs: int, sizes: Sizes) -> dict[str, dict[str, float]]:
    """Start-up in tmux: bare Textual app vs blogtui on 1000 feeds with 1k and 100k articles."""
    few = count_label(sizes.feeds * sizes.few)
    stores = {
        few: make_store(cache, f"feeds{sizes.feeds}-a{few}", sizes.feeds, sizes.few),
        count_label(sizes.feeds * sizes.many): many_store(cache, sizes),
    }
    bare = cache / "bare_app.py"
    bare.write_text(BARE_APP)
    cases = {"bare": (f"{sys.executable} {bare}", [BARE_MARKER])}
    for label, home in stores.items():
        cases[label] = (blogtui_command(home), [FIRST_FRAME, FEEDS_SHOWN, ROWS_SHOWN])
    times: dict[str, list[list[float]]] = {name: [] for name in cases}
    term = Tmux(cache / "pycache")
    try:
        for command, markers in cases.values():  # warm the page and bytecode caches once
            term.wait_for(markers, term.launch(command))
        for _ in range(runs):
            for name, (command, markers) in cases.items():
                times[name].append(term.wait_for(markers, term.launch(command)))
                time.sleep(0.2)
    finally:
        term.close()
    results: dict[str, dict[str, float]] = {}
    for name, runs_ in times.items():
        columns = list(zip(*runs_, strict=True))
        keys = ["first"] if name == "bare" else ["first", "feeds", "rows"]
        results[name] = {
            key: statistics.median(column) * 1000 for key, column in zip(keys, columns, strict=True)
        }
        results[name]["all_first"] = [round(r[0] * 1000, 1) for r in runs_]  # type: ignore[assignment]
        # first content: the feed list and the first rows both shown
        results[name]["all_content"] = [round(max(r) * 1000, 1) for r in runs_]  # type: ignore[assignment]
        results[name]["content"] = statistics.median(max(r) for r in runs_) * 1000
    return results


def print_start(results: dict[str, dict[str, float]], runs: int, feeds: int) -> None:
    """The start-up table and ratios."""
    bare = results["bare"]["first"]
    few, many = (name for name in results if name != "bare")
    print(f"\nSTART in tmux {SIZE[0]}x{SIZE[1]}, {runs} runs alternating, medians (ms)")
    head = f"{'first frame':>11} {'feeds shown':>12} {'rows shown':>11} {'content':>8}"
    print(f"  {'case':<28} {head} {'x bare':>7} {'content x bare':>15}")
    print(f"  {'bare Textual app':<28} {bare:>11.0f} {'':>12} {'':>11} {'':>8} {1:>7.2f}")
    for label in (few, many):
        r = results[label]
        print(
            f"  {f'blogtui {feeds} feeds/{label} art.':<28} {r['first']:>11.0f}"
            f" {r['feeds']:>12.0f} {r['rows']:>11.0f} {r['content']:>8.0f}"
            f" {r['first'] / bare:>7.2f} {r['content'] / bare:>15.2f}"
        )
    for name, r in results.items():
        content = f"; content {r['all_content']}" if name != "bare" else ""
        print(f"    runs {name}: first {r['all_first']}{content}")
    bare_runs = results["bare"]["all_first"]

    def paired(label: str, key: str) -> float:
        """Each run against the bare run just before it (same load), median."""
        pairs = zip(results[label][key], bare_runs, strict=True)  # type: ignore[call-overload]
        return statistics.median(ours / theirs for ours, theirs in pairs)

    for what, key, target in (("first frame", "all_first", START_RATIO_TARGET),
                              ("first content", "all_content", CONTENT_RATIO_TARGET)):  # fmt: skip
        small, large = paired(few, key), paired(many, key)
        verdict = "MET" if large <= target else "MISSED"
        print(f"  {what} / bare first frame, paired medians: {few} x{small:.2f},"
              f" {many} x{large:.2f} -> target <= {target}x: {verdict}")  # fmt: skip
    flat = results[many]["content"] / results[few]["content"]
    print(f"  first content {many} / {few}: x{flat:.2f}")


# --- headless: opening a big feed, cursor keys -------------------------------------------------


def timed_app_class() -> type:
    """BlogtuiApp that records painted frames (see frames.py)."""
    from frames import FrameRecorder

    from blogtui.ui.app import BlogtuiApp

    class TimedApp(FrameRecorder, BlogtuiApp):
        """Keeps the text and time of the last frame, and how long each paint took."""

    return TimedApp


def start_over(screen) -> bool:  # type: ignore[no-untyped-def]
    """Whether the main screen has shown its first whole article list (the articles pane
    knows; before issue 11 the screen itself did)."""
    panes = screen.query("#articles-pane")
    owner = panes.first() if panes else screen
    return bool(getattr(owner, "started", getattr(screen, "_started", False)))


async def open_case(home: Path, scope: str, count: int, presses: int, gap: float) -> dict:
    """Open `scope` (a feed or folder title, right below "All articles" and "Starred") and
    scroll it."""
    from blogtui.core.config import load_config
    from blogtui.core.paths import places
    from blogtui.core.store import Store

    where = places(home)
    app = timed_app_class()(Store(where.database), load_config(where.config_file), where)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(400):  # start-up is over: the whole "All articles" list has arrived
            await pilot.pause(0.02)
            screen = app.screen
            if start_over(screen):
                break
        await asyncio.sleep(0.5)
        press(app, "down")  # feed cursor: "All articles" -> "Starred" (a view, not timed)
        await app.wait_frame("Starred · ", timeout=20)
        await asyncio.sleep(0.5)
        app.time_paints(screen)
        sent = press(app, "down")  # "Starred" -> the scope
        first = await app.wait_frame(f"{scope} · {count}", timeout=20) - sent
        article_list = screen.query_one("#articles")
        while len(article_list.ids) < count:  # the rest of the ids, behind the first page
            await asyncio.sleep(0.002)
        whole = time.perf_counter() - sent
        assert len(article_list.ids) == count, len(article_list.ids)
        article_list.focus()
        await pilot.pause()
        await asyncio.sleep(0.1)
        latencies, paints = await time_presses(app, "down", presses, gap, timeout=20)
        assert article_list.cursor == min(presses, count - 1), article_list.cursor
    return {
        "open_ms": first * 1000,
        "all_ids_ms": whole * 1000,
        "latency_ms": statistics.median(latencies) * 1000,
        "paint_ms": statistics.median(paints) * 1000,
        "latency_p90_ms": statistics.quantiles(latencies, n=10)[-1] * 1000,
    }


def run_case_subprocess(home: Path, scope: str, count: int, presses: int, gap: float) -> dict:
    """One open/cursor case in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, __file__, "--case", str(home), scope, str(count),
         "--presses", str(presses), "--gap", str(gap)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def proc_status_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak RSS) and VmRSS of `pid`, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def folder_case(sizes: Sizes) -> str:
    """The name of the case that opens the large store's first folder (half of it)."""
    whole = sizes.feeds * sizes.many
    return f"folder of {count_label(whole // 2)} ({count_label(whole)} store)"


def bench_memory(cache: Path, sizes: Sizes) -> dict[str, dict[str, float]]:
    """blogtui in tmux: RSS after opening a 50k-article feed, and a 50k folder of the 100k store."""
    big, whole = sizes.big_feed, sizes.feeds * sizes.many
    cases = {
        f"feed of {count_label(big)} (1 feed)": (
            make_store(cache, f"feed-{count_label(big)}", 1, big), f"All articles · {big}",
            f"Bench feed 0000 · {big}"),
        folder_case(sizes): (many_store(cache, sizes), f"All articles · {whole}",
                             f"folder-0 · {whole // 2}"),
    }  # fmt: skip
    results = {}
    term = Tmux(cache / "pycache")
    try:
        for name, (home, ready, opened) in cases.items():
            started = term.launch(blogtui_command(home))
            term.wait_for([ready, "Post 0"], started)
            pid = term.pid()
            before = proc_status_mb(pid)
            term.keys("Down", "Down")  # past "Starred" onto the feed or folder
            term.wait_for([opened], time.perf_counter())
            time.sleep(0.5)
            term.keys("Tab")  # into the list, and scroll a few pages
            for _ in range(5):
                term.keys("PageDown")
                time.sleep(0.05)
            time.sleep(0.5)
            after = proc_status_mb(pid)
            results[name] = {"start_rss": before["VmRSS"], **after}
            term.clear()
    finally:
        term.close()
    return results


def print_memory(results: dict[str, dict[str, float]]) -> None:
    """The memory table."""
    print(f"\nMEMORY blogtui in tmux, list opened and paged (MB); target <= {RSS_TARGET_MB:.0f}")
    print(f"  {'case':<28} {'RSS at start':>12} {'RSS now':>8} {'peak (VmHWM)':>13} {'verdict':>8}")
    for name, r in results.items():
        verdict = "MET" if r["VmHWM"] <= RSS_TARGET_MB else "MISSED"
        figures = f"{r['start_rss']:>12.1f} {r['VmRSS']:>8.1f} {r['VmHWM']:>13.1f}"
        print(f"  {name:<28} {figures} {verdict:>8}")


def bench_open(
    cache: Path, runs: int, presses: int, gap: float, sizes: Sizes
) -> dict[str, dict[str, float]]:
    """Open a feed of 1k and of 50k articles (and a 50k folder), headless; medians over runs."""
    cases = {
        f"feed of {count_label(n)}": (make_store(cache, f"feed-{count_label(n)}", 1, n),
                                      "Bench feed 0000", n)
        for n in (sizes.small_feed, sizes.big_feed)
    }  # fmt: skip
    half = sizes.feeds * sizes.many // 2
    cases[folder_case(sizes)] = (many_store(cache, sizes), "folder-0", half)
    runs_by_case: dict[str, list[dict]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (home, scope, count) in cases.items():
            runs_by_case[name].append(run_case_subprocess(home, scope, count, presses, gap))
    return {
        name: {key: statistics.median(r[key] for r in runs_) for key in runs_[0]}
        | {"all_open": [round(r["open_ms"], 1) for r in runs_]}  # type: ignore[dict-item]
        for name, runs_ in runs_by_case.items()
    }


def print_open(results: dict[str, dict[str, float]], runs: int, presses: int) -> None:
    """The open and cursor tables."""
    size = f"{SIZE[0]}x{SIZE[1]}"
    print(f"\nOPEN + CURSOR headless {size}, {runs} runs x {presses} presses; medians (ms)")
    print(f"  {'case':<28} {'open->frame':>11} {'all ids':>8} {'key->frame':>11} {'paint':>6}"
          f" {'key p90':>8}")  # fmt: skip
    for name, r in results.items():
        figures = f"{r['open_ms']:>11.1f} {r['all_ids_ms']:>8.1f} {r['latency_ms']:>11.1f}"
        print(f"  {name:<28} {figures} {r['paint_ms']:>6.1f} {r['latency_p90_ms']:>8.1f}"
              f"   runs {r['all_open']}")  # fmt: skip
    small, large, folder = results.values()
    few, big = (name.removeprefix("feed of ") for name in list(results)[:2])
    worst = max(large["open_ms"], folder["open_ms"])
    verdict = "MET" if worst <= OPEN_TARGET_MS else "MISSED"
    print(f"  open {big} <= {OPEN_TARGET_MS:.0f} ms: feed {large['open_ms']:.0f} ms, folder"
          f" {folder['open_ms']:.0f} ms -> {verdict};"
          f" {big} / {few}: x{large['open_ms'] / small['open_ms']:.2f}")  # fmt: skip
    verdict = "MET" if large["latency_ms"] <= CURSOR_TARGET_MS else "MISSED"
    print(f"  cursor {big} <= {CURSOR_TARGET_MS:.0f} ms: {large['latency_ms']:.1f} ms -> {verdict};"
          f" {big} / {few}: x{large['latency_ms'] / small['latency_ms']:.2f}"
          f" (paint x{large['paint_ms'] / small['paint_ms']:.2f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where stores are kept")
    parser.add_argument("--runs", type=int, default=5, help="runs per case (start, open)")
    parser.add_argument("--presses", type=int, default=60, help="cursor presses per open run")
    parser.add_argument("--gap", type=float, default=0.04, help="seconds between presses")
    parser.add_argument("--only", default="start,open,memory", help="start, open, memory")
    parser.add_argument("--sizes", choices=SIZES, default="full", help="small: a smoke run")
    parser.add_argument("--case", nargs=3, metavar=("HOME", "SCOPE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        home, scope, count = args.case
        result = asyncio.run(open_case(Path(home), scope, int(count), args.presses, args.gap))
        print(json.dumps(result))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    parts, sizes = set(args.only.split(",")), SIZES[args.sizes]
    print(f"blogtui reader bench; stores in {args.cache}; load average {os.getloadavg()[0]:.2f}")
    if "start" in parts:
        print_start(bench_start(args.cache, args.runs, sizes), args.runs, sizes.feeds)
    if "open" in parts:
        opened = bench_open(args.cache, args.runs, args.presses, args.gap, sizes)
        print_open(opened, args.runs, args.presses)
    if "memory" in parts:
        print_memory(bench_memory(args.cache, sizes))


if __name__ == "__main__":
    main()
