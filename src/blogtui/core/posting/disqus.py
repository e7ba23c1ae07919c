"""Disqus with the user's access token: `POST posts/create.json` of the Disqus API 3.0.

The thread is found the way the reader finds it (`DisqusProvider.detect`), its numeric id from
`threads/details.json`. `posts/create` takes the form fields `thread`, `message`, `parent` (a
post id, for a reply to a comment), `api_key` (the public key the reader uses) and
`access_token` (the user's, from their Disqus application's page), and answers
`{"code": 0, "response": post}`; `isApproved: false` means held for moderation. Errors come as
`{"code": N, "response": "text"}`: 4 no (valid) access token, 5/9/11 a wrong API key, 12/17
not allowed, 13/14 (or HTTP 429) a rate limit, 2 a bad argument (a closed thread says so).
Keys go only to the API's origin over https (a loopback literal in tests), never redirected.
Without an access token a reply opens the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.disqus import DisqusProvider
from blogtui.core.comments.service import api_get, mapping, retry_after
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.base import (
    DEADLINE,
    Outcome,
    Poster,
    PostOutcome,
    ReplyRequest,
    network_outcome,
    sanitise,
    send_timeout,
    server_error,
)
from blogtui.core.posting.credentials import CredentialError, check_destination
from blogtui.core.posting.rest import article_for

TOKEN_ENTRY = "disqus:access_token"
TOKEN_SETTING = (
    f"the Disqus access token (`blogtui comment-key disqus-token`, credential '{TOKEN_ENTRY}')"
)
NO_TOKEN = f"Disqus takes replies from blogtui only with {TOKEN_SETTING}; reply in the browser"
_TOKEN_CODES = {4}
_KEY_CODES = {5, 9, 11}
_DENIED_CODES = {12, 17, 22}
_RATE_CODES = {13, 14}


def _provider() -> DisqusProvider:
    """The registered Disqus reader (its API root and public key)."""
    from blogtui.core.comments.registry import PROVIDERS

    found = PROVIDERS.get(DisqusProvider.name)
    return found if isinstance(found, DisqusProvider) else DisqusProvider()


def _code(data: dict[str, Any]) -> int | None:
    code = data.get("code")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def outcome_of(response: httpx.Response, thread_link: str, secrets: tuple[str, ...]) -> PostOutcome:
    """What an answer to `posts/create` means; `secrets` never appear in a message."""
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    code, status = _code(data), response.status_code
    post = mapping(data.get("response"))
    if status == 200 and code == 0 and str(post.get("id", "")).isdigit():
        ident = str(post["id"])
        link = f"{thread_link.split('#')[0]}#comment-{ident}" if thread_link else ""
        held = post.get("isApproved") is False
        return PostOutcome(Outcome.HELD if held else Outcome.POSTED, ident, link,
                           "awaiting moderation" if held else "")  # fmt: skip
    answer = data.get("response")
    said = answer if isinstance(answer, str) else ""
    for secret in secrets:
        said = said.replace(secret, "***") if secret else said
    detail = f" ({sanitise(said, 200)})" if said else ""
    if status == 429 or code in _RATE_CODES:
        wait = retry_after({k.lower(): v for k, v in response.headers.items()})
        return PostOutcome(Outcome.FLOOD, message=f"Disqus rate limit{detail}", retry_after=wait)
    if code in _TOKEN_CODES or status == 401:
        return PostOutcome(Outcome.REJECTED, message=f"Disqus refused the access token: check"
                           f" {TOKEN_SETTING}")  # fmt: skip
    if code in _KEY_CODES:
        return PostOutcome(Outcome.REJECTED, message="Disqus refused the public API key: check"
                           " `blogtui comment-key disqus`")  # fmt: skip
    if code == 2 and "closed" in said.lower():
        return PostOutcome(Outcome.CLOSED, message=f"the Disqus thread is closed{detail}")
    if code in _DENIED_CODES:
        return PostOutcome(Outcome.REJECTED, message=f"Disqus does not allow this reply{detail}")
    if status >= 500 or code == 15:
        return server_error(status if status >= 500 else 500)
    if code is None and 300 <= status < 400:
        return PostOutcome(Outcome.UNAVAILABLE, message="Disqus answered with a redirect; not"
                           " sent", ambiguous=True)  # fmt: skip
    return PostOutcome(Outcome.REJECTED, message=f"Disqus refused the reply (error {code}){detail}")


class DisqusPoster(Poster):
    """Posts as the user's Disqus account (their access token)."""

    name = "disqus"

    def __init__(self, token: Callable[[], str], deadline: float = DEADLINE) -> None:
        self.token = token
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Find the thread's id, then create the post once."""
        token = self.token().strip()
        if not token:
            return PostOutcome(Outcome.UNAVAILABLE, message=NO_TOKEN)
        reader = _provider()
        key = reader.api_key().strip()
        if not key:
            return PostOutcome(Outcome.UNAVAILABLE, message="Disqus needs its public API key:"
                               " `blogtui comment-key disqus`")  # fmt: skip
        try:
            check_destination(reader.api_root)
            thread, link = await self._thread(client, reader, reply, key)
        except (CommentsUnavailable, CredentialError) as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        form = {"thread": thread, "message": reply.text, "api_key": key, "access_token": token}
        if reply.parent_key:
            form["parent"] = reply.parent_key
        timeout = send_timeout(self.deadline)
        headers = {"Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        try:
            response = await client.post(f"{reader.api_root}posts/create.json",
                                         content=urlencode(form).encode("utf-8"), headers=headers,
                                         timeout=timeout, follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response, link or reply.article_url, (token, key))

    async def _thread(
        self, client: httpx.AsyncClient, reader: DisqusProvider, reply: ReplyRequest, key: str
    ) -> tuple[str, str]:
        """The thread's numeric id and link; raises CommentsUnavailable when not found."""
        article = article_for(reply)
        target = await reader.detect(client, article, Hints(article))
        if target is None:
            raise CommentsUnavailable("the article page embeds no Disqus")
        forum, param, value = (target.ident.split("\n", 2) + ["", ""])[:3]
        query = urlencode({"api_key": key, "forum": forum, param: value})
        answer = await api_get(client, f"{reader.api_root}threads/details.json?{query}",
                               "Disqus", secret=True)  # fmt: skip
        thread = mapping(mapping(answer.data).get("response"))
        ident = str(thread.get("id", ""))
        if answer.status != 200 or not ident.isdigit():
            raise CommentsUnavailable("Disqus has no thread for this article yet; reply in the"
                                      " browser")  # fmt: skip
        return ident, str(thread.get("link") or "")
