"""Printing untrusted text safely: sanitised, and spelled readably on non-UTF-8 terminals.

No line shows a URL's `user:password@`: a feed login belongs in the credential store only.

The sanitiser (`core.text`) is imported on first print, not with this module: `blogtui` without a
command opens the TUI, whose first frame waits for what `blogtui.cli` imports.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Output:
    """Where the CLI prints; every line passes through the sanitiser."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    @staticmethod
    def _safe(text: str, stream: TextIO, multiline: bool) -> str:
        from blogtui.core.feeds.logins import redact
        from blogtui.core.text.sanitize import clean, transliterate

        text = redact(text)
        lines = [clean(line) for line in text.split("\n")] if multiline else [clean(text)]
        safe = "\n".join(lines)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        return transliterate(safe, encoding)

    def line(self, text: str = "", *, multiline: bool = False) -> None:
        """Print one sanitised line (or block) to stdout."""
        print(self._safe(text, self.stdout, multiline), file=self.stdout, flush=True)

    def block(self, text: str) -> None:
        """Print sanitised multi-line text, keeping each line's indentation and inner spacing
        (an aligned table stays aligned)."""
        from blogtui.core.feeds.logins import redact
        from blogtui.core.text.sanitize import clean, transliterate

        lines = []
        for line in redact(text).split("\n"):
            body = line.lstrip(" ")
            kept = clean(body, multiline=True).replace("\t", " ").rstrip()
            lines.append(" " * (len(line) - len(body)) + kept)
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        print(transliterate("\n".join(lines), encoding), file=self.stdout, flush=True)

    def cell(self, text: str, width: int | None = None, align: str = "<") -> str:
        """One column of a `row`: `text` sanitised, spelled for stdout, clipped to `width`
        terminal cells (ending in an ellipsis) and padded to it (`align` "<" or ">")."""
        from blogtui.core.feeds.logins import redact
        from blogtui.core.text.clip import cell_width, clip
        from blogtui.core.text.sanitize import clean, transliterate

        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        value = transliterate(clean(redact(text)), encoding)
        if width is None:
            return value
        if cell_width(value) > width:
            value = clip(value, cells=width)
            if not _can_encode(value, encoding):  # the ellipsis itself, on a narrow terminal
                value = value.removesuffix("…") + "."
        padding = " " * max(width - cell_width(value), 0)
        return padding + value if align == ">" else value + padding

    def row(self, *cells: str, indent: int = 0) -> None:
        """Print cells made by `cell` side by side, two spaces apart, after `indent` spaces;
        the spacing is kept (`line` would fold it)."""
        text = " " * indent + "  ".join(cells)
        print(text.rstrip(), file=self.stdout, flush=True)

    def error(self, text: str) -> None:
        """Print one sanitised line to stderr."""
        print(self._safe(text, self.stderr, False), file=self.stderr, flush=True)

    @property
    def is_tty(self) -> bool:
        """True when stdout is a terminal (progress bars are drawn)."""
        return bool(getattr(self.stdout, "isatty", lambda: False)())

    def progress(self, done: int, total: int, label: str) -> None:
        """Redraw a one-line progress bar on a terminal."""
        if not self.is_tty or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        text = self._safe(label, self.stdout, False)[:40]
        self.stdout.write(f"\r[{bar}] {done}/{total} {text}\x1b[K")
        self.stdout.flush()

    def end_progress(self) -> None:
        """Clear the progress line."""
        if self.is_tty:
            self.stdout.write("\r\x1b[K")
            self.stdout.flush()


def _can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
