"""feedparser's own test corpus through blogtui: served on 127.0.0.1, refreshed, rendered.

The sdist matching the installed feedparser is fetched with `pip download` once and cached under
~/.cache/blogtui-tests/. Each file of tests/{wellformed,illformed,encoding,entities} is served with
the HTTP headers its leading comment asks for (`Header: Name: value` lines), subscribed, refreshed
in one run and every stored article rendered: no crash, no hang, every failure a clean error.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import feedparser
import pytest
from feedserver import FeedServer, Response
from hostile_support import config
from support.missing import missing

import blogtui.core.feeds.refresh as refresh_module
from blogtui.core.store import Store
from blogtui.core.text.html import html_to_text
from blogtui.ui.display import display

CACHE = Path.home() / ".cache" / "blogtui-tests"
FOLDERS = ("wellformed", "illformed", "encoding", "entities")
_HEADER_LINE = re.compile(rb"^Header:[ \t]*([A-Za-z0-9-]+):[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)


def _sdist() -> Path:
    """The cached sdist, downloaded on first use; skips (or fails under CI) when it cannot be."""
    version = feedparser.__version__
    found = sorted(CACHE.glob(f"feedparser-{version}.tar.gz"))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += [f"feedparser=={version}", "-d", str(CACHE), "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        failed = "" if done.returncode == 0 else done.stderr.strip()[-300:]
    except (OSError, subprocess.TimeoutExpired) as error:
        failed = str(error)
    found = sorted(CACHE.glob(f"feedparser-{version}.tar.gz"))
    if found:
        return found[0]
    message = f"cannot download the feedparser {version} sdist: {failed or 'not found'}"
    missing(message)


def _corpus() -> dict[str, bytes]:
    """Corpus files by path (e.g. "wellformed/rss/item_title.xml")."""
    files: dict[str, bytes] = {}
    with tarfile.open(_sdist()) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if member.isfile() and len(parts) > 3 and parts[1] == "tests" and parts[2] in FOLDERS:
                extracted = archive.extractfile(member)
                if extracted is not None:
                    files["/".join(parts[2:])] = extracted.read()
    return files


def _headers(body: bytes) -> dict[str, str]:
    """The HTTP headers a corpus file asks for in its leading comment."""
    head = body[:4096]
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in _HEADER_LINE.findall(head)
    }


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_feedparser_corpus(feed_server: FeedServer, tmp_path: Path, monkeypatch) -> None:
    files = _corpus()
    assert len(files) > 1000, f"only {len(files)} corpus files"
    store = Store(tmp_path / "corpus.db")
    urls = {}
    for path, body in files.items():
        headers = {"Content-Type": "application/xml", **_headers(body)}
        urls[feed_server.route(f"/{path}", Response(200, body, headers))] = path
        store.add_feed(feed_server.url(f"/{path}"))
    timings: dict[str, float] = {}
    original = refresh_module.parse_feed

    def timed(body: bytes, url: str, headers: dict[str, str]):  # noqa: ANN202
        started = time.perf_counter()
        try:
            return original(body, url, headers)
        finally:
            timings[urls.get(url, url)] = time.perf_counter() - started

    monkeypatch.setattr(refresh_module, "parse_feed", timed)
    started = time.perf_counter()
    summary = await asyncio.wait_for(
        refresh_module.refresh_feeds(
            store, store.list_feeds(), config(concurrency=16), force=True, processes=0
        ),
        timeout=90,
    )
    refresh_seconds = time.perf_counter() - started
    assert len(summary.outcomes) == len(files)
    internal = [
        o for o in summary.outcomes if "internal error" in o.error or "Traceback" in o.error
    ]
    assert not internal, internal[:5]
    errors = [o for o in summary.outcomes if o.error and not o.error.startswith("malformed: ")]
    for outcome in errors:
        assert display(outcome.error) and len(outcome.error) < 1000, outcome
    render_times: list[tuple[float, str]] = []
    for article_id in store.article_ids():
        article = store.get_article(article_id)
        assert article is not None
        begun = time.perf_counter()
        html_to_text(article.content, article.link)
        display(article.title)
        render_times.append((time.perf_counter() - begun, article.key[:60]))
    kinds: dict[str, int] = {}
    for outcome in errors:
        kind = outcome.error.split(":")[0][:40]
        kinds[kind] = kinds.get(kind, 0) + 1
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print(
        f"\nfeedparser corpus: {len(files)} files, {summary.ok} ok, {summary.failed} failed,"
        f" {summary.new_articles} articles, refresh {refresh_seconds:.1f} s"
    )
    print("errors:", dict(sorted(kinds.items(), key=lambda item: -item[1])))
    print("slowest parses:", [(path, f"{seconds * 1000:.0f} ms") for path, seconds in slowest])
    print("slowest renders:", [(key, f"{s * 1000:.0f} ms") for s, key in sorted(render_times)[-3:]])
    assert max(timings.values()) < 10
    store.close()
