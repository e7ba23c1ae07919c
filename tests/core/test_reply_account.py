"""Replies that go out as the user's account: giscus and utterances with a stored GitHub token,
Webmentions through the user's Micropub endpoint, and how each is worded."""

from __future__ import annotations

from posting_support import ME, add_article, make_store

from blogtui.core.comments.github import TOKEN_ENTRY as GITHUB_ENTRY
from blogtui.core.posting.as_account import posts_as_account, reply_account
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.identity import account_reply_words, account_sender
from blogtui.core.posting.mastodon import save_account
from blogtui.core.posting.micropub import ENTRY as MICROPUB_ENTRY
from blogtui.core.posting.select import posts_with_account

URL = "https://blog.example/2026/12/kaese/"


def test_giscus_and_utterances_post_as_the_stored_github_account(tmp_path, monkeypatch) -> None:
    def no_gh(*args: object, **kwargs: object) -> None:
        raise AssertionError("`gh auth token` was run")

    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/gh")
    monkeypatch.setattr("subprocess.run", no_gh)  # only the stored entry is asked
    secrets = tmp_path / "secrets"
    assert not posts_with_account("giscus", [], secrets)
    assert not posts_with_account("utterances", [], None)
    CredentialStore(secrets, use_keyring=False).set_entry(GITHUB_ENTRY, "", "ghp_geheim")
    assert posts_with_account("giscus", [], secrets)
    assert posts_with_account("utterances", [], secrets)
    assert not posts_with_account("waline", [], secrets)


def test_webmentions_post_through_the_stored_micropub_endpoint(tmp_path) -> None:
    secrets = tmp_path / "secrets"
    credentials = CredentialStore(secrets, use_keyring=False)
    assert not posts_with_account("webmention", [], secrets)
    credentials.set_entry(MICROPUB_ENTRY, "https://me.example/micropub", "")
    assert not posts_with_account("webmention", [], secrets)  # no token: not usable
    credentials.set_entry(MICROPUB_ENTRY, "https://me.example/micropub", "tok")
    assert posts_with_account("webmention", [], secrets)


def test_the_words_for_each_account() -> None:
    assert account_reply_words("giscus") == "reply posts as your GitHub account"
    assert account_reply_words("utterances") == "reply posts as your GitHub account"
    assert account_reply_words("disqus") == "reply posts as your Disqus account"
    assert account_reply_words("webmention") == "reply is published on your site (Micropub)"
    assert account_reply_words("wordpress") == ""
    assert account_sender("mastodon", "social.example") == "your Mastodon account on social.example"
    assert account_sender("webmention", "me.example") == "your site (Micropub, me.example)"
    assert account_sender("isso") == ""


def test_reply_account_names_who_a_draft_goes_out_as(tmp_path) -> None:
    store, drafts = make_store(tmp_path)
    add_article(store, URL, title="Käse")
    secrets = tmp_path / "secrets"
    credentials = CredentialStore(secrets, use_keyring=False)

    def draft(source: str):  # noqa: ANN202
        return drafts.new(blog="demo", article_url=URL, article_title="Käse", identity=ME,
                          text="Danke!", source=source)  # fmt: skip

    github, toot, mention = draft("giscus"), draft("mastodon"), draft("webmention")
    assert reply_account(store, github, secrets) == ""
    assert not posts_as_account(store, github, secrets)
    credentials.set_entry(GITHUB_ENTRY, "", "ghp_geheim")
    save_account(credentials, "https://social.example", "geheim", "public")
    credentials.set_entry(MICROPUB_ENTRY, "https://me.example/micropub", "tok")
    assert reply_account(store, github, secrets) == "your GitHub account"
    assert posts_as_account(store, github, secrets)
    assert reply_account(store, toot, secrets) == "your Mastodon account on social.example"
    assert reply_account(store, mention, secrets) == "your site (Micropub, me.example)"
    assert reply_account(store, draft(""), secrets) == ""  # the blog's own form: the draft's name
    assert reply_account(store, github, None) == ""
