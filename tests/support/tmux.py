"""The one driver for the installed `blogtui` in a real terminal: a private tmux server.

    tmux = TmuxServer("blogtui-x", tmp_path)        # or the `tmux` fixture of tests/conftest.py
    pane = tmux.launch(home, log=tmp_path / "raw.log")   # 120x36, logged from the first byte
    pane.wait_for("All articles · 3")
    pane.press("Tab")                    # returns once the screen has answered the key
    pane.wait_still()                    # returns once the screen has stopped changing
    pane.type("Kim")                     # literal text, returns once it shows
    pane.screen(), pane.screen(escapes=True), pane.title(), pane.running()
    pane.quit("q"); pane.output()        # every byte it wrote, once the log stops growing
    pane.kill()                          # SIGKILL, by pid
    tmux.kill()

The server has its own socket and no config file; a pane whose program exits stays, showing
its last screen, until the server is killed (remain-on-exit). Only what the driver started is ever
stopped: its own server (by socket name) and the programs it launched (by pid, checked against
their start time). Polling capture-pane is the only way to wait on another process's screen, so
every wait here polls against a deadline (`support.wait.wait_until`); none is a bare sleep.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from support.missing import missing
from support.wait import wait_until

BLOGTUI = shutil.which("blogtui")
TMUX = shutil.which("tmux")
WIDTH, HEIGHT = 120, 36
"""Every window's size, fixed: the layout never depends on tmux's 80x24 default."""
BLINK = 0.6
"""Seconds covering one blink of a text cursor (Textual's cursors blink every 0.5 s)."""


def require_terminal() -> None:
    """Skip the calling test without blogtui and tmux on PATH; under CI=true, fail instead."""
    absent = [name for name, path in (("blogtui", BLOGTUI), ("tmux", TMUX)) if not path]
    if absent:
        message = f"needs {', '.join(absent)} on PATH (blogtui: `pip install -e .`; apt tmux)"
        missing(message)


def blogtui_env(home: Path) -> dict[str, str]:
    """This environment without proxies, NO_COLOR and LC_ALL; a private home, UTF-8, xterm."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    for name in ("NO_COLOR", "LC_ALL"):
        env.pop(name, None)
    env.update(BLOGTUI_HOME=str(home), LANG="C.UTF-8", TERM="xterm-256color")
    return env


def run_blogtui(
    home: Path, *args: str, ok: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    """Run `blogtui ARGS` on `home` without a terminal; fail unless it exits with one of `ok`."""
    done = subprocess.run(
        [str(BLOGTUI), *args], env=blogtui_env(home), capture_output=True, timeout=60
    )
    assert done.returncode in ok, done.stderr.decode("utf-8", "replace")
    return done


def blogtui_command(home: Path) -> str:
    """The shell command a pane runs: blogtui on `home`, in the environment of blogtui_env."""
    env = {k: blogtui_env(home)[k] for k in ("BLOGTUI_HOME", "LANG", "TERM")}
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"exec env -u NO_COLOR -u LC_ALL {assignments} {shlex.quote(str(BLOGTUI))}"


def _started(pid: int) -> str:
    """The process's state and start time (from /proc), or "" once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return ""
    return f"{fields[0]} {fields[19]}"  # state, then start time in clock ticks since boot


class TmuxServer:
    """A private tmux server (own socket, no config); `kill()` ends it and what it launched."""

    def __init__(self, socket: str, directory: Path) -> None:
        self.socket = socket
        """The server's socket name (tmux -L): unique per test."""
        self.directory = directory
        """Where the launch gates are created (the test's tmp_path)."""
        self.panes: list[Pane] = []
        """Every pane launched, oldest first."""
        self._env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}

    def run(self, *args: str) -> str:
        """Run a tmux command on this server and return its output; fail if tmux does."""
        command = [str(TMUX), "-L", self.socket, "-f", "/dev/null", *args]
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=self._env)
        return done.stdout

    def start(self) -> None:
        """Start the server (once) with an idle session that holds it up between launches."""
        if self.run_quietly("has-session", "-t", "idle"):
            return
        self.run("new-session", "-d", "-s", "idle", "-x", str(WIDTH), "-y", str(HEIGHT), "cat")
        # Without this, a window closing makes tmux resize the others to 80x24.
        self.run("set-option", "-g", "default-size", f"{WIDTH}x{HEIGHT}")
        # A program that dies keeps its last screen (a traceback, say) for the failure message.
        self.run("set-option", "-g", "remain-on-exit", "on")

    def run_quietly(self, *args: str) -> bool:
        """Run a tmux command; True if it succeeded (e.g. `has-session`)."""
        command = [str(TMUX), "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, env=self._env).returncode == 0

    def set_options(self, *options: str) -> None:
        """Set global options, each one string: "set-clipboard on", "-w allow-rename on"."""
        self.start()
        for option in options:
            self.run("set-option", "-g", *option.split())

    def buffers(self) -> str:
        """The paste buffers (OSC 52 fills one when set-clipboard is on)."""
        return self.run("list-buffers")

    def launch(
        self, home: Path | None = None, program: str = "", *, log: Path | None = None
    ) -> Pane:
        """blogtui on `home` (or the shell command `program`) in a new WIDTHxHEIGHT window.

        The program starts only once the window has its final size (it waits for a gate file),
        so it never draws for 80 columns; with `log`, pipe-pane appends every byte it writes
        there, from the first. The pane's title and the buffers are kept from just before.
        """
        self.start()
        session = f"pane{len(self.panes) + 1}"
        gate = self.directory / f"{self.socket}-{session}.go"
        if not program:
            assert home is not None, "launch needs a home or a program"
            program = blogtui_command(home)
        waiting = f"while [ ! -e {shlex.quote(str(gate))} ]; do sleep 0.02; done; {program}"
        size = ("-x", str(WIDTH), "-y", str(HEIGHT))
        self.run("new-session", "-d", "-s", session, *size, waiting)
        self.run("resize-window", "-t", session, *size)  # pinned: tmux never shrinks it again
        pid = int(self.run("display-message", "-p", "-t", session, "#{pane_pid}"))
        pane = Pane(self, session, pid, log)
        self.panes.append(pane)
        wait_until(lambda: pane.size() == (WIDTH, HEIGHT), failure=lambda: str(pane.size()))
        if log is not None:
            self.run("pipe-pane", "-o", "-t", session, f"cat >> {shlex.quote(str(log))}")
        pane.title_before, pane.buffers_before = pane.title(), self.buffers()
        gate.touch()
        return pane

    def kill(self) -> None:
        """End this server and remove its socket, then end any program it launched that still
        runs (by pid)."""
        if self.run_quietly("has-session"):
            socket = Path(self.run("display-message", "-p", "#{socket_path}").strip())
            self.run_quietly("kill-server")
            socket.unlink(missing_ok=True)
        for pane in self.panes:
            if pane.running():
                os.kill(pane.pid, signal.SIGKILL)


class Pane:
    """One window of a TmuxServer and the program in it (`pid`: the shell that execs it)."""

    def __init__(self, server: TmuxServer, session: str, pid: int, log: Path | None) -> None:
        self.server = server
        self.session = session
        """The tmux session (one window, one pane) the program runs in."""
        self.pid = pid
        self.log = log
        """Where pipe-pane logs the program's output, if anywhere."""
        self.title_before = ""
        """The pane title before the program started."""
        self.buffers_before = ""
        """The server's paste buffers before the program started."""
        self._started = _started(pid).split()[-1]

    # --- looking ---------------------------------------------------------------------------------

    def screen(self, escapes: bool = False) -> str:
        """The visible text; with `escapes`, with colours and attributes as escape sequences."""
        return self.server.run(
            "capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.session
        )

    def show(self, field: str) -> str:
        """A tmux format of this pane, e.g. "#{pane_title}"."""
        return self.server.run("display-message", "-p", "-t", self.session, field).rstrip("\n")

    def title(self) -> str:
        """The pane title (OSC 0/2 would change it)."""
        return self.show("#{pane_title}")

    def size(self) -> tuple[int, int]:
        """Columns and rows of the pane."""
        width, height = self.show("#{pane_width} #{pane_height}").split()
        return int(width), int(height)

    def running(self) -> bool:
        """True while the launched program runs (not a zombie, not a recycled pid)."""
        state, _, started = _started(self.pid).partition(" ")
        return started == self._started and state != "Z"

    # --- waiting ---------------------------------------------------------------------------------

    def wait_screen(self, done: Callable[[str], bool], what: str, escapes: bool = False) -> str:
        """Poll the screen until `done(screen)`; return it. Fail, showing the screen, on timeout."""

        def check() -> str | None:
            screen = self.screen(escapes)
            if done(screen):
                return screen
            if not self.running():
                pytest.fail(f"{what}: the program exited; its screen was:\n{self.screen()}")
            return None

        return wait_until(check, failure=lambda: f"{what}; the screen was:\n{self.screen()}")

    def wait_for(self, *texts: str, changed_from: str | None = None) -> str:
        """The screen, once it shows every one of `texts` (and differs from `changed_from`)."""
        return self.wait_screen(
            lambda screen: all(t in screen for t in texts) and screen != changed_from,
            f"{texts!r} never appeared" + (" on a new screen" if changed_from else ""),
        )

    def wait_for_any(self, *texts: str) -> str:
        """The screen, once it shows one of `texts`."""
        return self.wait_screen(
            lambda screen: any(t in screen for t in texts), f"none of {texts!r} appeared"
        )

    def wait_still(self, quiet: float = 0.5) -> str:
        """The screen, once it has not changed for `quiet` seconds (loading done, counts and
        marks updated): what a reader would see."""
        seen, since = self.screen(), time.monotonic()

        def still() -> str | None:
            nonlocal seen, since
            screen = self.screen()
            if screen != seen:
                seen, since = screen, time.monotonic()
            return screen if time.monotonic() - since >= quiet else None

        return wait_until(still, failure=lambda: f"the screen kept changing:\n{self.screen()}")

    # --- typing ----------------------------------------------------------------------------------

    def send(self, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux names: "Tab", "Enter", "C-c") or, with `literal`, text as typed."""
        self.server.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def press(self, key: str, *, blinking: bool = False) -> str:
        """Send one key; return the screen once it has answered (changed, colours included).

        Textual routes keys to the widget focused when they arrive, so a key sent right after
        a focus change could still go to the old widget: waiting for the answer prevents that.
        With `blinking` (a text cursor on screen), every blink phase counts as "before".
        """
        before = {self.screen(escapes=True)}
        if blinking:
            deadline = time.monotonic() + BLINK
            while time.monotonic() < deadline:  # sampling both blink phases, not waiting
                time.sleep(0.05)
                before.add(self.screen(escapes=True))
        self.send(key)
        return self.wait_screen(
            lambda screen: screen not in before, f"nothing answered {key!r}", escapes=True
        )

    def type(self, text: str) -> str:
        """Type `text` literally; return the screen once it shows the text."""
        self.send(text, literal=True)
        return self.wait_for(text)

    def redraw(self) -> None:
        """Resize the window away and back: the program draws again for the real size."""
        for width in (WIDTH - 1, WIDTH):
            self.server.run("resize-window", "-t", self.session, "-x", str(width))
            self.wait_width(width)

    def wait_width(self, width: int) -> None:
        """Wait until the pane is `width` columns wide."""
        wait_until(lambda: self.size()[0] == width, failure=lambda: str(self.size()))

    # --- ending ----------------------------------------------------------------------------------

    def quit(self, *keys: str) -> None:
        """Send `keys` and wait until the program has exited."""
        self.send(*keys)
        self.wait_exited()

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Signal the program; return once it is dead and its window closed."""
        os.kill(self.pid, sig)
        self.wait_exited()
        self.server.run("kill-session", "-t", self.session)

    def wait_exited(self) -> None:
        """Wait until the program no longer runs."""
        wait_until(lambda: not self.running(), failure=f"pid {self.pid} still runs")

    def output(self) -> bytes:
        """Every byte the program wrote (the log), once the log has stopped growing."""
        assert self.log is not None, "launched without a log"
        log = self.log
        sizes: list[int] = [-1]

        def still() -> bytes | None:
            data = log.read_bytes() if log.exists() else b""
            grown, sizes[0] = len(data) != sizes[0], len(data)
            return data if data and not grown else None

        return wait_until(still, interval=0.1, failure=f"{log} stayed empty")
