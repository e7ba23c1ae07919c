"""A feed login (`https://user:password@host/feed`) never leaks (issue 12 item 1).

The login lives in the credential store (the private file here: no keyring is installed) and is
sent as `Authorization: Basic` only to the feed's own origin, over https or to a loopback
literal: never after a redirect to another origin (another port or host name counts), never over
plain http to a named host, never taken from a redirect's Location. No output, stored table,
error message or exported OPML carries it. Real servers on 127.0.0.1 record every request.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from feedserver import FeedServer

from blogtui.core.config import Config
from blogtui.core.errors import BlogtuiError, FeedError
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.discover import discover_feed
from blogtui.core.feeds.fetch import fetch
from blogtui.core.feeds.opml import LOGIN_ATTRIBUTE
from blogtui.core.feeds.refresh import refresh_feeds
from blogtui.core.paths import places
from blogtui.core.store import Store
from blogtui.core.store.migrations import MIGRATIONS

USER = "reader7"
PASSWORD = "Vq8xTz3mKp"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode("ascii")
SHAPES = (PASSWORD, PASSWORD.lower(), BASIC.removeprefix("Basic "), f"{USER}:{PASSWORD}")
"""The secret in every shape it could leak in (the search index keeps words lowercased)."""
RSS = {"Content-Type": "application/rss+xml"}


def rss(link: str = "/post/1") -> bytes:
    """A one-item feed whose item link is relative (resolved against the feed's URL)."""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Private</title>'
        f"<link>/</link><item><title>Hidden post</title><link>{link}</link>"
        "<guid>p1</guid></item></channel></rss>"
    ).encode()


