"""With a GitHub token only from `gh auth token` (nothing stored), a giscus or utterances thread
says a reply posts as the user's GitHub account once a GitHub thread was read in the process
(the read, in the thread-loading worker, runs `gh`); the heading and the send confirmation
(`posts_with_account`, `reply_account`) never run `gh` themselves and never show the token.
`gh` is a fake script on PATH that counts its runs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from posting_support import ME, add_article, make_store
from standins.github import GitHubStandIn, Issue
from standins.threads import german_thread

from blogtui.core.comments import github as github_comments
from blogtui.core.comments.loading import load_thread_sync
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.comments.utterances import UtterancesProvider
from blogtui.core.posting.as_account import posts_as_account, reply_account
from blogtui.core.posting.select import posts_with_account

TOKEN = "ghp_ausDemGhWerkzeug42"
PATH = "/2024/01/artikel.html"
PAGE = """<html><head><title>Ein Artikel über Käse</title></head><body><article>Text</article>
<script src="https://utteranc.es/client.js" repo="blog-de/kommentare" issue-term="pathname"
 theme="github-light" crossorigin="anonymous" async></script></body></html>"""
LOGGED_IN = f'[ "$1 $2" = "auth token" ] && echo {TOKEN} && exit 0\nexit 1\n'
LOGGED_OUT = 'echo "not logged in" >&2\nexit 1\n'


class FakeGh:
    """A `gh` on PATH (alone there) whose runs are counted."""

    def __init__(self, tools: Path) -> None:
        tools.mkdir()
        self.tools, self.script = tools, tools / "gh"
        self.say(LOGGED_IN)

    def say(self, script: str) -> None:
        """Install `script` as gh, counting each run (PATH holds only gh: shell builtins only)."""
        self.script.write_text(f'#!/bin/sh\necho run >> "{self.tools}/runs"\n{script}')
        self.script.chmod(0o755)

    @property
    def runs(self) -> int:
        counted = self.tools / "runs"
        return len(counted.read_text().splitlines()) if counted.exists() else 0


@pytest.fixture
def gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeGh:
    fake = FakeGh(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(fake.tools))
    monkeypatch.setattr(github_comments._GhLogin, "seen", None)  # as in a fresh process
    return fake


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubStandIn]:
    """The GitHub stand-in with utterances reading from it, the token as the app finds it: the
    stored credential (none here), else `gh auth token`."""
    server = GitHubStandIn(TOKEN)
    server.pages[PATH] = PAGE
    server.issues.append(Issue("blog-de/kommentare", 7, "2024/01/artikel", german_thread(3)))
    source = github_comments.token_source(tmp_path / "secrets")
    monkeypatch.setitem(PROVIDERS, "utterances", UtterancesProvider(server.origin, source))
    try:
        yield server
    finally:
        server.close()


def no_secret_anywhere(tmp_path: Path, gh: FakeGh, logged: str) -> None:
    """The token is in no file blogtui wrote and in no log line."""
    files = [p for p in tmp_path.rglob("*") if p.is_file() and gh.tools not in p.parents]
    assert files and not any(TOKEN.encode() in p.read_bytes() for p in files)
    assert TOKEN not in logged


def test_after_a_github_read_the_heading_says_the_reply_posts_as_the_gh_account(
    tmp_path, gh, github, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    store, drafts = make_store(tmp_path)
    secrets = tmp_path / "secrets"
    article = add_article(store, f"{github.origin}{PATH}", title="Käse")
    draft = drafts.new(blog="demo", article_url=article.link, article_title="Käse", identity=ME,
                       text="Danke!", source="utterances")  # fmt: skip
    assert not posts_with_account("utterances", [], secrets)  # nothing read yet: not known
    assert reply_account(store, draft, secrets) == "" and gh.runs == 0
    result = load_thread_sync(store, article, deadline=10.0)  # what the thread worker does
    assert result.ok and result.provider == "utterances" and len(result.comments) == 3
    assert gh.runs == 1
    assert any(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in github.seen)
    links = [c.link for c in store.comments_for(article.id)]
    for _ in range(5):  # every heading and confirmation asks; `gh` is not run for them
        assert posts_with_account("utterances", links, secrets)
        assert posts_with_account("giscus", [], secrets)
        assert reply_account(store, draft, secrets) == "your GitHub account"
        assert posts_as_account(store, draft, secrets)
    own = drafts.new(blog="demo", article_url=article.link, article_title="Käse", identity=ME,
                     text="Noch was")  # fmt: skip
    assert reply_account(store, own, secrets) == "your GitHub account"  # the blog's own thread
    assert gh.runs == 1
    assert not posts_with_account("disqus", [], secrets)  # GitHub's login is GitHub's only
    no_secret_anywhere(tmp_path, gh, caplog.text)


def test_after_gh_logged_out_the_heading_no_longer_says_so(tmp_path, gh, github) -> None:
    store, drafts = make_store(tmp_path)
    secrets = tmp_path / "secrets"
    article = add_article(store, f"{github.origin}{PATH}")
    assert load_thread_sync(store, article, deadline=10.0).ok
    assert posts_with_account("utterances", [], secrets)
    gh.say(LOGGED_OUT)
    result = load_thread_sync(store, article, deadline=10.0)  # read without a token (60 an hour)
    assert result.ok and len(result.comments) == 3 and gh.runs == 2
    assert not posts_with_account("utterances", [], secrets)
    draft = drafts.new(blog="demo", article_url=article.link, article_title="", identity=ME,
                       text="Danke!", source="utterances")  # fmt: skip
    assert reply_account(store, draft, secrets) == ""


def test_without_gh_nothing_is_known_and_nothing_is_run(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    monkeypatch.setattr(github_comments._GhLogin, "seen", None)
    assert github_comments.gh_token() == ""
    assert not github_comments.gh_logged_in()
    assert not posts_with_account("giscus", [], tmp_path / "secrets")
