"""The one sanitiser for every string that came from the network, the database or a file.

Whatever passes through `clean` can reach a widget or stdout: no C0/C1 control (ESC shows as a
visible ␛), no bidi or other format character, no tag character, no surrogate or noncharacter,
at most a few combining marks (of any script: Unicode categories Mn, Me, Mc) per character, at
most one variation selector in a row, no floods of blank lines. Its result is NFC (composed
characters carry fewer marks, and what shows the same is the same string), and `clean` is
idempotent.
"""

from __future__ import annotations

import re
import unicodedata

from blogtui.core.text.tables import BMP_MARKS

ESCAPE_SYMBOL = "\u241b"
"""What an ESC byte shows as."""

MAX_COMBINING = 4
"""Combining marks (variation selectors included) kept on one base character."""

# Every Cc and Cf character of the Unicode version Python ships (a test compares against
# unicodedata), the whole tag block, surrogates, and the line/paragraph separators (turned into
# newlines).
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
"""The 66 Unicode noncharacters, as regex character-class ranges."""
VARIATION_SELECTORS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
"""Variation selectors, as regex character-class ranges."""
# The astral noncharacters are left out of this class (listing them makes `re` five times slower
# on every text) and found through one cheap range instead (`_drop_astral_noncharacters`).
_UNWANTED_CLASS = f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_FORMAT}\ufdd0-\ufdef\ufffe\uffff]"
_HIGH_PLANES = re.compile("[\U0001fffe-\U0010ffff]+")
_ANY_UNWANTED = re.compile(_UNWANTED_CLASS)  # searching for one is faster than for a run
_UNWANTED = re.compile(f"{_UNWANTED_CLASS}+")
_SELECTOR_RUN = re.compile(f"([{VARIATION_SELECTORS}])[{VARIATION_SELECTORS}]+")
# Runs that may hold more than MAX_COMBINING marks: BMP marks and any astral character (one range
# keeps `re` fast); `_cap_marks` then looks at them one by one.
_MARK_RUN = re.compile(f"[{BMP_MARKS}\U00010000-\U0010ffff]{{{MAX_COMBINING + 1},}}")
_MARK_CATEGORIES = frozenset({"Mn", "Me", "Mc"})
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_FLOOD = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


def _replace_unwanted(match: re.Match[str]) -> str:
    return ESCAPE_SYMBOL * match.group().count("\x1b")


def _drop_astral_noncharacters(match: re.Match[str]) -> str:
    return "".join(char for char in match.group() if ord(char) & 0xFFFE != 0xFFFE)


def _cap_marks(match: re.Match[str]) -> str:
    """The run with at most MAX_COMBINING marks in a row."""
    kept: list[str] = []
    marks = 0
    for char in match.group():
        if unicodedata.category(char) in _MARK_CATEGORIES:
            marks += 1
            if marks > MAX_COMBINING:
                continue
        else:
            marks = 0
        kept.append(char)
    return "".join(kept)


def clean(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Make untrusted `text` safe to show.

    Args:
        text: Anything; None becomes "".
        multiline: Keep line breaks (collapsing floods); otherwise fold all whitespace to spaces.
        limit: Cut to at most this many characters, ending in "…".
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    if "\r" in value or "\u2028" in value or "\u2029" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    if not multiline:
        value = value.replace("\t", " ").replace("\n", " ")
    if _ANY_UNWANTED.search(value):
        value = _UNWANTED.sub(_replace_unwanted, value)
    if not value.isascii():
        value = _HIGH_PLANES.sub(_drop_astral_noncharacters, value)
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        value = _MARK_RUN.sub(_cap_marks, _SELECTOR_RUN.sub(r"\1", value))
    if multiline:
        value = _BLANK_FLOOD.sub("\n\n", _TRAILING_SPACE.sub("\n", value)).strip("\n")
    else:
        value = _WHITESPACE.sub(" ", value).strip()
    if limit is not None and len(value) > limit:
        value = value[: max(limit - 1, 0)].rstrip() + "…"
    return value


_READABLE = {
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
    "„": '"', "“": '"', "”": '"', "‟": '"', "«": '"', "»": '"', "‚": "'", "‘": "'", "’": "'",
    "‹": "'", "›": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "…": "...",
    "\u00a0": " ", "•": "*", "·": "*", "€": "EUR", "©": "(c)", "®": "(R)", "™": "(TM)",
    "→": "->", "←": "<-", "⇒": "=>", "×": "x", "½": "1/2", "¼": "1/4", "¾": "3/4",
    ESCAPE_SYMBOL: "^[",
}  # fmt: skip


def transliterate(text: str, encoding: str = "ascii") -> str:
    """Spell `text` readably in a narrow `encoding` (ä -> ae, „ -> "), for non-UTF-8 terminals."""
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        if char in _READABLE:
            out.append(_READABLE[char])
            continue
        base = unicodedata.normalize("NFKD", char)
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        try:
            stripped.encode(encoding)
            out.append(stripped or "?")
        except (UnicodeEncodeError, LookupError):
            out.append("?")
    return "".join(out)
