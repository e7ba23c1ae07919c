"""The HTTP client every network part of blogtui uses (feeds, threads, posting, sync)."""

from __future__ import annotations

import functools
import ssl

import httpx

from blogtui import __version__

USER_AGENT = f"blogtui/{__version__} (+terminal feed reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json,"
    " application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9,"
    " application/json;q=0.9, */*;q=0.8"
)


@functools.cache
def _tls_context(trust_env: bool) -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle takes a good tenth of a second."""
    return httpx.create_ssl_context(trust_env=trust_env)


@functools.cache
def _no_tls_context() -> ssl.SSLContext:
    """A context that trusts no certificate at all: every TLS connection fails verification."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def make_client(
    concurrency: int = 16, *, trust_env: bool = True, tls: bool = True
) -> httpx.AsyncClient:
    """An AsyncClient for feeds: keep-alive pool sized to `concurrency`, no automatic redirects.

    `tls` False makes a client for plain http only (its https requests all fail): it skips
    loading the CA bundle.

    Proxies from the environment (HTTP(S)_PROXY, NO_PROXY) are honoured as users expect, but
    loopback addresses always go direct, so local servers (and the tests) never meet a proxy.
    """
    size = max(1, concurrency)
    limits = httpx.Limits(
        max_connections=size, max_keepalive_connections=size, keepalive_expiry=30.0
    )
    direct: dict[str, httpx.AsyncBaseTransport | None] = {
        f"all://{host}": None for host in ("127.0.0.1", "localhost", "[::1]")
    }
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        limits=limits,
        timeout=httpx.Timeout(30.0, connect=15.0),
        follow_redirects=False,
        verify=_tls_context(trust_env) if tls else _no_tls_context(),
        trust_env=trust_env,
        mounts=direct if trust_env else None,
    )
