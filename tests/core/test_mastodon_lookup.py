"""A Mastodon reply whose answer was lost is looked up on the user's own instance before it is
sent again: the stand-in (tests/standins/mastodon.py) makes the status and then loses the answer
(a 502 from a proxy, a dropped connection), or drops the request before making anything, or
is down when the outbox looks. The status is found by the user's account, in reply to the
status answered, with the draft's text (as HTML, after the @handle the poster adds)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from posting_support import ME, add_article, make_store
from standins.mastodon import BASE, MastodonStandIn, Toot, account_id
from test_mastodon_comments import PATH, Blog
from test_mastodon_posting import HOME_TOKEN, TEXT, servers  # noqa: F401 - the fixture

from blogtui.core.posting import mastodon as mastodon_posting
from blogtui.core.posting import queue_reply, send_pending
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.mastodon import save_account, sent_by
from blogtui.core.posting.select import choose_poster

LATER = time.time() + 10 * 24 * 3600
"""A moment when every retry is due."""
PARENT = str(BASE + 4)


class Local:
    """The outbox's side: a store, drafts, the user's account on `home`, one queued draft."""

    def __init__(self, tmp_path: Path, blog: Blog, home: MastodonStandIn) -> None:
        self.store, self.drafts = make_store(tmp_path)
        self.article = add_article(self.store, f"{blog.origin}{PATH}", title="Käse")
        self.credentials = CredentialStore(tmp_path / "secrets", use_keyring=False)
        save_account(self.credentials, home.origin, HOME_TOKEN, "unlisted")
        self.draft_id = ""

    def queue(self, text: str = TEXT, parent: str = PARENT) -> str:
        draft = self.drafts.new(blog="demo", article_url=self.article.link,
                                article_title=self.article.title, parent_id=parent,
                                identity=ME, text=text, source="mastodon")  # fmt: skip
        queue_reply(self.store, self.drafts, draft, self.article.id)
        self.draft_id = draft.id
        return draft.id

    async def send(self, client, now: float | None = None):
        chosen = lambda d, a: choose_poster(self.store, d, self.credentials)  # noqa: E731
        [result] = await send_pending(self.store, self.drafts, client, now=now,
                                      poster_for=chosen)  # fmt: skip
        return result


def statuses_of_mine(home: MastodonStandIn) -> list[str]:
    return [t.id for t in home.toots.values() if t.user == home.me[0]]


@pytest.fixture
def local(tmp_path, servers) -> Local:  # noqa: F811 - the imported fixture
    _, home, blog = servers
    return Local(tmp_path, blog, home)


@pytest.mark.parametrize("mode", ["502-after", "dropped-after"])
async def test_a_lost_answer_is_found_on_the_users_instance_and_never_sent_again(
    servers,  # noqa: F811
    local,
    client,
    mode,
) -> None:
    host, home, _ = servers
    local.queue()
    home.lose = [mode]
    first = await local.send(client)
    assert first.state == "unsure" and first.requests == 1, first
    [made] = statuses_of_mine(home)
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("posted", 0), second
    assert statuses_of_mine(home) == [made] and len(home.posts) == 1
    assert second.remote_id == made
    assert second.remote_url == f"{home.origin}/@joerg/{made}"
    item = local.store.outbox_item(local.draft_id)
    assert item is not None and (item.remote_id, item.remote_url) == (made, second.remote_url)
    assert not local.drafts.path_of(local.draft_id).exists()  # archived with the status's URL
    stored = {c.key: c for c in local.store.comments_for(local.article.id, "mastodon")}
    assert stored[made].parent_key == PARENT and stored[made].mine
    looked = [s.path for s in home.seen if s.method == "GET"]
    assert "/api/v1/accounts/verify_credentials" in looked
    assert any(p.endswith("/context") for p in looked)
    assert all(s.headers.get("authorization") == f"Bearer {HOME_TOKEN}" for s in home.seen)
    assert all("authorization" not in s.headers for s in host.seen)


async def test_a_post_that_never_reached_the_instance_is_sent_once_more(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, _ = servers
    local.queue()
    home.lose = ["dropped-before"]
    first = await local.send(client)
    assert first.state == "unsure" and not statuses_of_mine(home)
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("posted", 1), second
    [made] = statuses_of_mine(home)
    assert second.remote_id == made and len(home.posts) == 2
    assert {s.headers["idempotency-key"] for s in home.posts} == {f"blogtui-draft-{local.draft_id}"}
    chosen = lambda d, a: choose_poster(local.store, d, local.credentials)  # noqa: E731
    assert await send_pending(local.store, local.drafts, client, now=LATER,
                              poster_for=chosen) == []  # fmt: skip
    assert len(home.posts) == 2


async def test_an_instance_that_is_down_leaves_the_reply_unsure_and_sends_nothing(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, _ = servers
    local.queue()
    home.lose = ["502-after"]
    first = await local.send(client)
    assert first.state == "unsure"
    home.go_down()
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("unsure", 0), second
    assert "cannot check whether it was posted" in second.message
    assert second.next_attempt is not None and second.next_attempt > LATER
    assert len(home.posts) == 1 and len(statuses_of_mine(home)) == 1
    item = local.store.outbox_item(local.draft_id)
    assert item is not None and item.state == "unsure"
    assert local.drafts.path_of(local.draft_id).exists()


async def test_a_different_reply_by_the_user_is_not_taken_for_it(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, _ = servers
    local.queue("Eine ganz andere Antwort, die nie verloren ging.")
    other = await local.send(client)
    assert other.state == "posted"
    local.queue()
    home.lose = ["dropped-before"]
    assert (await local.send(client)).state == "unsure"
    again = await local.send(client, now=LATER)
    assert (again.state, again.requests) == ("posted", 1), again
    assert len(statuses_of_mine(home)) == 2 and again.remote_id != other.remote_id


def test_a_status_matches_by_account_parent_and_text_as_html() -> None:
    me = account_id("joerg")
    text = "Grüße – „schön“ & <danke>\n\nZweiter Absatz\nmit Umbruch"
    content = ('<p><span class="h-card" translate="no"><a href="https://b.social/@anna" class='
               '"u-url mention">@<span>anna</span></a></span> Grüße – „schön“ &amp; &lt;danke&gt;'
               '</p><p>Zweiter Absatz<br />mit Umbruch</p>')  # fmt: skip
    status = {"id": "1", "in_reply_to_id": "77", "content": content, "account": {"id": me}}
    assert sent_by(status, me, "77", text)
    assert sent_by(status, me, "77", f"@anna@b.social {text}")
    assert not sent_by(status, me, "78", text)
    assert not sent_by(status, "999", "77", text)
    assert sent_by(status, "", "77", text)  # whose account is unknown: any
    assert not sent_by(status, me, "77", "Grüße – „schön“")
    named = {**status, "content": "<p>Danke <span class=\"h-card\"><a class=\"u-url mention\""
             " href=\"https://b.social/@anna\">@<span>anna</span></a></span>!</p>"}  # fmt: skip
    assert sent_by(named, me, "77", "Danke @anna@b.social!")


async def test_a_refused_token_asks_the_user_and_sends_nothing(servers, local, client) -> None:  # noqa: F811
    _, home, _ = servers
    local.queue()
    home.lose = ["dropped-before"]
    assert (await local.send(client)).state == "unsure"
    home.token = "ein-neues-token"  # the stored one was revoked meanwhile
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("unconfirmed", 0), second
    assert "refused the access token" in second.message and HOME_TOKEN not in second.message
    assert len(home.posts) == 1 and not statuses_of_mine(home)


async def test_a_context_too_long_to_read_whole_asks_the_user(
    servers,  # noqa: F811
    local,
    client,
    monkeypatch,
) -> None:
    _, home, _ = servers
    monkeypatch.setattr(mastodon_posting, "TOKEN_CONTEXT_LIMIT", 2)
    local.queue()
    home.lose = ["dropped-before"]
    assert (await local.send(client)).state == "unsure"
    [copy] = [t for t in home.toots.values() if t.remote.endswith(f"/{PARENT}")]
    for n in (1, 2):
        home.toots[f"{BASE + 800_000 + n}"] = Toot(f"{BASE + 800_000 + n}", f"gast{n}", "Gast",
                                                   f"<p>Antwort {n}</p>", copy.id)  # fmt: skip
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("unconfirmed", 0), second
    assert "too many replies" in second.message
    assert len(home.posts) == 1 and not statuses_of_mine(home)


async def test_a_token_without_read_accounts_finds_it_by_place_and_text(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, _ = servers
    home.scopes = {"read:statuses", "read:search", "write:statuses"}
    local.queue()
    home.lose = ["502-after"]
    assert (await local.send(client)).state == "unsure"
    [made] = statuses_of_mine(home)
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests, second.remote_id) == ("posted", 0, made), second
    refused = [s for s in home.seen if s.path.endswith("/verify_credentials")]
    assert refused and len(home.posts) == 1


async def test_someone_elses_status_with_the_same_words_is_not_taken_for_it(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, _ = servers
    local.queue()
    home.lose = ["dropped-before"]
    assert (await local.send(client)).state == "unsure"
    [copy] = [t for t in home.toots.values() if t.remote.endswith(f"/{PARENT}")]
    echo = Toot(str(BASE + 800_001), "gast", "Gast", home.rendered(TEXT), copy.id)
    home.toots[echo.id] = echo
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("posted", 1), second
    [made] = statuses_of_mine(home)
    assert second.remote_id == made != echo.id


async def test_an_article_page_that_cannot_be_read_leaves_it_unsure_until_it_can(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    _, home, blog = servers
    local.queue()
    home.lose = ["502-after"]
    assert (await local.send(client)).state == "unsure"
    page = blog.pages.pop(PATH)
    second = await local.send(client, now=LATER)
    assert (second.state, second.requests) == ("unsure", 0), second
    assert "cannot check whether it was posted" in second.message
    blog.pages[PATH] = page
    third = await local.send(client, now=LATER + 10 * 24 * 3600)
    assert (third.state, third.requests) == ("posted", 0), third
    assert len(home.posts) == 1 and len(statuses_of_mine(home)) == 1


async def test_on_the_toots_own_instance_the_toot_itself_is_looked_at(
    servers,  # noqa: F811
    local,
    client,
) -> None:
    host, home, _ = servers
    save_account(local.credentials, host.origin, "token-1", "public")
    local.queue(parent="")
    host.lose = ["dropped-after"]
    assert (await local.send(client)).state == "unsure"
    again = await local.send(client, now=LATER)
    assert (again.state, again.requests) == ("posted", 0), again
    [made] = statuses_of_mine(host)
    assert again.remote_id == made and host.toots[made].parent == str(BASE)
    assert len(host.posts) == 1 and not home.seen
    assert not [s for s in host.seen if s.path == "/api/v2/search"]
