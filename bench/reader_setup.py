"""What bench/reader.py runs on: generated stores (cached by name) and a tmux pane.

Stores are written with the Store API; the pane is a private tmux server's, 120x36, that
programs are (re)started in and whose screen is polled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SIZE = (120, 36)
"""The terminal size every case runs at."""
BODY = "<p>" + "Some words of an article body, with <em>markup</em> and a link. " * 6 + "</p>"
"""The body of every generated article."""


@dataclass(frozen=True)
class Sizes:
    """The stores bench/reader.py runs on: `feeds` feeds of `few` and of `many` articles each
    (start-up; the large store's first folder holds half of it), and one feed of `small_feed`
    and one of `big_feed` articles (open, cursor, memory)."""

    feeds: int
    few: int
    many: int
    small_feed: int
    big_feed: int


SIZES = {"full": Sizes(1000, 1, 100, 1000, 50_000), "small": Sizes(20, 5, 50, 100, 500)}
"""`--sizes full` is what the targets are about; `small` is a quick smoke run of every case."""


def count_label(count: int) -> str:
    """How figures name an article count: 1000 -> "1k", 50000 -> "50k", 500 -> "500"."""
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else str(count)


# --- stores -----------------------------------------------------------------------------------


def feed_title(number: int) -> str:
    """The title of generated feed `number`."""
    return f"Bench feed {number:04d}"


def article_title(feed: int, number: int) -> str:
    """The title of article `number` of feed `feed` (newest has the highest number)."""
    return f"Post {number:06d} of feed {feed:04d} about things"


def make_store(cache: Path, name: str, feeds: int, per_feed: int, folders: int = 2) -> Path:
    """A BLOGTUI_HOME whose store has `feeds` feeds of `per_feed` articles; cached by name.

    With more than one feed they are split evenly over `folders` folders ("folder-0", …).
    """
    home = cache / name
    done = home / "complete"
    if done.exists():
        return home
    from blogtui.core.models import EntryData
    from blogtui.core.paths import places
    from blogtui.core.store import Store

    shutil.rmtree(home, ignore_errors=True)
    store = Store(places(home).database)
    started = time.perf_counter()
    base = 1_600_000_000.0
    for number in range(feeds):
        folder = f"folder-{number * folders // feeds}" if feeds > 1 else ""
        feed, _ = store.add_feed(
            f"https://blog{number}.example/feed/", feed_title(number), folder=folder
        )
        for start in range(0, per_feed, 5000):
            batch = [
                EntryData(
                    key=f"post-{i}",
                    title=article_title(number, i),
                    author=f"Author {i % 37}",
                    link=f"https://blog{number}.example/{i}/",
                    published=base + i * 3600 + number,
                    content=BODY,
                )
                for i in range(start, min(per_feed, start + 5000))
            ]
            store.upsert_articles(feed.id, batch)
    store.close()
    done.write_text("ok\n")
    took = time.perf_counter() - started
    print(f"  (generated {name}: {feeds} feeds x {per_feed} articles in {took:.1f} s)", flush=True)
    return home


# --- a real terminal: tmux --------------------------------------------------------------------


class Tmux:
    """A private tmux server with one 120x36 pane that programs are (re)started in."""

    def __init__(self, pycache: Path) -> None:
        self.socket = f"blogtui-bench-{os.getpid()}"
        self.target = "bench:0.0"
        # Programs in the pane inherit the server's environment: compiled bytecode is kept (in
        # a private cache, for blogtui and Textual alike) as it is in a normal install. An
        # inherited COLUMNS/LINES (a process started by pytest has 80/24) would size Textual's
        # screen instead of the pane.
        self.env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
        for name in ("PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES"):
            self.env.pop(name, None)
        self.tmux("new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                  "exec sleep 1000000")  # fmt: skip
        self.tmux("set-option", "-g", "remain-on-exit", "off")

    def tmux(self, *args: str) -> str:
        """Run a tmux command on the private server; its output."""
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=True,
            capture_output=True,
            text=True,
            env=self.env,
        ).stdout

    def screen(self) -> str:
        """What the pane shows now."""
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def clear(self) -> None:
        """Replace whatever runs in the pane with an idle, blank one."""
        self.tmux("respawn-pane", "-k", "-t", self.target, "printf '\\033c'; exec sleep 1000000")
        deadline = time.perf_counter() + 5
        while self.screen().strip() and time.perf_counter() < deadline:
            time.sleep(0.01)

    def launch(self, command: str) -> float:
        """Start `command` in the (cleared) pane; the time just before asking tmux to."""
        self.clear()
        started = time.perf_counter()
        self.tmux("respawn-pane", "-k", "-t", self.target, f"exec {command}")
        return started

    def wait_for(self, markers: list[str], started: float, timeout: float = 30) -> list[float]:
        """Poll the pane every ~5 ms; seconds from `started` until each marker first shows
        ("a|b": whichever shows first)."""
        seen: dict[str, float] = {}
        deadline = started + timeout
        while len(seen) < len(markers):
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"not shown: {[m for m in markers if m not in seen]}")
            text = self.screen()
            for marker in markers:
                if marker not in seen and any(m in text for m in marker.split("|")):
                    seen[marker] = now - started
            time.sleep(0.005)
        return [seen[marker] for marker in markers]

    def pid(self) -> int:
        """The pid of the program in the pane."""
        return int(self.tmux("display-message", "-p", "-t", self.target, "#{pane_pid}").strip())

    def keys(self, *keys: str) -> None:
        """Type `keys` into the pane."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def close(self) -> None:
        """Stop the private server (and whatever runs in it)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
