"""Which poster sends a draft: Disqus or Discourse where the thread lives there (with the
user's access token or User API key; without one the poster says to reply in the browser), REST
with a stored credential, Isso where the thread is Isso's, else the WordPress comment form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from blogtui.core.comments.discourse import key_entry
from blogtui.core.comments.github import TOKEN_ENTRY as GITHUB_ENTRY
from blogtui.core.comments.github import gh_logged_in, gh_token
from blogtui.core.comments.loading import site_of
from blogtui.core.drafts.file import Draft
from blogtui.core.posting.base import Poster
from blogtui.core.posting.credentials import CredentialError, CredentialStore
from blogtui.core.posting.discourse import DiscoursePoster
from blogtui.core.posting.disqus import TOKEN_ENTRY, DisqusPoster
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.github import GitHubPoster
from blogtui.core.posting.isso import IssoPoster
from blogtui.core.posting.mastodon import mastodon_poster, stored_account
from blogtui.core.posting.micropub import ENTRY as MICROPUB_ENTRY
from blogtui.core.posting.micropub import poster_for_draft as micropub_poster
from blogtui.core.posting.rest import RestPoster
from blogtui.core.posting.waline import WalinePoster

if TYPE_CHECKING:
    from blogtui.core.models import Article
    from blogtui.core.store import Store

PosterFor = Callable[[Draft, "Article | None"], Poster]
"""Which poster sends a draft (to an article, when it is stored)."""


def choose_poster(store: Store, draft: Draft, credentials: CredentialStore | None = None) -> Poster:
    """The poster for `draft`: its source when it names one (a reply to Mastodon replies, a
    GitHub discussion ...), else the provider the blog's own thread was last read with."""
    site = site_of(draft.article_url)
    provider = draft.source or (store.blog_provider(site)[0] if site else "")
    if provider == "disqus":
        return DisqusPoster(lambda: _entry(credentials, TOKEN_ENTRY))
    if provider == "discourse":
        return DiscoursePoster(lambda forum: _entry(credentials, key_entry(forum)))
    if provider in ("giscus", "utterances"):  # the user's GitHub token, else `gh auth token`
        return GitHubPoster(provider, lambda: _entry(credentials, GITHUB_ENTRY) or gh_token())
    if provider == "waline":  # anonymous, like the Waline client
        return WalinePoster()
    if provider == "webmention":  # published on the user's site, then a Webmention
        return micropub_poster(store, draft.id, credentials)
    if provider == "mastodon":  # from the user's own account, an Idempotency-Key per draft
        return mastodon_poster(store, draft, credentials)
    if credentials is not None and site:
        credential = credentials.get(site)  # CredentialError: an unsafe secrets file
        if credential is not None:
            return RestPoster(credential)
    if provider == "isso":
        return IssoPoster()
    return FormPoster()


def _entry(credentials: CredentialStore | None, entry: str) -> str:
    """The secret stored under `entry` ("" without credentials or when unreadable)."""
    if credentials is None:
        return ""
    try:
        found = credentials.get_entry(entry)
    except CredentialError:
        return ""
    return found.password.reveal() if found else ""


def poster_chooser(store: Store, secrets_dir: Path | None) -> PosterFor:
    """A `poster_for` callable for `send_pending` that also uses stored credentials."""
    credentials = CredentialStore(secrets_dir) if secrets_dir is not None else None
    return lambda draft, article: choose_poster(store, draft, credentials)


def posts_with_account(provider: str, links: list[str], secrets_dir: Path | None) -> bool:
    """True when replies to a thread of `provider` go out as the user's account: a Disqus
    access token is stored, a User API key for the Discourse forum the thread's comment `links`
    (`{forum}t/SLUG/TOPIC/N`) live on, a Mastodon account, a GitHub token for giscus and
    utterances (credential 'github', or `gh auth token` gave one when a GitHub thread was last
    read: `gh` is not run here), or a Micropub endpoint and token for Webmentions (the reply is
    published on the user's site)."""
    if secrets_dir is None:
        return False
    credentials = CredentialStore(secrets_dir)
    if provider == "disqus":
        return bool(_entry(credentials, TOKEN_ENTRY))
    if provider == "discourse":
        forums = {link.split("/t/")[0] + "/" for link in links if "/t/" in link}
        return any(_entry(credentials, key_entry(forum)) for forum in forums)
    if provider == "mastodon":
        return stored_account(credentials) is not None
    if provider in ("giscus", "utterances"):
        return bool(_entry(credentials, GITHUB_ENTRY).strip()) or gh_logged_in()
    if provider == "webmention":
        return bool(micropub_endpoint(credentials))
    return False


def micropub_endpoint(credentials: CredentialStore) -> str:
    """The stored Micropub endpoint's URL when its token is stored too, else ""."""
    try:
        found = credentials.get_entry(MICROPUB_ENTRY)
    except CredentialError:
        return ""
    if found is None or not found.password.reveal().strip():
        return ""
    return found.user.strip()
