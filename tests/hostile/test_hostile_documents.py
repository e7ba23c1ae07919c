"""Hostile documents through the real pipeline: served on 127.0.0.1, refreshed, stored, rendered.

Every data file named xml_*, trap_* or enc_* is served after a good feed; its header lines say
what must happen (`Error:` a text the feed's error holds, `Title:`/`Body:` the exact text stored
and rendered, `Forbidden:` a path no request may reach). The earlier article always survives.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from feedserver import FeedServer
from hostile_support import (
    EARLIER_TITLE,
    assert_clean,
    attack,
    case_names,
    load_case,
    peak_rss_mb,
    titles,
)

from blogtui.core.store import Store
from blogtui.core.text.html import html_to_text

CASES = case_names("xml_") + case_names("trap_") + case_names("enc_")
LOCAL_FILES = [Path("/etc/hostname"), Path("/etc/passwd")]


def _local_secrets() -> list[str]:
    """Distinctive lines of local files an external entity could pull in."""
    found = [socket.gethostname()]
    for path in LOCAL_FILES:
        try:
            found += [line for line in path.read_text().splitlines() if len(line) > 12][:3]
        except OSError:
            pass
    return [text for text in found if text]


@pytest.mark.parametrize("name", CASES)
async def test_document(name: str, feed_server: FeedServer, store: Store) -> None:
    case = load_case(name)
    before = peak_rss_mb()
    feed, summary = await attack(feed_server, store, "/feed", case.response(feed_server.url("")))
    [outcome] = summary.outcomes
    assert peak_rss_mb() - before < 300, "memory grew by more than 300 MB"
    assert EARLIER_TITLE in titles(store, feed.id), "the earlier article was lost"
    assert_clean(outcome.error, "the error")
    assert "Traceback" not in outcome.error and "internal error" not in outcome.error
    if "error" in case.fields:
        assert case.fields["error"] in outcome.error, outcome
        assert feed.last_error == outcome.error
    else:
        assert not outcome.error or outcome.error.startswith("malformed: "), outcome
    stored = [store.get_article(i) for i in store.article_ids([feed.id])]
    everything = " ".join(f"{a.title} {a.author} {a.content}" for a in stored if a)
    if "title" in case.fields:
        assert case.fields["title"] in titles(store, feed.id)
    if "body" in case.fields:
        new = next(a for a in stored if a and a.title != EARLIER_TITLE)
        rendered = html_to_text(new.content, new.link)
        assert rendered.text == case.fields["body"], rendered.text
    for secret in _local_secrets():
        assert secret not in everything, f"local file content stored: {secret!r}"
    if "forbidden" in case.fields:
        assert feed_server.requests_to(case.fields["forbidden"]) == [], "a request left"
    assert [r.path for r in feed_server.requests] == ["/feed", "/feed"]
