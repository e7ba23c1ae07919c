"""Several comment sources in the thread view: `S` chooses one, `E` looks up discussions, `i`
tells what was found; the heading names the source, each source keeps its own new marks, and
`c` replies where the source shown lives (#16 item 5, #15's leftovers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support.app import main_screen, press, running, settle, wait_for
from support.sources import StubProvider, stub_registry, thread

from blogtui.core.comments.disqus import DisqusProvider
from blogtui.core.comments.loading import ThreadResult, site_of
from blogtui.core.config import Config, Identity
from blogtui.core.models import Article
from blogtui.core.paths import Places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.disqus import TOKEN_ENTRY
from blogtui.core.store import Store
from blogtui.core.store.sources import ThreadSource
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.compose import ComposeScreen
from blogtui.ui.screens.dialogs import ChoiceScreen, ConfirmScreen
from blogtui.ui.screens.identity import IdentityScreen
from blogtui.ui.screens.sources import DetailsScreen, SourcesScreen
from blogtui.ui.widgets.comment_layout import thread_heading

ME = Identity("Jörg Müller", "joerg@example.org")


@pytest.fixture
def stubs() -> Iterator[tuple[StubProvider, StubProvider, StubProvider]]:
    blog = StubProvider("blogstub", label="Stub Blog")
    fedi = StubProvider("fedistub", kind="elsewhere", label="Stub replies")
    news = StubProvider("newsstub", kind="discussion", label="Stub News", reply_mode="browser")
    with stub_registry(blog, fedi, news, DisqusProvider()):
        yield blog, fedi, news


def read_by(provider: StubProvider) -> Callable[..., ThreadResult]:
    """A thread loader that reads the blog's own thread from `provider` (no network)."""

    def load(store: Store, article: Article, **_: Any) -> ThreadResult:
        provider.fetches += 1
        comments = provider.threads.get(article.link, [])
        store.store_thread(article.id, comments, provider=provider.name)
        store.remember_blog(site_of(article.link), provider.name)  # as load_thread does
        return ThreadResult(article.id, provider.name, store.comments_for(article.id))

    return load


def status(app: BlogtuiApp) -> str:
    return str(main_screen(app).reader.query_one("#thread-status").render())


def authors(app: BlogtuiApp) -> list[str]:
    return [c.author for c in main_screen(app).reader.thread.comments]


async def opened(pilot, app: BlogtuiApp, stubs, store: Store) -> Article:
    """Open the first article with its own thread (2 comments), Stub replies recorded."""
    blog, fedi, news = stubs
    screen = main_screen(app)
    article = store.get_article(screen.article_list.ids[0])
    assert article is not None
    blog.threads[article.link] = thread("blogstub", 2)
    fedi.threads[article.link] = thread("fedistub", 4)
    news.threads[article.link] = thread("newsstub", 5)
    store.add_sources(article.id, [ThreadSource(article.id, "fedistub", "elsewhere",
                                                "https://fedistub.example/api", article.link,
                                                expected=4)])  # fmt: skip
    screen.open_article(article.id)
    await wait_for(
        pilot, lambda: "Stub Blog · 2 ·" in status(app) and "refreshing" not in status(app)
    )
    screen.reader.thread.focus()
    return article


