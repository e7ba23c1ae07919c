"""Scraping an article's web page: its `<link>` elements, its `Link:` header, Isso's markers, and
what embedded comment systems leave behind (`<script src>`s with their attributes, inline script
text, the page's `<title>` and `og:title`) for the providers that read those (Disqus, Discourse,
giscus, utterances)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx

SCRIPT_TEXT_MAX = 256 * 1024
"""Inline script text kept per page, in characters (embed settings sit near the comments)."""
HTML_MAX = 2 * 2**20
"""The page's own HTML kept, in characters, for providers that read elements of their own."""
SCRIPTS_KEPT = 500
"""At most this many `<script src>`s (and their attributes) are kept per page."""
ATTRIBUTE_MAX = 2000
"""Longest attribute value or title kept, in characters."""


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
    script_srcs: list[str] = field(default_factory=list)
    """Every `<script src>`, resolved."""
    script_text: str = ""
    """Inline scripts' text, joined (at most SCRIPT_TEXT_MAX characters)."""
    script_attrs: list[dict[str, str]] = field(default_factory=list)
    """The attributes of every `<script src>` (names lowercased, `src` resolved), in order."""
    title: str = ""
    """The page's `<title>`, whitespace collapsed."""
    meta: dict[str, str] = field(default_factory=dict)
    """`<meta>` contents by `property` or `name`, lowercased (the first of each: `og:title`)."""
    html: str = ""
    """The page's HTML (at most HTML_MAX characters): Mastodon embeds are custom elements."""

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
        self.script_srcs: list[str] = []
        self.scripts: list[str] = []
        self.script_size = 0
        self.in_script = False
        self.script_attrs: list[dict[str, str]] = []
        self.title_parts: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}

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
        if tag == "script":
            self.in_script = True
            if values.get("src") and len(self.script_srcs) < SCRIPTS_KEPT:
                self.script_srcs.append(_joined(self.base, values["src"]))
                kept = {name: value[:ATTRIBUTE_MAX] for name, value in values.items()}
                self.script_attrs.append({**kept, "src": self.script_srcs[-1]})
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and len(self.meta) < 200:
            name = (values.get("property") or values.get("name") or "").lower()
            if name and name not in self.meta:
                self.meta[name] = values.get("content", "")[:ATTRIBUTE_MAX]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and sum(map(len, self.title_parts)) < ATTRIBUTE_MAX:
            self.title_parts.append(data)
        if self.in_script and self.script_size < SCRIPT_TEXT_MAX:
            part = data[: SCRIPT_TEXT_MAX - self.script_size]
            self.scripts.append(part)
            self.script_size += len(part)


def _joined(base: str, href: str) -> str:
    try:
        return str(httpx.URL(base).join(href))
    except (httpx.InvalidURL, ValueError):
        return ""


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
    title = " ".join("".join(parser.title_parts).split())[:ATTRIBUTE_MAX]
    return Page(url, headers, parser.links, parser.isso_server, parser.isso_id,
                parser.script_srcs, "\n".join(parser.scripts), parser.script_attrs, title,
                parser.meta, html[:HTML_MAX])  # fmt: skip


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
