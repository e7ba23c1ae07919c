"""Scraping an article's web page: its `<link>` elements, its `Link:` header, Isso's markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx


@dataclass(frozen=True, slots=True)
class PageLink:
    """A `<link>` (or `<a>`) element: its rel values, type and resolved href."""

    rel: frozenset[str]
    type: str
    href: str


@dataclass(frozen=True, slots=True)
class Page:
    """The article's web page, read once and shared by every provider."""

    url: str
    headers: dict[str, str]
    links: list[PageLink] = field(default_factory=list)
    isso_server: str = ""
    isso_id: str = ""

    def link(self, rel: str, type_: str = "") -> str:
        """The href of the first `<link>` (or Link header) with `rel` (and `type_`), or ""."""
        for found in link_header(self.headers.get("link", ""), self.url):
            if rel in found.rel and (not type_ or found.type == type_):
                return found.href
        for found in self.links:
            if rel in found.rel and (not type_ or found.type == type_):
                return found.href
        return ""


class _PageParser(HTMLParser):
    """Collects `<link>` elements and Isso's markers from a page."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[PageLink] = []
        self.isso_server = ""
        self.isso_id = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "link" and values.get("href"):
            rel = frozenset(values.get("rel", "").lower().split())
            href = httpx.URL(self.base).join(values["href"])
            self.links.append(PageLink(rel, values.get("type", "").lower(), str(href)))
        elif tag == "script" and not self.isso_server:
            self.isso_server = _isso_server(values, self.base)
        elif tag == "section" and values.get("id") == "isso-thread":
            self.isso_id = values.get("data-isso-id", "")


def _isso_server(values: dict[str, str], base: str) -> str:
    """The Isso server a `<script>` tag names: its data-isso, or where embed.js came from."""
    if values.get("data-isso"):
        return str(httpx.URL(base).join(values["data-isso"]))
    src = values.get("src", "")
    match = re.search(r"^(.*/)js/embed\.(?:min|dev)\.js(?:\?.*)?$", src)
    return str(httpx.URL(base).join(match.group(1))) if match else ""


def parse_page(html: str, url: str, headers: dict[str, str]) -> Page:
    """Read the links and Isso markers of an HTML page."""
    parser = _PageParser(url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken page just yields fewer links
        pass
    return Page(url, headers, parser.links, parser.isso_server, parser.isso_id)


_LINK_VALUE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_LINK_PARAM = re.compile(r";\s*([\w*-]+)\s*=\s*(?:\"([^\"]*)\"|([^;,\s]*))")


def link_header(value: str, base: str) -> list[PageLink]:
    """The links of an HTTP `Link:` header, hrefs resolved against `base`."""
    found = []
    for match in _LINK_VALUE.finditer(value or ""):
        params = {
            m.group(1).lower(): m.group(2) or m.group(3)
            for m in _LINK_PARAM.finditer(match.group(2))
        }
        rel = frozenset(params.get("rel", "").lower().split())
        try:
            href = str(httpx.URL(base).join(match.group(1).strip()))
        except (httpx.InvalidURL, ValueError):
            continue
        found.append(PageLink(rel, params.get("type", "").lower(), href))
    return found
