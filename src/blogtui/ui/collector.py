"""Keeping Python's cycle collector from pausing the UI."""

from __future__ import annotations

import gc


def keep_out_of_collector() -> None:
    """Collect garbage once, then exempt every object alive now (Textual, the modules, the
    screens) from Python's cycle collector: its full passes over them paused the UI for
    50-100 ms at random moments, such as right after a key press. Called once, right after
    the main screen has shown its first content (before anyone can react to it)."""
    gc.collect()
    gc.freeze()
