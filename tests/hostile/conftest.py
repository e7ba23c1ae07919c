"""Fixtures for the hostile-input tests: a private home and a store.

`feed_server` (a real HTTP server on 127.0.0.1 recording every request) and `opened_urls` (browser
opens recorded) come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from blogtui.core.paths import Places, places
from blogtui.core.store import Store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Places:
    """BLOGTUI_HOME under tmp_path (nothing of the real user's is touched)."""
    monkeypatch.setenv("BLOGTUI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return places(tmp_path / "home")


@pytest.fixture
def store(home: Places) -> Iterator[Store]:
    """An empty store in the private home."""
    opened = Store(home.database)
    yield opened
    opened.close()
