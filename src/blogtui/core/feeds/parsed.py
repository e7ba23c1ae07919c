"""What parsing a feed body gives, whatever its format (RSS, Atom, RDF or JSON Feed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from blogtui.core.models import EntryData

MAX_ENTRIES = 2000
"""At most this many entries are kept from one feed, whatever its format (the first ones,
newest in practice)."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed: its title and site, its entries, and why it was malformed, if it was."""

    title: str
    site_url: str
    entries: list[EntryData] = field(default_factory=list)
    malformed: str = ""
    """What was wrong with a broken document whose entries were still read ("" if nothing)."""
    api_root: str = ""
    """The WordPress REST root announced in a `Link: <...>; rel="https://api.w.org/"` header."""
    encoding: str = ""
    """The character encoding the document was read in, and what decided it."""
    next_url: str = ""
    """A JSON Feed's next page (`next_url`), resolved; "" for none."""
