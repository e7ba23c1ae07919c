"""OPML reading and writing, and the round trip through newsboat.

What survives newsboat (2.21, checked here): `newsboat -i` keeps every URL and turns a feed's
folder path into one tag ("Tech/Sub") in its urls file, but drops OPML titles and htmlUrls.
`newsboat -e` writes a flat list (no folders, no tags) whose titles and htmlUrls are those of the
feeds as newsboat last fetched them (empty before a reload).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from blogtui.core.feeds.opml import MAX_OPML_BYTES, OpmlError, OpmlFeed, parse_opml, write_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>mine</title></head>
  <body>
    <outline text="Top" title="Top" type="rss" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
    <outline text="Tech">
      <outline text="One" type="rss" xmlUrl="https://b.example/rss?x=1&amp;y=2"/>
      <outline title="Deep">
        <outline text="Two" type="rss" xmlUrl="https://c.example/atom.xml"/>
      </outline>
    </outline>
    <outline text="Again" type="rss" xmlUrl="https://a.example/feed"/>
  </body>
</opml>
"""

NEWSBOAT_EXPORT = b"""<?xml version="1.0"?>
<opml version="1.0">
  <head>
    <title>newsboat - Exported Feeds</title>
  </head>
  <body>
    <outline type="rss" xmlUrl="http://x.example/feed/" htmlUrl="http://x.example/"
      title="X &amp; Y"/>
    <outline type="rss" xmlUrl="http://z.example/rss" htmlUrl="" title=""/>
    <outline type="rss" xmlUrl="exec:~/bin/feed.sh" htmlUrl="" title="script"/>
    <outline type="rss" xmlUrl="query:unread:unread = &quot;yes&quot;" htmlUrl="" title=""/>
  </body>
</opml>
"""


def test_nested_folders_and_dedupe() -> None:
    assert parse_opml(NESTED) == [
        OpmlFeed("https://a.example/feed", "Top", "", "https://a.example/"),
        OpmlFeed("https://b.example/rss?x=1&y=2", "One", "Tech"),
        OpmlFeed("https://c.example/atom.xml", "Two", "Tech/Deep"),
    ]


def test_newsboat_export_keeps_only_web_feeds() -> None:
    assert parse_opml(NEWSBOAT_EXPORT) == [
        OpmlFeed("http://x.example/feed/", "X & Y", "", "http://x.example/"),
        OpmlFeed("http://z.example/rss"),
    ]


def test_opml_1_without_type_or_head() -> None:
    data = b'<opml version="1.0"><body><outline text="a" xmlurl="http://a.example/"/></body></opml>'
    assert parse_opml(data) == [OpmlFeed("http://a.example/", "a")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file"),
        (b"<opml><body><outline text='a'", "not a valid OPML file"),
        (b"<opml><body><outline text='&nbsp;'/></body></opml>", "undefined entity"),
        (b'<!DOCTYPE opml [<!ENTITY a "b">]><opml><body/></opml>', "document type"),
        (b'<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>', "document type"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<opml><body><outline text='&b;' xmlUrl='http://a.example/'/></body></opml>",
            "document type",
        ),
    ],
)
def test_bad_input_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)


def test_utf16_doctype_is_refused_too() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE opml><opml/>'.encode("utf-16")
    with pytest.raises(OpmlError, match="document type"):
        parse_opml(data)


def test_size_cap() -> None:
    with pytest.raises(OpmlError, match="too large"):
        parse_opml(b"<opml>" + b" " * MAX_OPML_BYTES + b"</opml>")


def test_write_then_parse_round_trips() -> None:
    feeds = [
        OpmlFeed("https://a.example/feed?x=1&y=2", 'A & <B> "c"', "", "https://a.example/"),
        OpmlFeed("https://b.example/rss", "Bé “quoted”", "Tech/Deep"),
        OpmlFeed("https://c.example/rss", "", "Tech"),
    ]
    text = write_opml(feeds, title="test")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert parse_opml(text.encode()) == feeds


def test_write_nests_folders_and_skips_duplicates() -> None:
    feeds = [
        OpmlFeed("https://a.example/", "A", "Tech/Deep"),
        OpmlFeed("https://b.example/", "B", "Tech"),
        OpmlFeed("https://a.example/", "A again", ""),
    ]
    text = write_opml(feeds)
    assert text.count('<outline text="Tech" title="Tech">') == 1
    assert text.count('<outline text="Deep" title="Deep">') == 1
    assert text.count("https://a.example/") == 1
    assert 'type="rss"' in text and 'xmlUrl="https://b.example/"' in text


