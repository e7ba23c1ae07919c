"""Hostile titles and comments in a real terminal (tmux): the pane borders stay where they are.

A feed whose article titles are 30,000 characters long, 800 Zalgo graphemes (each base letter
under a pile of combining marks) and 500 variation selectors, and a thread holding a comment of
5,000 `<br>` and one of 400 lines: the installed `blogtui` shows them inside a private tmux
(tests/support/tmux.py). Every row of the screen must keep its pane borders at the columns the
top border gives them, and the long comment must stop with its "… N more lines" note.
"""

from __future__ import annotations

from pathlib import Path

from support.tmux import HEIGHT, WIDTH, TmuxServer
from wcwidth import wcswidth

from blogtui.core.models import CommentData, EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store

ZALGO = "".join(f"{letter}\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309"
                for letter in "Zalgo" * 160)  # fmt: skip
TITLES = {
    "long": "Lang " + "x" * 30_000,
    "zalgo": ZALGO,
    "selectors": "Auswahl" + "\ufe0f" * 500 + "Ende",
}
CORNERS = "╭╮"
"""The top corners of each pane's round border."""


def seeded_home(root: Path) -> Path:
    """A home with one feed of the hostile titles; the Zalgo article has the hostile thread."""
    store = Store(places(root).database)
    try:
        feed, _ = store.add_feed("http://127.0.0.1:9/feed", "Feindliche Titel")
        entries = [
            EntryData(key=key, title=title, link=f"http://127.0.0.1:9/{key}", published=1.7e9 - n,
                      content=f"<p>Artikel {key}</p>")
            for n, (key, title) in enumerate(TITLES.items())
        ]  # fmt: skip
        store.upsert_articles(feed.id, entries)
        zalgo = store.article_ids_by_link(["http://127.0.0.1:9/zalgo"])["http://127.0.0.1:9/zalgo"]
        comments = [
            CommentData("1", "", ZALGO, "Anfang" + "<br>" * 5000 + "Schluss"),
            CommentData("2", "", "Lang", "".join(f"<p>Zeile {n}</p>" for n in range(400))),
        ]
        store.store_thread(zalgo, comments, provider="rss")
    finally:
        store.close()
    return root


def border_columns(screen: str) -> list[int]:
    """The columns of the top corners of the panes (the first row)."""
    top = screen.splitlines()[0]
    return [column(top, index) for index, char in enumerate(top) if char in CORNERS]


def column(line: str, index: int) -> int:
    """The terminal column of `line[index]` (wide characters take two, marks none)."""
    return max(0, wcswidth(line[:index]))


def char_at(line: str, wanted: int) -> str:
    """The character that starts at terminal column `wanted` of `line`, "" if none does."""
    for index, char in enumerate(line):
        if column(line, index) == wanted and wcswidth(char) > 0:
            return char
    return ""


def broken_rows(screen: str) -> list[str]:
    """The rows inside the panes whose borders are not where the top border puts them."""
    rows = screen.splitlines()
    columns = border_columns(screen)
    assert len(columns) >= 4, screen
    broken = []
    for row in rows[1 : HEIGHT - 3]:
        if row.lstrip().startswith("╰"):
            break
        if any(char_at(row, wanted) not in "│╭╮├┤" for wanted in columns):
            broken.append(row)
    return broken


def test_hostile_titles_and_comments_keep_the_borders(tmux: TmuxServer, tmp_path: Path) -> None:
    home = seeded_home(tmp_path / "home")
    pane = tmux.launch(home)
    pane.wait_for("All articles · 3")
    pane.press("Tab")  # the article list
    screen = pane.wait_still()
    assert not broken_rows(screen), screen
    pane.press("j")
    pane.press("Enter")  # the Zalgo article
    pane.wait_for("Artikel zalgo")
    pane.press("t")  # into its thread
    screen = pane.wait_for("Anfang")
    assert not broken_rows(screen), screen
    assert "<br>" not in screen and "Schluss" in screen
    pane.press("j")  # the comment of 400 lines
    screen = pane.wait_for("more lines (+ shows all)")
    assert "Zeile 399" not in screen
    assert not broken_rows(screen), screen
    assert all(wcswidth(row) <= WIDTH for row in screen.splitlines())
