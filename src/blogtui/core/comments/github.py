"""GitHub's API as giscus and utterances use it: one session per thread load, rate limits kept.

REST (`GET /repos/…`, `/search/issues`) answers JSON with `X-RateLimit-Limit/-Remaining/-Reset`
(a Unix time) and `-Resource` ("core", "search", "graphql"); errors are `{"message": …,
"documentation_url": …}`: 401 "Bad credentials", 404 "Not Found", 422 "Validation Failed",
403/429 with `X-RateLimit-Remaining: 0` when the hour's requests are used up (60 without a
token), or with `Retry-After` for a secondary limit. GraphQL (`POST /graphql`) needs a token even
for reads; its errors come as `{"errors": [{"type", "message"}]}` (HTTP 200 too).

The token is the user's: blogtui's credential 'github' (`blogtui comment-key github`), else what
`gh auth token` prints when the GitHub CLI is installed (run with a timeout, never shown, only
where GitHub is read or replied to: in workers, never for a heading). Whether it gave a token
the last time it ran is kept for the process (`gh_logged_in`; never the token itself), so that
headings can say a reply posts as the user's account. The token goes only to the API's origin
over https (a loopback literal in tests), never through a redirect, and never into a message.
A session stops before the hour's last RESERVE requests are used, and says how many are left
(`RateLimit.words`).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from blogtui.core.comments.base import CommentProvider, Hints, Target
from blogtui.core.comments.fetching import MAX_BYTES, time_left
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import (
    Answer,
    KeySource,
    RateLimited,
    api_get,
    mapping,
    retry_after,
    stored_key,
    wait_words,
)
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import Article
from blogtui.core.posting.credentials import CredentialError, check_destination
from blogtui.core.text.sanitize import clean

API_ROOT = "https://api.github.com"
TOKEN_ENTRY = "github"
SETTING = (
    "a GitHub token (`blogtui comment-key github`, credential 'github'; or `gh auth login` when"
    " the GitHub CLI is installed)"
)
RESERVE = 2
"""The hour's last requests are left unused: a read stops (partial) before it would take them."""
GH_TIMEOUT = 5.0
GITHUB_USER = "github:"
"""Identity keys of GitHub accounts: `github:LOGIN` (lowercased)."""
MEDIA_HTML = "application/vnd.github.html+json"
"""REST media type: bodies as `body_html` (GitHub's rendering, sanitised again by blogtui)."""
MEDIA_FULL = "application/vnd.github.full+json"
"""REST media type: bodies as written (`body`) and as rendered (`body_html`)."""
_VERSION = {"X-GitHub-Api-Version": "2022-11-28"}
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


class _GhLogin:
    """What the last run of `gh auth token` in this process said: None before any run, else
    whether it printed a token (the token itself is not kept)."""

    seen: bool | None = None


def gh_token() -> str:
    """What `gh auth token` prints ("" without gh, on failure or after GH_TIMEOUT seconds);
    whether it printed a token is remembered for `gh_logged_in`. Blocking: not on the UI thread."""
    token = _run_gh()
    _GhLogin.seen = bool(token)
    return token


def gh_logged_in() -> bool:
    """Whether `gh auth token` printed a token when it last ran in this process (it runs where a
    GitHub thread is read or a reply sent, without a stored token); never runs `gh`."""
    return _GhLogin.seen is True