def test_write_drops_characters_xml_cannot_carry() -> None:
    text = write_opml([OpmlFeed("https://a.example/", "bell\x07 here")])
    assert parse_opml(text.encode())[0].title == "bell here"


# --- the round trip through newsboat -------------------------------------------------------


def _newsboat() -> str:
    path = shutil.which("newsboat")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("newsboat is not installed, and CI requires the OPML round trip with it")
        pytest.skip("newsboat is not installed; the OPML round trip with newsboat was not tested")
    return path


class _FeedHandler(BaseHTTPRequestHandler):
    """Serves the server's `pages`: path -> RSS body."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.server.pages.get(self.path)  # type: ignore[attr-defined]
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *_args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def feed_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    server.pages = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def _rss(title: str, link: str) -> bytes:
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>d</description>"
        f"<item><title>post</title><link>{escape(link)}post</link><guid>{escape(link)}p</guid>"
        "</item></channel></rss>"
    ).encode()


def _run(newsboat: str, home: Path, *args: str) -> str:
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "no_proxy": "*",
    }
    files = ["-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "conf")]
    done = subprocess.run(
        [newsboat, *files, *args], env=env, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode()


def _urls_file(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            url, *tags = shlex.split(line)
            rows.append((url, tags))
    return rows


def test_round_trip_through_newsboat(tmp_path: Path, feed_server: ThreadingHTTPServer) -> None:
    newsboat = _newsboat()
    base = f"http://127.0.0.1:{feed_server.server_address[1]}"
    ours = [
        OpmlFeed(f"{base}/top.xml?a=1&b=2", "Top & Co", "", f"{base}/top/"),
        OpmlFeed(f"{base}/one.xml", "Ünïcode “One”", "Tech", f"{base}/one/"),
        OpmlFeed(f"{base}/two.xml", "Two <deep>", "Tech/Deep", f"{base}/two/"),
    ]
    for feed in ours:
        feed_server.pages[feed.url.removeprefix(base)] = _rss(feed.title, feed.site_url)  # type: ignore[attr-defined]
    home = tmp_path / "home"
    home.mkdir()
    (home / "conf").write_text("", encoding="utf-8")
    (home / "ours.opml").write_text(write_opml(ours), encoding="utf-8")

    _run(newsboat, home, "-i", str(home / "ours.opml"))
    # Every URL survives and the folder path becomes one tag; titles do not survive the import.
    assert _urls_file(home / "urls") == [
        (ours[0].url, []),
        (ours[1].url, ["Tech"]),
        (ours[2].url, ["Tech/Deep"]),
    ]
    assert [(f.url, f.title) for f in parse_opml(_run(newsboat, home, "-e").encode())] == [
        (f.url, "") for f in ours
    ]

    # Once newsboat has fetched the feeds its export carries their titles and site links,
    # but not the folders.
    _run(newsboat, home, "-x", "reload")
    exported = parse_opml(_run(newsboat, home, "-e").encode())
    assert exported == [OpmlFeed(f.url, f.title, "", f.site_url) for f in ours]


def test_export_marks_a_login_and_never_writes_one() -> None:
    from blogtui.core.feeds.opml import LOGIN_ATTRIBUTE

    document = write_opml(
        [
            OpmlFeed("https://anna:Geheim42@private.example/feed", "Private"),
            OpmlFeed("https://kept.example/feed", "Kept", needs_login=True),
            OpmlFeed("https://open.example/feed", "Open"),
        ]
    )
    assert "Geheim42" not in document and "anna" not in document
    assert document.count("needs a login") == 2
    outlines = {o.get("xmlUrl"): o for o in ET.fromstring(document).iter("outline")}
    assert outlines["https://private.example/feed"].get(LOGIN_ATTRIBUTE) == "required"
    assert outlines["https://kept.example/feed"].get(LOGIN_ATTRIBUTE) == "required"
    assert outlines["https://open.example/feed"].get(LOGIN_ATTRIBUTE) is None
    assert [f.url for f in parse_opml(document.encode())] == list(outlines)
