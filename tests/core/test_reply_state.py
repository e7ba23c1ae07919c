"""The one reply-state type, its wording, and the one identity rule."""

from __future__ import annotations

import time

import pytest

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.file import Draft
from blogtui.core.posting.identity import reply_identity
from blogtui.core.posting.state import ReplyState, state_line

DUE = {"queued", "sending", "unsure", "duplicate", "unnotified"}
PENDING = DUE | {"unconfirmed"}


def test_values_are_the_stored_strings():
    assert {state.value for state in ReplyState} == PENDING | {
        "posted", "held", "closed", "rejected", "failed",
    }  # fmt: skip
    assert ReplyState("held") is ReplyState.HELD and ReplyState.HELD == "held"


@pytest.mark.parametrize("state", list(ReplyState))
def test_properties(state: ReplyState):
    assert state.due == (state.value in DUE)
    assert state.pending == (state.value in PENDING)
    assert state.asks_user == (state.value == "unconfirmed")
    assert state.final != state.pending
    assert state.posted == (state.value in {"posted", "held"})
    assert state.needs_browser == (state.value in {"closed", "failed"})
    assert state.label


def test_state_line():
    retry = time.mktime((2026, 1, 2, 12, 3, 4, 0, 0, -1))
    assert (
        state_line(ReplyState.QUEUED, "too quickly", retry)
        == "queued: too quickly · retry 12:03:04"
    )
    assert state_line("held") == "posted, awaiting moderation"
    assert state_line(ReplyState.POSTED, "ignored", retry) == "posted"
    assert state_line(ReplyState.REJECTED, "spam", retry) == "rejected: spam"
    assert state_line("from-the-future", "why") == "from-the-future: why"
    unconfirmed = state_line(ReplyState.UNCONFIRMED, "sent 2026-01-02 12:00 (timed out)", retry)
    assert unconfirmed == (
        "may already be on the blog; not sent again unless you ask:"
        " sent 2026-01-02 12:00 (timed out)"
    )  # no retry time: nothing happens by itself


NOBODY = Identity()


def draft(identity: Identity = NOBODY, url: str = "https://Blog.example/post", blog: str = ""):
    name, email, website = identity.name, identity.email, identity.website
    return Draft(id="d1", article_url=url, blog=blog, name=name, email=email, website=website)


def test_reply_identity():
    mine, there = Identity("Me", "me@example.org"), Identity("Other", "o@example.org")
    config = Config(identity=mine, blog_identities={"blog.example": there, "named.blog": there})
    assert reply_identity(config, draft()) == there
    assert reply_identity(config, draft(Identity("Own", "own@example.org"))).name == "Own"
    assert reply_identity(config, draft(Identity("No email"))) == there
    assert reply_identity(config, draft(url="", blog="named.blog")) == there
    assert reply_identity(config, draft(url="https://elsewhere.example/")) == mine


def test_the_cli_words_states_as_the_tui_does():
    from blogtui.cli.posting import describe
    from blogtui.core.posting.outbox import SendResult

    retry = time.mktime((2026, 1, 2, 12, 3, 4, 0, 0, -1))
    queued = SendResult("d1", ReplyState.QUEUED, "too quickly", next_attempt=retry)
    assert describe(queued) == "d1 " + state_line(ReplyState.QUEUED, "too quickly", retry)
    held = SendResult("d2", ReplyState.HELD, "awaiting moderation", "7", "https://b.example/#c7")
    assert describe(held) == "d2 posted, awaiting moderation: https://b.example/#c7"
    failed = SendResult("d3", ReplyState.FAILED, "no comment form")
    assert describe(failed) == "d3 cannot be posted from blogtui: no comment form"
