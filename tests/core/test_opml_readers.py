"""OPML as other feed readers write it: categories as tags, `url` for `xmlUrl`, outlines that
stand for commands or queries (never run, listed as skipped), and documents missing their
<opml> root or <body> (refused, saying which). Small files written for each rule."""

from __future__ import annotations

import pytest

from blogtui.core.feeds.opml import OpmlError, OpmlFeed, parse_opml, read_opml


def opml(body: str, *, wrap: bool = True) -> bytes:
    inner = f"<body>{body}</body>" if wrap else body
    head = '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
    return f"{head}{inner}</opml>".encode()


def test_a_document_without_body_is_refused_not_read_as_empty():
    with pytest.raises(OpmlError, match=r"the <body> element .* is missing"):
        parse_opml(opml("", wrap=False))


def test_a_body_outside_the_opml_root_does_not_count():
    data = b'<?xml version="1.0"?><outlines><body><outline xmlUrl="https://a.example/f"/></body></outlines>'
    with pytest.raises(OpmlError, match="the <opml> root element is missing"):
        parse_opml(data)


def test_outlines_in_the_head_are_not_feeds():
    data = (
        b'<opml version="2.0"><head><outline text="x" xmlUrl="https://head.example/f"/></head>'
        b'<body><outline text="b" xmlUrl="https://body.example/f"/></body></opml>'
    )
    assert [feed.url for feed in parse_opml(data)] == ["https://body.example/f"]


def test_commands_and_queries_are_skipped_with_their_reason():
    document = read_opml(
        opml(
            '<outline title="Script" xmlUrl="|~/bin/make-feed.sh"/>'
            '<outline title="Exec" xmlUrl="exec:~/bin/other.sh"/>'
            '<outline title="Filtered" xmlUrl="filter:~/bin/f.pl:https://c.example/feed"/>'
            '<outline title="Picky" xmlUrl="https://d.example/feed" filtercmd="~/bin/keep.pl"/>'
            '<outline title="Unread" xmlUrl="query:Unread:unread = &quot;yes&quot;"/>'
            '<outline title="Local" xmlUrl="file:///home/me/feed.xml"/>'
            '<outline title="Web" xmlUrl="https://e.example/feed"/>'
        )
    )
    assert document.feeds == [OpmlFeed("https://e.example/feed", "Web")]
    reasons = {skipped.title: skipped.reason for skipped in document.skipped}
    assert list(reasons) == ["Script", "Exec", "Filtered", "Picky", "Unread", "Local"]
    for title in ("Script", "Exec", "Filtered", "Picky"):
        assert "never runs commands" in reasons[title], title
    assert "filtercmd" in reasons["Picky"]
    assert "query" in reasons["Unread"]
    assert reasons["Local"] == "not a web address (file:)"
    assert document.skipped[0].url == "|~/bin/make-feed.sh"


def test_a_feed_outside_every_folder_takes_its_first_category():
    document = read_opml(
        opml(
            '<outline type="rss" text="A" xmlUrl="https://a.example/f" category="tag,other"/>'
            '<outline type="rss" text="B" xmlUrl="https://b.example/f" category="/Town/Weather"/>'
            '<outline type="rss" text="C" xmlUrl="https://c.example/f" category=" , ,late"/>'
            '<outline text="Folder"><outline type="rss" text="D" xmlUrl="https://d.example/f"'
            ' category="ignored"/></outline>'
        )
    )
    assert [(feed.title, feed.folder) for feed in document.feeds] == [
        ("A", "tag"),
        ("B", "Town/Weather"),
        ("C", "late"),
        ("D", "Folder"),
    ]


def test_a_feed_outline_may_give_its_address_as_url():
    data = opml(
        '<outline type="rss" text="Old style" url="https://old.example/rss"/>'
        '<outline type="link" text="A page" url="https://page.example/">'
        '<outline type="atom" text="Inner" xmlUrl="https://inner.example/atom"/></outline>'
    )
    assert parse_opml(data) == [
        OpmlFeed("https://old.example/rss", "Old style"),
        OpmlFeed("https://inner.example/atom", "Inner", "A page"),
    ]


@pytest.mark.parametrize("encoding", ["shift_jis", "gb2312", "big5", "euc-kr", "windows-1252"])
def test_a_file_in_a_legacy_encoding_is_read_in_it(encoding):
    title = {"windows-1252": "Café “Zitat”", "euc-kr": "한국어"}.get(encoding, "日本")
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?><opml version="1.0"><body>'
        f'<outline text="{title}" xmlUrl="https://legacy.example/feed"/></body></opml>'
    )
    assert parse_opml(text.encode(encoding)) == [OpmlFeed("https://legacy.example/feed", title)]
