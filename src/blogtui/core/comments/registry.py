"""The comment providers, by name, in the order they are tried.

Embedded comment systems (Disqus, Discourse) come first: what the article page shows is the
thread its readers take part in, even when the blog's own feed or API has a (stale) one.
Blogger comes before Atom threading, whose reading of Blogger's feeds loses every parent.
"""

from __future__ import annotations

from blogtui.core.comments.atom_threading import AtomThreadingProvider
from blogtui.core.comments.base import CommentProvider
from blogtui.core.comments.blogger import BloggerProvider
from blogtui.core.comments.comment_feed import CommentFeedProvider
from blogtui.core.comments.discourse import DiscourseProvider
from blogtui.core.comments.disqus import DisqusProvider
from blogtui.core.comments.isso import IssoProvider
from blogtui.core.comments.wordpress import WordPressProvider

PROVIDERS: dict[str, CommentProvider] = {}
"""Every provider by name, in fallback order."""


def register(provider: CommentProvider) -> None:
    """Add (or replace) a provider; new ones are tried after the built-in ones."""
    PROVIDERS[provider.name] = provider


for _provider in (DisqusProvider(), DiscourseProvider(), WordPressProvider(), BloggerProvider(),
                  AtomThreadingProvider(), CommentFeedProvider(), IssoProvider()):  # fmt: skip
    register(_provider)


def provider_order(preferred: str = "") -> list[str]:
    """Provider names to try: `preferred` first, then the registry's order."""
    names = list(PROVIDERS)
    if preferred in PROVIDERS:
        names.remove(preferred)
        names.insert(0, preferred)
    return names


REPLY_WORDS = {"browser": "reply opens the browser"}
"""What a reply does, in words, by `CommentProvider.reply_mode`."""


def source_words(name: str) -> tuple[str, str]:
    """(where a thread comes from, what a reply does) for provider `name`, in words:
    ("via Disqus", "reply opens the browser"); ("via NAME", "") for a provider whose replies
    blogtui's posting handles, ("", "") for no provider."""
    provider = PROVIDERS.get(name)
    if provider is None:
        return (f"via {name}" if name else ""), ""
    return f"via {provider.label or name}", REPLY_WORDS.get(provider.reply_mode, "")
