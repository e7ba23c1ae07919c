"""What each of Waline's answers to a reply POST means (no server needed: the answers are the
ones @waline/vercel 1.39 gives, as the e2e tests beside this file see them)."""

from __future__ import annotations

import json

import httpx
import pytest

from blogtui.core.comments.page import parse_page
from blogtui.core.comments.waline import comment_of, decode_uri, find_embed
from blogtui.core.posting.base import Outcome
from blogtui.core.posting.waline import outcome_of

PAGE = "https://blog.example/2024/käse/"
POSTED_TO = "https://waline.example/api/comment?lang=en"


def answer(status: int, data: object = None, **headers: str) -> httpx.Response:
    body = b"" if data is None else json.dumps(data).encode()
    request = httpx.Request("POST", POSTED_TO)
    return httpx.Response(status, content=body, headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "data", "expected"),
    [
        (200, {"errno": 0, "data": {"objectId": 7, "status": "approved"}},
         (Outcome.POSTED, "7", f"{PAGE}#7", "", False)),
        (200, {"errno": 0, "data": {"objectId": 8, "status": "waiting"}},
         (Outcome.HELD, "8", f"{PAGE}#8", "awaiting moderation", False)),
        (200, {"errno": 0, "data": {"objectId": 9, "status": "spam"}},
         (Outcome.HELD, "9", f"{PAGE}#9", "held by the server's spam filter", False)),
        (200, {"errno": 1000, "errmsg": "Duplicate Content"},
         (Outcome.DUPLICATE, "", "", "the Waline server has this reply", False)),
        (200, {"errno": 1000, "errmsg": "Comment too fast!"},
         (Outcome.FLOOD, "", "", "Comment too fast!", False)),
        (200, {"errno": 1001, "errmsg": "comment can not be blank"},
         (Outcome.REJECTED, "", "", "comment can not be blank", False)),
        (401, {"errno": 401, "errmsg": "Unauthorized"},
         (Outcome.UNAVAILABLE, "", "", "the Waline server takes comments from logged-in users"
          " only", False)),
        (403, None, (Outcome.UNAVAILABLE, "", "", "the Waline server refused an anonymous reply"
                     " (it may want a captcha, or a login)", False)),
        (500, {"errno": 500}, (Outcome.FAILED, "", "", "the server answered HTTP 500", True)),
        (503, None, (Outcome.FAILED, "", "", "the server answered HTTP 503", False)),
    ],
)  # fmt: skip
def test_each_answer_has_one_meaning(status, data, expected):
    got = outcome_of(answer(status, data), PAGE)
    assert (got.state, got.remote_id, got.remote_url, got.message, got.ambiguous) == expected


def test_a_429_is_a_flood_with_its_wait_and_a_redirect_is_not_followed():
    limited = outcome_of(answer(429, {"errno": 429}, **{"Retry-After": "30"}), PAGE)
    assert (limited.state, limited.retry_after) == (Outcome.FLOOD, 30.0)
    moved = outcome_of(answer(302, None, Location="https://elsewhere.example/"), PAGE)
    assert moved.state is Outcome.UNAVAILABLE and moved.ambiguous
    assert "elsewhere.example" in moved.message


def test_a_success_that_is_not_json_may_have_been_stored():
    got = outcome_of(
        httpx.Response(200, content=b"<html>", request=httpx.Request("POST", POSTED_TO)), PAGE
    )
    assert (got.state, got.ambiguous) == (Outcome.FAILED, True)


def test_decode_uri_keeps_reserved_escapes_like_javascript():
    assert decode_uri("/2024/K%C3%A4se%3F%2F/%E2%80%9Ehallo%E2%80%9C") == "/2024/Käse%3F%2F/„hallo“"
    assert decode_uri("/kaputt%C3/") == "/kaputt%C3/"


def test_theme_config_json_and_a_relative_server_are_found():
    page = parse_page(
        '<script id="config" type="application/json">{"comments": {"waline": '
        '{"serverURL": "https:\\/\\/kommentare.example\\/", "path": "\\/gr\\u00fc\\u00dfe\\/"}}}'
        "</script>",
        "https://blog.example/x/",
        {},
    )
    embed = find_embed(page)
    assert embed is not None and (embed.server, embed.path) == (
        "https://kommentare.example",
        "/grüße/",
    )


def test_a_comment_object_becomes_comment_data():
    item = {"objectId": 12, "pid": 3, "rid": 1, "nick": "Jürgen", "link": "https://j.example",
            "comment": "<p>Grüße</p>\n", "time": 1700000000000, "status": "approved"}  # fmt: skip
    got = comment_of(item, PAGE)
    assert got is not None
    assert (got.key, got.parent_key, got.author, got.link, got.published) == (
        "12", "3", "Jürgen", f"{PAGE}#12", 1700000000.0)  # fmt: skip
    assert comment_of({"objectId": True}) is None and comment_of("kaputt") is None
