"""The reader's thread heading says a reply posts as the user's GitHub account when the token
comes only from `gh auth token` (nothing stored): the thread worker's GitHub read runs the fake
`gh` on PATH once, the headings only use what it said (tests/core/test_github_heading.py has the
core side)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from standins.github import GitHubStandIn, Issue
from standins.threads import german_thread
from support.app import main_screen, running, wait_for

from blogtui.core.comments import github as github_comments
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.comments.utterances import UtterancesProvider
from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp

TOKEN = "ghp_nurImGhWerkzeug7"
PATH = "/2024/01/artikel.html"
PAGE = """<html><head><title>Käse</title></head><body><article>Text</article>
<script src="https://utteranc.es/client.js" repo="blog-de/kommentare" issue-term="pathname"
 crossorigin="anonymous" async></script></body></html>"""


def fake_gh(tools: Path) -> Path:
    """A `gh` printing TOKEN for `gh auth token`, each run counted in tools/runs."""
    tools.mkdir()
    gh = tools / "gh"
    gh.write_text(f'#!/bin/sh\necho run >> "{tools}/runs"\n'
                  f'[ "$1 $2" = "auth token" ] && echo {TOKEN} && exit 0\nexit 1\n')  # fmt: skip
    gh.chmod(0o755)
    return tools / "runs"


async def test_the_heading_says_a_reply_posts_as_the_gh_account(
    make_app: Callable[..., BlogtuiApp],
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = fake_gh(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(github_comments._GhLogin, "seen", None)  # as in a fresh process
    server = GitHubStandIn(TOKEN)
    server.pages[PATH] = PAGE
    server.issues.append(Issue("blog-de/kommentare", 7, "2024/01/artikel", german_thread(3)))
    monkeypatch.setitem(PROVIDERS, "utterances", UtterancesProvider(server.origin))
    feed, _ = store.add_feed(f"{server.origin}/feed/", "Käseblog")
    link = f"{server.origin}{PATH}"
    store.upsert_articles(feed.id, [EntryData(key=link, title="Käse", link=link)])
    article_id = store.article_ids([feed.id])[0]
    try:
        app = make_app()
        async with running(app) as pilot:
            screen = main_screen(app)
            screen.open_article(article_id)

            def heading() -> str:
                return str(screen.reader.query_one("#thread-status").render())

            await wait_for(pilot, lambda: "· 3 ·" in heading() and "refresh" not in heading())
            assert heading().startswith(
                "Comments via utterances (GitHub issues) · 3 · reply posts as your GitHub account"
            )
            assert TOKEN not in heading()
            assert len(runs.read_text().splitlines()) == 1  # the read's; no heading ran gh
    finally:
        server.close()
