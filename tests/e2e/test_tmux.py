"""The installed `blogtui` in a real terminal (tmux): text arrives intact, escapes never do.

Runs the console script against an RSS feed served on 127.0.0.1 whose titles and bodies carry
terminal escapes (OSC 0 title, OSC 52 clipboard, CSI 2J), after `blogtui add` and
`blogtui refresh`. Everything the app wrote to the terminal is logged with pipe-pane.
Polling capture-pane is the only way to wait on another process's screen, hence the loop.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BLOGTUI = shutil.which("blogtui")
TMUX = shutil.which("tmux")
TIMEOUT = 20.0
"""Seconds to wait for the screen to show something."""

EVIL_TITLE = "Böse \x1b]0;evil-title\x07 Überschrift"
EVIL_CLIPBOARD = "Kopie \x1b]52;c;ZXZpbA==\x07 hier"
EVIL_CLEAR = "Leer \x1b[2J Bildschirm"
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Grüße-Blog</title><link>{base}/</link>
<description>Ein Blog</description>
<item><title>Grüße aus „Köln“</title><link>{base}/gruesse</link><guid>{base}/1</guid>
<pubDate>Tue, 14 Nov 2023 22:30:00 GMT</pubDate>
<description>&lt;p&gt;Schöne Grüße und „Anführungszeichen“ für alle.&lt;/p&gt;</description></item>
<item><title>{evil_title}</title><link>{base}/2</link><guid>{base}/2</guid>
<pubDate>Tue, 14 Nov 2023 21:30:00 GMT</pubDate>
<description>{evil_clipboard}</description></item>
<item><title>{evil_clear}</title><link>{base}/3</link><guid>{base}/3</guid>
<pubDate>Tue, 14 Nov 2023 20:30:00 GMT</pubDate><description>x</description></item>
</channel></rss>
"""


def _missing() -> str:
    missing = [name for name, path in (("blogtui", BLOGTUI), ("tmux", TMUX)) if not path]
    return ", ".join(missing)


if _missing():
    message = f"needs {_missing()} on PATH (install blogtui with `pip install -e .`; apt tmux)"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


@pytest.fixture
def feed_url() -> Iterator[str]:
    """The hostile feed, served on 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = FEED.format(
                base=base,
                evil_title=EVIL_TITLE,
                evil_clipboard=EVIL_CLIPBOARD,
                evil_clear=EVIL_CLEAR,
            ).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


class Tmux:
    """A private tmux server (its own socket) holding one session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        """Run a tmux command on the private server and return its output."""
        command = [str(TMUX), "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        """The visible pane text."""
        return self.run("capture-pane", "-p", "-t", "e2e")

    def press(self, key: str) -> None:
        """Send one key, then give the app a moment: Textual routes keys that arrive together
        to the widget focused when they arrived, so a key typed right after a focus change
        would still go to the old pane."""
        self.run("send-keys", "-t", "e2e", key)
        time.sleep(0.3)

    def wait_for(self, text: str) -> str:
        """Poll the pane until `text` shows; fail with the screen after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server, killed afterwards."""
    server = Tmux(f"blogtui-e2e-{os.getpid()}-{tmp_path.name}")
    yield server
    subprocess.run([str(TMUX), "-L", server.socket, "kill-server"], capture_output=True)


def test_tui_shows_text_intact_and_no_escapes(tmux: Tmux, feed_url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "BLOGTUI_HOME": str(home), "LANG": "C.UTF-8", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    for command in (["add", feed_url], ["refresh"]):
        done = subprocess.run([str(BLOGTUI), *command], env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")

    go = tmp_path / "go"
    raw = tmp_path / "raw.log"
    launch = (
        f"while [ ! -e '{go}' ]; do sleep 0.05; done; "
        f"exec env BLOGTUI_HOME='{home}' LANG=C.UTF-8 TERM=xterm-256color '{BLOGTUI}'"
    )
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", launch)
    tmux.run("pipe-pane", "-o", "-t", "e2e", f"cat >> '{raw}'")
    title_before = tmux.run("display-message", "-p", "-t", "e2e", "#{pane_title}")
    go.touch()

    tmux.wait_for("All articles · 3")  # the list is loaded, not only the feeds
    tmux.press("Tab")
    tmux.press("Enter")
    screen = tmux.wait_for("Schöne Grüße")
    assert "Grüße aus „Köln“" in screen
    assert "„Anführungszeichen“" in screen
    tmux.press("j")
    tmux.press("Enter")
    screen = tmux.wait_for("Kopie")
    assert "evil-title" in screen  # shown as harmless text, ESC as a visible symbol
    title_after = tmux.run("display-message", "-p", "-t", "e2e", "#{pane_title}")
    tmux.press("q")

    written = raw.read_bytes()
    assert "Grüße".encode() in written, "pipe-pane logged nothing"
    assert b"\x1b]0;" not in written and b"\x1b]2;" not in written
    assert b"\x1b]52" not in written
    assert b"\x1b[2J" not in written
    assert b"evil-title\x07" not in written
    assert not re.search(rb"\x1b\](?!22;)", written), "an OSC sequence reached the terminal"
    assert title_after == title_before
