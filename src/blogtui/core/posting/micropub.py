"""Replying the IndieWeb way: publish the reply on the user's own site, then tell the article.

W3C Micropub: `POST` to the user's endpoint, form-encoded `h=entry`, `content`, `in-reply-to`
(the article; a reply to a mention replies to that mention's URL too, sent as JSON), with
`Authorization: Bearer TOKEN`; `201 Created` or `202 Accepted` with `Location: URL` is the new
post. Errors come as JSON `{"error": "invalid_request" | "unauthorized" | "forbidden" |
"insufficient_scope", "error_description": "…"}` (or as plain text). Then a W3C Webmention
`source=LOCATION&target=ARTICLE` goes to the article's endpoint (discovered per the spec,
`core.comments.webmention_endpoint`).

The endpoint and token are kept in blogtui's credentials under `micropub` (user: the endpoint
URL, password: the token; `blogtui comment-key micropub ENDPOINT_URL`); the token goes only to
that endpoint, over https or to a loopback literal, never through a redirect.

When the post is published but its Webmention fails (the blog's site is down, its endpoint
answers 5xx), the outcome says the notice is owed (`core.posting.notice`): the outbox keeps the
reply "unnotified" and later sends only the Webmention (`MicropubPoster.notify`).

A create that timed out may have published the post. Before the outbox sends it again, the
poster asks the endpoint (`q=source`, listing the latest posts, a common Micropub extension) for
a post replying to the same URL with the same text, and uses it when found. An endpoint that
cannot list its posts (or a token without the scope to ask) cannot answer: the reply is then not
sent again until the user says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin

import httpx

from blogtui.core.comments.fetching import get
from blogtui.core.comments.page import parse_page
from blogtui.core.comments.webmention import loopback_chosen
from blogtui.core.comments.webmention_endpoint import (
    EndpointRefused,
    endpoint_of,
    guarded_request,
)
from blogtui.core.errors import CommentsUnavailable
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
    server_error,
)
from blogtui.core.posting.credentials import (
    Credential,
    CredentialError,
    CredentialStore,
    check_destination,
)
from blogtui.core.posting.notice import owed
from blogtui.core.posting.state import ReplyState

if TYPE_CHECKING:
    from blogtui.core.store import Store

ENTRY = "micropub"
"""The credential entry: user = the Micropub endpoint's URL, password = its token."""
SETTING = "your Micropub endpoint and token (`blogtui comment-key micropub ENDPOINT_URL`)"
LISTED = 50
"""How many of the latest posts `q=source` is asked for when looking for a reply."""

CredentialSource = Callable[[], Credential | None]


@dataclass(frozen=True, slots=True)
class Published:
    """A post the endpoint says it has: its URL."""

    url: str


class CannotTell(Exception):
    """The endpoint cannot say whether it has the post (no `q=source` listing)."""


def in_reply_to(reply: ReplyRequest) -> list[str]:
    """What the post replies to: the mention replied to (its key is its URL), then the article."""
    parent = reply.parent_key if reply.parent_key.startswith(("http://", "https://")) else ""
    return [url for url in (parent, reply.article_url) if url]


def create_body(reply: ReplyRequest) -> tuple[str, str]:
    """The Micropub create request: (content type, body). Form-encoded (`h=entry`, `content`,
    `in-reply-to`); a reply to a mention replies to two URLs, which goes as JSON
    (`{"type": ["h-entry"], "properties": {...}}`): servers must take both syntaxes, and some
    drop a form's `in-reply-to[]` (django-indieweb 0.6 takes `[]` only for media and category)."""
    targets = in_reply_to(reply)
    if len(targets) == 1:
        form = {"h": "entry", "content": reply.text, "in-reply-to": targets[0]}
        return "application/x-www-form-urlencoded", urlencode(form)
    properties = {"content": [reply.text], "in-reply-to": targets}
    return "application/json", json.dumps({"type": ["h-entry"], "properties": properties})


def _values(properties: dict[str, Any], name: str) -> list[Any]:
    found = properties.get(name)
    return found if isinstance(found, list) else []


