"""Replying on utterances (an issue comment) and giscus (`addDiscussionComment`) with the user's
GitHub token, against the GitHub stand-in: one request, the reply read back where it belongs, a
send that timed out found instead of sent twice, tokens chosen, refused and never shown."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from posting_support import ME, add_article, make_store, queue
from standins.github import COMMENT_OFFSET, GitHubStandIn, node_id
from test_github_comments import PATH, TOKEN, discussion_on, issue_on

from blogtui.core.comments import load_thread
from blogtui.core.comments.giscus import GiscusProvider
from blogtui.core.comments.github import TOKEN_ENTRY, gh_logged_in, gh_token
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.comments.utterances import UtterancesProvider
from blogtui.core.posting import send_pending
from blogtui.core.posting.base import Outcome, ReplyRequest
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.github import GitHubPoster
from blogtui.core.posting.select import choose_poster

LATER = time.time() + 10 * 86400
TEXT = "Grüße aus Köln – „schön“ geschrieben!"


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubStandIn]:
    server = GitHubStandIn(TOKEN)
    for kind in (GiscusProvider, UtterancesProvider):
        monkeypatch.setitem(PROVIDERS, kind.name, kind(server.origin, lambda: TOKEN))
    monkeypatch.setattr("blogtui.core.posting.select.gh_token", lambda: "")  # not this machine's
    monkeypatch.setattr("blogtui.core.comments.github.gh_token", lambda: "")
    try:
        yield server
    finally:
        if server.late is not None:
            server.late.set()
        server.close()


async def blog(github: GitHubStandIn, client: httpx.AsyncClient, tmp_path: Path, system: str):
    thread = (issue_on if system == "utterances" else discussion_on)(github, 8)[1]
    store, drafts = make_store(tmp_path)
    article = add_article(store, f"{github.origin}{PATH}", title="Ein Artikel")
    assert (await load_thread(client, store, article)).provider == system
    return store, drafts, article, thread


def poster(system: str, token: str = TOKEN, deadline: float = 30.0):
    return lambda draft, article: GitHubPoster(system, lambda: token, deadline=deadline)


def sent(github: GitHubStandIn) -> list[dict[str, object]]:
    """The bodies of the comment-creating requests (GraphQL reads are POSTs too)."""
    bodies = [json.loads(s.body) for s in github.posts]
    return [b for b in bodies if "operationName" not in b or b["operationName"].endswith("Add"
            "Comment")]  # fmt: skip


async def test_utterances_reply_to_the_post(github, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "utterances")
    draft = queue(store, drafts, article, TEXT)
    [result] = await send_pending(store, drafts, client, poster_for=poster("utterances"))
    assert (result.state, result.requests) == ("posted", 1)
    assert sent(github) == [{"body": TEXT}]
    assert result.remote_id == str(COMMENT_OFFSET + 9)
    assert result.remote_url.endswith(f"/issues/7#issuecomment-{result.remote_id}")
    assert github.posts[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert drafts.load(draft.id, sent=True).remote_id == result.remote_id


async def test_utterances_reply_quotes_its_comment_and_reads_back_nested(
    github, client, tmp_path
) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "utterances")
    parent = str(COMMENT_OFFSET + 2)
    queue(store, drafts, article, TEXT, parent=parent)
    [result] = await send_pending(store, drafts, client, poster_for=poster("utterances"))
    assert result.state == "posted"
    body = str(sent(github)[0]["body"])
    link = f"https://github.com/blog-de/kommentare/issues/7#issuecomment-{parent}"
    assert body.startswith(f"> [@user2]({link}) wrote:\n> <p>Übermäßig schön: Kommentar Nr. 2")
    assert body.endswith(f"\n\n{TEXT}")
    again = await load_thread(client, store, article)
    mine = [c for c in again.comments if c.key == result.remote_id]
    assert [(c.parent_key, c.content) for c in mine] == [(parent, f"<p>{TEXT}</p>")]


async def test_giscus_replies_go_under_top_level_comments(github, client, tmp_path) -> None:
    store, drafts, article, discussion = await blog(github, client, tmp_path, "giscus")
    queue(store, drafts, article, TEXT, parent=node_id(1))
    queue(store, drafts, article, "Noch eine Antwort", parent=node_id(4))  # a reply to 1's reply
    results = await send_pending(store, drafts, client, poster_for=poster("giscus"))
    assert [r.state for r in results] == ["posted", "posted"]
    variables = [body["variables"] for body in sent(github)]
    assert variables == [
        {"discussionId": discussion.ident, "body": TEXT, "replyToId": node_id(1)},
        {"discussionId": discussion.ident, "body": "@user4 Noch eine Antwort",
         "replyToId": node_id(1)},
    ]  # fmt: skip
    again = {c.key: c.parent_key for c in (await load_thread(client, store, article)).comments}
    assert again[results[0].remote_id] == again[results[1].remote_id] == node_id(1)


@pytest.mark.parametrize("system", ["utterances", "giscus"])
async def test_a_late_answer_is_found_never_sent_twice(github, client, tmp_path, system) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, system)
    parent = str(COMMENT_OFFSET + 3) if system == "utterances" else node_id(1)
    queue(store, drafts, article, TEXT, parent=parent)
    github.late = threading.Event()
    [first] = await send_pending(store, drafts, client, poster_for=poster(system, deadline=1.0))
    assert first.state == "unsure" and "timed out" in first.message
    github.late.set()
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=poster(system))
    assert (second.state, second.requests) == ("posted", 0)
    assert len(sent(github)) == 1


async def test_a_late_reply_to_a_reply_is_asked_about_then_found(github, client, tmp_path) -> None:
    from blogtui.core.posting.resend import confirm_resend

    store, drafts, article, _ = await blog(github, client, tmp_path, "giscus")
    draft = queue(store, drafts, article, TEXT, parent=node_id(3))  # goes under comment 1
    github.late = threading.Event()
    [first] = await send_pending(store, drafts, client, poster_for=poster("giscus", deadline=1.0))
    github.late.set()
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=poster("giscus"))
    assert (first.state, second.state) == ("unsure", "unconfirmed")
    confirm_resend(store, drafts, draft.id)
    [third] = await send_pending(store, drafts, client, now=LATER, poster_for=poster("giscus"))
    assert (third.state, third.requests) == ("posted", 1)  # the poster looked: nothing sent
    assert len(sent(github)) == 1


@pytest.mark.parametrize("system", ["utterances", "giscus"])
async def test_the_poster_itself_looks_before_it_sends(github, client, tmp_path, system) -> None:
    _, _, article, _ = await blog(github, client, tmp_path, system)
    request = ReplyRequest(article.link, "", TEXT, ME)
    github.late = threading.Event()
    late = await GitHubPoster(system, lambda: TOKEN, deadline=1.0).post(client, request)
    assert late.state is Outcome.FAILED and late.ambiguous
    github.late.set()
    found = await GitHubPoster(system, lambda: TOKEN).post(client, request)
    assert found.state is Outcome.POSTED and found.remote_id
    assert len(sent(github)) == 1


async def test_without_a_token_says_what_to_run(github, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "utterances")
    draft = queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "failed" and "blogtui comment-key github" in result.message
    assert not github.posts and drafts.load(draft.id).text == TEXT


async def test_stored_token_is_chosen_and_sent_to_the_api_only(github, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "giscus")
    queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(TOKEN_ENTRY, "github", TOKEN)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "posted"
    for seen in github.seen:
        assert ("authorization" in seen.headers) == (seen.path != PATH)
    plain = GitHubPoster("giscus", lambda: TOKEN, api_root="http://api.github.invalid")
    refused = await plain.post(client, ReplyRequest(article.link, "", TEXT, ME))
    assert refused.state is Outcome.UNAVAILABLE and "https" in refused.message


async def test_wrong_token_names_the_setting_never_the_token(github, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "utterances")
    queue(store, drafts, article, TEXT)
    wrong = poster("utterances", "ghp_falschesGeheimnis")
    [result] = await send_pending(store, drafts, client, poster_for=wrong)
    assert "comment-key github" in result.message and "falsches" not in result.message
    assert not [s for s in github.posts if s.path.endswith("/comments")]


async def test_locked_issue_closes_the_thread(github, client, tmp_path) -> None:
    store, drafts, article, issue = await blog(github, client, tmp_path, "utterances")
    issue.locked = True
    queue(store, drafts, article, TEXT)
    [result] = await send_pending(store, drafts, client, poster_for=poster("utterances"))
    assert result.state == "closed" and "locked" in result.message


def test_gh_auth_token_is_used_when_gh_is_installed(tmp_path, monkeypatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    gh = tools / "gh"
    gh.write_text('#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo ghp_ausGh && exit 0\nexit 1\n')
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setattr("blogtui.core.comments.github._GhLogin.seen", None)  # restored after
    assert gh_token() == "ghp_ausGh"
    assert gh_logged_in()  # what headings go by (they never run gh)
    gh.write_text("#!/bin/sh\necho 'not logged in' >&2\nexit 1\n")
    assert gh_token() == ""
    assert not gh_logged_in()
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert gh_token() == ""


def test_cli_stores_the_github_token(tmp_path, monkeypatch, capsys) -> None:
    import io

    from blogtui.cli import main
    from blogtui.core.paths import places

    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main(["--home", str(home), "comment-key", "github"]) == 0
    assert TOKEN not in capsys.readouterr().out
    found = CredentialStore(places(home).secrets_dir).get_entry(TOKEN_ENTRY)
    assert found is not None and found.password.reveal() == TOKEN


async def test_a_used_up_hour_waits_for_the_reset(github, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(github, client, tmp_path, "utterances")
    queue(store, drafts, article, TEXT)
    github.used[("core", True)] = 5000
    [result] = await send_pending(store, drafts, client, poster_for=poster("utterances"))
    assert result.state == "queued" and "all 5000 requests this hour are used" in result.message
    assert result.next_attempt is not None and result.next_attempt >= github.reset - 5
    assert not sent(github)
