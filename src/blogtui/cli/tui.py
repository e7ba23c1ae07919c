"""Opening the TUI."""

from __future__ import annotations

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.core.paths import Places


def run_tui(where: Places, out: Output) -> int:
    """Run the Textual app on `where` until the user quits."""
    import sys

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        out.error("blogtui: the reader needs a terminal; see `blogtui --help` for commands")
        return 2
    from blogtui.ui.app import build_app

    app = build_app(where, config=config_of(where), store=open_store(where))
    app.run()
    return int(app.return_code or 0)
