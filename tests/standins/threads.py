"""Thread shapes for the stand-ins: German text, deep nesting, a known parent for every comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WORDS = (
    "Grüße aus München",
    "Straße",
    "Übermäßig schön",
    "Größenwahn",
    "Äpfel und Öl",
    "Fußgängerübergänge",
    "„Anführungszeichen“",
    "weiß",
)


@dataclass(frozen=True)
class Item:
    """One comment of a generated thread: its number, its parent's (0: top level), its text."""

    number: int
    parent: int
    author: str
    text: str


def german_thread(count: int, depth: int = 12) -> list[Item]:
    """`count` comments: a chain `depth` deep from the first, then a mix of replies and new
    top-level comments, every text German (umlauts, ß, typographic quotes)."""
    items: list[Item] = []
    for number in range(1, count + 1):
        if number <= depth:
            parent = number - 1
        elif number % 3 == 0:
            parent = 0
        else:
            parent = (number * 7) % (number - 1) + 1
        word = WORDS[number % len(WORDS)]
        items.append(
            Item(
                number,
                parent,
                f"Jürgen Müßig {number % 17}",
                f"<p>{word}: Kommentar Nr. {number} über Käse &amp; Brötchen.</p>",
            )
        )
    return items


def tree_of(items: list[Item], offset: int = 0) -> set[tuple[str, str]]:
    """The source's own tree as (key, parent key) pairs, keys being number + `offset`."""
    return {(str(i.number + offset), str(i.parent + offset) if i.parent else "") for i in items}


def pairs(comments: list[Any]) -> set[tuple[str, str]]:
    """A provider's comments as (key, parent key) pairs, to compare with `tree_of`."""
    return {(c.key, c.parent_key) for c in comments}
