"""The drafts (`D`) and replies-to-you (`W`) lists as the user reads them at 80 and 120 columns:
each entry keeps its line breaks, indents and separators (only values are sanitised)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.app import press, running, settle
from textual.widgets import OptionList

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import CommentData
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.drafts_screen import DraftsScreen
from blogtui.ui.screens.replies_screen import RepliesScreen

ADA = Identity("Ada", "ada@example.org")
POST = "https://blog.example.de/aepfel"


def shown(app: BlogtuiApp, list_id: str) -> list[str]:
    """The list's lines as drawn on the screen (right-trimmed)."""
    options = app.screen.query_one(list_id, OptionList)
    return [strip.text.rstrip() for strip in options.render_lines(options.size.region)]


@pytest.mark.parametrize("width", [80, 120])
async def test_drafts_entries_keep_their_lines_and_spaces(
    make_app: Callable[..., BlogtuiApp], home: Places, width: int
) -> None:
    DraftStore(home.drafts_dir).new(
        blog="blog.example.de", article_url=POST, article_title="Äpfel",
        parent_id="k1", parent_author="Jürgen Weiß", parent_excerpt="Birnen sind besser.",
        identity=ADA, text="Nein, Äpfel.",
    )  # fmt: skip
    app = make_app(Config(identity=ADA))
    async with running(app, (width, 30)) as pilot:
        await press(pilot, "D")
        assert isinstance(app.screen, DraftsScreen)
        lines = shown(app, "#drafts-list")
        text = "\n".join(lines)
        assert "Äpfel — reply to Jürgen Weiß  [draft · just now]" in text, text
        assert any(line.endswith("   ↳ Jürgen Weiß: Birnen sind besser.") for line in lines), text
        assert any(line.endswith("   Nein, Äpfel.") for line in lines), text
        assert "Weiß[" not in text and "]↳" not in text


@pytest.mark.parametrize("width", [80, 120])
async def test_replies_entries_keep_their_lines_and_spaces(
    make_app: Callable[..., BlogtuiApp], store: Store, width: int
) -> None:
    article_id = store.article_ids_by_link([POST])[POST]
    mine = CommentData("c1", "", "Ada", "<p>Äpfel!</p>", published=1_700_000_000.0)
    reply = CommentData("c2", "c1", "Georg Sohn", "<p>Danke, Ada.</p>", published=1_700_000_600.0)
    store.store_thread(article_id, [mine, reply], provider="wordpress")
    store.mark_mine(article_id, "c1")
    app = make_app(Config(identity=ADA))
    async with running(app, (width, 30)) as pilot:
        await press(pilot, "W")
        assert isinstance(app.screen, RepliesScreen)
        await settle(pilot)
        lines = shown(app, "#replies-list")
        text = "\n".join(lines)
        assert "Georg Sohn · " in text and " · on Zweiter Beitrag über Äpfel" in text, text
        assert any(line.endswith("   Danke, Ada.") for line in lines), text
        assert "Sohn·" not in text
