"""Names that look like other names: invisible characters and confusable letters (Unicode TR39).

A commenter can call themselves `Anna` + ZERO WIDTH SPACE, or `Аnna` with a Cyrillic `А`, and be
shown exactly like the post's author `Anna`. These functions tell; the "(author)" and "(you)"
marks themselves rest on the identity a provider gives, never on a name.

`skeleton` follows TR39's algorithm (NFD, drop default-ignorable characters, map every character
to its prototype, NFD again) with a compact table instead of the full `confusables.txt`: NFKD in
place of the first NFD covers fullwidth forms, mathematical alphanumerics, ligatures and
super/subscripts, and a hand list covers the letters of Cyrillic, Greek, Armenian and Cherokee
(and a few Latin and digit pairs: `I l 1 |`, `O 0`, `rn m`) that look like Latin ones. Why not a
library: `confusable-homoglyphs` ships the data but no skeleton, loads a large JSON file, and was
last released in 2024; the threat here is a name passing for a Latin-script one, which the table
covers in about 150 entries that load instantly. Look-alikes within other scripts (Cyrillic for
Cyrillic, CJK) are not covered.
"""

from __future__ import annotations

import re
import unicodedata

from blogtui.core.text.sanitize import VARIATION_SELECTORS

INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
"""Characters that show as nothing: zero-width space, joiners, word joiner, soft hyphen, BOM,
bidi controls, Hangul fillers, variation selectors, tag characters and the rest of TR39's
default-ignorable code points, as regex character-class ranges."""
_INVISIBLE = re.compile(f"[{INVISIBLE}{VARIATION_SELECTORS}]+")
_SPACES = re.compile(r"\s+")

# Prototype (the Latin look-alike) of each confusable character, after NFKC.
_PROTOTYPES = str.maketrans(
    {
        # Latin and digits that look alike
        "I": "l", "1": "l", "|": "l", "ǀ": "l", "ı": "i", "0": "O", "ɑ": "a", "ɡ": "g",
        "ʏ": "y", "ɩ": "i", "ʟ": "L", "ɴ": "N", "ʀ": "R", "ʜ": "H", "ᴋ": "K", "ᴍ": "M",
        "ꓲ": "l", "ꓳ": "O", "ꓴ": "U",
        # Cyrillic
        "А": "A", "В": "B", "Е": "E", "З": "3", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "l", "Ј": "J",
        "Ү": "Y", "Ԁ": "d", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "l", "Ь": "b",
        "а": "a", "в": "B", "е": "e", "к": "K", "м": "M", "н": "H", "о": "o", "р": "p",
        "с": "c", "т": "T", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
        "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ɛ": "e", "ѵ": "v", "ь": "b",
        "ꙇ": "i",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
        "α": "a", "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "υ": "u", "χ": "x", "γ": "y",
        "ϲ": "c", "ϳ": "j", "κ": "K", "τ": "T",
        # Armenian
        "Օ": "O", "Ս": "U", "Լ": "L", "Տ": "S", "օ": "o", "ո": "n", "ս": "u", "ց": "g",
        "հ": "h", "զ": "q", "ա": "w", "ք": "p", "ւ": "l", "յ": "j",
        # Cherokee capitals
        "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮐ": "G", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K",
        "Ꮮ": "L", "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S", "Ꭲ": "T", "Ꮃ": "W", "Ꮓ": "Z", "Ꮩ": "V",
        # Multi-letter look-alikes
        "m": "rn",
    }
)  # fmt: skip


def _without_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def visible_form(name: str) -> str:
    """`name` as it shows: NFC, invisible characters removed, whitespace folded to single spaces
    and stripped."""
    visible = _without_invisible(unicodedata.normalize("NFC", name or ""))
    return _SPACES.sub(" ", visible).strip()


def name_is_suspicious(name: str) -> bool:
    """True when `name` holds invisible characters (removing them changed it)."""
    composed = unicodedata.normalize("NFC", name or "")
    return _without_invisible(composed) != composed


def skeleton(name: str) -> str:
    """The TR39 skeleton of `name` (see the module docstring for the table): two names with the
    same skeleton look alike. Whitespace is folded as in `visible_form`."""
    decomposed = unicodedata.normalize("NFKD", _without_invisible(name or ""))
    mapped = unicodedata.normalize("NFD", decomposed.translate(_PROTOTYPES))
    return _SPACES.sub(" ", mapped).strip()


def looks_like(a: str, b: str) -> bool:
    """True when `a` and `b` differ but look alike (their skeletons are equal)."""
    return a != b and skeleton(a) == skeleton(b)
