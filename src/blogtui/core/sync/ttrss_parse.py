"""What Tiny Tiny RSS answers, read: its API address, articles, cursors, errors (ttrss.py)."""

from __future__ import annotations

from typing import Any

from blogtui.core.sync.base import AuthFailed, NotLoggedIn, RemoteArticle, SyncError
from blogtui.core.sync.http import shown

SUBSCRIBE_ERRORS = {
    2: "tt-rss refused the URL (it refuses addresses such as 127.0.0.1)",
    3: "tt-rss found no feed at that address",
    4: "tt-rss found several feeds at that address; give the feed's own URL",
    5: "tt-rss could not download the feed",
    6: "tt-rss could not parse the feed",
}


def api_url(url: str) -> str:
    """The API endpoint of a tt-rss installation given by its address (or the endpoint)."""
    base = url.split("?", 1)[0].rstrip("/")
    return base + "/" if base.endswith("/api") else base + "/api/"


def guid_of(value: object) -> str:
    """tt-rss hashes guids per user ('{"ver":2,...}' or 'SHA1:...'): those match nothing."""
    text = str(value or "")
    return "" if text.startswith(("{", "SHA1:")) else text


def article_of(row: Any) -> RemoteArticle:
    """A headline or article object as a RemoteArticle; SyncError for a malformed one."""
    if not isinstance(row, dict) or "id" not in row:
        raise SyncError("tt-rss sent an article without an id")
    return RemoteArticle(
        id=str(row["id"]),
        feed_id=str(row.get("feed_id") or ""),
        guid=guid_of(row.get("guid")),
        link=str(row.get("link") or ""),
        title=str(row.get("title") or ""),
        author=str(row.get("author") or ""),
        html=str(row.get("content") or ""),
        published=float(row.get("updated") or 0) if str(row.get("updated", "")).isdigit() else 0.0,
        unread=bool(row.get("unread")),
        starred=bool(row.get("marked")),
        comments_url=str(row.get("comments_link") or row.get("comments") or ""),
    )


def parse_cursor(cursor: str) -> tuple[int, int, int]:
    """(since_id, skip, highest id seen) from "N" or "since/skip/highest"; bad ones restart."""
    parts = cursor.split("/") if cursor else ["0"]
    if not all(p.isdigit() for p in parts) or len(parts) not in (1, 3):
        return 0, 0, 0
    if len(parts) == 1:
        return int(parts[0]), 0, int(parts[0])
    return int(parts[0]), int(parts[1]), int(parts[2])


def listed(value: Any, op: str) -> list[Any]:
    if not isinstance(value, list):
        raise SyncError(f"tt-rss {op}: expected a list, the server sent something else")
    return value


def error_of(what: str, error: str) -> SyncError:
    if error == "NOT_LOGGED_IN":
        return NotLoggedIn(f"{what}: tt-rss refused the session (NOT_LOGGED_IN)")
    if error == "LOGIN_ERROR":
        return AuthFailed("tt-rss refused the user name or password")
    if error == "API_DISABLED":
        return AuthFailed(
            "tt-rss: API access is disabled for this user (Preferences > Enable API access)"
        )
    return SyncError(f"{what}: {shown(error, 120)}")
