"""Pilot tests of replying: identity prompt, autosave, quote, leave/resume, $EDITOR, failures."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot
from textual.widgets import Static

from blogtui.core.config import Config, Identity, load_config
from blogtui.core.drafts import store as drafts_module
from blogtui.core.drafts.store import Draft, DraftStore
from blogtui.core.models import Comment
from blogtui.core.paths import Places
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.editor import editor_command
from blogtui.ui.screens.compose import ComposeScreen
from blogtui.ui.screens.identity import IdentityScreen
from blogtui.ui.widgets.comment_thread import CommentThread

ADA = Identity("Ada", "ada@example.org", "https://ada.example")
HOSTILE = (
    "<p>Hi \x1b[2J\x1b]52;c;ZXZpbA==\x07 there \u202eevil\u202c "
    "[bold red]loud[/] [@click=app.quit]x[/]</p><p>second line</p>"
)


def compose_screen(app: BlogtuiApp) -> ComposeScreen:
    """The reply editor, which must be the active screen."""
    assert isinstance(app.screen, ComposeScreen), app.screen
    return app.screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type `text` key by key."""
    names = {" ": "space", "\n": "enter", ">": "greater_than_sign", ".": "full_stop"}
    await pilot.press(*(names.get(ch, ch) for ch in text))
    await pilot.pause()


def saved_texts(home: Places) -> list[str]:
    """The texts of the drafts on disk."""
    return [d.text for d in DraftStore(home.drafts_dir).list() if isinstance(d, Draft)]


async def start_reply(pilot: Pilot[None]) -> None:
    """Focus the article list (first article) and press c."""
    await settle(pilot)
    await press(pilot, "tab", "c")


async def test_first_reply_asks_identity_then_autosaves_within_a_second(
    pilot: Pilot[None], home: Places
) -> None:
    app = pilot.app
    await start_reply(pilot)
    assert isinstance(app.screen, IdentityScreen)
    await type_text(pilot, "Ada")
    await press(pilot, "tab")
    await type_text(pilot, "not-an-email")
    await press(pilot, "enter")
    error = app.screen.query_one("#identity-error", Static)
    assert "email" in str(error.render())
    app.screen.query_one("#identity-email").value = "ada@example.org"  # type: ignore[attr-defined]
    await press(pilot, "enter")
    screen = compose_screen(app)
    assert "Ada <ada@example.org>" in str(screen.query_one("#compose-identity").render())
    assert "Grüße aus dem „Süden“" in str(screen.query_one("#compose-heading").render())
    assert load_config(home.config_file).identity == Identity("Ada", "ada@example.org")

    await type_text(pilot, "Hello there")
    took = await wait_for(pilot, lambda: saved_texts(home) == ["Hello there"], 1.0)
    assert took <= 1.0
    assert "saved " in str(screen.status.render())

    await press(pilot, "escape")
    main = main_screen(app)
    assert saved_texts(home) == ["Hello there"]
    assert main.article_list.cursor_id in main.article_list.draft_ids

    await press(pilot, "c")  # resumes the draft, no identity question
    screen = compose_screen(app)
    assert screen.editor.text == "Hello there"
    await press(pilot, "escape")
    assert len(saved_texts(home)) == 1


async def test_empty_draft_is_not_kept(make_app: Callable[..., BlogtuiApp], home: Places) -> None:
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await start_reply(pilot)
        screen = compose_screen(app)
        assert "Ada <ada@example.org> https://ada.example" in str(
            screen.query_one("#compose-identity").render()
        )
        await type_text(pilot, "x")
        await wait_for(pilot, lambda: saved_texts(home) == ["x"], 1.0)
        await press(pilot, "backspace", "escape")
        main_screen(app)
        assert saved_texts(home) == []
        leftovers = list(home.drafts_dir.iterdir())
        assert not [p for p in leftovers if p.suffix == ".txt"], leftovers


async def reply_to_hostile_comment(app: BlogtuiApp, pilot: Pilot[None]) -> ComposeScreen:
    """Open the editor on a reply to a comment full of escapes, bidi and markup."""
    await settle(pilot)
    main = main_screen(app)
    article_id = main.article_list.ids[0]
    comment = Comment(
        id=1, article_id=article_id, key="c-7", parent_key="", author="[b]Mallory\x1b[31m[/b]",
        author_url="", published=1_700_000_000.0, content=HOSTILE, first_seen=0.0, seen=True,
    )  # fmt: skip
    main.post_message(CommentThread.ReplyRequested(CommentThread(), comment))
    await settle(pilot)
    return compose_screen(app)


