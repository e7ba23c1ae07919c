"""Hostile markup and text on their way to the screen (issue 12 item 5, issue 11's tag regexes).

What a browser hides stays hidden (`<template>`, `<noscript>`, a comment left open), runs of line
breaks collapse, tag stripping is linear on `<<<<…`, and titles are clipped by graphemes and
terminal cells before any widget sees them. Rich (which Textual measures with) is the referee for
cell widths here; the core itself never imports it.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from support.imports import loaded_after

import blogtui.core.text.markup as markup
from blogtui.core.posting.base import normalise, sanitise
from blogtui.core.store.articles import search_text
from blogtui.core.text.clip import cell_width, clip, grapheme_clusters
from blogtui.core.text.html import html_to_text, plain_text
from blogtui.core.text.markup import strip_tags
from blogtui.core.text.sanitize import clean
from blogtui.ui.widgets.comment_layout import comment_text, comment_texts

HIDDEN = {
    "template": "<p>vorher</p><template><p>GEHEIM</p><img alt=GEHEIM></template><p>nachher",
    "noscript": "<p>vorher</p><noscript><p>GEHEIM</p></noscript><p>nachher</p>",
    "open comment": "<p>vorher</p><p>nachher</p><!-- <b>GEHEIM</b> <script>x</script> GEHEIM",
    "open template": "<p>vorher</p><p>nachher</p><TEMPLATE>GEHEIM<p>GEHEIM",
    "nested": "<p>vorher</p><noscript><template>GEHEIM</template>GEHEIM</noscript><p>nachher",
}
RENDERERS = {
    "html_to_text": lambda html: html_to_text(html).text,
    "plain_text": plain_text,
    "strip_tags": strip_tags,
    "comment_text": comment_text,  # the thread's path: batched plain_text
}


@pytest.mark.parametrize("renderer", list(RENDERERS))
@pytest.mark.parametrize("case", list(HIDDEN))
def test_what_a_browser_hides_stays_hidden(case: str, renderer: str) -> None:
    text = RENDERERS[renderer](HIDDEN[case])
    assert "vorher" in text and "nachher" in text
    assert "GEHEIM" not in text and "<!--" not in text and "<b>" not in text


BREAKS = {
    "5000 <br>": "<p>Anfang" + "<br>" * 5000 + "Ende</p>",
    "5000 <br/> and spaces": "<p>Anfang" + "<br/> \n" * 5000 + "Ende</p>",
    "in a quote": "<blockquote>Anfang" + "<br>" * 5000 + "Ende</blockquote>",
    "in nested quotes": "<blockquote><blockquote>Anfang" + "<BR>" * 5000 + "Ende",
    "escaped twice": "<p>Anfang" + "&lt;br&gt;" * 5000 + "Ende</p>",
    "escaped twice, spaced": "<p>Anfang" + "&lt;br /&gt; " * 5000 + "Ende</p>",
    "empty paragraphs": "<p>Anfang</p>" + "<p></p><div><br></div>" * 5000 + "<p>Ende</p>",
}


@pytest.mark.parametrize("renderer", ["html_to_text", "plain_text", "comment_text"])
@pytest.mark.parametrize("case", list(BREAKS))
def test_runs_of_breaks_collapse(case: str, renderer: str) -> None:
    text = RENDERERS[renderer](BREAKS[case])
    lines = text.split("\n")
    assert "Anfang" in lines[0] and "Ende" in lines[-1]
    assert len(lines) <= 3, lines[:10]
    assert "<br" not in text.lower()


def test_markup_left_open_in_one_comment_hides_nothing_of_the_next() -> None:
    texts = comment_texts(["<p>eins</p><script>x", "<p>zwei</p>", "a <!-- b", "<p>drei</p>"])
    assert texts == ["eins", "zwei", "a", "drei"]


def test_one_literal_break_tag_in_prose_stays() -> None:
    assert "use <br> to break" in html_to_text("<p>use &lt;br&gt; to break</p>").text


HOSTILE_MARKUP = [
    "<" * 200_000,
    "<a" * 100_000,
    "</" * 100_000,
    "<!--" * 50_000,
    "<!--x-->" * 25_000 + "<!--",
    "<script>" * 25_000,
    "<template><" * 20_000,
    "<a<a<a" * 30_000 + ">",
    "<a title='" + "<" * 200_000 + "'>",
    "<p>" + "&lt;" * 100_000,
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("index", range(len(HOSTILE_MARKUP)))
def test_every_tag_stripper_finishes_on_hostile_markup(index: int) -> None:
    """The old `<[^>]*>` is quadratic (20 s per call on 200,000 `<`): pytest-timeout fails it."""
    source = HOSTILE_MARKUP[index]
    assert len(strip_tags(source)) <= len(source)
    assert len(sanitise(source)) <= 300
    assert normalise(source) is not None
    assert len(search_text(source)) <= len(source)
    plain_text(source)


def test_the_tag_stripper_uses_no_regular_expression() -> None:
    tree = ast.parse(Path(markup.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert "re" not in imported and "regex" not in imported


def _lines_run(source: str) -> int:
    """Python lines `strip_tags` executes on `source` (counted, not timed)."""
    counts: Counter[str] = Counter()
    target = markup.__file__

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        if frame.f_code.co_filename != target:
            return None
        counts[event] += 1
        return tracer

    sys.settrace(tracer)
    try:
        strip_tags(source)
    finally:
        sys.settrace(None)
    return counts["line"]


@pytest.mark.parametrize("unit", ["<", "<a", "</", "<!--", "<a<", "<x>", "<script>", "a<b>c"])
def test_tag_stripping_work_grows_linearly(unit: str) -> None:
    small, large = _lines_run(unit * 5_000), _lines_run(unit * 10_000)
    assert large <= 2.2 * small + 50, (small, large)


ZALGO = "".join(c + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307" for c in "Zalgo" * 160)
TITLES = {
    "30,000 characters": "Titel " * 5_000,
    "800-grapheme Zalgo": ZALGO,
    "500 variation selectors": "Herz" + "\ufe0f" * 500 + " Ende",
    "wide and emoji": "日本語😀👍🏽🇩🇪❤️" * 3_000,
    "no spaces": "x" * 30_000,
}


@pytest.mark.parametrize("case", list(TITLES))
@pytest.mark.parametrize(("graphemes", "cells"), [(80, 80), (200, 60), (None, 20), (10, None)])
def test_titles_are_clipped_by_graphemes_and_cells(
    case: str, graphemes: int | None, cells: int | None
) -> None:
    for title in (TITLES[case], clean(TITLES[case])):
        clipped = clip(title, graphemes=graphemes, cells=cells)
        if cells is not None:
            assert cell_len(clipped) <= cells and cell_width(clipped) <= cells
        if graphemes is not None:
            assert len(list(grapheme_clusters(clipped))) <= graphemes
        too_long = cell_width(title) > (cells or 10**9) or len(list(grapheme_clusters(title))) > (
            graphemes or 10**9
        )
        assert clipped.endswith("…") == too_long
        assert title.startswith(clipped.removesuffix("…"))


def test_clipping_keeps_whole_clusters() -> None:
    assert clip(ZALGO, graphemes=3) == ZALGO[:18] + "…"
    assert clip("ab👍🏽c", graphemes=3) == "ab…"
    assert clip("ab👍🏽c", graphemes=4) == "ab👍🏽c"
    assert clip("日本語", cells=4) == "日…"
    assert clip("kurz", graphemes=10, cells=10) == "kurz"
    assert clip("x", cells=0) == ""


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    st.integers(min_value=0, max_value=40),
    st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
)
def test_clip_never_exceeds_its_budgets(text: str, cells: int, graphemes: int | None) -> None:
    clipped = clip(text, graphemes=graphemes, cells=cells)
    assert cell_width(clipped) <= cells
    assert cell_len(clipped) <= cells
    if graphemes is not None:
        assert len(list(grapheme_clusters(clipped))) <= graphemes
    assert clip(clipped, graphemes=graphemes, cells=cells) == clipped or clipped.endswith("…")


def test_the_text_core_loads_no_ui_library() -> None:
    code = (
        "import blogtui.core.text.clip, blogtui.core.text.lookalike,"
        " blogtui.core.text.markup, blogtui.core.text.storable, blogtui.core.text.html\n"
        "blogtui.core.text.html.html_to_text('<p>x</p>')"
    )
    assert loaded_after(code, ("rich", "textual")) == []
