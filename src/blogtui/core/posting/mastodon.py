"""Replying to an article's Mastodon replies from the user's own fediverse account.

The toot is found the way the reader finds it (`MastodonProvider.find`); the status answered is
the draft's parent (a reply's id on the toot's instance), else the toot itself. Its instance
tells its `uri`; when the user's instance is another one, `GET /api/v2/search?q=URI&resolve=true
&type=statuses` (with the user's token) gives the status's id there. Then `POST
/api/v1/statuses` with `status`, `in_reply_to_id` and `visibility`, and an `Idempotency-Key`
of the draft's id: a resend of the same draft answers the status made the first time and posts
nothing new (Mastodon keeps keys for an hour; the outbox looks before a later resend).

After an answer that was lost (a timeout, a dropped connection, a 5xx once the request went
out) the outbox asks the poster (`find_sent`, `core.posting.lookup.FindsSent`): the status
answered is resolved on the user's instance as for posting, and its context
(`GET /api/v1/statuses/:id/context`, with the user's token, to that instance only) is searched
for a status in reply to it with the draft's text (HTML reduced as the reader does, @handles
allowed for), by the user's account (`GET /api/v1/accounts/verify_credentials`; a token without
the `read:accounts` scope is refused that, and any account's status then counts, as for the
other providers that post as the user's account). Found, the reply
is posted with that status's URL; not found in a context read whole, it is sent again (the same
Idempotency-Key); an instance that cannot be read leaves it unsure.

The reply starts with the answered account's `@handle`, as Mastodon's own apps do, unless the
text names it already: without it the author is not notified. Visibility is chosen when the
token is stored (`blogtui comment-key mastodon INSTANCE_URL --visibility unlisted`), "public"
by default. The token travels only to the user's instance, over https or to a loopback
literal, never after a redirect; the toot's instance gets it only when it is that instance.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.fediverse import Toot
from blogtui.core.comments.fetching import reset_deadline, set_deadline
from blogtui.core.comments.mastodon import (
    ACCOUNT_ENTRY,
    TOKEN_CONTEXT_LIMIT,
    MastodonProvider,
    comment_of,
    error_of,
    instance_words,
    reset_words,
    token_entry,
)
from blogtui.core.comments.service import RateLimited, api_get, mapping, retry_after
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.posting.base import (
    DEADLINE,
    Outcome,
    Poster,
    PostOutcome,
    ReplyRequest,
    network_outcome,
    normalise,
    same_site,
    sanitise,
    send_timeout,
    server_error,
)
from blogtui.core.posting.credentials import CredentialError, CredentialStore, check_destination
from blogtui.core.posting.credentials import site_key as origin_of
from blogtui.core.posting.lookup import Lookup, LookupFailed, Sought

if TYPE_CHECKING:
    from blogtui.core.drafts.file import Draft
    from blogtui.core.store import Store

VISIBILITIES = ("public", "unlisted", "private", "direct")
DEFAULT_VISIBILITY = "public"
SETTING = "`blogtui comment-key mastodon INSTANCE_URL` (your instance's access token)"
Answered = tuple[str, dict[str, object], str]
"""The status answered: its id on the user's instance, itself, its own instance's origin."""


@dataclass(frozen=True, slots=True)
class Account:
    """The user's fediverse account: its instance's origin, access token and the visibility
    replies are posted with."""

    instance: str
    token: str
    visibility: str = DEFAULT_VISIBILITY


def save_account(store: CredentialStore, instance: str, token: str, visibility: str) -> str:
    """Store the token for `instance` and make it the instance replies go from; its origin."""
    origin = origin_of(instance)
    check_destination(origin)  # CredentialError: not https (nor a loopback literal)
    chosen = visibility if visibility in VISIBILITIES else DEFAULT_VISIBILITY
    store.set_entry(token_entry(origin), chosen, token)
    store.set_entry(ACCOUNT_ENTRY, origin, "")
    return origin


def stored_account(store: CredentialStore | None) -> Account | None:
    """The account replies go from (the instance whose token was stored last), or None."""
    if store is None:
        return None
    try:
        pointer = store.get_entry(ACCOUNT_ENTRY)
        found = store.get_entry(token_entry(pointer.user)) if pointer else None
    except CredentialError:
        return None
    if pointer is None or found is None or not found.password.reveal().strip():
        return None
    visibility = found.user if found.user in VISIBILITIES else DEFAULT_VISIBILITY
    return Account(pointer.user, found.password.reveal().strip(), visibility)


def mastodon_poster(store: Store, draft: Draft, credentials: CredentialStore | None) -> Poster:
    """The poster of a draft whose source is "mastodon" (the stored article's content helps
    find the toot when the page does not show it)."""
    found = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
    article = store.get_article(found) if found else None
    content = article.content if article is not None else ""
    return MastodonPoster(lambda: stored_account(credentials), draft.id, content=content)


def mentioned(text: str, account: dict[str, object], origin: str) -> str:
    """`text` starting with the account's @handle unless it names the account already."""
    acct = str(account.get("acct") or "").strip().lstrip("@")
    if not acct or any(c.isspace() for c in acct) or len(acct) > 300:
        return text
    handle = acct if "@" in acct else f"{acct}@{urlsplit(origin).hostname or ''}"
    names = (f"@{handle}".casefold(), f"@{acct.split('@')[0]}".casefold())
    return text if any(name in text.casefold() for name in names) else f"@{handle} {text}"


