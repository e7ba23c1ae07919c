"""Issue 13: every field as the feed means it (authors, titles, plain text, links, charsets,
missing titles), on small feeds written for each rule."""

from __future__ import annotations

import codecs

import pytest

from blogtui.core.feeds.parse import parse_feed
from blogtui.core.store import Store
from blogtui.core.text.html import html_to_text

URL = "http://blog.example/feed/"
ATOM_NS = 'xmlns="http://www.w3.org/2005/Atom"'


def rss(items: str, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>'
        f"<link>http://blog.example/</link>{channel}{items}</channel></rss>"
    ).encode()


def atom(entries: str, head: str = "", base: str = "") -> bytes:
    attributes = f' xml:base="{base}"' if base else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed {ATOM_NS}{attributes}>'
        f"<title>Atom</title><id>urn:f</id>{head}{entries}</feed>"
    ).encode()


def only(body: bytes, url: str = URL, headers: dict[str, str] | None = None):
    (entry,) = parse_feed(body, url, headers or {}).entries
    return entry


# --- 1. authors --------------------------------------------------------------------------------


def test_rss_author_shows_the_name_and_keeps_the_address_apart():
    entry = only(rss("<item><guid>1</guid><author>jo@example.org (Jo Beispiel)</author></item>"))
    assert (entry.author, entry.author_email) == ("Jo Beispiel", "jo@example.org")


def test_blogger_noreply_address_is_not_the_author():
    item = "<item><guid>1</guid><author>noreply@blogger.com (Ann Example)</author></item>"
    entry = only(rss(item))
    assert entry.author == "Ann Example" and entry.author_email == "noreply@blogger.com"


def test_several_authors_are_all_kept():
    atom_entry = (
        "<entry><id>1</id><title>t</title><author><name>Ann</name></author>"
        "<author><name>Bob</name><email>bob@example.org</email></author></entry>"
    )
    entry = only(atom(atom_entry))
    assert (entry.author, entry.author_email) == ("Ann, Bob", "bob@example.org")
    creators = "<item><guid>1</guid><dc:creator>Ann</dc:creator><dc:creator>Bob</dc:creator></item>"
    assert only(rss(creators)).author == "Ann, Bob"


def test_atom_entry_without_author_takes_its_sources_then_the_feeds():
    head = "<author><name>Feed Author</name></author>"
    from_source = (
        "<entry><id>1</id><title>t</title>"
        "<source><id>urn:s</id><author><name>Source Author</name></author></source></entry>"
    )
    from_feed = "<entry><id>2</id><title>t</title></entry>"
    first, second = parse_feed(atom(from_source + from_feed, head), URL, {}).entries
    assert first.author == "Source Author"  # RFC 4287 §4.2.1: source before feed
    assert second.author == "Feed Author"
    channel = "<managingEditor>ed@example.org (Ed)</managingEditor>"
    assert only(rss("<item><guid>1</guid></item>", channel)).author == ""  # Atom's rule only


def test_author_address_is_stored_apart(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(URL)
    entry = only(rss("<item><guid>1</guid><author>jo@example.org (Jo)</author></item>"))
    store.upsert_articles(feed.id, [entry])
    article = store.get_article(store.article_ids([feed.id])[0])
    assert article is not None
    assert (article.author, article.author_email) == ("Jo", "jo@example.org")


# --- 2. titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ('<title type="html">&lt;b&gt;title&lt;/b&gt; of article</title>', "title of article"),
        (
            '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "<b>title</b> of article</div></title>",
            "title of article",
        ),
        (
            '<title type="html"><![CDATA[Don&#8217;t stop &#038; go]]></title>',
            "Don\u2019t stop & go",
        ),
        ('<title type="html">1 &amp;lt; 2</title>', "1 < 2"),
    ],
)
def test_atom_titles_are_plain_text_by_their_type(title, expected):
    entry = only(atom(f"<entry><id>1</id>{title}</entry>"))
    assert entry.title == expected


def test_wordpress_rss_title_entities_are_decoded():
    item = "<item><guid>1</guid><title><![CDATA[Don&#8217;t stop &#038; go]]></title></item>"
    assert only(rss(item)).title == "Don\u2019t stop & go"


def test_text_titles_keep_markup_characters_html_titles_lose_tags():
    text = only(atom('<entry><id>1</id><title type="text">&lt;b&gt; is bold</title></entry>'))
    html = only(atom('<entry><id>1</id><title type="html">&lt;b&gt; is bold</title></entry>'))
    assert (text.title, html.title) == ("<b> is bold", "is bold")


