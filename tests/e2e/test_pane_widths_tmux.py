"""Pane widths in a real terminal (tmux) at 80, 120 and 200 columns: the article list shows
dates and comment counts beside the titles, a long feed title does not hide them, and the
footer's last key is whole."""

from __future__ import annotations

import re
from pathlib import Path

from support.tmux import TmuxServer

from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store

LONG_FEED = "Ein Blog mit einem Titel, der viel länger ist als jede Spalte breit"
DATE = "2023-11-14"


def seeded(home: Path) -> None:
    store = Store(places(home).database)
    feed, _ = store.add_feed("https://lang.example/feed/", LONG_FEED)
    other, _ = store.add_feed("https://kurz.example/feed/", "Kurz")
    entries = [
        EntryData(key=f"k{n}", title=f"Beitrag Nummer {n}", author="Ada",
                  link=f"https://lang.example/{n}", published=1_699_990_000.0 + n,
                  content="<p>x</p>", comment_count=10 + n)
        for n in range(5)
    ]  # fmt: skip
    store.upsert_articles(feed.id, entries)
    store.upsert_articles(other.id, [EntryData(key="o", title="Anderes", content="<p>y</p>")])
    store.close()


def list_line(screen: str, title: str) -> str:
    return next(line for line in screen.splitlines() if title in line)


def test_widths_at_80_120_and_200_columns(tmux: TmuxServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    seeded(home)
    pane = tmux.launch(home)
    pane.wait_for("Beitrag Nummer 4")
    for width, height in ((120, 36), (200, 50), (80, 24)):
        tmux.run("resize-window", "-t", pane.session, "-x", str(width), "-y", str(height))
        pane.wait_width(width)
        if width < 100:
            pane.press("Tab")  # one pane at a time: the list
        screen = pane.wait_still()
        line = list_line(screen, "Beitrag Nummer 4")
        assert re.search(rf"{DATE} +14\b", line), (width, line)  # date, then the count
        footer = screen.rstrip("\n").splitlines()[-1]
        assert footer.rstrip().endswith("? Help"), (width, footer)
        if width >= 200:  # the feed column, cut, before the date and the count
            assert "Ein Blog mit" in line and "…" in line, line
    pane.press("q")  # back to the feeds pane
    pane.quit("q")
