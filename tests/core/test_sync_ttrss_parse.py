"""Reading tt-rss answers without a server: addresses, guids, cursors, articles, errors."""

from __future__ import annotations

import pytest

from blogtui.core.sync.base import AuthFailed, NotLoggedIn, SyncError
from blogtui.core.sync.ttrss_parse import api_url, article_of, error_of, guid_of, parse_cursor


@pytest.mark.parametrize(
    ("given", "endpoint"),
    [
        ("https://rss.example.org", "https://rss.example.org/api/"),
        ("https://rss.example.org/tt-rss/", "https://rss.example.org/tt-rss/api/"),
        ("https://rss.example.org/tt-rss/api", "https://rss.example.org/tt-rss/api/"),
        ("https://rss.example.org/api/?x=1", "https://rss.example.org/api/"),
    ],
)
def test_the_api_address(given: str, endpoint: str) -> None:
    assert api_url(given) == endpoint


def test_hashed_guids_match_nothing_and_real_ones_are_kept() -> None:
    assert guid_of('{"ver":2,"uid":"2","hash":"SHA1:ab"}') == ""
    assert guid_of("SHA1:5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8") == ""
    assert guid_of("tag:blog.example.org,2024:1") == "tag:blog.example.org,2024:1"
    assert guid_of(None) == ""


@pytest.mark.parametrize(
    ("cursor", "parsed"),
    [("", (0, 0, 0)), ("42", (42, 0, 42)), ("7/400/90", (7, 400, 90)), ("x/1", (0, 0, 0))],
)
def test_cursors(cursor: str, parsed: tuple[int, int, int]) -> None:
    assert parse_cursor(cursor) == parsed


def test_an_article_and_a_malformed_one() -> None:
    article = article_of(
        {"id": 5, "feed_id": "3", "title": "Grüße", "updated": 1700000000, "unread": True,
         "marked": False, "link": "https://b.example.org/5", "content": "<p>x</p>"}
    )  # fmt: skip
    assert (article.id, article.feed_id, article.published, article.unread) == (
        "5", "3", 1700000000.0, True,
    )  # fmt: skip
    assert article_of({"id": 6, "updated": "gestern"}).published == 0.0
    headline = article_of({"id": 7, "comments_link": "https://b.example.org/7#comments"})
    assert headline.comments_url == "https://b.example.org/7#comments"
    assert article_of({"id": 8, "comments": "https://b.example.org/8#c"}).comments_url
    with pytest.raises(SyncError, match="without an id"):
        article_of(["not", "an", "article"])


def test_errors_by_their_code() -> None:
    assert isinstance(error_of("tt-rss getFeeds", "NOT_LOGGED_IN"), NotLoggedIn)
    assert isinstance(error_of("tt-rss login", "LOGIN_ERROR"), AuthFailed)
    assert "Enable API access" in error_of("tt-rss login", "API_DISABLED").message
    assert error_of("tt-rss x", "<b>INCORRECT_USAGE</b>\n").message.startswith("tt-rss x: ")
