"""Where an article opens: never at an id that is no web address (`tag:`, `urn:`), at its
media:player when it has no link, at its web alternate before a gemini: one. Small feeds written
for each rule."""

from __future__ import annotations

from support.atom import atom, entry

from blogtui.core.feeds.parse import parse_feed

URL = "http://blog.example/feed/"


def test_an_id_is_no_link_unless_it_is_a_web_address():
    entries = parse_feed(
        atom(entry("tag:blog.example,2024:/7", "Tag id") + entry("http://blog.example/8", "Web")),
        URL,
    ).entries
    assert [e.link for e in entries] == ["", "http://blog.example/8"]
    assert entries[0].key == "tag:blog.example,2024:/7"


def test_an_entry_without_link_opens_at_its_media_player():
    player = '<media:player url="http://video.example/watch/1"/>'
    (only,) = parse_feed(atom(entry("tag:blog.example,2024:/9", "Clip", extra=player)), URL).entries
    assert only.link == "http://video.example/watch/1"
    assert only.key == "tag:blog.example,2024:/9"  # identity unchanged


def test_the_web_alternate_wins_over_other_schemes():
    links = (
        '<link rel="alternate" type="text/gemini" href="gemini://capsule.example/post"/>'
        '<link rel="alternate" type="text/html" href="http://blog.example/post"/>'
    )
    body = atom(f"<entry><id>urn:p</id><title>P</title>{links}</entry>")
    (only,) = parse_feed(body, URL).entries
    assert only.link == "http://blog.example/post"


def test_an_rss_item_without_link_opens_at_its_media_player():
    body = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        b"<channel><title>R</title><item><guid isPermaLink='false'>x-1</guid><title>T</title>"
        b'<media:player url="http://video.example/watch/2"/></item></channel></rss>'
    )
    (only,) = parse_feed(body, URL).entries
    assert only.link == "http://video.example/watch/2"
