"""`blogtui --demo`: the bundled sample blog on 127.0.0.1, in a throwaway home."""

from __future__ import annotations

import shutil
import tempfile

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.cli.tui import run_tui
from blogtui.core.paths import places


def run_demo(out: Output) -> int:
    """Start the demo blog, subscribe a fresh home to it, open the app, clean up on exit."""
    from blogtui.core.refresh import refresh_sync
    from blogtui.demo import DemoBlog

    home = tempfile.mkdtemp(prefix="blogtui-demo-")
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
