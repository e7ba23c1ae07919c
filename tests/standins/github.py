"""A GitHub API stand-in, written from GitHub's public REST and GraphQL documentation.

REST: `GET /search/issues?q=` ({"total_count", "incomplete_results", "items"}), `GET
/repos/O/R/issues/N`, `GET /repos/O/R/issues/N/comments?per_page=&page=` (a list; a `Link` header
with rel="next"/"last"/"first"/"prev"), `POST /repos/O/R/issues/N/comments` ({"body"} -> 201 and
the comment), `GET /user`. Media types: `application/vnd.github.html+json` gives `body_html`,
`.full+json` `body` and `body_html`, plain JSON `body`. Every answer carries X-RateLimit-Limit,
-Remaining, -Used, -Reset and -Resource ("core" 60 an hour without a token, 5,000 with one;
"search" 10 a minute without, 30 with). Errors are `{"message", "documentation_url"}`: 401 "Bad
credentials" (a wrong token, even for public reads), 401 "Requires authentication", 403 "API
rate limit exceeded for …" with X-RateLimit-Remaining 0, 404 "Not Found".

GraphQL: `POST /graphql` needs a token (401 "This endpoint requires you to be authenticated.").
Operations are told apart by `operationName` (the queries blogtui sends, see
`core.comments.giscus`): a discussion search (`search(type: DISCUSSION)`), a discussion by
number, a discussion's comments with their first replies, a comment's further replies, `viewer`,
and `addDiscussionComment` (`replyToId` must be a top-level comment). Connections are paged by
opaque cursors (`first` at most 100, `pageInfo {hasNextPage endCursor}`); errors come as
`{"data": …, "errors": [{"type", "path", "message"}]}`.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

COMMENT_OFFSET = 1_500_000_000
"""Issue comment n has id COMMENT_OFFSET + n."""
DOCS = "https://docs.github.com/rest"
RATE_TEXT = (
    "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests"
    " get a higher rate limit. Check out the documentation for more details.)"
)
_LIMITS = {("core", False): 60, ("core", True): 5000, ("search", False): 10,
           ("search", True): 30, ("graphql", True): 5000}  # fmt: skip


def node_id(number: int) -> str:
    """The GraphQL node id of discussion comment `number`."""
    return f"DC_kwDOBlog{number:06d}"


def two_levels(items: list[Item]) -> list[Item]:
    """`items` as GitHub Discussions can hold them: every reply under its top-level ancestor."""
    parents = {item.number: item.parent for item in items}

    def root(number: int) -> int:
        while parents.get(number):
            number = parents[number]
        return number

    return [Item(i.number, root(i.parent) if i.parent else 0, i.author, i.text) for i in items]


def markdown(body: str) -> str:
    """The little Markdown the tests write, rendered as GitHub would: paragraphs, `> ` quotes,
    [links](url); everything else escaped."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.split("\n")
        quoted = all(line.startswith(">") for line in lines)
        text = "<br>\n".join(_inline(line[1:].strip() if quoted else line) for line in lines)
        blocks.append(f"<blockquote>\n<p>{text}</p>\n</blockquote>" if quoted else f"<p>{text}</p>")
    return "\n".join(blocks)


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=True)
    return re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", r'<a href="\2">\1</a>', escaped)


@dataclass
class Issue:
    """An utterances issue: its comments are `items` (their parents are not GitHub's: flat)."""

    repo: str
    number: int
    title: str
    items: list[Item]
    locked: bool = False
    posted: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Discussion:
    """A giscus discussion: `items` two levels deep (see `two_levels`)."""

    repo: str
    number: int
    title: str
    category: str
    items: list[Item]
    body: str = ""
    locked: bool = False
    deleted: set[int] = field(default_factory=set)
    minimized: set[int] = field(default_factory=set)
    by_viewer: set[int] = field(default_factory=set)
    bodies: dict[int, str] = field(default_factory=dict)

    @property
    def ident(self) -> str:
        return f"D_kwDOBlog{self.number:04d}"


