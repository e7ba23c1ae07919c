"""parse_feed(): fields, identity, safety checks, charsets and the CDATA shield."""

from __future__ import annotations

import io
import time

import feedparser
import pytest

from blogtui.core.errors import FeedError
from blogtui.core.feeds import parse as parse_module
from blogtui.core.feeds.parse import ParsedFeed, api_root, parse_feed, scan_prolog
from blogtui.core.feeds.shield import ItemMemory, Shield, leave_out, split_items

URL = "http://blog.example/feed/"
RSS_TYPE = {"content-type": "application/rss+xml; charset=UTF-8"}
NS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
)
BODY = "<p>Hello <b>world</b></p>" * 20


def rss(items: str, title: str = "Blog", prolog: str = "", encoding: str = "UTF-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>{prolog}<rss version="2.0" {NS}><channel>'
        f"<title>{title}</title><link>http://blog.example/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode(encoding if encoding.lower() != "utf-8" else "utf-8")


def item(n: int = 1, content: str = BODY, extra: str = "") -> str:
    return (
        f"<item><title>Post {n}</title><link>http://blog.example/{n}/</link>"
        f"<comments>http://blog.example/{n}/#comments</comments>"
        f"<dc:creator><![CDATA[Ann]]></dc:creator>"
        f"<pubDate>Mon, 01 Jan 2024 00:00:0{n % 10} +0000</pubDate>"
        f'<guid isPermaLink="false">http://blog.example/?p={n}</guid>'
        f"<description><![CDATA[{content[:300]}]]></description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        f"<wfw:commentRss>http://blog.example/{n}/feed/</wfw:commentRss>"
        f"<slash:comments>{n + 2}</slash:comments>{extra}</item>"
    )


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>Atom blog</title><link rel="alternate" href="http://atom.example/"/><id>urn:feed</id>
<updated>2024-02-03T04:05:06Z</updated>
<entry><title type="html">A &amp;amp; B</title><id>urn:entry:1</id>
<updated>2024-02-03T04:05:06Z</updated><link rel="alternate" href="/posts/1"/>
<link rel="replies" type="application/atom+xml" href="http://atom.example/1/comments.atom"/>
<link rel="replies" type="text/html" href="http://atom.example/1#comments"/>
<thr:total>7</thr:total><author><name>Bo</name></author>
<content type="html"><![CDATA[<p>Atom body</p>]]></content></entry>
</feed>"""


def test_wordpress_rss_fields():
    parsed = parse_feed(rss(item(1) + item(2)), URL, RSS_TYPE)
    assert isinstance(parsed, ParsedFeed)
    assert (parsed.title, parsed.site_url, parsed.malformed) == ("Blog", "http://blog.example/", "")
    first = parsed.entries[0]
    assert first.key == first.guid == "http://blog.example/?p=1"
    assert (first.title, first.author, first.link) == ("Post 1", "Ann", "http://blog.example/1/")
    assert first.published == 1704067201.0 and first.updated is None
    assert first.content == BODY
    assert first.comment_count == 3
    assert first.comments_url == "http://blog.example/1/#comments"
    assert first.comment_feed == "http://blog.example/1/feed/"
    assert first.replies_feed == ""


def test_atom_fields_and_replies_feed():
    parsed = parse_feed(ATOM, "http://atom.example/feed.atom", {})
    entry = parsed.entries[0]
    assert (parsed.title, parsed.site_url) == ("Atom blog", "http://atom.example/")
    assert entry.key == "urn:entry:1" and entry.title == "A & B"  # type="html": plain text
    assert entry.link == "http://atom.example/posts/1"
    assert entry.replies_feed == "http://atom.example/1/comments.atom"
    assert entry.comment_count == 7 and entry.author == "Bo"
    assert entry.published == entry.updated == 1706933106.0
    assert entry.content == "<p>Atom body</p>"


def test_identity_falls_back_to_link_then_a_hash():
    items = (
        "<item><title>L</title><link>/relative/1</link></item>"
        "<item><title>Only a title</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
    )
    first, second = parse_feed(rss(items), URL, RSS_TYPE).entries
    assert first.key == first.link == "http://blog.example/relative/1" and first.guid == ""
    assert second.key.startswith("sha1:") and len(second.key) == 45
    assert parse_feed(rss(items), URL, RSS_TYPE).entries[1].key == second.key


def test_comment_feed_key_spelled_commentRSS():
    items = (
        '<item><title>x</title><guid>g</guid><wfw:commentRSS xmlns:wfw="http://wellformedweb.org/'
        'CommentAPI/">http://blog.example/c.rss</wfw:commentRSS></item>'
    )
    assert parse_feed(rss(items), URL, RSS_TYPE).entries[0].comment_feed.endswith("/c.rss")


def test_bad_comment_counts_are_none():
    items = "".join(
        f"<item><guid>{n}</guid><slash:comments>{value}</slash:comments></item>"
        for n, value in enumerate(["many", "-3", ""])
    )
    assert [e.comment_count for e in parse_feed(rss(items), URL, RSS_TYPE).entries] == [None] * 3


def test_entries_are_capped(monkeypatch):
    monkeypatch.setattr(parse_module, "MAX_ENTRIES", 3)
    items = "".join(f"<item><guid>{n}</guid></item>" for n in range(10))
    assert [e.key for e in parse_feed(rss(items), URL, RSS_TYPE).entries] == ["0", "1", "2"]


def test_api_root_from_link_header():
    headers = {"link": '<http://blog.example/wp-json/>; rel="https://api.w.org/", <x>; rel=next'}
    assert parse_feed(rss(item()), URL, headers).api_root == "http://blog.example/wp-json/"
    assert api_root({"link": '</wp-json/>; rel="https://api.w.org/"'}, URL) == (
        "http://blog.example/wp-json/"
    )
    assert api_root({"link": "<http://x/>; rel=alternate"}, URL) == ""


# --- safety -------------------------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [
        LAUGHS,
        '<!DOCTYPE rss SYSTEM "x.dtd" [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>',
        '<!-- <fake-root> --><!DOCTYPE rss [<!entity e "x">]>',
        '<?pi <fake?><!DOCTYPE rss [<!-- ]> <x --> <!ENTITY e "x">]>',
        '<!DOCTYPE rss PUBLIC "<x>" "y" [<!ENTITY e "x">]>',
    ],
)
def test_entity_declarations_are_refused(prolog):
    start = time.monotonic()
    with pytest.raises(FeedError, match="^document declares XML entities$"):
        parse_feed(rss(item(), prolog=prolog), URL, RSS_TYPE)
    assert time.monotonic() - start < 0.5


def test_plain_doctype_parses():
    prolog = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    )
    assert parse_feed(rss(item(), prolog=prolog), URL, RSS_TYPE).entries[0].title == "Post 1"


def test_entity_text_inside_an_article_still_parses():
    text = "<p>Never write <code>&lt;!ENTITY x SYSTEM 'file:///'&gt;</code> in a feed.</p>"
    items = item(1, content="<p>CDATA mention: <!ENTITY lol 'x'></p>" * 20) + (
        f"<item><guid>2</guid><description>{text}</description></item>"
    )
    entries = parse_feed(rss(items), URL, RSS_TYPE).entries
    assert "<!ENTITY lol" in entries[0].content and "&lt;!ENTITY" in entries[1].content


def test_scan_prolog():
    assert scan_prolog('<?xml version="1.0"?><!-- c --><rss>').root == "rss"
    assert scan_prolog("<!DOCTYPE html><html>").doctype == "html"
    assert scan_prolog("<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").entities


@pytest.mark.parametrize("body", [b"", b"  \n\t", b"\xef\xbb\xbf"])
def test_empty_bodies_are_refused(body):
    with pytest.raises(FeedError, match="^empty document$|^not a feed"):
        parse_feed(body, URL, {})


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>",
        b"<html><body><p>Hello</p></body></html>",
        b"\n<!-- x --><HTML lang=en><p>Hello",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
)
def test_html_pages_are_refused(body):
    with pytest.raises(FeedError, match=r"^not a feed \(looks like an HTML page\)$"):
        parse_feed(body, URL, {"content-type": "text/html"})


@pytest.mark.parametrize(
    "body", [b"hello world", b"/etc/passwd", b"http://127.0.0.1:9/feed", b"<a><b>c</a>"]
)
def test_non_feeds_are_refused(body):
    with pytest.raises(FeedError, match="^not a feed"):
        parse_feed(body, URL, {})


def test_feedparser_only_ever_gets_a_byte_stream(monkeypatch):
    seen = []
    real = feedparser.parse

    def spy(source, **options):
        seen.append(type(source))
        return real(source, **options)

    monkeypatch.setattr(feedparser, "parse", spy)
    parse_feed(rss(item()), URL, RSS_TYPE)
    with pytest.raises(FeedError):
        parse_feed(b"http://127.0.0.1:9/x", URL, {})
    assert seen and set(seen) == {io.BytesIO}


def test_malformed_feed_keeps_entries_and_says_why():
    body = rss(item(1) + "<item><title>Fish & Chips</title><guid>2</guid></item>")
    parsed = parse_feed(body, URL, RSS_TYPE)
    assert [e.key for e in parsed.entries] == ["http://blog.example/?p=1", "2"]
    assert "not well-formed" in parsed.malformed and parsed.entries[0].content == BODY


def test_truncated_feed_keeps_entries():
    body = rss(item(1) + item(2))[:-200]
    parsed = parse_feed(body, URL, RSS_TYPE)
    assert parsed.malformed and parsed.entries[0].title == "Post 1"


# --- character sets -----------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["application/rss+xml; charset=utf-8", "text/xml", ""])
def test_windows_1252_sent_as_utf8_keeps_umlauts(header):
    body = rss("<item><guid>1</guid><title>Grüße €</title></item>", title="Café").replace(
        "Grüße €".encode(), "Grüße €".encode("cp1252")
    )
    body = body.replace("Café".encode(), "Café".encode("cp1252"))
    parsed = parse_feed(body, URL, {"content-type": header} if header else {})
    assert parsed.entries[0].title == "Grüße €" and parsed.title == "Café"
    assert "windows-1252" in parsed.malformed


def test_one_stray_byte_in_utf8_keeps_the_rest():
    body = rss("<item><guid>1</guid><title>Grüße aus Köln \x00</title></item>")
    body = body.replace(b"\x00", b"\xe9t\xe9")
    parsed = parse_feed(body, URL, RSS_TYPE)
    assert parsed.entries[0].title == "Grüße aus Köln été"


@pytest.mark.parametrize("encoding", ["iso-8859-1", "windows-1252", "utf-16"])
def test_declared_charsets_are_honoured(encoding):
    parsed = parse_feed(
        rss("<item><guid>1</guid><title>Grüße</title></item>", encoding=encoding), URL, {}
    )
    assert parsed.entries[0].title == "Grüße" and parsed.malformed == ""


def test_text_xml_without_charset_is_not_called_malformed():
    parsed = parse_feed(rss(item()), URL, {"content-type": "text/xml"})
    assert parsed.malformed == "" and parsed.entries[0].content == BODY


# --- the CDATA shield ---------------------------------------------------------------------------

SHIELD_CASES = [
    rss(item(1) + item(2)),
    rss(item(1, content="  \n" + BODY + "\n  ")),
    rss(item(1, content=BODY + "\x85 \x80 smart\x93quotes\x94")),
    rss(item(1, content="Ã¼ber " + BODY)),
    rss(item(1, content=BODY + "]]]]><![CDATA[>tail")),
    rss(item(1, content=BODY + "\x0b control")),
    ATOM.replace(b"<p>Atom body</p>", BODY.encode() * 2),
    ATOM.replace(b'type="html"><![CDATA[', b'type="text/plain"><![CDATA[' + BODY.encode()),
    ATOM.replace(b'type="html"><![CDATA[', b'type="image/png" mode="base64"><![CDATA[QUJD' * 100),
]


@pytest.mark.parametrize("body", SHIELD_CASES, ids=[f"case{n}" for n in range(len(SHIELD_CASES))])
def test_shielding_changes_nothing(body):
    assert parse_feed(body, URL, RSS_TYPE, shield=True) == parse_feed(
        body, URL, RSS_TYPE, shield=False
    )


def test_shield_really_hides_big_cdata():
    guard = Shield()
    text = rss(item(1)).decode()
    hidden = guard.hide(text)
    assert guard.blocks == [BODY[:300], BODY] and BODY[:300] not in hidden
    tokens = hidden.split("<![CDATA[")[-1].split("]]>")[0]
    assert guard.restore(tokens) == BODY and len(hidden) < len(text) - len(BODY)


# --- splitting items ----------------------------------------------------------------------------


def test_split_items_cuts_rss_and_atom():
    body = rss(item(1) + "\n  " + item(2, content="<p>has <item> and </item> in CDATA</p>" * 9))
    head, items, tail = split_items(body)
    assert len(items) == 2 and items[0].startswith(b"<item>") and items[1].endswith(b"</item>")
    assert head.endswith(b"<description>d</description>") and tail == b"</channel></rss>"
    entries = split_items(ATOM)[1]
    assert len(entries) == 1 and entries[0].startswith(b"<entry>")


@pytest.mark.parametrize(
    "body",
    [
        rss("<item/>" + item(1)),
        rss("<item><item>x</item></item>"),
        rss(item(1) + "<junk>between</junk>" + item(2)),
        rss("<description>no items</description>"),
        rss(item(1) + "<entry><id>x</id></entry>"),
        rss(item(1)).replace(b"</item>", b"</item><!-- <item> unclosed"),
        rss(item(1), encoding="utf-16"),
        b"",
    ],
    ids=["self-closing", "nested", "junk", "none", "mixed", "comment", "utf-16", "empty"],
)
def test_split_items_gives_up_when_unsure(body):
    assert split_items(body) is None


def test_leave_out_known_items_and_the_memory_of_them():
    memory, key = ItemMemory(), ("db", 1, URL)
    first = rss(item(1) + item(2))
    assert memory.known(key, stored=0) is None
    body, digests = leave_out(first, None)
    assert body == first and len(digests) == 2
    memory.remember(key, digests)
    second = rss(item(3) + item(1) + item(2, content="edited " + BODY))
    body, _ = leave_out(second, memory.known(key, stored=2))
    entries = parse_feed(body, URL, RSS_TYPE).entries
    assert [e.title for e in entries] == ["Post 3", "Post 2"]
    assert memory.known(key, stored=1) is None  # fewer stored than remembered: a new store
    assert memory.known(("db", 2, URL), stored=9) is None
    assert leave_out(b"<html>no items</html>", digests) == (b"<html>no items</html>", None)
    memory.forget()
    assert memory.known(key, stored=2) is None
