"""The one rule for who a reply goes out as: the confirm dialog, the sender and the CLI use it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from blogtui.core.config import Config, Identity

if TYPE_CHECKING:
    from blogtui.core.drafts.file import Draft


def reply_identity(config: Config, draft: Draft) -> Identity:
    """The draft's own identity when complete, else the configured one for its blog.

    The blog is the host of the article's URL, else the draft's `blog` field."""
    if draft.identity.complete:
        return draft.identity
    return config.identity_for(urlsplit(draft.article_url).hostname or draft.blog)
