"""RowList: a virtual list that loads and draws only the visible rows."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import App, ComposeResult
from textual.content import Content
from textual.message import Message

from blogtui.ui.widgets.row_list import RowList


@dataclass(frozen=True)
class FakeRow:
    """A row like the store's ArticleSummary, reduced to what the tests need."""

    id: int
    title: str


class ListApp(App[None]):
    """One full-screen RowList; records loader calls and messages."""

    def __init__(self, ids: list[int] | None = None, titles: dict[int, str] | None = None):
        super().__init__()
        self.initial_ids = ids or []
        self.titles = titles or {}
        self.loaded: list[list[int]] = []
        self.messages: list[Message] = []
        self.gone: set[int] = set()

    def load(self, ids: list[int]) -> list[FakeRow]:
        self.loaded.append(list(ids))
        return [FakeRow(i, self.titles.get(i, f"row {i}")) for i in ids if i not in self.gone]

    @staticmethod
    def render_row(row: FakeRow, width: int, selected: bool) -> Content:
        return Content(f"{'>' if selected else ' '}{row.id:06} {row.title}")

    def compose(self) -> ComposeResult:
        yield RowList(self.load, self.render_row, self.initial_ids, empty_text="No articles")

    def on_row_list_highlighted(self, message: RowList.Highlighted) -> None:
        self.messages.append(message)

    def on_row_list_selected(self, message: RowList.Selected) -> None:
        self.messages.append(message)

    @property
    def row_list(self) -> RowList[FakeRow]:
        return self.query_one(RowList)

    def lines(self) -> list[str]:
        """The list's painted lines as plain text."""
        row_list = self.row_list
        return [strip.text for strip in row_list.render_lines(row_list.size.region)]

    def selected(self) -> list[int]:
        return [m.row_id for m in self.messages if isinstance(m, RowList.Selected)]

    def highlighted(self) -> list[int]:
        return [m.row_id for m in self.messages if isinstance(m, RowList.Highlighted)]


