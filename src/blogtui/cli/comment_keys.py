"""`blogtui comment-key SERVICE [FORUM]`: store (or `--delete`) the key a comment service needs.

Disqus is read with a public API key (an application of the user's own at
https://disqus.com/api/applications/) and replied to with that application's access token
(`disqus-token`); a Discourse forum is read (when private) and replied to with a User API key,
one per forum. Keys go to
blogtui's credentials (the system keyring, else a private file), never to config.toml. The key
is read without echo from a terminal, else as the first line of standard input, so it never
sits in the shell's history.

Mastodon: `comment-key mastodon https://your.instance [--visibility unlisted]` stores the access
token of the user's account (Preferences > Development > New application, scopes
`read:statuses read:search read:accounts write:statuses`), one per instance; replies go from
the instance stored last, with
the visibility given (public by default).

GitHub (giscus, utterances): `comment-key github` stores a token of the user's (a fine-grained
token with read access to public repositories and Discussions/Issues write, or a classic one
with `public_repo`); without one, `gh auth token` is used when the GitHub CLI is installed.

Micropub (replies to Webmentions): `comment-key micropub https://your.site/micropub` stores the
endpoint and its token (from your site's IndieAuth token endpoint, scope `create`); replies are
published there and a Webmention tells the article.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from blogtui.cli.output import Output
from blogtui.core.errors import BlogtuiError
from blogtui.core.paths import Places

SERVICES = ("disqus", "disqus-token", "discourse", "mastodon", "github", "micropub")
VISIBILITIES = ("public", "unlisted", "private", "direct")


def register(subparsers: Any) -> None:
    """Add the `comment-key` command."""
    parser = subparsers.add_parser(
        "comment-key",
        help="store the key a comment service needs (Disqus: its public key, its access token"
        " as disqus-token; Discourse: a forum's User API key)",
    )
    parser.add_argument("service", choices=SERVICES, help="the comment service")
    parser.add_argument("forum", nargs="?", default="",
                        help="Discourse: the forum; Mastodon: your instance")  # fmt: skip
    parser.add_argument("--delete", action="store_true", help="forget the stored key")
    parser.add_argument("--visibility", choices=VISIBILITIES, default="public",
                        help="Mastodon: who sees your replies (default: public)")  # fmt: skip
    parser.set_defaults(run=cmd_comment_key)


def entry_of(service: str, forum: str) -> str:
    """The credential entry a service's key is kept under."""
    if service == "disqus":
        from blogtui.core.comments.disqus import KEY_ENTRY

        return KEY_ENTRY
    if service == "disqus-token":
        from blogtui.core.posting.disqus import TOKEN_ENTRY

        return TOKEN_ENTRY
    if service == "github":  # giscus and utterances: the user's token (else `gh auth token`)
        from blogtui.core.comments.github import TOKEN_ENTRY as GITHUB_ENTRY

        return GITHUB_ENTRY
    if service == "micropub":  # the user's own site: one endpoint, stored with its token
        from blogtui.core.posting.credentials import check_destination
        from blogtui.core.posting.micropub import ENTRY as MICROPUB_ENTRY

        if forum:
            check_destination(forum)
        return MICROPUB_ENTRY
    if service == "mastodon":
        from blogtui.core.comments.mastodon import token_entry

        if not forum.lower().startswith(("https://", "http://")):
            raise BlogtuiError(
                "Mastodon tokens are kept per instance: give its address (https://…)"
            )
        return token_entry(forum)
    from blogtui.core.comments.discourse import key_entry

    if not forum.lower().startswith(("https://", "http://")):
        raise BlogtuiError("Discourse keys are kept per forum: give its address (https://…)")
    return key_entry(forum)


def read_key() -> str:
    """The key, typed without echo at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Key (not shown): ").strip()
    return sys.stdin.readline().strip()


def cmd_comment_key(args: argparse.Namespace, where: Places, out: Output) -> int:
    """`blogtui comment-key`."""
    from blogtui.core.posting.credentials import CredentialStore

    if args.service == "micropub" and not args.delete and not args.forum.strip():
        raise BlogtuiError("give your Micropub endpoint: comment-key micropub https://…/micropub")
    entry = entry_of(args.service, args.forum.strip())
    store = CredentialStore(where.secrets_dir)
    if args.delete:
        store.delete_entry(entry)
        out.line(f"forgot the {args.service} key")
        return 0
    key = read_key()
    if not key:
        raise BlogtuiError("no key given; nothing stored")
    if args.service == "mastodon":  # the token, and this instance as the one replies go from
        from blogtui.core.posting.mastodon import save_account

        save_account(store, args.forum.strip(), key, args.visibility)
    elif args.service == "micropub":  # the endpoint is what the token is for
        store.set_entry(entry, args.forum.strip(), key)
    else:
        store.set_entry(entry, args.service, key)
    out.line(f"stored the {args.service} key")
    if store.warning:
        out.error(f"blogtui: {store.warning}")
    return 0
