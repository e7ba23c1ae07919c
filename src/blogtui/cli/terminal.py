"""Readable output where the locale is not UTF-8 (`LANG=C` with Python's UTF-8 mode off).

Arguments: Python decodes them as ASCII there, keeping other bytes as lone surrogates (what
would print as `J\\udcc3\\udcbcrgen`); `utf8_arguments` decodes them as UTF-8, what terminals
send, and `local_path` turns one back into the file system's spelling for a path.

The reader: Textual writes the screen to stderr, whose ASCII encoding there writes each border
character as `\\u256d`, which also breaks the layout. While the reader runs, `ascii_screen` has
stderr spell what its encoding cannot show in ASCII of the same width: box drawing as `+ - |`,
block elements as `# _ |`, arrows and bullets as `> v *`, other characters as their base letter,
or `?` per cell. (The reader's own text is already spelled for the terminal by ui/display.py.)
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from blogtui.core.text.clip import char_width

ERRORS = "blogtui-ascii"
"""The codec error handler `ascii_screen` registers."""

_GLYPHS = {
    "…": ".", "·": ".", "•": "*", "●": "*", "○": "o", "◆": "*", "◇": "o", "■": "#", "□": "o",
    "▲": "^", "▼": "v", "▶": ">", "◀": "<", "▸": ">", "◂": "<", "▴": "^", "▾": "v",
    "→": ">", "←": "<", "↑": "^", "↓": "v", "↳": ">", "⇒": ">", "✓": "v", "✔": "v", "✗": "x",
    "✘": "x", "×": "x", "—": "-", "–": "-", "‐": "-", "−": "-", "“": '"', "”": '"', "„": '"',
    "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‹": "<", "›": ">", "\u00a0": " ",
    "␛": "^", "⏎": "<", "↵": "<",
}  # fmt: skip
"""One-cell characters Textual and blogtui draw, and their one-character ASCII stand-ins."""


def _box(name: str) -> str:
    """The ASCII stand-in of a BOX DRAWINGS character, by its Unicode name."""
    if "DIAGONAL" in name:
        return "X" if "CROSS" in name else "/" if "UPPER RIGHT" in name else "\\"
    if " AND " in name or " ARC " in name:
        return "+"
    if "HORIZONTAL" in name or name.endswith((" LEFT", " RIGHT")):
        return "-"
    return "|"


def _block(name: str) -> str:
    """The ASCII stand-in of a block element, by its Unicode name."""
    if "SHADE" in name:
        return "." if "LIGHT" in name else ":" if "MEDIUM" in name else "#"
    if name.startswith(("LOWER ONE EIGHTH", "LOWER ONE QUARTER", "LOWER THREE EIGHTHS")):
        return "_"
    if name.startswith("UPPER ONE EIGHTH"):
        return "-"
    if ("LEFT" in name or "RIGHT" in name) and "QUADRANT" not in name:
        return "|"
    return "#"


def ascii_glyph(char: str) -> str:
    """ASCII as wide as `char` on a terminal (zero, one or two cells) that looks like it."""
    width = char_width(char)
    if width == 0:
        return ""
    if width == 1 and char in _GLYPHS:
        return _GLYPHS[char]
    name = unicodedata.name(char, "")
    if width == 1 and name.startswith("BOX DRAWINGS "):
        return _box(name)
    if width == 1 and 0x2580 <= ord(char) <= 0x259F:
        return _block(name)
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(base) == width and base.isascii() and base.isprintable():
        return base
    return "?" * width


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unshown = error.object[error.start : error.end]
    return "".join(ascii_glyph(char) for char in unshown), error.end


def _is_utf(stream: TextIO) -> bool:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
    except LookupError:
        return False


@contextmanager
def ascii_screen(stream: TextIO | None) -> Iterator[None]:
    """While inside, `stream` (the reader's stderr) writes what its encoding cannot show as
    ASCII of the same width; nothing changes on a UTF-8 stream."""
    reconfigure = getattr(stream, "reconfigure", None)
    if stream is None or reconfigure is None or _is_utf(stream):
        yield
        return
    codecs.register_error(ERRORS, _replace)
    previous = stream.errors
    reconfigure(errors=ERRORS)
    try:
        yield
    finally:
        stream.flush()
        reconfigure(errors=previous)


def utf8_arguments(arguments: Sequence[str]) -> list[str]:
    """`arguments` with bytes that a non-UTF-8 locale kept as surrogates decoded as UTF-8
    (what the terminal sent); an argument that is not UTF-8 stays as it was."""
    fixed = []
    for argument in arguments:
        if any("\udc80" <= char <= "\udcff" for char in argument):
            try:
                argument = os.fsencode(argument).decode("utf-8")
            except (UnicodeError, ValueError):
                pass
        fixed.append(argument)
    return fixed


def local_path(argument: str) -> Path:
    """A path argument in the file system's own spelling (the inverse of `utf8_arguments`)."""
    try:
        return Path(os.fsdecode(argument.encode("utf-8", "surrogateescape")))
    except UnicodeError:
        return Path(argument)