async def choose(pilot, app: BlogtuiApp, line: int) -> SourcesScreen:
    """Open the chooser (S) and pick its `line` (0 = the first)."""
    await press(pilot, "S")
    await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen))
    chooser = app.screen
    assert isinstance(chooser, SourcesScreen)
    lines = list(chooser.lines)
    await press(pilot, *(["j"] * line), "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, SourcesScreen))
    chooser.lines = lines
    return chooser


async def test_s_switches_to_another_source_and_the_heading_names_it(make_app, store, stubs):
    app = make_app(thread_loader=read_by(stubs[0]))
    async with running(app) as pilot:
        article = await opened(pilot, app, stubs, store)
        assert status(app) == "Comments via Stub Blog · 2 · S: 1 more source"
        chooser = await choose(pilot, app, 1)
        assert [(line.title, line.detail) for line in chooser.lines] == [
            ("Comments via Stub Blog · 2", "shown"),
            ("Stub replies · 4", "not read yet"),
            ("Look up discussions elsewhere (E)", ""),
        ]
        await wait_for(pilot, lambda: status(app) == "Stub replies · 4 · S: 1 more source")
        assert authors(app) == [f"fedistub Schreiber {n}" for n in (1, 2, 3, 4)]
        assert main_screen(app).reader.source == "fedistub"
        assert len(store.comments_for(article.id)) == 2  # the blog's own thread as it was
        await choose(pilot, app, 0)
        await wait_for(pilot, lambda: status(app).startswith("Comments via Stub Blog · 2"))
        assert authors(app)[0] == "blogstub Schreiber 1"


async def test_each_source_has_its_own_new_marks(make_app, store, stubs):
    blog, fedi, _ = stubs
    app = make_app(thread_loader=read_by(blog))
    async with running(app) as pilot:
        article = await opened(pilot, app, stubs, store)
        await choose(pilot, app, 1)
        await wait_for(pilot, lambda: status(app).startswith("Stub replies · 4 ·"))
        assert main_screen(app).reader.thread.new_ids == []  # a first visit: nothing is new
        visited = store.thread_state(article.id, "fedistub").last_visit
        assert visited is not None and store.thread_state(article.id).last_visit is not None
        await choose(pilot, app, 0)
        await wait_for(pilot, lambda: status(app).startswith("Comments via Stub Blog"))
        fedi.threads[article.link] = thread("fedistub", 5)  # one more reply arrives
        await choose(pilot, app, 1)
        await wait_for(pilot, lambda: status(app).startswith("Stub replies · 5 ·"))
        reader = main_screen(app).reader
        assert [c.key for c in reader.thread.comments if c.id in reader.thread.new_ids] == ["5"]
        await choose(pilot, app, 0)
        await wait_for(pilot, lambda: status(app).startswith("Comments via Stub Blog"))
        assert main_screen(app).reader.thread.new_ids == []


async def test_e_finds_discussions_opens_one_read_only_and_keeps_it(
    make_app, store, stubs, keep_machine_out
):
    blog, _, news = stubs
    app = make_app(thread_loader=read_by(blog))
    async with running(app) as pilot:
        article = await opened(pilot, app, stubs, store)
        await press(pilot, "E")
        await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen))
        found = app.screen
        assert isinstance(found, SourcesScreen)
        assert found.title_text == "Discussed on Stub News (5 comments)"
        await press(pilot, "enter")
        heading = "Stub News discussion · 5 · read-only, reply opens the browser"
        await wait_for(pilot, lambda: status(app).startswith(heading))
        assert news.fetches == 1 and len(store.comments_for(article.id, "newsstub")) == 5
        await press(pilot, "c")  # read-only: the discussion's page, never a draft
        await wait_for(pilot, lambda: isinstance(app.screen, (ConfirmScreen, ChoiceScreen)))
        assert "https://newsstub.example/item?url=" in app.screen.message
        await press(pilot, "escape")
        await choose(pilot, app, 0)
        await wait_for(pilot, lambda: status(app).startswith("Comments via Stub Blog"))
        chooser = await choose(pilot, app, 2)
        assert chooser.lines[2].title == "Stub News discussion · 5"
        await wait_for(pilot, lambda: status(app).startswith(heading))
        await settle(pilot)
        assert news.fetches == 1  # kept: read again only on r
        await press(pilot, "r")
        await wait_for(pilot, lambda: news.fetches == 2)


async def test_replying_in_a_source_writes_a_draft_for_that_source(make_app, store, stubs):
    app = make_app(config=Config(identity=ME), thread_loader=read_by(stubs[0]))
    async with running(app) as pilot:
        await opened(pilot, app, stubs, store)
        await choose(pilot, app, 1)
        await wait_for(pilot, lambda: status(app).startswith("Stub replies · 4"))
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        assert (compose.draft.source, compose.draft.parent_id) == ("fedistub", "1")


async def test_details_name_the_sources_and_the_one_shown(make_app, store, stubs):
    app = make_app(thread_loader=read_by(stubs[0]))
    async with running(app) as pilot:
        await opened(pilot, app, stubs, store)
        await press(pilot, "i")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen))
        text = app.screen.text
        assert "Shown: Comments via Stub Blog · 2" in text
        assert "Stub replies · 4 — replies elsewhere" in text
        assert "A reply: written here and sent by blogtui" in text
        assert "Comment systems on the article's page:" in text


