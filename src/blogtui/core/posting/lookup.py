"""Finding a reply on the server: is it there already (after a crash, a dropped connection or a
"duplicate" answer)? The thread is read the way the reader reads it (`core.comments`), and the
reply is matched by parent, author name and normalised text.

A reply found is on the blog, whoever read the thread. A reply NOT found is known to be absent
only when the thread was read whole from a source that lists every published comment: the
WordPress REST API, Isso and Waline (`VERIFYING`; Waline also refuses the same reply
twice, held or not). Comment feeds (RSS, Atom threading) show the latest
few comments, so their silence proves nothing; the outbox then asks the user before resending.

A poster that can find its own replies (`FindsSent`: Mastodon, where the reply is a status on
the user's own instance) is asked instead of the blog's thread; what it cannot read stays
unsure and is looked up again, as with a `VERIFYING` provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import httpx

from blogtui.core.comments.loading import NoThread, find_thread, site_of
from blogtui.core.comments.wordpress import WordPressProvider
from blogtui.core.models import Article, CommentData
from blogtui.core.posting.base import DEADLINE, Poster, normalise

if TYPE_CHECKING:
    from blogtui.core.store import Store


class LookupFailed(Exception):
    """The thread could not be read; whether the reply exists is unknown."""


VERIFYING = frozenset({"wordpress", "isso", "waline"})
"""Providers whose whole thread shows that a reply is absent (not only that it is there)."""
ACCOUNT = frozenset({"disqus", "discourse", "giscus", "utterances"})
"""Providers whose replies go out under the user's account there (access token, User API key):
the name on them is the account's, not the draft's identity, so a reply is matched by parent and
text. Neither is `VERIFYING`: a reply held for moderation is not listed, so its absence proves
nothing and the user is asked before it is sent again."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one look for a reply found."""

    found: CommentData | None
    provider: str
    """The provider that read the thread."""
    complete: bool
    """The thread was read whole from a `VERIFYING` provider (or a `FindsSent` poster looked
    everywhere the reply would be): `found` None means absent."""
    why: str = ""
    """Why a reply not found may be there all the same ("" for the comment feed's words)."""


@dataclass(frozen=True, slots=True)
class Sought:
    """The reply being looked for."""

    parent_key: str
    author: str
    text: str


@runtime_checkable
class FindsSent(Protocol):
    """A poster that looks for the replies it sent itself (where they live: the user's own
    account), instead of the blog's thread."""

    async def find_sent(
        self, client: httpx.AsyncClient, article: Article, sought: Sought
    ) -> Lookup:
        """The reply when found; `complete` when its absence is known. Raises LookupFailed
        when the place it would be cannot be read."""


def finder_of(poster: Poster | None) -> FindsSent | None:
    """`poster` when it finds its own replies, else None (the blog's thread is read)."""
    return poster if isinstance(poster, FindsSent) else None


def matches(comment: CommentData, sought: Sought, *, any_author: bool = False) -> bool:
    """True when `comment` is the sought reply (`any_author`: whoever it shows as author)."""
    if comment.parent_key != sought.parent_key:
        return False
    same_author = comment.author.strip().casefold() == sought.author.strip().casefold()
    if not (any_author or same_author):
        return False
    return normalise(comment.content) == normalise(sought.text)


def stand_in(article_url: str, title: str = "") -> Article:
    """An Article for a draft whose article is not (or no longer) stored."""
    return Article(0, 0, article_url, title, "", article_url, None, None, "", False)


def hints_of(store: Store, article: Article) -> tuple[str, str]:
    """The API root and provider the store remembers for the article's blog."""
    provider, root = store.blog_provider(site_of(article.link)) if article.link else ("", "")
    if article.feed_id:
        root = store.api_root(article.feed_id) or root
    if article.id:
        provider = store.thread_state(article.id).provider or provider
    if provider != WordPressProvider.name and not root:
        root = ""
    return root, provider


def can_verify(store: Store, article: Article, poster: Poster | None = None) -> bool:
    """True when the blog's remembered comment source is one that can show a reply is absent
    (or the reply's poster finds its own replies)."""
    return finder_of(poster) is not None or hints_of(store, article)[1] in VERIFYING


async def find_reply(client: httpx.AsyncClient, store: Store, article: Article, sought: Sought,
                     poster: Poster | None = None) -> Lookup:  # fmt: skip
    """The published reply (newest match) and how far its absence is known; raises
    LookupFailed when no provider could read the thread. A `poster` that finds its own
    replies (`FindsSent`) is asked instead of the blog's thread."""
    if (finder := finder_of(poster)) is not None:
        return await finder.find_sent(client, article, sought)
    root, provider = hints_of(store, article)
    try:
        found = await find_thread(
            client, article, deadline=DEADLINE, api_root=root, preferred=provider
        )
    except NoThread as error:
        raise LookupFailed(error.message) from error
    any_author = found.provider in ACCOUNT
    hits = [c for c in found.thread.comments if matches(c, sought, any_author=any_author)]
    hits.sort(key=lambda c: (c.published or 0.0, int(c.key) if c.key.isdigit() else 0))
    complete = found.provider in VERIFYING and not found.thread.partial
    return Lookup(hits[-1] if hits else None, found.provider, complete)