_HANDLE = re.compile(r"@([\w.-]+)@[\w.-]+(?::\d+)?")
_MENTIONS = re.compile(r"^(?:@[\w.-]+\s*)+")


def comparable(content: str) -> str:
    """A status's HTML (or a draft's text, escaped) reduced for comparing: normalised as the
    outbox's lookup does, `@user@host` as `@user` (how Mastodon shows a mention), the leading
    @handles dropped (the poster adds one)."""
    plain = _HANDLE.sub(r"@\1", normalise(content))
    return _MENTIONS.sub("", plain).strip()


def sent_by(status: dict[str, object], account_id: str, parent: str, text: str) -> bool:
    """True when `status` answers `parent` and says `text`, by the account `account_id` (any
    when "": a token without `read:accounts` cannot tell whose account it is)."""
    by = str(mapping(status.get("account")).get("id") or "")
    if account_id and by != account_id:
        return False
    if str(status.get("in_reply_to_id") or "") != parent:
        return False
    said = comparable(str(status.get("content") or ""))
    return bool(said) and said == comparable(html.escape(text))


def outcome_of(response: httpx.Response) -> PostOutcome:
    """What an answer to `POST /api/v1/statuses` means."""
    status = response.status_code
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    said = sanitise(str(data.get("error") or ""), 200)
    if status == 200 and isinstance(data.get("id"), str | int) and str(data["id"]):
        return PostOutcome(Outcome.POSTED, str(data["id"]), str(data.get("url") or ""))
    headers = {k.lower(): v for k, v in response.headers.items()}
    if status == 429:
        when, wait = reset_words(headers)
        return PostOutcome(Outcome.FLOOD, message=f"your instance is rate limiting; it resets"
                           f" {when}", retry_after=retry_after(headers) or wait)  # fmt: skip
    if status == 401:
        why = f" ({said})" if said else ""
        message = f"your instance refused the access token{why}: store a new one with {SETTING}"
        return PostOutcome(Outcome.REJECTED, message=message)
    if status == 403:
        return PostOutcome(Outcome.REJECTED, message=f"your instance does not let this token"
                           f" post ({said or 'HTTP 403'}); it needs the write:statuses scope:"
                           f" {SETTING}")  # fmt: skip
    if status >= 500:
        return server_error(status)
    if 300 <= status < 400:
        return PostOutcome(Outcome.UNAVAILABLE, message="your instance answered with a redirect;"
                           " not sent", ambiguous=True)  # fmt: skip
    if status == 200:
        return PostOutcome(Outcome.FAILED, message="your instance answered with something that"
                           " is not a status", ambiguous=True)  # fmt: skip
    return PostOutcome(Outcome.REJECTED, message=said or f"your instance answered HTTP {status}")


