"""Reading and writing OPML subscription lists.

Reading is done with expat directly so that a document type declaration (and with it every
entity definition, internal or external) is refused before anything is expanded. OPML 1.0,
2.0 and newsboat's export are accepted; outlines without `xmlUrl` (or, for a feed typed "rss" or
"atom", `url`) are folders, and a feed's folder is the path of the folders around it joined with
"/"; a feed outside every folder takes its first OPML 2.0 `category` (newsboat exports its tags
there). A document without its <opml> root or <body> is refused, naming what is missing.

Only http(s) feeds are read. Outlines other readers turn into commands (Liferea's `|command`,
newsboat's `exec:` and `filter:` URLs, a `filtercmd` attribute) or queries are never run: they
are skipped and listed in `OpmlDocument.skipped` with the reason, for the importer to show.

An exported feed never carries a login: its URL is written without `user:password@`, and a
feed that needs one is marked (`blogtui:login="required"` and a comment saying so).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.parsers import expat

from blogtui.core.errors import BlogtuiError
from blogtui.core.feeds import charset
from blogtui.core.feeds.commands import NEVER_RUN, command_of
from blogtui.core.feeds.logins import strip_userinfo

MAX_OPML_BYTES = 10 * 1024 * 1024
"""The largest OPML file accepted (real subscription lists are a few hundred kilobytes)."""

LOGIN_ATTRIBUTE = "{http://blogtui.invalid/opml}login"
"""Marks an outline whose feed needs a login (written as `blogtui:login="required"`)."""
LOGIN_NOTE = " the next feed needs a login (user name and password), which is not exported "
_XML_DECLARATION = re.compile(r"^<\?xml[^>]{0,300}?\?>")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class OpmlError(BlogtuiError):
    """An OPML file could not be read."""

    title = "OPML error"


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription of an OPML file."""

    url: str
    title: str = ""
    folder: str = ""
    site_url: str = ""
    needs_login: bool = False
    """The feed needs a login, kept in blogtui's credential store and never exported."""


@dataclass(frozen=True, slots=True)
class SkippedOutline:
    """An outline of an OPML file that is not imported, and why."""

    url: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """What an OPML file holds: its web feeds, and the outlines blogtui will not fetch."""

    feeds: list[OpmlFeed]
    skipped: list[SkippedOutline]


_NEVER_RUN = f"{NEVER_RUN} from a subscription list"
_FEED_TYPES = ("rss", "atom")


def _refusal(url: str, attrs: dict[str, str]) -> str:
    """Why the feed outline of `url` is not imported, or "" when it is a web feed."""
    if who := command_of(url):
        return f"its address is a command ({who}); {_NEVER_RUN}"
    if attrs.get("filtercmd"):
        return f"it asks for a filter command (filtercmd); {_NEVER_RUN}"
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if scheme == "query":
        return "it is a newsboat query feed (query:), not a feed to fetch"
    if scheme not in ("http", "https"):
        return f"not a web address ({scheme}:)" if scheme else "not a web address"
    return ""


class _Reader:
    """Collects feeds from expat events; refuses DTDs and entity declarations."""

    def __init__(self) -> None:
        self.feeds: list[OpmlFeed] = []
        self.skipped: list[SkippedOutline] = []
        self.seen: set[str] = set()
        self.folders: list[str | None] = []
        self.path: list[str] = []
        self.body = False
        """Whether the <opml> root holds a <body>."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Handle an opening tag."""
        self.path.append(name.lower())
        if len(self.path) == 1 and self.path[0] != "opml":
            raise OpmlError(
                f"not an OPML file: the <opml> root element is missing (the document is <{name}>)"
            )
        if self.path[:2] == ["opml", "body"]:
            self.body = True
        if self.path[-1] != "outline" or not self.body:
            return
        attrs = {key.lower(): value.strip() for key, value in attrs.items()}
        url = attrs.get("xmlurl", "")
        if not url and attrs.get("type", "").lower() in _FEED_TYPES:
            url = attrs.get("url", "")
        if not url:
            self.folders.append(attrs.get("text") or attrs.get("title") or None)
            return
        self.folders.append(None)
        self._add(url, attrs)

    def end(self, name: str) -> None:
        """Handle a closing tag."""
        self.path.pop()
        if name.lower() == "outline" and self.body and self.folders:
            self.folders.pop()

    def _add(self, url: str, attrs: dict[str, str]) -> None:
        title = attrs.get("text") or attrs.get("title") or ""
        if reason := _refusal(url, attrs):
            self.skipped.append(SkippedOutline(url, title, reason))
            return
        if url in self.seen:
            return
        self.seen.add(url)
        folder = "/".join(name for name in self.folders if name) or _category(attrs)
        if title == url:
            title = ""
        self.feeds.append(OpmlFeed(url, title, folder, attrs.get("htmlurl", "")))


