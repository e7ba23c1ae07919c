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


ACCOUNT_SERVICES = {"disqus": "Disqus", "discourse": "Discourse", "mastodon": "Mastodon",
                    "giscus": "GitHub", "utterances": "GitHub"}  # fmt: skip
"""Providers whose replies go out as the user's account there (a stored key), by the service."""
OWN_SITE = {"webmention": "Micropub"}
"""Providers whose replies are published on the user's own site, by how."""


def account_sender(provider: str, where: str = "") -> str:
    """Who a reply posted with the user's stored key goes out as, for the send confirmation's
    "From:": "your GitHub account", "your Mastodon account on mastodon.social", "your site
    (Micropub, example.org)"; "" for a provider without such an account. `where`: the
    instance or endpoint host, when known."""
    if (how := OWN_SITE.get(provider)) is not None:
        return f"your site ({how}{', ' + where if where else ''})"
    service = ACCOUNT_SERVICES.get(provider)
    if service is None:
        return ""
    return f"your {service} account" + (f" on {where}" if where else "")


def account_reply_words(provider: str) -> str:
    """What a reply does on a thread posted to with the user's stored key, for the thread's
    heading: "reply posts as your GitHub account", "reply is published on your site
    (Micropub)"; "" for a provider without such an account."""
    if (how := OWN_SITE.get(provider)) is not None:
        return f"reply is published on your site ({how})"
    sender = account_sender(provider)
    return f"reply posts as {sender}" if sender else ""
