"""Discourse with the user's User API key: `POST {forum}posts.json`.

The topic is found the way the reader finds it (`DiscourseProvider.detect`). The JSON body has
`topic_id`, `raw` (the text, Markdown) and, for a reply to a comment, `reply_to_post_number`;
the key travels in the `User-Api-Key` header, only to the forum's origin over https (a loopback
literal in tests), never after a redirect. Discourse answers the new post (`id`, `post_number`,
`topic_slug`), or `{"action": "enqueued"}` when it waits for approval; 422 `{"errors": […]}`
for a refused post (too short, closed topic), 429 `error_type: rate_limit` with Retry-After and
`extras.wait_seconds`, 403 for a key that may not post. Without a key a reply opens the browser.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.discourse import DiscourseProvider
from blogtui.core.comments.service import mapping, retry_after
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

SETTING = "the forum's User API key (`blogtui comment-key discourse FORUM`)"


def _provider() -> DiscourseProvider:
    """The registered Discourse reader."""
    from blogtui.core.comments.registry import PROVIDERS

    found = PROVIDERS.get(DiscourseProvider.name)
    return found if isinstance(found, DiscourseProvider) else DiscourseProvider()


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _errors(data: dict[str, Any]) -> str:
    said = data.get("errors")
    texts = [t for t in said if isinstance(t, str)] if isinstance(said, list) else []
    return sanitise("; ".join(texts), 200)


def outcome_of(response: httpx.Response, forum: str, topic: str) -> PostOutcome:
    """What an answer to `POST posts.json` means."""
    status = response.status_code
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    if status == 200 and data.get("action") == "enqueued":
        return PostOutcome(Outcome.HELD, message="awaiting approval by the forum's moderators")
    if status == 200 and (number := _number(data.get("post_number"))):
        slug = str(data.get("topic_slug") or "topic")
        return PostOutcome(Outcome.POSTED, str(number), f"{forum}t/{slug}/{topic}/{number}")
    said = _errors(data)
    if status == 429 or data.get("error_type") == "rate_limit":
        wait = retry_after({k.lower(): v for k, v in response.headers.items()})
        seconds = _number(mapping(data.get("extras")).get("wait_seconds"))
        return PostOutcome(Outcome.FLOOD, message=said or "posting too quickly",
                           retry_after=wait or (float(seconds) if seconds else None))  # fmt: skip
    if status in (401, 403):
        return PostOutcome(Outcome.REJECTED, message=f"the forum refused the User API key"
                           f"{f' ({said})' if said else ''}: check {SETTING}")  # fmt: skip
    if status >= 500:
        return server_error(status)
    if 300 <= status < 400:
        return PostOutcome(Outcome.UNAVAILABLE, message="the forum answered with a redirect; not"
                           " sent", ambiguous=True)  # fmt: skip
    if "closed" in said.lower() or "archived" in said.lower():
        return PostOutcome(Outcome.CLOSED, message=said)
    return PostOutcome(Outcome.REJECTED, message=said or f"the forum answered HTTP {status}")


class DiscoursePoster(Poster):
    """Posts as the user's forum account (their User API key for that forum)."""

    name = "discourse"

    def __init__(self, key: Callable[[str], str], deadline: float = DEADLINE) -> None:
        self.key = key
        """The User API key stored for a forum ("" when none)."""
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Find the topic, then create the post once."""
        article = article_for(reply)
        try:
            target = await _provider().detect(client, article, Hints(article))
        except CommentsUnavailable as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        if target is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the article page embeds no Discourse")
        forum, topic = target.url, target.ident
        key = self.key(forum).strip()
        if not key:
            return PostOutcome(Outcome.UNAVAILABLE, message=f"replying on this forum needs"
                               f" {SETTING}; reply in the browser")  # fmt: skip
        try:
            check_destination(forum)
        except CredentialError as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        return await self._send(client, reply, forum, topic, key)

    async def _send(
        self, client: httpx.AsyncClient, reply: ReplyRequest, forum: str, topic: str, key: str
    ) -> PostOutcome:
        body: dict[str, object] = {"topic_id": int(topic), "raw": reply.text}
        if reply.parent_key.isdigit():
            body["reply_to_post_number"] = int(reply.parent_key)
        headers = {"User-Api-Key": key, "Accept": "application/json",
                   "Content-Type": "application/json; charset=utf-8"}  # fmt: skip
        timeout = send_timeout(self.deadline)
        try:
            response = await client.post(f"{forum}posts.json", content=json.dumps(body).encode(),
                                         headers=headers, timeout=timeout,
                                         follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response, forum, topic)
