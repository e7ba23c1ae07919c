"""The sanitiser: nothing from the network reaches the terminal as a control sequence."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogtui.core.text.sanitize import ESCAPE_SYMBOL, MAX_COMBINING, clean, transliterate
from blogtui.core.text.tables import BMP_MARKS

FORBIDDEN = {"Cc", "Cf", "Cs"}


def forbidden(text: str, multiline: bool) -> list[str]:
    allowed = {"\n", "\t"} if multiline else set()
    return [c for c in text if unicodedata.category(c) in FORBIDDEN and c not in allowed]


def test_every_control_and_format_character_is_removed():
    bad = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in FORBIDDEN]
    assert len(bad) > 150
    sample = "x".join(bad)
    assert forbidden(clean(sample, multiline=True), True) == []
    assert forbidden(clean(sample), False) == []


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        ("\x1b]0;evil title\x07Hallo", "␛]0;evil titleHallo"),
        ("\x1b]52;c;SGVsbG8=\x07x", "␛]52;c;SGVsbG8=x"),
        ("\x1b[2J\x1b[H", "␛[2J␛[H"),
        ("\x9b31m C1 CSI", "31m C1 CSI"),
        ("abc\u202edcba", "abcdcba"),
        ("tag\U000e0041\U000e0042s", "tags"),
        ("zero\u200bwidth", "zerowidth"),
        ("nul\x00bell\x07", "nulbell"),
    ],
)
def test_attacks(attack, expected):
    assert clean(attack) == expected


def test_escape_is_visible():
    assert ESCAPE_SYMBOL in clean("\x1b")


def test_combining_flood_is_capped():
    text = clean("Z" + "\u0336" * 500 + "algo")
    assert text == "Z" + "\u0336" * MAX_COMBINING + "algo"


def test_newline_floods_collapse_and_single_line_folds():
    assert clean("a\n\n\n\n\n b", multiline=True) == "a\n\n b"
    assert clean("a\r\n\tb\u2028c") == "a b c"


def test_limit():
    assert clean("abcdef", limit=4) == "abc…"
    assert clean(clean("abcdef", limit=4), limit=4) == "abc…"


def test_german_text_is_untouched():
    text = "„Grüße“ aus der Straße – ‚halb‘ … ẞ"
    assert clean(text) == text


@given(st.text(), st.booleans())
def test_clean_is_safe_and_idempotent(text, multiline):
    once = clean(text, multiline=multiline)
    assert forbidden(once, multiline) == []
    assert clean(once, multiline=multiline) == once


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_limit_is_idempotent(text, limit):
    once = clean(text, limit=limit)
    assert len(once) <= limit
    assert clean(once, limit=limit) == once


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("„Grüße“ aus Köln", "ascii", '"Gruesse" aus Koeln'),
        ("Straße – café", "ascii", "Strasse - cafe"),
        ("Grüße", "latin-1", "Grüße"),
        ("„Grüße“", "latin-1", '"Grüße"'),
        ("日本", "ascii", "??"),
    ],
)
def test_transliterate(text, encoding, expected):
    assert transliterate(text, encoding) == expected


def _mark_ranges() -> str:
    """The BMP combining marks as core.text.tables spells them, rebuilt from unicodedata."""
    ranges, start = [], None
    for code in range(0x10001):
        is_mark = code < 0x10000 and unicodedata.category(chr(code)) in ("Mn", "Me", "Mc")
        if is_mark and start is None:
            start = code
        if not is_mark and start is not None:
            end = code - 1
            ranges.append(chr(start) if start == end else f"{chr(start)}-{chr(end)}")
            start = None
    return "".join(ranges)


def test_the_mark_table_matches_this_pythons_unicode():
    rebuilt = _mark_ranges()
    assert BMP_MARKS == rebuilt, "regenerate core/text/tables.py: " + ascii(rebuilt)


@pytest.mark.parametrize(
    "mark",
    [
        "\u0336",  # Latin strike-through (was capped before)
        "\u0e49",  # Thai tone mark
        "\u05b0",  # Hebrew point
        "\u0f71",  # Tibetan vowel sign
        "\u302a",  # CJK tone mark
        "\u0903",  # Devanagari visarga (Mc)
        "\u20dd",  # enclosing circle (Me)
        "\U0001d167",  # musical combining mark, astral
        "\U000e0100",  # variation selector supplement
    ],
)
def test_combining_runs_of_every_script_are_capped(mark):
    text = clean("x" + mark * 800 + "y")
    assert text.startswith("x") and text.endswith("y")
    assert len(text) <= 2 + MAX_COMBINING


def test_variation_selector_floods_keep_one():
    assert clean("a" + "\ufe0f" * 500 + "b") == "a\ufe0fb"
    assert clean("♥" + "\ufe0e\ufe0f" * 250 + "!") == "♥\ufe0e!"
    assert clean("\u845b" + "\U000e0100" * 500) == "\u845b\U000e0100"
    assert clean("❤\ufe0f ok") == "❤\ufe0f ok"  # one selector, as emoji use it, stays


def test_tag_characters_and_noncharacters_are_dropped():
    flagged = "flag\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f!"
    assert clean(flagged) == "flag\U0001f3f4!"
    assert clean("a\U000e0000\U000e0002b") == "ab"
    assert clean("a\ufffe\uffff\ufdd0\U0001fffe\U0010ffffb") == "ab"


def test_zalgo_is_bounded_by_its_base_characters():
    zalgo = "".join(c + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307" for c in "Zalgo" * 160)
    text = clean(zalgo)
    assert len(text) == 800 * (1 + MAX_COMBINING)


@given(st.text(alphabet=st.characters(codec=None)), st.booleans())
def test_clean_is_idempotent_on_marks_and_selectors(text, multiline):
    salted = "".join(c + "\ufe0f\u0301\U000e0101" for c in text[:50])
    once = clean(salted, multiline=multiline)
    assert clean(once, multiline=multiline) == once
    assert unicodedata.is_normalized("NFC", once)


@given(st.text(), st.booleans())
def test_clean_gives_nfc(text, multiline):
    assert unicodedata.is_normalized("NFC", clean(text, multiline=multiline))


def test_decomposed_text_is_composed():
    assert clean("Gru\u0308\u00dfe e\u200b\u0301") == "Grüße é"
