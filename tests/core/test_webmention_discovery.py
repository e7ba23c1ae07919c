"""Webmention endpoint discovery (W3C Webmention 3.1.2, the cases webmention.rocks tests) against
pages served on 127.0.0.1, and the rule that keeps endpoints off private addresses."""

from __future__ import annotations

import httpx
import pytest
from feedserver import FeedServer, Response
from standins.server import Reply, Seen, StandIn

from blogtui.core.comments.base import Hints
from blogtui.core.comments.webmention_endpoint import (
    EndpointRefused,
    check_address,
    endpoint_of,
    guarded_request,
)
from blogtui.core.posting.lookup import stand_in
from blogtui.core.posting.micropub import send_webmention

HTML = {"Content-Type": "text/html; charset=utf-8"}


async def discovered(client: httpx.AsyncClient, url: str) -> str:
    page = await Hints(stand_in(url)).page(client)
    assert page is not None
    return endpoint_of(page)


def page(body: str, **headers: str) -> Response:
    return Response(200, body.encode(), {**HTML, **headers})


# (what the page says, the endpoint expected as a path on the server), spec order and edge cases
CASES = {
    "header-absolute": (page("<p>x</p>", Link='<{origin}/wm/1>; rel="webmention"'), "/wm/1"),
    "header-relative": (page("<p>x</p>", Link='</wm/2>; rel="webmention"'), "/wm/2"),
    "header-unquoted-rel": (page("<p>x</p>", Link="</wm/3>; rel=webmention"), "/wm/3"),
    "header-several-links": (
        page("", Link='</no>; rel="other", </wm/4>; rel="webmention", </no2>; rel="webmention"'),
        "/wm/4",
    ),
    "header-several-rels": (page("", Link='</wm/5>; rel="webmention somethingelse"'), "/wm/5"),
    "header-not-webmention": (
        page('<link rel="webmention" href="/wm/6">', Link='</no>; rel="not-webmention"'),
        "/wm/6",
    ),
    "header-before-body": (
        page('<link rel="webmention" href="/no">', Link='</wm/7>; rel="webmention"'),
        "/wm/7",
    ),
    "link-relative": (page('<link rel="webmention" href="wm/8">'), "/pages/wm/8"),
    "a-element": (page('<p><a rel="webmention" href="/wm/9">endpoint</a></p>'), "/wm/9"),
    "a-before-link": (
        page('<a href="/wm/10" rel="webmention">x</a><link rel="webmention" href="/no">'),
        "/wm/10",
    ),
    "link-several-rels": (page('<link rel="nofollow WebMention" href="/wm/11">'), "/wm/11"),
    "query-kept": (
        page('<link rel="webmention" href="/wm/12?version=1&a=b">'),
        "/wm/12?version=1&a=b",
    ),
    "comment-ignored": (
        page('<!-- <link rel="webmention" href="/no"> --><link rel="webmention" href="/wm/13">'),
        "/wm/13",
    ),
    "empty-href-is-the-page": (page('<link rel="webmention" href="">'), "/pages/{name}"),
    "no-href-skipped": (
        page('<link rel="webmention"><a rel="webmention" href="/wm/15">x</a>'),
        "/wm/15",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_discovery_case(client, name) -> None:
    server = FeedServer()
    try:
        response, expected = CASES[name]
        origin = server.url("").rstrip("/")
        link = response.headers.get("Link", "").replace("{origin}", origin)
        served = Response(200, response.body, {**response.headers, "Link": link} if link else {
            **response.headers})  # fmt: skip
        url = server.route(f"/pages/{name}", served)
        assert await discovered(client, url) == origin + expected.format(name=name)
    finally:
        server.close()


async def test_relative_endpoint_resolves_against_the_url_after_redirects(client) -> None:
    server = FeedServer()
    try:
        server.route("/moved/here/post", page('<link rel="webmention" href="../wm">'))
        server.redirect("/old/post", "/moved/here/post", 302)
        found = await discovered(client, server.url("/old/post"))
        assert found == server.url("/moved/wm")
        header = page("", Link='<wm2>; rel="webmention"')
        server.route("/b/final", header)
        server.redirect("/a/start", server.url("/b/final"), 301)
        assert await discovered(client, server.url("/a/start")) == server.url("/b/wm2")
    finally:
        server.close()


async def test_page_without_endpoint_names_none(client) -> None:
    server = FeedServer()
    try:
        url = server.route("/plain", page('<link rel="alternate" href="/feed"><a href="/wm">x</a>'))
        assert await discovered(client, url) == ""
    finally:
        server.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/webmention",
        "http://192.168.1.20/webmention",
        "http://172.16.0.1/webmention",
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00::1]/webmention",
        "http://[::ffff:192.168.0.1]/webmention",
        "http://0.0.0.0/webmention",
        "http://localhost:8080/webmention",
        "http://127.0.0.1:9/webmention",
        "ftp://example.org/webmention",
        "file:///etc/passwd",
    ],
)
async def test_private_or_odd_endpoints_are_refused_without_a_connection(url) -> None:
    with pytest.raises(EndpointRefused):
        await check_address(url, loopback_ok=False)


async def test_loopback_literal_only_when_the_reader_chose_a_loopback_site() -> None:
    await check_address("http://127.0.0.1:9/webmention", loopback_ok=True)
    await check_address("http://[::1]:9/webmention", loopback_ok=True)
    await check_address("https://93.184.216.34/webmention", loopback_ok=False)
    with pytest.raises(EndpointRefused):
        await check_address("http://localhost:9/webmention", loopback_ok=True)
    with pytest.raises(EndpointRefused):
        await check_address("http://10.1.2.3/webmention", loopback_ok=True)


class Redirecting(StandIn):
    """Every request (GET or POST) is redirected to a private address."""

    def answer(self, seen: Seen) -> Reply:
        status = 307 if seen.method == "POST" else 302
        return Reply(status, b"", {"Location": "http://192.168.1.20/webmention"})


async def test_endpoint_redirecting_to_a_private_address_is_not_followed(client) -> None:
    server = Redirecting()
    try:
        endpoint = f"{server.origin}/wm"
        with pytest.raises(EndpointRefused, match="private address"):
            await guarded_request(client, "POST", endpoint, loopback_ok=True, form={"a": "b"})
        with pytest.raises(EndpointRefused, match="private address"):
            await guarded_request(client, "GET", f"{endpoint}?list=1", loopback_ok=True)
        assert [(s.method, s.path) for s in server.seen] == [("POST", "/wm"), ("GET", "/wm")]
        assert server.posts[0].form == {"a": "b"}
    finally:
        server.close()


async def test_sending_to_a_page_whose_endpoint_is_private_says_why(client) -> None:
    server = FeedServer()
    try:
        article = server.route(
            "/post", page('<link rel="webmention" href="http://192.168.7.7/webmention">')
        )
        said = await send_webmention(client, "https://me.example/replies/1", article)
        assert "not sent" in said and "private address (192.168.7.7)" in said
    finally:
        server.close()
