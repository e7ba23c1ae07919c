"""The demo blog's slice of the WordPress REST API (``/wp-json/`` and ``?rest_route=``).

Anonymous and read-only, as a visitor sees a WordPress 6 site: ``wp/v2/posts`` and
``wp/v2/comments`` with WordPress's parameters, paging headers, ``_links``, ``_fields``
and error objects. Each handler returns ``(status, body, headers)``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from blogtui.demo.content import SITE_NAME, SITE_TAGLINE, Comment, Post
from blogtui.demo.pages import View, autop, body_of, excerpt

Answer = tuple[int, bytes, dict[str, str]]
"""HTTP status, JSON body and extra headers."""

_ITEM = re.compile(r"^/wp/v2/(posts|comments)/(\d+)/?$")
_COMMON = {
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
    "Access-Control-Allow-Headers": (
        "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"
    ),
}


class _InvalidParam(Exception):
    """A query parameter failed WordPress's schema validation."""

    def __init__(self, name: str, code: str, message: str) -> None:
        super().__init__(message)
        self.name, self.code, self.message = name, code, message


def handle_get(view: View, route: str, query: dict[str, str]) -> Answer:
    """Answer a GET on ``route`` (e.g. ``/wp/v2/comments``) with ``query`` parameters."""
    route = "/" + route.strip("/") if route.strip("/") else "/"
    try:
        if route == "/":
            return _answer(200, _index(view), query)
        if route == "/wp/v2/comments":
            return _comments(view, query)
        if route == "/wp/v2/posts":
            return _posts(view, query)
        if match := _ITEM.match(route):
            return _item(view, match.group(1), int(match.group(2)), query)
    except _InvalidParam as error:
        return _invalid(error)
    return _error(404, "rest_no_route", "No route was found matching the URL and request method.")


def handle_post(view: View, route: str) -> Answer:
    """Answer a POST: creating comments needs a login, everything else has no route."""
    if route.strip("/") == "wp/v2/comments":
        return _error(
            401, "rest_comment_login_required", "Sorry, you must be logged in to comment."
        )
    return _error(404, "rest_no_route", "No route was found matching the URL and request method.")


# ----------------------------------------------------------------------------- collections


def _comments(view: View, query: dict[str, str]) -> Answer:
    """``GET /wp/v2/comments``: newest first by default, filtered by ``post`` and ``parent``."""
    per_page, page = _paging(query)
    posts, parents = _id_list(query, "post"), _id_list(query, "parent")
    found = [
        c
        for c in view.comments
        if (posts is None or c.post in posts) and (parents is None or c.parent in parents)
    ]
    order = _choice(query, "order", ("asc", "desc"), "desc")
    orderby = _choice(query, "orderby", ("date", "date_gmt", "id", "post", "parent"), "date_gmt")
    key: Callable[[Comment], Any] = {
        "id": lambda c: c.id,
        "post": lambda c: (c.post, c.id),
        "parent": lambda c: (c.parent, c.id),
    }.get(orderby, lambda c: (c.date, c.id))
    found.sort(key=key, reverse=order == "desc")
    parents_with_replies = {c.parent for c in view.comments}
    items = [_comment(view, c, c.id in parents_with_replies) for c in found]
    return _page(view, "comments", items, per_page, page, query, strict=False)


def _posts(view: View, query: dict[str, str]) -> Answer:
    """``GET /wp/v2/posts``: newest first, optionally only the posts with given ``slug``s."""
    per_page, page = _paging(query)
    slugs = {s for s in re.split(r"[,\s]+", query.get("slug", "")) if s}
    found = [p for p in view.posts if not slugs or p.slug in slugs]
    if _choice(query, "order", ("asc", "desc"), "desc") == "asc":
        found.reverse()
    return _page(view, "posts", [_post(view, p) for p in found], per_page, page, query, strict=True)