async def test_first_screen_of_50k_loads_only_visible_rows() -> None:
    app = ListApp(list(range(50_000)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        loaded = [i for call in app.loaded for i in call]
        assert 24 <= len(loaded) < 200
        assert max(loaded) < 200
        assert app.lines()[0].startswith(">000000 row 0")
        assert app.lines()[23].startswith(" 000023 row 23")
        assert app.row_list.virtual_size.height == 50_000


async def test_set_rows_after_mount_loads_one_window() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.row_list.set_rows(list(range(50_000)))
        await pilot.pause()
        assert len(app.loaded) == 1
        assert len(app.loaded[0]) < 200


async def test_arrow_and_vi_keys_move_and_post_highlighted() -> None:
    app = ListApp(list(range(100, 200)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.pause()
        assert app.highlighted() == [100]
        await pilot.press("j", "down", "j")
        assert row_list.cursor == 3
        assert row_list.cursor_id == 103
        await pilot.press("k", "up")
        assert row_list.cursor == 1
        await pilot.press("k", "k", "k")  # clamps at the top
        assert row_list.cursor == 0
        await pilot.pause()
        assert app.highlighted() == [100, 101, 102, 103, 102, 101, 100]
        assert row_list.cursor_row == FakeRow(100, "row 100")


async def test_cursor_scrolls_into_view() -> None:
    app = ListApp(list(range(100)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.press(*"j" * 30)
        assert row_list.cursor == 30
        assert row_list.scroll_offset.y == 30 - 23
        assert app.lines()[23].startswith(">000030")


async def test_paging_keeps_cursor_line() -> None:
    app = ListApp(list(range(1000)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.press("j", "j", "space")
        assert row_list.cursor == 26
        assert row_list.scroll_offset.y == 24
        await pilot.press("pagedown")
        assert (row_list.cursor, row_list.scroll_offset.y) == (50, 48)
        await pilot.press("b")
        assert (row_list.cursor, row_list.scroll_offset.y) == (26, 24)
        await pilot.press("pageup", "pageup")
        assert (row_list.cursor, row_list.scroll_offset.y) == (0, 0)


async def test_first_and_last() -> None:
    app = ListApp(list(range(50_000)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.press("G")
        assert row_list.cursor == 49_999
        assert row_list.scroll_offset.y == 50_000 - 24
        assert app.lines()[-1].startswith(">049999")
        await pilot.press("g")
        assert (row_list.cursor, row_list.scroll_offset.y) == (0, 0)
        await pilot.press("end")
        assert row_list.cursor == 49_999
        await pilot.press("home")
        assert row_list.cursor == 0
        assert len([i for call in app.loaded for i in call]) < 300


async def test_enter_posts_selected() -> None:
    app = ListApp([7, 8, 9])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.selected() == [8]


async def test_click_moves_cursor_and_selects() -> None:
    app = ListApp(list(range(100)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.click(RowList, offset=(5, 4))
        await pilot.pause()
        assert row_list.cursor == 4
        assert app.selected() == [4]
        await pilot.press("space")  # view now starts at 24
        await pilot.click(RowList, offset=(5, 2))
        await pilot.pause()
        assert row_list.cursor == 26
        assert app.selected() == [4, 26]


async def test_wheel_scrolls_view() -> None:
    app = ListApp(list(range(100)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        for _ in range(3):
            app.post_message(events.MouseScrollDown(None, 5, 5, 0, 1, 0, False, False, False, 5, 5))
        await pilot.pause()
        assert row_list.scroll_offset.y > 0
        top = row_list.scroll_offset.y
        assert app.lines()[0].startswith(f" {top:06}")
        app.post_message(events.MouseScrollUp(None, 5, 5, 0, -1, 0, False, False, False, 5, 5))
        await pilot.pause()
        assert row_list.scroll_offset.y < top


async def test_prepending_keeps_cursor_id_and_viewport() -> None:
    app = ListApp(list(range(1000, 0, -1)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.press("space", "j", "j", "j")
        cursor_id, screen_line = row_list.cursor_id, row_list.cursor - row_list.scroll_offset.y
        before = app.lines()
        app.messages.clear()
        row_list.set_rows(list(range(1005, 0, -1)), keep_cursor_on=cursor_id)
        await pilot.pause()
        assert row_list.cursor_id == cursor_id
        assert row_list.cursor - row_list.scroll_offset.y == screen_line
        assert app.lines() == before
        assert app.highlighted() == []  # same row under the cursor: no message


async def test_prepending_at_top_keeps_cursor_row() -> None:
    app = ListApp([3, 2, 1])
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.pause()
        row_list.set_rows([5, 4, 3, 2, 1], keep_cursor_on=3)
        await pilot.pause()
        assert row_list.cursor_id == 3
        assert row_list.cursor == 2
        await pilot.press("g")
        assert row_list.cursor_id == 5


async def test_set_rows_without_keep_goes_to_top_and_missing_id_keeps_index() -> None:
    app = ListApp(list(range(50)))
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.press(*"j" * 10)
        row_list.set_rows([i for i in range(50) if i != 10], keep_cursor_on=10)
        assert (row_list.cursor, row_list.cursor_id) == (10, 11)
        row_list.set_rows(list(range(5)), keep_cursor_on=99)
        assert row_list.cursor == 4
        row_list.set_rows(list(range(50)))
        assert (row_list.cursor, row_list.scroll_offset.y) == (0, 0)


async def test_markup_in_rows_is_literal_and_inert() -> None:
    titles = {0: "[@click=app.quit]x[/]", 1: "[/]", 2: "[b]not bold[/b] \x1b[31mred"}
    app = ListApp([0, 1, 2], titles)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = app.lines()
        assert lines[0].startswith(">000000 [@click=app.quit]x[/]")
        assert lines[1].startswith(" 000001 [/]")
        assert "[b]not bold[/b]" in lines[2]
        assert "\x1b" not in lines[2]
        assert "\u241b[31mred" in lines[2]
        for x in range(8, 30):
            await pilot.click(RowList, offset=(x, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_value is None
        assert app.selected()[0] == 0


async def test_markup_in_strings_and_rich_text_is_literal() -> None:
    from rich.text import Text

    outputs: list[str | Text] = ["[@click=app.quit]s[/]", Text("[red]t[/red]")]

    class StringApp(ListApp):
        @staticmethod
        def render_row(row: FakeRow, width: int, selected: bool) -> str | Text:  # type: ignore[override]
            return outputs[row.id]

    app = StringApp([0, 1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row_list = app.row_list
        lines = [strip.text for strip in row_list.render_lines(row_list.size.region)]
        assert lines[0].startswith("[@click=app.quit]s[/]")
        assert lines[1].startswith("[red]t[/red]")


async def test_refresh_rows_reloads_only_given_ids() -> None:
    app = ListApp(list(range(10)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.loaded.clear()
        app.titles[3] = "renamed"
        app.row_list.refresh_rows([3])
        await pilot.pause()
        assert app.loaded == [[3]]
        assert "renamed" in app.lines()[3]
        app.row_list.refresh_rows()
        await pilot.pause()
        assert sorted(app.loaded[-1]) == list(range(10))


async def test_missing_rows_draw_blank() -> None:
    app = ListApp(list(range(5)))
    app.gone = {2}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = app.lines()
        assert lines[2].strip() == ""
        assert lines[3].startswith(" 000003")
        assert app.row_list.get_row(2) is None


async def test_empty_text_and_resize() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.lines()[0].startswith("No articles")
        assert app.row_list.cursor_id is None
        await pilot.press("j", "enter", "G", "space")
        assert app.selected() == []
        app.row_list.set_rows([1, 2])
        await pilot.resize_terminal(50, 10)
        await pilot.pause()
        lines = app.lines()
        assert len(lines) == 10
        assert all(len(line) == 50 for line in lines)
        assert lines[0].startswith(">000001")


async def test_bindings_have_ids_and_descriptions() -> None:
    from textual.binding import Binding

    bindings = [b for b in RowList.BINDINGS if isinstance(b, Binding)]
    ids = {b.id for b in bindings}
    assert {
        "row_list.cursor_down",
        "row_list.cursor_up",
        "row_list.first",
        "row_list.last",
        "row_list.page_down",
        "row_list.page_up",
        "row_list.select",
    } <= ids
    assert all(b.description for b in bindings)


async def test_keymap_remaps_binding() -> None:
    app = ListApp(list(range(10)))
    app.set_keymap({"row_list.cursor_down": "n"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n")
        assert app.row_list.cursor == 2


async def test_cursor_style_comes_from_component_class_and_follows_focus() -> None:
    app = ListApp([1, 2])
    async with app.run_test(size=(80, 24)) as pilot:
        row_list = app.row_list
        await pilot.pause()
        assert row_list.has_focus

        def backgrounds() -> tuple[object, object]:
            cursor_line, other_line = row_list.render_lines(row_list.size.region)[:2]
            return next(iter(cursor_line)).style.bgcolor, next(iter(other_line)).style.bgcolor

        focused_cursor, plain = backgrounds()
        assert focused_cursor != plain
        assert focused_cursor == row_list.get_visual_style("row-list--cursor").rich_style.bgcolor
        app.set_focus(None)
        await pilot.pause()
        blurred_cursor, _ = backgrounds()
        assert blurred_cursor != focused_cursor
