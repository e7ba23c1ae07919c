"""The installed `blogtui` in a real terminal (tmux) against every hostile terminal payload.

Every tests/hostile/data/terminal_*.xml and markup_actions.xml is served on 127.0.0.1 (each with
a comment feed carrying the same payload), imported from an OPML file and refreshed by the
installed console script, then read in the TUI inside a private tmux server that WOULD let an
escape through: set-clipboard on (OSC 52 fills a tmux buffer), allow-rename and set-titles on
(OSC 0/2 change the pane title). pipe-pane logs every byte the app writes. The log must carry
only the escape sequences Textual itself uses, and no C1, bidi, tag or stray BEL character; the
pane title and the tmux buffers must be unchanged; markup must show literally. The terminal is
driven by tests/support/tmux.py (the `tmux` fixture).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from feedserver import FeedServer, Response
from hostile_support import case_names, comment_feed, load_case
from support.tmux import Pane, TmuxServer, run_blogtui
from support.wait import wait_until

from blogtui.core.paths import places
from blogtui.core.store import Store

CASES = case_names("terminal_") + case_names("markup_")
BROKEN = {
    "/broken-500": Response(500, b"\x1b]0;PWN-TITLE\x07 \x1b]52;c;UFdOLUNMSVA=\x07 \x1b[2J"),
    "/broken-xml": Response(
        200,
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Kaputt \x1b]0;PWN-TITLE\x07'
        b" \xc2\x9b2J \x1b]52;c;UFdOLUNMSVA=\x07 <item><title>\x1bP",
        {"Content-Type": "application/rss+xml; charset=utf-8"},
    ),
}
"""Feeds that fail, their error messages made of hostile bytes (shown by `i`)."""


# --- what Textual itself writes ------------------------------------------------------------------

_SEQUENCE = re.compile(
    rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    rb"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    rb"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # any other escape (ESC c, ESC 7, ESC =, ...)
)
_CSI = re.compile(rb"\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])")
_CURSOR_AND_COLOUR = frozenset(b"mHfABCDEFGdK")
"""CSI finals Textual uses to paint: SGR, cursor positioning and moves, erase in line."""
_MODES = re.compile(rb"\?[0-9;]+[hl]")
"""DEC private mode set/reset (alternate screen, mouse, bracketed paste, cursor, sync output)."""
_KEYBOARD_AND_QUERIES = frozenset(
    {b"\x1b[>1u", b"\x1b[>25u", b"\x1b[<u", b"\x1b[?2026$p", b"\x1b[?2048$p"}
)
"""Textual's start and stop: kitty keyboard protocol push/pop, and queries whether the terminal
does synchronized output (2026) and in-band resize (2048)."""
_POINTER = re.compile(rb"\x1b\]22;[a-z-]*(?:\x07|\x1b\\)")
"""OSC 22: Textual's mouse pointer shape ("default", "pointer", "text"...)."""
_BIDI_TAGS_C1 = re.compile(
    "[\x80-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


def foreign_sequences(raw: bytes) -> list[bytes]:
    """Every escape sequence in `raw` that is not one of Textual's own kinds."""
    foreign = []
    for match in _SEQUENCE.finditer(raw):
        sequence = match.group()
        if sequence in _KEYBOARD_AND_QUERIES:
            continue
        csi = _CSI.fullmatch(sequence)
        if csi is not None:
            params, intermediates, final = csi.groups()
            if intermediates == b"" and final[0] in _CURSOR_AND_COLOUR and b"?" not in params:
                if final != b"K" or params in (b"", b"0"):
                    continue
            if _MODES.fullmatch(params + final):
                continue
        elif _POINTER.fullmatch(sequence):
            continue
        foreign.append(sequence)
    return foreign


def assert_terminal_untouched(raw: bytes) -> None:
    """What the app wrote holds only Textual's own sequences and no dangerous character."""
    assert raw, "pipe-pane logged nothing"
    foreign = foreign_sequences(raw)
    assert not foreign, f"escape sequences from the feeds reached the terminal: {foreign[:10]!r}"
    for needle in (b"\x1b]0;", b"\x1b]2;", b"\x1b]52", b"\x1b]8;", b"\x1bP", b"\x1b[2J"):
        assert needle not in raw, f"{needle!r} reached the terminal"
    for needle in (b"PWN-TITLE\x07", b"PWN-TITLE\x1b\\", b"UFdOLUNMSVA=\x07", b"\x00"):
        assert needle not in raw, f"{needle!r} reached the terminal"
    rest = _SEQUENCE.sub(b"", raw)
    assert b"\x1b" not in rest, rest[rest.index(b"\x1b") :][:60]
    assert b"\x07" not in rest, "a BEL outside an escape sequence reached the terminal"
    text = raw.decode("utf-8", "replace")
    found = _BIDI_TAGS_C1.search(text)
    assert found is None, (
        f"{found.group()!r} reached the terminal: {text[found.start() - 40 : found.end() + 40]!r}"
    )


# --- the feeds, the home, tmux -------------------------------------------------------------------


LEAKY = ("set-clipboard on", "allow-rename on", "-w allow-rename on", "set-titles on")
"""tmux options under which OSC 52 fills a buffer and OSC 0/2 change the pane title."""


@pytest.fixture
def refreshed_home(tmp_path: Path, feed_server: FeedServer) -> Path:
    """A home with every hostile feed (and two broken ones) imported and refreshed."""
    root = tmp_path / "home"
    base = feed_server.url("")
    outlines = []
    for name in CASES:
        case = load_case(name)
        stem = name.removesuffix(".xml")
        body = case.body.replace(b"{base}/comments", f"{base}/comments/{stem}".encode())
        feed_server.route(f"/{stem}", Response(case.status, body.replace(b"{base}", base.encode()),
                                                 case.headers))  # fmt: skip
        outlines.append(f"/{stem}")
    for path, response in BROKEN.items():
        feed_server.route(path, response)
        outlines.append(path)
    opml = tmp_path / "feeds.opml"
    body = "".join(
        f"<outline type='rss' text={quoteattr(path)} xmlUrl={quoteattr(feed_server.url(path))}/>"
        for path in outlines
    )
    opml.write_text(f"<?xml version='1.0'?><opml version='2.0'><body>{body}</body></opml>")
    run_blogtui(root, "import", str(opml), ok=(0, 1))
    run_blogtui(root, "refresh", ok=(0, 1))
    store = Store(places(root).database)
    try:
        for article_id in store.article_ids():
            article = store.get_article(article_id)
            assert article is not None and article.comment_feed, article
            stem = article.comment_feed.rsplit("/", 1)[-1]
            feed_server.route(f"/comments/{stem}", Response(200, comment_feed(article.title[8:])))
        assert len(store.article_ids()) == len(CASES)
    finally:
        store.close()
    return root


def leaky_pane(tmux: TmuxServer, home: Path, log: Path, program: str = "") -> Pane:
    """blogtui (or `program`) in a tmux that would let OSC 0/2/52 through, logged to `log`."""
    tmux.set_options(*LEAKY)
    return tmux.launch(home, program, log=log)


def assert_untouched(pane: Pane, tmux: TmuxServer) -> None:
    """The app still runs; the pane title and the paste buffers are what they were."""
    assert pane.running()
    assert pane.title() == pane.title_before, "a feed changed the terminal's title"
    assert tmux.buffers() == pane.buffers_before, "a feed wrote to the clipboard (OSC 52)"


# --- the tests -----------------------------------------------------------------------------------


def test_this_tmux_would_show_a_leak(tmux: TmuxServer, tmp_path: Path) -> None:
    """The control: raw escapes written to this tmux DO change the title and the buffers, and
    the log check catches them (so the tests below can fail)."""
    leak = r"printf 'a\033]2;PWN-TITLE\007b\033]52;c;UFdOLUNMSVA=\007c\302\233d'; sleep 30"
    pane = leaky_pane(tmux, tmp_path, tmp_path / "raw.log", leak)
    wait_until(
        lambda: pane.title() != pane.title_before and tmux.buffers() != pane.buffers_before,
        failure=lambda: f"no leak: title {pane.title()!r}, buffers {tmux.buffers()!r}",
    )
    assert pane.title().strip() == "PWN-TITLE"
    assert "PWN-CLIP" in tmux.run("show-buffer")
    with pytest.raises(AssertionError):
        assert_terminal_untouched(pane.output())
    with pytest.raises(AssertionError):
        assert_terminal_untouched(b"a\xc2\x9bb")  # a C1 CSI, UTF-8 encoded
    with pytest.raises(AssertionError):
        assert_terminal_untouched("x\u202eexe.gnp".encode())
    with pytest.raises(AssertionError):
        assert_terminal_untouched(b"\x1b[2J")


def test_every_article_and_thread_is_harmless_in_a_real_terminal(
    refreshed_home: Path, tmux: TmuxServer, tmp_path: Path
) -> None:
    pane = leaky_pane(tmux, refreshed_home, tmp_path / "raw.log")
    pane.wait_for(f"All articles · {len(CASES)}")
    pane.press("Tab")  # the article list
    screens: list[str] = []
    for index in range(len(CASES)):
        if index:
            pane.press("j")
        before = pane.wait_still()  # the last article's read mark and thread are shown
        pane.press("Enter")
        pane.wait_for("Inhalt", "Ende", "Kommentator", "Kommentar ", changed_from=before)
        screens.append(pane.wait_still())  # with its whole thread
    assert len(set(screens)) == len(CASES), "not every article was opened"
    shown = "\n".join(screens)
    for marker in ("Feedname", "Artikel", "Autorin", "Inhalt", "Kommentator", "red"):
        assert marker in shown, f"{marker} never showed"
    assert "[@click=app.quit]" in shown, "the markup did not show literally"
    assert "[link=https://evil.example/]" in shown
    assert_untouched(pane, tmux)
    pane.quit("q")
    assert_terminal_untouched(pane.output())


def test_every_feed_detail_is_harmless_in_a_real_terminal(
    refreshed_home: Path, tmux: TmuxServer, tmp_path: Path
) -> None:
    pane = leaky_pane(tmux, refreshed_home, tmp_path / "raw.log")
    pane.wait_for(f"All articles · {len(CASES)}")
    screens: list[str] = []
    pane.press("j")  # past "Starred", which is a view, not a feed
    for _ in range(len(CASES) + len(BROKEN)):
        pane.press("j")
        pane.press("i")
        screens.append(pane.wait_for("Feed details"))
        pane.press("Escape")
        pane.wait_screen(lambda screen: "Feed details" not in screen, "the details stayed open")
    shown = "\n".join(screens)
    assert "[@click=app.quit]" in shown, "the markup did not show literally"
    assert "500" in shown, "the broken feed's error never showed"
    assert_untouched(pane, tmux)
    pane.quit("q")
    assert_terminal_untouched(pane.output())
