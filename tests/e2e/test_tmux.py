"""The installed `blogtui` in a real terminal (tmux): text arrives intact, escapes never do.

Runs the console script against an RSS feed served on 127.0.0.1 whose titles and bodies carry
terminal escapes (OSC 0 title, OSC 52 clipboard, CSI 2J), after `blogtui add` and
`blogtui refresh`. Everything the app wrote to the terminal is logged with pipe-pane.
The terminal is driven by tests/support/tmux.py (the `tmux` fixture).
"""

from __future__ import annotations

import re
from pathlib import Path

from feedserver import FeedServer, Response
from support.tmux import TmuxServer, run_blogtui

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


def test_tui_shows_text_intact_and_no_escapes(
    tmux: TmuxServer, feed_server: FeedServer, tmp_path: Path
) -> None:
    base = feed_server.url("")
    body = FEED.format(
        base=base, evil_title=EVIL_TITLE, evil_clipboard=EVIL_CLIPBOARD, evil_clear=EVIL_CLEAR
    ).encode("utf-8")
    feed_url = feed_server.route(
        "/feed.xml", Response(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})
    )
    home = tmp_path / "home"
    run_blogtui(home, "add", feed_url)
    run_blogtui(home, "refresh")

    pane = tmux.launch(home, log=tmp_path / "raw.log")
    pane.wait_for("All articles · 3")  # the list is loaded, not only the feeds
    pane.press("Tab")
    pane.press("Enter")
    screen = pane.wait_for("Schöne Grüße")
    assert "Grüße aus „Köln“" in screen
    assert "„Anführungszeichen“" in screen
    pane.press("j")
    pane.press("Enter")
    screen = pane.wait_for("Kopie")
    assert "evil-title" in screen  # shown as harmless text, ESC as a visible symbol
    title_after = pane.title()
    pane.quit("q")

    written = pane.output()
    assert "Grüße".encode() in written, "pipe-pane logged nothing"
    assert b"\x1b]0;" not in written and b"\x1b]2;" not in written
    assert b"\x1b]52" not in written
    assert b"\x1b[2J" not in written
    assert b"evil-title\x07" not in written
    assert not re.search(rb"\x1b\](?!22;)", written), "an OSC sequence reached the terminal"
    assert title_after == pane.title_before
