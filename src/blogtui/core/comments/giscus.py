"""giscus (https://giscus.app): a blog's comments as a GitHub Discussion, read through GraphQL.

The article page loads `https://giscus.app/client.js` with `data-repo="OWNER/REPO"`,
`data-repo-id`, `data-category` (its name), `data-category-id` and `data-mapping`: pathname (the
default), url, title, og:title (the term computed from the page), specific (`data-term` is the
term) or number (`data-term` is the discussion's number). giscus searches the category's
discussions for the term in their titles (`data-strict="1"`: for the term's SHA-1 in their
bodies); blogtui sends the same search through GitHub's GraphQL API and takes the discussion whose
title contains the term. No discussion yet means no comments yet.

A discussion's comments have replies, one level deep (GitHub allows no deeper): both are paged
by cursors (100 a page; replies beyond a comment's first 100 are asked for per comment). Bodies
come as `bodyHTML`, cleaned by blogtui's one sanitiser when shown; a deleted comment (`deletedAt`)
keeps its place without text, a minimised one says so. GitHub's GraphQL API needs a token even to
read: without one the thread says what to run (`core.comments.github.SETTING`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import httpx

from blogtui.core.comments import utterances
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
from blogtui.core.comments.page import Page
from blogtui.core.comments.service import mapping
from blogtui.core.comments.utterances import epoch
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.models import CommentData

SCRIPT = re.compile(r"^https://giscus\.app/client\.js(?:[?#].*)?$")
WHAT = "giscus (GitHub Discussions)"
PER_PAGE = 100
MAX_REQUESTS = 120
"""GraphQL calls one read may make (comment pages plus further reply pages); then partial."""
_FIELDS = (
    "id url createdAt body bodyHTML viewerDidAuthor isMinimized minimizedReason deletedAt"
    " author { login url }"
)
_DISCUSSION = "id number title url locked closed repository { nameWithOwner }"
FIND = f"""query BlogtuiFindDiscussion($query: String!) {{
  search(type: DISCUSSION, query: $query, first: 20) {{
    discussionCount nodes {{ ... on Discussion {{ {_DISCUSSION} }} }}
  }}
}}"""
BY_NUMBER = f"""query BlogtuiDiscussionByNumber($owner: String!, $name: String!, $number: Int!) {{
  repository(owner: $owner, name: $name) {{ discussion(number: $number) {{ {_DISCUSSION} }} }}
}}"""
_REPLIES = f"pageInfo {{ hasNextPage endCursor }} nodes {{ {_FIELDS} replyTo {{ id }} }}"
COMMENTS = f"""query BlogtuiDiscussionComments($id: ID!, $after: String) {{
  node(id: $id) {{ ... on Discussion {{
    comments(first: {PER_PAGE}, after: $after) {{
      totalCount pageInfo {{ hasNextPage endCursor }}
      nodes {{ {_FIELDS} replies(first: {PER_PAGE}) {{ totalCount {_REPLIES} }} }}
    }}
  }} }}
}}"""
REPLIES = f"""query BlogtuiCommentReplies($id: ID!, $after: String) {{
  node(id: $id) {{ ... on DiscussionComment {{ replies(first: {PER_PAGE}, after: $after) {{
    {_REPLIES} }} }} }}
}}"""
_NODE_ID = re.compile(r"[A-Za-z0-9_=-]{1,120}")


@dataclass(frozen=True, slots=True)
class GiscusEmbed:
    """What a page's giscus script says: the repository, category, and term or number."""

    repo: str
    category: str = ""
    term: str = ""
    number: int | None = None
    strict: bool = False

    @property
    def ident(self) -> str:
        """The target's ident: repository, category, number, strictness and term, a line each."""
        return "\n".join((self.repo, self.category, str(self.number or ""),
                          "1" if self.strict else "", self.term))  # fmt: skip


def parse_ident(ident: str) -> GiscusEmbed:
    """The embed a target's ident stands for."""
    repo, category, number, strict, term = (ident.split("\n", 4) + [""] * 4)[:5]
    return GiscusEmbed(repo, category, term, int(number) if number.isdigit() else None,
                       strict == "1")  # fmt: skip


