"""`blogtui comments URL` against the demo blog: a stored article, and an address nothing knows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store
from blogtui.demo import DemoBlog

BUSY = "why-my-ride-log-cli-took-a-second-to-start"


@pytest.fixture(scope="module")
def blog() -> Iterator[DemoBlog]:
    with DemoBlog() as demo:
        yield demo


def blogtui(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(home), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip


def test_a_stored_article_is_loaded_stored_and_printed(blog, tmp_path):
    home, url = tmp_path / "home", blog.post_url(BUSY)
    store = Store(places(home).database)
    feed, _ = store.add_feed(f"{blog.base_url}/feed/", "Demo")
    store.upsert_articles(feed.id, [EntryData(key=url, title="Ride log", link=url)])
    result = blogtui(home, "comments", url)
    assert result.returncode == 0, result.stderr
    heading, summary, *rest = result.stdout.split("\n")
    assert heading == "Ride log"
    count = int(summary.split()[0])
    [article_id] = store.article_ids([feed.id])
    assert count == len(store.comments_for(article_id)) > 0
    assert "via WordPress" in summary and rest


def test_an_unknown_address_is_read_and_nothing_is_stored(blog, tmp_path):
    home = tmp_path / "home"
    result = blogtui(home, "comments", blog.post_url(BUSY))
    assert result.returncode == 0, result.stderr
    assert "via WordPress" in result.stdout.split("\n")[1]
    assert Store(places(home).database).article_ids() == []


def test_a_comment_keeps_its_table_aligned_and_its_heading_underlined():
    import io

    from blogtui.cli.comments import render
    from blogtui.cli.output import Output
    from blogtui.core.models import CommentData

    html = (
        "<h3>Meine Zahlen</h3><table><tr><th>Was</th><th>Wie viel</th></tr>"
        "<tr><td>Schläuche</td><td>12</td></tr></table>"
    )
    comment = CommentData("1", "", "Jürgen", html, published=None)
    printed = io.StringIO()
    Output(printed).block(render(comment, depth=1))
    assert printed.getvalue().split("\n") == [
        "  Jürgen · undated",
        "  Meine Zahlen",
        "  ------------",
        "",
        "  Was        Wie viel",
        "  ---------  --------",
        "  Schläuche  12",
        "",
    ]
