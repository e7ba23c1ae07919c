"""What every way of posting a reply is: the `Poster` interface and the values it trades in.

A poster sends ONE reply once. It never retries and never raises for what a server answered:
every answer (and every network failure) becomes a `PostOutcome`. Retrying, backoff and the
no-double-post rules live in `core.posting.outbox`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import httpx

from blogtui.core.config import Identity
from blogtui.core.text.markup import strip_tags
from blogtui.core.text.sanitize import clean


class Outcome(StrEnum):
    """What a blog made of one attempt to post a reply (the outbox decides what follows)."""

    POSTED = "posted"
    """The blog stored and published it."""
    HELD = "held"
    """The blog stored it, awaiting moderation."""
    DUPLICATE = "duplicate"
    """The blog says it has it already: never resend."""
    FLOOD = "flood"
    """Too fast: retry later."""
    CLOSED = "closed"
    """The post takes no comments."""
    REJECTED = "rejected"
    """The blog refused this reply (the message says why)."""
    UNAVAILABLE = "unavailable"
    """This blog offers no way to post this way."""
    FAILED = "failed"
    """A network or server failure, worth retrying."""

    @property
    def stored(self) -> bool:
        """The blog has the reply (published or held)."""
        return self in (Outcome.POSTED, Outcome.HELD)


_DEFAULT_PORTS = {"http": 80, "https": 443}
PATH_SHOWN = 80
"""At most this many characters of a URL's path are shown."""
DEADLINE = 30.0
"""Seconds one posting or lookup exchange with a blog may take in all."""
CONNECT_LIMIT = 15.0
"""Seconds connecting to the blog may take at most, within the deadline."""
MESSAGE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """One reply to send: where to, to which comment ("" = the post), the text and who from."""

    article_url: str
    parent_key: str
    text: str
    identity: Identity
    post_id: str = ""
    """The blog's post id when known (WordPress); posters find it themselves otherwise."""
    article_title: str = ""
    api_root: str = ""
    """A known REST root or comment server, when the thread was read through one."""


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What happened to one attempt.

    `message` is the server's reason, sanitised for display; `retry_after` seconds to wait
    (flood, 429/503) when known; `ambiguous` is True when the request may have reached the server
    although no answer arrived (the reply may exist: look before resending).
    """

    state: Outcome
    remote_id: str = ""
    remote_url: str = ""
    message: str = ""
    retry_after: float | None = None
    ambiguous: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        """True when the server stored the reply (published or held)."""
        return self.state.stored


class Poster(ABC):
    """A way of sending replies to a kind of blog (WordPress form, WordPress REST, Isso…).

    Posters keep no state between calls. `post` must not follow redirects with the reply, must
    not retry, and must report network failures as state "failed" with `ambiguous` set when the
    request may have been received.
    """

    name: str = ""

    @abstractmethod
    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Send `reply` once and say what the server answered."""


def send_timeout(deadline: float) -> httpx.Timeout:
    """The timeout of one send: `deadline` seconds in all, connecting CONNECT_LIMIT at most."""
    return httpx.Timeout(deadline, connect=min(deadline, CONNECT_LIMIT))


def sanitise(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A server's message (HTML or text) as one safe line: tags dropped, entities decoded."""
    return clean(strip_tags(text), limit=limit)


def network_outcome(error: Exception, *, sent: bool) -> PostOutcome:
    """A "failed" outcome for an httpx error; ambiguous when the request may have arrived."""
    connect = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    reason = (str(error).strip() or type(error).__name__).splitlines()[0][:200]
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        reason = "timed out"
    what = "cannot connect" if connect else "the connection failed"
    message = sanitise(f"{what}: {reason}")
    return PostOutcome(Outcome.FAILED, message=message, ambiguous=sent and not connect)


def server_error(status: int, body: str = "") -> PostOutcome:
    """A 5xx answer: worth retrying; the reply may have been stored unless it was a 503."""
    detail = sanitise(body, 120) if body and "<" not in body[:1] else ""
    message = f"the server answered HTTP {status}" + (f": {detail}" if detail else "")
    return PostOutcome(Outcome.FAILED, message=message, ambiguous=status != 503)


def shown_url(url: str) -> str:
    """`url` as it may be shown: no userinfo, no query or fragment (where tokens travel)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return "an unreadable address"
    if not parts.scheme or not host:
        return "an unreadable address"
    host = f"[{host}]" if ":" in host else host
    path = parts.path if len(parts.path) <= PATH_SHOWN else parts.path[: PATH_SHOWN - 1] + "…"
    tail = "?…" if parts.query else ""
    return sanitise(f"{parts.scheme}://{host}{f':{port}' if port else ''}{path}{tail}", 200)


def same_site(url: str, *others: str) -> bool:
    """True when `url` has the origin of one of `others` (or is its http -> https upgrade)."""
    target = _origin(url)
    for other in others:
        base = _origin(other)
        if target is None or base is None:
            continue
        if target == base or target == ("https", base[1], 443) and base[0::2] == ("http", 80):
            return True
    return False


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or _DEFAULT_PORTS[scheme]


def redirected(status: int, location: str, posted_to: str) -> PostOutcome:
    """A redirect answering a reply POST. It is never followed (the reply would go with it):
    the reply counts as not sent, and the message names where the blog pointed. It is
    `ambiguous`: the blog may have kept the reply all the same, so the outbox looks for it in
    the thread before saying so."""
    target = urljoin(posted_to, location.strip()) if location.strip() else ""
    where = f"a redirect to {shown_url(target)}" if target else f"HTTP {status} and no address"
    message = f"the blog answered with {where}; not sent"
    return PostOutcome(Outcome.UNAVAILABLE, message=message, ambiguous=True)


def normalise(text: str) -> str:
    """Text reduced for comparing a sent reply with what a server shows.

    Tags, entities, typographic quotes/dashes and whitespace differences are ignored (WordPress
    curls quotes, escapes & and wraps paragraphs).
    """
    plain = strip_tags(text)
    plain = plain.translate(_QUOTES).replace("---", "-").replace("--", "-")
    return " ".join(plain.split()).casefold()


_QUOTES = str.maketrans({
    "\u201e": '"', "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u2013": "-",
    "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u00d7": "x",
})  # fmt: skip
