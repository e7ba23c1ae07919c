"""A draft names the comment source its reply goes to (`Source:`), and the poster is chosen by
it before the blog's remembered provider."""

from __future__ import annotations

from dataclasses import replace

from posting_support import add_article, make_store

from blogtui.core.drafts.file import Draft, format_draft, parse_draft
from blogtui.core.posting.discourse import DiscoursePoster
from blogtui.core.posting.disqus import DisqusPoster
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.isso import IssoPoster
from blogtui.core.posting.select import choose_poster

URL = "https://blog.example.org/2024/artikel/"


def test_source_is_written_and_read_back() -> None:
    draft = Draft(
        id="d1", blog="blog.example.org", article_url=URL, source="mastodon", text="Hallo"
    )
    content = format_draft(draft)
    assert "\nSource: mastodon\n" in content
    assert parse_draft("d1", content.encode(), 0.0).source == "mastodon"


def test_old_files_without_source_read_as_the_blogs_own_thread() -> None:
    old = b"Blog: blog.example.org\nArticle-URL: " + URL.encode() + b"\nSchema: 1\n\nText\n"
    draft = parse_draft("d2", old, 0.0)
    assert (draft.source, draft.text) == ("", "Text")
    assert "Source:" not in format_draft(draft)


def test_source_header_is_one_sanitised_line() -> None:
    raw = b"Blog: b\nSource: mast\x1b[31modon\nSchema: 1\n\nText\n"
    assert "\x1b" not in parse_draft("d3", raw, 0.0).source


def test_poster_follows_the_drafts_source_first(tmp_path) -> None:
    store, _ = make_store(tmp_path)
    add_article(store, URL)
    store.remember_blog("https://blog.example.org", "isso")
    draft = Draft(id="d4", article_url=URL, text="Hallo")
    assert isinstance(choose_poster(store, draft), IssoPoster)
    assert isinstance(choose_poster(store, replace(draft, source="disqus")), DisqusPoster)
    assert isinstance(choose_poster(store, replace(draft, source="discourse")), DiscoursePoster)
    assert isinstance(choose_poster(store, replace(draft, source="wordpress")), FormPoster)


def test_new_draft_keeps_its_source(tmp_path) -> None:
    _, drafts = make_store(tmp_path)
    draft = drafts.new(blog="b", article_url=URL, text="Hallo", source="mastodon")
    assert drafts.load(draft.id).source == "mastodon"
