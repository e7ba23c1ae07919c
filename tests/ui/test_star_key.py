"""`F` in the article list stars the article under the cursor (a marker in its row, the store
changed); pressing it again unstars it (issue 17)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.app import main_screen, press, wait_for
from textual.pilot import Pilot

from blogtui.core.models import ArticleSummary
from blogtui.core.store import Store
from blogtui.ui import display as display_module
from blogtui.ui.widgets.article_list import render_article_row


def row_text(pilot: Pilot[None], row_id: int) -> str:
    article_list = main_screen(pilot.app).article_list
    row = article_list.get_row(row_id)
    assert row is not None
    return render_article_row(row, 80, False).plain


async def test_F_stars_and_unstars_the_article_under_the_cursor(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    row_id = screen.article_list.cursor_id
    assert row_id is not None
    assert "★" not in row_text(pilot, row_id)
    await press(pilot, "F")
    await wait_for(pilot, lambda: store.article_summaries([row_id])[0].starred)
    await wait_for(pilot, lambda: row_text(pilot, row_id)[2] == "★")
    assert "★" in "".join(s.text for s in screen.article_list.render_line(0))
    await press(pilot, "F")
    await wait_for(pilot, lambda: not store.article_summaries([row_id])[0].starred)
    await wait_for(pilot, lambda: "★" not in row_text(pilot, row_id))


async def test_the_star_key_is_listed_and_remappable(pilot: Pilot[None]) -> None:
    ids = {binding.id for binding in pilot.app.all_bindings()}  # type: ignore[attr-defined]
    assert "toggle-star" in ids


def test_a_starred_row_is_marked_in_utf8_and_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    row = ArticleSummary(1, 1, "Über Äpfel", "Jörg", "", None, False, 3, starred=True)
    plain = replace(row, starred=False)
    assert render_article_row(row, 60, False).plain.startswith("● ★Über")
    assert render_article_row(plain, 60, False).plain.startswith("●  Über")
    monkeypatch.setattr(display_module, "terminal_encoding", lambda: "ascii")
    assert render_article_row(row, 60, False).plain.startswith("* !Ueber")
    assert render_article_row(plain, 60, False).plain.startswith("*  Ueber")


async def test_F_in_the_reader_stars_the_open_article(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    row_id = screen.article_list.cursor_id
    assert row_id is not None
    screen.open_article(row_id)
    await wait_for(pilot, lambda: screen.reader.article is not None)
    screen.focus_pane("reader")
    await wait_for(pilot, lambda: screen.active_pane == "reader")
    await press(pilot, "F")
    await wait_for(pilot, lambda: store.article_summaries([row_id])[0].starred)