def test_feed_title_is_plain_text_too():
    body = atom("", base="")
    body = body.replace(
        b"<title>Atom</title>", b'<title type="html">A &lt;i&gt;B&lt;/i&gt;</title>'
    )
    assert parse_feed(body, URL, {}).title == "A B"


def test_titles_are_sanitised():
    entry = only(atom('<entry><id>1</id><title type="html">a&#x1b;[31m b</title></entry>'))
    assert "\x1b" not in entry.title and entry.title.startswith("a")


# --- 3. plain-text content ---------------------------------------------------------------------


def test_atom_text_content_is_shown_as_text():
    content = '<content type="text">Use &lt;br&gt; here.\nSecond line\n\nNew paragraph</content>'
    entry = only(atom(f"<entry><id>1</id><title>t</title>{content}</entry>"))
    assert html_to_text(entry.content).text == ("Use <br> here.\nSecond line\n\nNew paragraph")


def test_plain_rss_description_keeps_angle_brackets_and_lines():
    item = "<item><guid>1</guid><description>x &lt;y&gt; z\nnext line</description></item>"
    assert html_to_text(only(rss(item)).content).text == "x <y> z\nnext line"
    html = (
        "<item><guid>1</guid>"
        "<description>&lt;p&gt;a &lt;b&gt;b&lt;/b&gt;&lt;/p&gt;</description></item>"
    )
    assert only(rss(html)).content == "<p>a <b>b</b></p>"  # markup stays HTML
    summary = '<summary type="html">&lt;p&gt;Hi&lt;/p&gt;</summary>'
    assert only(atom(f"<entry><id>1</id><title>t</title>{summary}</entry>")).content == "<p>Hi</p>"


def test_relative_links_resolve_against_xml_base_in_scope():
    entry = (
        '<entry xml:base="/posts/2024/"><id>1</id><title>t</title><link href="hello"/>'
        '<content type="html">&lt;a href="next.html"&gt;n&lt;/a&gt;'
        ' &lt;img src="img/a.png"&gt; &lt;a href="#top"&gt;t&lt;/a&gt;</content></entry>'
    )
    (parsed,) = parse_feed(atom(entry), "http://blog.example/feeds/all.atom", {}).entries
    assert parsed.link == "http://blog.example/posts/2024/hello"
    assert 'href="http://blog.example/posts/2024/next.html"' in parsed.content
    assert 'src="http://blog.example/posts/2024/img/a.png"' in parsed.content
    assert 'href="#top"' in parsed.content
    item = (
        "<item><guid>1</guid><description>&lt;a href='mailto:a@b'&gt;m&lt;/a&gt;"
        ' &lt;a href="https://x.example/"&gt;x&lt;/a&gt; &lt;img src="/i.png"&gt;'
        "</description></item>"
    )
    content = only(rss(item)).content
    assert "href='mailto:a@b'" in content and 'href="https://x.example/"' in content
    assert 'src="http://blog.example/i.png"' in content


def test_relative_links_without_xml_base_use_the_document_url():
    item = (
        "<item><guid>g1</guid><link>http://elsewhere.example/article</link>"
        '<description>&lt;a href="../about/"&gt;about&lt;/a&gt;</description></item>'
    )
    entry = only(rss(item), url="http://blog.example/feeds/rss.xml")
    assert 'href="http://blog.example/about/"' in entry.content  # not the article's URL
    assert entry.key == entry.guid == "g1"  # identity is not resolved


LATIN = (
    '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
    "<title>Gr\xfc\xdfe</title><item><guid>1</guid><title>\xe4</title></item></channel></rss>"
)


def test_utf16_header_on_an_8_bit_document_is_read_by_its_declaration():
    body = LATIN.encode("latin-1")
    parsed = parse_feed(body, URL, {"content-type": "application/rss+xml; charset=utf-16"})
    assert parsed.title == "Grüße" and parsed.entries[0].title == "ä"
    assert parsed.encoding.startswith("iso-8859-1 (XML declaration")
    assert "utf-16 cannot be right" in parsed.encoding and not parsed.malformed


def test_bom_wins_over_the_http_charset():
    body = codecs.BOM_UTF8 + LATIN.replace("iso-8859-1", "utf-8").encode("utf-8")
    parsed = parse_feed(body, URL, {"content-type": "text/xml; charset=iso-8859-1"})
    assert parsed.title == "Grüße"
    assert parsed.encoding == "utf-8 (byte order mark)"


