"""A reply draft: its data, its plain-text file format, and the helpers around writing one.

The file format (see `format_draft`) is RFC-822-like headers, a blank line, the text verbatim and
one final newline. `parse_draft` is tolerant: unknown headers are ignored, missing ones defaulted,
CRLF and a UTF-8 BOM accepted, and a file whose first block is not headers is all text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from blogtui.core.config import Identity
from blogtui.core.errors import BlogtuiError
from blogtui.core.text.sanitize import clean

SCHEMA_VERSION = 1
"""The draft file format version written in the `Schema` header."""

MAX_DRAFT_BYTES = 4 * 1024 * 1024
"""Larger files are not drafts (listed as unreadable)."""

EXCERPT_LIMIT = 200

# Header name -> Draft attribute, in the order they are written.
HEADERS = (
    ("Blog", "blog"),
    ("Article-URL", "article_url"),
    ("Article-Title", "article_title"),
    ("Source", "source"),
    ("In-Reply-To", "parent_id"),
    ("In-Reply-To-Author", "parent_author"),
    ("In-Reply-To-Excerpt", "parent_excerpt"),
    ("Name", "name"),
    ("Email", "email"),
    ("Website", "website"),
    ("Created", "created"),
    ("Updated", "updated"),
    ("State", "state"),
    ("Remote-Id", "remote_id"),
    ("Remote-URL", "remote_url"),
    ("Schema", "schema_version"),
)
_OPTIONAL = {"source", "remote_id", "remote_url"}
_KNOWN = {name.lower(): attribute for name, attribute in HEADERS}
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(.*)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


class DraftError(BlogtuiError):
    """A draft could not be read or written."""

    title = "Draft error"


class DraftNotFound(DraftError):
    """No draft has that id."""


class DraftSaveError(DraftError):
    """Saving failed; the previous file is untouched and the text is still in memory."""

    title = "Draft not saved"


class DraftLocked(DraftError):
    """Another blogtui has the draft open."""

    title = "Draft in use"


class DraftState(StrEnum):
    """The `State:` of a draft file (a hand-edited file may hold any other word: it is kept)."""

    DRAFT = "draft"
    """Being written."""
    QUEUED = "queued"
    """In the outbox."""
    SENDING = "sending"
    """Being sent."""
    SENT = "sent"
    """On the blog (the file is in sent/)."""
    FAILED = "failed"
    """It cannot be posted from blogtui."""
    REJECTED = "rejected"
    """The blog refused it; it can be edited and sent again."""


@dataclass(frozen=True)
class Draft:
    """A reply being written: where it goes, who it is from, and its text."""

    id: str
    blog: str = ""
    """The blog's host or base URL."""
    article_url: str = ""
    article_title: str = ""
    source: str = ""
    """The comment source (provider name) the reply goes to; "" for the blog's own thread."""
    parent_id: str = ""
    """The comment replied to; "" for a reply to the post itself."""
    parent_author: str = ""
    parent_excerpt: str = ""
    name: str = ""
    email: str = ""
    website: str = ""
    created: float = 0.0
    updated: float = 0.0
    state: str = DraftState.DRAFT
    """One of DraftState's values, normally."""
    text: str = ""
    remote_id: str = ""
    """The published comment's id, once sent."""
    remote_url: str = ""
    schema_version: int = SCHEMA_VERSION

    @property
    def identity(self) -> Identity:
        """Who the reply is from."""
        return Identity(self.name, self.email, self.website)

    @property
    def first_line(self) -> str:
        """The first non-blank line of the text."""
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def cleaned(self) -> Draft:
        """This draft with every header value sanitised to one line (the text is left alone)."""
        values: dict[str, Any] = {
            f.name: clean(getattr(self, f.name))
            for f in fields(self)
            if f.type == "str" and f.name not in ("id", "text")
        }
        values["parent_excerpt"] = clean(self.parent_excerpt, limit=EXCERPT_LIMIT)
        values["state"] = values["state"].lower() or DraftState.DRAFT
        return replace(self, **values)


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _timestamp(value: str) -> float | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp(), 3)


