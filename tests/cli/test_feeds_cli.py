"""`blogtui feeds`: id, unread/total and title in columns (by terminal cells), the URL and the
last error indented under their feed, titles clipped to the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store
from blogtui.core.text.clip import cell_width

LONG = "A very long title " * 10


@pytest.fixture
def home(tmp_path: Path) -> Path:
    store = Store(places(tmp_path).database)
    try:
        first, _ = store.add_feed("https://a.example/feed", "Jürgen Weiß’ Blog", "", "Räder")
        wide, _ = store.add_feed("https://b.example/feed", "日本語のブログ", "", "")
        long, _ = store.add_feed("https://c.example/feed", LONG, "", "")
        store.upsert_articles(first.id, [EntryData(key=str(n), title="x") for n in range(12)])
        store.record_fetch(first.id, status=200)
        store.record_fetch(wide.id, status=404, error="HTTP 404 Not Found")
    finally:
        store.close()
    return tmp_path


def feeds(home: Path, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    environment.update(BLOGTUI_HOME=str(home), COLUMNS="50", **env)
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "feeds"],
        capture_output=True, text=True, env=environment, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_columns_stay_aligned_and_details_are_indented(home):
    lines = feeds(home)
    by_title = {line.split(maxsplit=2)[2]: n for n, line in enumerate(lines) if line[:1] != " "}
    assert set(by_title) == {"Räder/Jürgen Weiß’ Blog", "日本語のブログ", LONG[:39] + "…"}
    wide = by_title["日本語のブログ"]
    assert lines[wide : wide + 3] == [
        "2   0/0   日本語のブログ",
        "          https://b.example/feed",
        "          failed: HTTP 404 Not Found",
    ]
    first = by_title["Räder/Jürgen Weiß’ Blog"]
    assert lines[first : first + 2] == [
        "1  12/12  Räder/Jürgen Weiß’ Blog",
        "          https://a.example/feed",
    ]
    assert lines[by_title[LONG[:39] + "…"]].startswith("3   0/0   A very long title")
    assert max(cell_width(line) for line in lines) == 50


def test_ascii_terminal_keeps_the_columns(home):
    lines = feeds(home, LANG="C", LC_ALL="C", PYTHONUTF8="0")
    assert "1  12/12  Raeder/Juergen Weiss' Blog" in lines
    assert "3   0/0   " + LONG[:39] + "." in lines
    assert all(line.isascii() for line in lines)