def _run_gh() -> str:
    program = shutil.which("gh")
    if program is None:
        return ""
    try:
        done = subprocess.run(
            [program, "auth", "token"],
            capture_output=True,
            text=True,
            timeout=GH_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    token = done.stdout.strip() if done.returncode == 0 else ""
    return token if token.isascii() and " " not in token and len(token) < 300 else ""


def token_source(secrets_dir: Path | None = None) -> KeySource:
    """The user's GitHub token: the stored credential, else `gh auth token`."""
    return lambda: stored_key(TOKEN_ENTRY, secrets_dir) or gh_token()


def user_key(login: object) -> str:
    """The identity key of a GitHub login; "" for none."""
    return f"{GITHUB_USER}{login.lower()}" if isinstance(login, str) and login else ""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """What GitHub's X-RateLimit-* headers said last."""

    limit: int
    remaining: int
    reset: float | None
    resource: str = "core"

    @property
    def period(self) -> str:
        """The limit's window in words (the search API counts per minute)."""
        return "this minute" if self.resource in ("search", "code_search") else "this hour"

    def words(self) -> str:
        """The limit in words: "GitHub: 58 of 60 requests left this hour" (when used up, when
        there are more)."""
        if self.remaining > 0:
            return f"GitHub: {self.remaining} of {self.limit} requests left {self.period}"
        when = time.strftime("%H:%M", time.localtime(self.reset)) if self.reset else "later"
        return f"GitHub: all {self.limit} requests {self.period} are used; more at {when}"


def rate_of(headers: dict[str, str]) -> RateLimit | None:
    """The rate limit in an answer's (lowercased) headers, or None."""
    limit, left = headers.get("x-ratelimit-limit", ""), headers.get("x-ratelimit-remaining", "")
    if not (limit.isdigit() and left.isdigit()):
        return None
    reset = headers.get("x-ratelimit-reset", "")
    return RateLimit(int(limit), int(left), float(reset) if reset.isdigit() else None,
                     headers.get("x-ratelimit-resource", "core")[:20])  # fmt: skip


def error_of(answer: Answer, what: str, token: str, has_token: bool) -> CommentsUnavailable:
    """The error an unsuccessful answer stands for; the token never appears in it."""
    said = clean(mapping(answer.data).get("message"), limit=200)
    said = said.replace(token, "***") if token else said
    detail = f" ({said})" if said else ""
    rate = rate_of(answer.headers)
    if answer.status in (403, 429) and rate is not None and rate.remaining == 0:
        hint = "" if has_token else f"; {SETTING} raises the limit to 5,000"
        wait = max(0.0, rate.reset - time.time()) if rate.reset else None
        return RateLimited(rate.words() + hint, wait)
    if answer.status in (403, 429) and "retry-after" in answer.headers:
        wait = retry_after(answer.headers)
        return RateLimited(f"GitHub asks to slow down{detail}; try again {wait_words(wait)}", wait)
    if answer.status == 401:
        return CommentsUnavailable(f"GitHub refused the token{detail}: check {SETTING}")
    if answer.status == 404:
        return CommentsUnavailable(f"{what}: GitHub has no such repository or thread{detail}"
                                   " (or it is private)")  # fmt: skip
    return CommentsUnavailable(f"{what}: GitHub answered HTTP {answer.status}{detail}")


class Session:
    """GitHub requests of one thread load (or one reply): the token, the last rate limit seen."""

    def __init__(self, client: httpx.AsyncClient, root: str, token: str, what: str) -> None:
        self.client = client
        self.root = root.rstrip("/")
        self.token = token
        self.what = what
        self.rate: RateLimit | None = None
        """The last rate limit GitHub named (of whichever resource answered last)."""
        self.rates: dict[str, RateLimit] = {}
        """The last rate limit of each resource ("core", "search", "graphql")."""
        self.media = MEDIA_HTML
        """The REST media type asked for (the poster asks for `MEDIA_FULL`: bodies as written)."""

    @property
    def note(self) -> str:
        """The rate limit in words ("" before any answer)."""
        return self.rate.words() if self.rate else ""

    def headers(self) -> dict[str, str]:
        """What every request sends (the token only when there is one)."""
        sent = {"Accept": self.media, **_VERSION}
        return sent | ({"Authorization": f"Bearer {self.token}"} if self.token else {})

    def exhausted(self, resource: str = "core") -> bool:
        """True when a request to `resource` would take one of its last RESERVE requests."""
        rate = self.rates.get(resource)
        return rate is not None and rate.remaining <= RESERVE

    def saw(self, answer: Answer) -> None:
        """Keep the rate limit an answer names."""
        if (found := rate_of(answer.headers)) is not None:
            self.rate = self.rates[found.resource] = found

    async def get(self, path_or_url: str, query: dict[str, str] | None = None) -> Answer:
        """GET a REST resource (a path under the root, or a full URL from a Link header on the
        root's origin); raises CommentsUnavailable for every unsuccessful answer."""
        url = path_or_url if "://" in path_or_url else f"{self.root}{path_or_url}"
        if not url.startswith(self.root + "/"):
            raise CommentsUnavailable(f"{self.what}: GitHub pointed elsewhere; not followed")
        resource = "search" if url.startswith(f"{self.root}/search/") else "core"
        if self.exhausted(resource):
            words = self.rates[resource].words()
            raise RateLimited(f"{words}; blogtui leaves the last {RESERVE} unused", None)
        url += f"?{urlencode(query)}" if query else ""
        answer = await api_get(self.client, url, self.what, headers=self.headers(),
                               secret=bool(self.token))  # fmt: skip
        self.saw(answer)
        if not 200 <= answer.status < 300:
            raise error_of(answer, self.what, self.token, bool(self.token))
        return answer

    async def graphql(self, operation: str, query: str, variables: dict[str, Any]) -> Any:
        """The `data` of one GraphQL call; raises CommentsUnavailable (naming the setting when
        there is no token, or a bad one)."""
        if not self.token:
            raise CommentsUnavailable(f"{self.what}: GitHub shows discussions only to signed-in"
                                      f" API users: reading them needs {SETTING}")  # fmt: skip
        body = {"operationName": operation, "query": query, "variables": variables}
        answer = await post_json(self.client, f"{self.root}/graphql", body, self.headers(),
                                 self.what)  # fmt: skip
        self.saw(answer)
        if answer.status != 200:
            raise error_of(answer, self.what, self.token, True)
        errors = mapping(answer.data).get("errors")
        if isinstance(errors, list) and errors:
            first = mapping(errors[0])
            said = clean(first.get("message"), limit=200).replace(self.token, "***")
            if first.get("type") == "RATE_LIMITED":
                raise RateLimited(f"GitHub: the hour's GraphQL budget is used up ({said})", None)
            raise CommentsUnavailable(f"{self.what}: GitHub said: {said or 'an error'}")
        return mapping(answer.data).get("data")


async def post_json(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], what: str
) -> Answer:
    """POST `body` as JSON with credentials (only where `check_destination` allows, never
    redirected, at most MAX_BYTES back). Error statuses are returned; network failures, timeouts
    and redirects raise CommentsUnavailable (never naming the URL)."""
    try:
        check_destination(url)
    except (CredentialError, ValueError):
        raise CommentsUnavailable(f"{what}: a token goes only to an https address") from None
    sent = {**headers, "Content-Type": "application/json", "Accept-Encoding": "identity"}
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    try:
        async with asyncio.timeout(time_left()):
            async with client.stream("POST", url, content=data, headers=sent,
                                     follow_redirects=False) as reply:  # fmt: skip
                parts: list[bytes] = []
                async for chunk in reply.aiter_raw():
                    parts.append(chunk)
                    if sum(map(len, parts)) > MAX_BYTES:
                        raise CommentsUnavailable(f"{what}: the answer is too large")
                raw = b"".join(parts)
                got = {k.lower(): v for k, v in reply.headers.items()}
    except (TimeoutError, httpx.TimeoutException):
        raise CommentsUnavailable(f"{what}: no answer in time") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise CommentsUnavailable(f"{what}: connection failed ({type(error).__name__})") from None
    if 300 <= reply.status_code < 400:
        raise CommentsUnavailable(f"{what}: the server answered with a redirect; not followed")
    try:
        parsed = json.loads(raw.decode("utf-8-sig")) if raw.strip() else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        parsed = None
    return Answer(reply.status_code, got, parsed, raw)