DISQUS = thread("Disqus", 2)


@pytest.fixture
def with_token(home: Places) -> None:
    CredentialStore(home.secrets_dir).set_entry(TOKEN_ENTRY, "disqus", "zugangs-token")


async def test_with_a_disqus_token_the_heading_says_replies_post_as_the_account(
    make_app, store, stubs, with_token
):
    disqus = StubProvider("disqus")
    app = make_app(thread_loader=read_by(disqus))
    async with running(app) as pilot:
        screen = main_screen(app)
        article = store.get_article(screen.article_list.ids[0])
        disqus.threads[article.link] = DISQUS
        screen.open_article(article.id)
        wanted = "Comments via Disqus · 2 · reply posts as your Disqus account"
        await wait_for(pilot, lambda: status(app) == wanted)


async def test_with_a_disqus_token_no_name_is_asked_before_replying(
    make_app, store, stubs, with_token
):
    disqus = StubProvider("disqus")
    app = make_app(thread_loader=read_by(disqus))  # no identity configured
    async with running(app) as pilot:
        screen = main_screen(app)
        article = store.get_article(screen.article_list.ids[0])
        disqus.threads[article.link] = DISQUS
        screen.open_article(article.id)
        await wait_for(pilot, lambda: "Disqus · 2" in status(app))
        screen.reader.thread.focus()
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(app.screen, (ComposeScreen, IdentityScreen)))
        assert isinstance(app.screen, ComposeScreen)
        app.screen.editor.text = "Grüße aus Köln"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))


def test_headings_of_sources() -> None:
    with stub_registry(StubProvider("fedistub", kind="elsewhere", label="Stub replies"),
                       StubProvider("newsstub", kind="discussion", label="Stub News")):  # fmt: skip
        assert thread_heading(4, "fedistub", source="fedistub") == "Stub replies · 4"
        assert thread_heading(0, "", offered=False, source="fedistub") == "Stub replies · 0"
        news = thread_heading(5, "newsstub", source="newsstub")
        assert news == "Stub News discussion · 5 · read-only, reply opens the browser"
    assert thread_heading(3, "disqus", account=True) == (
        "Comments via Disqus · 3 · reply posts as your Disqus account"
    )


async def test_opening_the_article_shown_again_keeps_its_source(make_app, store, stubs):
    app = make_app(thread_loader=read_by(stubs[0]))
    async with running(app) as pilot:
        article = await opened(pilot, app, stubs, store)
        await choose(pilot, app, 1)
        await wait_for(pilot, lambda: status(app) == "Stub replies · 4 · S: 1 more source")
        fetches = stubs[1].fetches
        main_screen(app).open_article(article.id)
        await wait_for(pilot, lambda: stubs[1].fetches > fetches)
        await wait_for(pilot, lambda: status(app) == "Stub replies · 4 · S: 1 more source")
        assert authors(app)[0] == "fedistub Schreiber 1"
        other = next(i for i in main_screen(app).article_list.ids if i != article.id)
        main_screen(app).open_article(other)  # another article opens on its own thread
        await wait_for(pilot, lambda: main_screen(app).reader.source == "")


async def test_a_reply_in_another_source_opens_in_that_source(make_app, store, stubs):
    app = make_app(thread_loader=read_by(stubs[0]))
    async with running(app) as pilot:
        article = await opened(pilot, app, stubs, store)
        store.store_thread(article.id, thread("fedistub", 4), provider="fedistub",
                           source="fedistub")  # fmt: skip
        screen = main_screen(app)
        screen.open_article(article.id, select="4")  # as the replies screen does
        assert screen.reader.source == "fedistub"
        await wait_for(pilot, lambda: status(app).startswith("Stub replies · 4"))
        await wait_for(pilot, lambda: screen.reader.thread.cursor_comment is not None
                       and screen.reader.thread.cursor_comment.key == "4")  # fmt: skip
        screen.open_article(article.id, select="2")  # the blog's own thread has "2"
        assert screen.reader.source == ""
