"""Issue 13 item 7: one honest word per outcome; lines, summary, `feeds` and exit status agree;
`add` says why a feed was refused."""

from __future__ import annotations

import pytest
from feedserver import Response

from blogtui.cli import main
from blogtui.core.models import Feed

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
GOOD = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>'
    b"<item><guid>g1</guid><title>One</title></item></channel></rss>"
)
BROKEN = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
    b"<item><guid>b1</guid><title>Fish & Chips</title></item></channel></rss>"
)


@pytest.fixture
def cli(tmp_path, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        status = main(["--home", str(tmp_path / "home"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def subscribe(cli, tmp_path, *urls: str) -> None:
    outlines = "".join(f'<outline text="f" xmlUrl="{url}"/>' for url in urls)
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
    assert cli("import", str(opml))[0] == 0


def test_malformed_feed_is_repaired_not_failed_and_exits_0(cli, tmp_path, feed_server):
    url = feed_server.route("/broken", body=BROKEN, headers=RSS)
    subscribe(cli, tmp_path, url)
    status, out, _ = cli("refresh")
    assert status == 0
    assert f"repaired: {url}: 1 new (malformed: " in out
    assert "failed:" not in out.replace("0 failed", "")
    assert out.rstrip().endswith("1 new article(s); 1 repaired, 0 failed.")
    listing = cli("feeds")[1]
    assert any(line.strip().startswith("repaired: line 1, column") for line in listing.splitlines())


def test_every_word_once_and_the_exit_status(cli, tmp_path, feed_server):
    good = feed_server.route("/good", body=GOOD, headers=RSS)
    missing = feed_server.url("/missing")
    gone = feed_server.route("/gone", status=410)
    busy = feed_server.route("/busy", status=429, headers={"Retry-After": "120"})
    subscribe(cli, tmp_path, good, missing, gone, busy)
    status, out, _ = cli("refresh")
    assert status == 1  # a feed failed (and one is gone)
    assert f"ok: {good}: 1 new" in out
    assert f"failed: {missing}: HTTP 404 Not Found" in out
    assert f"gone: {gone}: gone (HTTP 410)" in out
    assert f"waiting: {busy}: HTTP 429 Too Many Requests (retrying in 2 min)" in out
    assert "1 new article(s); 1 ok, 1 waiting, 1 gone, 1 failed." in out
    listing = cli("feeds")[1]
    assert "failed: HTTP 404 Not Found" in listing
    assert "gone: the server says this feed no longer exists (HTTP 410)" in listing
    assert "waiting: until " in listing and "error:" not in listing


def test_unchanged_feed_exits_0(cli, tmp_path, feed_server):
    url = feed_server.route("/good", body=GOOD, headers={**RSS, "ETag": '"v1"'})
    subscribe(cli, tmp_path, url)
    assert cli("refresh")[0] == 0
    feed_server.route("/good", status=304)
    status, out, _ = cli("refresh")
    assert status == 0 and f"unchanged: {url}" in out and "1 unchanged, 0 failed." in out


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0">'
            b"<channel><title>&x;</title></channel></rss>",
            "refuses: document declares XML entities",
        ),
        (b"[" * 5000, "refuses: not a feed: JSON nested too deeply"),
    ],
    ids=["entities", "json-bomb"],
)
def test_add_says_why_a_feed_was_refused(cli, feed_server, body, reason):
    url = feed_server.route("/feed", body=body, headers=RSS)
    status, _, err = cli("add", url)
    assert status == 2 and reason in err and "no feed found" not in err


def test_add_names_a_refused_fallback_feed(cli, feed_server):
    home = feed_server.route(
        "/", body=b"<html><head></head></html>", headers={"Content-Type": "text/html"}
    )
    feed_server.route(
        "/feed/", body=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>', headers=RSS
    )
    status, _, err = cli("add", home)
    assert status == 2
    assert f"blogtui tried {feed_server.url('/feed/')}, which was refused: document declares" in err


def test_add_says_a_guessed_feed_is_too_big(cli, feed_server):
    page = b"<html><head></head></html>"
    home = feed_server.route("/", body=page, headers={"Content-Type": "text/html"})
    feed_server.route("/feed/", Response(body=b"<rss>" + b" " * (6 * 2**20), headers=RSS))
    status, _, err = cli("add", home)
    assert status == 2 and "/feed/, which failed: body larger than 5 MB" in err


def test_feed_state_words():
    from blogtui.core.feeds.outcome import Outcome, RefreshSummary, feed_state, outcome_word

    only_gone = RefreshSummary(
        ok=0, failed=0, not_modified=0, new_articles=0, counts={Outcome.GONE: 1}
    )
    assert (
        only_gone.exit_status == 1 and only_gone.describe() == "0 new article(s); 1 gone, 0 failed"
    )

    base = Feed(id=1, url="u", title="t", last_checked=1.0)
    assert feed_state(Feed(id=1, url="u", title="t")) == (None, "")
    assert feed_state(base)[0] is Outcome.OK
    assert feed_state(Feed(**{**_fields(base), "last_status": 304}))[0] is Outcome.UNCHANGED
    repaired = Feed(**{**_fields(base), "last_status": 304, "last_error": "malformed: x"})
    assert feed_state(repaired) == (Outcome.REPAIRED, "x")
    assert outcome_word(status=None, error="timed out") is Outcome.FAILED
    assert outcome_word(status=200, error="", skipped=True) is Outcome.SKIPPED


def _fields(feed: Feed) -> dict[str, object]:
    return {name: getattr(feed, name) for name in Feed.__slots__}
