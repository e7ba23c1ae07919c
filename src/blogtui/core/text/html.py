"""Article and comment HTML as clean text: the one place html2text is configured.

html2text runs with `unicode_snob` (the default spells `&uuml;` as `u`), images as `[image: alt]`
(a linked image as the link's text: `[[image: alt]][1]`), links numbered `[1]` with the list at
the end (a link without address is text), embedded frames, videos and audio as numbered links to
their source (`[[embedded: title]][2]`, `[[video]][3]`), 2<sup>10</sup> as `2^10` and H<sub>2</sub>O
as `H_2O`, capped input, output and nesting. Headings and tables are marked instead of written as
Markdown and laid out as plain text (`blocks`: headings underlined, table columns aligned).
What a browser hides stays hidden (the elements of `markup.HIDDEN_TAGS` with their content, and
everything after a comment left open); runs of line breaks, quoted blank lines and literal break
tags (double-escaped `&amp;lt;br&amp;gt;`) collapse to one blank line. Anything html2text chokes on
falls back to plain text with the tags stripped (`markup.strip_tags`). Call it off the event loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from blogtui.core.text import blocks
from blogtui.core.text.markup import HIDDEN_TAGS, strip_tags
from blogtui.core.text.sanitize import clean

MAX_HTML = 2_000_000
"""Characters of HTML rendered; the rest is cut."""
MAX_TEXT = 1_000_000
"""Characters of text kept."""
MAX_LINKS = 1000
"""Links numbered; later ones show as plain text."""
MAX_NESTING = 12
"""List and quote levels shown; deeper ones are flattened."""

_LINK_LINE = re.compile(r"^ {0,3}\[(\d+)\]: (\S+)", re.MULTILINE)
# Lines holding nothing but quote marks, repeated: what <br> runs in a <blockquote> become.
_QUOTED_BLANKS = re.compile(r"^(>[> ]{0,40}\n)(?:>[> ]{0,40}\n)+", re.MULTILINE)
# Break tags shown as text (the source escaped them twice), two or more in a row.
_LITERAL_BREAKS = re.compile(r"(?:<br {0,3}/?> {0,3}){2,}", re.IGNORECASE)


@dataclass(frozen=True)
class RenderedText:
    """Text of an article and the links it numbered, in order ([1] is links[0])."""

    text: str
    links: list[str] = field(default_factory=list)


def _converter_class() -> type:
    import html2text  # imported on first use: it costs start-up time

    class Converter(html2text.HTML2Text):
        """html2text with blogtui's settings and limits."""

        def __init__(self, baseurl: str) -> None:
            super().__init__(baseurl=baseurl, bodywidth=0)
            self.unicode_snob = True
            self.pad_tables = False
            self.inline_links = False
            self.links_each_paragraph = False
            self.wrap_links = False
            self.protect_links = False
            self.ignore_emphasis = True
            self.use_automatic_links = False
            self.skip_internal_links = True
            self.single_line_break = False
            self._depth = {"ul": 0, "ol": 0, "blockquote": 0, "dl": 0}
            self._links = 0
            self._tables = 0
            """Tables open (only the outermost is laid out; inner ones are run into its cells)."""
            self._cells = 0
            """Cells of the table row open so far."""
            self._header_row = False
            self._media: list[list[Any]] = []
            """Open video and audio elements: their kind and whether their link was written."""

        def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
            if tag == "img":
                if start:
                    alt = clean(attrs.get("alt") or attrs.get("title") or "", limit=200)
                    self._placeholder(f"[image: {alt}]" if alt else "[image]")
                return
            if tag in _MEDIA_TAGS:
                self._media_tag(tag, attrs, start)
                if tag in ("video", "audio", "source"):
                    return
            if tag in _SCRIPT_MARKS:
                if start:
                    self.handle_data(_SCRIPT_MARKS[tag])
                return
            if tag == "a":
                if start:
                    self._links += 1
                    if not (attrs.get("href") or "").strip():  # no address: no link
                        attrs = {key: value for key, value in attrs.items() if key != "href"}
                if self._links > MAX_LINKS:
                    return
            if tag in _TABLE_TAGS:
                self._table_tag(tag, start)
                return
            if tag in _HEADINGS and not self.astack:
                self.inheader = start
                self._mark(blocks.HEADING_STARTS[_HEADINGS[tag]] if start else blocks.HEADING_END)
                return
            if tag in HIDDEN_TAGS or tag == "embed":
                tag = "style"  # html2text drops the content of <style>
            if tag in self._depth:
                nested = sum(self._depth.values())
                self._depth[tag] += 1 if start else -1
                if (nested if start else nested - 1) >= MAX_NESTING:
                    return
            super().handle_tag(tag, attrs, start)

        def _in_link(self) -> bool:
            return bool(self.astack) and self.astack[-1] is not None

        def _placeholder(self, shown: str, url: str = "") -> None:
            """`shown` as text (so that a link around it opens before it), as a numbered link
            to `url` when given and not inside a link already."""
            if url and not self._in_link() and self._links < MAX_LINKS:
                if self.preceding_data[-1:] not in ("", " ", "\n"):
                    self.handle_data(" ")
                self.handle_tag("a", {"href": url}, True)
                self.handle_data(shown)
                self.handle_tag("a", {"href": url}, False)
                self.handle_data(" ")
            else:
                self.handle_data(shown if self._in_link() else f"{shown} ")

        def _media_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
            """An embedded frame, video or audio as a placeholder linking to its source (the
            element's own `src`, else its first `<source>` with one). A frame's content stays
            hidden; a video's is shown (hiding it, an unclosed <video> would hide the rest)."""
            src = (attrs.get("src") or "").strip()
            usable = bool(src) and _WEB_OR_RELATIVE.match(src) is not None
            if tag == "iframe":
                if start and usable:
                    host = urlsplit(urljoin(self.baseurl or "", src)).hostname or ""
                    title = clean(attrs.get("title") or host, limit=200)
                    self._placeholder(f"[embedded: {title}]" if title else "[embedded]", src)
                return
            if tag == "source":
                if start and usable and self._media and not self._media[-1][1]:
                    self._media[-1][1] = True
                    self._placeholder(f"[{self._media[-1][0]}]", src)
                return
            if not start:
                if self._media:
                    self._media.pop()
                return
            self._media.append([tag, usable])
            if usable:
                self._placeholder(f"[{tag}]", src)

        def _mark(self, marker: str) -> None:
            """`marker` as a block of its own: a paragraph break before a start marker and
            after an end marker (so the marked text has no break of its own at either end)."""
            if marker in blocks.STARTS:
                self.p()
                self.o(marker)
            else:
                self.o(marker)
                self.p()

        def _table_tag(self, tag: str, start: bool) -> None:
            """Mark the outermost table's rows and cells for `blocks.lay_out`."""
            if tag == "table":
                outermost = self._tables == 0 if start else self._tables == 1
                self._tables = max(self._tables + (1 if start else -1), 0)
                if outermost:
                    self._mark(blocks.TABLE_START if start else blocks.TABLE_END)
                return
            if not self._tables:
                self.o(" ")  # a cell or row outside any table
            elif self._tables > 1:
                self.o(" ")
            elif tag == "tr":
                if not start:
                    self.o(blocks.HEADER_ROW if self._header_row else blocks.ROW)
                self._cells, self._header_row = 0, False
            elif start:
                self.o(blocks.CELL if self._cells else "")
                self._cells += 1
                self._header_row = self._header_row or tag == "th"

        def handle_data(self, data: str, entity_char: bool = False) -> None:
            # Plain text, not Markdown: don't backslash-escape "1." or "*". The markers of
            # `blocks` are the converter's own.
            super().handle_data(blocks.unmarked(data), True)

    return Converter