async def session_for(client: httpx.AsyncClient, root: str, token: KeySource, what: str) -> Session:
    """A session with the user's token (looked up off the event loop: `gh` may be run)."""
    found = await asyncio.to_thread(token)
    return Session(client, root, found.strip(), what)


def page_term(mapping_: str, page: Page, *, canonical: bool) -> str:
    """The term an embed's mapping names for `page`, as its script computes it: "pathname" the
    path without its leading slash and extension ("index" for the root), "url" the address
    without its fragment (utterances takes the canonical link when there is one), "title" the
    page's `<title>`, "og:title" its `og:title`; any other value is the term itself."""
    if mapping_ == "pathname":
        path = urlsplit(page.url).path
        return "index" if len(path) < 2 else re.sub(r"\.\w+$", "", path[1:])
    if mapping_ == "url":
        return (page.link("canonical") if canonical else "") or page.url.split("#")[0]
    if mapping_ == "title":
        return page.title
    if mapping_ == "og:title":
        return page.meta.get("og:title", "")
    return mapping_


def valid_repo(value: str) -> str:
    """`OWNER/REPO` when `value` is one (GitHub's characters), else ""."""
    value = value.strip()
    return value if _REPO.fullmatch(value) else ""


def text_of(value: object, limit: int = 200_000) -> str:
    """A string field (cut at `limit`), "" for anything else."""
    return value[:limit] if isinstance(value, str) else ""


class GitHubEmbedProvider(CommentProvider):
    """What giscus and utterances share: the API root, the user's token, and a thread found by
    the embed on the article's page (`embed_ident`)."""

    kind = "blog"

    def __init__(self, api_root: str = API_ROOT, token: KeySource | None = None) -> None:
        self.api_root = api_root.rstrip("/")
        self.token: KeySource = token or token_source()

    def embed_ident(self, page: Page) -> str | None:
        """The thread's ident from the embed on `page`; None when the page has none."""
        raise NotImplementedError

    async def detect(
        self, client: httpx.AsyncClient, article: Article, hints: Hints
    ) -> Target | None:
        """A target when the article's page carries the embed."""
        page = await hints.page(client)
        ident = self.embed_ident(page) if page else None
        if ident is None:
            return None
        return Target(self.name, self.api_root, ident, expected=article.comment_count)