def _page(
    view: View,
    kind: str,
    items: list[dict[str, Any]],
    per_page: int,
    page: int,
    query: dict[str, str],
    *,
    strict: bool,
) -> Answer:
    """One page of a collection with ``X-WP-Total``, ``X-WP-TotalPages`` and ``Link``."""
    total = len(items)
    pages = -(-total // per_page)
    if strict and page > max(pages, 1):
        return _error(
            400,
            f"rest_{kind[:-1]}_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    links = []
    params = {k: v for k, v in query.items() if k != "page"}
    url = f"{view.base}/wp-json/wp/v2/{kind}?"
    if page > 1 and pages:
        links.append(f'<{url}{urlencode({**params, "page": min(page - 1, pages)})}>; rel="prev"')
    if pages > page:
        links.append(f'<{url}{urlencode({**params, "page": page + 1})}>; rel="next"')
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages), "Allow": "GET"}
    if links:
        headers["Link"] = ", ".join(links)
    chunk = items[(page - 1) * per_page : page * per_page]
    return _answer(200, chunk, query, headers)


def _item(view: View, kind: str, item_id: int, query: dict[str, str]) -> Answer:
    """``GET /wp/v2/posts/ID`` or ``/wp/v2/comments/ID``."""
    if kind == "posts":
        post = view.post(item_id)
        if post is None:
            return _error(404, "rest_post_invalid_id", "Invalid post ID.")
        alternate = {"Link": f'<{view.link(post)}>; rel="alternate"; type=text/html'}
        return _answer(200, _post(view, post), query, {"Allow": "GET"} | alternate)
    comment = view.comment(item_id)
    if comment is None:
        return _error(404, "rest_comment_invalid_id", "Invalid comment ID.")
    has_replies = any(c.parent == comment.id for c in view.comments)
    return _answer(200, _comment(view, comment, has_replies), query, {"Allow": "GET"})


# ----------------------------------------------------------------------------- resources


def _comment(view: View, comment: Comment, has_replies: bool) -> dict[str, Any]:
    """A comment as ``WP_REST_Comments_Controller`` shows it to a visitor."""
    api = f"{view.base}/wp-json/wp/v2"
    avatar = hashlib.md5(comment.email.strip().lower().encode()).hexdigest()
    links: dict[str, list[dict[str, Any]]] = {
        "self": [{"href": f"{api}/comments/{comment.id}"}],
        "collection": [{"href": f"{api}/comments"}],
        "up": [{"embeddable": True, "post_type": "post", "href": f"{api}/posts/{comment.post}"}],
    }
    if comment.parent:
        links["in-reply-to"] = [{"embeddable": True, "href": f"{api}/comments/{comment.parent}"}]
    if has_replies:
        links["children"] = [{"href": f"{api}/comments?parent={comment.id}"}]
    return {
        "id": comment.id,
        "post": comment.post,
        "parent": comment.parent,
        "author": comment.user_id,
        "author_name": comment.author,
        "author_url": comment.author_url,
        "date": _local(comment.date),
        "date_gmt": _local(comment.date),
        "content": {"rendered": autop(comment.text)},
        "link": view.comment_link(comment),
        "status": "approved",
        "type": "comment",
        "author_avatar_urls": {
            size: f"https://secure.gravatar.com/avatar/{avatar}?s={size}&d=mm&r=g"
            for size in ("24", "48", "96")
        },
        "meta": [],
        "_links": links,
    }


