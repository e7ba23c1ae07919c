"""Helpers for the hostile-input tests: data files, feed builders, refresh and screen dumps.

Data files in tests/hostile/data start with a header block of `Key: value` lines ending at the
first blank line (Description, Expect, and optionally Status and Header lines, the latter sent as
HTTP headers); the bytes after it are served as the response body, exactly as stored.
"""

from __future__ import annotations

import re
import resource
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from feedserver import FeedServer, Response

from blogtui.core.config import Config
from blogtui.core.feeds.refresh import RefreshSummary, refresh_feeds
from blogtui.core.models import Feed
from blogtui.core.store import Store

DATA = Path(__file__).parent / "data"
EARLIER_TITLE = "Früherer Beitrag über Äpfel"
"""The article every hostile case's feed carried before the attack: it must survive."""
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Case:
    """One data file: what it attacks, what must happen, and what the server sends."""

    name: str
    description: str
    expect: str
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    """Every header line by lowercased key (e.g. "error": a text the feed's error must hold)."""

    def response(self, base: str = "") -> Response:
        """The Response serving this case; `{base}` in the body becomes the server's URL."""
        return Response(self.status, self.body.replace(b"{base}", base.encode()), self.headers)


def load_case(name: str) -> Case:
    """Read tests/hostile/data/<name>."""
    raw = (DATA / name).read_bytes()
    head, _, body = raw.partition(b"\n\n")
    fields: dict[str, str] = {}
    headers: dict[str, str] = {}
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        if key == "Header":
            header, _, header_value = value.partition(":")
            headers[header.strip()] = header_value.strip()
        else:
            fields[key.strip().lower()] = value.strip()
    assert fields.get("description") and fields.get("expect"), f"{name}: header lines missing"
    return Case(
        name,
        fields["description"],
        fields["expect"],
        body,
        int(fields.get("status", "200")),
        headers,
        fields,
    )


def case_names(prefix: str) -> list[str]:
    """Data file names starting with `prefix`, sorted."""
    return sorted(p.name for p in DATA.iterdir() if p.name.startswith(prefix))


def rss(title: str, items: list[dict[str, str]], extra: str = "") -> bytes:
    """An RSS 2.0 document; item values are XML-escaped (pass raw text)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/"',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>{extra}",
    ]
    for item in items:
        parts.append("<item>")
        for key, value in item.items():
            parts.append(f"<{key}>{escape(value)}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def earlier_feed() -> bytes:
    """The good feed served before an attack."""
    item = {
        "title": EARLIER_TITLE,
        "link": "http://127.0.0.1/earlier",
        "guid": "earlier-1",
        "description": "<p>Schöne Grüße</p>",
    }
    return rss("Gutes Blog", [item])


def config(**changes: object) -> Config:
    """A Config for tests: short timeouts."""
    values: dict[str, object] = {"fetch_timeout": 5.0, "concurrency": 8}
    values.update(changes)
    return Config(**values)  # type: ignore[arg-type]


async def refresh(store: Store, feeds: list[Feed], cfg: Config | None = None) -> RefreshSummary:
    """refresh_feeds in threads only, forced."""
    return await refresh_feeds(store, feeds, cfg or config(), force=True, processes=0)


async def attack(
    server: FeedServer, store: Store, path: str, hostile: Response, cfg: Config | None = None
) -> tuple[Feed, RefreshSummary]:
    """Serve a good feed at `path`, refresh, then serve `hostile` and refresh again."""
    url = server.route(path, [Response(200, earlier_feed()), hostile])
    feed, _ = store.add_feed(url)
    first = await refresh(store, [feed], cfg)
    assert first.failed == 0 and first.new_articles == 1, first
    summary = await refresh(store, [store.get_feed(feed.id) or feed], cfg)
    updated = store.get_feed(feed.id)
    assert updated is not None
    return updated, summary


def titles(store: Store, feed_id: int | None = None) -> list[str]:
    """Titles of the stored articles (of one feed), newest first."""
    ids = store.article_ids(None if feed_id is None else [feed_id])
    return [row.title for row in store.article_summaries(ids)]


def assert_clean(text: str, what: str = "text") -> None:
    """`text` has no control, bidi or zero-width characters."""
    found = _UNWANTED.search(text)
    assert found is None, f"{what} carries {found.group()!r}: {text[:300]!r}"


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def screen_dump(app: object) -> tuple[str, str]:
    """(plain text, raw terminal output) of a full redraw of the app's active screen."""
    screen = app.screen  # type: ignore[attr-defined]
    update = screen._compositor.render_update(full=True, screen_stack=app._background_screens)  # type: ignore[attr-defined]
    plain = "\n".join("".join(strip.text for strip in line) for line in update.strips)
    return plain, update.render_segments(app.console)  # type: ignore[attr-defined]


_TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
"""What a Textual redraw legitimately writes: CSI sequences (SGR colours, cursor moves)."""


def assert_terminal_safe(raw: str) -> None:
    """A redraw carries no OSC, DCS, APC, C1, BEL or NUL, and no CSI that clears or reports."""
    rest = _TEXTUAL_OWN.sub("", raw)
    assert "\x1b" not in rest, (
        f"a non-CSI escape reached the terminal: {rest[rest.index(chr(27)) :][:60]!r}"
    )
    for sequence in _TEXTUAL_OWN.findall(raw):
        assert sequence[-1] in "mHABCDGK" or sequence.startswith("\x1b[?"), repr(sequence)
        assert sequence not in ("\x1b[2J", "\x1b[6n", "\x1b[c"), repr(sequence)
    assert_clean(rest.replace("\n", " "), "terminal output")


def comment_feed(payload: str) -> bytes:
    """An RSS comment feed whose comment author and body carry `payload`."""
    item = {
        "title": f"Kommentar von Kommentator {payload}",
        "link": "http://127.0.0.1/post#comment-1",
        "guid": "comment-1",
        "dc:creator": f"Kommentator {payload}",
        "description": f"<p>Kommentar {payload} Ende</p>",
        "pubDate": "Tue, 14 Nov 2023 23:30:00 GMT",
    }
    return rss(f"Kommentare zu {payload}", [item])
