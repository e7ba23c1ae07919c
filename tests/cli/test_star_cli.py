"""`blogtui star URL` / `blogtui unstar URL`: a stored article found by its link."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogtui.cli import main
from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store

URL = "https://blog.example.org/2024/äpfel/"


def seed(home: Path) -> int:
    store = Store(places(home).database)
    feed, _ = store.add_feed("https://blog.example.org/feed", "Blog")
    store.upsert_articles(feed.id, [EntryData(key=URL, title="Über Äpfel", link=URL)])
    (article_id,) = store.article_ids()
    store.close()
    return article_id


def starred(home: Path, article_id: int) -> bool:
    store = Store(places(home).database)
    try:
        return store.article_summaries([article_id])[0].starred
    finally:
        store.close()


def test_star_then_unstar_by_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    article_id = seed(home)
    assert main(["--home", str(home), "star", URL.rstrip("/")]) == 0
    assert starred(home, article_id)
    assert "starred: Über Äpfel" in capsys.readouterr().out
    assert main(["--home", str(home), "unstar", URL]) == 0
    assert not starred(home, article_id)
    assert "unstarred: Über Äpfel" in capsys.readouterr().out


def test_an_unknown_address_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    seed(home)
    assert main(["--home", str(home), "star", "https://elsewhere.example/x"]) == 2
    assert "no stored article" in capsys.readouterr().err
    assert main(["--home", str(home), "star", "not a url"]) == 2