def _category(attrs: dict[str, str]) -> str:
    """The first OPML 2.0 category ("tag" or "/Nested/Path") as a folder, or ""."""
    for category in attrs.get("category", "").split(","):
        folder = "/".join(part.strip() for part in category.split("/") if part.strip())
        if folder:
            return folder
    return ""


def _refuse_doctype(*_args: object) -> None:
    raise OpmlError("refusing an OPML file with a document type declaration (DTD)")


def _refuse_entity(*_args: object) -> None:
    raise OpmlError("refusing an OPML file that declares entities")


def _refuse_external(*_args: object) -> int:
    raise OpmlError("refusing an OPML file that declares entities")


def _as_utf8(data: bytes) -> bytes:
    """The document in UTF-8 with its XML declaration saying so: read in its own encoding as a
    feed is (core/feeds/charset.py), as expat reads no multi-byte encoding but UTF-8 and UTF-16
    (an OPML file in Shift_JIS, GB2312 or Big5 would fail)."""
    decoded = charset.decode(data)
    text = _XML_DECLARATION.sub("", decoded.text.lstrip("\ufeff"), count=1)
    return ('<?xml version="1.0" encoding="utf-8"?>' + text).encode("utf-8", "replace")


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Return the http(s) feeds of an OPML document, first occurrence of each URL, in order.

    Raises OpmlError for oversized, malformed or non-OPML input and for any DTD.
    """
    return read_opml(data).feeds


def read_opml(data: bytes) -> OpmlDocument:
    """The http(s) feeds of an OPML document (first occurrence of each URL, in order) and the
    outlines skipped with their reasons.

    Raises OpmlError for oversized, malformed or non-OPML input (no <opml> root, no <body>) and
    for any DTD.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file too large (over the limit of {MAX_OPML_BYTES} bytes)")
    if not data.strip():
        raise OpmlError("the OPML file is empty")
    reader = _Reader()
    parser = expat.ParserCreate("utf-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        parser.Parse(_as_utf8(data), True)
    except (expat.ExpatError, ValueError) as err:
        raise OpmlError(f"not a valid OPML file: {err}") from None
    if not reader.body:
        raise OpmlError(
            "not an OPML file: the <body> element in the <opml> root element is missing"
        )
    return OpmlDocument(reader.feeds, reader.skipped)


@dataclass
class _Folder:
    """A folder while writing: its feeds and subfolders in first-seen order."""

    items: list[OpmlFeed | str] = field(default_factory=list)
    subfolders: dict[str, _Folder] = field(default_factory=dict)

    def folder(self, name: str) -> _Folder:
        """Return the subfolder `name`, creating it at the end when new."""
        if name not in self.subfolders:
            self.subfolders[name] = _Folder()
            self.items.append(name)
        return self.subfolders[name]


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", text)


def _tree(feeds: Iterable[OpmlFeed]) -> _Folder:
    root = _Folder()
    seen: set[str] = set()
    for feed in feeds:
        if feed.url in seen:
            continue
        seen.add(feed.url)
        node = root
        for name in (part.strip() for part in feed.folder.split("/")):
            if name:
                node = node.folder(name)
        node.items.append(feed)
    return root


def _emit(parent: ET.Element, node: _Folder) -> None:
    for item in node.items:
        if isinstance(item, str):
            name = _clean(item)
            _emit(ET.SubElement(parent, "outline", text=name, title=name), node.subfolders[item])
            continue
        url = strip_userinfo(item.url)
        title = _clean(item.title) or _clean(url)
        attrs = {"type": "rss", "text": title, "title": title, "xmlUrl": _clean(url)}
        if item.site_url:
            attrs["htmlUrl"] = _clean(strip_userinfo(item.site_url))
        if item.needs_login or url != item.url:
            parent.append(ET.Comment(LOGIN_NOTE))
            attrs[LOGIN_ATTRIBUTE] = "required"
        ET.SubElement(parent, "outline", attrs)


def write_opml(feeds: Iterable[OpmlFeed], title: str = "blogtui subscriptions") -> str:
    """Return an OPML 2.0 document of `feeds`; folders become nested outlines, URLs are unique."""
    ET.register_namespace("blogtui", LOGIN_ATTRIBUTE[1:].partition("}")[0])
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = _clean(title)
    body = ET.SubElement(opml, "body")
    _emit(body, _tree(feeds))
    ET.indent(opml, space="  ")
    text = ET.tostring(opml, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'
