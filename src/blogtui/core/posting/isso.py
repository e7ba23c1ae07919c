"""Isso: `POST {server}/new?uri=PATH` with a JSON body.

Isso answers 201 (published) or 202 (held for moderation) with the new comment, 400 with a field
error, and 403 with its guard's reason ("ratelimit exceeded" is treated as a flood). It never
redirects a new comment: a redirect is not followed and the reply counts as not sent.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.isso import IssoProvider
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.posting.base import (
    DEADLINE,
    Outcome,
    Poster,
    PostOutcome,
    ReplyRequest,
    network_outcome,
    redirected,
    sanitise,
    send_timeout,
    server_error,
)
from blogtui.core.posting.rest import article_for


def new_url(server: str, uri: str) -> str:
    """Where a new comment on thread `uri` is posted."""
    return server.rstrip("/") + "/new?uri=" + quote(uri, safe="/")


def comment_url(article_url: str, comment_id: str) -> str:
    """The permalink Isso's embed gives a comment."""
    return f"{article_url.split('#')[0]}#isso-{comment_id}"


async def locate(client: httpx.AsyncClient, reply: ReplyRequest) -> tuple[str, str] | None:
    """The Isso server and thread id of the reply's article, or None."""
    hints = Hints(article_for(reply), reply.api_root)
    try:
        target = await IssoProvider().detect(client, hints.article, hints)
    except CommentsUnavailable:
        return None
    return (target.url, target.ident) if target else None


def body_of(reply: ReplyRequest) -> dict[str, object]:
    """The JSON Isso expects."""
    who = reply.identity
    body: dict[str, object] = {
        "text": reply.text,
        "author": who.name or None,
        "email": who.email or None,
        "website": who.website or None,
        "parent": int(reply.parent_key) if reply.parent_key.isdigit() else None,
    }
    if reply.article_title:
        body["title"] = reply.article_title
    return body


def error_text(body: str) -> str:
    """The reason in a werkzeug error page (its `<p>`), or the body as text."""
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S | re.I)
    return sanitise(paragraphs[-1] if paragraphs else body)


def outcome_of(response: httpx.Response, article_url: str) -> PostOutcome:
    """What Isso's answer means."""
    status = response.status_code
    if status in (201, 202):
        try:
            data = response.json()
        except ValueError:
            data = {}
        ident = str(data.get("id", "")) if isinstance(data, dict) else ""
        url = comment_url(article_url, ident) if ident.isdigit() else ""
        state = Outcome.POSTED if status == 201 else Outcome.HELD
        return PostOutcome(state, ident if url else "", url, "" if state is Outcome.POSTED else
                           "awaiting moderation")  # fmt: skip
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        return redirected(status, location, str(response.request.url))
    message = error_text(response.text) if response.content else ""
    if status == 403 and "ratelimit" in message:
        return PostOutcome(Outcome.FLOOD, message=message)
    if status >= 500:
        return server_error(status)
    return PostOutcome(Outcome.REJECTED, message=message or f"the server answered HTTP {status}")


class IssoPoster(Poster):
    """Posts to the Isso server the article page embeds."""

    name = "isso"

    def __init__(self, deadline: float = DEADLINE) -> None:
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Send the reply once."""
        found = await locate(client, reply)
        if found is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the article page embeds no Isso")
        server, uri = found
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        timeout = send_timeout(self.deadline)
        content = json.dumps(body_of(reply)).encode("utf-8")
        try:
            response = await client.post(new_url(server, uri), content=content, headers=headers,
                                         timeout=timeout, follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response, reply.article_url)
