"""Messages built from blog text end with one full stop and quote a title once; a queued
draft is named by its outbox state in `blogtui drafts` and on the drafts screen alike."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from support.app import press, running
from textual.widgets import OptionList

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.paths import Places
from blogtui.core.posting import queue_reply
from blogtui.core.posting.form import outcome_of
from blogtui.core.posting.outbox import SendResult
from blogtui.core.posting.state import ReplyState
from blogtui.core.store import Store
from blogtui.core.text.sentence import end_sentence, quoted
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.outbox_text import SentReply, toast
from blogtui.ui.services.replies_watch import replies_text

ADA = Identity("Ada", "ada@example.org")
POST = "https://blog.example.de/aepfel"
FLOOD = "You are posting comments too quickly. Slow down."
DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("Slow down.", "Slow down."), ("Slow down", "Slow down."), ("Really?", "Really?"),
        ("Er sagte „Hallo.“", "Er sagte „Hallo.“"), ("wait…", "wait…"), ("item: ", "item."),
        ("(see item.)", "(see item.)"),
    ],
)  # fmt: skip
def test_end_sentence_adds_a_stop_only_where_none_is(text: str, ended: str) -> None:
    assert end_sentence(text) == ended


@pytest.mark.parametrize(
    ("text", "shown"),
    [("Hallo", "“Hallo”"), ("“Hallo”", "“Hallo”"), ("„Grüße“", "„Grüße“"), ("«x»", "«x»")],
)
def test_quoted_quotes_once(text: str, shown: str) -> None:
    assert quoted(text) == shown


def report(state: ReplyState, message: str, title: str = "“Über Äpfel”") -> SentReply:
    return SentReply(SendResult("d1", state, message, next_attempt=None), None, title, POST)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (ReplyState.QUEUED, FLOOD),
        (ReplyState.REJECTED, "Please fill the required fields (name, email)."),
        (ReplyState.FAILED, "no comment form on this item."),
        (ReplyState.CLOSED, "Comments are closed!"),
        (ReplyState.DUPLICATE, DUPLICATE),
        (ReplyState.UNCONFIRMED, "sent 2026-12-03 22:00 (timed out); its comments cannot be read."),
        (ReplyState.POSTED, ""),
    ],
)  # fmt: skip
def test_toasts_never_double_stops_or_quotes(state: ReplyState, message: str) -> None:
    text, _ = toast(report(state, message))
    assert ".." not in text and "!." not in text and "?." not in text, text
    assert "““" not in text and "””" not in text, text
    assert "“Über Äpfel”" in text


def test_a_duplicate_says_so_in_those_words() -> None:
    outcome = outcome_of(409, "", "", "https://blog.example.de/wp-comments-post.php", POST)
    text, _ = toast(report(ReplyState.DUPLICATE, outcome.message))
    assert "duplicate: the blog already has this comment" in text, text
    assert text.count("duplicate") == 1


def test_the_replies_toast_ends_once() -> None:
    from blogtui.core.models import Comment

    comment = Comment(1, 1, "c2", "c1", "Dr. J.", "hi", None, 0.0, "", "", "approved")
    assert replies_text([comment]) == "1 new reply to you from Dr. J. Press W."


def queue_unsure(home: Places, store: Store) -> str:
    """A draft whose reply is in the outbox, its fate unknown ("unsure")."""
    drafts = DraftStore(home.drafts_dir)
    draft = drafts.new(blog="blog.example.de", article_url=POST, article_title="Äpfel",
                       identity=ADA, text="Nein, Äpfel.")  # fmt: skip
    queue_reply(store, drafts, draft, store.article_ids_by_link([POST])[POST])
    store.update_reply(draft.id, state=ReplyState.UNSURE, last_error="timed out",
                       next_attempt=4_000_000_000.0)  # fmt: skip
    return draft.id


async def test_drafts_cli_and_screen_name_a_queued_reply_by_its_outbox_state(
    make_app: Callable[..., BlogtuiApp], home: Places, store: Store
) -> None:
    draft_id = queue_unsure(home, store)
    label = ReplyState.UNSURE.label
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(home.config_dir.parent), "drafts"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=True,
    )  # fmt: skip
    assert f"{draft_id} [{label}, just now]" in done.stdout, done.stdout
    assert "[queued" not in done.stdout
    app = make_app(Config(identity=ADA))
    async with running(app) as pilot:
        await press(pilot, "D")
        options = app.screen.query_one("#drafts-list", OptionList).options
        prompt = str(options[0].prompt)
        assert f"[{label} · just now]" in prompt, prompt
        assert "[queued" not in prompt
