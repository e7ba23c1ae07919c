"""The comment providers, by name, in the order they are tried.

Embedded comment systems (Disqus, Discourse) come first: what the article page shows is the
thread its readers take part in, even when the blog's own feed or API has a (stale) one.
Blogger comes before Atom threading, whose reading of Blogger's feeds loses every parent.
"""

from __future__ import annotations

from pathlib import Path

from blogtui.core.comments import discourse, disqus, fediverse
from blogtui.core.comments.atom_threading import AtomThreadingProvider
from blogtui.core.comments.base import CommentProvider
from blogtui.core.comments.blogger import BloggerProvider, is_blogger_feed
from blogtui.core.comments.comment_feed import CommentFeedProvider
from blogtui.core.comments.discourse import DiscourseProvider
from blogtui.core.comments.disqus import DisqusProvider
from blogtui.core.comments.giscus import GiscusProvider
from blogtui.core.comments.giscus import systems as github_systems
from blogtui.core.comments.github import token_source
from blogtui.core.comments.hackernews import HackerNewsProvider
from blogtui.core.comments.isso import IssoProvider
from blogtui.core.comments.lobsters import LobstersProvider
from blogtui.core.comments.mastodon import MastodonProvider, token_entry
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import stored_key
from blogtui.core.comments.utterances import UtterancesProvider
from blogtui.core.comments.waline import WalineProvider
from blogtui.core.comments.waline import find_embed as find_waline
from blogtui.core.comments.webmention import WebmentionProvider
from blogtui.core.comments.webmention_endpoint import endpoint_of
from blogtui.core.comments.wordpress import WordPressProvider

PROVIDERS: dict[str, CommentProvider] = {}
"""Every provider by name, in fallback order."""


def register(provider: CommentProvider) -> None:
    """Add (or replace) a provider; new ones are tried after the built-in ones."""
    PROVIDERS[provider.name] = provider


for _provider in (DisqusProvider(), DiscourseProvider(), WalineProvider(),
                  GiscusProvider(), UtterancesProvider(),
                  WordPressProvider(), BloggerProvider(), AtomThreadingProvider(),
                  CommentFeedProvider(), IssoProvider()):  # fmt: skip
    register(_provider)

register(MastodonProvider())  # kind "elsewhere": replies to the article's toot
register(WebmentionProvider())  # kind "elsewhere": Webmentions other sites sent

for _site in (HackerNewsProvider(), LobstersProvider()):  # kind "discussion": on demand only
    register(_site)


def use_secrets(secrets_dir: Path) -> None:
    """Read service keys (Disqus, Discourse) from the credentials in `secrets_dir`: the CLI and
    the app call this with their `Places.secrets_dir` (by default the default places' are read).
    The registered providers keep their addresses; only where their keys come from changes."""
    for provider in PROVIDERS.values():
        if isinstance(provider, DisqusProvider):
            provider.api_key = lambda: stored_key(disqus.KEY_ENTRY, secrets_dir)
        elif isinstance(provider, DiscourseProvider):
            provider.user_api_key = lambda forum: stored_key(
                discourse.key_entry(forum), secrets_dir
            )
        elif isinstance(provider, GiscusProvider | UtterancesProvider):
            provider.token = token_source(secrets_dir)
        elif isinstance(provider, MastodonProvider):
            provider.token = lambda origin: stored_key(token_entry(origin), secrets_dir)


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


def page_systems(page: Page) -> list[str]:
    """The comment systems an article page shows, in the order they are tried, each with what
    gave it away: for `i` (details), and to say which one was picked when there are several."""
    found: list[str] = []
    if (seen := disqus.find_embed(page)) is not None:
        found.append(f"Disqus (forum {seen.shortname!r})")
    if (forum := discourse.find_embed(page)) is not None:
        found.append(f"Discourse ({forum.forum})")
    if (waline := find_waline(page)) is not None:
        found.append(f"Waline ({waline.server}, path {waline.path!r})")
    found.extend(github_systems(page))
    if any(is_blogger_feed(link.href) for link in page.links):
        found.append("Blogger (its comment feed is linked)")
    if page.isso_server:
        found.append(f"Isso ({page.isso_server})")
    if toot := fediverse.find_toot("", page.url, page.html, page.url, page.script_text):
        found.append(f"Mastodon replies ({toot.web_url}, from its {toot.found_by})")
    if webmention_endpoint := endpoint_of(page):
        found.append(f"Webmentions (endpoint {webmention_endpoint})")
    return found
