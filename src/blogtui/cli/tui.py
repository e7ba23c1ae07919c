"""Opening the TUI."""

from __future__ import annotations

from blogtui.cli.output import Output
from blogtui.core.paths import Places


def run_tui(where: Places, out: Output) -> int:
    """Run the Textual app on `where` until the user quits.

    The app opens the database itself, right after its first frame (see ui/app.py); a store
    that cannot be opened ends the app with the reason on stderr and exit status 2. On a
    terminal that is not UTF-8 the screen is drawn in ASCII (cli/terminal.py).
    """
    import sys

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        out.error("blogtui: the reader needs a terminal; see `blogtui --help` for commands")
        return 2
    from blogtui.cli.terminal import ascii_screen
    from blogtui.core.config import load_config
    from blogtui.ui.app import build_app

    app = build_app(where, config=load_config(where.config_file))
    with ascii_screen(sys.__stderr__):  # Textual draws on stderr: ASCII under LANG=C
        app.run()
    return int(app.return_code or 0)
