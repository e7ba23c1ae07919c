"""Clipping text by grapheme clusters and terminal cells, without Textual or Rich.

Titles of 30,000 characters or 800 Zalgo graphemes are clipped here, before they reach a widget.

Grapheme clusters are approximated (not the full rules of UAX #29): a cluster is one base
character followed by any combining marks (Mn, Me, Mc), variation selectors, emoji skin-tone
modifiers, and characters joined to it by ZERO WIDTH JOINER; two regional indicators pair into one
flag; CR LF is one cluster. Hangul jamo sequences count one cluster per jamo (rare on the web,
where Hangul comes precomposed).

Cell widths follow the usual terminal (wcwidth) rules: East Asian Wide and Fullwidth characters
take two cells; combining marks, format characters and variation selectors none; everything else
one (Rich, which Textual measures with, agrees or counts less: a test checks). Where terminals
disagree (emoji presentation, unjoined emoji sequences), the wider answer is taken, so a clip never
overflows its budget.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

ELLIPSIS = "…"
"""What a clipped text ends with."""

_ZWJ = "\u200d"
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me"})
_INVISIBLE_FORMAT = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Wide since Unicode 16 (Python 3.11's unicodedata knows Unicode 14; Rich already counts them 2).
_NEWER_WIDE = ((0x2630, 0x2637), (0x268A, 0x268F), (0x4DC0, 0x4DFF), (0x1D300, 0x1D376))
_EXTENDING_CATEGORIES = frozenset({"Mn", "Me", "Mc"})
_WIDE = frozenset({"W", "F"})


def _extends(char: str) -> bool:
    """True when `char` continues the cluster before it (marks, selectors, skin tones)."""
    code = ord(char)
    if 0x1F3FB <= code <= 0x1F3FF or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return code >= 0x300 and unicodedata.category(char) in _EXTENDING_CATEGORIES


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def grapheme_clusters(text: str) -> Iterator[str]:
    """The grapheme clusters of `text`, in order (approximated: see the module docstring)."""
    length, start = len(text), 0
    while start < length:
        end = start + 1
        if text[start] == "\r" and text[end : end + 1] == "\n":
            end += 1
        elif _regional(text[start]) and end < length and _regional(text[end]):
            end += 1
        while end < length:
            char = text[end]
            if _extends(char):
                end += 1
            elif char == _ZWJ:
                end += 2 if end + 1 < length and text[end + 1] not in "\r\n" else 1
            else:
                break
        yield text[start:end]
        start = end


def char_width(char: str) -> int:
    """Terminal cells one character takes (0, 1 or 2)."""
    code = ord(char)
    if code < 0x300:
        return 1 if code >= 0x20 and not 0x7F <= code < 0xA0 else 0
    if 0x1160 <= code <= 0x11FF or char in _INVISIBLE_FORMAT or 0xFE00 <= code <= 0xFE0F:
        return 0  # Hangul medial vowels and final consonants join the syllable before them
    if unicodedata.east_asian_width(char) in _WIDE:
        return 2
    if 0x2630 <= code <= 0x1D376 and any(low <= code <= high for low, high in _NEWER_WIDE):
        return 2
    if unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 1


def cluster_width(cluster: str) -> int:
    """Cells one grapheme cluster takes: the sum of its characters' widths (a terminal that does
    not join an emoji sequence shows each part), and at least two for an emoji presentation
    (VARIATION SELECTOR-16) or a flag."""
    width = sum(char_width(char) for char in cluster)
    if len(cluster) > 1 and ("\ufe0f" in cluster or _regional(cluster[0])):
        return max(width, 2)
    return width


def cell_width(text: str) -> int:
    """Terminal cells `text` takes on one line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(cluster_width(cluster) for cluster in grapheme_clusters(text))


def clip(text: str, *, graphemes: int | None = None, cells: int | None = None) -> str:
    """`text` cut to at most `graphemes` clusters and `cells` terminal cells, ending in "…" when
    cut (the "…" counts: it takes one cluster and one cell). Whole clusters only: a base character
    never loses its marks. None means no limit on that measure.

    The work is bounded by what is kept, not by the length of `text`.
    """
    if graphemes is None and cells is None:
        return text
    cluster_budget = graphemes if graphemes is not None else len(text) + 1
    cell_budget = cells if cells is not None else 2 * len(text) + 2
    if cluster_budget <= 0 or cell_budget <= 0:
        return ""
    kept: list[str] = []
    used = 0
    for cluster in grapheme_clusters(text):
        width = cluster_width(cluster)
        if len(kept) + 1 > cluster_budget or used + width > cell_budget:
            return _with_ellipsis(kept, used, cluster_budget, cell_budget)
        kept.append(cluster)
        used += width
    return text


def _with_ellipsis(kept: list[str], used: int, cluster_budget: int, cell_budget: int) -> str:
    """The kept clusters, shortened until "…" fits after them within both budgets."""
    while kept and (len(kept) + 1 > cluster_budget or used + 1 > cell_budget):
        used -= cluster_width(kept.pop())
    while kept and kept[-1].isspace():
        used -= cluster_width(kept.pop())
    return "".join(kept) + ELLIPSIS
