"""The one way untrusted text reaches the screen: sanitised, then spelt for the terminal."""

from __future__ import annotations

import codecs
import functools
import sys
import time

from rich.text import Text

from blogtui.core.text.clip import ELLIPSIS, clip
from blogtui.core.text.sanitize import clean, transliterate

PRECUT = 64
"""Characters of raw text read per grapheme of a limit (cleaning drops what is invisible)."""


@functools.cache
def terminal_encoding() -> str:
    """The output encoding's canonical name, e.g. "utf-8" or "ascii" under LANG=C."""
    stream = sys.__stdout__ or sys.stdout
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def display(
    text: object, *, multiline: bool = False, limit: int | None = None, cells: int | None = None
) -> str:
    """Return `text` cleaned by the sanitiser, readable in the terminal's encoding and clipped.

    `limit` caps graphemes and cells alike (a title of 30,000 characters, 800 Zalgo graphemes or
    a row of wide characters never reaches a widget whole); `cells` caps cells alone, tighter.
    A clipped text ends in "…".
    """
    raw = "" if text is None else text if isinstance(text, str) else str(text)
    bound = None if limit is None else limit * PRECUT + 1024
    cut = bound is not None and len(raw) > bound
    value = clean(raw[:bound] if cut else raw, multiline=multiline)
    encoding = terminal_encoding()
    if not encoding.startswith("utf"):
        value = transliterate(value, encoding)
    if limit is None and cells is None:
        return value
    budget = limit if cells is None else cells if limit is None else min(limit, cells)
    clipped = clip(value, graphemes=limit, cells=budget)
    if not cut or clipped != value:
        return clipped
    # What was read fits, but the rest was never read: it still ends in "…".
    shorter = clip(value, graphemes=_less(limit), cells=_less(budget))
    return shorter if shorter.endswith(ELLIPSIS) else shorter + ELLIPSIS


def _less(budget: int | None) -> int | None:
    return None if budget is None else max(1, budget - 1)


def display_text(
    text: object,
    style: str = "",
    *,
    multiline: bool = False,
    limit: int | None = None,
    cells: int | None = None,
) -> Text:
    """`display(text)` as a Rich Text: never parsed as markup."""
    return Text(display(text, multiline=multiline, limit=limit, cells=cells), style=style, end="")


def glyph(symbol: str, fallback: str) -> str:
    """`symbol` when the terminal can show it, else the ASCII `fallback`."""
    try:
        symbol.encode(terminal_encoding())
    except (UnicodeEncodeError, LookupError):
        return fallback
    return symbol


def format_date(timestamp: float | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp in local time, or "" when unknown."""
    if timestamp is None:
        return ""
    try:
        return time.strftime(pattern, time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""
