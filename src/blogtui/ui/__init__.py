"""blogtui's Textual user interface. `build_app` makes the app the CLI and the tests run."""

from __future__ import annotations

from blogtui.core.lazy import lazy_names

__all__ = ["build_app"]

__getattr__ = lazy_names(__name__, {"build_app": "app"})
"""The app is imported on first use, so `blogtui.ui.display` and friends stay cheap to import."""