class MastodonPoster(Poster):
    """Posts a draft as a reply from the user's account (one poster per draft: its id is the
    Idempotency-Key)."""

    name = "mastodon"

    def __init__(self, account: Callable[[], Account | None], draft_id: str, *,
                 content: str = "", deadline: float = DEADLINE) -> None:  # fmt: skip
        self.account = account
        self.idempotency_key = f"blogtui-draft-{draft_id}"
        self.content = content
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Find the status answered on the user's instance, then post the reply once."""
        account = self._usable()
        if isinstance(account, str):
            return PostOutcome(Outcome.UNAVAILABLE, message=account)
        article = Article(0, 0, reply.article_url, reply.article_title, self.content,
                          reply.article_url, None, None, "", False)  # fmt: skip
        try:
            target = await self._answered(client, account, article, reply.parent_key)
        except RateLimited as error:
            return PostOutcome(Outcome.FLOOD, message=error.message, retry_after=error.wait)
        except CommentsUnavailable as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        if isinstance(target, PostOutcome):
            return target
        local, status, origin = target
        text = mentioned(reply.text, mapping(status.get("account")), origin)
        return await self._send(client, account, local, text)

    def _usable(self) -> Account | str:
        """The stored account when replies can go from it, else why not."""
        account = self.account()
        if account is None or not account.token:
            return f"replying on Mastodon needs {SETTING}; reply in the browser"
        try:
            check_destination(account.instance)
        except CredentialError as error:
            return error.message
        return account

    async def _answered(self, client: httpx.AsyncClient, account: Account, article: Article,
                        parent: str, looking: bool = False) -> Answered | PostOutcome:  # fmt: skip
        """The status answered (the parent, else the toot): its id on the user's instance, the
        status as its own instance shows it, and that instance's origin. Raises
        CommentsUnavailable (RateLimited) when an instance (`looking`: or the article's page)
        cannot be read."""
        reader = MastodonProvider(lambda o: account.token if same_site(o, account.instance) else "")
        hints = Hints(article)
        toot = await reader.find(client, article, hints)
        if toot is None and looking and hints.page_error:
            raise CommentsUnavailable(hints.page_error)
        if toot is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the article points at no toot")
        answered = parent or toot.status_id
        status, _ = await reader.get_json(client, toot.origin, f"/api/v1/statuses/{answered}")
        target = await self._local_id(client, account, toot, answered, status)
        return target if isinstance(target, PostOutcome) else (target, status, toot.origin)

    async def find_sent(
        self, client: httpx.AsyncClient, article: Article, sought: Sought
    ) -> Lookup:
        """The reply as a status on the user's instance (`core.posting.lookup.FindsSent`):
        found, or known absent when the answered status's context was read whole. Raises
        LookupFailed when an instance cannot be read (the reply stays unsure)."""
        account = self._usable()
        if isinstance(account, str):
            return Lookup(None, self.name, False, why=f"blogtui cannot look: {account}")
        with_content = replace(article, content=article.content or self.content)
        clock = set_deadline(DEADLINE)
        try:
            async with asyncio.timeout(DEADLINE + 1.0):
                return await self._find(client, account, with_content, sought)
        except TimeoutError:
            raise LookupFailed(f"{instance_words(account.instance)}: no answer in time") from None
        except CommentsUnavailable as error:
            raise LookupFailed(error.message) from None
        finally:
            reset_deadline(clock)

    async def _find(
        self, client: httpx.AsyncClient, account: Account, article: Article, sought: Sought
    ) -> Lookup:
        """The lookup itself; an answer that settles nothing (the token refused, the status
        answered not found) is an incomplete look: the user is asked."""
        target = await self._answered(client, account, article, sought.parent_key, looking=True)
        if isinstance(target, PostOutcome):
            return Lookup(None, self.name, False, why=f"blogtui cannot look: {target.message}")
        local = target[0]
        context = await self._own(client, account, f"/api/v1/statuses/{local}/context")
        if isinstance(context, str):
            return Lookup(None, self.name, False, why=f"blogtui cannot look: {context}")
        me = await self._own(client, account, "/api/v1/accounts/verify_credentials")
        mine = "" if isinstance(me, str) else str(me.get("id") or "")  # "" without read:accounts
        replies = context.get("descendants")
        replies = replies if isinstance(replies, list) else []
        hits = [s for s in map(mapping, replies) if sent_by(s, mine, local, sought.text)]
        hits.sort(key=lambda s: (len(str(s.get("id"))), str(s.get("id"))))  # the first sent
        found = comment_of(hits[0], "") if hits else None
        if hits and found is None:  # there, but not as a status blogtui can record: ask
            return Lookup(None, self.name, False, why="your instance shows it without an id")
        if found is not None:
            found = replace(found, parent_key=sought.parent_key)
        complete = len(replies) < TOKEN_CONTEXT_LIMIT
        why = "" if complete else "your instance lists too many replies to tell whether it is there"
        return Lookup(found, self.name, complete, why=why)

    async def _own(self, client: httpx.AsyncClient, account: Account,
                   path: str) -> dict[str, object] | str:  # fmt: skip
        """JSON from the user's instance (with the token); why not when it refused (token
        refused, status gone). Raises CommentsUnavailable when it cannot be read."""
        what = instance_words(account.instance)
        answer = await api_get(client, account.instance + path, what,
                               headers={"Authorization": f"Bearer {account.token}"},
                               secret=True)  # fmt: skip
        if answer.status in (401, 403, 404, 410):
            return error_of(answer, what, True).message
        if answer.status != 200:
            raise error_of(answer, what, True)
        if not isinstance(answer.data, dict):
            raise CommentsUnavailable(f"{what} did not answer with JSON")
        return answer.data

    async def _local_id(self, client: httpx.AsyncClient, account: Account, toot: Toot,
                        answered: str, status: dict[str, object]) -> str | PostOutcome:  # fmt: skip
        """The answered status's id on the user's instance (resolved there when needed)."""
        if same_site(toot.origin, account.instance):
            return answered
        url = str(status.get("uri") or status.get("url") or "")
        query = urlencode({"q": url, "resolve": "true", "type": "statuses", "limit": "1"})
        what = instance_words(account.instance)
        answer = await api_get(client, f"{account.instance}/api/v2/search?{query}", what,
                               headers={"Authorization": f"Bearer {account.token}"},
                               secret=True)  # fmt: skip
        if answer.status == 401:
            message = f"your instance refused the access token: store a new one with {SETTING}"
            return PostOutcome(Outcome.REJECTED, message=message)
        if answer.status == 403:
            return PostOutcome(Outcome.REJECTED, message="your instance does not let this token"
                               " look up a toot of another instance; it needs the read:search"
                               f" scope: {SETTING}")  # fmt: skip
        if answer.status != 200:
            raise error_of(answer, what, True)
        found = mapping(answer.data).get("statuses")
        first = mapping(found[0]) if isinstance(found, list) and found else {}
        if not isinstance(first.get("id"), str | int) or not str(first["id"]):
            return PostOutcome(Outcome.UNAVAILABLE, message=f"your instance could not find the"
                               f" toot ({url[:200]})")  # fmt: skip
        return str(first["id"])

    async def _send(
        self, client: httpx.AsyncClient, account: Account, parent: str, text: str
    ) -> PostOutcome:
        body = urlencode({"status": text, "in_reply_to_id": parent,
                          "visibility": account.visibility})  # fmt: skip
        headers = {"Authorization": f"Bearer {account.token}", "Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded",
                   "Idempotency-Key": self.idempotency_key}  # fmt: skip
        timeout = send_timeout(self.deadline)
        try:
            response = await client.post(f"{account.instance}/api/v1/statuses",
                                         content=body.encode(), headers=headers,
                                         timeout=timeout, follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response)
