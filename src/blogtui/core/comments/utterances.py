"""utterances (https://utteranc.es): a blog's comments as the comments of a GitHub issue.

The article page loads `https://utteranc.es/client.js` with `repo="OWNER/REPO"` and either
`issue-term` (pathname | url | title | og:title, or any other text: the term itself) or
`issue-number`. utterances finds the issue by searching `"TERM" type:issue in:title
repo:OWNER/REPO` and taking the first result whose title contains the term (else the first);
blogtui does the same, through GitHub's REST API. No issue yet means no comments yet.

Issue comments are flat: `GET /repos/O/R/issues/N/comments?per_page=100`, paged by the Link
header's rel="next"; each has `id`, `user` {login, html_url}, `created_at`, `html_url` and (with
the html media type) `body_html`, which blogtui's one sanitiser cleans when it is shown. A comment
that opens with a quote linking an earlier comment of the issue (`#issuecomment-ID`, as blogtui's
replies do: `core.posting.github`) is shown as that comment's reply, without the quote.
Reading needs no token (60 requests an hour; with one, 5,000): see `core.comments.github`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from blogtui.core.comments.base import FetchedThread, Target
from blogtui.core.comments.github import (
    GitHubEmbedProvider,
    Session,
    page_term,
    session_for,
    text_of,
    user_key,
    valid_repo,
)
from blogtui.core.comments.page import Page, link_header
from blogtui.core.comments.service import RateLimited, mapping
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import CommentData

SCRIPT = re.compile(r"^https://utteranc\.es/client\.js(?:[?#].*)?$")
WHAT = "utterances (GitHub issues)"
PER_PAGE = 100
MAX_PAGES = 50
"""At most this many pages (5,000 comments) are read; a longer issue is marked partial."""
_QUOTED = re.compile(r"^\s*<blockquote>(.*?)</blockquote>\s*", re.S)
_ANSWERED = re.compile(r"href=\"[^\"]*#issuecomment-(\d{1,20})\"")


@dataclass(frozen=True, slots=True)
class UtterancesEmbed:
    """What a page's utterances script says: the repository, and the issue's term or number."""

    repo: str
    term: str = ""
    number: int | None = None

    @property
    def ident(self) -> str:
        """The target's ident: `OWNER/REPO`, number and term, one a line."""
        return f"{self.repo}\n{self.number or ''}\n{self.term}"


def parse_ident(ident: str) -> UtterancesEmbed:
    """The embed a target's ident stands for."""
    repo, number, term = (ident.split("\n", 2) + ["", ""])[:3]
    return UtterancesEmbed(repo, term, int(number) if number.isdigit() else None)


def find_embed(page: Page) -> UtterancesEmbed | None:
    """The page's utterances embed, or None. Raises CommentsUnavailable for one that names no
    repository or no issue (utterances itself shows an error then)."""
    for attrs in page.script_attrs:
        if not SCRIPT.match(attrs.get("src", "")):
            continue
        repo = valid_repo(attrs.get("repo", ""))
        if not repo:
            raise CommentsUnavailable("the page's utterances script names no repository (`repo`)")
        number = attrs.get("issue-number", "").strip()
        if number.isdigit() and "issue-term" not in attrs:
            return UtterancesEmbed(repo, number=int(number))
        term = page_term(attrs.get("issue-term", "").strip(), page, canonical=True)
        if not term.strip():
            raise CommentsUnavailable("the page's utterances script names no issue: its"
                                      " `issue-term` gives nothing on this page")  # fmt: skip
        return UtterancesEmbed(repo, term.strip())
    return None


def epoch(value: object) -> float | None:
    """An ISO 8601 time ("2024-03-01T10:00:00Z") as a Unix time."""
    try:
        return datetime.fromisoformat(value).timestamp() if isinstance(value, str) else None
    except ValueError:
        return None


