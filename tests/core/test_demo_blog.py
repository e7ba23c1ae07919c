"""The bundled demo blog speaks WordPress: feeds, comment feeds, REST API and the comment form."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import feedparser
import httpx
import pytest
from httpx import Client

from blogtui.demo import DemoBlog

CAFE = "ein-jahr-reparatur-cafe-im-hinterhof"
"""Slug of post 27, the German post with the long thread."""
CAFE_ID = 27
CLOSED_ID = 12
CLI_ID = 19


@pytest.fixture(scope="module")
def http() -> Iterator[Client]:
    """One pooled client: a fresh ``httpx.get`` per request would spend its time on TLS setup."""
    with Client(timeout=5) as client:
        yield client


@pytest.fixture(scope="module")
def blog() -> Iterator[DemoBlog]:
    """One read-only blog for the tests that only look."""
    with DemoBlog() as demo:
        yield demo


@pytest.fixture
def fresh() -> Iterator[DemoBlog]:
    """A blog of its own for a test that posts or changes settings."""
    with DemoBlog() as demo:
        yield demo


def parse(response: httpx.Response) -> feedparser.FeedParserDict:
    """Hand a response to feedparser the safe way: bytes in a BytesIO, headers alongside."""
    headers = {
        "content-location": str(response.url),
        "content-type": response.headers["content-type"],
    }
    return feedparser.parse(io.BytesIO(response.content), response_headers=headers)


class FormFields(HTMLParser):
    """Collects the named fields of ``#commentform`` with their initial values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action = ""
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("id") == "commentform":
            self._inside, self.action = True, found["action"]
        elif self._inside and tag in ("input", "textarea") and "name" in found:
            if found.get("type") not in ("submit", "checkbox"):
                self.fields[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def form_of(http: Client, demo: DemoBlog, post: int | str) -> tuple[str, dict[str, str]]:
    """The comment form's action and fields, scraped from the article page."""
    scraper = FormFields()
    scraper.feed(http.get(demo.post_url(post)).text)
    return scraper.action, scraper.fields


def submit(
    http: Client, demo: DemoBlog, post: int | str = CAFE_ID, **values: str
) -> httpx.Response:
    """Post the scraped form with ``values`` filled in, without following the redirect."""
    action, fields = form_of(http, demo, post)
    fields.update({"author": "Jörg Ütz", "email": "joerg@example.org", "comment": "Grüße!"})
    fields.update(values)
    return http.post(action, data=fields)


def error_text(response: httpx.Response) -> str:
    """The message of ``wp_die()``'s page, tags stripped and entities decoded."""
    match = re.search(r'<div class="wp-die-message">(.*?)</div>', response.text, re.S)
    assert match, response.text
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def rest_comments(http: Client, demo: DemoBlog, **params: object) -> httpx.Response:
    """``GET /wp-json/wp/v2/comments``."""
    return http.get(f"{demo.base_url}/wp-json/wp/v2/comments", params=params)


# ----------------------------------------------------------------------------- discovery


def test_homepage_advertises_feeds_and_the_rest_api(http: Client, blog: DemoBlog) -> None:
    response = http.get(blog.base_url + "/")
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert response.headers["link"] == f'<{blog.base_url}/wp-json/>; rel="https://api.w.org/"'
    page = response.text
    feed_link = f'title="Speichenwerk &raquo; Feed" href="{blog.feed_url}"'
    assert f'<link rel="alternate" type="application/rss+xml" {feed_link} />' in page
    assert f'href="{blog.base_url}/comments/feed/"' in page
    assert 'type="application/atom+xml" title="Speichenwerk &raquo; Atom Feed"' in page
    assert f'<link rel="https://api.w.org/" href="{blog.base_url}/wp-json/" />' in page


def test_article_page_has_links_thread_and_form(http: Client, blog: DemoBlog) -> None:
    response = http.get(blog.post_url(CAFE))
    page = response.text
    assert f"<link rel='shortlink' href='{blog.base_url}/?p={CAFE_ID}' />" in page
    assert f'type="application/json" href="{blog.base_url}/wp-json/wp/v2/posts/{CAFE_ID}"' in page
    assert "rel=shortlink" in response.headers["link"]
    assert '<ol class="commentlist comment-list">' in page
    assert len(re.findall(r'<li id="comment-\d+"', page)) == 44
    assert "depth-7" in page and "bypostauthor" in page
    action, fields = form_of(http, blog, CAFE)
    assert action == f"{blog.base_url}/wp-comments-post.php"
    assert fields["comment_post_ID"] == str(CAFE_ID) and fields["comment_parent"] == "0"
    assert {"comment", "author", "email", "url", "ak_js", "akismet_comment_nonce"} <= set(fields)


def test_replytocom_and_shortlinks(http: Client, blog: DemoBlog) -> None:
    scraper = FormFields()
    scraper.feed(http.get(blog.post_url(CAFE) + "?replytocom=61").text)
    assert scraper.fields["comment_parent"] == "61"
    response = http.get(f"{blog.base_url}/?p={CAFE_ID}")
    assert response.status_code == 301 and response.headers["location"] == blog.post_url(CAFE)


def test_closed_post_shows_its_comments_but_no_form(http: Client, blog: DemoBlog) -> None:
    page = http.get(blog.post_url(CLOSED_ID)).text
    assert "Comments are closed." in page
    assert 'id="commentform"' not in page
    assert len(re.findall(r'<li id="comment-\d+"', page)) == 3


# ----------------------------------------------------------------------------- feeds


def test_posts_feed_carries_comment_hints(http: Client, blog: DemoBlog) -> None:
    response = http.get(blog.feed_url)
    assert response.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    assert 'rel="https://api.w.org/"' in response.headers["link"]
    feed = parse(response)
    assert not feed.bozo and len(feed.entries) == 4
    cafe = next(e for e in feed.entries if e.link == blog.post_url(CAFE))
    assert cafe.id == f"{blog.base_url}/?p={CAFE_ID}" and not cafe.guidislink
    assert cafe.author == "Hanna Berger"
    assert cafe.comments == blog.post_url(CAFE) + "#comments"
    assert cafe.wfw_commentrss == blog.post_url(CAFE) + "feed/"
    assert cafe.slash_comments == "44"
    body = cafe.content[0].value
    assert "Gärtnerstraße" in body and "‚heilige halbe Stunde‘" in body
    quiet = feed.entries[0]
    assert quiet.slash_comments == "0" and quiet.comments.endswith("#respond")


def test_posts_feed_answers_conditional_requests(http: Client, fresh: DemoBlog) -> None:
    first = http.get(fresh.feed_url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert http.get(fresh.feed_url, headers={"If-None-Match": etag}).status_code == 304
    assert http.get(fresh.feed_url, headers={"If-Modified-Since": modified}).status_code == 304
    both = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
    assert http.get(fresh.feed_url, headers=both).status_code == 200
    assert http.get(fresh.feed_url).headers["etag"] == etag
    assert submit(http, fresh).status_code == 302
    assert http.get(fresh.feed_url, headers={"If-None-Match": etag}).status_code == 200


def test_atom_posts_feed_has_thread_links(http: Client, blog: DemoBlog) -> None:
    feed = parse(http.get(blog.base_url + "/feed/atom/"))
    assert not feed.bozo and len(feed.entries) == 4
    cafe = next(e for e in feed.entries if e.id == f"{blog.base_url}/?p={CAFE_ID}")
    replies = [link for link in cafe.links if link.rel == "replies"]
    atom = next(link for link in replies if link.type == "application/atom+xml")
    assert atom.href == blog.post_url(CAFE) + "feed/atom/" and atom["thr:count"] == "44"
    assert cafe.thr_total == "44"


def test_site_comments_feed_has_the_newest_ten(http: Client, blog: DemoBlog) -> None:
    feed = parse(http.get(blog.base_url + "/comments/feed/"))
    assert not feed.bozo and len(feed.entries) == 10
    assert feed.entries[0].link == blog.post_url(CAFE) + "#comment-97"
    assert feed.entries[0].title.startswith("Comment on Ein Jahr Reparatur-Café")


def test_post_comment_feed_names_parents_in_reply_to(http: Client, blog: DemoBlog) -> None:
    feed = parse(http.get(blog.post_url(CAFE) + "feed/"))
    assert not feed.bozo and len(feed.entries) == 10
    assert feed.feed.title == "Comments on: Ein Jahr Reparatur-Café im Hinterhof: " + (
        "was wir gelernt haben"
    )
    by_id = {c["id"]: c for c in blog.comments(CAFE)}
    for entry in feed.entries:
        comment = by_id[int(entry.link.rsplit("-", 1)[1])]
        assert entry.id == f"{blog.base_url}/?p={CAFE_ID}#comment-{comment['id']}"
        description = html.unescape(entry.summary)
        if comment["parent"]:
            parent = by_id[comment["parent"]]
            prefix = f'In reply to <a href="{blog.post_url(CAFE)}#comment-{parent["id"]}">'
            assert description.startswith(prefix + f"{parent['author']}</a>.")
            assert entry.content[0].value.startswith("<p>" + prefix)
        else:
            assert not description.startswith("In reply to")


def test_post_atom_comment_feed_has_thr_in_reply_to(http: Client, blog: DemoBlog) -> None:
    feed = parse(http.get(blog.post_url(CAFE) + "feed/atom/"))
    assert not feed.bozo and len(feed.entries) == 10
    by_id = {c["id"]: c for c in blog.comments(CAFE)}
    for entry in feed.entries:
        comment = by_id[int(entry.id.rsplit("-", 1)[1])]
        target = entry["thr_in-reply-to"]
        if comment["parent"]:
            assert target["ref"] == f"{blog.base_url}/?p={CAFE_ID}#comment-{comment['parent']}"
            assert target["href"] == f"{blog.post_url(CAFE)}#comment-{comment['parent']}"
        else:
            assert target["ref"] == f"{blog.base_url}/?p={CAFE_ID}"


# ----------------------------------------------------------------------------- REST API


def test_rest_pages_through_a_deep_thread(http: Client, blog: DemoBlog) -> None:
    first = rest_comments(http, blog, post=CAFE_ID, per_page=20)
    assert first.headers["x-wp-total"] == "44" and first.headers["x-wp-totalpages"] == "3"
    assert 'rel="next"' in first.headers["link"]
    comments = first.json()
    for page in (2, 3):
        comments += rest_comments(http, blog, post=CAFE_ID, per_page=20, page=page).json()
    dates = [c["date_gmt"] for c in comments]
    assert dates == sorted(dates, reverse=True) and not dates[0].endswith("Z")
    parents = {c["id"]: c["parent"] for c in comments}
    assert len(parents) == 44 and all(p == 0 or p in parents for p in parents.values())

    def depth(comment_id: int) -> int:
        return 1 if not parents[comment_id] else 1 + depth(parents[comment_id])

    assert max(depth(i) for i in parents) >= 5
    reply = next(c for c in comments if c["parent"])
    assert reply["_links"]["in-reply-to"][0]["href"].endswith(f"/comments/{reply['parent']}")
    assert reply["status"] == "approved" and reply["content"]["rendered"].startswith("<p>")


def test_rest_route_query_form_matches_pretty_urls(http: Client, blog: DemoBlog) -> None:
    pretty = rest_comments(http, blog, post=CLI_ID, per_page=100).json()
    plain = http.get(blog.base_url + "/", params={"rest_route": "/wp/v2/comments", "post": CLI_ID})
    assert plain.json() == pretty and len(pretty) == 7


def test_rest_errors_look_like_wordpress(http: Client, blog: DemoBlog) -> None:
    too_many = rest_comments(http, blog, post=CAFE_ID, per_page=101)
    assert too_many.status_code == 400 and too_many.json()["code"] == "rest_invalid_param"
    unknown = http.get(blog.base_url + "/wp-json/wp/v2/nothing")
    assert unknown.status_code == 404 and unknown.json()["code"] == "rest_no_route"
    anonymous = http.post(blog.base_url + "/wp-json/wp/v2/comments", data={"post": CAFE_ID})
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "rest_comment_login_required"


def test_rest_posts_report_comment_status(http: Client, blog: DemoBlog) -> None:
    closed = http.get(f"{blog.base_url}/wp-json/wp/v2/posts/{CLOSED_ID}?_fields=comment_status")
    assert closed.json() == {"comment_status": "closed"}
    found = http.get(blog.base_url + "/wp-json/wp/v2/posts", params={"slug": CAFE}).json()
    assert [post["id"] for post in found] == [CAFE_ID]


# ----------------------------------------------------------------------------- posting


def test_posted_comment_is_linked_and_keeps_umlauts(http: Client, fresh: DemoBlog) -> None:
    text = "Schöne Grüße aus Köln – „danke“ für die Tipps! ß 🙂"
    response = submit(http, fresh, comment=text, comment_parent="96")
    assert response.status_code == 302
    new_id = int(response.headers["location"].rsplit("-", 1)[1])
    assert response.headers["location"] == f"{fresh.post_url(CAFE)}#comment-{new_id}"
    stored = rest_comments(http, fresh, post=CAFE_ID, per_page=1).json()[0]
    assert stored["id"] == new_id and stored["parent"] == 96
    assert stored["author_name"] == "Jörg Ütz"
    assert text in html.unescape(stored["content"]["rendered"])
    assert rest_comments(http, fresh, post=CAFE_ID).headers["x-wp-total"] == "45"
    feed = parse(http.get(fresh.post_url(CAFE) + "feed/"))
    assert text in feed.entries[0].content[0].value


def test_moderation_holds_comments_out_of_feeds_and_rest(http: Client, fresh: DemoBlog) -> None:
    fresh.moderation = True
    response = submit(http, fresh, comment="Wartet auf Freigabe.")
    location = response.headers["location"]
    held = r"\?unapproved=(\d+)&moderation-hash=[0-9a-f]+#comment-\1"
    assert response.status_code == 302
    assert re.fullmatch(re.escape(fresh.post_url(CAFE)) + held, location)
    assert rest_comments(http, fresh, post=CAFE_ID).headers["x-wp-total"] == "44"
    assert "Wartet auf Freigabe." not in http.get(fresh.post_url(CAFE) + "feed/").text
    assert "Your comment is awaiting moderation." in http.get(location).text
    assert fresh.comments(CAFE)[-1]["status"] == "hold"


def test_duplicates_and_floods_are_refused(http: Client, fresh: DemoBlog) -> None:
    assert submit(http, fresh, comment="Einmal reicht.").status_code == 302
    duplicate = submit(http, fresh, comment="Einmal reicht.")
    assert duplicate.status_code == 409
    assert error_text(duplicate).startswith("Duplicate comment detected; it looks as though you’ve")
    fresh.flood_seconds = 60
    flood = submit(http, fresh, comment="Noch etwas.")
    assert flood.status_code == 429
    assert error_text(flood) == "You are posting comments too quickly. Slow down."


def test_closed_posts_refuse_comments(http: Client, fresh: DemoBlog) -> None:
    _, fields = form_of(http, fresh, CAFE_ID)
    fresh.set_comments_open(CAFE_ID, False)
    fields.update({"author": "Ana", "email": "ana@example.org", "comment": "Zu spät?"})
    response = http.post(f"{fresh.base_url}/wp-comments-post.php", data=fields)
    assert response.status_code == 403
    assert error_text(response) == "Sorry, comments are closed for this item."
    assert "<title>Comment Submission Failure</title>" in response.text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"author": ""}, "Error: Please fill the required fields."),
        ({"email": ""}, "Error: Please fill the required fields."),
        ({"email": "nicht-gültig"}, "Error: Please enter a valid email address."),
        ({"comment": "   "}, "Error: Please type your comment text."),
        ({"comment": "ä" * 32763}, "Error: Your comment is too long."),
        ({"comment_parent": "41"}, "Error: The comment you are replying to does not exist."),
    ],
)
def test_invalid_forms_get_wp_die_pages(
    http: Client, fresh: DemoBlog, values: dict[str, str], message: str
) -> None:
    response = submit(http, fresh, **values)
    assert response.status_code == 200
    assert error_text(response) == message
    assert rest_comments(http, fresh, post=CAFE_ID).headers["x-wp-total"] == "44"