def format_draft(draft: Draft) -> str:
    """The file content of `draft`: headers, a blank line, the text and a final newline."""
    lines = []
    for name, attribute in HEADERS:
        value = getattr(draft, attribute)
        if attribute in _OPTIONAL and not value:
            continue
        if attribute in ("created", "updated"):
            value = _iso(value)
        lines.append(f"{name}: {clean(value)}".rstrip())
    return "\n".join(lines) + "\n\n" + draft.text + "\n"


def _split(content: str) -> tuple[dict[str, str], str]:
    """Header fields (lower-case keys) and the text; no header block gives ({}, content)."""
    lines = content.split("\n")
    found: dict[str, str] = {}
    last = ""
    end = len(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            end = index
            break
        if line[0] in " \t" and last:
            found[last] = f"{found[last]} {line.strip()}"
            continue
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            return {}, content
        last = match.group(1).lower()
        found[last] = match.group(2).strip()
    if not any(key in _KNOWN for key in found):
        return {}, content
    return found, "\n".join(lines[end + 1 :])


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data:
        raise DraftError(f"{where}: contains binary data (NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        raise DraftError(
            f"{where}: not valid UTF-8 (byte 0x{bad:02x} at offset {error.start})"
        ) from error


def parse_draft(draft_id: str, data: bytes, mtime: float, where: str = "") -> Draft:
    """Read a draft file's bytes; raises DraftError when they are not text."""
    content = _decode(data, where or draft_id).removeprefix("\ufeff")
    content = content.replace("\r\n", "\n")
    found, text = _split(content)
    values: dict[str, object] = {}
    for key, value in found.items():
        attribute = _KNOWN.get(key)
        if attribute in ("created", "updated"):
            values[attribute] = _timestamp(value)
        elif attribute == "schema_version":
            values[attribute] = int(value) if value.isdigit() else SCHEMA_VERSION
        elif attribute:
            values[attribute] = value
    updated = values.get("updated") or round(mtime, 3)
    values["updated"] = updated
    values["created"] = values.get("created") or updated
    draft = Draft(id=draft_id, text=text.removesuffix("\n"), **values)  # type: ignore[arg-type]
    return draft.cleaned()


def validate_identity(identity: Identity) -> list[str]:
    """What is wrong with `identity` for posting a reply; empty when it is fine."""
    problems = []
    if not identity.name.strip():
        problems.append("a name is required")
    email = identity.email.strip()
    if not email:
        problems.append("an email address is required")
    elif not _EMAIL.fullmatch(email):
        problems.append(f"{email!r} does not look like an email address (name@example.org)")
    website = identity.website.strip()
    if website and not _valid_website(website):
        problems.append(f"{website!r} is not a web address (https://example.org)")
    return problems


def _valid_website(url: str) -> bool:
    if any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def quote(text: str, author: str) -> str:
    """`text` (sanitised first) as a `> ` quote under an attribution line, ending in a newline."""
    body = clean(text, multiline=True)
    who = clean(author) or "Someone"
    lines = [f"{who} wrote:"]
    for line in body.split("\n"):
        if not line:
            lines.append(">")
        elif line.startswith(">"):
            lines.append(">" + line)
        else:
            lines.append("> " + line)
    return "\n".join(lines) + "\n"


def draft_age(seconds: float) -> str:
    """A short age: "just now", "5 min ago", "3 h ago", "2 d ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def draft_target(draft: Draft) -> str:
    """Where the draft goes: the article and the comment (or the post) it answers."""
    title = draft.article_title or draft.article_url or draft.blog or "(no article)"
    if draft.parent_id:
        return f"{title} — reply to {draft.parent_author or 'comment ' + draft.parent_id}"
    return f"{title} — reply to the post"
