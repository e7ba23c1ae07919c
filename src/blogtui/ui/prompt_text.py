"""Multi-line list entries (OptionList prompts) built from sanitised values and plain layout.

`display()` folds a value to one line and strips its edges, so layout passed through it is lost
(`…Weiß[draft · just now]↳ Jürgen…`). Here the layout (line breaks, indents, separators) is
appended as it is, and only the values from outside pass through the sanitiser.
"""

from __future__ import annotations

from rich.text import Text

from blogtui.ui.display import display_text

INDENT = "   "
"""Where the second and later lines of an entry start."""


class PromptText:
    """Builds one entry: `value` for untrusted text, `layout` for our own separators, `line`
    to start an indented line. `text` is the result (never markup)."""

    def __init__(self) -> None:
        self.text = Text(end="")

    def value(self, text: object, style: str = "", *, limit: int | None = None) -> PromptText:
        """Append sanitised `text` (one line, edges stripped)."""
        self.text.append_text(display_text(text, style, limit=limit))
        return self

    def layout(self, text: str, style: str = "") -> PromptText:
        """Append our own `text` as it is (spaces and separators kept)."""
        self.text.append(text, style=style)
        return self

    def line(self, indent: str = INDENT) -> PromptText:
        """Start a new line, indented."""
        self.text.append("\n" + indent)
        return self
