"""Autosaving a draft from a background thread: the latest text is on disk within `delay` seconds.

The UI calls `update(text)` on every change; a timer writes the newest text. A failed save (full
disk, read-only directory) keeps the text, is reported through `last_error` and `on_error`, and
is retried on the next update, on `flush()`, and every `retry_interval` seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from blogtui.core.drafts.file import Draft, DraftError


class SavesDrafts(Protocol):
    """Where an Autosaver writes (a `DraftStore`)."""

    def save(self, draft: Draft) -> Draft:
        """Write `draft`; the draft as written. Raises DraftError when it cannot be."""
        ...


class Autosaver:
    """Thread-safe autosave of one draft; no UI imports. `close()` flushes."""

    def __init__(
        self,
        store: SavesDrafts,
        draft: Draft,
        *,
        delay: float = 0.5,
        retry_interval: float = 3.0,
        on_saved: Callable[[Draft], None] | None = None,
        on_error: Callable[[DraftError], None] | None = None,
    ) -> None:
        self.store = store
        self.delay = delay
        self.retry_interval = retry_interval
        self.on_saved = on_saved
        self.on_error = on_error
        self.last_error: DraftError | None = None
        """The error of the last failed save; None once a save succeeded."""
        self.saved: Draft | None = None
        """The draft as last written."""
        self._draft = draft
        self._version = 0
        self._saved_version = 0
        self._state = threading.Lock()
        self._io = threading.Lock()
        self._timer: threading.Timer | None = None
        self._closed = False

    @property
    def draft(self) -> Draft:
        """The newest draft (saved or not)."""
        with self._state:
            return self._draft

    @property
    def dirty(self) -> bool:
        """True while the newest text is not on disk."""
        with self._state:
            return self._version != self._saved_version

    def update(self, text: str | None = None, **changes: Any) -> None:
        """Record the newest text (and other fields); it is written within `delay` seconds."""
        with self._state:
            if text is not None:
                changes["text"] = text
            self._draft = replace(self._draft, **changes)
            self._version += 1
            self._schedule(self.delay)

    def _schedule(self, seconds: float) -> None:
        """Start the timer unless one is pending (so steady typing cannot postpone a save)."""
        if self._timer is not None or self._closed:
            return
        self._timer = threading.Timer(seconds, self._on_timer)
        self._timer.daemon = True
        self._timer.start()

    def _on_timer(self) -> None:
        with self._state:
            self._timer = None
        self.flush()

    def flush(self) -> bool:
        """Write the newest draft now if it changed; True when it is on disk."""
        with self._io:
            with self._state:
                if self._version == self._saved_version:
                    return self.last_error is None
                draft, version = self._draft, self._version
            try:
                saved = self.store.save(draft)
            except DraftError as error:
                self._failed(error)
                return False
            self._succeeded(saved, version)
        return True

    def _failed(self, error: DraftError) -> None:
        with self._state:
            self.last_error = error
            self._schedule(self.retry_interval)
        if self.on_error is not None:
            self.on_error(error)

    def _succeeded(self, saved: Draft, version: int) -> None:
        with self._state:
            self.last_error = None
            self.saved = saved
            self._saved_version = version
            self._draft = replace(self._draft, updated=saved.updated)
            if self._version != version:
                self._schedule(self.delay)
        if self.on_saved is not None:
            self.on_saved(saved)

    def close(self) -> bool:
        """Stop the timer and write what is pending; True when everything is on disk."""
        with self._state:
            self._closed = True
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        return self.flush()
