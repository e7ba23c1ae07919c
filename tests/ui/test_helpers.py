"""Pure UI helpers: display() for narrow encodings, link checks, styles, row rendering."""

from __future__ import annotations

import pytest

from blogtui.core.models import ArticleSummary
from blogtui.ui import display as display_module
from blogtui.ui.browser import RefusedLink, checked_url
from blogtui.ui.styles import stylesheets
from blogtui.ui.widgets.article_list import render_article_row


@pytest.fixture
def ascii_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdout is ASCII (LANG=C)."""
    monkeypatch.setattr(display_module, "terminal_encoding", lambda: "ascii")


def test_display_cleans_and_keeps_utf8() -> None:
    assert display_module.display("Grüße \x1b]0;x\x07 „a“") == "Grüße ␛]0;x „a“"


def test_display_transliterates_for_ascii(ascii_terminal: None) -> None:
    assert display_module.display("Grüße „a“ \x1b[2J") == 'Gruesse "a" ^[[2J'
    assert display_module.glyph("●", "*") == "*"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "/etc/passwd", "data:text/html,x", "http://a b"],
)
def test_refused_links(url: str) -> None:
    with pytest.raises(RefusedLink):
        checked_url(url)


@pytest.mark.parametrize("url", ["https://example.com/x", "http://a.example", "mailto:a@b.c"])
def test_allowed_links(url: str) -> None:
    assert checked_url(url) == url


def test_stylesheets_exist() -> None:
    assert [path.name for path in stylesheets()] == ["base.tcss", "main.tcss", "dialogs.tcss"]
    assert all(path.is_file() for path in stylesheets())


def test_article_row_shows_counts_and_fits() -> None:
    row = ArticleSummary(1, 1, "[b]Titel[/b] über", "Jörg", "", None, False, 12, 3)
    text = render_article_row(row, 100, False)
    assert "[b]Titel[/b] über" in text.plain and "12+3" in text.plain
    assert text.cell_len <= 100
