"""Webmention endpoint discovery (W3C Webmention, section 3.1.2) and the address rule for endpoints.

Discovery: the target page's HTTP `Link` header with `rel="webmention"` wins; else the first
`<link>` or `<a>` element with `rel="webmention"` in document order. A relative URL is resolved
against the page's final URL (after redirects), an empty `href` names the page itself, and the
endpoint's query string is kept.

An endpoint comes from a page the user did not write, so blogtui contacts it (and each redirect
it answers with) only over http/https and only when its host is public: a name that resolves to
a loopback, private, link-local, reserved or multicast address is refused, and so is such a
literal, except a loopback literal when the article itself is on a loopback literal (a site the
user chose to read on this machine).

DNS rebinding (a name answering a public address when checked and 127.0.0.1 when connected to)
is defended as a class: a name is resolved ONCE per hop (`vet`), every address it answers is
checked, and the connection goes to exactly the checked address (`pinned_request`: the URL
carries the address, the `Host` header and the TLS server name, so SNI and the certificate check,
stay the name's). Those requests go through a client of their own that never reuses a
connection (no keep-alive) and uses no proxy (a proxy would resolve the name again itself).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx

from blogtui.core.comments.page import Page, link_header
from blogtui.core.posting.credentials import is_loopback_literal

REL = "webmention"
MAX_HOPS = 5
BODY_MAX = 2 * 2**20
"""Largest answer read from an endpoint (a listing), in bytes."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[Address]]]
"""(host, port) -> its addresses; raises OSError when it has none (`resolve` is the system's)."""


class EndpointRefused(Exception):
    """An endpoint (or a redirect from it) that blogtui will not contact; the text says why."""


class _RelFinder(HTMLParser):
    """The first `<link>` or `<a>` with rel webmention, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.href is not None or tag not in ("link", "a"):
            return
        values = {name.lower(): value for name, value in attrs}
        rel = (values.get("rel") or "").lower().split()
        if REL in rel and values.get("href") is not None:
            self.href = (values["href"] or "").strip()


def endpoint_in_html(html: str, base: str) -> str:
    """The endpoint a page's HTML names, resolved against `base`; "" when it names none."""
    finder = _RelFinder()
    try:
        finder.feed(html)
        finder.close()
    except Exception:  # noqa: BLE001 - a broken page just names no endpoint
        pass
    return _resolved(base, finder.href) if finder.href is not None else ""


def endpoint_of(page: Page) -> str:
    """The page's Webmention endpoint per the spec's order, or "" when it advertises none.

    `page.url` must be the final URL after redirects (`Hints.page` gives it so)."""
    for link in link_header(page.headers.get("link", ""), page.url):
        if REL in link.rel:
            return link.href
    return endpoint_in_html(page.html, page.url)


def _resolved(base: str, href: str) -> str:
    try:
        return str(httpx.URL(base).join(href))
    except (httpx.InvalidURL, ValueError):
        return ""


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True, slots=True)
class Vetted:
    """A URL that may be contacted, and the one address the connection to it must go to."""

    url: str
    address: Address


async def resolve(host: str, port: int) -> list[Address]:
    """The system resolver's addresses for `host` (getaddrinfo)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    return found


async def vet(url: str, *, loopback_ok: bool, resolver: Resolver = resolve) -> Vetted:
    """`url` with the address to connect to; raises EndpointRefused unless it may be contacted:
    http/https to a host whose every address is public, or (with `loopback_ok`) a loopback
    literal. A name is resolved once, by `resolver`; the first of its addresses is used."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError as error:
        raise EndpointRefused("the endpoint's address cannot be read") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise EndpointRefused(f"the endpoint is not an http(s) address ({scheme or 'none'})")
    try:
        literal: Address | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if is_loopback_literal(host):
        if loopback_ok and literal is not None:
            return Vetted(url, literal)
        raise EndpointRefused(f"the endpoint is on this machine ({host}); not contacted")
    if literal is not None:
        addresses = [literal]
    else:
        addresses = await _resolved_by(resolver, host, port or (443 if scheme == "https" else 80))
    private = [str(a) for a in addresses if not _public(a)]
    if private:
        raise EndpointRefused(
            f"the endpoint {host} is on a private address ({private[0]}); not contacted"
        )
    return Vetted(url, addresses[0])


async def check_address(url: str, *, loopback_ok: bool, resolver: Resolver = resolve) -> None:
    """Raise EndpointRefused unless `url` may be contacted (`vet`)."""
    await vet(url, loopback_ok=loopback_ok, resolver=resolver)


async def _resolved_by(resolver: Resolver, host: str, port: int) -> list[Address]:
    try:
        found = await resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise EndpointRefused(f"the endpoint's host {host} cannot be found") from error
    if not found:
        raise EndpointRefused(f"the endpoint's host {host} has no address")
    return found


def pinned_request(
    http: httpx.AsyncClient,
    method: str,
    vetted: Vetted,
    *,
    form: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> httpx.Request:
    """The request to `vetted.url` that connects to `vetted.address` only: the URL names the
    address, the `Host` header the name, and so does the TLS server name (SNI, certificate)."""
    url = httpx.URL(vetted.url)
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    return http.build_request(method, url.copy_with(host=str(vetted.address)), data=form,
                              headers={"Host": url.netloc.decode("ascii")}, timeout=timeout,
                              extensions=extensions)  # fmt: skip


@cache
def _tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def pinned_client(
    client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """A client for pinned requests with `client`'s headers and timeouts: it never keeps a
    connection for another request (one to the same address may have been made for another
    name) and uses no proxy. `transport`: a test's."""
    return httpx.AsyncClient(headers=client.headers, timeout=client.timeout, verify=_tls(),
                             trust_env=False, follow_redirects=False, transport=transport,
                             limits=httpx.Limits(max_keepalive_connections=0))  # fmt: skip


@dataclass(frozen=True, slots=True)
class EndpointAnswer:
    """What an endpoint answered: status, final URL, headers (names lowercased), body."""

    status: int
    url: str
    headers: dict[str, str]
    body: bytes


async def guarded_request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    loopback_ok: bool,
    form: dict[str, str] | None = None,
    timeout: float = 30.0,
    resolver: Resolver = resolve,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EndpointAnswer:
    """`method` to `url`, every hop vetted (`vet`) and connected to at its vetted address
    (`pinned_request`, through `pinned_client`). A GET follows redirects; a POST follows only
    307/308 (which keep the method and body), else the redirect is the answer.

    Raises EndpointRefused (the address rule, too many redirects) and httpx errors."""
    current = url
    async with pinned_client(client, transport) as http:
        for _ in range(MAX_HOPS + 1):
            vetted = await vet(current, loopback_ok=loopback_ok, resolver=resolver)
            request = pinned_request(http, method, vetted, form=form, timeout=timeout)
            response = await http.send(request, stream=True, follow_redirects=False)
            try:
                status = response.status_code
                follow = method == "GET" or status in (307, 308)
                location = response.headers.get("location", "").strip()
                if status in _REDIRECTS and follow and location:
                    current = _resolved(current, location)
                    continue
                body = await _capped(response)
                headers = {name.lower(): value for name, value in response.headers.items()}
                return EndpointAnswer(status, current, headers, body)
            finally:
                await response.aclose()
    raise EndpointRefused(f"the endpoint redirected more than {MAX_HOPS} times")


async def _capped(response: httpx.Response) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > BODY_MAX:
            raise EndpointRefused("the endpoint's answer is too large")
        parts.append(chunk)
    return b"".join(parts)
