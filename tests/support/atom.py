"""Small Atom documents for feed tests: `atom(entries)` wraps entries made by `entry` in a feed
with a feed-level author (and the media: namespace declared)."""

from __future__ import annotations


def atom(entries: str) -> bytes:
    """An Atom feed holding `entries` (XML text), its author "Owner"."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/"><title>Atom</title><id>urn:f</id>'
        f"<author><name>Owner</name></author>{entries}</feed>"
    ).encode()


def entry(entry_id: str, title: str, link: str = "", extra: str = "") -> str:
    """One entry: its id, title, an optional link and any further XML."""
    href = f'<link href="{link}"/>' if link else ""
    return f"<entry><id>{entry_id}</id><title>{title}</title>{href}{extra}</entry>"
