"""The files an item carries (RSS enclosures, Atom enclosure links, media:content) are listed
after its body as links, as JSON Feed attachments already were. Small feeds written here."""

from __future__ import annotations

from blogtui.core.feeds.parse import parse_feed
from blogtui.core.text.html import html_to_text

URL = "http://blog.example/feed/"


def rss(item: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>Cast</title><link>http://blog.example/</link>{item}</channel></rss>"
    ).encode()


def only(body: bytes):
    (entry,) = parse_feed(body, URL).entries
    return entry


def test_an_rss_enclosure_is_a_link_with_its_type_and_size():
    entry = only(
        rss(
            "<item><guid>1</guid><title>Folge 1</title><description>Wir reden.</description>"
            '<enclosure url="http://cdn.example/folge1.mp3" length="31457280" type="audio/mpeg"/>'
            "</item>"
        )
    )
    rendered = html_to_text(entry.content, entry.link)
    assert rendered.text.startswith("Wir reden.\n\nAttachments:")
    assert "[folge1.mp3][1] (audio/mpeg, 30.0 MB)" in rendered.text
    assert rendered.links == ["http://cdn.example/folge1.mp3"]


def test_atom_enclosure_links_and_media_content_are_listed_once_each():
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"'
        b' xmlns:media="http://search.yahoo.com/mrss/"><title>A</title><id>urn:a</id>'
        b"<entry><id>urn:1</id><title>Clip</title><content type='html'>Text</content>"
        b'<link rel="enclosure" href="/files/clip.webm" type="video/webm" title="Der Clip"/>'
        b'<media:content url="http://blog.example/files/clip.webm" type="video/webm"/>'
        b'<media:content url="http://blog.example/files/talk.ogg" duration="754"/>'
        b"</entry></feed>"
    )
    entry = only(body)
    text = html_to_text(entry.content, entry.link).text
    assert "[Der Clip][1] (video/webm)" in text and "[talk.ogg][2] (12:34)" in text
    assert text.count("clip.webm") == 1  # in the link list only


def test_a_file_the_body_already_shows_or_a_non_web_one_is_not_repeated():
    entry = only(
        rss(
            "<item><guid>2</guid><title>Bild</title>"
            "<description>&lt;img src=&quot;http://cdn.example/bild.jpg&quot;&gt;</description>"
            '<media:content url="http://cdn.example/bild.jpg" medium="image"/>'
            '<enclosure url="ftp://files.example/x.zip" type="application/zip"/>'
            '<enclosure url="data:audio/mpeg;base64,AAAA" type="audio/mpeg"/>'
            "</item>"
        )
    )
    assert "Attachments" not in entry.content


def test_an_item_with_only_files_is_named_and_shows_them():
    entry = only(
        rss(
            "<item><guid isPermaLink='false'>3</guid>"
            '<media:content url="http://cdn.example/movie.mov" type="video/quicktime"/></item>'
        )
    )
    assert entry.title and "movie.mov" in entry.title
    assert "http://cdn.example/movie.mov" in html_to_text(entry.content).links
