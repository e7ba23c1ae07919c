"""Replying to Disqus with the user's access token (`posts/create`), against the documented
stand-in (tests/standins/disqus.py): exactly one POST, the outbox's look-first after a timeout,
no token means the browser, refused tokens and rate limits said plainly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from posting_support import add_article, make_store, queue
from standins.disqus import ID_OFFSET, DisqusStandIn, DisqusThread
from standins.threads import german_thread
from test_comments_disqus import PAGE

from blogtui.core.comments import load_thread
from blogtui.core.comments.disqus import DisqusProvider
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.posting import send_pending
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.disqus import TOKEN_ENTRY, DisqusPoster
from blogtui.core.posting.select import choose_poster

KEY, TOKEN = "public-key-1", "access-token-1"
LATER = time.time() + 10 * 86400
TEXT = "Grüße aus Köln – „schön“ geschrieben!"


@pytest.fixture
def disqus(monkeypatch: pytest.MonkeyPatch) -> Iterator[DisqusStandIn]:
    server = DisqusStandIn(KEY, token=TOKEN)
    monkeypatch.setitem(PROVIDERS, "disqus", DisqusProvider(server.api_root, lambda: KEY))
    try:
        yield server
    finally:
        if server.hold is not None:
            server.hold.set()
        server.close()


async def blog(disqus: DisqusStandIn, client: httpx.AsyncClient, tmp_path, count: int = 5):
    link = f"{disqus.origin}/2024/01/artikel.html"
    thread = DisqusThread("blog-de", "post-42", link, german_thread(count))
    disqus.threads.append(thread)
    disqus.pages["/2024/01/artikel.html"] = PAGE.format(link=link, ident="post-42")
    store, drafts = make_store(tmp_path)
    article = add_article(store, link, title="Ein Artikel")
    assert (await load_thread(client, store, article)).provider == "disqus"
    return store, drafts, article, thread


def poster(token: str = TOKEN, deadline: float = 30.0):
    return lambda draft, article: DisqusPoster(lambda: token, deadline)


async def test_reply_is_created_once_under_its_parent(disqus, client, tmp_path) -> None:
    store, drafts, article, thread = await blog(disqus, client, tmp_path)
    parent = str(ID_OFFSET + 3)
    draft = queue(store, drafts, article, TEXT, parent=parent)
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert (result.state, result.requests) == ("posted", 1)
    [sent] = disqus.posts
    assert sent.path == "/api/3.0/posts/create.json"
    assert sent.form == {"thread": "8800", "message": TEXT, "parent": parent, "api_key": KEY,
                         "access_token": TOKEN}  # fmt: skip
    assert result.remote_id == str(ID_OFFSET + 6)
    assert result.remote_url == f"{thread.link}#comment-{result.remote_id}"
    assert drafts.load(draft.id, sent=True).remote_id == result.remote_id
    mine = [c for c in store.comments_for(article.id) if c.mine]
    assert [(c.key, c.parent_key) for c in mine] == [(result.remote_id, parent)]


async def test_timeout_after_sending_is_found_not_resent(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    disqus.hold = threading.Event()
    [first] = await send_pending(store, drafts, client, poster_for=poster(deadline=1.0))
    assert first.state == "unsure" and "timed out" in first.message
    disqus.hold.set()
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=poster())
    assert (second.state, second.requests) == ("posted", 0)
    assert second.remote_id == str(ID_OFFSET + 6)
    assert len(disqus.posts) == 1


async def test_held_reply_not_listed_is_never_resent_blindly(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    disqus.moderated, disqus.hold = True, threading.Event()
    [first] = await send_pending(store, drafts, client, poster_for=poster(deadline=1.0))
    assert first.state == "unsure"
    disqus.hold.set()
    [second] = await send_pending(store, drafts, client, now=LATER, poster_for=poster())
    assert (second.state, second.requests) == ("unconfirmed", 0)
    assert len(disqus.posts) == 1


async def test_moderated_forum_holds_the_reply(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    disqus.moderated = True
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert (result.state, result.requests) == ("held", 1) and result.remote_id


async def test_without_a_token_the_browser_is_offered(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    draft = queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "failed" and result.state.needs_browser
    assert "disqus-token" in result.message and not disqus.posts
    assert drafts.load(draft.id).text == TEXT


async def test_stored_token_is_chosen_and_used(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
    credentials.set_entry(TOKEN_ENTRY, "disqus", TOKEN)
    chosen = lambda d, a: choose_poster(store, d, credentials)  # noqa: E731
    [result] = await send_pending(store, drafts, client, poster_for=chosen)
    assert result.state == "posted"
    assert [s.form["access_token"] for s in disqus.posts] == [TOKEN]


async def test_wrong_token_names_the_setting_never_the_token(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    [result] = await send_pending(store, drafts, client, poster_for=poster("falsches-geheimnis"))
    assert result.state == "rejected" and TOKEN_ENTRY in result.message
    assert "falsches" not in result.message


async def test_rate_limit_waits_for_retry_after(disqus, client, tmp_path) -> None:
    store, drafts, article, _ = await blog(disqus, client, tmp_path)
    queue(store, drafts, article, TEXT)
    disqus.retry_after = "600"
    before = time.time()
    original = disqus.create

    def limited(form):  # the rate limit hits the POST, not the thread lookup before it
        disqus.too_many = 1
        return original(form)

    disqus.create = limited  # type: ignore[method-assign]
    [result] = await send_pending(store, drafts, client, poster_for=poster())
    assert result.state == "queued" and "rate limit" in result.message
    assert result.next_attempt is not None and result.next_attempt >= before + 600


def test_cli_stores_the_token_and_the_thread_then_takes_replies(tmp_path, monkeypatch) -> None:
    import io

    from blogtui.cli import main
    from blogtui.core.paths import places
    from blogtui.core.posting.select import posts_with_account

    home = tmp_path / "home"
    secrets = places(home).secrets_dir
    assert not posts_with_account("disqus", [], secrets)
    monkeypatch.setattr("sys.stdin", io.StringIO(TOKEN + "\n"))
    assert main(["--home", str(home), "comment-key", "disqus-token"]) == 0
    found = CredentialStore(secrets).get_entry(TOKEN_ENTRY)
    assert found is not None and found.password.reveal() == TOKEN
    assert posts_with_account("disqus", [], secrets)
    assert not posts_with_account("discourse", [], secrets)
    assert main(["--home", str(home), "comment-key", "disqus-token", "--delete"]) == 0
    assert not posts_with_account("disqus", [], secrets)
