"""Comment providers of our own for the multi-source tests: every kind, no network.

A `StubProvider` holds threads by article link: it detects an article it has a thread for and
fetches that thread (or raises `error`). `stub_registry` swaps the registry's providers for
stubs while a test runs (the real ones come back after it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from blogtui.core.comments.base import CommentProvider, FetchedThread, Hints, Target
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article, CommentData


class StubProvider(CommentProvider):
    """A provider of `kind` answering from `threads` (article link -> comments)."""

    def __init__(self, name: str, kind: str = "blog", label: str = "", reply_mode: str = ""):
        self.name, self.kind, self.label, self.reply_mode = name, kind, label, reply_mode
        self.threads: dict[str, list[CommentData]] = {}
        self.detects = 0
        self.fetches = 0
        self.error = ""

    async def detect(self, client: httpx.AsyncClient, article: Article, hints: Hints):
        self.detects += 1
        if article.link not in self.threads:
            return None
        count = len(self.threads[article.link])
        return Target(self.name, f"https://{self.name}.example/api", article.link, expected=count)

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        self.fetches += 1
        if self.error:
            raise CommentsUnavailable(self.error)
        return FetchedThread(list(self.threads.get(target.ident, [])))

    def reply_page(self, target: Target, article: Article) -> str:
        return f"https://{self.name}.example/item?url={article.link}"


def thread(prefix: str, count: int = 3, nested: bool = True) -> list[CommentData]:
    """`count` German comments keyed "1".."count" (the same keys in every source, on purpose),
    each replying to the one before when `nested`."""
    return [
        CommentData(
            str(n),
            str(n - 1) if nested and n > 1 else "",
            f"{prefix} Schreiber {n}",
            f"<p>{prefix}: Grüße aus Köln, Nummer {n}</p>",
            published=1.7e9 + n,
        )  # fmt: skip
        for n in range(1, count + 1)
    ]


@contextmanager
def stub_registry(*providers: CommentProvider) -> Iterator[dict[str, CommentProvider]]:
    """The registry holds only `providers` (in this order) inside the block."""
    saved = dict(PROVIDERS)
    PROVIDERS.clear()
    PROVIDERS.update({p.name: p for p in providers})
    try:
        yield PROVIDERS
    finally:
        PROVIDERS.clear()
        PROVIDERS.update(saved)
