"""Which poster sends a draft: REST with a stored credential, Isso where the thread is Isso's,
else the WordPress comment form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from blogtui.core.comments.loading import site_of
from blogtui.core.drafts.file import Draft
from blogtui.core.posting.base import Poster
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.form import FormPoster
from blogtui.core.posting.isso import IssoPoster
from blogtui.core.posting.rest import RestPoster

if TYPE_CHECKING:
    from blogtui.core.models import Article
    from blogtui.core.store import Store

PosterFor = Callable[[Draft, "Article | None"], Poster]
"""Which poster sends a draft (to an article, when it is stored)."""


def choose_poster(store: Store, draft: Draft, credentials: CredentialStore | None = None) -> Poster:
    """The poster for `draft`'s blog."""
    site = site_of(draft.article_url)
    if credentials is not None and site:
        credential = credentials.get(site)  # CredentialError: an unsafe secrets file
        if credential is not None:
            return RestPoster(credential)
    provider = store.blog_provider(site)[0] if site else ""
    if provider == "isso":
        return IssoPoster()
    return FormPoster()


def poster_chooser(store: Store, secrets_dir: Path | None) -> PosterFor:
    """A `poster_for` callable for `send_pending` that also uses stored credentials."""
    credentials = CredentialStore(secrets_dir) if secrets_dir is not None else None
    return lambda draft, article: choose_poster(store, draft, credentials)
