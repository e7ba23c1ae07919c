"""display(): every title is clipped by graphemes and terminal cells before a widget gets it."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from blogtui.core.text.clip import cell_width, grapheme_clusters
from blogtui.ui.display import display, display_text

ZALGO = "".join(f"{c}\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307" for c in "Zalgo" * 160)
HOSTILE = {
    "30,000 characters": "Titel " + "x" * 30_000,
    "800 Zalgo graphemes": ZALGO,
    "wide characters": "日本語のタイトル" * 100,
    "500 variation selectors": "Auswahl" + "\ufe0f" * 500 + "Ende" * 200,
    "invisible flood": "\u200b" * 100_000 + "sichtbar" * 100,
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("limit", [1, 20, 80, 500])
def test_a_limit_caps_graphemes_and_cells(name: str, limit: int) -> None:
    shown = display(HOSTILE[name], limit=limit)
    assert len(list(grapheme_clusters(shown))) <= limit
    assert cell_width(shown) <= limit and cell_len(shown) <= limit
    assert shown.endswith("…")


def test_cells_cap_tighter_and_short_text_stays_whole() -> None:
    assert display("日本語のタイトル", limit=80) == "日本語のタイトル"
    assert display("日本語のタイトル", limit=80, cells=9) == "日本語の…"
    assert cell_width(display(ZALGO, cells=30)) <= 30
    assert display("Grüße aus Köln", limit=14) == "Grüße aus Köln"
    assert display("Grüße aus Köln", limit=13) == "Grüße aus Kö…"
    assert display(None, limit=5) == "" and display(12345678, limit=5) == "1234…"
    assert str(display_text("[b]x[/b] " * 50, limit=10)) == "[b]x[/b]…"


def test_marks_stay_with_their_letter() -> None:
    shown = display("e\u0301" * 50, limit=10)
    assert shown == "\u00e9" * 9 + "…"  # composed, never a letter cut from its accent
