"""The send confirmation (blog, article, parent, sender, the text's start) before a reply is
queued, for the reply editor and the drafts screen.

Where a blog password (WordPress Application Password) is stored for the blog, the reply is
posted as that account and WordPress shows the account's name, not the one typed: the dialog
says so with the account's name (`GET wp/v2/users/me`, asked once per blog and user while the
app runs; the outbox service keeps the answers). The lookup runs in a thread worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.outbox_text import Account, send_summary

if TYPE_CHECKING:
    from textual.widget import Widget

    from blogtui.core.config import Identity
    from blogtui.core.drafts.store import Draft
    from blogtui.ui.context import AppContext

Answered = Callable[[bool | None], None]


def ask_to_send(
    node: Widget, context: AppContext, draft: Draft, identity: Identity, answered: Answered
) -> None:
    """Show the send confirmation for `draft` (after looking up the account it goes out as: the
    thread's service account, else a blog account stored for its blog); `answered` hears True
    when the user says send."""

    def look() -> None:
        from blogtui.core.posting.as_account import reply_account

        sender = reply_account(context.store, draft, context.places.secrets_dir)
        account = None if sender else blog_account(context, draft.article_url)
        node.app.call_from_thread(_ask, node, draft, identity, account, answered, sender)

    node.run_worker(look, thread=True, exit_on_error=False, group="send-confirm")


def _ask(
    node: Widget,
    draft: Draft,
    identity: Identity,
    account: Account | None,
    answered: Answered,
    sender: str = "",
) -> None:
    summary = send_summary(draft, identity, account, sender)
    node.app.push_screen(ConfirmScreen("Send this reply?", summary, yes="Send"), answered)


def blog_account(context: AppContext, article_url: str) -> Account | None:
    """The stored blog account the reply will be posted as, with the name WordPress shows;
    None when no password is stored for the blog (or the store cannot be read). Blocking."""
    from blogtui.core.comments.loading import site_of
    from blogtui.core.posting.credentials import CredentialError, CredentialStore
    from blogtui.core.posting.rest import account_name

    site = site_of(article_url)
    if not site:
        return None
    try:
        credential = CredentialStore(context.places.secrets_dir).get(site)
    except CredentialError:
        return None
    if credential is None:
        return None
    names = context.outbox.account_names
    key = (site, credential.user)
    if not names.get(key):

        async def ask() -> str:
            async with context.make_client() as client:
                return await account_name(client, article_url, credential)

        names[key] = asyncio.run(ask())
    return Account(credential.user, names[key])
