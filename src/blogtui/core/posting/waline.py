"""Waline: an anonymous reply is `POST {server}/api/comment?lang=en` with the JSON the client
sends: `comment` (Markdown), `nick`, `mail`, `link`, `url` (the thread's path), `ua`, and for a
reply to a comment `pid` (the parent), `rid` (its top-level comment) and `at` (the parent's nick).

Waline answers `{errno: 0, data: {objectId, status, …}}` (status "approved", or "waiting" when
the server moderates, "spam" when its filter caught it), or `{errno: 1000, errmsg}`: "Duplicate
Content" (the same nick, mail, link and text on this path: it never stores a reply twice),
"Comment too fast!" (its IPQPS window). A server that wants a login (LOGIN=force) answers 401,
one that wants a captcha or sees a foreign Referer 403: the browser is offered.

Before posting, the thread is read (the parent's top-level comment is needed for `rid`); when it
already shows this reply (same parent, nick and text, `orig` being the text as sent), nothing is
sent and the reply counts as posted. A "Duplicate Content" answer is settled the same way: the
reply is looked up and reported with its id. A redirect is never followed.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.service import mapping
from blogtui.core.comments.waline import (
    WalineProvider,
    WalineTarget,
    comment_api,
    read_thread,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.client import USER_AGENT
from blogtui.core.posting.base import (
    DEADLINE,
    Outcome,
    Poster,
    PostOutcome,
    ReplyRequest,
    network_outcome,
    normalise,
    redirected,
    sanitise,
    send_timeout,
    server_error,
)
from blogtui.core.posting.rest import article_for

DUPLICATE = "duplicate content"
TOO_FAST = "comment too fast"


def _id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    return str(value)


def comment_url(page: str, comment_id: str) -> str:
    """The permalink Waline's client gives a comment (its element id is the comment's id)."""
    return f"{page.split('#')[0]}#{comment_id}"


async def locate(client: httpx.AsyncClient, reply: ReplyRequest) -> WalineTarget | None:
    """The Waline thread of the reply's article, or None when its page embeds none."""
    hints = Hints(article_for(reply), reply.api_root)
    try:
        target = await WalineProvider().detect(client, hints.article, hints)
    except CommentsUnavailable:
        return None
    return target if isinstance(target, WalineTarget) else None


def is_mine(item: dict[str, Any], reply: ReplyRequest) -> bool:
    """True when the comment object `item` is this reply (parent, nick and text)."""
    if _id(item.get("pid")) != reply.parent_key:
        return False
    nick = item.get("nick")
    if (
        not isinstance(nick, str)
        or nick.strip().casefold() != reply.identity.name.strip().casefold()
    ):
        return False
    orig = item.get("orig")
    if isinstance(orig, str):
        return orig.strip() == reply.text.strip()
    rendered = item.get("comment")
    return isinstance(rendered, str) and normalise(rendered) == normalise(reply.text)


def body_of(reply: ReplyRequest, path: str, parent: dict[str, Any] | None) -> dict[str, object]:
    """The JSON the Waline client sends for this reply."""
    who = reply.identity
    body: dict[str, object] = {"comment": reply.text, "nick": who.name, "mail": who.email,
                               "link": who.website, "url": path, "ua": USER_AGENT}  # fmt: skip
    if parent is not None:
        parent_id = _id(parent.get("objectId"))
        body["pid"] = int(parent_id) if parent_id.isdigit() else parent_id
        root = _id(parent.get("rid")) or parent_id
        body["rid"] = int(root) if root.isdigit() else root
        nick = parent.get("nick")
        body["at"] = nick if isinstance(nick, str) else ""
    return body