def comment_of(item: Any, earlier: set[str]) -> CommentData | None:
    """One issue comment; a reply (by its opening quote) to a comment in `earlier`."""
    if not isinstance(item, dict) or isinstance(item.get("id"), bool):
        return None
    key = str(item.get("id", ""))
    if not key.isdigit() or len(key) > 20:
        return None
    user = mapping(item.get("user"))
    content = text_of(item.get("body_html"))
    if not content and (body := text_of(item.get("body"))):
        content = f"<p>{html.escape(body)}</p>"
    parent = ""
    if (quoted := _QUOTED.match(content)) and (answered := _ANSWERED.search(quoted.group(1))):
        if answered.group(1) in earlier:
            parent, content = answered.group(1), content[quoted.end() :]
    return CommentData(key=key, parent_key=parent, author=text_of(user.get("login"), 100),
                       content=content, published=epoch(item.get("created_at")),
                       author_url=text_of(user.get("html_url"), 500),
                       link=text_of(item.get("html_url"), 500),
                       author_key=user_key(user.get("login")))  # fmt: skip


def comments_of(items: list[Any]) -> list[CommentData]:
    """Issue comments in order, each reply linked to the earlier comment it quotes."""
    found: list[CommentData] = []
    earlier: set[str] = set()
    for item in items:
        if (comment := comment_of(item, earlier)) is not None:
            found.append(comment)
            earlier.add(comment.key)
    return found


async def find_issue(session: Session, embed: UtterancesEmbed) -> dict[str, Any] | None:
    """The issue the embed names (as GitHub gives it), or None when there is none yet."""
    owner_repo = embed.repo
    if embed.number is not None:
        answer = await session.get(f"/repos/{owner_repo}/issues/{embed.number}")
        return mapping(answer.data) or None
    term = embed.term.replace('"', " ")
    query = {"q": f'"{term}" type:issue in:title repo:{owner_repo}', "sort": "created",
             "order": "asc"}  # fmt: skip
    answer = await session.get("/search/issues", query)
    items = [mapping(item) for item in mapping(answer.data).get("items") or []]
    own = f"/repos/{owner_repo}".lower()  # a term may hold search qualifiers of its own
    items = [item for item in items if item.get("number")
             and text_of(item.get("repository_url"), 300).lower().endswith(own)]  # fmt: skip
    lowered = embed.term.lower()
    for item in items:
        if lowered in text_of(item.get("title")).lower():
            return item
    return items[0] if items else None


async def read_comments(session: Session, repo: str, number: int) -> tuple[list[Any], bool]:
    """Every comment of issue `number` (raw), and whether the list is partial."""
    items: list[Any] = []
    url: str = f"/repos/{repo}/issues/{number}/comments"
    query: dict[str, str] | None = {"per_page": str(PER_PAGE)}
    seen: set[str] = set()
    for _page in range(MAX_PAGES):
        try:
            answer = await session.get(url, query)
        except CommentsUnavailable:
            if not items:
                raise
            return items, True
        page = answer.data if isinstance(answer.data, list) else []
        items.extend(page)
        nexts = [link.href for link in link_header(answer.headers.get("link", ""), session.root)
                 if "next" in link.rel]  # fmt: skip
        if not nexts or not page or nexts[0] in seen:
            return items, False
        url, query = nexts[0], None
        seen.add(url)
    return items, True


class UtterancesProvider(GitHubEmbedProvider):
    """Comments from the GitHub issue an utterances embed names."""

    name = "utterances"
    label = "utterances (GitHub issues)"

    def embed_ident(self, page: Page) -> str | None:
        """The thread's ident from the utterances embed on `page`."""
        embed = find_embed(page)
        return embed.ident if embed else None

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The issue's comments, oldest first; none when no one has commented yet."""
        embed = parse_ident(target.ident)
        session = await session_for(client, self.api_root, self.token, WHAT)
        issue = await find_issue(session, embed)
        number = issue.get("number") if issue else None
        if not isinstance(number, int) or isinstance(number, bool):
            return FetchedThread([], False, True, note=session.note)
        try:
            items, partial = await read_comments(session, embed.repo, number)
        except RateLimited as error:
            raise RateLimited(f"{WHAT}: {error.message}", error.wait) from None
        locked = mapping(issue).get("locked") is True
        return FetchedThread(comments_of(items), partial, not locked, note=session.note)