def with_login(url: str) -> str:
    """`url` with the login written into it, as a user would paste it."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{USER}:{PASSWORD}@{rest}"


def assert_clean(text: str, where: str) -> None:
    for shape in SHAPES:
        assert shape not in text, f"the secret ({shape!r}) leaked into {where}: {text[:400]!r}"


def assert_home_clean(home: Path) -> None:
    """No file of the home but the credential file holds the secret (database, WAL, exports)."""
    for path in home.rglob("*"):
        if path.is_file() and path.name != "credentials.json":
            assert_clean(path.read_bytes().decode("latin-1"), str(path))


def authorizations(server: FeedServer, path: str) -> list[str]:
    return [r.headers.get("authorization", "") for r in server.requests_to(path)]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLOGTUI_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_keeps_the_login_out_of_every_output_table_and_export(feed_server, tmp_path):
    feed = feed_server.route("/feed", body=rss(), headers=RSS)
    broken = feed_server.route("/broken", status=500)
    home = tmp_path / "home"
    opml = tmp_path / "import.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline xmlUrl="{with_login(broken)}"/></body></opml>'
    )
    outputs = [cli(home, "add", with_login(feed)), cli(home, "import", str(opml))]
    outputs += [cli(home, "refresh"), cli(home, "feeds"), cli(home, "export")]
    outputs.append(cli(home, "export", str(home / "subscriptions.opml")))
    for result in outputs:
        assert_clean(result.stdout + result.stderr, f"the output of `{result.args[3]}`")
    assert outputs[0].returncode == 0 and f"<{feed}>" in outputs[0].stdout
    assert "login is kept in the credential store" in outputs[0].stdout
    assert outputs[2].returncode == 1 and f"failed: {broken}: HTTP 500" in outputs[2].stdout
    shown = [" ".join(line.split()) for line in outputs[3].stdout.splitlines()]
    assert f"{feed} (with a login)" in shown
    exported = outputs[4].stdout
    outlines = {o.get("xmlUrl"): o for o in ET.fromstring(exported).iter("outline")}
    assert outlines[feed].get(LOGIN_ATTRIBUTE) == "required" and "needs a login" in exported
    assert set(authorizations(feed_server, "/feed")) == {BASIC}  # it was sent, to its origin
    database = places(home).database
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT url, login FROM feeds ORDER BY id").fetchall() == [
            (feed, 1),
            (broken, 1),
        ]
        (link,) = db.execute("SELECT link FROM articles").fetchone()
    assert link == feed_server.url("/post/1")
    assert_home_clean(home)
    secrets = places(home).secrets_dir / "credentials.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600 and PASSWORD in secrets.read_text()


async def test_the_login_never_follows_a_redirect_to_another_origin(feed_server, store):
    other = FeedServer()  # another port on 127.0.0.1: another origin
    try:
        other.route("/feed", body=rss(), headers=RSS)
        port = feed_server.url("/").split(":")[2].split("/")[0]
        feed_server.redirect("/to-other-port", other.url("/feed"), 302)
        feed_server.redirect("/to-name", f"http://localhost:{port}/named", 302)
        feed_server.route("/named", body=rss(), headers=RSS)
        feed_server.redirect("/same", "/feed", 302)
        feed_server.route("/feed", body=rss(), headers=RSS)
        for path in ("/to-other-port", "/to-name", "/same"):
            store.add_feed(with_login(feed_server.url(path)))
        summary = await refresh_feeds(store, store.list_feeds(), Config(), processes=0)
        assert summary.counts and all(o.url.count("@") == 0 for o in summary.outcomes)
        assert authorizations(other, "/feed") == [""]
        assert authorizations(feed_server, "/named") == [""]  # "localhost" is another host
        assert authorizations(feed_server, "/same") == [BASIC]
        assert authorizations(feed_server, "/feed") == [BASIC]
        assert_home_clean(store.path.parent.parent)
    finally:
        other.close()


async def test_a_login_in_a_redirect_location_is_neither_used_nor_kept(feed_server, store):
    other = FeedServer()
    try:
        other.route("/feed", body=rss(), headers=RSS)
        feed_server.redirect("/moved", with_login(other.url("/feed")), 301)
        feed, _ = store.add_feed(feed_server.url("/moved"))
        summary = await refresh_feeds(store, [feed], Config(), processes=0)
        assert summary.ok == 1 and authorizations(other, "/feed") == [""]
        assert store.get_feed(feed.id).url == other.url("/feed")  # moved, without the login
        assert_home_clean(store.path.parent.parent)
    finally:
        other.close()


async def test_plain_http_to_a_named_host_is_refused_before_any_request(feed_server, store):
    port = feed_server.url("/").split(":")[2].split("/")[0]
    named = f"http://localhost:{port}/feed"
    feed_server.route("/feed", body=rss(), headers=RSS)
    async with make_client() as client:
        with pytest.raises(FeedError) as fetched:
            await fetch(client, with_login(named))
        with pytest.raises(BlogtuiError) as found:
            await discover_feed(client, with_login(named))
    for error in (fetched.value, found.value):
        assert "only over https" in error.message
        assert f"https://localhost:{port}/feed" in error.message
        assert_clean(error.message, "the refusal")
    assert feed_server.requests_to("/feed") == []
    feed, _ = store.add_feed(with_login(named))
    summary = await refresh_feeds(store, [feed], Config(), processes=0)
    assert summary.failed == 1 and "only over https" in summary.outcomes[0].error
    assert feed_server.requests_to("/feed") == []


async def test_error_messages_never_carry_the_login(feed_server, store):
    feed_server.route("/private", status=401)
    store.add_feed(with_login(feed_server.url("/private")))
    store.add_feed(with_login("http://127.0.0.1:9/feed"))  # the discard port: nothing listens
    summary = await refresh_feeds(store, store.list_feeds(), Config(), processes=0)
    assert summary.failed == 2
    for outcome in summary.outcomes:
        assert_clean(outcome.error, "a refresh error")
    hint = [o.error for o in summary.outcomes if o.status == 401][0]
    assert "refused the login kept for this feed" in hint
    async with make_client() as client:
        with pytest.raises(BlogtuiError) as bad:
            await discover_feed(client, with_login("https://[::1:bad/feed"))
    assert_clean(bad.value.message, "a bad-URL error")
    assert_home_clean(store.path.parent.parent)


def version_8_database(path: Path, feed_url: str) -> None:
    """A database as blogtui wrote it before logins left URLs (schema 8), holding the secret in
    the feed URL, an article link resolved against it and the stored error."""
    db = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:8], start=1):
        migration(db)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute(
        "INSERT INTO feeds (url, added, last_error) VALUES (?, 0, ?)",
        (feed_url, f"cannot fetch {feed_url}: timed out"),
    )
    link = feed_url.rsplit("/", 1)[0] + "/post/1"
    db.execute(
        "INSERT INTO articles (feed_id, key, link, content, fetched) VALUES (1, 'k', ?, ?, 0)",
        (link, f'<a href="{link}">read</a>'),
    )
    db.execute("INSERT INTO articles_fts (rowid, body) VALUES (1, ?)", (f"read {link}",))
    db.close()


def test_an_old_database_moves_its_url_logins_to_the_credential_store(home):
    home.data_dir.mkdir(parents=True)
    url = "https://blog.example/private/feed"
    version_8_database(home.database, with_login(url))
    store = Store(home.database)
    feed = store.list_feeds()[0]
    assert feed.url == url and store.login_feed_ids() == {feed.id}
    login = store.feed_login(feed)
    assert login is not None and login.authorization() == BASIC
    assert store.get_feed(feed.id).last_error == f"cannot fetch {url}: timed out"
    article = store.db.execute("SELECT link, content FROM articles").fetchone()
    assert article == ("https://blog.example/private/post/1", article[1])
    assert_clean(article[1], "article content")
    store.close()
    assert_home_clean(home.data_dir)
    secrets = stat.S_IMODE((home.secrets_dir / "credentials.json").stat().st_mode)
    assert secrets == 0o600


def test_removing_the_last_feed_of_an_origin_forgets_its_login(home, store):
    first, _ = store.add_feed(with_login("https://blog.example/a.xml"))
    second, _ = store.add_feed("https://blog.example/b.xml")  # added without one: gets none
    secrets = home.secrets_dir / "credentials.json"
    assert PASSWORD in secrets.read_text() and store.feed_login(second) is None
    store.remove_feed(second.id)
    assert PASSWORD in secrets.read_text()
    store.remove_feed(first.id)
    assert PASSWORD not in secrets.read_text()


async def test_an_unusable_credential_store_fails_only_that_feed_and_says_why(
    feed_server, home, store
):
    feed_server.route("/feed", body=rss(), headers=RSS)
    feed_server.route("/open", body=rss(), headers=RSS)
    store.add_feed(with_login(feed_server.url("/feed")))
    store.add_feed(feed_server.url("/open"))
    os.chmod(home.secrets_dir / "credentials.json", 0o644)
    summary = await refresh_feeds(store, store.list_feeds(), Config(), processes=0)
    words = {o.url: (o.word, o.error) for o in summary.outcomes}
    word, error = words[feed_server.url("/feed")]
    assert word == "failed" and "its login cannot be read" in error and "chmod 600" in error
    assert words[feed_server.url("/open")][0] == "ok" and feed_server.requests_to("/feed") == []


def test_a_json_feed_page_link_loses_its_userinfo():
    from blogtui.core.feeds.jsonfeed import next_page

    current = "https://blog.example/feed.json"
    assert next_page(current, with_login("https://blog.example/page2.json"), set()) == (
        "https://blog.example/page2.json"
    )
