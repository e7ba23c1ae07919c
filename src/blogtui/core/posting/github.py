"""Replying on giscus and utterances with the user's GitHub token.

utterances: `POST /repos/O/R/issues/N/comments` {"body"} answers 201 and the comment. Issue
comments are flat, so a reply to a comment begins with a quote of it that links to it:

    > [@alice](https://github.com/O/R/issues/N#issuecomment-ID) wrote:
    > the first 200 characters of alice's comment…

which reads naturally on GitHub, and which blogtui's reader shows as a reply to that comment
(`core.comments.utterances`). giscus: GraphQL `addDiscussionComment(input: {discussionId, body,
replyToId})`. GitHub's replies are one level deep: a reply to a reply goes under the top-level
comment (its `replyToId`), beginning with "@login" of the one answered.

Before it sends, the poster reads the thread and looks for the reply already there (a comment by
the token's account with the same body and parent): found, it is reported as posted and nothing
is sent, so a send that timed out is never doubled. No issue or discussion yet (no one has
commented) means the first comment is written in the browser: giscus and utterances create those
with their own app. The token (`core.comments.github.token_source`) goes only to the API's origin
over https (a loopback literal in tests), never redirected, never in a message.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from blogtui.core.comments import giscus, utterances
from blogtui.core.comments.base import Hints
from blogtui.core.comments.github import (
    API_ROOT,
    MEDIA_FULL,
    SETTING,
    Session,
    rate_of,
    session_for,
    text_of,
)
from blogtui.core.comments.service import KeySource, RateLimited, mapping, retry_after
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

NO_TOKEN = f"replying on GitHub needs {SETTING}; reply in the browser"
NO_THREAD = ("no one has commented yet: the first comment opens the thread on GitHub; write it in"
             " the browser")  # fmt: skip
QUOTED = 200
"""Characters of the comment replied to quoted in an utterances reply."""
ADD = """mutation BlogtuiAddComment($discussionId: ID!, $body: String!, $replyToId: ID) {
  addDiscussionComment(input: {discussionId: $discussionId, body: $body, replyToId: $replyToId}) {
    comment { id url }
  }
}"""


def registered_root(system: str) -> str:
    """The API root the registered giscus or utterances reader uses."""
    from blogtui.core.comments.registry import PROVIDERS

    found = PROVIDERS.get(system)
    root = getattr(found, "api_root", "")
    return root if isinstance(root, str) and root else API_ROOT


def quote_of(comment: dict[str, Any]) -> str:
    """The quote an utterances reply to `comment` begins with."""
    login = text_of(mapping(comment.get("user")).get("login"), 100) or "ghost"
    said = " ".join(text_of(comment.get("body")).split())
    said = said[:QUOTED] + ("…" if len(said) > QUOTED else "")
    link = text_of(comment.get("html_url"), 500)
    return f"> [@{login}]({link}) wrote:\n> {said}\n\n"


def _stored(ident: str, url: str) -> PostOutcome:
    return PostOutcome(Outcome.POSTED, ident, url)


def rest_outcome(response: httpx.Response, token: str) -> PostOutcome:
    """What an answer to the issue comment POST means."""
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    status = response.status_code
    if status == 201 and str(data.get("id", "")).isdigit():
        return _stored(str(data["id"]), text_of(data.get("html_url"), 500))
    return refusal(status, text_of(data.get("message"), 300), token, response.headers)


def refusal(status: int, said: str, token: str, headers: httpx.Headers) -> PostOutcome:
    """An error status as an outcome (REST or GraphQL); the token never in the message."""
    said = sanitise(said.replace(token, "***") if token else said, 200)
    detail = f" ({said})" if said else ""
    lowered = {k.lower(): v for k, v in headers.items()}
    rate = rate_of(lowered)
    used_up = rate is not None and rate.remaining == 0
    if status in (403, 429) and (used_up or "rate limit" in said.lower() or status == 429):
        wait = retry_after(lowered)
        if wait is None and rate is not None and rate.reset:
            wait = max(0.0, rate.reset - time.time())
        return PostOutcome(Outcome.FLOOD, message=f"GitHub rate limit{detail}", retry_after=wait)
    if status == 401:
        return PostOutcome(Outcome.REJECTED, message=f"GitHub refused the token: check {SETTING}")
    if status in (403, 410) and ("locked" in said.lower() or status == 410):
        return PostOutcome(Outcome.CLOSED, message=f"this GitHub thread takes no comments{detail}")
    if status >= 500:
        return server_error(status)
    if 300 <= status < 400:
        return PostOutcome(Outcome.UNAVAILABLE, message="GitHub answered with a redirect; not"
                           " sent", ambiguous=True)  # fmt: skip
    return PostOutcome(
        Outcome.REJECTED, message=f"GitHub refused the reply (HTTP {status}){detail}"
    )


class GitHubPoster(Poster):
    """Posts as the user's GitHub account to the issue (utterances) or discussion (giscus)."""

    name = "github"

    def __init__(self, system: str, token: KeySource, api_root: str = "",
                 deadline: float = DEADLINE) -> None:  # fmt: skip
        self.system = system
        """"giscus" or "utterances"."""
        self.token = token
        self.api_root = (api_root or registered_root(system)).rstrip("/")
        """The API root ("" means the registered reader's: api.github.com but in tests)."""
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Find the thread, look for the reply already there, else send it once."""
        what = giscus.WHAT if self.system == "giscus" else utterances.WHAT
        session = await session_for(client, self.api_root, self.token, what)
        if not session.token:
            return PostOutcome(Outcome.UNAVAILABLE, message=NO_TOKEN)
        try:
            check_destination(self.api_root)
            if self.system == "giscus":
                return await self._giscus(session, reply)
            return await self._utterances(session, reply)
        except RateLimited as error:
            return PostOutcome(Outcome.FLOOD, message=error.message, retry_after=error.wait)
        except (CommentsUnavailable, CredentialError) as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)

    async def _embed(self, session: Session, reply: ReplyRequest) -> str:
        """The target ident of the article's embed; raises CommentsUnavailable without one."""
        article = article_for(reply)
        kind = giscus.GiscusProvider if self.system == "giscus" else utterances.UtterancesProvider
        provider = kind(self.api_root, lambda: session.token)
        target = await provider.detect(session.client, article, Hints(article))
        if target is None:
            raise CommentsUnavailable(f"the article page embeds no {self.system}")
        return target.ident

    async def _utterances(self, session: Session, reply: ReplyRequest) -> PostOutcome:
        embed = utterances.parse_ident(await self._embed(session, reply))
        issue = await utterances.find_issue(session, embed)
        number = mapping(issue).get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            return PostOutcome(Outcome.UNAVAILABLE, message=NO_THREAD)
        login = text_of(mapping((await session.get("/user")).data).get("login"))
        session.media = MEDIA_FULL
        items, _partial = await utterances.read_comments(session, embed.repo, number)
        comments = [mapping(item) for item in items]
        body = reply.text.strip()
        if reply.parent_key:
            parent = next((c for c in comments if str(c.get("id")) == reply.parent_key), None)
            if parent is None:
                return PostOutcome(Outcome.REJECTED, message="the comment replied to is gone")
            body = quote_of(parent) + body
        for comment in comments:
            author = text_of(mapping(comment.get("user")).get("login"))
            if (
                author.casefold() == login.casefold()
                and text_of(comment.get("body")).strip() == body
            ):
                return _stored(str(comment.get("id")), text_of(comment.get("html_url"), 500))
        url = f"{session.root}/repos/{embed.repo}/issues/{number}/comments"
        response = await self._send(session, url, {"body": body})
        if isinstance(response, PostOutcome):
            return response
        return rest_outcome(response, session.token)

    async def _giscus(self, session: Session, reply: ReplyRequest) -> PostOutcome:
        embed = giscus.parse_ident(await self._embed(session, reply))
        discussion = await giscus.find_discussion(session, embed)
        if discussion is None:
            return PostOutcome(Outcome.UNAVAILABLE, message=NO_THREAD)
        reader = giscus.Reader(session)
        await reader.read(text_of(discussion.get("id")))
        body, reply_to = reply.text.strip(), reply.parent_key
        if reply.parent_key:
            found = [(n, p) for n, p in reader.nodes if n.get("id") == reply.parent_key]
            if not found:
                return PostOutcome(Outcome.REJECTED, message="the comment replied to is gone")
            node, top = found[0]
            if top:  # a reply to a reply: under its top-level comment, naming whom it answers
                login = text_of(mapping(node.get("author")).get("login"), 100) or "ghost"
                body, reply_to = f"@{login} {body}", top
        for node, parent in reader.nodes:
            mine = node.get("viewerDidAuthor") is True and parent == reply_to
            if mine and text_of(node.get("body")).strip() == body:
                return _stored(text_of(node.get("id")), text_of(node.get("url"), 500))
        variables = {"discussionId": discussion.get("id"), "body": body,
                     "replyToId": reply_to or None}  # fmt: skip
        payload = {"operationName": "BlogtuiAddComment", "query": ADD, "variables": variables}
        response = await self._send(session, f"{session.root}/graphql", payload)
        if isinstance(response, PostOutcome):
            return response
        return graphql_outcome(response, session.token)

    async def _send(
        self, session: Session, url: str, payload: dict[str, Any]
    ) -> httpx.Response | PostOutcome:
        """POST `payload` once, never redirected; a network failure as an outcome."""
        headers = session.headers() | {"Content-Type": "application/json"}
        timeout = send_timeout(self.deadline)
        content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            return await session.client.post(url, content=content, headers=headers,
                                             timeout=timeout, follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)


def graphql_outcome(response: httpx.Response, token: str) -> PostOutcome:
    """What an answer to `addDiscussionComment` means."""
    try:
        data = mapping(response.json())
    except ValueError:
        data = {}
    if response.status_code != 200:
        return refusal(response.status_code, text_of(data.get("message"), 300), token,
                       response.headers)  # fmt: skip
    made = mapping(mapping(mapping(data.get("data")).get("addDiscussionComment")).get("comment"))
    if text_of(made.get("id")):
        return _stored(text_of(made.get("id"), 200), text_of(made.get("url"), 500))
    errors = data.get("errors")
    first = mapping(errors[0]) if isinstance(errors, list) and errors else {}
    said = text_of(first.get("message"), 300)
    kind = text_of(first.get("type"), 40)
    if kind == "RATE_LIMITED":
        return refusal(429, said or "rate limit", token, response.headers)
    if "locked" in said.lower():
        return refusal(403, said, token, response.headers)
    return refusal(422, said or "no comment in the answer", token, response.headers)
