"""The main screen's footer shows the keys of the focused pane, a few each, so it fits.

Every main-screen key works in every pane; only which of them the footer names changes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding

from blogtui.ui.keys import MAIN_BINDINGS

PANE_KEYS: dict[str, frozenset[str]] = {
    "feeds": frozenset({"quit", "next-unread", "refresh-all", "add-feed", "search"}),
    "articles": frozenset({"quit", "next-unread", "filter", "reply"}),
    "reader": frozenset({"quit", "reply", "focus-thread", "open-link"}),
    "thread": frozenset(),
}
"""The main-screen binding ids the footer names, by focused pane ("thread": the reader's comment
thread, whose own keys fill the footer)."""

MAIN_IDS = frozenset(binding.id for binding in MAIN_BINDINGS if binding.id)


def pane_bindings(active: dict[str, ActiveBinding], pane: str) -> dict[str, ActiveBinding]:
    """`active` with the main screen's bindings shown only where `pane` names them."""
    shown = PANE_KEYS.get(pane, frozenset())
    result = {}
    for key, entry in active.items():
        binding = entry.binding
        if binding.id in MAIN_IDS and binding.show != (binding.id in shown):
            entry = entry._replace(binding=replace(binding, show=binding.id in shown))
        result[key] = entry
    return result
