"""One outbox item being worked on (`core.posting.outbox`), and what is made of it: the request
a poster sends, the outcome a reply found on the blog stands for, the sent reply as a comment."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass

from blogtui.core.config import Identity
from blogtui.core.drafts.file import Draft
from blogtui.core.models import Article, CommentData, OutboxItem
from blogtui.core.posting.base import Outcome, PostOutcome, ReplyRequest
from blogtui.core.posting.lookup import Sought, stand_in


@dataclass
class Job:
    """One item being worked on."""

    item: OutboxItem
    draft: Draft
    article: Article | None
    identity: Identity
    now: float

    @property
    def sought(self) -> Sought:
        return Sought(self.item.parent_key, self.identity.name, self.draft.text)

    @property
    def where(self) -> Article:
        return self.article or stand_in(self.draft.article_url, self.draft.article_title)


def reply_request(job: Job) -> ReplyRequest:
    """What the poster sends for the item: the draft's text to its article and parent."""
    draft = job.draft
    return ReplyRequest(draft.article_url, job.item.parent_key, draft.text, job.identity,
                        article_title=draft.article_title)  # fmt: skip


def outcome_of(found: CommentData) -> PostOutcome:
    """The outcome a reply found on the blog stands for."""
    held = found.status not in ("approved", "")
    return PostOutcome(Outcome.HELD if held else Outcome.POSTED, found.key, found.link)


def mine(job: Job, key: str, url: str, *, held: bool) -> CommentData:
    """The sent reply as a comment of the stored thread."""
    paragraphs = [p.strip() for p in job.draft.text.split("\n\n") if p.strip()]
    content = "".join(f"<p>{html.escape(p).replace(chr(10), '<br />')}</p>" for p in paragraphs)
    return CommentData(key=key, parent_key=job.item.parent_key, author=job.identity.name,
                       content=content, published=time.time(), author_url=job.identity.website,
                       link=url, status="hold" if held else "approved")  # fmt: skip