def outcome_of(response: httpx.Response, page: str) -> PostOutcome:
    """What Waline's answer means (a "Duplicate Content" answer is settled by the caller)."""
    status = response.status_code
    if 300 <= status < 400:
        return redirected(status, response.headers.get("location", ""), str(response.request.url))
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    said = sanitise(str(data.get("errmsg") or ""))
    if status == 429:
        wait = response.headers.get("retry-after", "")
        seconds = float(wait) if wait.isascii() and wait.isdigit() else None
        return PostOutcome(Outcome.FLOOD, message="the Waline server is rate limiting",
                           retry_after=seconds)  # fmt: skip
    if status in (401, 403):
        why = "takes comments from logged-in users only" if status == 401 else (
            "refused an anonymous reply (it may want a captcha, or a login)")  # fmt: skip
        return PostOutcome(Outcome.UNAVAILABLE, message=f"the Waline server {why}")
    if status >= 500:
        return server_error(status)
    if status != 200:
        return PostOutcome(Outcome.REJECTED, message=said or f"the server answered HTTP {status}")
    if not data:
        return PostOutcome(Outcome.FAILED, message="the Waline server's answer is not JSON",
                           ambiguous=True)  # fmt: skip
    if data.get("errno") not in (0, None):
        if said.casefold().startswith(DUPLICATE):
            return PostOutcome(Outcome.DUPLICATE, message="the Waline server has this reply")
        if said.casefold().startswith(TOO_FAST):
            return PostOutcome(Outcome.FLOOD, message=said)
        return PostOutcome(Outcome.REJECTED, message=said or "the Waline server refused it")
    return stored(mapping(data.get("data")), page)


def stored(comment: dict[str, Any], page: str) -> PostOutcome:
    """The outcome for a comment the server has: posted, or held (moderation, spam filter)."""
    ident = _id(comment.get("objectId"))
    url = comment_url(page, ident) if ident else ""
    status = comment.get("status")
    if status == "waiting":
        return PostOutcome(Outcome.HELD, ident, url, "awaiting moderation")
    if status == "spam":
        return PostOutcome(Outcome.HELD, ident, url, "held by the server's spam filter")
    return PostOutcome(Outcome.POSTED, ident, url)


class WalinePoster(Poster):
    """Posts anonymously to the Waline server the article page embeds."""

    name = "waline"

    def __init__(self, deadline: float = DEADLINE) -> None:
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Send the reply once, unless the thread shows it already."""
        target = await locate(client, reply)
        if target is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the article page embeds no Waline")
        try:
            items, partial = await read_thread(client, target.url, target.ident,
                                               referer=target.page)  # fmt: skip
        except CommentsUnavailable as error:
            return PostOutcome(Outcome.FAILED, message=sanitise(error.message))
        if mine := [item for item in items if is_mine(item, reply)]:
            return stored(mine[-1], target.page)
        parent = None
        if reply.parent_key:
            parent = next((i for i in items if _id(i.get("objectId")) == reply.parent_key), None)
            if parent is None:
                why = "is not among the comments blogtui reads" if partial else "is gone"
                return PostOutcome(Outcome.REJECTED, message=f"the comment replied to {why}")
        outcome = await self._send(client, reply, target, parent)
        if outcome.state is Outcome.DUPLICATE:
            return await self._settle(client, reply, target, outcome)
        return outcome

    async def _send(self, client: httpx.AsyncClient, reply: ReplyRequest, target: WalineTarget,
                    parent: dict[str, Any] | None) -> PostOutcome:  # fmt: skip
        content = json.dumps(body_of(reply, target.ident, parent)).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Referer": target.page}  # fmt: skip
        timeout = send_timeout(self.deadline)
        try:
            response = await client.post(f"{comment_api(target.url)}?lang=en", content=content,
                                         headers=headers, timeout=timeout,
                                         follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response, target.page)

    async def _settle(self, client: httpx.AsyncClient, reply: ReplyRequest, target: WalineTarget,
                      outcome: PostOutcome) -> PostOutcome:  # fmt: skip
        """A "Duplicate Content" answer: the reply's id, when the thread shows it."""
        try:
            items, _ = await read_thread(client, target.url, target.ident, referer=target.page)
        except CommentsUnavailable:
            return outcome
        mine = [item for item in items if is_mine(item, reply)]
        return stored(mine[-1], target.page) if mine else outcome
