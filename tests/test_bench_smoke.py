"""Every benchmark under bench/ still runs and prints its figures: a smoke run, never a timed test.

Each script runs as a subprocess from the repository's root in its smallest mode (stores in a
temporary `--cache` where it keeps any), and must exit 0 having printed the lines its figures are
on: their labels and verdict words (MET/MISSED, ok/MISSED, OK/WRONG), never a time. A change in
the UI that a benchmark steps through (a line added to the feed list, a key renamed) then fails
here instead of silently at the next manual run.

Needs: tmux and the installed `blogtui` (the reader's start-up and memory cases), newsboat (the
refresh and sync comparisons) and the tt-rss of `.ci/ttrss.sh` (bench/sync.py). Without one the
test that needs it skips naming it, and fails under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.missing import missing
from support.tmux import require_terminal
from support.ttrss import TtrssSite, ttrss, ttrss_session  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[1]
"""The repository's root: the scripts run from there, as the README shows them."""
TIMEOUT = 150
"""Seconds one script may take (pytest-timeout stops a test at 180)."""
VERDICT = r"(MET|MISSED)"
NUMBER = r"(\d+\.\d+|nan)"
"""A figure in a table (a median of paints is nan when no paint was timed)."""

pytestmark = pytest.mark.slow


def run_bench(script: str, *args: str) -> str:
    """Run `bench/<script> ARGS` to its end; its output, once it has exited 0.

    It runs in a process group of its own: on a timeout that group is killed, and the private
    tmux server bench/reader_setup.py names after the script's pid, which leaves that group.
    """
    command = [sys.executable, str(Path("bench") / script), *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        if shutil.which("tmux"):
            subprocess.run(["tmux", "-L", f"blogtui-bench-{process.pid}", "kill-server"],
                           capture_output=True, check=False)  # fmt: skip
        out, err = process.communicate()
        pytest.fail(f"bench/{script} still ran after {TIMEOUT} s:\n{out[-3000:]}\n{err[-3000:]}")
    said = f"{out[-3000:]}\n{err[-3000:]}"
    assert process.returncode == 0, (
        f"bench/{script} {' '.join(args)} exited {process.returncode}:\n{said}"
    )
    return out


def assert_printed(output: str, *lines: str, times: int = 1) -> None:
    """Each pattern in `lines` matches `times` whole lines of `output` (a regex per line)."""
    counts = {p: len(re.findall(rf"^{p}$", output, re.MULTILINE)) for p in lines}
    wrong = {pattern: count for pattern, count in counts.items() if count != times}
    assert not wrong, f"lines not printed {times} time(s) (pattern: times found): {wrong}\n{output}"


def require_newsboat() -> None:
    """Skip without newsboat on PATH; under CI=true, fail instead (as tests/core/test_opml.py)."""
    if shutil.which("newsboat") is None:
        message = "needs newsboat on PATH (bash .ci/system-packages.sh), the peer it compares to"
        missing(message)


def test_reader_opens_and_scrolls_lists_headless(tmp_path: Path) -> None:
    out = run_bench("reader.py", "--sizes", "small", "--only", "open", "--runs", "1",
                    "--presses", "3", "--cache", str(tmp_path))  # fmt: skip
    assert_printed(out, r"OPEN \+ CURSOR headless 120x36, 1 runs x 3 presses; medians \(ms\)")
    assert_printed(out, rf"  feed of \S+ +( +{NUMBER}){{5}}   runs \[\d+\.\d\]", times=2)
    assert_printed(out, rf"  folder of \S+ \(\S+ store\) +( +{NUMBER}){{5}}   runs \[\d+\.\d\]")
    assert_printed(out, rf"  open \S+ <= 100 ms: feed \d+ ms, folder \d+ ms -> {VERDICT}; .*")
    assert_printed(out, rf"  cursor \S+ <= 16 ms: \d+\.\d ms -> {VERDICT}; .*")


def test_reader_starts_in_a_terminal_and_reports_memory(tmp_path: Path) -> None:
    require_terminal()
    out = run_bench("reader.py", "--sizes", "small", "--only", "start,memory", "--runs", "1",
                    "--cache", str(tmp_path))  # fmt: skip
    assert_printed(out, r"START in tmux 120x36, 1 runs alternating, medians \(ms\)")
    assert_printed(out, r"  bare Textual app +\d+ +1\.00")
    assert_printed(out, r"  blogtui \d+ feeds/\S+ art\. +\d+ +\d+ +\d+ +\d+ +\S+ +\S+", times=2)
    for what, target in (("first frame", "1.15"), ("first content", "1.5")):
        assert_printed(out, rf"  {what} / bare first frame, paired medians: .*"
                            rf" -> target <= {target}x: {VERDICT}")  # fmt: skip
    assert_printed(out, r"MEMORY blogtui in tmux, list opened and paged \(MB\); target <= 90")
    assert_printed(out, rf"  (feed|folder) of .* +\d+\.\d +\d+\.\d +\d+\.\d +{VERDICT}", times=2)


def test_sync_marks_reports_keys_queue_and_network(tmp_path: Path) -> None:
    out = run_bench("sync_marks.py", "--presses", "3", "--cache", str(tmp_path))
    assert_printed(out, r"feed of 1,000 \(1 synced feed\); ttrss account at .* \(never answers\)")
    assert_printed(out, r"All articles, 5,000 \(5 synced feeds\); ttrss account at .*")
    per_case = (
        rf"  m key -> repaint of the row +n=3 .*\(p95 <= 16: {VERDICT}\)",
        rf"  \(reference: down key -> frame\) +n=2 .*\(p95 <= 16: {VERDICT}\)",
        r"  m sent before its down was handled .* -> (OK|WRONG)",
        r"  read after the m presses: exactly the rows moved onto -> (OK|WRONG)",
        r"  queue after 3 m: \d+ \(read now \d+\) -> (OK|WRONG)",
        r"  one article marked unread again: .* -> (OK \(last change wins\)|WRONG)",
        r"  queue after A: \d+ \(changed: \d+\) -> (OK|WRONG); catch-ups queued: \d+",
        r"  connections the listener accepted so far: \d+ -> (OK|NETWORK TOUCHED)",
    )
    assert_printed(out, *per_case, times=2)
    assert_printed(out, rf"  A key -> feed counts repainted: .* -> {VERDICT}; stored .*")
    assert_printed(out, r"  A key -> question shown: \d+\.\d ms")
    assert_printed(out, rf"  y -> feed counts repainted: .* -> {VERDICT}; stored .*")


def test_row_list_compares_with_option_list() -> None:
    out = run_bench("row_list.py", "--presses", "3")
    assert_printed(out, r"terminal 120x40, headless, 3 cursor presses 40 ms apart; medians")
    for rows, kind in ((1000, "rowlist"), (1000, "optionlist"), (10000, "rowlist"),
                       (10000, "optionlist"), (50000, "rowlist")):  # fmt: skip
        assert_printed(out, rf" *{rows} {kind} +( +{NUMBER}){{5}}")
    assert_printed(out, r"ratios OptionList / RowList \(same N\):")
    assert_printed(out, r" *(1000|10000)  first x\S+  key->frame x\S+  paint x\S+  RSS growth .*",
                   times=2)  # fmt: skip
    assert_printed(out, r"RowList 50k / 1k:  first x\S+  key->frame x\S+  paint x\S+")


def test_comment_thread_opens_and_moves() -> None:
    out = run_bench("comment_thread.py", "--quick")
    assert_printed(out, r"terminal 120x40, headless, 30 presses of j 40 ms apart; medians")
    assert_printed(out, r" +100 +2,000 +ratio")
    for label in ("first frame ms", "key->frame ms", "paint ms"):
        assert_printed(out, rf"{label} +{NUMBER} +{NUMBER} +{NUMBER}x")


def test_comments_from_the_stand_ins() -> None:
    out = run_bench("comments.py", "--standins", "--comments", "40", "--rounds", "1")
    assert_printed(out, r"Discourse stand-in: 40 comments in 2 chunks of 20, .*, best of 1")
    assert_printed(out, r"concurrent chunks \(up to 4 at once\): +\d+\.\d ms")
    assert_printed(out, r"one chunk after another: +\d+\.\d ms")
    assert_printed(out, r"ratio serial / concurrent: +\d+\.\d\dx")
    assert_printed(out, r"Disqus stand-in: 40 comments in 1 cursor pages of 100: \d+\.\d ms .*")


def test_refresh_against_newsboat() -> None:
    require_newsboat()
    out = run_bench("refresh.py", "--feeds", "4", "--items", "3", "--warm-runs", "1")
    for phase, counts in (("cold", r"ok 4, 304 0, failed 0, new 12"),
                          ("incremental", r"ok 4, 304 0, failed 0, new 8"),
                          ("warm", r"ok 0, 304 4, failed 0, new 0")):  # fmt: skip
        assert_printed(out, rf"{phase} +newsboat \d+\.\d\d s .* blogtui \d+\.\d\d s .*"
                            rf"  \[{counts}, conditional requests \d+\]")  # fmt: skip
    for phase, target in (("cold", "1.0"), ("incremental", "0.5"), ("warm", "0.1")):
        assert_printed(out, rf"{phase} +blogtui +\d+\.\d\d s   newsboat +\d+\.\d\d s"
                            rf"   ratio \d+\.\d\d \(target <= {target}\) (ok|MISSED)")  # fmt: skip
    assert_printed(out, r"peak RSS during cold: main process \d+ MB; .* (ok|MISSED); .*")


@pytest.fixture
def emptied_ttrss(ttrss: TtrssSite) -> Iterator[TtrssSite]:  # noqa: F811 (the fixture)
    """tt-rss with the test user emptied before (the `ttrss` fixture) and after. bench/sync.py
    empties the user and seeds its own feeds; no other test meets them, in any order (each test
    of tests/e2e_ttrss empties the user through `ttrss` and seeds its own)."""
    yield ttrss
    ttrss.clear()


def test_sync_against_newsboat_on_ttrss(emptied_ttrss: TtrssSite) -> None:
    require_newsboat()
    out = run_bench("sync.py", "--feeds", "3", "--articles", "4", "--repeat", "1")
    assert_printed(out, r"tt-rss http://\S+: 3 feeds x 4 = 12 articles")
    for peer in ("blogtui", "newsboat"):
        assert_printed(out, rf"  first sync, {peer} \((first|second) after seeding\): \d+\.\d\d s")
    assert_printed(out, r"  run 1 of 1 done")
    figures = r" +\d+\.\d\d s +\d+/\d+ *"
    for phase in ("first", "incremental"):
        assert_printed(out, rf"{phase} +{figures}{figures}   \d+\.\d\dx (ok|MISSED)")
