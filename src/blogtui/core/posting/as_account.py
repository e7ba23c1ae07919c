"""Whether a reply goes out as the user's account on a service (a stored Disqus access token, a
Discourse User API key, a Mastodon account, a GitHub token, a Micropub endpoint for
Webmentions): such a reply carries the account's name, so no name and email are asked for it,
and the send confirmation names the account (`core.posting.identity.account_sender`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from blogtui.core.comments.loading import site_of
from blogtui.core.posting.identity import account_sender
from blogtui.core.posting.select import micropub_endpoint, posts_with_account

if TYPE_CHECKING:
    from blogtui.core.drafts.file import Draft
    from blogtui.core.store import Store


def posts_as_account(store: Store, draft: Draft, secrets_dir: Path | None) -> bool:
    """True when `draft` is posted with a stored key of the service its thread lives on (its
    `source`, else the blog's remembered provider); reads the credential store."""
    return bool(reply_account(store, draft, secrets_dir))


def reply_account(store: Store, draft: Draft, secrets_dir: Path | None) -> str:
    """Who `draft` goes out as when posted with the user's stored key ("your GitHub account",
    "your Mastodon account on mastodon.social", "your site (Micropub, example.org)"); "" when
    it is not (then the draft's name and email are used). Reads the store and the keys; for
    GitHub also what `gh auth token` said when a GitHub thread was last read (`gh` is not run
    here: `core.comments.github.gh_logged_in`)."""
    site = site_of(draft.article_url)
    provider = draft.source or (store.blog_provider(site)[0] if site else "")
    if not provider or secrets_dir is None:
        return ""
    article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
    comments = store.comments_for(article_id, draft.source) if article_id is not None else []
    if not posts_with_account(provider, [c.link for c in comments], secrets_dir):
        return ""
    return account_sender(provider, _where(provider, secrets_dir))


def _where(provider: str, secrets_dir: Path) -> str:
    """The host of the user's Mastodon instance or Micropub endpoint ("" for the others)."""
    from blogtui.core.posting.credentials import CredentialStore
    from blogtui.core.posting.mastodon import stored_account

    credentials = CredentialStore(secrets_dir)
    if provider == "mastodon":
        account = stored_account(credentials)
        return urlsplit(account.instance).hostname or "" if account else ""
    if provider == "webmention":
        return urlsplit(micropub_endpoint(credentials)).hostname or ""
    return ""
