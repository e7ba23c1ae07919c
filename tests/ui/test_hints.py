"""Placeholders read as hints, not values; Enter on an empty link prompt says what happened;
the identity dialog keeps Save on screen at 60x20 (issue 14, item 10)."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, settle
from textual.widgets import Button, Input

from blogtui.core.config import Config, Identity
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import PromptScreen
from blogtui.ui.screens.identity import IdentityScreen

SMALL = (60, 20)


def looks_like_a_hint(entry: Input) -> None:
    """The placeholder is worded as a hint and drawn unlike typed text (dim and italic)."""
    style = entry.get_component_rich_style("input--placeholder")
    assert style.italic, style
    typed = entry.rich_style
    assert style.color != typed.color or style.dim, (style, typed)


async def test_the_link_prompt_hints_and_enter_on_nothing_says_so(
    make_app: Callable[..., BlogtuiApp], keep_machine_out: list[str], toasts: list[str]
) -> None:
    app = make_app()
    async with running(app) as pilot:
        await press(pilot, "tab", "enter")
        links = main_screen(app).reader.links
        assert len(links) == 3
        await press(pilot, "f")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        entry = prompt.query_one(Input)
        assert entry.placeholder == "link number, e.g. 3"
        looks_like_a_hint(entry)
        await press(pilot, "enter")
        assert app.screen is main_screen(app)
        assert any("No link number given; nothing opened" in shown for shown in toasts), toasts
        assert keep_machine_out == []


async def test_identity_dialog_hints_and_keeps_save_on_a_small_terminal(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    app = make_app(Config())
    async with running(app, SMALL) as pilot:
        screen = IdentityScreen(app, Identity("", ""), "blog.example.de")
        await app.push_screen(screen)
        await settle(pilot)
        names = {entry.id: entry.placeholder for entry in screen.query(Input)}
        assert names["identity-name"] == "your name"
        assert "Ada" not in "".join(names.values()) and "example" not in "".join(names.values())
        looks_like_a_hint(screen.query_one("#identity-name", Input))
        for button_id in ("#identity-save", "#identity-cancel"):
            button = screen.query_one(button_id, Button)
            region = button.region
            assert region.height >= 1 and region.width >= 4, (button_id, region)
            assert screen.region.contains_region(region), (button_id, region, screen.region)
            visible = screen.query_one(".dialog").region
            assert visible.contains_region(region), (button_id, region, visible)
        await pilot.click("#identity-save")
        assert app.screen is screen  # clicked: the (empty) form says what to fix
        error = str(screen.query_one("#identity-error").render())
        assert "Please fix" in error


async def test_a_choice_keeps_its_answers_on_a_small_terminal(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    from blogtui.ui.screens.dialogs import ChoiceScreen

    app = make_app(Config())
    async with running(app, SMALL) as pilot:
        question = "This reply may already be on the blog — sent 2026-12-03 22:00. " * 12
        choices = [("open", "Open the article"), ("resend", "Send again")]
        screen = ChoiceScreen("May already be on the blog", question, choices)
        await app.push_screen(screen)
        await settle(pilot)
        visible = screen.query_one(".dialog").region
        for button in screen.query(Button):
            assert visible.contains_region(button.region), (button.id, button.region, visible)
