"""SIGKILL the installed `blogtui` while a reply is being typed: the draft always survives whole.

The demo blog is served on 127.0.0.1 and added with `blogtui add`. The TUI runs in a private
tmux server; each launch opens the first article, presses `c` (the first launch also fills the
identity dialog), and keys are typed continuously. During a launch the draft file is checked at
random moments while it is being rewritten, and the launch ends with SIGKILL at a random moment.
Every check (a "round") asserts the file loads with DraftStore, is not empty, is a prefix of
everything typed, and never goes back to less than an earlier check saw.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import string
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogtui.core.drafts.store import Draft, DraftStore, Unreadable
from blogtui.demo import DemoBlog

BLOGTUI = shutil.which("blogtui")
TMUX = shutil.which("tmux")
TIMEOUT = 20.0
"""Seconds to wait for the screen to show something."""
LAUNCHES = 8
CHECKS_PER_LAUNCH = 12
"""Live checks per launch; with the check after each kill, 8 * 13 = 104 rounds."""
LONGEST_LAUNCH = 2.0
"""Seconds of typing before the kill, at most (a launch itself takes about two)."""
ALPHABET = string.ascii_lowercase + "  äöü"

if not (BLOGTUI and TMUX):
    message = "needs blogtui (`pip install -e .`) and tmux on PATH"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


class Pane:
    """blogtui in a private tmux server; an idle session keeps the server up between launches."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.session = ""
        self.launches = 0

    def tmux(self, *args: str) -> str:
        """Run a tmux command on the private server."""
        command = [str(TMUX), "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def launch(self, home: Path) -> int:
        """Start blogtui in a new session; its pid (the pane's shell execs it).

        It starts only once the pane has its final size (a go file), as test_tmux.py does:
        started earlier, it may draw for the default 80 columns.
        """
        if not self.launches:
            self.tmux("new-session", "-d", "-s", "idle", "-x", "120", "-y", "36", "sleep 600")
            # Without these a window closing makes tmux resize the others to 80x24.
            self.tmux("set-option", "-g", "default-size", "120x36")
        while self.session and self.has_session():
            time.sleep(0.02)  # tmux resizes windows when one closes; let that happen first
        self.launches += 1
        self.session = f"kill{self.launches}"
        go = home / "go"
        go.unlink(missing_ok=True)
        command = (
            f"while [ ! -e '{go}' ]; do sleep 0.02; done; "
            f"exec env BLOGTUI_HOME='{home}' LANG=C.UTF-8 TERM=xterm-256color '{BLOGTUI}'"
        )
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "36", command)
        # An explicit size pins the window: tmux then never shrinks it when another one closes.
        self.tmux("resize-window", "-t", self.session, "-x", "120", "-y", "36")
        while True:
            size, pid = self.tmux(
                "display-message",
                "-p",
                "-t",
                self.session,
                "#{pane_width}x#{pane_height} #{pane_pid}",
            ).split()
            if size == "120x36":
                break
            time.sleep(0.02)
        go.touch()
        return int(pid)

    def has_session(self) -> bool:
        """True while the current session exists."""
        command = [str(TMUX), "-L", self.socket, "has-session", "-t", self.session]
        return subprocess.run(command, capture_output=True).returncode == 0

    def wait_for_layout(self) -> None:
        """Wait for the three-pane layout; nudge the size if the app drew for 80 columns.

        tmux sometimes resizes a detached window to its 80x24 default for a moment when
        another window closes; a resize makes the app redraw at the real size.
        """
        deadline = time.monotonic() + TIMEOUT
        while "All articles · " not in self.tmux("capture-pane", "-p", "-t", self.session):
            if time.monotonic() > deadline:
                self.wait_for("All articles · ")  # fails, showing the screen
            if "Back/quit" in self.tmux("capture-pane", "-p", "-t", self.session):
                for width in ("119", "120"):
                    self.tmux("resize-window", "-t", self.session, "-x", width, "-y", "36")
                    time.sleep(0.2)
            time.sleep(0.1)

    def wait_for(self, *texts: str) -> str:
        """Poll the screen until one of `texts` shows."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.tmux("capture-pane", "-p", "-t", self.session)
            if any(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"none of {texts!r} appeared; the screen was:\n{screen}")
            time.sleep(0.05)

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (or literal text) to the pane."""
        self.tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def step(self, key: str, literal: bool = False) -> None:
        """Send a key and give the app a moment: Textual routes keys that arrive together to
        the widget focused when they arrived, so a key typed right after a focus change would
        still go to the old one."""
        self.keys(key, literal=literal)
        time.sleep(0.3)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    """A private tmux server, killed afterwards."""
    server = Pane(f"blogtui-kill-{os.getpid()}-{tmp_path.name}")
    yield server
    subprocess.run([str(TMUX), "-L", server.socket, "kill-server"], capture_output=True)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped by tmux, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


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
    pane: Pane, tmp_path: Path
) -> None:
    rng = random.Random(os.environ.get("BLOGTUI_KILL_SEED", "drafts"))
    home = tmp_path / "home"
    env = {**os.environ, "BLOGTUI_HOME": str(home), "LANG": "C.UTF-8"}
    with DemoBlog() as blog:
        added = subprocess.run(
            [str(BLOGTUI), "add", blog.feed_url], env=env, capture_output=True, timeout=60
        )
        assert added.returncode == 0, added.stderr.decode("utf-8", "replace")
        store = DraftStore(home / "data" / "drafts")
        typed, floor, rounds = "", "", 0
        for launch in range(LAUNCHES):
            pid = pane.launch(home)
            pane.wait_for_layout()
            pane.step("Tab")
            pane.keys("c")
            if launch == 0:
                pane.wait_for("Who is replying?")
                pane.step("Kim", literal=True)
                pane.step("Tab")
                pane.step("kim@example.org", literal=True)
                pane.keys("Enter")
            pane.wait_for("new draft", "resumed draft")
            typed = floor  # what was not saved before the last kill is gone
            kill_at = rng.uniform(0.05, LONGEST_LAUNCH)  # before or after this launch's saves
            checks = sorted(rng.uniform(0.0, kill_at) for _ in range(CHECKS_PER_LAUNCH))
            start = time.monotonic()
            for moment in [*checks, kill_at]:
                while time.monotonic() - start < moment:
                    chunk = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
                    pane.keys(chunk, literal=True)
                    typed += chunk
                    time.sleep(rng.uniform(0.0, 0.04))
                if moment == kill_at:
                    os.kill(pid, signal.SIGKILL)
                    time.sleep(0.05)
                floor = check(store, typed, floor)
                rounds += 1
            deadline = time.monotonic() + 5
            while alive(pid):
                assert time.monotonic() < deadline, "blogtui survived SIGKILL?"
                time.sleep(0.02)
        assert rounds >= 100
        assert len(floor) > 50, "typing never reached the draft"
        final = the_draft(store)
        assert final is not None and typed.startswith(final.text)
