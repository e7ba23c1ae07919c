"""The CLI end to end, in subprocesses with BLOGTUI_HOME, against the demo blog on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogtui import __version__
from blogtui.demo import DemoBlog


@pytest.fixture(scope="module")
def blog():
    with DemoBlog() as demo:
        yield demo


@pytest.fixture
def run(tmp_path):
    home = tmp_path / "home"

    def run(*args: str, check: int | None = 0, **kwargs) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "BLOGTUI_HOME": str(home), "NO_COLOR": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "blogtui", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            **kwargs,
        )
        if check is not None:
            assert result.returncode == check, result.stdout + result.stderr
        return result

    run.home = home  # type: ignore[attr-defined]
    return run


def test_version(run):
    assert run("--version").stdout.strip() == f"blogtui {__version__}"


def test_add_from_homepage_then_list_and_refresh(run, blog):
    added = run("add", blog.base_url + "/")
    assert f"<{blog.feed_url}>" in added.stdout
    assert "Refreshed 1 feed(s)" in added.stdout
    again = run("add", blog.feed_url)
    assert "Already subscribed" in again.stdout
    listing = run("feeds").stdout
    assert blog.feed_url in listing and "error" not in listing
    refreshed = run("refresh")
    assert "0 new article(s)" in refreshed.stdout and "1 unchanged" in refreshed.stdout


def test_refresh_fails_with_exit_status_1_and_keeps_going(run, blog, tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        f'<outline text="Demo" type="rss" xmlUrl="{blog.feed_url}"/>'
        f'<outline text="Broken" type="rss" xmlUrl="{blog.base_url}/no-such-feed.xml"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert "Imported 2 new feed(s)" in run("import", str(opml)).stdout
    result = run("refresh", check=1)
    assert "1 failed" in result.stdout
    assert "404" in result.stdout
    listing = run("feeds").stdout
    assert listing.count("failed: HTTP 404") == 1
    assert listing.count("failed:") == 1


def test_import_export_round_trip_keeps_folders(run, tmp_path):
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>x</title></head>'
        '<body><outline text="Technik"><outline text="Grüße-Blog" type="rss"'
        ' xmlUrl="http://127.0.0.1:9/gruesse.xml" htmlUrl="http://127.0.0.1:9/"/></outline>'
        '<outline text="Ohne Ordner" type="rss" xmlUrl="http://127.0.0.1:9/plain.xml"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    run("import", str(opml))
    assert "already subscribed" in run("import", str(opml)).stdout
    exported = tmp_path / "out.opml"
    run("export", str(exported))
    text = exported.read_text(encoding="utf-8")
    assert 'text="Technik"' in text and "Grüße-Blog" in text
    assert run("export").stdout == text


def test_remove(run, tmp_path):
    opml = tmp_path / "one.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="x" xmlUrl="http://127.0.0.1:9/x.xml"/>'
        "</body></opml>"
    )
    run("import", str(opml))
    assert "Removed" in run("remove", "http://127.0.0.1:9/x.xml").stdout
    assert "No feeds yet" in run("feeds").stdout
    assert "no feed" in run("remove", "42", check=2).stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "scheme"),
        ("http://127.0.0.1:9/feed", "connect"),
        ("not a url at all", ""),
    ],
)
def test_bad_urls_get_one_clear_line_and_store_nothing(run, url, message):
    result = run("add", url, check=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("blogtui: ")
    assert message in lines[0]
    assert "No feeds yet" in run("feeds").stdout


def test_page_without_feed(run, blog):
    result = run("add", blog.base_url + "/wp-json/", check=2)
    assert "feed" in result.stderr


def test_feeds_output_is_sanitised(run):
    from blogtui.core.paths import places
    from blogtui.core.store import Store

    store = Store(places(run.home).database)
    feed, _ = store.add_feed("http://127.0.0.1:9/evil.xml")
    store.record_fetch(
        feed.id, status=200, title="\x1b]0;pwned\x07Evil \x1b[2J", error="\x1b]52;c;SGk=\x07boom"
    )
    store.close()
    listing = run("feeds").stdout
    assert "\x1b" not in listing and "\x07" not in listing
    assert "Evil" in listing and "boom" in listing


def test_the_tui_refuses_without_a_terminal(run):
    result = run(check=2, stdin=subprocess.DEVNULL)
    assert "needs a terminal" in result.stderr


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("blogtui")
    assert script.exists(), "pip install -e . installs the blogtui console script"


def test_demo_sweeps_homes_left_by_demos_that_ended(tmp_path):
    from blogtui.cli.demo import MARKER, PREFIX, sweep_stale_homes

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # a pid that no longer runs
    stale = tmp_path / f"{PREFIX}stale"
    running = tmp_path / f"{PREFIX}running"
    foreign = tmp_path / f"{PREFIX}no-marker"
    other = tmp_path / "somebody-else"
    for folder in (stale, running, foreign, other):
        (folder / "data").mkdir(parents=True)
    (stale / MARKER).write_text(f"{ended.pid}\n")
    (running / MARKER).write_text(f"{os.getppid()}\n")
    (other / MARKER).write_text(f"{ended.pid}\n")
    assert sweep_stale_homes(tmp_path) == [stale]
    assert not stale.exists()
    assert running.exists() and foreign.exists() and other.exists()
