"""`blogtui --demo`: the bundled sample blog on 127.0.0.1, in a throwaway home.

The home is removed on exit. A demo ended without that (its terminal closed, kill -9) leaves its
home behind with a marker naming its process; the next `--demo` removes such homes once their
process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.cli.tui import run_tui
from blogtui.core.paths import places

PREFIX = "blogtui-demo-"
MARKER = ".blogtui-demo-pid"
"""A file in each demo home holding the pid of the demo that made it."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_homes(folder: Path | None = None) -> list[Path]:
    """Remove demo homes (ours: the marker, the prefix, this user's) whose demo has ended."""
    folder = Path(tempfile.gettempdir()) if folder is None else folder
    removed = []
    for home in folder.glob(PREFIX + "*"):
        marker = home / MARKER
        try:
            if home.is_symlink() or home.stat().st_uid != os.getuid():
                continue
            pid = int(marker.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # no marker, not ours, or being written: leave it
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(home, ignore_errors=True)
            removed.append(home)
    return removed


def run_demo(out: Output) -> int:
    """Start the demo blog, subscribe a fresh home to it, open the app, clean up on exit."""
    from blogtui.core.feeds.refresh import refresh_sync
    from blogtui.demo import DemoBlog

    sweep_stale_homes()
    home = tempfile.mkdtemp(prefix=PREFIX)
    (Path(home) / MARKER).write_text(f"{os.getpid()}\n", encoding="ascii")
    blog = DemoBlog()
    try:
        blog.start()
        where = places(home)
        store = open_store(where)
        store.add_feed(blog.feed_url, "", blog.base_url)
        refresh_sync(store, store.list_feeds(), config_of(where), force=True)
        store.close()
        return run_tui(where, out)
    finally:
        blog.stop()
        shutil.rmtree(home, ignore_errors=True)
