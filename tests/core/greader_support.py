"""Helpers for the Google Reader API tests: a seeded stand-in and a backend for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from standins.greader import GFeed, GReaderStandIn

from blogtui.core.sync.base import Account
from blogtui.core.sync.greader import GReaderBackend

START = 1_709_280_000
"""2024-03-01 08:00 UTC: the first item's publication time."""


def seed(standin: GReaderStandIn, per_feed: int = 30) -> list[GFeed]:
    """Three feeds (two in folders, one in none), `per_feed` items each an hour apart; the
    first item of each feed is read, the second starred."""
    feeds = [
        standin.add_feed("https://typografie.example.org/feed.xml", "Über Typografie", "Sprache"),
        standin.add_feed("https://technik.example.org/atom", "Technik-Tagebuch", "Technik"),
        standin.add_feed("https://kueche.example.org/rss", "Kleines Küchenblog"),
    ]
    for number, feed in enumerate(feeds):
        for n in range(1, per_feed + 1):
            published = START + 3600 * (n * len(feeds) + number)
            standin.add_item(feed, n, published, read=n == 1, starred=n == 2)
    return feeds


def backend_for(standin: GReaderStandIn, password: str | None = None) -> GReaderBackend:
    account = Account("leser", "greader", standin.base_url, standin.user)
    return GReaderBackend(account, standin.password if password is None else password)


@pytest.fixture(name="greader")
def greader_standin() -> Iterator[GReaderStandIn]:
    """A seeded stand-in on 127.0.0.1, closed after the test."""
    standin = GReaderStandIn()
    seed(standin)
    try:
        yield standin
    finally:
        standin.close()
