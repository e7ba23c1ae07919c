"""The `blogtui` command: a thin layer over the core; without a command it opens the TUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from blogtui import __version__
from blogtui.cli import comments, drafts, feeds, posting
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import places

COMMAND_MODULES = [feeds, comments, drafts, posting]
"""Each module adds its subcommands with `register(subparsers)`."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="blogtui",
        description="Read blogs and take part in their comment threads, from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"blogtui {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="keep config, data and cache under DIR (or $BLOGTUI_HOME)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the bundled sample blog on 127.0.0.1 in a throwaway home and open it",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run blogtui; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output()
    try:
        if args.demo:
            from blogtui.cli.demo import run_demo

            return run_demo(out)
        where = places(args.home)
        if args.command is None:
            from blogtui.cli.tui import run_tui

            return run_tui(where, out)
        return int(args.run(args, where, out) or 0)
    except BlogtuiError as error:
        out.error(f"blogtui: {error.message}")
        return 2
    except KeyboardInterrupt:
        out.error("blogtui: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
