"""Replies published in two steps: on the user's own site first, then a notice to the blog.

A reply to Webmentions is published through the user's Micropub endpoint, then the article is
told by a Webmention (core/posting/micropub.py). When the post exists but the notice failed, the
poster says so in its outcome (`owed`), and the outbox keeps the reply "unnotified" with the
post's address: the next pass asks the poster to send only the notice (`Notifier.notify`), never
to publish the reply again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import httpx

from blogtui.core.errors import BlogtuiError
from blogtui.core.posting.base import Outcome, Poster, PostOutcome, ReplyRequest

OWED = "owed"
"""`PostOutcome.extra[OWED]` names the notice still owed for a stored reply ("webmention")."""


@runtime_checkable
class Notifier(Protocol):
    """A poster whose replies are published first and announced to the blog after."""

    async def notify(
        self, client: httpx.AsyncClient, reply: ReplyRequest, published: str
    ) -> PostOutcome:
        """Tell the blog about `reply`, published at `published`; never publish it again."""


def owed(published: str, notice: str, message: str) -> PostOutcome:
    """The outcome of a reply published at `published` whose `notice` did not reach the blog."""
    return PostOutcome(Outcome.POSTED, published, published, message,
                       extra={notice: "failed", OWED: notice})  # fmt: skip


def owes_notice(outcome: PostOutcome) -> bool:
    """True when the reply is published but the blog is not told yet."""
    return outcome.stored and bool(outcome.remote_url) and bool(outcome.extra.get(OWED))


async def notify_again(
    choose: Callable[[], Poster], client: httpx.AsyncClient, reply: ReplyRequest, published: str
) -> PostOutcome:
    """Only the notice for a reply published at `published`, through the poster `choose` gives;
    the notice stays owed when that poster cannot be had or cannot send notices."""
    try:
        poster = choose()
    except BlogtuiError as error:
        return owed(published, "notice", f"the blog cannot be told now: {error.message}")
    if not isinstance(poster, Notifier):
        return owed(published, "notice", "the blog cannot be told from blogtui")
    return await poster.notify(client, reply, published)
