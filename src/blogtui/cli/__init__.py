"""The `blogtui` command: a thin layer over the core; without a command it opens the TUI.

`blogtui` with no arguments at all goes straight to the TUI without building the parser (and
importing the command modules): the reader's first frame waits for whatever runs before it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from blogtui import __version__
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places, places

if TYPE_CHECKING:
    import argparse

BROKEN_PIPE = 141
"""The exit status when stdout's reader went away (128 + SIGPIPE, as other tools end)."""

COMMAND_MODULES = (
    "feeds",
    "comments",
    "comment_keys",
    "drafts",
    "posting",
    "discussions",
    "sync",
    "stars",
)
"""Modules of blogtui.cli that add their subcommands with `register(subparsers)`."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="blogtui",
        description="Read blogs and take part in their comment threads, from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"blogtui {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        type=_local_path,
        help="keep config, data and cache under DIR (or $BLOGTUI_HOME)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the bundled sample blog on 127.0.0.1 in a throwaway home and open it",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"blogtui.cli.{name}").register(subparsers)
    return parser


def _local_path(argument: str) -> Path:
    from blogtui.cli.terminal import local_path

    return local_path(argument)


def entry() -> int:
    """The `blogtui` command (console script and `python -m blogtui`)."""
    from blogtui.cli.lean import skip_unused

    skip_unused()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    """Run blogtui; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if any(not argument.isascii() for argument in arguments):
        from blogtui.cli.terminal import utf8_arguments

        arguments = utf8_arguments(arguments)
    out = Output()
    where: Places | None = None
    try:
        args = build_parser().parse_args(arguments) if arguments else None
        if args is not None and args.demo:
            from blogtui.cli.demo import run_demo

            return run_demo(out)
        where = places(args.home if args is not None else None)
        if args is None or args.command is None:
            from blogtui.cli.tui import run_tui

            return run_tui(where, out)
        return int(args.run(args, where, out) or 0)
    except BlogtuiError as error:
        out.error(f"blogtui: {error.message}")
        return 2
    except KeyboardInterrupt:
        out.error("blogtui: interrupted")
        return 130
    except BrokenPipeError:  # `blogtui comments URL | head`: the reader of stdout has gone
        _quiet_stdout()
        return BROKEN_PIPE
    except Exception as error:  # damage SQLite reports past the store's own checks
        from blogtui.cli.common import database_damage

        if (message := database_damage(error, where)) is None:
            raise
        out.error(f"blogtui: {message}")
        return 2


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush finds no broken pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
