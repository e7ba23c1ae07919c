"""The drafts list (`D`) in a real terminal (tmux) at 80 and 120 columns: each entry keeps its
line breaks and spaces (issue 14: `…reply to Jürgen Weiß[draft · just now]↳ Jürgen Weiß: …`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.tmux import TmuxServer

from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.paths import places
from blogtui.core.store import Store


@pytest.mark.parametrize("width", [80, 120])
def test_drafts_entries_keep_their_lines_in_a_real_terminal(
    tmux: TmuxServer, tmp_path: Path, width: int
) -> None:
    home = tmp_path / "home"
    DraftStore(places(home).drafts_dir).new(
        blog="blog.example.de", article_url="https://blog.example.de/aepfel",
        article_title="Äpfel", parent_id="k1", parent_author="Jürgen Weiß",
        parent_excerpt="Birnen sind besser.", identity=Identity("Ada", "ada@example.org"),
        text="Nein, Äpfel.",
    )  # fmt: skip
    store = Store(places(home).database)
    store.add_feed("https://blog.example.de/feed/", "Äpfel und Birnen")
    store.close()
    pane = tmux.launch(home)
    pane.wait_for("Äpfel und Birnen")
    tmux.run("resize-window", "-t", pane.session, "-x", str(width), "-y", "30")
    pane.wait_width(width)
    pane.press("D")
    screen = pane.wait_for("Birnen sind besser.")
    lines = [line.strip("▊▎│ ") for line in screen.splitlines()]  # less the borders
    assert any("Äpfel — reply to Jürgen Weiß  [draft · just now]" in line for line in lines), screen
    assert any(line.endswith("↳ Jürgen Weiß: Birnen sind besser.") for line in lines), screen
    assert any(line.endswith("Nein, Äpfel.") for line in lines), screen
    assert "Weiß[" not in screen and "]↳" not in screen