class GitHubStandIn(StandIn):
    """api.github.com on loopback, for the issues and discussions it holds."""

    def __init__(self, token: str = "ghp_testtoken0001", login: str = "juergen-m") -> None:
        super().__init__()
        self.token = token
        self.login = login
        self.issues: list[Issue] = []
        self.discussions: list[Discussion] = []
        self.used: dict[tuple[str, bool], int] = {}
        self.reset = int(time.time()) + 1800
        self.late: threading.Event | None = None
        """When set, a new comment is stored at once but its answer waits (at most 10 s) for
        this event: a client timeout after sending (GraphQL reads are POSTs too, so the base
        class's `hold` would hold them as well)."""

    def wait_late(self) -> None:
        if self.late is not None:
            self.late.wait(10)

    # --- the plumbing: tokens, rate limits, errors -------------------------------------------

    def headers(self, resource: str, authed: bool) -> dict[str, str]:
        limit = _LIMITS[(resource, authed)]
        used = self.used.get((resource, authed), 0)
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(max(limit - used, 0)),
                "X-RateLimit-Used": str(used), "X-RateLimit-Reset": str(self.reset),
                "X-RateLimit-Resource": resource}  # fmt: skip

    def error(self, status: int, message: str, resource: str, authed: bool) -> Reply:
        body = {"message": message, "documentation_url": DOCS}
        return Reply.json(status, body, **self.headers(resource, authed))

    def answer(self, seen: Seen) -> Reply:
        auth = seen.headers.get("authorization", "")
        authed = bool(auth)
        resource = "graphql" if seen.path == "/graphql" else "core"
        resource = "search" if seen.path.startswith("/search/") else resource
        if authed and auth != f"Bearer {self.token}":
            return self.error(401, "Bad credentials", "core", False)
        if resource == "graphql":
            if not authed:
                return self.error(401, "This endpoint requires you to be authenticated.",
                                  "core", False)  # fmt: skip
            return self.graphql(json.loads(seen.body or b"{}"))
        key = (resource, authed)
        if self.used.get(key, 0) >= _LIMITS[key]:
            return self.error(403, RATE_TEXT, resource, authed)
        self.used[key] = self.used.get(key, 0) + 1
        return self.rest(seen, resource, authed)

    # --- REST ----------------------------------------------------------------------------------

    def rest(self, seen: Seen, resource: str, authed: bool) -> Reply:
        hdrs = self.headers(resource, authed)
        media = seen.headers.get("accept", "")
        first = {name: values[0] for name, values in seen.query.items()}
        if seen.path == "/search/issues":
            return Reply.json(200, self.search(first.get("q", "")), **hdrs)
        if seen.path == "/user":
            if not authed:
                return self.error(401, "Requires authentication", resource, authed)
            return Reply.json(200, {"login": self.login, "id": 4242, "type": "User"}, **hdrs)
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)/issues/(\d+)(/comments)?", seen.path)
        issue = self.issue(match.group(1), int(match.group(2))) if match else None
        if match is None or issue is None:
            return self.error(404, "Not Found", resource, authed)
        if not match.group(3):
            return Reply.json(200, self.issue_json(issue), **hdrs)
        if seen.method == "POST":
            if not authed:
                return self.error(401, "Requires authentication", resource, authed)
            if issue.locked:
                return self.error(403, "Unable to create comment because issue is locked.",
                                  resource, authed)  # fmt: skip
            body = json.loads(seen.body or b"{}").get("body", "")
            if not body.strip():
                return Reply.json(422, {"message": "Validation Failed", "errors": [{"resource":
                                  "IssueComment", "code": "missing_field", "field": "body"}],
                                  "documentation_url": DOCS}, **hdrs)  # fmt: skip
            number = len(issue.items) + len(issue.posted) + 1
            made = self.comment_json(issue, number, self.login, body, "full")
            issue.posted.append(made)
            self.wait_late()
            return Reply.json(201, made, **hdrs)
        every = [self.comment_json(issue, i.number, i.author, i.text, media) for i in issue.items]
        every += [self.as_media(posted, media) for posted in issue.posted]
        per_page = min(max(int(first.get("per_page", "30")), 1), 100)
        page = max(int(first.get("page", "1")), 1)
        last = max((len(every) + per_page - 1) // per_page, 1)
        links = self.links(seen.path, per_page, page, last)
        chunk = every[(page - 1) * per_page : page * per_page]
        return Reply.json(200, chunk, **hdrs, **({"Link": links} if links else {}))

    def links(self, path: str, per_page: int, page: int, last: int) -> str:
        def url(number: int) -> str:
            return f"<{self.origin}{path}?{urlencode({'per_page': per_page, 'page': number})}>"

        parts = []
        if page > 1:
            parts += [f'{url(page - 1)}; rel="prev"', f'{url(1)}; rel="first"']
        if page < last:
            parts += [f'{url(page + 1)}; rel="next"', f'{url(last)}; rel="last"']
        return ", ".join(parts)

    def search(self, q: str) -> dict[str, Any]:
        phrase = re.search(r'"([^"]*)"', q)
        repo = re.search(r"repo:(\S+)", q)
        term = (phrase.group(1) if phrase else "").strip().lower()
        found = [self.issue_json(i) for i in self.issues
                 if repo and i.repo == repo.group(1) and term in i.title.lower()]  # fmt: skip
        return {"total_count": len(found), "incomplete_results": False, "items": found}

    def issue(self, repo: str, number: int) -> Issue | None:
        return next((i for i in self.issues if i.repo == repo and i.number == number), None)

    def issue_json(self, issue: Issue) -> dict[str, Any]:
        url = f"https://github.com/{issue.repo}/issues/{issue.number}"
        return {"id": 90000 + issue.number, "number": issue.number, "title": issue.title,
                "repository_url": f"{self.origin}/repos/{issue.repo}",
                "state": "open", "locked": issue.locked, "html_url": url,
                "comments": len(issue.items) + len(issue.posted),
                "user": {"login": "utterances-bot", "id": 1, "type": "Bot"}}  # fmt: skip

    def comment_json(self, issue: Issue, number: int, author: str, text: str,
                     media: str) -> dict[str, Any]:  # fmt: skip
        ident = COMMENT_OFFSET + number
        login = author if author == self.login else f"user{number % 17}"
        made = {"id": ident, "node_id": f"IC_kwDO{ident}",
                "html_url": f"https://github.com/{issue.repo}/issues/{issue.number}#issuecomment-{ident}",
                "user": {"login": login, "id": 100 + number % 17, "type": "User",
                         "html_url": f"https://github.com/{login}"},
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                            time.gmtime(1_700_000_000 + number * 60)),
                "updated_at": "2024-01-01T00:00:00Z", "author_association": "NONE",
                "body": text}  # fmt: skip
        return self.as_media(made, media)

    def as_media(self, made: dict[str, Any], media: str) -> dict[str, Any]:
        shown = dict(made)
        rendered = shown["body"] if shown["body"].startswith("<") else markdown(shown["body"])
        if "html" in media or "full" in media:
            shown["body_html"] = rendered
        if "html" in media:
            shown.pop("body")
        return shown

    # --- GraphQL ------------------------------------------------------------------------------

    def graphql(self, request: dict[str, Any]) -> Reply:
        self.used[("graphql", True)] = self.used.get(("graphql", True), 0) + 1
        hdrs = self.headers("graphql", True)
        operation, query = request.get("operationName", ""), request.get("query", "")
        variables = request.get("variables") or {}
        handler = {"BlogtuiFindDiscussion": self.find_discussion,
                   "BlogtuiDiscussionByNumber": self.by_number,
                   "BlogtuiDiscussionComments": self.comments,
                   "BlogtuiCommentReplies": self.replies,
                   "BlogtuiViewer": lambda v: {"data": {"viewer": {"login": self.login}}},
                   "BlogtuiAddComment": self.add_comment}.get(operation)  # fmt: skip
        if handler is None or operation.replace("Blogtui", "") == "" or "{" not in query:
            body = {"errors": [{"message": "A query attribute must be specified and must be a"
                                " string."}]}  # fmt: skip
            return Reply.json(200, body, **hdrs)
        return Reply.json(200, handler(variables), **hdrs)

    def discussion_json(self, found: Discussion) -> dict[str, Any]:
        return {"id": found.ident, "number": found.number, "title": found.title,
                "url": f"https://github.com/{found.repo}/discussions/{found.number}",
                "locked": found.locked, "closed": False,
                "repository": {"nameWithOwner": found.repo}}  # fmt: skip

    def find_discussion(self, variables: dict[str, Any]) -> dict[str, Any]:
        q = variables.get("query", "")
        repo = re.search(r"repo:(\S+)", q)
        category = re.search(r'category:"([^"]*)"', q)
        title = re.search(r"in:title (.*)$", q)
        body = re.search(r"in:body (\S+)", q)
        nodes = [self.discussion_json(d) for d in self.discussions
                 if repo and d.repo == repo.group(1)
                 and (not category or d.category == category.group(1))
                 and (not title or all(w.lower() in d.title.lower()
                                       for w in title.group(1).split()))
                 and (not body or body.group(1) in d.body)]  # fmt: skip
        return {"data": {"search": {"discussionCount": len(nodes), "nodes": nodes}}}

    def by_number(self, variables: dict[str, Any]) -> dict[str, Any]:
        repo = f"{variables.get('owner')}/{variables.get('name')}"
        number = variables.get("number")
        found = next((d for d in self.discussions if d.repo == repo and d.number == number), None)
        if found is not None:
            return {"data": {"repository": {"discussion": self.discussion_json(found)}}}
        said = f"Could not resolve to a Discussion with the number of {number}."
        error = {"type": "NOT_FOUND", "path": ["repository", "discussion"], "message": said}
        return {"data": {"repository": {"discussion": None}}, "errors": [error]}

    def owner_of(self, ident: str) -> tuple[Discussion, Item | None] | None:
        for found in self.discussions:
            if found.ident == ident:
                return found, None
            for item in found.items:
                if node_id(item.number) == ident:
                    return found, item
        return None

    def node(self, found: Discussion, item: Item) -> dict[str, Any]:
        text = found.bodies.get(item.number, item.text)
        login = self.login if item.number in found.by_viewer else f"user{item.number % 17}"
        gone = item.number in found.deleted
        made = {"id": node_id(item.number),
                "url": f"https://github.com/{found.repo}/discussions/{found.number}"
                       f"#discussioncomment-{item.number}",
                "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                           time.gmtime(1_700_000_000 + item.number * 60)),
                "body": "" if gone else text,
                "bodyHTML": "" if gone else (text if text.startswith("<") else markdown(text)),
                "viewerDidAuthor": item.number in found.by_viewer,
                "isMinimized": item.number in found.minimized,
                "minimizedReason": "OFF_TOPIC" if item.number in found.minimized else None,
                "deletedAt": "2024-02-01T00:00:00Z" if gone else None,
                "author": None if item.number % 23 == 0 else {
                    "login": login, "url": f"https://github.com/{login}"}}  # fmt: skip
        if item.parent:
            made["replyTo"] = {"id": node_id(item.parent)}
        return made

    def connection(self, items: list[Item], after: str | None) -> tuple[list[Item], dict[str, Any]]:
        start = int(base64.b64decode(after).decode().split(":")[1]) if after else 0
        chunk = items[start : start + 100]
        end = start + len(chunk)
        cursor = base64.b64encode(f"cursor:{end}".encode()).decode()
        return chunk, {"hasNextPage": end < len(items), "endCursor": cursor if chunk else None}

    def replies_of(self, found: Discussion, top: Item, after: str | None) -> dict[str, Any]:
        children = [i for i in found.items if i.parent == top.number]
        chunk, info = self.connection(children, after)
        return {"totalCount": len(children), "pageInfo": info,
                "nodes": [self.node(found, c) for c in chunk]}  # fmt: skip

    def comments(self, variables: dict[str, Any]) -> dict[str, Any]:
        owner = self.owner_of(variables.get("id", ""))
        if owner is None or owner[1] is not None:
            return {"data": {"node": None}, "errors": [{"type": "NOT_FOUND", "path": ["node"],
                    "message": "Could not resolve to a node."}]}  # fmt: skip
        found = owner[0]
        tops = [i for i in found.items if not i.parent]
        chunk, info = self.connection(tops, variables.get("after"))
        nodes = [self.node(found, t) | {"replies": self.replies_of(found, t, None)} for t in chunk]
        return {"data": {"node": {"comments": {"totalCount": len(tops), "pageInfo": info,
                                               "nodes": nodes}}}}  # fmt: skip

    def replies(self, variables: dict[str, Any]) -> dict[str, Any]:
        owner = self.owner_of(variables.get("id", ""))
        if owner is None or owner[1] is None:
            return {"data": {"node": None}}
        return {"data": {"node": {"replies": self.replies_of(owner[0], owner[1],
                                                             variables.get("after"))}}}  # fmt: skip

    def add_comment(self, variables: dict[str, Any]) -> dict[str, Any]:
        owner = self.owner_of(variables.get("discussionId", ""))
        body = variables.get("body", "")
        if owner is None or owner[1] is not None:
            return {"data": {"addDiscussionComment": None}, "errors": [{"type": "NOT_FOUND",
                    "message": "Could not resolve to a node."}]}  # fmt: skip
        found = owner[0]
        parent = 0
        if variables.get("replyToId"):
            target = self.owner_of(variables["replyToId"])
            if target is None or target[1] is None or target[1].parent:
                return {"data": {"addDiscussionComment": None}, "errors": [{
                    "type": "UNPROCESSABLE", "message": "Parent comment is already in a thread,"
                    " cannot reply to it"}]}  # fmt: skip
            parent = target[1].number
        if found.locked:
            return {"data": {"addDiscussionComment": None}, "errors": [{"type": "FORBIDDEN",
                    "message": "Discussion is locked"}]}  # fmt: skip
        number = max([i.number for i in found.items], default=0) + 1
        found.items.append(Item(number, parent, self.login, body))
        found.by_viewer.add(number)
        made = self.node(found, found.items[-1])
        self.wait_late()
        return {"data": {"addDiscussionComment": {"comment": {"id": made["id"],
                                                               "url": made["url"]}}}}  # fmt: skip