def _content_text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("value") or value.get("html") or "")
    return value if isinstance(value, str) else ""


def matching_post(items: list[Any], reply: ReplyRequest) -> Published | None:
    """The listed post (`q=source` items) replying to the same URL with the same text."""
    wanted, targets = normalise(reply.text), set(in_reply_to(reply))
    for item in items:
        properties = item.get("properties") if isinstance(item, dict) else None
        if not isinstance(properties, dict):
            continue
        replied = {v for v in _values(properties, "in-reply-to") if isinstance(v, str)}
        texts = [normalise(_content_text(v)) for v in _values(properties, "content")]
        urls = [u for u in _values(properties, "url") if isinstance(u, str) and u]
        if urls and replied & targets and wanted in texts:
            return Published(urls[0])
    return None


class MicropubPoster(Poster):
    """Publishes the reply through the user's Micropub endpoint, then sends the Webmention.

    `unsure`: an earlier attempt may have published it (the outbox found it "unsure"), so the
    endpoint is asked first and the post is created only when it is known not to be there."""

    name = "micropub"

    def __init__(
        self, credential: CredentialSource, *, unsure: bool = False, timeout: float = DEADLINE
    ) -> None:
        self.credential = credential
        self.unsure = unsure
        self.timeout = timeout

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Publish `reply` once (or find it published), then notify the article."""
        try:
            found = self.credential()
        except CredentialError as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        if found is None or not found.user or not found.password.reveal():
            message = f"replying to Webmentions needs {SETTING}"
            return PostOutcome(Outcome.UNAVAILABLE, message=message)
        endpoint, token = found.user, found.password.reveal().strip()
        if not (token.isascii() and token.isprintable()):
            message = f"the stored Micropub token has characters no token has: check {SETTING}"
            return PostOutcome(Outcome.UNAVAILABLE, message=message)
        try:
            check_destination(endpoint)
        except CredentialError as error:
            return PostOutcome(Outcome.UNAVAILABLE, message=error.message)
        if self.unsure:
            try:
                published = await self.look_up(client, endpoint, token, reply)
            except CannotTell:
                return PostOutcome(Outcome.UNAVAILABLE, message=_CANNOT_TELL)
            if published is not None:
                return await self._notify(client, published.url, reply, "found on your site")
        outcome = await self.create(client, endpoint, token, reply)
        if outcome.state is not Outcome.POSTED:
            return outcome
        return await self._notify(client, outcome.remote_url, reply, "")

    async def create(
        self, client: httpx.AsyncClient, endpoint: str, token: str, reply: ReplyRequest
    ) -> PostOutcome:
        """The Micropub create request, once; what the endpoint answered."""
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        kind, body = create_body(reply)
        form_type = {"Content-Type": kind}
        try:
            response = await client.post(endpoint, content=body, headers={**headers, **form_type},
                                         timeout=self.timeout, follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        return answer_of(response, endpoint, token)

    async def look_up(
        self, client: httpx.AsyncClient, endpoint: str, token: str, reply: ReplyRequest
    ) -> Published | None:
        """The post on the user's site replying with this text, None when it is not among the
        latest LISTED; raises CannotTell when the endpoint cannot list its posts."""
        joiner = "&" if "?" in endpoint else "?"
        url = f"{endpoint}{joiner}{urlencode({'q': 'source', 'limit': LISTED})}"
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        try:
            response = await client.get(url, headers=headers, timeout=self.timeout)
            data = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as error:
            raise CannotTell from error
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise CannotTell
        return matching_post(items, reply)

    async def notify(
        self, client: httpx.AsyncClient, reply: ReplyRequest, published: str
    ) -> PostOutcome:
        """Only the Webmention for a reply published earlier at `published` (its first one
        failed): the post is never created again, and no token is needed or sent."""
        return await self._notify(client, published, reply, "")

    async def _notify(
        self, client: httpx.AsyncClient, source: str, reply: ReplyRequest, note: str
    ) -> PostOutcome:
        """The Webmention from the new post to the article; the outcome says how it went (a
        failed one is still owed: `core.posting.notice`)."""
        failure = await send_webmention(client, source, reply.article_url)
        said = sanitise("; ".join(part for part in (note, failure) if part))
        if failure:
            return owed(source, "webmention", said)
        return PostOutcome(Outcome.POSTED, source, source, said, extra={"webmention": "sent"})


_CANNOT_TELL = (
    "an earlier try may have published this reply on your site, and your Micropub endpoint"
    " cannot list its posts (q=source) to tell; check your site, then send it again with"
    " `blogtui send --again` if it is not there"
)


def answer_of(response: httpx.Response, endpoint: str, token: str) -> PostOutcome:
    """What a Micropub create answer means; the token never appears in a message."""
    status = response.status_code
    location = response.headers.get("location", "").strip()
    if status in (201, 202) and location:
        url = urljoin(endpoint, location)
        return PostOutcome(Outcome.POSTED, url, url)
    if status in (201, 202):
        return PostOutcome(Outcome.UNAVAILABLE, message=f"your Micropub endpoint answered {status}"
                           " without the new post's address; check your site")  # fmt: skip
    if 300 <= status < 400:
        return redirected(status, location, endpoint)
    said = _error_text(response).replace(token, "***")
    if status == 429:
        return PostOutcome(Outcome.FLOOD, message=said or "too many requests")
    if status >= 500:
        return server_error(status, said)
    if status in (401, 403):
        why = f"your Micropub endpoint refused the token ({said or status}): check {SETTING}"
        return PostOutcome(Outcome.REJECTED, message=sanitise(why))
    message = f"your Micropub endpoint refused the reply: {said or f'HTTP {status}'}"
    return PostOutcome(Outcome.REJECTED, message=sanitise(message))


def _error_text(response: httpx.Response) -> str:
    """The endpoint's reason: its JSON `error` and `error_description`, else a short plain text."""
    try:
        data = response.json()
    except ValueError:
        return decode_short(response.content)
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get(k) or "") for k in ("error", "error_description")]
    return sanitise(": ".join(p for p in parts if p), 200)


