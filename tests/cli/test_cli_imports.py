"""Building the parser stays light: the TUI's first frame waits for what `blogtui.cli` imports."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "blogtui.core.models",
    "blogtui.core.store",
    "blogtui.core.drafts",
    "blogtui.core.draftfile",
    "blogtui.core.draftio",
    "blogtui.core.autosave",
    "blogtui.core.watch",
    "sqlite3",
)


def test_building_the_parser_loads_no_store_models_or_drafts():
    code = (
        "import sys, blogtui.cli\n"
        "blogtui.cli.build_parser().parse_args([])\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m for m in sys.modules for h in heavy"
        " if m == h or m.startswith(h + '.')}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
