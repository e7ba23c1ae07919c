"""`blogtui star URL` / `blogtui unstar URL`: star (flag) a stored article, or unstar it, found by
its link as `blogtui comments URL` finds it. For a synced feed the change is queued for the server
(core/store/sync_schema.py's triggers) and sent by the next `blogtui sync`.

The store is imported when the command runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
from typing import Any

from blogtui.cli.common import open_store
from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places


def register(subparsers: Any) -> None:
    """Add the `star` and `unstar` commands."""
    star = subparsers.add_parser("star", help="star (flag) a stored article, by its address")
    star.add_argument("url", help="the article's address (its link)")
    star.set_defaults(run=cmd_star, starred=True)
    unstar = subparsers.add_parser("unstar", help="unstar a stored article, by its address")
    unstar.add_argument("url", help="the article's address (its link)")
    unstar.set_defaults(run=cmd_star, starred=False)


def cmd_star(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui star URL` and `blogtui unstar URL`."""
    from blogtui.cli.comments import stored_article

    url = args.url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise BlogtuiError(f"not an http(s) address: {url!r}")
    store = open_store(where)
    article = stored_article(store, url)
    if article is None:
        raise BlogtuiError(f"no stored article at {url!r}")
    store.set_starred([article.id], args.starred)
    title = article.title or article.link
    out.line(f"{'starred' if args.starred else 'unstarred'}: {title}")
    return 0
