"""The sanitiser: nothing from the network reaches the terminal as a control sequence."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogtui.core.text.sanitize import ESCAPE_SYMBOL, MAX_COMBINING, clean, transliterate

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
