"""One word for how a feed's refresh went, shared by `refresh`, `feeds`, the TUI and exit codes.

| word      | meaning                                                         | exit status |
|-----------|-----------------------------------------------------------------|-------------|
| ok        | fetched and read                                                | 0           |
| repaired  | the document was broken, but its articles were read             | 0           |
| unchanged | the server said nothing changed (HTTP 304)                      | 0           |
| waiting   | the server asked us to wait (HTTP 429/503); retried after a time | 0           |
| skipped   | not fetched: waiting until a time (`refresh --force` fetches)    | 0           |
| gone      | the server says the feed no longer exists (HTTP 410); not       | 1           |
|           | fetched again unless forced                                      |             |
| failed    | nothing could be read (network, HTTP error, not a feed)         | 1           |

A refresh exits 1 when any feed failed or is gone (fetched or skipped): both need the user.
A command that cannot run at all (a bad argument, no feed found by `add`, an unusable
database) exits 2. When a feed may be fetched is one rule, `is_due`, for the reader, `refresh`
and the store.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from blogtui.core.models import Feed

MALFORMED = "malformed: "
"""How a repaired feed's stored note begins."""
EXIT_OK = 0
EXIT_NEEDS_ATTENTION = 1
"""Some feed failed or is gone."""
EXIT_ERROR = 2
"""The command itself could not run (see cli.main)."""


class Outcome(StrEnum):
    """How a feed's refresh went (the word every surface shows)."""

    OK = "ok"
    REPAIRED = "repaired"
    UNCHANGED = "unchanged"
    WAITING = "waiting"
    SKIPPED = "skipped"
    GONE = "gone"
    FAILED = "failed"

    @property
    def needs_attention(self) -> bool:
        """True for outcomes that make a refresh exit 1."""
        return self in (Outcome.GONE, Outcome.FAILED)


ORDER = tuple(Outcome)
"""The order outcome counts are listed in."""


def outcome_word(
    *,
    status: int | None,
    error: str,
    not_modified: bool = False,
    skipped: bool = False,
    gone: bool = False,
) -> Outcome:
    """The word for one refresh (or the last one stored) from its facts."""
    if skipped:
        return Outcome.SKIPPED
    if gone or status == 410:
        return Outcome.GONE
    if status in (429, 503) and error:
        return Outcome.WAITING
    if not_modified or (status == 304 and not error.startswith(MALFORMED)):
        return Outcome.UNCHANGED
    if error.startswith(MALFORMED):
        return Outcome.REPAIRED
    if error:
        return Outcome.FAILED
    return Outcome.OK


def clock(moment: float) -> str:
    """A local time for people: "21:59", or with its date when it is a day or more away."""
    return time.strftime("%H:%M" if moment - time.time() < 20 * 3600 else "%Y-%m-%d %H:%M",
                         time.localtime(moment))  # fmt: skip


def is_due(feed: Feed, now: float) -> bool:
    """True when `feed` may be fetched now: not gone (HTTP 410) and not waiting out a
    Retry-After or backoff time. The one rule of the reader, `blogtui refresh` and the store;
    only an explicit force (`refresh --force`) overrides it."""
    return not feed.gone and (feed.next_fetch is None or feed.next_fetch <= now)


def feed_state(feed: Feed, now: float | None = None) -> tuple[Outcome | None, str]:
    """A stored feed's last outcome and its detail, for `feeds` and the feed list.

    (None, "") when the feed was never refreshed. A repaired feed answering 304 stays
    repaired (its document has not changed since).
    """
    moment = time.time() if now is None else now
    if feed.last_checked is None and not feed.gone:
        return None, ""
    word = outcome_word(status=feed.last_status, error=feed.last_error, gone=feed.gone)
    if word is Outcome.GONE:
        return word, "the server says this feed no longer exists (HTTP 410)"
    if word is Outcome.WAITING and feed.next_fetch is not None and feed.next_fetch > moment:
        return word, f"until {clock(feed.next_fetch)}: {feed.last_error}"
    if word is Outcome.REPAIRED:
        return word, feed.last_error.removeprefix(MALFORMED)
    return word, feed.last_error


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's refresh went. `error` is "" on success."""

    feed_id: int
    url: str
    status: int | None
    new_articles: int = 0
    error: str = ""
    not_modified: bool = False
    skipped: bool = False
    """Not fetched: gone, or waiting for a Retry-After/backoff time (see `force`)."""
    gone: bool = False
    """Skipped because the feed is gone (HTTP 410 before): its word is "gone"."""
    next_fetch: float | None = None
    """When the feed may be fetched again (waiting or skipped), if there is such a time."""

    @property
    def word(self) -> Outcome:
        """The one word for this outcome (core/feeds/outcome.py)."""
        return outcome_word(
            status=self.status,
            error=self.error,
            not_modified=self.not_modified,
            skipped=self.skipped and not self.gone,
            gone=self.gone,
        )

    @property
    def detail(self) -> str:
        """What follows the word on a line: new articles, or the reason."""
        word = self.word
        if self.skipped and self.gone:
            return "gone (HTTP 410 before)"
        until = f"waiting until {clock(self.next_fetch)}" if self.next_fetch else ""
        if word is Outcome.SKIPPED:
            return until or self.error or "waiting until its retry time"
        if word is Outcome.WAITING and until:
            return f"{self.error}: {until}"
        if word in (Outcome.OK, Outcome.REPAIRED):
            new = f"{self.new_articles} new"
            return f"{new} ({self.error})" if word is Outcome.REPAIRED else new
        return self.error


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """Totals of one refresh and each feed's outcome, in the order the feeds were given.

    `ok` counts feeds read without complaint, `failed` feeds nothing could be read from;
    `counts` has every outcome word (core/feeds/outcome.py).
    """

    ok: int
    failed: int
    not_modified: int
    new_articles: int
    outcomes: list[FeedOutcome] = field(default_factory=list)
    skipped: int = 0
    counts: dict[Outcome, int] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        """1 when a feed failed or is gone (they need the user), else 0."""
        attention = any(self.counts.get(word, 0) for word in Outcome if word.needs_attention)
        return EXIT_NEEDS_ATTENTION if attention else EXIT_OK

    def describe(self) -> str:
        """The totals in words: "2 new article(s); 1 ok, 1 repaired, 0 failed"."""
        words = [
            f"{self.counts[word]} {word}"
            for word in ORDER
            if self.counts.get(word) and word is not Outcome.FAILED
        ]
        words.append(f"{self.counts.get(Outcome.FAILED, 0)} {Outcome.FAILED}")
        return f"{self.new_articles} new article(s); {', '.join(words)}"


def summarize(outcomes: list[FeedOutcome]) -> RefreshSummary:
    """Count the outcomes of a refresh, by word."""
    counts = Counter(outcome.word for outcome in outcomes)
    return RefreshSummary(
        ok=counts[Outcome.OK],
        failed=counts[Outcome.FAILED],
        not_modified=counts[Outcome.UNCHANGED],
        new_articles=sum(o.new_articles for o in outcomes),
        outcomes=outcomes,
        skipped=counts[Outcome.SKIPPED],
        counts=dict(counts),
    )
