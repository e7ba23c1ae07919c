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
        """Print sanitised multi-line text, keeping each line's indentation."""
        from blogtui.core.feeds.logins import redact
        from blogtui.core.text.sanitize import clean, transliterate

        lines = []
        for line in redact(text).split("\n"):
            body = line.lstrip(" ")
            lines.append(" " * (len(line) - len(body)) + clean(body))
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        print(transliterate("\n".join(lines), encoding), file=self.stdout, flush=True)

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
