"""Keeping Python's cycle collector from pausing the UI.

Its full passes walk every tracked object: with Textual, the modules and the screens loaded that
is 50-100 ms, at random moments, such as while the main screen is being built or right after a
key press. So it is off while the main screen starts, and once that screen shows its first
content (before anyone can react to it) garbage is collected once and everything alive is
exempted from later passes.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """No cycle collection until `keep_out_of_collector` (start-up makes little garbage)."""
    gc.disable()


def keep_out_of_collector() -> None:
    """Collect garbage once, exempt every object alive now from later passes, collect again
    from here on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def release_collector() -> None:
    """Back to normal (the app has ended): everything is collectable, collection is on."""
    gc.unfreeze()
    gc.enable()
