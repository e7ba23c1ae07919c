"""The one way untrusted text reaches the screen: sanitised, then spelt for the terminal."""

from __future__ import annotations

import codecs
import functools
import sys

from rich.text import Text

from blogtui.core.text.sanitize import clean, transliterate


@functools.cache
def terminal_encoding() -> str:
    """The output encoding's canonical name, e.g. "utf-8" or "ascii" under LANG=C."""
    stream = sys.__stdout__ or sys.stdout
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def display(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Return `text` cleaned by the sanitiser and readable in the terminal's encoding."""
    value = clean(text, multiline=multiline, limit=limit)
    encoding = terminal_encoding()
    if encoding.startswith("utf"):
        return value
    return transliterate(value, encoding)


def display_text(
    text: object, style: str = "", *, multiline: bool = False, limit: int | None = None
) -> Text:
    """`display(text)` as a Rich Text: never parsed as markup."""
    return Text(display(text, multiline=multiline, limit=limit), style=style, end="")


def glyph(symbol: str, fallback: str) -> str:
    """`symbol` when the terminal can show it, else the ASCII `fallback`."""
    try:
        symbol.encode(terminal_encoding())
    except (UnicodeEncodeError, LookupError):
        return fallback
    return symbol
