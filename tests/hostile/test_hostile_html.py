"""Hostile article HTML through the pipeline: bounded time and memory, readable text, only
http/https/mailto links ever reach the browser, and the UI keeps answering keys while a huge
article renders in a worker."""

from __future__ import annotations

import time

import pytest
from feedserver import FeedServer
from hostile_support import config, peak_rss_mb, refresh, rss, screen_dump
from support.app import running, settle

from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.core.text.html import MAX_TEXT, html_to_text
from blogtui.ui.app import build_app
from blogtui.ui.browser import RefusedLink, checked_url

BIG = config(max_feed_bytes=64 * 2**20, fetch_timeout=20.0)
LINKS = (
    '<a href="javascript:alert(1)">js</a> <a href="data:text/html,<script>x</script>">data</a>'
    ' <a href="file:///etc/passwd">file</a> <a href="ssh://evil.example/">ssh</a>'
    ' <a href="vbscript:msgbox">vb</a> <a href="  JaVaScRiPt:alert(2)">js2</a>'
    ' <a href="https://ok.example/">gut</a> <a href="mailto:a@ok.example">mail</a>'
)
BODIES = {
    "script and style": (
        "<script>alert('x')</script><style>p{}</style><p>Lesbarer Text</p>"
        "<iframe src='https://evil.example'>frame</iframe><noscript>nos</noscript>",
        "Lesbarer Text",
    ),
    "dangerous links": (f"<p>Links: {LINKS}</p>", "Links:"),
    "5000 nested lists": ("<ul><li>tief" * 5000 + "</li></ul>" * 5000, "tief"),
    "nested tables": ("<table><tr><td>" * 2000 + "Zelle" + "</td></tr></table>" * 2000, "Zelle"),
    "10 MB body": ("<p>" + "Hallo Welt. " * 900_000 + "</p>", "Hallo Welt."),
    "50k links": ("".join(f'<a href="https://e.x/{i}">L{i}</a> ' for i in range(50_000)), "L49999"),
    "huge data: URI image": (
        '<p>Vorher</p><img alt="Bild" src="data:image/png;base64,' + "A" * 1_500_000 + '">',
        "Vorher",
    ),
    "100k lines": ("<pre>" + "Zeile\n" * 100_000 + "</pre>", "Zeile"),
    "1 MB line": ("<p>" + "x" * 1_000_000 + "</p>", "xxxx"),
}


def _feed(html: str) -> bytes:
    item = {"title": "Schwer", "guid": "h-1", "link": "http://127.0.0.1/h", "description": html}
    return rss("HTML", [item])


@pytest.mark.parametrize("name", list(BODIES))
async def test_html_body(name: str, feed_server: FeedServer, store: Store) -> None:
    html, expected = BODIES[name]
    feed_server.route("/feed", body=_feed(html))
    feed, _ = store.add_feed(feed_server.url("/feed"))
    before = peak_rss_mb()
    summary = await refresh(store, [feed], BIG)
    assert summary.failed == 0, summary.outcomes
    article = store.get_article(store.article_ids()[0])
    assert article is not None
    started = time.perf_counter()
    rendered = html_to_text(article.content, article.link)
    assert time.perf_counter() - started < 10
    assert peak_rss_mb() - before < 600
    assert expected in rendered.text
    assert len(rendered.text) <= MAX_TEXT + 1
    if name == "script and style":
        assert "alert(" not in rendered.text and "p{}" not in rendered.text
    for link in rendered.links:
        try:
            checked_url(link)
        except RefusedLink:
            continue
        assert link.split(":")[0] in ("http", "https", "mailto"), link


def test_only_web_and_mail_links_reach_the_browser() -> None:
    rendered = html_to_text(f"<p>{LINKS}</p>", "https://blog.example/")
    allowed = []
    for link in rendered.links:
        try:
            allowed.append(checked_url(link))
        except RefusedLink as refusal:
            assert "Not opening" in str(refusal)
    assert allowed == ["https://ok.example/", "mailto:a@ok.example"]


@pytest.mark.parametrize("name", ["10 MB body", "100k lines"])
async def test_keys_answered_while_a_huge_article_loads(
    name: str, feed_server: FeedServer, store: Store, home: Places
) -> None:
    feed_server.route("/feed", body=_feed(BODIES[name][0]))
    feed, _ = store.add_feed(feed_server.url("/feed"))
    await refresh(store, [feed], BIG)
    app = build_app(home, config=BIG, store=store)
    async with running(app, (120, 40)) as pilot:
        await pilot.press("tab")
        await pilot.press("enter")  # rendering starts in a worker
        slowest, presses, give_up = 0.0, 0, time.monotonic() + 90
        reader = app.screen.query_one("#reader")
        while reader.article is None and time.monotonic() < give_up:  # until the body shows
            started = time.perf_counter()
            await pilot.press("j" if presses % 2 else "k")
            await pilot.pause()
            slowest = max(slowest, time.perf_counter() - started)
            presses += 1
        await settle(pilot)
        plain, _ = screen_dump(app)
        assert BODIES[name][1] in plain
        print(f"\n{name}: slowest of {presses} keys while loading {slowest * 1000:.0f} ms")
        assert slowest < 1.0, f"a key took {slowest:.2f} s while the article loaded"
        started = time.perf_counter()
        await pilot.press("tab")
        await pilot.press("space")
        await pilot.pause()
        paged = time.perf_counter() - started
        print(f"{name}: page down in the loaded article {paged * 1000:.0f} ms")
        assert time.perf_counter() - started < 2.0
