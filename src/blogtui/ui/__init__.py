"""blogtui's Textual user interface. `build_app` makes the app the CLI and the tests run."""

from __future__ import annotations

__all__ = ["build_app"]


def __getattr__(name: str) -> object:
    """Import the app lazily, so `blogtui.ui.display` and friends stay cheap to import."""
    if name == "build_app":
        from blogtui.ui.app import build_app

        return build_app
    raise AttributeError(name)
