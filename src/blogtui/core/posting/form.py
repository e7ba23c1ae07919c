"""WordPress's anonymous comment form: what a browser does when a reader clicks "Post Comment".

The article page is read, its real `<form id="commentform">` parsed (its action and every field
it carries, so the hidden fields anti-spam plugins add are sent back as they came), and the form
is posted to `wp-comments-post.php` without following the redirect. WordPress answers a 302 to
`…#comment-N` on its own site (with `?unapproved=N` when held for moderation), 409 for a
duplicate, 429 for a flood, 403 when comments are closed, and `wp_die()`'s page (mostly HTTP 200)
for other refusals. Any other redirect means the reply was not taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from blogtui.core.errors import FeedError
from blogtui.core.feeds.fetch import fetch, parse_retry_after
from blogtui.core.posting.base import (
    DEADLINE,
    Outcome,
    Poster,
    PostOutcome,
    ReplyRequest,
    network_outcome,
    redirected,
    same_site,
    sanitise,
    send_timeout,
    server_error,
)

PAGE_BYTES = 8 * 2**20
FORM_ID = "commentform"
SKIPPED_TYPES = frozenset({"submit", "button", "image", "reset", "file"})
_COMMENT_ID = re.compile(r"#comment-(\d+)$")


@dataclass
class CommentForm:
    """The comment form of a page: where it posts and the fields it would send as it is."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Finds `<form id="commentform">` and collects its successful controls' default values."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.form: CommentForm | None = None
        self.inside = False
        self.textarea: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "form" and not self.done and values.get("id") == FORM_ID:
            action = values.get("action", "").strip() or self.base
            self.form = CommentForm(urljoin(self.base, action))
            self.inside = True
        elif self.inside and self.form is not None and values.get("name"):
            self._control(tag, values)

    def _control(self, tag: str, values: dict[str, str]) -> None:
        assert self.form is not None
        name, kind = values["name"], values.get("type", "text").lower()
        if tag == "input" and kind not in SKIPPED_TYPES:
            if kind in ("checkbox", "radio") and "checked" not in values:
                return
            self.form.fields[name] = values.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self.form.fields[name] = ""
            self.textarea = name

    def handle_data(self, data: str) -> None:
        if self.textarea and self.form is not None:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def parse_comment_form(html_text: str, base: str) -> CommentForm | None:
    """The page's WordPress comment form, or None when it has none."""
    parser = _FormParser(base)
    try:
        parser.feed(html_text)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken page just has no usable form
        return parser.form
    return parser.form


def form_data(form: CommentForm, reply: ReplyRequest) -> dict[str, str]:
    """Every field of `form`, with the reply's own fields filled in."""
    data = dict(form.fields)
    who = reply.identity
    data.update(comment=reply.text, author=who.name, email=who.email, url=who.website)
    data["comment_parent"] = reply.parent_key or "0"
    if reply.post_id and not data.get("comment_post_ID"):
        data["comment_post_ID"] = reply.post_id
    return data


def die_message(body: str) -> str:
    """The message of `wp_die()`'s page (the `<p>` text), or the page's text."""
    match = re.search(r'<div class="wp-die-message">(.*?)</div>', body, re.S | re.I)
    if match:
        return sanitise(match.group(1))
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", body, re.S | re.I)
    texts = [sanitise(p) for p in paragraphs]
    texts = [t for t in texts if t and "« Back" not in t and t != "« Back"]
    return texts[0] if texts else sanitise(body)


def outcome_of(
    status: int, location: str, body: str, posted_to: str, article_url: str = ""
) -> PostOutcome:
    """What a `wp-comments-post.php` answer to a POST to `posted_to` means."""
    if 300 <= status < 400:
        return _redirected(status, location.strip(), posted_to, article_url)
    message = die_message(body) if body.strip() else ""
    if status == 409:
        duplicate = "duplicate: the blog already has this comment"
        return PostOutcome(Outcome.DUPLICATE, message=message or duplicate)
    if status == 429:
        return PostOutcome(Outcome.FLOOD, message=message or "posting too quickly")
    if status == 403:
        return PostOutcome(Outcome.CLOSED, message=message or "comments are closed")
    if status >= 500:
        return server_error(status)
    if status == 200 and not body.strip():
        return PostOutcome(Outcome.CLOSED, message="the blog does not accept comments on this post")
    return PostOutcome(Outcome.REJECTED, message=message or f"the server answered HTTP {status}")


