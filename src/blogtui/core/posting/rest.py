"""WordPress with an account: `POST {root}/wp/v2/comments` with an Application Password.

The REST root and post id are found the way the comment reader finds them (`WordPressProvider`).
The credential is checked first with `GET wp/v2/users/me`. Credentials go only where
`credentials.check_destination` allows, and a redirect is never followed with them.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from blogtui.core.comments.base import Hints
from blogtui.core.comments.wordpress import WordPressProvider, route
from blogtui.core.config import Identity
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
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
from blogtui.core.posting.credentials import Credential, CredentialError, check_destination

WRONG_CREDENTIALS = (
    "wrong credentials, or application passwords unavailable (WordPress accepts them only over"
    " https or when the site is in local mode)"
)
REDIRECTED = "the server redirected; credentials are never sent after a redirect"
_BY_CODE = {
    "comment_flood": Outcome.FLOOD,
    "comment_duplicate": Outcome.DUPLICATE,
    "rest_comment_closed": Outcome.CLOSED,
    "rest_comment_draft_post": Outcome.CLOSED,
    "rest_comment_trash_post": Outcome.CLOSED,
}


def article_for(reply: ReplyRequest) -> Article:
    """A stand-in Article for the comment readers' detection helpers."""
    return Article(0, 0, reply.article_url, reply.article_title, "", reply.article_url,
                   None, None, "", False)  # fmt: skip


async def locate(client: httpx.AsyncClient, reply: ReplyRequest) -> tuple[str, str] | None:
    """The REST root and post id of the reply's article, or None when it has none."""
    hints = Hints(article_for(reply), reply.api_root)
    try:
        target = await WordPressProvider().detect(client, hints.article, hints)
    except CommentsUnavailable:
        return None
    if target is None:
        return None
    return target.url, reply.post_id or target.ident


def error_of(response: httpx.Response) -> tuple[str, str]:
    """The WordPress error code and message of an error answer."""
    try:
        data: Any = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("code", "")), sanitise(str(data.get("message", "")))


def outcome_of(response: httpx.Response) -> PostOutcome:
    """What an answer to `POST wp/v2/comments` means."""
    status = response.status_code
    if status in (200, 201):
        return _created(response)
    if 300 <= status < 400:  # whatever its body says; looked for in the thread before "not sent"
        return PostOutcome(Outcome.UNAVAILABLE, message=REDIRECTED, ambiguous=True)
    code, message = error_of(response)
    if status == 401:
        return PostOutcome(Outcome.REJECTED, message=WRONG_CREDENTIALS)
    if code in _BY_CODE:
        return PostOutcome(_BY_CODE[code], message=message)
    if status >= 500:
        return server_error(status)
    if status == 429:
        return PostOutcome(Outcome.FLOOD, message=message or "posting too quickly")
    return PostOutcome(Outcome.REJECTED, message=message or f"the server answered HTTP {status}")


def _created(response: httpx.Response) -> PostOutcome:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or not str(data.get("id", "")).isdigit():
        return PostOutcome(Outcome.POSTED, message="created, but the answer named no comment id")
    state = Outcome.POSTED if data.get("status") == "approved" else Outcome.HELD
    message = "" if state is Outcome.POSTED else "awaiting moderation"
    return PostOutcome(state, str(data["id"]), str(data.get("link", "")), message)


class RestPoster(Poster):
    """Posts as a WordPress user through the REST API."""

    name = "rest"

    def __init__(self, credential: Credential, deadline: float = DEADLINE) -> None:
        self.credential = credential
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Check the credential, then create the comment once."""
        found = await locate(client, reply)
        if found is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the blog has no WordPress REST API")
        root, post_id = found
        try:
            check_destination(root)
        except CredentialError as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        checked = await self.check_credential(client, root)
        if checked is not None:
            return checked
        body = {"post": int(post_id), "content": reply.text}
        if reply.parent_key:
            body["parent"] = int(reply.parent_key)
        try:
            response = await self.request(client, "POST", route(root, "wp/v2/comments"), body)
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return outcome_of(response)

    async def check_credential(self, client: httpx.AsyncClient, root: str) -> PostOutcome | None:
        """None when `users/me` accepts the credential, else the outcome to report."""
        try:
            response = await self.request(client, "GET", route(root, "wp/v2/users/me"))
        except httpx.HTTPError as error:
            return network_outcome(error, sent=False)
        if response.status_code == 200:
            return None
        if response.status_code in (401, 403):
            return PostOutcome(Outcome.REJECTED, message=WRONG_CREDENTIALS)
        if 300 <= response.status_code < 400:
            return PostOutcome(Outcome.UNAVAILABLE, message=REDIRECTED)
        if response.status_code >= 500:
            return PostOutcome(
                Outcome.FAILED, message=f"the server answered HTTP {response.status_code}"
            )
        return PostOutcome(
            Outcome.UNAVAILABLE, message=f"users/me answered HTTP {response.status_code}"
        )

    async def request(
        self, client: httpx.AsyncClient, method: str, url: str, body: Any = None
    ) -> httpx.Response:
        """One request with the credential, never redirected; raises CredentialError for a
        destination the credential must not go to (plain http to a remote host)."""
        check_destination(url)
        headers = {"Authorization": self.credential.authorization(), "Accept": "application/json"}
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            content = json.dumps(body).encode("utf-8")
        timeout = send_timeout(self.deadline)
        request = client.build_request(
            method, url, headers=headers, content=content, timeout=timeout
        )
        response = await client.send(request, follow_redirects=False)
        await response.aread()
        return response


async def account_name(
    client: httpx.AsyncClient, article_url: str, credential: Credential, deadline: float = DEADLINE
) -> str:
    """The name WordPress shows on comments by `credential`'s account (`GET wp/v2/users/me`);
    "" when it cannot be asked (no REST API, a refused credential, a network failure)."""
    found = await locate(client, ReplyRequest(article_url, "", "", Identity(credential.user, "")))
    if found is None:
        return ""
    try:
        response = await RestPoster(credential, deadline).request(
            client, "GET", route(found[0], "wp/v2/users/me")
        )
    except (httpx.HTTPError, CredentialError):
        return ""
    if response.status_code != 200:
        return ""
    try:
        data: Any = response.json()
    except ValueError:
        return ""
    name = data.get("name") if isinstance(data, dict) else None
    return sanitise(name) if isinstance(name, str) else ""
