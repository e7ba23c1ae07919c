"""Modules blogtui never uses that its libraries import when they are installed: kept out.

httpx imports its own command-line tool when it can (`httpx._main`: click, rich's console and
pygments, about 30 ms), and httpcore imports trio when it is installed (to tell a trio program
from an asyncio one, about 45 ms). blogtui runs httpx on asyncio only and never runs httpx's
command-line tool, so the `blogtui` command marks both as absent before anything imports httpx:
both libraries import them in a `try` and carry on without them. Every start of the command is
about a tenth of a second shorter (`blogtui sync` from cron, and the reader's first frame).
Only the command's own process does this (`entry`); code importing blogtui is left as it is.
"""

from __future__ import annotations

import sys

UNUSED = ("httpx._main", "trio")
"""Imported by libraries when present, never used by blogtui."""


def skip_unused() -> None:
    """Mark UNUSED as absent, unless something imported them already."""
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
