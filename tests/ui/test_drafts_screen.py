"""Pilot tests of the drafts screen (`D`): listing, unreadable files, resume, delete, open."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, settle
from textual.widgets import OptionList

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import Draft, DraftStore, Unreadable
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.compose import ComposeScreen
from blogtui.ui.screens.drafts_screen import DraftsScreen

ADA = Identity("Ada", "ada@example.org")
ARTICLE_URL = "https://blog.example.de/aepfel"


def seed_drafts(home: Places) -> tuple[Draft, Draft]:
    """A reply to a post, a reply to a comment (hostile excerpt), and one broken file."""
    drafts = DraftStore(home.drafts_dir)
    post = drafts.new(
        blog="blog.example.de", article_url=ARTICLE_URL, article_title="Zweiter Beitrag über Äpfel",
        identity=ADA, text="Äpfel sind toll.\nZweite Zeile.",
    )  # fmt: skip
    comment = drafts.new(
        blog="plain.example", article_url="https://plain.example/3", article_title="Plain 3",
        parent_id="k9", parent_author="[b]Bob[/b]", parent_excerpt="Bob \x1b[2J said \u202eso",
        identity=ADA, text="I disagree.",
    )  # fmt: skip
    (home.drafts_dir / "broken.txt").write_bytes(b"Blog: x\n\n\x00\xff binary")
    return post, comment


def listed(app: BlogtuiApp) -> str:
    """Every prompt of the drafts list, one after another."""
    assert isinstance(app.screen, DraftsScreen), app.screen
    options = app.screen.query_one("#drafts-list", OptionList).options
    return "\n".join(str(option.prompt) for option in options)


async def test_drafts_screen_lists_drafts_and_unreadable_files(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    seed_drafts(home)
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        main = main_screen(app)
        rows = app.store.article_summaries(list(main.article_list.draft_ids))
        marked = {row.link for row in rows}
        assert marked == {ARTICLE_URL, "https://plain.example/3"}  # the ✎ marker
        await press(pilot, "D")
        text = listed(app)
        assert "Zweiter Beitrag über Äpfel — reply to the post" in text
        assert "Plain 3 — reply to [b]Bob[/b]" in text
        assert "Äpfel sind toll." in text and "[draft · just now]" in text
        assert "unreadable" in text and "broken.txt" in text
        assert "\x1b" not in text and "\u202e" not in text
        assert app.is_running


async def test_enter_resumes_and_d_deletes_after_confirming(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    post, comment = seed_drafts(home)
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await press(pilot, "D")
        screen = app.screen
        assert isinstance(screen, DraftsScreen)
        assert screen.current is not None and screen.current.id == comment.id  # newest first
        await press(pilot, "j")
        assert screen.current is not None and screen.current.id == post.id
        await press(pilot, "enter")
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        assert compose.editor.text == "Äpfel sind toll.\nZweite Zeile."
        assert compose.target.article_id is not None  # found in the store
        assert "Schöne" not in str(compose.query_one("#compose-parent Static").render())
        await press(pilot, "escape")
        main_screen(app)

        await press(pilot, "D", "d")  # the comment draft; the dialog asks first
        await press(pilot, "n")
        assert comment.id in {e.id for e in DraftStore(home.drafts_dir).list()}
        await press(pilot, "d", "y")
        left = DraftStore(home.drafts_dir).list()
        assert {e.id for e in left} == {post.id, "broken"}
        assert any(isinstance(e, Unreadable) for e in left)  # kept
        assert "I disagree." not in listed(app)


async def test_delete_refused_while_open_elsewhere(
    make_app: Callable[..., BlogtuiApp], home: Places, toasts: list[str]
) -> None:
    _, comment = seed_drafts(home)
    lease = DraftStore(home.drafts_dir).open_for_edit(comment.id)
    app = make_app(Config(identity=ADA))
    try:
        async with running(app) as pilot:
            await press(pilot, "D", "d", "y")
            assert comment.id in {e.id for e in DraftStore(home.drafts_dir).list()}
            assert any("Not deleted" in shown for shown in toasts)
    finally:
        lease.release()


async def test_o_opens_the_drafts_article_and_unreadable_is_not_resumed(
    make_app: Callable[..., BlogtuiApp], home: Places, store: Store
) -> None:
    seed_drafts(home)
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await press(pilot, "D", "end", "enter")  # the unreadable one: a warning, no editor
        assert isinstance(app.screen, DraftsScreen)
        await press(pilot, "k", "o")
        main = main_screen(app)
        await settle(pilot)
        assert main.reader.article is not None
        assert main.reader.article.link == ARTICLE_URL
        assert main.active_pane == "reader"