def test_utf16_with_bom_and_a_utf8_header():
    body = LATIN.replace("iso-8859-1", "utf-16").encode("utf-16")
    parsed = parse_feed(body, URL, {"content-type": "application/xml; charset=utf-8"})
    assert parsed.title == "Grüße" and parsed.encoding.endswith("(byte order mark)")


def test_http_charset_wins_over_the_declaration():
    body = LATIN.replace("iso-8859-1", "utf-8").encode("windows-1252")
    parsed = parse_feed(body, URL, {"content-type": "application/xml; charset=windows-1252"})
    assert parsed.title == "Grüße" and parsed.encoding == "windows-1252 (HTTP charset)"


def test_encoding_is_recorded_on_the_feed(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(URL)
    store.record_fetch(feed.id, status=200, encoding="iso-8859-1 (XML declaration)")
    stored = store.get_feed(feed.id)
    assert stored is not None and stored.encoding == "iso-8859-1 (XML declaration)"


@pytest.mark.parametrize(
    ("body", "header", "encoding"),
    [
        (b"<?xml version='1.0'?><a/>", "", "utf-8"),
        (b"\xff\xfe<\x00?\x00", "", "utf-16-le"),
        (b"<\x00?\x00x\x00", "", "utf-16-le"),
        (b"<?xml version='1.0' encoding='gb2312'?><a/>", "", "gb18030"),
        (b"<?xml version='1.0' encoding='no-such'?><a/>", "no-such-either", "utf-8"),
    ],
)
def test_decode_picks(body, header, encoding):
    from blogtui.core.feeds.charset import decode

    assert decode(body, header).encoding == encoding


def test_declared_charset_that_fails_falls_back_and_says_so():
    from blogtui.core.feeds.charset import decode

    wrong = decode("<?xml version='1.0' encoding='shift_jis'?><a>\x80\xff</a>".encode("latin-1"))
    assert wrong.note.startswith("declared as shift_jis") and wrong.encoding == "windows-1252"


# --- 8. missing titles -------------------------------------------------------------------------


def test_untitled_item_is_named_by_its_first_words():
    words = " ".join(f"w{n}" for n in range(30))
    item = f"<item><guid>1</guid><description>&lt;p&gt;{words}&lt;/p&gt;</description></item>"
    title = only(rss(item)).title
    assert title.startswith("w0 w1 w2") and title.endswith("…") and len(title) <= 80


def test_untitled_item_without_text_is_named_by_its_link_path():
    item = "<item><link>http://blog.example/2024/05/hello-world/</link></item>"
    entry = only(rss(item))
    assert entry.title == "2024/05/hello-world"
    assert entry.key == "http://blog.example/2024/05/hello-world/"  # identity unchanged


def test_untitled_item_keeps_its_hash_identity():
    item = (
        "<item><description>Just text</description>"
        "<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
    )
    entry = only(rss(item))
    assert entry.title == "Just text" and entry.key.startswith("sha1:")
    again = only(rss(item.replace("Just text", "Other text")))
    assert again.key == entry.key  # the hash is of the feed's own (empty) title and date


def test_content_location_is_the_documents_base_but_not_its_identity():
    item = (
        "<item><link>/relative/uri</link>"
        "<description>&lt;a href='x'&gt;x&lt;/a&gt;</description></item>"
    )
    headers = {"Content-Location": "http://example.com/feeds/"}
    entry = only(rss(item), url="http://blog.example/rss", headers=headers)
    assert entry.link == "http://example.com/relative/uri"  # RFC 3986 §5.1.2
    assert 'href="http://example.com/feeds/x"' in entry.content
    assert entry.key == "http://blog.example/relative/uri"  # identity as before


def test_out_of_line_atom_content_falls_back_to_the_summary():
    entry = (
        "<entry><id>1</id><title>t</title><summary>Short text</summary>"
        '<content type="text/html" src="http://blog.example/full.html"/></entry>'
    )
    assert html_to_text(only(atom(entry)).content).text == "Short text"


def test_utf16_header_without_bom_takes_the_byte_order_of_the_first_bytes():
    body = LATIN.replace("iso-8859-1", "utf-16").encode("utf-16-be")
    parsed = parse_feed(body, URL, {"content-type": "application/xml; charset=utf-16"})
    assert parsed.title == "Grüße" and parsed.encoding == "utf-16-be (HTTP charset)"