async def test_hostile_parent_is_sanitised_in_view_and_quote(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        screen = await reply_to_hostile_comment(app, pilot)
        parent = screen.query_one("#compose-parent Static", Static)
        shown = str(parent.render()) + str(screen.query_one("#compose-heading").render())
        for text in (shown,):
            assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "[bold red]loud[/]" in shown and "[b]Mallory" in shown
        assert app.is_running

        await type_text(pilot, "> not a quote ")
        assert screen.editor.text == "> not a quote "  # `>` types itself in the editor
        await press(pilot, "ctrl+g")
        quoted = screen.editor.text
        assert "\n[b]Mallory␛[31m[/b] wrote:\n> Hi ␛[2J␛]52;c;ZXZpbA== there evil" in quoted
        assert "\x1b" not in quoted and "\u202e" not in quoted and "\x07" not in quoted
        assert "> second line" in quoted

        await press(pilot, "ctrl+z")  # the quote is undoable
        assert screen.editor.text == "> not a quote "
        screen.query_one("#compose-parent").focus()
        await press(pilot, "greater_than_sign")  # > quotes when the editor is not focused
        assert "wrote:\n> Hi" in screen.editor.text
        assert app.focused is screen.editor
        await press(pilot, "escape")
        (draft,) = [d for d in DraftStore(home.drafts_dir).list() if isinstance(d, Draft)]
        assert draft.parent_id == "c-7" and "\x1b" not in draft.parent_author


async def test_save_failure_is_shown_retried_and_text_kept(
    make_app: Callable[..., BlogtuiApp], home: Places, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real_write = drafts_module.write_atomic
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await start_reply(pilot)
        screen = compose_screen(app)
        assert screen.autosaver is not None
        screen.autosaver.retry_interval = 0.2
        monkeypatch.setattr(drafts_module, "write_atomic", disk_full)
        await type_text(pilot, "precious words")
        status = lambda: str(screen.status.render())  # noqa: E731
        await wait_for(pilot, lambda: status().startswith("NOT SAVED"), 1.5)
        assert "No space left on device" in status()
        assert "your text is safe in the editor" in status()
        assert screen.editor.text == "precious words"

        await press(pilot, "escape")  # leaving asks; staying is the default
        assert not isinstance(app.screen, ComposeScreen)
        await press(pilot, "escape")
        assert compose_screen(app).editor.text == "precious words"

        monkeypatch.setattr(drafts_module, "write_atomic", real_write)
        await wait_for(pilot, lambda: saved_texts(home) == ["precious words"], 2.0)
        await wait_for(pilot, lambda: status().startswith("saved "), 1.0)
        await press(pilot, "escape")
        main_screen(app)


@contextlib.contextmanager
def no_suspend(self: BlogtuiApp) -> Iterator[None]:
    """The headless driver cannot suspend; the test editor needs no terminal."""
    self.suspended = True  # type: ignore[attr-defined]
    yield


async def test_external_editor_edits_a_copy_and_the_text_comes_back(
    make_app: Callable[..., BlogtuiApp],
    home: Places,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = tmp_path / "my editor.sh"
    script.write_text('#!/bin/sh\n[ "$1" = "--flag" ] && shift\necho "from the editor" >> "$1"\n')
    monkeypatch.setenv("VISUAL", f"sh '{script}' --flag")
    monkeypatch.setattr(BlogtuiApp, "suspend", no_suspend)
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await start_reply(pilot)
        screen = compose_screen(app)
        await type_text(pilot, "typed here")
        await press(pilot, "ctrl+e")  # priority: the TextArea's own ctrl+e is line-end
        assert getattr(app, "suspended", False)
        assert screen.editor.text == "typed here\nfrom the editor"
        await wait_for(pilot, lambda: saved_texts(home) == [screen.editor.text], 1.0)
        assert not [p for p in home.drafts_dir.iterdir() if ".editing-" in p.name]
        await press(pilot, "ctrl+z")
        assert screen.editor.text == "typed here"


def test_editor_command_order(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"VISUAL": "code --wait", "EDITOR": "nano"}
    assert editor_command(env) == ["code", "--wait"]
    assert editor_command({"EDITOR": "'my ed' -x"}) == ["my ed", "-x"]
    monkeypatch.setattr("shutil.which", lambda name: f"/bin/{name}" if name == "nano" else None)
    assert editor_command({"VISUAL": "  "}) == ["/bin/nano"]


async def test_draft_open_elsewhere_is_read_only(
    make_app: Callable[..., BlogtuiApp], home: Places, store: object
) -> None:
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await start_reply(pilot)
        await type_text(pilot, "mine")
        await press(pilot, "escape")
        (draft,) = [d for d in DraftStore(home.drafts_dir).list() if isinstance(d, Draft)]
        other = DraftStore(home.drafts_dir).open_for_edit(draft.id)  # "another blogtui"
        try:
            await press(pilot, "c")
            screen = compose_screen(app)
            assert "READ-ONLY" in str(screen.status.render())
            assert "open in another blogtui" in str(screen.status.render())
            await type_text(pilot, "zzz")
            assert screen.editor.text == "mine"
            await press(pilot, "escape")
        finally:
            other.release()
        assert saved_texts(home) == ["mine"]


async def test_compose_editor_binding_is_remappable(
    make_app: Callable[..., BlogtuiApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "ed.sh"
    script.write_text('#!/bin/sh\necho "remapped" >> "$1"\n')
    monkeypatch.setenv("VISUAL", f"sh {script}")
    monkeypatch.setattr(BlogtuiApp, "suspend", no_suspend)
    app = make_app(Config(identity=ADA, keys={"compose.editor": "f4"}))
    async with running(app) as pilot:
        await start_reply(pilot)
        screen = compose_screen(app)
        await press(pilot, "f4")
        assert screen.editor.text == "remapped"


async def test_quitting_the_app_mid_reply_saves_the_draft(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await start_reply(pilot)
        await type_text(pilot, "last words")
        await pilot.press("ctrl+q")  # at once: before the autosave timer fires
    assert saved_texts(home) == ["last words"]