def _post(view: View, post: Post) -> dict[str, Any]:
    """A post as ``WP_REST_Posts_Controller`` shows it to a visitor."""
    api = f"{view.base}/wp-json/wp/v2"
    return {
        "id": post.id,
        "date": _local(post.date),
        "date_gmt": _local(post.date),
        "guid": {"rendered": view.guid(post)},
        "modified": _local(post.modified),
        "modified_gmt": _local(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": view.link(post),
        "title": {"rendered": post.title},
        "content": {"rendered": body_of(view, post), "protected": False},
        "excerpt": {"rendered": f"<p>{excerpt(view, post)}</p>\n", "protected": False},
        "author": post.author.id,
        "featured_media": 0,
        "comment_status": "open" if post.comments_open else "closed",
        "ping_status": "closed",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": [],
        "categories": [1],
        "tags": [],
        "_links": {
            "self": [{"href": f"{api}/posts/{post.id}"}],
            "collection": [{"href": f"{api}/posts"}],
            "author": [{"embeddable": True, "href": f"{api}/users/{post.author.id}"}],
            "replies": [{"embeddable": True, "href": f"{api}/comments?post={post.id}"}],
        },
    }


def _index(view: View) -> dict[str, Any]:
    """The API index at ``/wp-json/``: site facts, namespaces and the routes served here."""
    routes = {
        route: {"namespace": "" if route == "/" else "wp/v2", "methods": methods}
        for route, methods in (
            ("/", ["GET"]),
            ("/wp/v2/posts", ["GET", "POST"]),
            ("/wp/v2/posts/(?P<id>[\\d]+)", ["GET", "POST", "PUT", "PATCH", "DELETE"]),
            ("/wp/v2/comments", ["GET", "POST"]),
            ("/wp/v2/comments/(?P<id>[\\d]+)", ["GET", "POST", "PUT", "PATCH", "DELETE"]),
        )
    }
    return {
        "name": SITE_NAME,
        "description": SITE_TAGLINE,
        "url": view.base,
        "home": view.base,
        "gmt_offset": 0,
        "timezone_string": "",
        "namespaces": ["oembed/1.0", "wp/v2"],
        "authentication": [],
        "routes": routes,
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }


# ----------------------------------------------------------------------------- parameters


def _paging(query: dict[str, str]) -> tuple[int, int]:
    """``per_page`` (1-100, default 10) and ``page`` (from 1), validated like WordPress."""
    per_page = _integer(query, "per_page", 10)
    if not 1 <= per_page <= 100:
        message = "per_page must be between 1 (inclusive) and 100 (inclusive)"
        raise _InvalidParam("per_page", "rest_out_of_bounds", message)
    page = _integer(query, "page", 1)
    if page < 1:
        raise _InvalidParam("page", "rest_out_of_bounds", "page must be greater than or equal to 1")
    return per_page, page


def _integer(query: dict[str, str], name: str, default: int) -> int:
    """An integer parameter, or the default when absent."""
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"-?\d+", raw):
        raise _InvalidParam(name, "rest_invalid_type", f"{name} is not of type integer.")
    return int(raw)


def _id_list(query: dict[str, str], name: str) -> set[int] | None:
    """A comma-separated id list (``post=1,2``), or None when the parameter is absent."""
    if name not in query:
        return None
    parts = [part for part in re.split(r"[,\s]+", query[name]) if part]
    if not all(part.isdigit() for part in parts):
        raise _InvalidParam(name, "rest_invalid_type", f"{name}[0] is not of type integer.")
    return {int(part) for part in parts}


def _choice(query: dict[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    """An enum parameter, with WordPress's wording when the value is not allowed."""
    value = query.get(name) or default
    if value not in allowed:
        options = f"{', '.join(allowed[:-1])}{',' if len(allowed) > 2 else ''} and {allowed[-1]}"
        raise _InvalidParam(name, "rest_not_in_enum", f"{name} is not one of {options}.")
    return value


# ----------------------------------------------------------------------------- encoding


def _local(moment: datetime) -> str:
    """REST dates: ISO 8601 without a zone (the site's clock is UTC, so both agree)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _fields(data: Any, query: dict[str, str]) -> Any:
    """Apply ``_fields=a,b.c`` to one resource or a list of them (top-level keys)."""
    wanted = {f.split(".")[0] for f in re.split(r"[,\s]+", query.get("_fields", "")) if f}
    if not wanted:
        return data
    if isinstance(data, list):
        return [_fields(item, query) for item in data]
    return {key: value for key, value in data.items() if key in wanted}


def _encode(data: Any) -> bytes:
    """JSON as PHP's ``wp_json_encode`` writes it: ASCII only, slashes escaped."""
    return json.dumps(data, separators=(",", ":")).replace("/", "\\/").encode()


def _answer(
    status: int, data: Any, query: dict[str, str], headers: dict[str, str] | None = None
) -> Answer:
    """A successful answer."""
    return status, _encode(_fields(data, query)), _COMMON | (headers or {})


def _error(status: int, code: str, message: str, data: dict[str, Any] | None = None) -> Answer:
    """A ``WP_Error`` as the REST API serialises it."""
    body = {"code": code, "message": message, "data": {"status": status, **(data or {})}}
    return status, _encode(body), dict(_COMMON)


def _invalid(error: _InvalidParam) -> Answer:
    """The 400 ``rest_invalid_param`` answer for one bad parameter."""
    details = {error.name: {"code": error.code, "message": error.message, "data": None}}
    return _error(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {error.name}",
        {"params": {error.name: error.message}, "details": details},
    )