def find_embed(page: Page) -> GiscusEmbed | None:
    """The page's giscus embed, or None. Raises CommentsUnavailable for one that names no
    repository or whose mapping gives no term on this page."""
    for attrs in page.script_attrs:
        if not SCRIPT.match(attrs.get("src", "")):
            continue
        repo = valid_repo(attrs.get("data-repo", ""))
        if not repo:
            raise CommentsUnavailable("the page's giscus script names no repository (data-repo)")
        category = attrs.get("data-category", "").strip()
        mapping_ = attrs.get("data-mapping", "").strip() or "pathname"
        given = attrs.get("data-term", "").strip()
        if mapping_ == "number":
            if not given.isdigit():
                raise CommentsUnavailable("the page's giscus script maps by number but its"
                                          " data-term is not one")  # fmt: skip
            return GiscusEmbed(repo, category, number=int(given))
        if mapping_ == "specific":
            term = given
        elif mapping_ in ("pathname", "url", "title", "og:title"):
            term = page_term(mapping_, page, canonical=False)
        else:
            raise CommentsUnavailable(f"the page's giscus script has an unknown data-mapping"
                                      f" ({mapping_[:40]!r})")  # fmt: skip
        if not term.strip():
            raise CommentsUnavailable(f"the page's giscus script maps by {mapping_[:40]}, which"
                                      " gives nothing on this page")  # fmt: skip
        return GiscusEmbed(repo, category, term.strip(), strict=attrs.get("data-strict") == "1")
    return None


def search_query(embed: GiscusEmbed) -> str:
    """The discussion search giscus makes: by title, or (strict) by the term's SHA-1."""
    category = f' category:"{embed.category.replace(chr(34), " ")}"' if embed.category else ""
    if embed.strict:
        digest = hashlib.sha1(embed.term.encode("utf-8")).hexdigest()
        return f"repo:{embed.repo}{category} in:body {digest}"
    return f"repo:{embed.repo}{category} in:title {embed.term}"


async def find_discussion(session: Session, embed: GiscusEmbed) -> dict[str, Any] | None:
    """The discussion the embed names, or None when there is none yet."""
    if embed.number is not None:
        owner, name = embed.repo.split("/", 1)
        variables: dict[str, Any] = {"owner": owner, "name": name, "number": embed.number}
        data = await session.graphql("BlogtuiDiscussionByNumber", BY_NUMBER, variables)
        return mapping(mapping(mapping(data).get("repository")).get("discussion")) or None
    data = await session.graphql("BlogtuiFindDiscussion", FIND, {"query": search_query(embed)})
    nodes = [mapping(n) for n in mapping(mapping(data).get("search")).get("nodes") or []]
    # a term may hold search qualifiers of its own: only the embed's repository counts
    nodes = [node for node in nodes if _NODE_ID.fullmatch(text_of(node.get("id")))
             and _repo_of(node) == embed.repo.lower()]  # fmt: skip
    if embed.strict:
        return nodes[0] if nodes else None
    wanted = embed.term.lower()
    return next((n for n in nodes if wanted in text_of(n.get("title")).lower()), None)


def _repo_of(node: dict[str, Any]) -> str:
    """The `OWNER/REPO` a discussion belongs to, lowercased."""
    return text_of(mapping(node.get("repository")).get("nameWithOwner"), 200).lower()


def comment_of(node: Any, parent: str = "") -> CommentData | None:
    """One discussion comment or reply (to `parent`); None without a usable id."""
    node = mapping(node)
    key = text_of(node.get("id"))
    if not _NODE_ID.fullmatch(key):
        return None
    author = mapping(node.get("author"))
    login = text_of(author.get("login"), 100) or "ghost"
    content, status = text_of(node.get("bodyHTML")), "approved"
    if node.get("deletedAt"):
        content, status = "", "deleted"
    elif node.get("isMinimized") is True:
        why = text_of(node.get("minimizedReason"), 40).lower().replace("_", " ")
        content = f"<p>(hidden on GitHub{': ' + why if why else ''})</p>"
    return CommentData(key=key, parent_key=parent, author=login, content=content,
                       published=epoch(node.get("createdAt")),
                       author_url=text_of(author.get("url"), 500),
                       link=text_of(node.get("url"), 500), status=status,
                       author_key=user_key(author.get("login")))  # fmt: skip