_converter: type | None = None
_MEDIA_TAGS = frozenset({"iframe", "video", "audio", "source"})
_SCRIPT_MARKS = {"sup": "^", "sub": "_"}
"""What a superscript or subscript is written after (2^10 is not 210)."""
_WEB_OR_RELATIVE = re.compile(r"(?:https?:|/|\.|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)
"""A source address worth linking: http(s), or relative (no other scheme: data:, about:, ...)."""
_TABLE_TAGS = frozenset({"table", "tr", "td", "th"})
_HEADINGS = {f"h{level}": level - 1 for level in range(1, 7)}
"""Heading tags and their index in `blocks.HEADING_STARTS`."""


def _close_comments(source: str) -> str:
    """`source` cut where a comment is left open (a browser hides everything after it)."""
    index = source.find("<!--")
    while index >= 0:
        end = source.find("-->", index + 4)
        if end < 0:
            return source[:index]
        index = source.find("<!--", end + 3)
    return source


def _collapse_breaks(text: str) -> str:
    """Runs of quoted blank lines and of literal break tags as one line break."""
    if "\n>" in text:
        text = _QUOTED_BLANKS.sub(r"\1", text)
    if "<" in text:
        text = _LITERAL_BREAKS.sub("\n\n", text)
    return text


def html_to_text(source: str, base_url: str = "") -> RenderedText:
    """Render untrusted HTML as sanitised text with numbered links."""
    global _converter
    snippet = _close_comments((source or "")[:MAX_HTML])
    try:
        if _converter is None:
            _converter = _converter_class()
        converter = _converter(base_url)
        markdown = converter.handle(snippet)
    except Exception:  # noqa: BLE001 - any html2text failure falls back to plain text
        return RenderedText(plain_text(snippet))
    links = [url for _, url in _LINK_LINE.findall(markdown)]
    laid_out = blocks.lay_out(markdown[:MAX_TEXT], budget=MAX_TEXT)
    text = clean(_collapse_breaks(laid_out[:MAX_TEXT]), multiline=True)
    return RenderedText(text, links)


def plain_text(source: str) -> str:
    """HTML with the tags stripped: the fallback, and good enough for excerpts."""
    text = _collapse_breaks(strip_tags(source, MAX_HTML)[:MAX_TEXT])
    return clean(text, multiline=True).strip()
