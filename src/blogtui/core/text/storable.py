"""What may be stored as text: the store's one filter for everything it writes.

Some characters are not text: NUL (it ends a C string, and with it the text in many SQLite tools),
the other C0 controls but tab, line feed and carriage return (form feed, bell, ESC…), the 66
Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, U+nFFFE, U+nFFFF) and lone surrogates (half
a UTF-16 pair: SQLite cannot even encode them). This is XML 1.0's rule for characters, plus the
noncharacters. A malformed feed still delivers them (feedparser's loose parser, numeric
references), so the store removes them from every string it writes; `storable` is that filter.
Surrogate pairs that arrive as two halves are joined into the character they encode; a lone half
becomes U+FFFD. Everything else (any script, any symbol, C1 controls, bidi controls) is stored as
it came: the display sanitiser (`sanitize.clean`) deals with what must not reach a terminal.
"""

from __future__ import annotations

import re

# Candidates, in one cheap character class: C0 controls but tab, LF and CR; surrogates; the BMP
# noncharacters; and every code point from U+1FFFE on (planes 2-16 are rare; the noncharacters
# among them are told apart in Python). A class listing the 32 astral noncharacters one by one
# makes `re` ten times slower on every article.
_CLASS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
_CANDIDATE = re.compile(_CLASS)  # searching for one is three times faster than for a run
_CANDIDATES = re.compile(f"{_CLASS}+")
_SURROGATES = re.compile("[\ud800-\udfff]+")


def _is_not_text(char: str) -> bool:
    code = ord(char)
    return code <= 0xFFFF or code & 0xFFFE == 0xFFFE


def _join_surrogates(match: re.Match[str]) -> str:
    """Pairs as the characters they encode, lone halves as U+FFFD."""
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _keep_text(match: re.Match[str]) -> str:
    return "".join(char for char in match.group() if not _is_not_text(char))


def is_text(text: str) -> bool:
    """True when `text` is surely stored as it is (`storable` would return it unchanged); a
    False may still be text (characters from plane 2 on are checked by `storable`)."""
    return _CANDIDATE.search(text) is None


def storable(text: str) -> str:
    """`text` without the characters that are not text (see the module docstring); idempotent."""
    first = _CANDIDATE.search(text)
    if first is None:  # nearly all text: one scan in C
        return text
    for match in _CANDIDATE.finditer(text, first.start()):
        if _is_not_text(match.group()):
            break
    else:
        return text
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(_join_surrogates, text)
    return _CANDIDATES.sub(_keep_text, text)
