"""`blogtui discussions URL` against the Hacker News and Lobsters stand-ins: one line per site,
"no discussions found", and a site that fails named on stderr."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from standins.hackernews import HackerNewsStandIn, HnStory
from standins.lobsters import LobstersStandIn, LobStory
from standins.threads import german_thread

from blogtui.cli import main
from blogtui.core.comments.hackernews import HackerNewsProvider
from blogtui.core.comments.lobsters import LobstersProvider
from blogtui.core.comments.registry import PROVIDERS

ARTICLE = "https://blog.example/2024/01/kaese.html"


@pytest.fixture
def sites(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[HackerNewsStandIn, LobstersStandIn]]:
    hn, lobsters = HackerNewsStandIn(), LobstersStandIn()
    monkeypatch.setitem(PROVIDERS, "hackernews", HackerNewsProvider(hn.origin))
    monkeypatch.setitem(PROVIDERS, "lobsters", LobstersProvider(lobsters.origin))
    try:
        yield hn, lobsters
    finally:
        hn.close()
        lobsters.close()


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--home", str(home), "discussions", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_one_line_per_site(sites, tmp_path, capsys) -> None:
    hn, lobsters = sites
    hn.add(HnStory(39_000_000, ARTICLE, german_thread(312)))
    lobsters.add(LobStory("abc123", ARTICLE, german_thread(1)))
    lobsters.add(LobStory("def456", ARTICLE + "#x", german_thread(0)))
    status, out, err = run(tmp_path, capsys, ARTICLE)
    assert status == 0 and err == ""
    assert out.splitlines() == [
        "Hacker News: 312 comments https://news.ycombinator.com/item?id=39000000",
        f"Lobsters: 1 comment {lobsters.origin}/s/abc123 (submitted 2 times)",
    ]


def test_nothing_found(sites, tmp_path, capsys) -> None:
    assert run(tmp_path, capsys, ARTICLE) == (0, "no discussions found\n", "")


def test_a_failing_site_is_named_on_stderr(sites, tmp_path, capsys) -> None:
    hn, lobsters = sites
    lobsters.throttled = 1
    status, out, err = run(tmp_path, capsys, ARTICLE)
    assert status == 0
    assert out == "no discussions found on Hacker News\n"
    assert err == "blogtui: Lobsters: too many requests; try again in 30 s\n"


def test_every_site_failing_is_status_1_and_text_stays_clean(sites, tmp_path, capsys) -> None:
    hn, lobsters = sites
    hn.garbage = lobsters.garbage = b"\x1b[2J<html>"
    status, out, err = run(tmp_path, capsys, ARTICLE)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "blogtui: Hacker News: expected JSON, the site sent text/html",
        "blogtui: Lobsters: expected JSON, the site sent application/json",
    ]


def test_not_a_web_address(sites, tmp_path, capsys) -> None:
    status, out, err = run(tmp_path, capsys, "ftp://blog.example/x")
    assert status == 2 and "not an http(s) address" in err
    assert not sites[0].seen and not sites[1].seen
