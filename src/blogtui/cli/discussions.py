"""`blogtui discussions URL`: where an article is discussed (Hacker News, Lobsters), one line per
site: "Hacker News: 312 comments https://news.ycombinator.com/item?id=…".

A site that could not be asked is named on stderr with why; the exit status is 1 only when no
site could be asked. The core is imported when the command runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from blogtui.cli.common import config_of
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

if TYPE_CHECKING:
    from blogtui.core.comments.discussions import Discussion


def register(subparsers: Any) -> None:
    """Add the `discussions` command."""
    parser = subparsers.add_parser(
        "discussions", help="show where an article is discussed (Hacker News, Lobsters)"
    )
    parser.add_argument("url", help="the article's address")
    parser.set_defaults(run=cmd_discussions)


def cmd_discussions(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui discussions URL`."""
    from blogtui.cli.comments import transient_article
    from blogtui.core.comments.discussions import DEADLINE, find_discussions_sync

    url = args.url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise BlogtuiError(f"not an http(s) address: {url!r}")
    deadline = min(config_of(where).fetch_timeout, DEADLINE)
    found = find_discussions_sync(transient_article(url), deadline=deadline)
    return show(out, found)


def line_of(discussion: Discussion) -> str:
    """One found discussion: "Lobsters: 41 comments URL" (and how often it was submitted)."""
    count = discussion.comments
    words = f"{count} comment" if count == 1 else f"{count} comments"
    again = f" (submitted {discussion.submissions} times)" if discussion.submissions > 1 else ""
    return f"{discussion.label}: {words} {discussion.url}{again}"


def show(out: Output, found: list[Discussion]) -> int:
    """Print the discussions found and the sites that failed; 1 when no site answered."""
    from blogtui.core.comments.discussions import discussion_sites

    failed = [d for d in found if not d.ok]
    failed_names = {d.provider for d in failed}
    answered = [s.label or s.name for s in discussion_sites() if s.name not in failed_names]
    for discussion in found:
        if discussion.ok:
            out.line(line_of(discussion))
    if answered and len(failed) == len(found):
        out.line("no discussions found" + (f" on {', '.join(answered)}" if failed else ""))
    for discussion in failed:
        out.error(f"blogtui: {discussion.label}: {discussion.error}")
    return 0 if answered else 1
