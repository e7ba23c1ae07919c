"""SIGKILL the installed `blogtui` while a reply is being typed: the draft always survives whole.

The demo blog is served on 127.0.0.1 and added with `blogtui add`. The TUI runs in a private
tmux server (tests/support/tmux.py); each launch opens the first article, presses `c` (the first
launch also fills the identity dialog), and keys are typed continuously. During a launch the
draft file is checked at random moments while it is being rewritten, and the launch ends with
SIGKILL at a random moment, after which the file is checked once more.
Every check (a "round") asserts the file loads with DraftStore, is not empty, is a prefix of
everything typed, and never goes back to less than an earlier check saw.
"""

from __future__ import annotations

import os
import random
import string
import time
from pathlib import Path

from support.tmux import Pane, TmuxServer, run_blogtui

from blogtui.core.drafts.store import Draft, DraftStore, Unreadable
from blogtui.demo import DemoBlog

LAUNCHES = 8
CHECKS_PER_LAUNCH = 12
"""Live checks per launch; with the check after each kill, 8 * 13 = 104 rounds."""
LONGEST_LAUNCH = 2.0
"""Seconds of typing before the kill, at most (a launch itself takes about two)."""
ALPHABET = string.ascii_lowercase + "  äöü"


def wait_for_layout(pane: Pane) -> None:
    """Wait for the three-pane layout; make the app draw again if it drew for 80 columns.

    tmux sometimes resizes a detached window to its 80x24 default for a moment when another
    window closes; the narrow layout shows "Back/quit" in its footer.
    """

    def full_width(screen: str) -> bool:
        if "Back/quit" in screen:
            pane.redraw()
        return "All articles · " in screen

    pane.wait_screen(full_width, "the three-pane layout never showed")


def the_draft(store: DraftStore) -> Draft | None:
    """The one draft on disk (None before the first save); fails on anything else."""
    listing = store.list()
    assert not [e for e in listing if isinstance(e, Unreadable)], listing
    assert len(listing) <= 1, listing
    return listing[0] if listing else None  # type: ignore[return-value]


def check(store: DraftStore, typed: str, floor: str) -> str:
    """One round: the file is whole, a prefix of what was typed, never behind `floor`."""
    draft = the_draft(store)
    if draft is None:
        assert not floor, "the saved draft disappeared"
        return floor
    assert draft.text.strip(), "an empty draft file"
    assert typed.startswith(draft.text), f"not a version of the text: {draft.text[-40:]!r}"
    assert draft.text.startswith(floor), "the draft went back to an older version"
    assert draft.name == "Kim" and draft.email == "kim@example.org"
    return draft.text


def test_sigkill_while_typing_never_loses_or_truncates_the_draft(
    tmux: TmuxServer, tmp_path: Path
) -> None:
    rng = random.Random(os.environ.get("BLOGTUI_KILL_SEED", "drafts"))
    home = tmp_path / "home"
    with DemoBlog() as blog:
        run_blogtui(home, "add", blog.feed_url)
        store = DraftStore(home / "data" / "drafts")
        typed, floor, rounds = "", "", 0
        for launch in range(LAUNCHES):
            pane = tmux.launch(home)
            wait_for_layout(pane)
            pane.press("Tab")
            pane.send("c")
            if launch == 0:
                pane.wait_for("Who is replying?")
                pane.type("Kim")
                pane.press("Tab", blinking=True)
                pane.type("kim@example.org")
                pane.send("Enter")
            pane.wait_for_any("new draft", "resumed draft")
            typed = floor  # what was not saved before the last kill is gone
            kill_at = rng.uniform(0.05, LONGEST_LAUNCH)  # before or after this launch's saves
            checks = sorted(rng.uniform(0.0, kill_at) for _ in range(CHECKS_PER_LAUNCH))
            start = time.monotonic()
            for moment in [*checks, kill_at]:
                while time.monotonic() - start < moment:
                    chunk = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
                    pane.send(chunk, literal=True)
                    typed += chunk
                    time.sleep(rng.uniform(0.0, 0.04))  # a typist's pace, not a wait
                if moment == kill_at:
                    pane.kill()  # SIGKILL; returns once the process and its window are gone
                floor = check(store, typed, floor)
                rounds += 1
        assert rounds >= 100
        assert len(floor) > 50, "typing never reached the draft"
        final = the_draft(store)
        assert final is not None and typed.startswith(final.text)
