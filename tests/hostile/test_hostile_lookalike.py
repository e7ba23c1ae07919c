"""Look-alike author names (issue 12 item 4, the core side): invisible characters and confusable
letters are told apart from the name they imitate.

The "(author)" and "(you)" marks rest on provider identity, not on these functions; these only
decide the warning mark for a name that imitates the post author's or the user's.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogtui.core.text.lookalike import looks_like, name_is_suspicious, skeleton, visible_form

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "soft hyphen": "\u00ad",
    "BOM": "\ufeff",
    "right-to-left mark": "\u200f",
    "left-to-right override": "\u202d",
    "isolate": "\u2066",
    "variation selector": "\ufe0f",
    "tag character": "\U000e0041",
    "Hangul filler": "\u3164",
    "combining grapheme joiner": "\u034f",
}


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_invisible_characters_are_found_and_removed(name: str) -> None:
    char = INVISIBLE[name]
    for spoof in (f"Anna{char}", f"An{char}na", f"{char}Anna", f"A{char * 20}nna"):
        assert visible_form(spoof) == "Anna"
        assert name_is_suspicious(spoof)
        assert looks_like(spoof, "Anna")
        assert skeleton(spoof) == skeleton("Anna")


CONFUSABLE = {
    "Cyrillic dze": ("Jens", "Jenѕ"),
    "Cyrillic a": ("Anna", "Аnna"),
    "Cyrillic o and e": ("Joe", "Јое"),
    "Greek omicron": ("Bob", "Bοb"),
    "Greek capitals": ("EMMA", "ΕΜΜΑ"),
    "Armenian o": ("Tom", "Tօm"),
    "Cherokee": ("SAM", "ᏚᎪᎷ"),
    "fullwidth": ("sarah", "ｓａｒａｈ"),
    "mathematical bold": ("Anna", "𝐀𝐧𝐧𝐚"),
    "digit one for l": ("Willi", "Wi11i"),
    "capital I for l": ("Lilli", "LiIIi"),
    "rn for m": ("Emma", "Ernrna"),
    "zero for O": ("OTTO", "0TT0"),
    "decomposed umlaut": ("Jürgen", "Ju\u0308rgen"),
    "mixed with invisible": ("Anna", "А\u200bnna"),
}


@pytest.mark.parametrize("case", list(CONFUSABLE))
def test_confusable_names_share_a_skeleton(case: str) -> None:
    real, spoof = CONFUSABLE[case]
    assert looks_like(spoof, real) and looks_like(real, spoof)
    assert skeleton(spoof) == skeleton(real)


DIFFERENT = [
    ("Anna", "Anne"),
    ("José", "Jose"),  # an accent shows
    ("Anna", "anna"),  # so does case
    ("Jürgen", "Jurgen"),
    ("Иван", "Ivan"),  # Cyrillic that does not imitate Latin
    ("日本", "日木"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_that_look_different_are_not_look_alikes(a: str, b: str) -> None:
    assert not looks_like(a, b)


def test_the_same_name_is_not_a_look_alike_and_plain_names_are_not_suspicious() -> None:
    assert not looks_like("Anna", "Anna")
    for name in ("Anna", "José", "Jürgen Müller", "Иван", "李小龍", "O'Brien", "Anne-Marie"):
        assert not name_is_suspicious(name)
        assert visible_form(name) == name


def test_visible_form_composes_and_folds_spaces() -> None:
    assert visible_form("  Ju\u0308rgen \u00a0 Mu\u0308ller\u200b ") == "Jürgen Müller"
    assert not name_is_suspicious("Ju\u0308rgen")  # decomposed, but nothing hidden


@given(st.text(max_size=40))
def test_skeleton_and_visible_form_are_stable(name: str) -> None:
    assert skeleton(skeleton(name)) == skeleton(name)
    assert visible_form(visible_form(name)) == visible_form(name)
    assert unicodedata.is_normalized("NFD", skeleton(name))
    assert skeleton(visible_form(name)) == skeleton(name)
    assert not name_is_suspicious(visible_form(name))