def _redirected(status: int, location: str, posted_to: str, article_url: str) -> PostOutcome:
    """WordPress's success is a 302 to the new comment on its own site (`#comment-N`, with
    `?unapproved=N` when held). A redirect elsewhere, a 307/308 (which asks for the POST to be
    repeated there) or one without either mark is not followed: the reply counts as not sent
    unless the outbox finds it in the thread (a plugin's thank-you page after a stored reply)."""
    not_sent = redirected(status, location, posted_to)
    target = urljoin(posted_to, location) if location else ""
    if status not in (301, 302, 303) or not same_site(target, posted_to, article_url):
        return not_sent
    held = parse_qs(urlsplit(target).query).get("unapproved", [""])[0]
    if held.isdigit():
        return PostOutcome(Outcome.HELD, held, target, "awaiting moderation")
    found = _COMMENT_ID.search(target)
    if found:
        return PostOutcome(Outcome.POSTED, found.group(1), target)
    return not_sent


class FormPoster(Poster):
    """Posts through the article page's comment form, like a browser."""

    name = "form"

    def __init__(self, deadline: float = DEADLINE) -> None:
        self.deadline = deadline

    async def post(self, client: httpx.AsyncClient, reply: ReplyRequest) -> PostOutcome:
        """Read the form, send it once, map the answer."""
        form = await self._form(client, reply)
        if isinstance(form, PostOutcome):
            return form
        scheme = urlsplit(form.action).scheme.lower()
        if scheme not in ("http", "https"):
            return PostOutcome(
                Outcome.UNAVAILABLE, message=f"the comment form posts to a {scheme} URL"
            )
        return await self._submit(client, form.action, form_data(form, reply), reply.article_url)

    async def _form(
        self, client: httpx.AsyncClient, reply: ReplyRequest
    ) -> CommentForm | PostOutcome:
        try:
            page = await fetch(
                client, reply.article_url, deadline=self.deadline, max_bytes=PAGE_BYTES
            )
        except FeedError as error:
            return PostOutcome(
                Outcome.FAILED, message=f"cannot read the article page: {error.message}"
            )
        if page.status in (429, 503) or page.status >= 500:
            why = f"the article page answered HTTP {page.status}"
            return PostOutcome(Outcome.FAILED, message=why, retry_after=page.retry_after)
        if not 200 <= page.status < 300:
            why = f"the article page answered HTTP {page.status}"
            return PostOutcome(Outcome.UNAVAILABLE, message=why)
        text = page.body.decode(_charset(page.headers.get("content-type", "")), errors="replace")
        form = parse_comment_form(text, page.final_url or page.url)
        if form is None:
            return PostOutcome(Outcome.UNAVAILABLE, message="the article page has no comment form")
        return form

    async def _submit(
        self, client: httpx.AsyncClient, action: str, data: dict[str, str], article_url: str
    ) -> PostOutcome:
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "Referer": action}
        timeout = send_timeout(self.deadline)
        try:
            response = await client.post(action, data=data, headers=headers, timeout=timeout,
                                         follow_redirects=False)  # fmt: skip
        except httpx.HTTPError as error:
            return network_outcome(error, sent=True)
        body = response.text[: 2**20] if response.content else ""
        location = response.headers.get("location", "")
        outcome = outcome_of(response.status_code, location, body, action, article_url)
        retry = parse_retry_after(response.headers.get("retry-after"))
        return replace(outcome, retry_after=retry) if retry is not None else outcome


def _charset(content_type: str) -> str:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
    name = match.group(1) if match else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name
