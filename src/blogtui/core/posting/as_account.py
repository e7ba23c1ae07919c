"""Whether a reply goes out as the user's account on a service whose replies otherwise open the
browser (a stored Disqus access token, a Discourse User API key): such a reply carries the
account's name, so no name and email are asked for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from blogtui.core.comments.loading import site_of
from blogtui.core.posting.select import posts_with_account

if TYPE_CHECKING:
    from blogtui.core.drafts.file import Draft
    from blogtui.core.store import Store


def posts_as_account(store: Store, draft: Draft, secrets_dir: Path | None) -> bool:
    """True when `draft` is posted with a stored key of the service its thread lives on (its
    `source`, else the blog's remembered provider); reads the credential store."""
    site = site_of(draft.article_url)
    provider = draft.source or (store.blog_provider(site)[0] if site else "")
    if not provider:
        return False
    article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
    comments = store.comments_for(article_id, draft.source) if article_id is not None else []
    return posts_with_account(provider, [c.link for c in comments], secrets_dir)
