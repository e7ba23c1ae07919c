"""An article whose blog offers no comments, in a real terminal (tmux): it says so, and `c`
offers the article's page in the browser instead of a draft that could never be sent.

The feed is served on 127.0.0.1; its article page answers 404 (the case users met: "Comments (0)
· refresh failed — Could not refresh: no comments found … HTTP 404").
"""

from __future__ import annotations

from pathlib import Path

from feedserver import FeedServer, Response
from support.tmux import TmuxServer, run_blogtui

from blogtui.core.paths import places

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ohne Kommentare</title><link>{base}/</link>
<description>d</description>
<item><title>Ein stiller Beitrag</title><link>{base}/still</link><guid>{base}/still</guid>
<pubDate>Tue, 14 Nov 2023 22:30:00 GMT</pubDate>
<description>&lt;p&gt;Hier kann niemand kommentieren.&lt;/p&gt;</description></item>
</channel></rss>
"""


def test_no_comments_state_and_c_in_a_real_terminal(
    tmux: TmuxServer, feed_server: FeedServer, tmp_path: Path
) -> None:
    body = FEED.format(base=feed_server.url("").rstrip("/")).encode()
    feed_url = feed_server.route(
        "/feed.xml", Response(200, body, {"Content-Type": "application/rss+xml"})
    )
    home = tmp_path / "home"
    run_blogtui(home, "add", feed_url)
    run_blogtui(home, "refresh")
    pane = tmux.launch(home)
    pane.wait_for("All articles · 1")
    pane.press("Tab")
    pane.press("Enter")
    screen = pane.wait_for("This blog offers no comments to", "Comments: none on this blog")
    assert "refresh failed" not in screen and "Could not refresh" not in screen
    assert "HTTP 404" in screen  # why: the article page could not be read
    pane.press("c")
    screen = pane.wait_for("Cannot post from blogtui")
    assert "/still#comments" in screen
    pane.press("Escape")
    pane.wait_for("This blog offers no comments to")
    drafts = places(home).drafts_dir
    assert not drafts.exists() or not any(drafts.iterdir()), "a draft that could never be sent"