def _page(connection: Any) -> tuple[list[Any], str]:
    """A connection's nodes and the cursor of its next page ("" for none)."""
    found = mapping(connection)
    info = mapping(found.get("pageInfo"))
    more = text_of(info.get("endCursor"), 400) if info.get("hasNextPage") is True else ""
    nodes = found.get("nodes")
    return (nodes if isinstance(nodes, list) else []), more


class Reader:
    """Reads one discussion's comments and replies within MAX_REQUESTS calls: `comments` as
    shown, `nodes` as GitHub gave them (with their parent's id, "" at the top)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.calls = 0
        self.partial = False
        self.comments: list[CommentData] = []
        self.nodes: list[tuple[dict[str, Any], str]] = []

    async def call(self, operation: str, query: str, variables: dict[str, Any]) -> Any:
        """One GraphQL call, or None (partial) when the budget is spent."""
        if self.calls >= MAX_REQUESTS:
            self.partial = True
            return None
        self.calls += 1
        return await self.session.graphql(operation, query, variables)

    async def read(self, discussion: str) -> None:
        """Every page of comments, each followed by its replies."""
        after: str | None = None
        while True:
            data = await self.call("BlogtuiDiscussionComments", COMMENTS,
                                   {"id": discussion, "after": after})  # fmt: skip
            if data is None:
                return
            nodes, more = _page(mapping(mapping(data).get("node")).get("comments"))
            for node in nodes:
                await self.add(node)
            if not more or not nodes or more == after:
                return
            after = more

    async def add(self, node: Any) -> None:
        """A top-level comment and all its replies."""
        comment = comment_of(node)
        if comment is None:
            return
        self.keep(node, comment)
        replies, more = _page(mapping(node).get("replies"))
        while True:
            for reply in replies:
                if (answer := comment_of(reply, comment.key)) is not None:
                    self.keep(reply, answer)
            if not more:
                return
            try:
                data = await self.call("BlogtuiCommentReplies", REPLIES,
                                       {"id": comment.key, "after": more})  # fmt: skip
            except CommentsUnavailable:
                data = None
            if data is None:
                self.partial = True
                return
            replies, after = _page(mapping(mapping(data).get("node")).get("replies"))
            more = "" if after == more else after

    def keep(self, node: Any, comment: CommentData) -> None:
        """One comment read."""
        self.comments.append(comment)
        self.nodes.append((mapping(node), comment.parent_key))


def systems(page: Page) -> list[str]:
    """The GitHub comment systems `page` embeds, each with its repository (or what is wrong
    with its settings), for `registry.page_systems`."""
    found: list[str] = []
    for name, finder in (("giscus", find_embed), ("utterances", utterances.find_embed)):
        try:
            embed = finder(page)
        except CommentsUnavailable as error:
            found.append(f"{name} ({error.message})")
            continue
        if embed is not None:
            found.append(f"{name} (GitHub {embed.repo})")
    return found


class GiscusProvider(GitHubEmbedProvider):
    """Comments and their replies from the GitHub Discussion a giscus embed names."""

    name = "giscus"
    label = "giscus (GitHub Discussions)"

    def embed_ident(self, page: Page) -> str | None:
        """The thread's ident from the giscus embed on `page`."""
        embed = find_embed(page)
        return embed.ident if embed else None

    async def fetch(self, client: httpx.AsyncClient, target: Target) -> FetchedThread:
        """The discussion's comments with their replies; none when it does not exist yet."""
        session = await session_for(client, self.api_root, self.token, WHAT)
        discussion = await find_discussion(session, parse_ident(target.ident))
        if discussion is None:
            return FetchedThread([], False, True, note=session.note)
        reader = Reader(session)
        try:
            await reader.read(text_of(discussion.get("id")))
        except CommentsUnavailable:
            if not reader.comments:
                raise
            reader.partial = True
        closed = discussion.get("locked") is True or discussion.get("closed") is True
        return FetchedThread(reader.comments, reader.partial, not closed, note=session.note)