async def send_webmention(client: httpx.AsyncClient, source: str, target: str) -> str:
    """Send the Webmention `source` -> `target` to the target's endpoint; "" when the endpoint
    took it (2xx), else why not (in words)."""
    try:
        result = await get(client, target, "the article page")
    except CommentsUnavailable as error:
        return f"the Webmention was not sent: {error.message}"
    page = parse_page(result.text, result.final_url or result.url, result.headers)
    endpoint = endpoint_of(page)
    if not endpoint:
        return "the Webmention was not sent: the article names no Webmention endpoint now"
    try:
        answer = await guarded_request(client, "POST", endpoint, timeout=DEADLINE,
                                       form={"source": source, "target": target},
                                       loopback_ok=loopback_chosen(target))  # fmt: skip
    except EndpointRefused as error:
        return f"the Webmention was not sent: {error}"
    except httpx.HTTPError as error:
        return f"the Webmention was not sent: {network_outcome(error, sent=True).message}"
    if 200 <= answer.status < 300:
        return ""
    said = decode_short(answer.body)
    return f"the Webmention endpoint answered HTTP {answer.status}" + (f": {said}" if said else "")


def decode_short(body: bytes) -> str:
    """A short, safe excerpt of an endpoint's error answer."""
    text = body[:2000].decode("utf-8", errors="replace").strip()
    return "" if text.startswith("<") else sanitise(text, 160)


def poster_for_draft(
    store: Store, draft_id: str, credentials: CredentialStore | None, timeout: float = DEADLINE
) -> MicropubPoster:
    """The poster for one draft, its endpoint and token from `credentials`: `unsure` when its
    outbox item says an earlier try may have published it (it timed out, or blogtui stopped
    while sending)."""
    item = store.outbox_item(draft_id)
    unsure = item is not None and item.state in (ReplyState.UNSURE, ReplyState.SENDING)
    return MicropubPoster(lambda: credentials.get_entry(ENTRY) if credentials else None,
                          unsure=unsure, timeout=timeout)  # fmt: skip
