"""`blogtui comments URL`: print an article's comment thread as an indented tree, under a line
saying how many comments there are, where they come from and what a reply does. The article's
further comment sources (other systems its page shows, discussions looked up before) are listed
after it; `--source NAME` prints one of them instead (a discussion site is asked by the URL).

The models and the sanitiser are imported when the command runs, not when the parser is built:
`blogtui` without a command opens the TUI, whose first frame waits for these imports.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from blogtui.cli.common import config_of, open_store
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

if TYPE_CHECKING:
    from blogtui.core.comments.base import FetchedThread, Target
    from blogtui.core.comments.loading import Found, ThreadResult
    from blogtui.core.models import Article, Comment, CommentData
    from blogtui.core.store import Store
    from blogtui.core.store.sources import ThreadSource

INDENT = "  "
"""Indentation per level of nesting."""


def register(subparsers: Any) -> None:
    """Add the `comments` command."""
    parser = subparsers.add_parser("comments", help="print an article's comment thread as a tree")
    parser.add_argument("url", help="the article's address (a stored article or any blog post)")
    parser.add_argument(
        "--source",
        metavar="NAME",
        default="",
        help="read this comment source of the article instead of the blog's own thread"
        " (a name listed under the thread, e.g. webmention, mastodon, hackernews, lobsters)",
    )
    parser.set_defaults(run=cmd_comments)


def stored_article(store: Store, url: str) -> Article | None:
    """The stored article whose link is `url` (with or without a trailing slash), if any."""
    found = store.article_ids_by_link({url, url.rstrip("/"), url.rstrip("/") + "/"})
    return store.get_article(max(found.values())) if found else None


def transient_article(url: str) -> Article:
    """An article known only by its address (nothing is stored for it)."""
    from blogtui.core.models import Article

    return Article(
        id=0, feed_id=0, key=url, title="", author="", link=url, published=None,
        updated=None, content="", read=False,
    )  # fmt: skip


def cmd_comments(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui comments URL`."""
    from blogtui.core.comments.loading import find_thread, load_thread, tried_before
    from blogtui.core.comments.registry import use_secrets
    from blogtui.core.feeds.client import make_client

    url = args.url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise BlogtuiError(f"not an http(s) address: {url!r}")
    store = open_store(where)
    config = config_of(where)
    use_secrets(where.secrets_dir)
    article = stored_article(store, url)

    async def find() -> tuple[Found, list[ThreadSource]]:
        from blogtui.core.comments.base import Hints
        from blogtui.core.comments.others import detect_others

        transient = transient_article(url)
        hints = Hints(transient)
        async with make_client(min(config.concurrency, 8)) as client:
            found = await find_thread(client, transient, deadline=config.fetch_timeout, hints=hints)
            skip = tried_before(found.provider)
            others = await detect_others(client, transient, hints, shown=found.provider, skip=skip)
            return found, others

    async def load(article: Article) -> ThreadResult:
        async with make_client(min(config.concurrency, 8)) as client:
            return await load_thread(client, store, article, deadline=config.fetch_timeout)

    if args.source:
        return show_source(out, store, url, article, args.source.strip(), config.fetch_timeout)
    if article is None:
        found, others = asyncio.run(find())
        thread = found.thread
        if thread.note:  # the source's own word (GitHub's requests left), apart from the thread
            out.error(f"blogtui: {thread.note}")
        show(out, url, thread.comments, found.provider, thread.partial, thread.comments_open)
        list_sources(out, others)
        return 0
    outcome = asyncio.run(load(article))
    if outcome.error and not outcome.comments:
        raise BlogtuiError(outcome.error)
    if outcome.error:
        out.error(f"blogtui: showing the stored thread; it could not be refreshed: {outcome.error}")
    elif outcome.note:
        out.error(f"blogtui: {outcome.note}")
    state = store.thread_state(article.id)
    show(out, article.title or url, outcome.comments, state.provider or outcome.provider,
         state.partial, state.comments_open)  # fmt: skip
    list_sources(out, store.sources_of(article.id))
    return 0


def show_source(
    out: Output, store: Store, url: str, article: Article | None, name: str, deadline: float
) -> int:
    """`--source NAME`: read and print one further source of the article (stored with the
    article when it is stored; a failure keeps and prints the stored copy)."""
    from blogtui.core.comments.sources import load_source, read_source
    from blogtui.core.feeds.client import make_client

    async def load(article: Article) -> ThreadResult:
        async with make_client(4) as client:
            return await load_source(client, store, article, name, deadline=deadline)

    async def read() -> tuple[Target, FetchedThread]:
        async with make_client(4) as client:
            return await read_source(client, transient_article(url), name, deadline=deadline)

    if article is None:
        _, thread = asyncio.run(read())
        return show(out, url, thread.comments, name, thread.partial, thread.comments_open)
    outcome = asyncio.run(load(article))
    if outcome.error and not outcome.comments:
        raise BlogtuiError(outcome.error)
    if outcome.error:
        out.error(f"blogtui: showing the stored copy; it could not be read again: {outcome.error}")
    state = store.thread_state(article.id, name)
    return show(out, article.title or url, outcome.comments, name, state.partial,
                state.comments_open)  # fmt: skip


def list_sources(out: Output, sources: Sequence[ThreadSource]) -> None:
    """After the thread: the article's further sources, each with the name `--source` takes."""
    from blogtui.core.comments.sources import ordered, source_title

    if not sources:
        return
    lines = ["", "Further sources (blogtui comments URL --source NAME):"]
    for source in ordered(list(sources)):
        count = source.count if source.fetched is not None else source.expected
        read = "" if source.fetched is not None else " (not read yet)"
        lines.append(f"{INDENT}{source.name}: {source_title(source.name, count)}{read}")
    out.block("\n".join(lines))


def show(
    out: Output,
    title: str,
    comments: Sequence[Comment | CommentData],
    provider: str,
    partial: bool,
    comments_open: bool | None,
) -> int:
    """Print the heading and the thread."""
    from blogtui.core.comments.registry import source_words
    from blogtui.core.comments.tree import build_tree, flatten
    from blogtui.core.text.sanitize import clean

    count = len({c.key for c in comments})
    noun = "comment" if count == 1 else "comments"
    out.line(clean(title))
    where, reply = source_words(provider)
    notes = [f"{count} {noun} {where}".rstrip(), reply]
    if partial:
        notes.append("partial: the source shows only some of them")
    if comments_open is False:
        notes.append("closed for new comments")
    out.line(" · ".join(note for note in notes if note))
    for node, depth in flatten(build_tree(comments)):
        out.line()
        out.block(render(node.comment, depth, node.orphan))
    return 0


def render(comment: Comment | CommentData, depth: int, orphan: bool = False) -> str:
    """One comment as text: `author · date`, then its text, indented by depth."""
    from blogtui.core.text.html import html_to_text
    from blogtui.core.text.sanitize import clean

    indent = INDENT * depth
    author = clean(comment.author, limit=80) or "Anonymous"
    heading = f"{indent}{author} · {when(comment.published)}"
    if orphan:
        heading += " (reply to a comment not shown)"
    if comment.status not in ("approved", ""):
        heading += f" [{clean(comment.status, limit=20)}]"
    text = html_to_text(comment.content, comment.link).text or "(no text)"
    body = [f"{indent}{line}" if line else "" for line in clean(text, multiline=True).split("\n")]
    return "\n".join([heading, *body])


def when(published: float | None) -> str:
    """A comment's date in local time, or "undated"."""
    if published is None:
        return "undated"
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(published))
    except (OverflowError, OSError, ValueError):
        return "undated"
