"""The reader wraps a word too long for a line (the URLs of the link list, mostly) after one of
its separators, not in the middle of a name."""

from __future__ import annotations

from blogtui.ui.widgets.text_view import wrap_text

LINKS = (
    "   [1]: http://127.0.0.1:32985/ein-jahr-reparatur-cafe-im-hinterhof/\n"
    "   [2]: https://example.org/suche?wort=fahrradwerkstatt&seite=2"
)


def test_link_list_urls_break_after_separators():
    assert wrap_text(LINKS, 38).lines == [
        "   [1]:",
        "   http://127.0.0.1:32985/ein-jahr-",
        "   reparatur-cafe-im-hinterhof/",
        "   [2]:",
        "   https://example.org/suche?wort=",
        "   fahrradwerkstatt&seite=2",
    ]


def test_a_word_without_separators_is_cut_at_the_width():
    assert wrap_text("x " + "a" * 30, 12).lines == ["x", "a" * 12, "a" * 12, "a" * 6]