@pytest.mark.parametrize("field", ["akismet_comment_nonce", "ak_js"])
def test_missing_anti_spam_fields_are_rejected(http: Client, fresh: DemoBlog, field: str) -> None:
    _, fields = form_of(http, fresh, CAFE_ID)
    del fields[field]
    fields.update({"author": "Bot", "email": "bot@example.org", "comment": "Cheap pills"})
    response = http.post(f"{fresh.base_url}/wp-comments-post.php", data=fields)
    assert response.status_code == 200 and "spam" in error_text(response)
    assert len(fresh.comments(CAFE_ID)) == 44


def test_nonce_from_another_post_is_rejected(http: Client, fresh: DemoBlog) -> None:
    _, other = form_of(http, fresh, CLI_ID)
    response = submit(http, fresh, akismet_comment_nonce=other["akismet_comment_nonce"])
    assert response.status_code == 200 and "spam" in error_text(response)


# ----------------------------------------------------------------------------- test helpers


def test_injected_failures_come_first(http: Client, fresh: DemoBlog) -> None:
    fresh.fail_next(2, 503, retry_after=1)
    first = http.get(fresh.feed_url)
    assert first.status_code == 503 and first.headers["retry-after"] == "1"
    assert http.get(fresh.feed_url).status_code == 503
    assert http.get(fresh.feed_url).status_code == 200
    assert fresh.requests[-3:] == ["GET /feed/"] * 3


def test_stop_closes_kept_alive_connections(http: Client) -> None:
    demo = DemoBlog()
    base = demo.start()
    assert http.get(base + "/").status_code == 200
    demo.stop()
    with pytest.raises(httpx.TransportError):
        http.get(base + "/")
    assert demo.start() == base and http.get(base + "/").status_code == 200
    demo.stop()
