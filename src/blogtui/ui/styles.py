"""Where blogtui's Textual stylesheets live."""

from __future__ import annotations

from pathlib import Path, PurePath

STYLESHEETS = ("base.tcss", "main.tcss", "dialogs.tcss")
"""The app's layered stylesheets, applied in this order: base.tcss is the app's own (the first
frame needs only it); the main screen brings the other two when it is first shown."""


def styles_dir() -> Path:
    """Return the folder holding the .tcss files.

    A wheel ships them as `blogtui/styles`; an editable install or PYTHONPATH=src resolves the
    package to `src/blogtui`, where they are not, so the checkout's top-level `styles/` is tried
    next.
    """
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "styles", package_dir.parents[1] / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"blogtui styles/ not found near {package_dir}")


def stylesheets() -> list[Path]:
    """The absolute paths of all the app's stylesheets, in order."""
    folder = styles_dir()
    return [folder / name for name in STYLESHEETS]


def app_stylesheets() -> list[str | PurePath]:
    """The app's own stylesheet (`App(css_path=...)`)."""
    return [*stylesheets()[:1]]


def screen_stylesheets() -> list[str | PurePath]:
    """The main screen's stylesheets (`Screen.CSS_PATH`), read when it is first shown."""
    return [*stylesheets()[1:]]
