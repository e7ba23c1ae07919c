"""The files an item carries, listed after its body as links.

RSS <enclosure>, Atom rel="enclosure" links and media:content (as feedparser reads them) and JSON
Feed attachments become one "Attachments:" list: each file named by its title or file name, with
its type, size and duration; only web addresses, each once, none the body already links.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from blogtui.core.feeds import fields
from blogtui.core.feeds.fields import stripped
from blogtui.core.text.sanitize import clean

MAX_ATTACHMENTS = 20
"""Files of one item listed."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an item carries (RSS enclosure, Atom rel="enclosure" link, media:content, JSON
    Feed attachment), its address already absolute."""

    url: str
    title: str = ""
    mime_type: str = ""
    size: float | None = None
    """Bytes."""
    seconds: float | None = None


def attachments_html(attachments: Iterable[Attachment], body: str = "") -> str:
    """An item's attachments as a list of links to append to its body ("Attachments:", each
    named by its title or file name, with its type, size and duration): the first of each
    address, none that the body already shows or links."""
    rows: list[str] = []
    seen: set[str] = set()
    for item in attachments:
        if (
            not fields.is_web(item.url)
            or item.url in seen
            or item.url in body
            or html.escape(item.url) in body
        ):
            continue
        seen.add(item.url)
        name = clean(item.title, limit=300) or item.url.rsplit("/", 1)[-1] or item.url
        facts = [clean(item.mime_type, limit=100)]
        if item.size is not None and item.size >= 0:
            size = item.size
            facts.append(f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:.0f} bytes")
        if item.seconds is not None and item.seconds >= 0:
            facts.append(f"{int(item.seconds) // 60}:{int(item.seconds) % 60:02d}")
        detail = ", ".join(fact for fact in facts if fact)
        rows.append(
            f'<li><a href="{html.escape(item.url)}">{html.escape(name)}</a>'
            + (f" ({html.escape(detail)})" if detail else "")
            + "</li>"
        )
    return f"<p>Attachments:</p><ul>{''.join(rows)}</ul>" if rows else ""


def _dicts(entry: Any, key: str) -> list[dict[str, Any]]:
    """The dicts feedparser listed under `key` of an entry."""
    found = dict.get(entry, key)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _amount(value: Any) -> float | None:
    """A byte count or duration as a feed writes it ("12345"), else None."""
    try:
        amount = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return amount if 0 <= amount < 2**63 else None


def of_entry(entry: Any, base: str, restore: Callable[[str], str] = str) -> list[Attachment]:
    """A feedparser entry's enclosures (RSS <enclosure>, Atom rel="enclosure"), then its
    media:content files, their addresses resolved against `base`. `restore` puts back what the
    parse shield hid in a title."""
    found: list[Attachment] = []
    for enclosure in _dicts(entry, "links"):  # feedparser's `enclosures` are derived from these
        if dict.get(enclosure, "rel") != "enclosure":
            continue
        url = fields.absolute(base, stripped(dict.get(enclosure, "href")))
        title = restore(stripped(dict.get(enclosure, "title")))
        kind = stripped(dict.get(enclosure, "type"))
        found.append(Attachment(url, title, kind, _amount(dict.get(enclosure, "length"))))
    for media in _dicts(entry, "media_content"):
        url = fields.absolute(base, stripped(dict.get(media, "url")))
        kind = stripped(dict.get(media, "type")) or stripped(dict.get(media, "medium"))
        size, seconds = _amount(dict.get(media, "filesize")), _amount(dict.get(media, "duration"))
        found.append(Attachment(url, "", kind, size, seconds))
    return found[:MAX_ATTACHMENTS]
