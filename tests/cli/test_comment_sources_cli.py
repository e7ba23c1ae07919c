"""`blogtui comments URL` lists the article's further comment sources after its thread, and
`--source NAME` prints one of them (stored with a stored article; a discussion site is asked by
the URL), with stub providers of every kind (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.sources import StubProvider, stub_registry, thread

from blogtui.cli import main
from blogtui.core.models import EntryData
from blogtui.core.paths import places
from blogtui.core.store import Store


@pytest.fixture
def stubs() -> Iterator[tuple[StubProvider, StubProvider, StubProvider]]:
    blog = StubProvider("blogstub", label="Stub Blog")
    fedi = StubProvider("fedistub", kind="elsewhere", label="Stub replies")
    news = StubProvider("newsstub", kind="discussion", label="Stub News", reply_mode="browser")
    with stub_registry(blog, fedi, news):
        yield blog, fedi, news


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--home", str(home), "comments", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def stored(home: Path, url: str) -> tuple[Store, int]:
    store = Store(places(home).database)
    feed, _ = store.add_feed(url + "feed/", "Ein Blog")
    store.upsert_articles(feed.id, [EntryData(key=url, title="Käse und Brot", link=url)])
    [article_id] = store.article_ids([feed.id])
    return store, article_id


@pytest.fixture
def url(feed_server) -> str:
    return feed_server.url("/2024/kaese/")  # its page is a 404: only the stubs answer


def with_threads(stubs, url: str) -> None:
    for provider, count in zip(stubs, (2, 4, 5), strict=True):
        provider.threads[url] = thread(provider.name, count)


def test_the_thread_is_followed_by_the_further_sources(stubs, url, tmp_path, capsys) -> None:
    with_threads(stubs, url)
    store, _ = stored(tmp_path, url)
    status, out, err = run(tmp_path, capsys, url)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[:2] == ["Käse und Brot", "2 comments via Stub Blog"]
    assert lines[-2:] == [
        "Further sources (blogtui comments URL --source NAME):",
        "  fedistub: Stub replies · 4 (not read yet)",
    ]
    assert stubs[2].detects == 0  # discussions are never looked up here


def test_source_prints_and_stores_another_source(stubs, url, tmp_path, capsys) -> None:
    with_threads(stubs, url)
    store, article_id = stored(tmp_path, url)
    run(tmp_path, capsys, url)
    status, out, err = run(tmp_path, capsys, url, "--source", "fedistub")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[:2] == ["Käse und Brot", "4 comments via Stub replies"]
    assert "fedistub Schreiber 4" in out and "blogstub" not in out
    assert len(store.comments_for(article_id, "fedistub")) == 4
    assert len(store.comments_for(article_id)) == 2


def test_a_discussion_of_an_unknown_address_is_read_and_not_stored(
    stubs, url, tmp_path, capsys
) -> None:
    with_threads(stubs, url)
    status, out, err = run(tmp_path, capsys, url, "--source", "newsstub")
    assert status == 0 and err == ""
    assert out.splitlines()[1] == "5 comments via Stub News · reply opens the browser"
    assert Store(places(tmp_path).database).article_ids() == []


def test_an_unknown_address_lists_the_systems_its_page_shows(stubs, url, tmp_path, capsys):
    with_threads(stubs, url)
    status, out, _ = run(tmp_path, capsys, url)
    assert status == 0
    assert out.splitlines()[-1] == "  fedistub: Stub replies · 4 (not read yet)"


def test_an_unknown_source_is_said_plainly(stubs, url, tmp_path, capsys) -> None:
    with_threads(stubs, url)
    stored(tmp_path, url)
    status, out, err = run(tmp_path, capsys, url, "--source", "nirgendwo")
    assert status != 0 and out == ""
    assert err == "blogtui: no comment source is called 'nirgendwo'\n"
